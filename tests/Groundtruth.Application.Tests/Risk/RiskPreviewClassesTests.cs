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
}
