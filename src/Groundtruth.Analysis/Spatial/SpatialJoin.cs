using System.Collections.Concurrent;

namespace Groundtruth.Analysis.Spatial;

/// <summary>
/// Point-in-polygon joins over a <see cref="PolygonIndex"/>, parallel over points, with covers
/// semantics (a point on a boundary is inside). Points are given as coordinate arrays so millions of
/// them cost no allocation.
/// </summary>
public static class SpatialJoin
{
    private const int Chunk = 16_384;

    /// <summary>For each point, whether some polygon covers it (semi-join; its negation is the anti-join).</summary>
    public static bool[] SemiJoin(PolygonIndex index, double[] xs, double[] ys)
    {
        Check(xs, ys);
        var result = new bool[xs.Length];
        Parallel.ForEach(Ranges(xs.Length), range =>
        {
            for (var i = range.Item1; i < range.Item2; i++) result[i] = index.CoversAny(xs[i], ys[i]);
        });
        return result;
    }

    /// <summary>How many points some polygon covers.</summary>
    public static long CountCovered(PolygonIndex index, double[] xs, double[] ys)
    {
        Check(xs, ys);
        long total = 0;
        Parallel.ForEach(Ranges(xs.Length), () => 0L, (range, _, local) =>
        {
            for (var i = range.Item1; i < range.Item2; i++) if (index.CoversAny(xs[i], ys[i])) local++;
            return local;
        }, local => Interlocked.Add(ref total, local));
        return total;
    }

    /// <summary>For each point, the covering polygon of lowest rank (see <see cref="PolygonIndex.Build"/>), or -1: one location per record.</summary>
    public static int[] Assign(PolygonIndex index, double[] xs, double[] ys)
    {
        Check(xs, ys);
        var result = new int[xs.Length];
        Parallel.ForEach(Ranges(xs.Length), range =>
        {
            for (var i = range.Item1; i < range.Item2; i++) result[i] = index.Best(xs[i], ys[i]);
        });
        return result;
    }

    /// <summary>
    /// Per polygon, the sum of the weights (1 when none) of the points it covers; a point inside two
    /// overlapping polygons counts for both.
    /// </summary>
    public static long[] SumPerPolygon(PolygonIndex index, double[] xs, double[] ys, int[]? weights = null)
    {
        Check(xs, ys);
        if (weights is not null && weights.Length != xs.Length) throw new ArgumentException("one weight per point is needed", nameof(weights));
        var totals = new long[index.Count];
        Parallel.ForEach(Ranges(xs.Length), () => new long[index.Count], (range, _, local) =>
        {
            var state = (Sums: local, Weight: 0L);
            for (var i = range.Item1; i < range.Item2; i++)
            {
                state.Weight = weights?[i] ?? 1;
                index.ForEachCovering(xs[i], ys[i], ref state, static (ref (long[] Sums, long Weight) s, int p) => s.Sums[p] += s.Weight);
            }
            return local;
        }, local =>
        {
            lock (totals) for (var p = 0; p < totals.Length; p++) totals[p] += local[p];
        });
        return totals;
    }

    /// <summary>Chunks of points for the workers; none for no points.</summary>
    private static OrderablePartitioner<Tuple<int, int>> Ranges(int count) =>
        Partitioner.Create(0, Math.Max(count, 1), Chunk) is var p && count > 0 ? p : Partitioner.Create(Array.Empty<Tuple<int, int>>());

    private static void Check(double[] xs, double[] ys)
    {
        if (xs.Length != ys.Length) throw new ArgumentException("xs and ys must have the same length");
    }
}
