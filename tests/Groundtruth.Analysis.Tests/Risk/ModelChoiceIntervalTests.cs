using Groundtruth.Analysis.Risk;

namespace Groundtruth.Analysis.Tests.Risk;

/// <summary>The interval of the held-out capture's difference (boosted trees − logistic) behind the map's choice, over spatial blocks.</summary>
public sealed class ModelChoiceIntervalTests
{
    [Fact]
    public void BlocksThatAllDifferAlike_GiveADegenerateIntervalAtTheirDifference()
    {
        var blocks = Enumerable.Repeat((Logistic: 5.0, Trees: 8.0, Events: 10), 12).ToList();
        var (low, high) = RiskModel.DifferenceInterval(blocks, seed: 3);
        low.ShouldBe(0.3, 1e-12);
        high.ShouldBe(0.3, 1e-12);
    }

    /// <summary>
    /// Nine blocks where both models hold every event, one where only the logistic model does: a sample's difference is
    /// −k/10 for k draws of that block, k ~ Binomial(10, 0.1), so P(k = 0) = 0.35 puts the upper end at 0 and the
    /// 97.5th percentile of k, 3 (P(k ≤ 2) = 0.930, P(k ≤ 3) = 0.987), puts the lower end near −0.3.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void OneBlockWhereTheLogisticModelWins_TheIntervalReachesZero(int seed)
    {
        var blocks = Enumerable.Repeat((Logistic: 10.0, Trees: 10.0, Events: 10), 9).Append((10.0, 0.0, 10)).ToList();
        var (low, high) = RiskModel.DifferenceInterval(blocks, seed);
        high.ShouldBe(0, 1e-12);
        low.ShouldBeInRange(-0.4, -0.2);
    }

    [Fact]
    public void NoEvents_GiveAZeroInterval()
    {
        RiskModel.DifferenceInterval([], seed: 1).ShouldBe((0.0, 0.0));
    }
}
