using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Utilities;

namespace Groundtruth.Domain;

/// <summary>What shape of geometry a dataset holds.</summary>
public enum GeometryShape
{
    None,
    Point,
    MultiLineString,
    MultiPolygon,
    /// <summary>A point, or a multipolygon (gazetteer places).</summary>
    PointOrMultiPolygon,
    /// <summary>Any of multipoint, multilinestring or multipolygon (minefield record footprints).</summary>
    AnyMulti,
}

/// <summary>Geometry checks and normalisation shared by every dataset.</summary>
/// <remarks>
/// Geometries are WGS84 (EPSG:4326), x = longitude. A polygon dataset stores multipolygons so both
/// database backends accept the same values. Invalid geometry is reported, or repaired when asked,
/// never stored silently.
/// </remarks>
public static class SpatialRules
{
    public const int Wgs84 = 4326;

    public static readonly GeometryFactory Factory = new(new PrecisionModel(), Wgs84);

    /// <summary>Normalises <paramref name="geometry"/> to <paramref name="shape"/>; returns the problem instead when it cannot.</summary>
    public static Geometry? Normalise(Geometry geometry, GeometryShape shape, bool repair, out string? problem)
    {
        problem = null;
        if (geometry.IsEmpty) { problem = "the geometry is empty"; return null; }
        foreach (var c in geometry.Coordinates)
        {
            if (double.IsNaN(c.X) || double.IsNaN(c.Y) || c.X is < -180 or > 180 || c.Y is < -90 or > 90)
            {
                problem = $"coordinate ({c.X}, {c.Y}) is outside longitude -180..180, latitude -90..90";
                return null;
            }
        }
        if (!geometry.IsValid)
        {
            if (!repair)
            {
                var op = new NetTopologySuite.Operation.Valid.IsValidOp(geometry);
                problem = $"invalid geometry: {op.ValidationError?.Message} at ({op.ValidationError?.Coordinate?.X}, {op.ValidationError?.Coordinate?.Y}); use --repair to repair it";
                return null;
            }
            geometry = GeometryFixer.Fix(geometry);
            if (geometry.IsEmpty) { problem = "the geometry is empty after repair"; return null; }
        }
        Geometry? result = shape switch
        {
            GeometryShape.Point => geometry as Point,
            GeometryShape.MultiLineString => ToMulti<LineString>(geometry, ls => Factory.CreateMultiLineString(ls)),
            GeometryShape.MultiPolygon => ToMulti<Polygon>(geometry, ps => Factory.CreateMultiPolygon(ps)),
            GeometryShape.PointOrMultiPolygon => geometry is Point p ? p : ToMulti<Polygon>(geometry, ps => Factory.CreateMultiPolygon(ps)),
            GeometryShape.AnyMulti => geometry switch
            {
                Point or MultiPoint => ToMulti<Point>(geometry, ps => Factory.CreateMultiPoint(ps)),
                LineString or MultiLineString => ToMulti<LineString>(geometry, ls => Factory.CreateMultiLineString(ls)),
                Polygon or MultiPolygon => ToMulti<Polygon>(geometry, ps => Factory.CreateMultiPolygon(ps)),
                _ => null,
            },
            _ => null,
        };
        if (result is null)
        {
            problem = $"a {geometry.GeometryType} where {Describe(shape)} is expected";
            return null;
        }
        result = Factory.CreateGeometry(result);
        result.SRID = Wgs84;
        return result;
    }

    public static string Describe(GeometryShape shape) => shape switch
    {
        GeometryShape.Point => "a point",
        GeometryShape.MultiLineString => "a line or multiline",
        GeometryShape.MultiPolygon => "a polygon or multipolygon",
        GeometryShape.PointOrMultiPolygon => "a point, polygon or multipolygon",
        GeometryShape.AnyMulti => "points, lines or polygons",
        _ => "no geometry",
    };

    private static Geometry? ToMulti<TPart>(Geometry g, Func<TPart[], Geometry> make) where TPart : Geometry
    {
        var parts = new List<TPart>();
        for (var i = 0; i < g.NumGeometries; i++)
        {
            var part = g.GetGeometryN(i);
            if (part is TPart typed) parts.Add(typed);
            else if (!part.IsEmpty) return null;
        }
        return parts.Count == 0 ? null : make([.. parts]);
    }
}
