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
}
