using Groundtruth.Domain;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace Groundtruth.Application.Storage;

/// <summary>Reads and writes GeoPackage geometry blobs (OGC 12-128r18, clause 2.1.3) in WGS84.</summary>
public static class GeoPackageBlob
{
    public static byte[] Write(Geometry geometry)
    {
        if (geometry.SRID != SpatialRules.Wgs84) geometry.SRID = SpatialRules.Wgs84;
        return new GeoPackageGeoWriter { HandleOrdinates = Ordinates.XY }.Write(geometry);
    }

    public static Geometry Read(byte[] blob)
    {
        var g = new GeoPackageGeoReader(SpatialRules.Factory.CoordinateSequenceFactory, SpatialRules.Factory.PrecisionModel).Read(blob);
        g.SRID = SpatialRules.Wgs84;
        return g;
    }
}
