using Groundtruth.Analysis.Geodesy;
using Groundtruth.Analysis.Spatial;
using NetTopologySuite.Geometries;
using NetTopologySuite.Index.Strtree;

namespace Groundtruth.Analysis.Records;

/// <summary>
/// Record accuracy's coverage over buffer sizes: for each buffer, the devices found inside some record grown by it.
/// A record is grown in metres (its footprint projected, buffered, projected back) and a find is inside when the
/// grown footprint covers it in WGS84, where it was recorded.
/// </summary>
/// <remarks>
/// <see cref="ByBuffering"/> grows every record for every buffer and joins every find: at national scale that is
/// 100,000 buffers (issue 11). <see cref="Compute"/> gives the same counts growing only the records near finds whose
/// answer is in doubt. A find's distance <c>d</c> to the nearest record (ungrown, in metres) settles most of them:
/// the grown polygon lies within the buffer's true outline plus what NetTopologySuite's input simplification may add
/// (1% of the buffer), and contains every point within <c>cos(π/32)</c> of it (its arcs are chords of 8 segments a
/// quadrant); so a find with <c>d</c> clearly below 0.99 × buffer is inside, one clearly above 1.02 × buffer is
/// outside (half a metre either side covers the projection's round trip). Only the finds between are tested against
/// the grown polygons of the records within reach — the same test, on the same polygons, as <see cref="ByBuffering"/>.
/// A test compares the two on finds placed at and around every buffer's edge.
/// </remarks>
public static class BufferCoverage
{
    private const double InsideFactor = 0.99, OutsideFactor = 1.02, Margin = 0.5;

    /// <summary>The sum of <paramref name="quantities"/> of the finds inside some grown record, for each buffer.</summary>
    /// <param name="projected">The finds already projected by <paramref name="projection"/> (x, y in metres), when the caller has them.</param>
    /// <param name="grown">How a record is grown (<see cref="Grown"/>, or a caller's store of the records it grew before).</param>
    public static long[] Compute(IReadOnlyList<Geometry> records, double[] lons, double[] lats, int[] quantities,
        IReadOnlyList<double> buffers, LocalProjection projection, (double[] Xs, double[] Ys)? projected = null,
        Func<Geometry, double, ThreadLocal<LocalProjection>, Geometry>? grown = null)
    {
        var grow = grown ?? Grown;
        var result = new long[buffers.Count];
        if (records.Count == 0 || lons.Length == 0) return result;
        using var projections = new ThreadLocal<LocalProjection>(() => new LocalProjection(projection.Epsg));
        var metric = new Geometry[records.Count];
        Parallel.For(0, records.Count, r => metric[r] = projections.Value!.Project(records[r]));
        var tree = new STRtree<int>();
        for (var r = 0; r < metric.Length; r++) tree.Insert(metric[r].EnvelopeInternal, r);
        tree.Build();
        var (xs, ys) = projected ?? RecordAccuracy.ProjectSideBySide(lons, lats, projections);

        // Each find's distance to the nearest record within reach of the largest buffer (beyond reach: farther than
        // every buffer, however far). Searched in squares doubling around the find up to the reach, as record accuracy
        // measures its offsets: a record at distance d meets every square of half-side d or more, so once the best
        // distance lies inside the square it is the least (issue 11: at scale 2500 a find has dozens of records within
        // the largest buffer's reach, and every one was measured).
        var reach = Reach(buffers.Count == 0 ? 0 : buffers.Max());
        var measured = metric.Select(g => new Lazy<Func<double, double, double>>(() => DistanceTo(g))).ToArray();
        var distance = new double[xs.Length];
        var recordGrid = new EnvelopeGrid([.. metric.Select(g => g.EnvelopeInternal)]);
        var start = Math.Min(reach, Math.Max(10, metric.Average(g => Math.Max(g.EnvelopeInternal.Width, g.EnvelopeInternal.Height))));
        Parallel.ForEach(System.Collections.Concurrent.Partitioner.Create(0, xs.Length, 4096), range =>
        {
            var near = new List<int>();
            for (var i = range.Item1; i < range.Item2; i++)
            {
                var (x, y) = (xs[i], ys[i]);
                for (var r = start; ; r = Math.Min(2 * r, reach))
                {
                    near.Clear();
                    recordGrid.Query(new Envelope(x - r, x + r, y - r, y + r), near);
                    var best = double.PositiveInfinity;
                    foreach (var k in near) best = Math.Min(best, measured[k].Value(x, y));
                    if (best <= r || r >= reach) { distance[i] = best; break; }
                }
            }
        });

        for (var b = 0; b < buffers.Count; b++)
        {
            var buffer = buffers[b];
            if (buffer <= 0)
            {
                // Not grown: the polygonal records themselves, as recorded.
                result[b] = Sum(SpatialJoin.SemiJoin(PolygonIndex.Build([.. records.Select(g => grow(g, 0, projections))]), lons, lats), quantities);
                continue;
            }
            long inside = 0;
            var doubtful = new List<int>();
            for (var i = 0; i < xs.Length; i++)
            {
                if (distance[i] < InsideFactor * buffer - Margin) inside += quantities[i];
                else if (distance[i] <= Reach(buffer)) doubtful.Add(i);
            }
            if (doubtful.Count > 0)
            {
                var near = new SortedSet<int>();
                var r0 = Reach(buffer);
                foreach (var i in doubtful)
                    foreach (var r in tree.Query(new Envelope(xs[i] - r0, xs[i] + r0, ys[i] - r0, ys[i] + r0))) near.Add(r);
                var nearList = near.ToArray();
                var grownNear = new Geometry[nearList.Length];
                Parallel.For(0, nearList.Length, k => grownNear[k] = grow(records[nearList[k]], buffer, projections));
                var covered = SpatialJoin.SemiJoin(PolygonIndex.Build(grownNear), [.. doubtful.Select(i => lons[i])], [.. doubtful.Select(i => lats[i])]);
                for (var k = 0; k < doubtful.Count; k++) if (covered[k]) inside += quantities[doubtful[k]];
            }
            result[b] = inside;
        }
        return result;
    }

    /// <summary>The plain method: every record grown by every buffer, every find joined.</summary>
    public static long[] ByBuffering(IReadOnlyList<Geometry> records, double[] lons, double[] lats, int[] quantities,
        IReadOnlyList<double> buffers, LocalProjection projection)
    {
        using var projections = new ThreadLocal<LocalProjection>(() => new LocalProjection(projection.Epsg));
        var result = new long[buffers.Count];
        for (var b = 0; b < buffers.Count; b++)
        {
            var grown = new Geometry[records.Count];
            Parallel.For(0, records.Count, k => grown[k] = Grown(records[k], buffers[b], projections));
            result[b] = Sum(SpatialJoin.SemiJoin(PolygonIndex.Build(grown), lons, lats), quantities);
        }
        return result;
    }

    /// <summary>Beyond this distance from every record a find is outside the records grown by <paramref name="buffer"/>.</summary>
    private static double Reach(double buffer) => OutsideFactor * buffer + Margin;

    /// <summary>A record grown by <paramref name="buffer"/> metres, in WGS84 (polygonal records as recorded when 0).</summary>
    internal static Geometry Grown(Geometry record, double buffer, ThreadLocal<LocalProjection> projections)
    {
        if (!(buffer > 0)) return RecordAccuracy.Buffered(record, 0);
        var local = projections.Value!;
        return local.Unproject(RecordAccuracy.Buffered(local.Project(record), buffer));
    }

    private static Func<double, double, double> DistanceTo(Geometry metric)
    {
        if (metric is IPolygonal)
        {
            var area = new AreaDistance(metric);
            return area.To;
        }
        if (FacetDistance.Measures(metric))
        {
            var facets = new FacetDistance(metric);
            return facets.To;
        }
        return (x, y) => metric.Distance(metric.Factory.CreatePoint(new Coordinate(x, y)));
    }

    private static long Sum(bool[] covered, int[] quantities)
    {
        long sum = 0;
        for (var i = 0; i < covered.Length; i++) if (covered[i]) sum += quantities[i];
        return sum;
    }
}
