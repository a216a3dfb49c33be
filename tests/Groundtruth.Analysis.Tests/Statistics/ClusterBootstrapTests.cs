using Groundtruth.Analysis.Statistics;

namespace Groundtruth.Analysis.Tests.Statistics;

/// <summary>
/// <see cref="ClusterBootstrap.Interval"/> splits large resamplings in chunks across threads; the interval and the
/// generator's state afterwards must be exactly those of drawing every sample one after another with a seeded
/// <see cref="Random"/>.
/// </summary>
public sealed class ClusterBootstrapTests
{
    [Theory]
    [InlineData(11, 50, 1000, 4)]          // small: one thread
    [InlineData(12, 30_001, 1000, 4)]      // 3·10⁷ draws: in chunks
    [InlineData(13, 25_000, 999, 4)]       // an odd number of samples
    [InlineData(14, 30_000, 700, 60)]      // more than 256 distinct clusters
    [InlineData(15, 90_000, 230, 2000)]    // more than 65,536 distinct clusters
    public void Interval_EqualsSequentialResamplingWithSystemRandom(int seed, int clusters, int samples, int largestWhole)
    {
        var random = new Random(seed * 31);
        var units = Enumerable.Range(0, clusters).Select(_ =>
        {
            var whole = random.Next(1, largestWhole + 1);
            return new ClusterBootstrap.Cluster(random.Next(0, whole + 1), whole);
        }).ToArray();

        var draws = new SeededDraws(seed);
        var interval = ClusterBootstrap.Interval(units, samples, draws);

        var expected = new Random(seed);
        var values = new List<double>();
        for (var s = 0; s < samples; s++)
        {
            long part = 0, whole = 0;
            for (var i = 0; i < units.Length; i++)
            {
                var c = units[expected.Next(units.Length)];
                part += c.Part;
                whole += c.Whole;
            }
            values.Add((double)part / whole);
        }
        values.Sort();
        interval.ShouldNotBeNull();
        interval[0].ShouldBe(Quantile(values, 0.025));
        interval[1].ShouldBe(Quantile(values, 0.975));
        // The generator continues where the sequential loop would.
        for (var i = 0; i < 100; i++) draws.Next(1000).ShouldBe(expected.Next(1000));
    }

    private static double Quantile(List<double> sorted, double q)
    {
        var pos = q * (sorted.Count - 1);
        var lo = (int)Math.Floor(pos);
        var hi = Math.Min(lo + 1, sorted.Count - 1);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
    }
}
