namespace Groundtruth.Analysis.Statistics;

/// <summary>
/// Percentile intervals of a ratio Σpart/Σwhole resampled by cluster (record accuracy's intervals: finds and
/// accidents inside one record move together), reproducible from a seed.
/// </summary>
public static class ClusterBootstrap
{
    /// <summary>A resampling unit: a record's (or a lone find's or accident's) counts, part of whole.</summary>
    public readonly record struct Cluster(int Part, int Whole);

    /// <summary>A 95% percentile interval of Σpart/Σwhole over clusters resampled with replacement.</summary>
    /// <remarks>
    /// Counts are whole numbers, so the sums are exact in any order (as they were in doubles). At national scale
    /// this is hundreds of millions of draws (issue 11), each reading a random cluster: the samples are split in
    /// two halves drawn at once, the second half's generator first stepped past the first half's draws, so every
    /// sample is drawn from exactly the numbers it was drawn from one after another, and <paramref name="random"/>
    /// ends where the sequential loop would leave it. The interval depends only on the set of sample values.
    /// </remarks>
    public static double[]? Interval(Cluster[] clusters, int samples, SeededDraws random)
    {
        if (clusters.Length == 0 || clusters.Sum(c => (long)c.Whole) == 0) return null;
        var first = samples / 2;
        double[] values;
        if ((long)samples * clusters.Length < ParallelDraws || first == 0)
            values = Resample(clusters, samples, random);
        else
        {
            var second = random.Clone();
            var halves = new double[2][];
            Parallel.Invoke(
                () => halves[0] = Resample(clusters, first, random),
                () =>
                {
                    second.Skip((long)first * clusters.Length);
                    halves[1] = Resample(clusters, samples - first, second);
                });
            random.CopyFrom(second);
            values = [.. halves[0], .. halves[1]];
        }
        Array.Sort(values);
        var sorted = values.ToList();
        return [Quantile(sorted, 0.025)!.Value, Quantile(sorted, 0.975)!.Value];
    }

    /// <summary>Below this many draws the resampling runs on one thread.</summary>
    private const long ParallelDraws = 20_000_000;

    /// <summary>Σpart/Σwhole of <paramref name="samples"/> resamples (those with a whole above 0), in drawing order.</summary>
    private static double[] Resample(Cluster[] clusters, int samples, SeededDraws random)
    {
        var values = new List<double>(samples);
        for (var s = 0; s < samples; s++)
        {
            long part = 0, whole = 0;
            for (var i = 0; i < clusters.Length; i++)
            {
                var c = clusters[random.Next(clusters.Length)];
                part += c.Part;
                whole += c.Whole;
            }
            if (whole > 0) values.Add((double)part / whole);
        }
        return [.. values];
    }

    /// <summary>The <paramref name="q"/> quantile of sorted values, interpolated linearly; null when there are none.</summary>
    internal static double? Quantile(List<double> sorted, double q)
    {
        if (sorted.Count == 0) return null;
        var pos = q * (sorted.Count - 1);
        var lo = (int)Math.Floor(pos);
        var hi = Math.Min(lo + 1, sorted.Count - 1);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
    }
}

