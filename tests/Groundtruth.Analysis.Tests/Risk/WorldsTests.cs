using Groundtruth.Analysis.Risk;

namespace Groundtruth.Analysis.Tests.Risk;

/// <summary>
/// Issue 16's worlds (<see cref="EffortWorld"/>): (a) later contamination along an old front line in a region no team
/// had worked; (b) the same with heavy effort in clean land; (c) a covariate raster carrying the signal. Under the
/// defaults the model the map uses (chosen on land held out before the split) beats the baseline at 10% of the area with
/// an interval that excludes zero, and so does the challenger (boosted trees); the logistic model does because its
/// distances saturate at 2 km (<see cref="WithoutSaturation_TheLogisticModelCapturesNoneOfTheNewRegion_ItsSaturationIsTheDistanceCap"/>).
/// The negative controls (<see cref="RiskModelTests"/>, <see cref="SpatialBlocksTests"/>) keep it at the baseline where
/// nothing can be learned.
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
        // The boosted trees beat the baseline with an interval excluding zero.
        result.Challenger.CaptureDifferenceInterval["10"]![0].ShouldBeGreaterThan(0, summary);
        result.Challenger.Verdict.ShouldContain("the model captures more", customMessage: summary);
        // The challenger was scored on the same split, beside the same baseline.
        result.Challenger.BaselineCapture["10"].ShouldBe(result.BaselineCapture["10"]);
        result.Challenger.Coefficients[0].Sum(c => c.Coefficient).ShouldBe(1, 1e-6);
        MapModelBeatsTheBaseline(result, summary);
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
        // The logistic model learns the covariate's sign too.
        result.Coefficients[0].Single(c => c.Feature == "trenches").Coefficient.ShouldBeGreaterThan(0, summary);
        MapModelBeatsTheBaseline(result, summary);
    }

    /// <summary>The model the map would use, chosen on land held out before the split, beats the baseline at 10% with an interval excluding zero.</summary>
    private static void MapModelBeatsTheBaseline(RiskEvaluationResult result, string summary)
    {
        var map = result.MapModelResult;
        summary += $"; map's model {map.Capture["10"]:0.000} [{map.CaptureDifferenceInterval["10"]![0]:0.000}, {map.CaptureDifferenceInterval["10"]![1]:0.000}]";
        MapModelIsChosenOnHeldOutLand(result, summary);
        map.CaptureDifferenceInterval["10"]![0].ShouldBeGreaterThan(0, summary);
        map.Verdict.ShouldContain("the model captures more", customMessage: summary);
    }

    /// <summary>
    /// Worlds (a) and (c) with three of the 24 eastern minefields worked in 2018–2019: the training windows now hold finds
    /// in a region nobody had worked before, so the choice on held-out land sees which model ranks such land, and the
    /// model the map would use beats the baseline with an interval excluding zero (measured 2026-12-05: the trees chosen,
    /// held-out 97.4% against the logistic 96.7% in (a), 98.0% against 95.4% in (c); at the split 87.9% and 86.3% against
    /// the baseline's 18.9% and 17.3%, lower ends +48.2 and +31.3 points; the logistic model beats it too there).
    /// </summary>
    [Theory]
    [InlineData(5, false)]
    [InlineData(5, true)]
    public void NewRegionAlreadyReachedBeforeTheSplit_TheMapModelBeatsTheBaseline_WithAnIntervalExcludingZero(int seed, bool covariate)
    {
        var data = EffortWorld.Build(seed, 30, covariateSignal: covariate, reachedEarly: 3);
        var result = RiskEvaluation.BySplitDate(data, EffortWorld.Split, Options);
        var map = result.MapModelResult;
        var summary = $"map {result.MapModel!.Reason}; its capture {map.Capture["10"]:0.000} [{map.CaptureDifferenceInterval["10"]![0]:0.000}, {map.CaptureDifferenceInterval["10"]![1]:0.000}], baseline {map.BaselineCapture["10"]:0.000}; logistic {result.Capture["10"]:0.000}, trees {result.Challenger!.Capture["10"]:0.000}";
        MapModelIsChosenOnHeldOutLand(result, summary);
        map.CaptureDifferenceInterval["10"]![0].ShouldBeGreaterThan(0, summary);
        map.Verdict.ShouldContain("the model captures more", customMessage: summary);
    }

    /// <summary>
    /// The model the map would use at the split is chosen on the training windows only, on land held out by spatial fold
    /// (RiskModel.Choose), and named with both held-out captures; the winner holds more (the logistic model on a tie).
    /// </summary>
    private static void MapModelIsChosenOnHeldOutLand(RiskEvaluationResult result, string summary)
    {
        var choice = result.MapModel!;
        summary += $"; map: {choice.Reason}";
        choice.Reason.ShouldContain("held out by spatial fold", customMessage: summary);
        choice.Events.ShouldBeGreaterThan(0, summary);
        var won = choice.Chosen == "boosted_trees"
            ? choice.BoostedTreesCapture!.Value > choice.LogisticCapture!.Value
            : choice.LogisticCapture!.Value >= choice.BoostedTreesCapture!.Value;
        won.ShouldBeTrue(summary);
        result.MapModelResult.ShouldBe(choice.Chosen == "boosted_trees" ? result.Challenger : result);
    }

    /// <summary>
    /// Why the logistic model's distances saturate. Read as ln(1 + d / 250 m) without bound (<c>--distance-cap none</c>),
    /// a region nobody worked — 10 to 15 km from every past event — is pushed down by about 4 units of log distance per
    /// layer, more than nearness to a front line or a covariate can lift it: the logistic model captures almost none of
    /// the later finds at 10%. Read at most at 2 km (the default: twice the density kernel's bandwidth) it beats the
    /// baseline with an interval excluding zero in all three worlds. The ceiling inside the model is the same as holding
    /// the layers themselves at 2 km (<c>--distance-cap 2000</c>): the logistic model's figures are identical, and the
    /// baseline, never capped, is the same in all three runs.
    /// </summary>
    [Theory]
    [InlineData("a")]
    [InlineData("b")]
    [InlineData("c")]
    public void WithoutSaturation_TheLogisticModelCapturesNoneOfTheNewRegion_ItsSaturationIsTheDistanceCap(string world)
    {
        var data = world switch
        {
            "a" => EffortWorld.Build(5, 30),
            "b" => EffortWorld.Build(6, 120),
            _ => EffortWorld.Build(5, covariateSignal: true),
        };
        var saturated = RiskEvaluation.BySplitDate(data, EffortWorld.Split, Options);
        var unbounded = RiskEvaluation.BySplitDate(data, EffortWorld.Split, Options with { SaturateLogisticDistances = false });
        var capped = RiskEvaluation.BySplitDate(data, EffortWorld.Split, Options with { DistanceCapM = 2 * Options.BandwidthM });
        var summary = $"world {world}: unbounded {unbounded.Capture["10"]:0.000}, saturated {saturated.Capture["10"]:0.000} [{saturated.CaptureDifferenceInterval["10"]![0]:0.000}, {saturated.CaptureDifferenceInterval["10"]![1]:0.000}], capped {capped.Capture["10"]:0.000}, baseline {saturated.BaselineCapture["10"]:0.000}";
        unbounded.BaselineCapture["10"].ShouldBe(saturated.BaselineCapture["10"], summary);
        capped.BaselineCapture["10"].ShouldBe(saturated.BaselineCapture["10"], summary);
        unbounded.Capture["10"]!.Value.ShouldBeLessThan(0.1, summary);
        saturated.CaptureDifferenceInterval["10"]![0].ShouldBeGreaterThan(0, summary);
        saturated.Verdict.ShouldContain("the model captures more", customMessage: summary);
        // The same rows read at most at 2 km, whether the model or the layers hold them: the same logistic model.
        capped.Capture["10"].ShouldBe(saturated.Capture["10"], summary);
        capped.CaptureDifferenceInterval["10"].ShouldBe(saturated.CaptureDifferenceInterval["10"], summary);
        capped.Coefficients[0].Select(c => c.Coefficient).ShouldBe(saturated.Coefficients[0].Select(c => c.Coefficient), summary);
    }
}
