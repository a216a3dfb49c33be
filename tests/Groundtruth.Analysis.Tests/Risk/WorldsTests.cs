using Groundtruth.Analysis.Risk;

namespace Groundtruth.Analysis.Tests.Risk;

/// <summary>
/// Issue 16's worlds (<see cref="EffortWorld"/>): (a) later contamination along an old front line in a region no team
/// had worked; (b) the same with heavy effort in clean land; (c) a covariate raster carrying the signal. The challenger
/// (boosted trees) beats the baseline at 10% of the area with an interval that excludes zero; the logistic model only
/// with a distance cap; the map's model does by default (the logistic model's cap chosen on held-out land, ADR 40) and when the
/// training windows already hold work in the new region. The negative controls (<see cref="RiskModelTests"/>, <see cref="SpatialBlocksTests"/>)
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
        // The boosted trees beat the baseline with an interval excluding zero. The logistic model does only with its
        // distance cap (without, it captures none of the eastern finds at 10%: ByDefault_… below).
        result.Challenger.CaptureDifferenceInterval["10"]![0].ShouldBeGreaterThan(0, summary);
        result.Challenger.Verdict.ShouldContain("the model captures more", customMessage: summary);
        // The challenger was scored on the same split, beside the same baseline.
        result.Challenger.BaselineCapture["10"].ShouldBe(result.BaselineCapture["10"]);
        result.Challenger.Coefficients[0].Sum(c => c.Coefficient).ShouldBe(1, 1e-6);
        MapModelIsChosenOnHeldOutLand(result, summary);
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
        MapModelIsChosenOnHeldOutLand(result, summary);
        // The logistic model learns the covariate's sign (without a distance cap it does not beat the baseline here: the
        // distances to past events, which the new region lacks, outweigh it; ByDefault_… below).
        result.Coefficients[0].Single(c => c.Feature == "trenches").Coefficient.ShouldBeGreaterThan(0, summary);
    }

    /// <summary>
    /// Worlds (a) and (c) with three of the 24 eastern minefields worked in 2018–2019: the training windows now hold finds
    /// in a region nobody had worked before, so the choice on held-out land sees which model ranks such land, and the
    /// model the map would use beats the baseline with an interval excluding zero (measured 2026-12-05, before ADR 44: the trees chosen,
    /// held-out 98.0% against the logistic 95.4% in (a), 97.4% against 96.7% in (c); at the split 86.3% and 87.9% against
    /// the baseline's 17.3% and 18.9%, lower ends +31.3 and +48.2 points; the logistic model beats it too there — (a) and
    /// (c) had been swapped here before, re-measured 2026-12-05 14:10 UTC).
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
        result.MapModel.FarEvents!.Value.ShouldBeGreaterThan(0, "the minefields reached early lie far from every earlier find: " + summary);
        map.CaptureDifferenceInterval["10"]![0].ShouldBeGreaterThan(0, summary);
        map.Verdict.ShouldContain("the model captures more", customMessage: summary);
    }

    /// <summary>
    /// The model the map would use at the split is chosen on the training windows only, on land held out by spatial fold
    /// (RiskModel.Choose), and named with both held-out captures; the winner holds more (the logistic model on a tie).
    /// In these worlds the held-out land before the split cannot tell the models apart — every earlier find lies along the
    /// worked western line, and both hold 95–100% of them; without a cap the logistic model would map and capture none
    /// of the new region's finds at the split, which is why its cap is kept unless it costs on land beyond the cap (ADR 40).
    /// </summary>
    private static void MapModelIsChosenOnHeldOutLand(RiskEvaluationResult result, string summary)
    {
        var choice = result.MapModel!;
        summary += $"; map: {choice.Reason}";
        choice.Reason.ShouldContain("held out by spatial fold", customMessage: summary);
        choice.Events.ShouldBeGreaterThan(0, summary);
        // The far events (more than 2 km from every earlier find and accident) decide unless the models hold as many of them;
        // then all the held-out events do (ADR 44). Without a cap every earlier find of worlds (a)–(c) lies along the worked
        // line, so none is held out; with the region reached early some are; with a cap at 2 km the rows cannot tell.
        if (choice.DecidedOnFar) choice.FarLogisticCapture!.Value.ShouldNotBe(choice.FarBoostedTreesCapture!.Value, summary);
        else if (choice.FarEvents > 0) choice.FarLogisticCapture!.Value.ShouldBe(choice.FarBoostedTreesCapture!.Value, summary);
        var (logistic, trees) = choice.DecidedOnFar
            ? (choice.FarLogisticCapture!.Value, choice.FarBoostedTreesCapture!.Value)
            : (choice.LogisticCapture!.Value, choice.BoostedTreesCapture!.Value);
        (choice.Chosen == "boosted_trees" ? trees > logistic : logistic >= trees).ShouldBeTrue(summary);
        // The interval of the deciding difference over spatial blocks is reported beside the choice and holds the difference itself.
        var interval = choice.DifferenceInterval!;
        var difference = trees - logistic;
        difference.ShouldBeInRange(interval[0] - 1e-12, interval[1] + 1e-12, summary);
        choice.Reason.ShouldContain("95% interval", customMessage: summary);
        result.MapModelResult.ShouldBe(choice.Chosen == "boosted_trees" ? result.Challenger : result);
    }

    /// <summary>World (a), (b) or (c) of the class's summary, as the tests by default and with a cap build it.</summary>
    private static RiskData World(string world) => world switch
    {
        "a" => EffortWorld.Build(5, 30),
        "b" => EffortWorld.Build(6, 120),
        _ => EffortWorld.Build(5, covariateSignal: true),
    };

    /// <summary>
    /// Issue 16's test, by default: in each world the model the map would use at the split — chosen on land held out
    /// before it, with the logistic model's distance cap chosen there too (none or 2 km; ADR 40) — beats the baseline at 10% of
    /// the area with an interval excluding zero. Distances enter as ln(1 + d / 250 m), unbounded, so without a cap the
    /// logistic model pushes a region nobody worked — 10 to 15 km from every past event — down by about 4 units of log
    /// distance per layer and captures none of its later finds at 10% (asserted with <c>--distance-cap 0</c>); held out by
    /// fold, that cost cannot show (the logistic model holds 100% there either way), so it keeps the cap unless it holds
    /// more without it of the held-out events beyond the cap from every earlier one — none here. Measured 2026-12-05: (a) logistic with the cap, 32.9% against the
    /// baseline's 0%, lower end +20.6 points; (b) the trees, 36.2%, +6.8; (c) logistic with the cap, 39.6%, +15.3.
    /// </summary>
    [Theory]
    [InlineData("a")]
    [InlineData("b")]
    [InlineData("c")]
    public void ByDefault_TheMapModelBeatsTheBaseline_WithAnIntervalExcludingZero(string world)
    {
        var data = World(world);
        var uncapped = RiskEvaluation.BySplitDate(data, EffortWorld.Split, Options with { DistanceCapM = 0 });
        var byDefault = RiskEvaluation.BySplitDate(data, EffortWorld.Split, Options);
        var map = byDefault.MapModelResult;
        var summary = $"world {world}: with no cap {uncapped.Capture["10"]:0.000}; by default logistic {byDefault.Capture["10"]:0.000}, trees {byDefault.Challenger!.Capture["10"]:0.000}, the map's [{map.CaptureDifferenceInterval["10"]![0]:0.000}, {map.CaptureDifferenceInterval["10"]![1]:0.000}], baseline {byDefault.BaselineCapture["10"]:0.000}; map {byDefault.MapModel!.Reason}";
        // The baseline is never capped: it is the same in both runs.
        byDefault.BaselineCapture["10"].ShouldBe(uncapped.BaselineCapture["10"], summary);
        uncapped.Capture["10"]!.Value.ShouldBeLessThan(0.1, summary);
        byDefault.MapModel.Reason.ShouldContain("chosen on the same held-out land", customMessage: summary);
        // The map's own model, chosen on land held out before the split, beats the baseline.
        MapModelIsChosenOnHeldOutLand(byDefault, summary);
        byDefault.MapModel!.FarEvents.ShouldBe(0, "every earlier find lies along the worked line: " + summary);
        map.CaptureDifferenceInterval["10"]![0].ShouldBeGreaterThan(0, summary);
        map.Verdict.ShouldContain("the model captures more", customMessage: summary);
    }

    /// <summary>
    /// <c>--distance-cap 2000</c> given: both models hold the distances at 2 km and the same model beats the baseline with
    /// an interval excluding zero in all three worlds, the map's model too (measured 2026-12-05: 32.9%, 29.6% and 39.6%
    /// for the logistic model against the baseline's 0%, lower ends +20.6, +19.3 and +15.3 points).
    /// </summary>
    [Theory]
    [InlineData("a")]
    [InlineData("b")]
    [InlineData("c")]
    public void WithADistanceCap_TheLogisticModelBeatsTheBaseline_WithAnIntervalExcludingZero(string world)
    {
        var data = World(world);
        var capped = RiskEvaluation.BySplitDate(data, EffortWorld.Split, Options with { DistanceCapM = 2000 });
        var summary = $"world {world}: capped {capped.Capture["10"]:0.000} [{capped.CaptureDifferenceInterval["10"]![0]:0.000}, {capped.CaptureDifferenceInterval["10"]![1]:0.000}], baseline {capped.BaselineCapture["10"]:0.000}; map {capped.MapModel!.Reason}";
        capped.CaptureDifferenceInterval["10"]![0].ShouldBeGreaterThan(0, summary);
        capped.Verdict.ShouldContain("the model captures more", customMessage: summary);
        // A cap given is not chosen: the reason does not say it was.
        capped.MapModel.Reason.ShouldNotContain("chosen on the same held-out land", customMessage: summary);
        MapModelIsChosenOnHeldOutLand(capped, summary);
        capped.MapModel!.FarEvents.ShouldBeNull("with every distance held at 2 km the rows cannot tell far events: " + summary);
        capped.MapModelResult.CaptureDifferenceInterval["10"]![0].ShouldBeGreaterThan(0, summary);
        capped.MapModelResult.Verdict.ShouldContain("the model captures more", customMessage: summary);
    }
}
