namespace Groundtruth.Analysis.Risk;

/// <summary>The training rows a model of at most so many rows learns from (the boosted trees, and the logistic model at national scale, ADR 45).</summary>
internal static class RowSample
{
    /// <summary>
    /// Every row's index when there are at most <paramref name="maxRows"/>; otherwise the first <paramref name="maxRows"/> of a
    /// seeded partial Fisher–Yates shuffle, in row order; every row again when that sample holds only one label of <paramref name="y"/>.
    /// </summary>
    public static int[] Take(bool[] y, int maxRows, int seed)
    {
        var n = y.Length;
        var take = Enumerable.Range(0, n).ToArray();
        if (n <= maxRows) return take;
        var random = new Random(seed);
        for (var i = 0; i < maxRows; i++) { var j = i + random.Next(n - i); (take[i], take[j]) = (take[j], take[i]); }
        var sample = take[..maxRows];
        Array.Sort(sample);
        return sample.All(i => y[i]) || !sample.Any(i => y[i]) ? [.. Enumerable.Range(0, n)] : sample;
    }
}
