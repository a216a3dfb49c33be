using NetTopologySuite.Algorithm;
using NetTopologySuite.Geometries;

namespace Groundtruth.Analysis.Spatial;

/// <summary>
/// NetTopologySuite's validity (<see cref="Geometry.IsValid"/>), with the plain shapes that are most of a programme's data
/// — points, lines, and polygons without holes whose ring has a few dozen edges — found valid here, without the topology
/// analysis <see cref="Geometry.IsValid"/> runs on every call (issue 16: at scale 500 the risk map's validity checks of records
/// and processed land allocated 180 MB). Only "valid" is answered here: a shape this check cannot clear, or finds wrong,
/// is handed to NetTopologySuite, so every "invalid" and every answer on a shape with holes is NetTopologySuite's own.
/// </summary>
/// <remarks>
/// A ring is cleared when its coordinates are finite, it is closed, it has at least three distinct vertices, no two of its
/// edges that do not follow one another meet at all (not even at a point), and no two that follow one another run back
/// along each other. Whether two edges meet is decided as NetTopologySuite's validity check decides it: its robust
/// orientation test on the same four points, read the way its line intersector reads it (edges apart only when both
/// ends of one lie strictly on one side of the other; when all four points test as on one line, by their boxes). That
/// test is not exact for coordinates of wildly different sizes (1e-24 beside 1e30, or near the limits of a double), so
/// it is not taken as the truth but as NetTopologySuite's answer, which is what this class must give. A test compares this with
/// <see cref="Geometry.IsValid"/> on thousands of generated shapes, many of them invalid, and on shapes whose
/// orientation tests are wrong.
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

    /// <summary>
    /// Edges a→b and b→c run back along each other: the four points of the pair test as on one line and c lies in a→b's
    /// box or a in b→c's (NetTopologySuite's intersector then finds two points in common, which its validity check
    /// rejects; with only b in common they are adjacent edges, which it allows).
    /// </summary>
    private static bool FoldsBack(Coordinate a, Coordinate b, Coordinate c) =>
        Touch(a, b, b, c) is Contact.Collinear && (Within(a, b, c) || Within(b, c, a));

    /// <summary>Whether segments p1p2 and q1q2 meet, as NetTopologySuite's line intersector decides it.</summary>
    private static bool Meet(Coordinate p1, Coordinate p2, Coordinate q1, Coordinate q2) => Touch(p1, p2, q1, q2) switch
    {
        Contact.None => false,
        Contact.Collinear => Within(p1, p2, q1) || Within(p1, p2, q2) || Within(q1, q2, p1) || Within(q1, q2, p2),
        _ => true,
    };

    private enum Contact { None, Collinear, Point }

    /// <summary>
    /// NetTopologySuite's reading of its orientation test for two segments: apart when their boxes are apart or both ends
    /// of one lie strictly on one side of the other; "collinear" when all four points test as on one line; else they meet.
    /// </summary>
    private static Contact Touch(Coordinate p1, Coordinate p2, Coordinate q1, Coordinate q2)
    {
        if (Math.Max(p1.X, p2.X) < Math.Min(q1.X, q2.X) || Math.Max(q1.X, q2.X) < Math.Min(p1.X, p2.X)
            || Math.Max(p1.Y, p2.Y) < Math.Min(q1.Y, q2.Y) || Math.Max(q1.Y, q2.Y) < Math.Min(p1.Y, p2.Y)) return Contact.None;
        var pq1 = (int)Orientation.Index(p1, p2, q1);
        var pq2 = (int)Orientation.Index(p1, p2, q2);
        if ((pq1 > 0 && pq2 > 0) || (pq1 < 0 && pq2 < 0)) return Contact.None;
        var qp1 = (int)Orientation.Index(q1, q2, p1);
        var qp2 = (int)Orientation.Index(q1, q2, p2);
        if ((qp1 > 0 && qp2 > 0) || (qp1 < 0 && qp2 < 0)) return Contact.None;
        return pq1 == 0 && pq2 == 0 && qp1 == 0 && qp2 == 0 ? Contact.Collinear : Contact.Point;
    }

    /// <summary>A point on the line through a and b lies on the segment ab: inside its box.</summary>
    private static bool Within(Coordinate a, Coordinate b, Coordinate p) =>
        p.X >= Math.Min(a.X, b.X) && p.X <= Math.Max(a.X, b.X) && p.Y >= Math.Min(a.Y, b.Y) && p.Y <= Math.Max(a.Y, b.Y);
}
