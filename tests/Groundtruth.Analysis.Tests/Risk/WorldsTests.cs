using Groundtruth.Analysis.Risk;

namespace Groundtruth.Analysis.Tests.Risk;

/// <summary>
/// Issue 16's worlds (<see cref="EffortWorld"/>): (a) later contamination along an old front line in a region no team
/// had worked; (b) the same with heavy effort in clean land. The challenger (boosted trees) beats the baseline at 10%
/// of the area with an interval that excludes zero; the logistic model does not (yet). The negative controls (<see cref="RiskModelTests"/>, <see cref="SpatialBlocksTests"/>)
/// keep it at the baseline where nothing can be learned.
/// </summary>
public sealed class WorldsTests
{
    private static readonly RiskOptions Options = new(CellM: 200, BootstrapSamples: 100, Seed: 7);

    [Theory]
    [InlineData(5, 30)]
    [InlineData(6, 120)]
    public void FrontLineInAnUnworkedRegion_ModelBeatsTheBaseline_WithAnIntervalExcludingZero(int seed, int effortBoxes)
    {
        var data = EffortWorld.Build(seed, effortBoxes);
        var result = RiskEvaluation.BySplitDate(data, EffortWorld.Split, Options);
        var events = result.TestFinds + result.TestAccidents;
        events.ShouldBeGreaterThan(300);
        // Independently of the risk code: most test finds lie east of the middle, where nothing happened before the split.
        var east = data.Finds.Count(f => f.FoundOn.Start >= EffortWorld.Split && f.Lon > (EffortWorld.West + EffortWorld.East) / 2);
        ((double)east / events).ShouldBeGreaterThan(0.5);

        var summary = $"model {result.Capture["10"]:0.000}, baseline {result.BaselineCapture["10"]:0.000}, trees {result.Challenger!.Capture["10"]:0.000}; {result.Verdict}";
        result.BaselineCapture["10"]!.Value.ShouldBeLessThan(0.5, summary);
        // The boosted trees beat the baseline with an interval excluding zero. The logistic model does NOT on these
        // worlds (it captures none of the eastern finds at 10%: docs/risk.md, "Not done yet") — not asserted.
        result.Challenger.CaptureDifferenceInterval["10"]![0].ShouldBeGreaterThan(0, summary);
        result.Challenger.Verdict.ShouldContain("the model captures more", customMessage: summary);
        // The challenger was scored on the same split, beside the same baseline.
        result.Challenger.BaselineCapture["10"].ShouldBe(result.BaselineCapture["10"]);
        result.Challenger.Coefficients[0].Sum(c => c.Coefficient).ShouldBe(1, 1e-6);
    }

    /// <summary>(c): the minefields lie along ridges only a covariate raster marks; the front lines carry nothing.</summary>
    [Fact]
    public void CovariateRasterCarryingTheSignal_ModelBeatsTheBaseline_WithAnIntervalExcludingZero()
    {
        var data = EffortWorld.Build(5, covariateSignal: true);
        data.Covariates.Count.ShouldBe(1);
        var result = RiskEvaluation.BySplitDate(data, EffortWorld.Split, Options);
        (result.TestFinds + result.TestAccidents).ShouldBeGreaterThan(300);
        var summary = $"model {result.Capture["10"]:0.000}, baseline {result.BaselineCapture["10"]:0.000}, trees {result.Challenger!.Capture["10"]:0.000}; {result.Verdict}; coefficients {string.Join(", ", result.Coefficients[0].Select(c => $"{c.Feature} {c.Coefficient:0.00}"))}";
        result.Coefficients[0].Select(c => c.Feature).ShouldContain("trenches");
        result.BaselineCapture["10"]!.Value.ShouldBeLessThan(0.5, summary);
        // The boosted trees beat the baseline with an interval excluding zero, and split on the covariate.
        result.Challenger.CaptureDifferenceInterval["10"]![0].ShouldBeGreaterThan(0, summary);
        result.Challenger.Coefficients[0].Single(c => c.Feature == "trenches").Coefficient.ShouldBeGreaterThan(0, summary);
        // The logistic model learns the covariate's sign but does not beat the baseline here (not asserted: the
        // distances to past events, which the new region lacks, outweigh it; docs/risk.md, "Not done yet").
        result.Coefficients[0].Single(c => c.Feature == "trenches").Coefficient.ShouldBeGreaterThan(0, summary);
    }
}
