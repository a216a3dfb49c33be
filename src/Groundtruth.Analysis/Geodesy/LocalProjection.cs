using Groundtruth.Domain;
using NetTopologySuite.Geometries;
using ProjNet.CoordinateSystems.Transformations;

namespace Groundtruth.Analysis.Geodesy;

/// <summary>
/// A metric projection for one analysis: the UTM zone that holds the centre of the data. Distances and
/// areas are measured in it, in metres, never in degrees.
/// </summary>
public sealed class LocalProjection
{
    private readonly MathTransform _forward;
    private readonly MathTransform _inverse;

    public LocalProjection(Envelope wgs84Extent) : this(UtmOf(wgs84Extent))
    {
    }

    /// <summary>The projection of one UTM zone, by its EPSG code.</summary>
    public LocalProjection(int utmEpsg)
    {
        Epsg = utmEpsg;
        _forward = ReferenceSystems.Transform(SpatialRules.Wgs84, Epsg);
        _inverse = ReferenceSystems.Transform(Epsg, SpatialRules.Wgs84);
        Factory = new GeometryFactory(new PrecisionModel(), Epsg);
    }

    /// <summary>The EPSG code of the UTM zone that <c>new LocalProjection(extent)</c> would use, without building its transforms.</summary>
    public static int ZoneOf(Envelope wgs84Extent) => UtmOf(wgs84Extent);

    private static int UtmOf(Envelope e)
    {
        var centre = e.IsNull ? new Coordinate(0, 0) : e.Centre;
        return ReferenceSystems.UtmEpsgFor(centre.X, centre.Y);
    }

    /// <summary>UTM's false easting: the metres east at the zone's central meridian.</summary>
    public const double FalseEastingM = 500_000;

    /// <summary>The EPSG code of the UTM zone used.</summary>
    public int Epsg { get; }

    public GeometryFactory Factory { get; }

    public Geometry Project(Geometry wgs84) => ReferenceSystems.Reproject(wgs84, _forward, Epsg);

    /// <summary>Back from metres to WGS84.</summary>
    public Geometry Unproject(Geometry metric) => ReferenceSystems.Reproject(metric, _inverse, SpatialRules.Wgs84);

    /// <summary>A point in metres back to WGS84 longitude and latitude.</summary>
    public (double Lon, double Lat) Unproject(double x, double y) => _inverse.Transform(x, y);

    public (double X, double Y) Project(double lon, double lat) => _forward.Transform(lon, lat);

    /// <summary>Projects many points; the transform is not thread-safe, so this runs on the caller's thread.</summary>
    public (double[] Xs, double[] Ys) Project(IReadOnlyList<double> lons, IReadOnlyList<double> lats)
    {
        var xs = new double[lons.Count];
        var ys = new double[lats.Count];
        for (var i = 0; i < xs.Length; i++) (xs[i], ys[i]) = _forward.Transform(lons[i], lats[i]);
        return (xs, ys);
    }
}
