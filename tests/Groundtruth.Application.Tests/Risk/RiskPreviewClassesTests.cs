using Groundtruth.Application.Risk;
using Shouldly;

namespace Groundtruth.Application.Tests.Risk;

/// <summary>
/// The preview's ranked classes (top 1%, 5%, 10%, 20%, the other 80%) hold at most their share of the area, counted
/// cell by cell against every other cell; without ties they hold exactly it.
/// </summary>
public sealed class RiskPreviewClassesTests
{
    private static readonly double[] Shares = [0.01, 0.05, 0.10, 0.20];

    /// <summary>The class by brute force: the smallest share whose quota holds every cell scoring at least as high.</summary>
    private static int Expected(float value, float[] all)
    {
        var atLeast = all.Count(v => v >= value);
        for (var k = 0; k < Shares.Length; k++)
            if (atLeast <= (int)Math.Ceiling(Shares[k] * all.Length)) return k;
        return Shares.Length;
    }

    private static int[] Counts(float[] values)
    {
        var bounds = RiskPreview.ClassBounds(values);
        var counts = new int[Shares.Length + 1];
        foreach (var v in values)
        {
            var k = RiskPreview.ClassOf(v, bounds);
            k.ShouldBe(Expected(v, values), $"the class of {v}");
            counts[k]++;
        }
        return counts;
    }

    [Fact]
    public void DistinctScores_FillEachClassToItsShare()
    {
        var random = new Random(11);
        var values = Enumerable.Range(1, 1000).Select(i => (float)i).OrderBy(_ => random.Next()).ToArray();
        Counts(values).ShouldBe([10, 40, 50, 100, 800]);
    }

    [Fact]
    public void MostLandTiedAtOneScore_IsTheOtherEightyPercent_NotTheTopTwenty()
    {
        // 30 cells with their own scores above 970 tied at one plain score (the trees far from every past event).
        var random = new Random(12);
        var values = Enumerable.Range(0, 30).Select(i => 2f + i).Concat(Enumerable.Repeat(0.5f, 970)).OrderBy(_ => random.Next()).ToArray();
        var counts = Counts(values);
        counts.ShouldBe([10, 20, 0, 0, 970]);
    }

    [Fact]
    public void ATieAcrossAClassEdge_FallsToTheClassBelow()
    {
        // 1,000 cells: 5 high, then 10 tied across the top 1%'s edge (cells 6-15), the rest distinct below.
        var values = Enumerable.Range(0, 5).Select(i => 100f + i)
            .Concat(Enumerable.Repeat(50f, 10))
            .Concat(Enumerable.Range(0, 985).Select(i => (float)i / 100))
            .ToArray();
        var counts = Counts(values);
        counts[0].ShouldBe(5, "the five above the tie; the tie would take the top 1% to 15 cells");
        counts.Take(2).Sum().ShouldBe(50);
    }

    /// <summary>The bounds by sorting, as the preview found them before it selected ranks (the value of the first cell beyond each share, ranked from the highest).</summary>
    private static float[] SortedBounds(float[] values)
    {
        var ranked = values.Where(v => !float.IsNaN(v)).ToArray();
        Array.Sort(ranked);
        Array.Reverse(ranked);
        return [.. Shares.Select(share =>
        {
            var quota = (int)Math.Ceiling(share * ranked.Length);
            return quota < ranked.Length ? ranked[quota] : float.NegativeInfinity;
        })];
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 7)]
    [InlineData(3, 1000)]
    [InlineData(4, 100_000)]
    public void EveryRank_IsTheSortedValue_WithTiesNegativesAndZeros(int seed, int n)
    {
        var random = new Random(seed);
        // Scores on a coarse grid (many ties), some negative, zeros of both signs, huge and tiny magnitudes.
        var values = Enumerable.Range(0, n).Select(_ => random.Next(10) switch
        {
            0 => 0f,
            1 => -0f,
            2 => (float)Math.Round(random.NextDouble() * 4, 1) - 1,
            3 => float.Epsilon * random.Next(1, 5),
            4 => -1e30f * (float)random.NextDouble(),
            _ => (float)random.NextDouble(),
        }).ToArray();
        var sorted = values.Order().ToArray();
        int[] ranks = [0, n - 1, n / 2, n / 3, random.Next(n), random.Next(n)];
        var found = RiskPreview.ValuesAtRanks(values, ranks);
        foreach (var rank in ranks) found[rank].ShouldBe(sorted[rank], $"rank {rank} of {n}");
        var withNaN = values.Concat([float.NaN, float.NaN]).ToArray();
        RiskPreview.ClassBounds(withNaN).ShouldBe(SortedBounds(withNaN));
    }

    [Fact]
    public void NoScoredCell_HasNoBound()
    {
        RiskPreview.ClassBounds([float.NaN, float.NaN]).ShouldAllBe(b => float.IsNegativeInfinity(b));
        RiskPreview.ClassBounds([]).ShouldAllBe(b => float.IsNegativeInfinity(b));
    }
}
