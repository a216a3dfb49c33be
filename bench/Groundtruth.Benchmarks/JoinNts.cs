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

    /// <summary>How many of the points some polygon covers.</summary>
    public long CountCovered(double[] xs, double[] ys) => CountCovered(xs, ys, 0, xs.Length);

    /// <summary>
    /// The seconds <see cref="CountCovered(double[], double[])"/> would take, from <paramref name="fraction"/> of the
    /// points in 20 evenly spaced blocks (contiguous blocks keep the points' locality, as the full run has it;
    /// every n-th point would not, and overestimates several times).
    /// </summary>
    public double EstimateSeconds(double[] xs, double[] ys, double fraction)
    {
        const int blocks = 20;
        var size = Math.Max(1, (int)(xs.Length * fraction / blocks));
        var watch = Stopwatch.StartNew();
        var done = 0;
        for (var b = 0; b < blocks; b++)
        {
            var from = (int)((long)xs.Length * b / blocks);
            var to = Math.Min(xs.Length, from + size);
            CountCovered(xs, ys, from, to);
            done += to - from;
        }
        return watch.Elapsed.TotalSeconds * xs.Length / Math.Max(done, 1);
    }

    private long CountCovered(double[] xs, double[] ys, int from, int to)
    {
        long total = 0;
        Parallel.For(from, to, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, () => 0L, (i, _, local) =>
        {
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
