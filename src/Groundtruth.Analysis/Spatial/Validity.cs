using NetTopologySuite.Algorithm;
using NetTopologySuite.Geometries;

namespace Groundtruth.Analysis.Spatial;

/// <summary>
/// NetTopologySuite's validity (<see cref="Geometry.IsValid"/>), with the plain shapes that are most of a programme's data
/// — points, lines, and polygons without holes whose ring has a few dozen edges — found valid here, without the topology
/// analysis <see cref="Geometry.IsValid"/> runs on every call (issue 16: at scale 500 the risk map's validity checks of records
/// and processed land allocated 300 MB). Only "valid" is answered here: a shape this check cannot clear, or finds wrong,
/// is handed to NetTopologySuite, so every "invalid" and every answer on a shape with holes is NetTopologySuite's own.
/// </summary>
/// <remarks>
/// A ring is cleared when its coordinates are finite, it is closed, it has at least three distinct vertices, no two of its
/// edges that do not follow one another meet at all (not even at a point), and no two that follow one another fold back
/// along each other. Such a ring is simple and encloses an area, which is what NetTopologySuite asks of a polygon with no
/// holes. The tests of whether two edges meet use NetTopologySuite's robust orientation test, so they are exact.
/// A test compares this with <see cref="Geometry.IsValid"/> on thousands of generated shapes, many of them invalid.
/// </remarks>
public static class Validity
{
    /// <summary>Rings with more edges than this are left to NetTopologySuite (every pair of edges is tested here).</summary>
    public const int MaxRingEdges = 64;

    /// <summary>Exactly <see cref="Geometry.IsValid"/>.</summary>
    public static bool IsValid(Geometry geometry) => IsPlainlyValid(geometry) || geometry.IsValid;

    /// <summary>True when the shape is valid by the plain test above; false when that test cannot tell (it may still be valid).</summary>
    public static bool IsPlainlyValid(Geometry geometry)
    {
        if (geometry.IsEmpty) return false;
        switch (geometry)
        {
            case Point point:
                return Finite(point.CoordinateSequence);
            case LinearRing:
                return false;
            case LineString line:
                return PlainLine(line.CoordinateSequence);
            case Polygon polygon:
                return PlainPolygon(polygon);
            case MultiPoint points:
                for (var i = 0; i < points.NumGeometries; i++)
                    if (points.GetGeometryN(i) is not Point { IsEmpty: false } p || !Finite(p.CoordinateSequence)) return false;
                return true;
            case MultiLineString lines:
                for (var i = 0; i < lines.NumGeometries; i++)
                    if (lines.GetGeometryN(i) is not LineString { IsEmpty: false } l || l is LinearRing || !PlainLine(l.CoordinateSequence)) return false;
                return true;
            case MultiPolygon polygons:
                for (var i = 0; i < polygons.NumGeometries; i++)
                {
                    var p = (Polygon)polygons.GetGeometryN(i);
                    if (p.IsEmpty) return false;
                    if (!PlainPolygon(p)) return false;
                    // Parts whose boxes do not even touch cannot overlap or touch each other.
                    for (var j = 0; j < i; j++)
                        if (polygons.GetGeometryN(j).EnvelopeInternal.Intersects(p.EnvelopeInternal)) return false;
                }
                return true;
            default:
                return false;
        }
    }

    private static bool Finite(CoordinateSequence s)
    {
        for (var i = 0; i < s.Count; i++)
            if (!double.IsFinite(s.GetX(i)) || !double.IsFinite(s.GetY(i))) return false;
        return true;
    }

    /// <summary>Finite coordinates and at least two distinct points.</summary>
    private static bool PlainLine(CoordinateSequence s)
    {
        if (!Finite(s)) return false;
        for (var i = 1; i < s.Count; i++)
            if (s.GetX(i) != s.GetX(0) || s.GetY(i) != s.GetY(0)) return true;
        return false;
    }

    private static bool PlainPolygon(Polygon polygon)
    {
        if (polygon.NumInteriorRings > 0) return false;
        var s = polygon.Shell.CoordinateSequence;
        if (s.Count < 4 || s.Count > MaxRingEdges + 1 || !Finite(s)) return false;
        if (s.GetX(0) != s.GetX(s.Count - 1) || s.GetY(0) != s.GetY(s.Count - 1)) return false;
        // The distinct vertices in order (a point repeating the one before it is dropped, as NetTopologySuite drops it).
        var v = new Coordinate[s.Count];
        var m = 0;
        for (var i = 0; i < s.Count - 1; i++)
        {
            var c = new Coordinate(s.GetX(i), s.GetY(i));
            if (m > 0 && c.Equals2D(v[m - 1])) continue;
            v[m++] = c;
        }
        while (m > 1 && v[m - 1].Equals2D(v[0])) m--;
        if (m < 3) return false;
        for (var i = 0; i < m; i++)
        {
            var (a, b) = (v[i], v[(i + 1) % m]);
            // The edge that follows: it must not fold back along this one.
            if (FoldsBack(a, b, v[(i + 2) % m])) return false;
            // Every later edge that does not share a vertex with this one must not meet it.
            for (var j = i + 2; j < m; j++)
            {
                if (i == 0 && j == m - 1) continue;
                if (Meet(a, b, v[j], v[(j + 1) % m])) return false;
            }
        }
        return true;
    }

    /// <summary>Edges a→b and b→c lie on one line with c back towards a: they overlap beyond b.</summary>
    private static bool FoldsBack(Coordinate a, Coordinate b, Coordinate c) =>
        Orientation.Index(a, b, c) == OrientationIndex.Collinear
        && (Math.Sign(c.X - b.X) * Math.Sign(a.X - b.X) > 0 || Math.Sign(c.Y - b.Y) * Math.Sign(a.Y - b.Y) > 0);

    /// <summary>Whether segments p1p2 and q1q2 have any point in common (exact).</summary>
    private static bool Meet(Coordinate p1, Coordinate p2, Coordinate q1, Coordinate q2)
    {
        if (Math.Max(p1.X, p2.X) < Math.Min(q1.X, q2.X) || Math.Max(q1.X, q2.X) < Math.Min(p1.X, p2.X)
            || Math.Max(p1.Y, p2.Y) < Math.Min(q1.Y, q2.Y) || Math.Max(q1.Y, q2.Y) < Math.Min(p1.Y, p2.Y)) return false;
        var o1 = (int)Orientation.Index(p1, p2, q1);
        var o2 = (int)Orientation.Index(p1, p2, q2);
        var o3 = (int)Orientation.Index(q1, q2, p1);
        var o4 = (int)Orientation.Index(q1, q2, p2);
        if (o1 * o2 < 0 && o3 * o4 < 0) return true;
        return (o1 == 0 && Within(p1, p2, q1)) || (o2 == 0 && Within(p1, p2, q2)) || (o3 == 0 && Within(q1, q2, p1)) || (o4 == 0 && Within(q1, q2, p2));
    }

    /// <summary>A point on the line through a and b lies on the segment ab: inside its box.</summary>
    private static bool Within(Coordinate a, Coordinate b, Coordinate p) =>
        p.X >= Math.Min(a.X, b.X) && p.X <= Math.Max(a.X, b.X) && p.Y >= Math.Min(a.Y, b.Y) && p.Y <= Math.Max(a.Y, b.Y);
}
