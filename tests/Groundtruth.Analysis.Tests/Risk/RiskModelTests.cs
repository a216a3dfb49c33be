using Groundtruth.Analysis.Records;
using Groundtruth.Analysis.Risk;
using Groundtruth.Domain;

namespace Groundtruth.Analysis.Tests.Risk;

public sealed class RiskModelTests
{
    private static readonly RiskOptions Options = new(CellM: 200, BootstrapSamples: 200, Seed: 7);
    private static readonly DateOnly Split = new(2020, 1, 1);

    [Fact]
    public void LogisticModel_RecoversTheSignOfAKnownEffect()
    {
        var rng = new Random(3);
        var n = 4000;
        var x = new double[n * 2];
        var y = new bool[n];
        for (var i = 0; i < n; i++)
        {
            x[i * 2] = rng.NextDouble() * 4;
            x[i * 2 + 1] = rng.NextDouble();
            y[i] = rng.NextDouble() < LogisticModel.Sigmoid(-1 + 1.5 * x[i * 2]);
        }
        var m = LogisticModel.Fit(["signal", "noise"], x, y, 0.01);
        (m.Coefficients[0] / m.Scales[0]).ShouldBe(1.5, 0.2);
        Math.Abs(m.Coefficients[1]).ShouldBeLessThan(0.15);
    }

    /// <remarks>
    /// On this small synthetic programme the model beats the baseline in the top 1% and 5% of the area
    /// with a five-year window, not at 10% (69.6% against 73.3%): the baseline is strong wherever later
    /// finds lie next to earlier ones. The acceptance's positive control is the demo programme
    /// (Application tests); this one pins what holds here.
    /// </remarks>
    [Fact]
    public void PositiveControl_StructuredContamination_ModelBeatsBaselineInTheTopFivePercent()
    {
        var result = RiskEvaluation.BySplitDate(SyntheticProgramme.Build(11, structured: true), Split, Options with { LabelYears = 5 });
        (result.TestFinds + result.TestAccidents).ShouldBeGreaterThan(50);
        result.Capture["1"]!.Value.ShouldBeGreaterThan(result.BaselineCapture["1"]!.Value, result.Verdict);
        result.Capture["5"]!.Value.ShouldBeGreaterThan(result.BaselineCapture["5"]!.Value, result.Verdict);
    }

    /// <remarks>Also with <c>--distance-cap 2000</c> (issue 16's worlds pass with it; the controls must stay at the baseline).</remarks>
    [Theory]
    [InlineData(21, 0)]
    [InlineData(22, 0)]
    [InlineData(23, 0)]
    [InlineData(21, 2000)]
    [InlineData(22, 2000)]
    [InlineData(23, 2000)]
    public void NegativeControl_ContaminationIndependentOfEveryLayer_ModelDoesNotClaimToBeatTheBaseline(int seed, double distanceCapM)
    {
        var result = RiskEvaluation.BySplitDate(SyntheticProgramme.Build(seed, structured: false), Split, Options with { DistanceCapM = distanceCapM });
        (result.TestFinds + result.TestAccidents).ShouldBeGreaterThan(300);
        var interval = result.CaptureDifferenceInterval["10"]!;
        interval[0].ShouldBeLessThanOrEqualTo(0, result.Verdict);
        result.Verdict.ShouldNotContain("the model captures more");
        // Both rank no better than chance: about 10% of the events in 10% of the area.
        result.Capture["10"]!.Value.ShouldBeInRange(0.04, 0.18);
        result.BaselineCapture["10"]!.Value.ShouldBeInRange(0.04, 0.18);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void NoLeakage_ChangingOrDeletingEventsAfterTheSplit_LeavesEveryTrainingLayerByteIdentical(int origins)
    {
        var data = SyntheticProgramme.Build(11, structured: true);
        var options = Options with { Origins = origins };
        var (before, model) = TrainingBytes(data, options);
        var rng = new Random(5);
        var later = data with
        {
            Finds = [.. data.Finds.Where(f => f.FoundOn.Start < Split || rng.NextDouble() < 0.5)
                .Select(f => f.FoundOn.Start >= Split ? f with { Lon = f.Lon + 0.01, Category = OrdnanceCategory.Uxo } : f)],
            Accidents = [.. data.Accidents.Where(a => a.OccurredOn.Start < Split || rng.NextDouble() < 0.5)
                .Select(a => a.OccurredOn.Start >= Split ? a with { Lat = a.Lat - 0.02 } : a)],
            Processed = [.. data.Processed.Where(p => p.Start!.Value.Start < Split)],
            Releases = [.. data.Releases.Where(r => r.On!.Value.Start < Split)],
        };
        later.Finds.Count.ShouldBeLessThan(data.Finds.Count);
        var (after, model2) = TrainingBytes(later, options);
        after.Length.ShouldBe(before.Length);
        after.SequenceEqual(before).ShouldBeTrue("a training layer changed when only events after the split date did");
        model2.ShouldBe(model);
    }

    private static (byte[] Layers, string Model) TrainingBytes(RiskData data, RiskOptions options)
    {
        var scene = new RiskScene(data, options.CellM);
        var trained = RiskModel.Train(scene, Split, options);
        var atSplit = EvidenceLayers.Build(scene, Split, options);
        return ([.. trained.TrainingLayers.ToBytes(), .. atSplit.ToBytes()],
            string.Join(",", trained.Model.Coefficients.Append(trained.Model.Intercept).Select(c => c.ToString("R", System.Globalization.CultureInfo.InvariantCulture))));
    }

    [Fact]
    public void Map_NeverCallsLandSafe_AndSeparatesNotSurveyedFromNoEvidence()
    {
        var map = RiskModel.Map(SyntheticProgramme.Build(11, structured: true), Split, Options);
        map.Status.ShouldContain(CellStatus.NotSurveyed);
        map.Status.ShouldContain(CellStatus.Released);
        for (var c = 0; c < map.Status.Length; c++)
        {
            if (map.Status[c] == CellStatus.Outside) float.IsNaN(map.Likelihood[c]).ShouldBeTrue();
            else map.Likelihood[c].ShouldBeGreaterThan(0f);
        }
        var top = RiskModel.Top(map, 5);
        top.Count.ShouldBe(5);
        top[0].Contributions.Count.ShouldBe(EvidenceLayers.FeatureNames.Length);
        Enum.GetNames<CellStatus>().ShouldNotContain(n => n.Contains("Safe", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void SpatialBlocks_HoldsOutEveryBlock_AndScoresTheStructuredProgramme()
    {
        var result = RiskEvaluation.BySpatialBlocks(SyntheticProgramme.Build(11, structured: true), 4, new DateOnly(2026, 1, 1), Options);
        result.Method.ShouldBe("spatial_blocks");
        result.Coefficients.Count.ShouldBe(4);
        result.Capture["10"].ShouldNotBeNull();
        result.PrAuc.ShouldNotBeNull();
    }
}
