using System.Numerics;

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
    /// this is hundreds of millions of draws (issue 11), each reading a random cluster. The samples are split in
    /// chunks drawn at once, each chunk's generator jumped past the earlier chunks' draws, so every sample is drawn
    /// from exactly the numbers it was drawn from one after another, and <paramref name="random"/> ends where the
    /// sequential loop would leave it. The interval depends only on the set of sample values. The clusters are read
    /// through a small code per cluster (its distinct (part, whole) pair): the random reads stay in the processor's
    /// cache where the clusters themselves would not.
    /// </remarks>
    public static double[]? Interval(Cluster[] clusters, int samples, SeededDraws random)
    {
        if (clusters.Length == 0 || clusters.Sum(c => (long)c.Whole) == 0) return null;
        var distinct = new Dictionary<Cluster, int>();
        var pairs = new List<Cluster>();
        var codes = new int[clusters.Length];
        for (var i = 0; i < clusters.Length; i++)
        {
            if (!distinct.TryGetValue(clusters[i], out var code))
            {
                code = distinct[clusters[i]] = pairs.Count;
                pairs.Add(clusters[i]);
            }
            codes[i] = code;
        }
        var table = new Table([.. pairs.Select(p => (long)p.Part)], [.. pairs.Select(p => (long)p.Whole)]);
        double[] values = pairs.Count <= byte.MaxValue + 1 ? Draw([.. codes.Select(c => (byte)c)], table, samples, random)
            : pairs.Count <= ushort.MaxValue + 1 ? Draw([.. codes.Select(c => (ushort)c)], table, samples, random)
            : Draw(codes, table, samples, random);
        Array.Sort(values);
        var sorted = values.ToList();
        return [Quantile(sorted, 0.025)!.Value, Quantile(sorted, 0.975)!.Value];
    }

    /// <summary>Below this many draws the resampling runs on one thread.</summary>
    private const long ParallelDraws = 20_000_000;

    /// <summary>The distinct clusters' parts and wholes, by code.</summary>
    private sealed record Table(long[] Parts, long[] Wholes);

    /// <summary>Every sample's Σpart/Σwhole (those with a whole above 0), chunk after chunk in drawing order; <paramref name="random"/> left after the last draw.</summary>
    private static double[] Draw<TCode>(TCode[] codes, Table table, int samples, SeededDraws random) where TCode : unmanaged, IBinaryInteger<TCode>
    {
        var chunks = (long)samples * codes.Length < ParallelDraws ? 1 : Math.Min(samples, 4 * Environment.ProcessorCount);
        var results = new double[chunks][];
        var generators = new SeededDraws[chunks];
        var starts = new int[chunks + 1];
        for (var c = 0; c <= chunks; c++) starts[c] = (int)((long)samples * c / chunks);
        generators[0] = random;
        for (var c = 1; c < chunks; c++)
        {
            generators[c] = random.Clone();
            generators[c].Skip((long)starts[c] * codes.Length);
        }
        if (chunks == 1) results[0] = Resample(codes, table, samples, random);
        else
        {
            Parallel.For(0, chunks, c => results[c] = Resample(codes, table, starts[c + 1] - starts[c], generators[c]));
            random.Skip(((long)samples - starts[1]) * codes.Length);
        }
        return [.. results.SelectMany(r => r)];
    }

    /// <summary>Σpart/Σwhole of <paramref name="samples"/> resamples (those with a whole above 0), in drawing order.</summary>
    private static double[] Resample<TCode>(TCode[] codes, Table table, int samples, SeededDraws random) where TCode : unmanaged, IBinaryInteger<TCode>
    {
        var values = new List<double>(samples);
        var (parts, wholes) = (table.Parts, table.Wholes);
        Span<int> draws = new int[Math.Min(codes.Length, 4096)];
        for (var s = 0; s < samples; s++)
        {
            long part = 0, whole = 0;
            for (var done = 0; done < codes.Length; done += draws.Length)
            {
                var batch = draws[..Math.Min(draws.Length, codes.Length - done)];
                random.Fill(batch, codes.Length);
                foreach (var d in batch)
                {
                    var code = int.CreateTruncating(codes[d]);
                    part += parts[code];
                    whole += wholes[code];
                }
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

