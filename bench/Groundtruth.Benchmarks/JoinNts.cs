using System.Diagnostics;
using Groundtruth.Domain;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;
using NetTopologySuite.Index.Strtree;

namespace Groundtruth.Benchmarks;

/// <summary>
/// The straightforward NetTopologySuite path, for orientation: an STRtree of prepared geometries, a
/// <see cref="Point"/> allocated per query, <c>Parallel.For</c> over the points, <c>IPreparedGeometry.Covers</c>.
/// </summary>
internal sealed class JoinNts
{
    private readonly STRtree<IPreparedGeometry> _tree;

    private JoinNts(STRtree<IPreparedGeometry> tree, double buildSeconds)
    {
        _tree = tree;
        BuildSeconds = buildSeconds;
    }

    /// <summary>Seconds to prepare the geometries (and their point locators) and build the tree.</summary>
    public double BuildSeconds { get; }

    public static JoinNts Build(IReadOnlyList<Geometry> polygons)
    {
        var watch = Stopwatch.StartNew();
        var tree = new STRtree<IPreparedGeometry>();
        foreach (var g in polygons)
        {
            var prepared = PreparedGeometryFactory.Prepare(g);
            // The point locator is built lazily on the first query; build it here, not inside the timed join.
            prepared.Covers(g.Factory.CreatePoint(g.Coordinate));
            tree.Insert(g.EnvelopeInternal, prepared);
        }
        tree.Build();
        return new JoinNts(tree, watch.Elapsed.TotalSeconds);
    }

    /// <summary>How many of the points (every <paramref name="stride"/>-th) some polygon covers.</summary>
    public long CountCovered(double[] xs, double[] ys, int stride = 1)
    {
        var n = (xs.Length + stride - 1) / stride;
        long total = 0;
        Parallel.For(0, n, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, () => 0L, (k, _, local) =>
        {
            var i = k * stride;
            var point = SpatialRules.Factory.CreatePoint(new Coordinate(xs[i], ys[i]));
            foreach (var candidate in _tree.Query(point.EnvelopeInternal))
            {
                if (candidate.Covers(point)) return local + 1;
            }
            return local;
        }, local => Interlocked.Add(ref total, local));
        return total;
    }
}
