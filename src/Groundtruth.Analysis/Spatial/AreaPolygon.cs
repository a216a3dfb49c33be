using Groundtruth.Analysis.Geodesy;
using NetTopologySuite.Geometries;

namespace Groundtruth.Analysis.Spatial;

/// <summary>
/// A polygon or multipolygon in projected (metric) coordinates, flattened for <see cref="IntersectionArea"/>:
/// raw coordinate arrays, every ring closed, repeated points dropped, shells counter-clockwise and holes
/// clockwise — so the interior lies on the left of every edge. Immutable; safe to share between threads.
/// </summary>
public sealed class AreaPolygon
{
    // Ring k has vertices [RingStart[k], RingStart[k+1]) in X/Y, closed (last = first); part j has rings
    // [PartStart[j], PartStart[j+1]), the first its shell.
    internal readonly double[] X;
    internal readonly double[] Y;
    internal readonly int[] RingStart;
    internal readonly int[] PartStart;

    private AreaPolygon(double[] x, double[] y, int[] ringStart, int[] partStart, double area)
    {
        X = x;
        Y = y;
        RingStart = ringStart;
        PartStart = partStart;
        Area = area;
        MinX = MinY = double.PositiveInfinity;
        MaxX = MaxY = double.NegativeInfinity;
        for (var i = 0; i < x.Length; i++)
        {
            MinX = Math.Min(MinX, x[i]);
            MaxX = Math.Max(MaxX, x[i]);
            MinY = Math.Min(MinY, y[i]);
            MaxY = Math.Max(MaxY, y[i]);
        }
    }

    /// <summary>Area in the units of the coordinates squared (m² for metric coordinates).</summary>
    public double Area { get; }

    public double MinX { get; }
    public double MinY { get; }
    public double MaxX { get; }
    public double MaxY { get; }

    public bool IsEmpty => X.Length == 0;

    /// <summary>The polygonal parts of <paramref name="geometry"/> as they are (already in metres).</summary>
    public static AreaPolygon Create(Geometry geometry) => Build(geometry, null);

    /// <summary>The polygonal parts of a WGS84 <paramref name="geometry"/>, each vertex projected once with <paramref name="projection"/>.</summary>
    /// <remarks>The projection is not thread-safe: one per thread.</remarks>
    public static AreaPolygon Project(Geometry geometry, LocalProjection projection) => Build(geometry, projection);

    private static AreaPolygon Build(Geometry geometry, LocalProjection? projection)
    {
        var xs = new List<double>();
        var ys = new List<double>();
        var rings = new List<int> { 0 };
        var parts = new List<int> { 0 };
        var area = 0.0;
        for (var i = 0; i < geometry.NumGeometries; i++)
        {
            if (geometry.GetGeometryN(i) is not Polygon { IsEmpty: false } polygon) continue;
            var shell = AddRing(polygon.ExteriorRing.CoordinateSequence, projection, counterClockwise: true, xs, ys, rings);
            if (shell == 0) continue;
            area += shell;
            for (var h = 0; h < polygon.NumInteriorRings; h++)
                area -= AddRing(polygon.GetInteriorRingN(h).CoordinateSequence, projection, counterClockwise: false, xs, ys, rings);
            parts.Add(rings.Count - 1);
        }
        return new AreaPolygon([.. xs], [.. ys], [.. rings], [.. parts], area);
    }

    /// <summary>Appends a ring in the wanted orientation; returns its unsigned area (0 when degenerate, and then nothing is added).</summary>
    private static double AddRing(CoordinateSequence seq, LocalProjection? projection, bool counterClockwise, List<double> xs, List<double> ys, List<int> rings)
    {
        var start = xs.Count;
        for (var i = 0; i < seq.Count; i++)
        {
            double x = seq.GetX(i), y = seq.GetY(i);
            if (projection is not null) (x, y) = projection.Project(x, y);
            if (xs.Count > start && xs[^1] == x && ys[^1] == y) continue;
            xs.Add(x);
            ys.Add(y);
        }
        var n = xs.Count - start;
        if (n > 0 && (xs[start] != xs[^1] || ys[start] != ys[^1]))
        {
            xs.Add(xs[start]);
            ys.Add(ys[start]);
            n++;
        }
        if (n < 4)
        {
            xs.RemoveRange(start, n);
            ys.RemoveRange(start, n);
            return 0;
        }
        // Shoelace about the first vertex, so large UTM coordinates do not cancel.
        double x0 = xs[start], y0 = ys[start], twice = 0;
        for (var i = start; i < start + n - 1; i++)
            twice += (xs[i] - x0) * (ys[i + 1] - y0) - (xs[i + 1] - x0) * (ys[i] - y0);
        if (twice == 0)
        {
            xs.RemoveRange(start, n);
            ys.RemoveRange(start, n);
            return 0;
        }
        if (twice > 0 != counterClockwise)
        {
            xs.Reverse(start, n);
            ys.Reverse(start, n);
        }
        rings.Add(xs.Count);
        return Math.Abs(twice) / 2;
    }

    /// <summary>Back to a NetTopologySuite geometry (a polygon or multipolygon) in the same coordinates.</summary>
    public Geometry ToGeometry(GeometryFactory factory)
    {
        var polygons = new Polygon[PartStart.Length - 1];
        for (var p = 0; p < polygons.Length; p++)
        {
            LinearRing Ring(int k)
            {
                var coords = new Coordinate[RingStart[k + 1] - RingStart[k]];
                for (var i = 0; i < coords.Length; i++) coords[i] = new Coordinate(X[RingStart[k] + i], Y[RingStart[k] + i]);
                return factory.CreateLinearRing(coords);
            }
            var holes = new LinearRing[PartStart[p + 1] - PartStart[p] - 1];
            for (var h = 0; h < holes.Length; h++) holes[h] = Ring(PartStart[p] + 1 + h);
            polygons[p] = factory.CreatePolygon(Ring(PartStart[p]), holes);
        }
        return polygons.Length == 1 ? polygons[0] : factory.CreateMultiPolygon(polygons);
    }
}
