using Groundtruth.Domain;
using NetTopologySuite;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace Groundtruth.Application.Storage;

/// <summary>Reads and writes GeoPackage geometry blobs (OGC 12-128r18, clause 2.1.3) in WGS84.</summary>
public static class GeoPackageBlob
{
    /// <summary>
    /// One set of geometry services for every blob read, whose factory already carries WGS84: NetTopologySuite's
    /// <see cref="GeoPackageGeoReader"/> makes new services (and so a new factory) for every geometry and the SRID
    /// is then set on every part, each time looking the factory up again — most of the time of reading areas
    /// (issue 11).
    /// </summary>
    private static readonly NtsGeometryServices Services = new(SpatialRules.Factory.CoordinateSequenceFactory, SpatialRules.Factory.PrecisionModel, SpatialRules.Wgs84);

    /// <summary>The ordinates <see cref="GeoPackageGeoReader"/> keeps by default (XY and whatever the sequences hold of Z and M).</summary>
    private static readonly Ordinates Handled = Ordinates.XY | (Ordinates.XYZM & SpatialRules.Factory.CoordinateSequenceFactory.Ordinates);

    public static byte[] Write(Geometry geometry)
    {
        if (geometry.SRID != SpatialRules.Wgs84) geometry.SRID = SpatialRules.Wgs84;
        return new GeoPackageGeoWriter { HandleOrdinates = Ordinates.XY }.Write(geometry);
    }

    /// <summary>
    /// The geometry of a blob, in WGS84: the header is skipped here and the well-known binary after it read by
    /// NetTopologySuite's <see cref="WKBReader"/>, as <see cref="GeoPackageGeoReader"/> reads it (the same
    /// geometry, coordinates and ordinates; a test holds the two together). A blob this does not expect (no
    /// "GP" magic, an extended geometry type, an unknown envelope) goes to <see cref="GeoPackageGeoReader"/>.
    /// </summary>
    public static Geometry Read(byte[] blob)
    {
        if (WkbOffset(blob) is not { } offset) return ReadByLibrary(blob);
        var empty = (blob[3] & 0x10) != 0;
        var reader = new WKBReader(Services) { HandleOrdinates = Handled, HandleSRID = false };
        var g = reader.Read(new MemoryStream(blob, offset, blob.Length - offset, writable: false));
        // An empty point is stored as a point of NaN coordinates (the GeoPackage rule).
        if (empty && g.OgcGeometryType == OgcGeometryType.Point) g = g.Factory.CreatePoint();
        if (g.SRID != SpatialRules.Wgs84) g.SRID = SpatialRules.Wgs84;
        return g;
    }

    /// <summary>The plain way: NetTopologySuite's reader, then WGS84 set on the geometry and its parts.</summary>
    internal static Geometry ReadByLibrary(byte[] blob)
    {
        var g = new GeoPackageGeoReader(SpatialRules.Factory.CoordinateSequenceFactory, SpatialRules.Factory.PrecisionModel).Read(blob);
        g.SRID = SpatialRules.Wgs84;
        return g;
    }

    /// <summary>Where the well-known binary starts after the header, or null for a header not of the standard form.</summary>
    private static int? WkbOffset(byte[] blob)
    {
        if (blob.Length < 8 || blob[0] != (byte)'G' || blob[1] != (byte)'P') return null;
        var flags = blob[3];
        if ((flags & 0x20) != 0) return null;
        int envelope = ((flags >> 1) & 0x7) switch { 0 => 0, 1 => 32, 2 or 3 => 48, 4 => 64, _ => -1 };
        if (envelope < 0 || blob.Length < 8 + envelope + 5) return null;
        return 8 + envelope;
    }
}
