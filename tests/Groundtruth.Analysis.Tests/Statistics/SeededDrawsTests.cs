using Groundtruth.Analysis.Statistics;

namespace Groundtruth.Analysis.Tests.Statistics;

public sealed class SeededDrawsTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(0)]
    [InlineData(-42)]
    [InlineData(int.MaxValue)]
    [InlineData(int.MinValue)]
    public void EveryDraw_EqualsSeededSystemRandom(int seed)
    {
        var expected = new Random(seed);
        var draws = new SeededDraws(seed);
        int[] bounds = [1, 2, 3, 10, 1_000, 15_000, 999_983, int.MaxValue];
        for (var i = 0; i < 300_000; i++)
        {
            var bound = bounds[i % bounds.Length];
            draws.Next(bound).ShouldBe(expected.Next(bound), $"draw {i}, bound {bound}");
        }
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(7, 1)]
    [InlineData(3, 54)]
    [InlineData(3, 55)]
    [InlineData(-42, 123_457)]
    [InlineData(5, 50_000)]          // the shortest jump
    [InlineData(2024, 3_000_017)]    // a long jump
    [InlineData(int.MaxValue, 200_000)] // a seed whose values leave [0, 2³¹−1): stepped
    [InlineData(int.MinValue, 200_000)]
    public void SkipAndClone_DrawWhatTheSequenceWouldDrawNext(int seed, int skipped)
    {
        var expected = new Random(seed);
        for (var i = 0; i < skipped; i++) expected.Next(1000);
        var draws = new SeededDraws(seed);
        var copy = draws.Clone();
        draws.Skip(skipped);
        var resumed = new SeededDraws(99);
        resumed.CopyFrom(draws);
        for (var i = 0; i < 10_000; i++)
        {
            var want = expected.Next(999_983);
            draws.Next(999_983).ShouldBe(want, $"draw {i} after {skipped}");
        }
        // The clone taken before the skip starts from the beginning; the copy continues from the skip.
        var fresh = new Random(seed);
        for (var i = 0; i < 1000; i++) copy.Next(77).ShouldBe(fresh.Next(77));
        var again = new Random(seed);
        for (var i = 0; i < skipped; i++) again.Next(5);
        for (var i = 0; i < 1000; i++) resumed.Next(31).ShouldBe(again.Next(31));
    }

    [Theory]
    [InlineData(3)]
    [InlineData(161_803_398)]
    public void Jumps_FromAnyPointOfTheSequence_AndFill_DrawWhatTheSequenceWouldDraw(int seed)
    {
        var expected = new Random(seed);
        var draws = new SeededDraws(seed);
        var filled = new int[5000];
        foreach (var (skip, drawn) in new[] { (60_001L, 17), (55_055L, 1), (1_000_003L, 1000), (50_000L, 54), (7L, 3), (0L, 64), (1L, 65), (0L, 4096), (3L, 4099), (0L, 63) })
        {
            draws.Skip(skip);
            for (var i = 0; i < skip; i++) expected.Next(2);
            draws.Fill(filled.AsSpan(0, drawn), 15_000);
            for (var i = 0; i < drawn; i++) filled[i].ShouldBe(expected.Next(15_000), $"draw {i} after a jump of {skip}");
        }
    }
}
