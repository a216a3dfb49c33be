using Groundtruth.Analysis.Risk;

namespace Groundtruth.Analysis.Tests.Risk;

/// <summary>The logistic model's distance cap chosen on held-out land (docs/decisions/0040-the-distance-cap-chosen-on-held-out-land.md).</summary>
public sealed class DistanceCapChoiceTests
{
    private static readonly RiskOptions Options = new(CellM: 200, BootstrapSamples: 100, Seed: 7);

    /// <summary>
    /// A model fitted on rows with the distances held at the cap reads any value beyond it as the cap — the logistic model
    /// within its training range, the trees past their last threshold — so scoring the layers as they are gives what
    /// scoring them through the cap gives, cell for cell: the map and the evaluation need no capped copy of the layers.
    /// </summary>
    [Fact]
    public void ModelsFittedOnCappedRows_ScoreUncappedLayersAsCappedOnes()
    {
        var map = RiskModel.Map(EffortWorld.Build(5, 30), EffortWorld.Split, Options);
        var trained = map.Trained;
        trained.LogisticDistanceCapM.ShouldBe(RiskModel.DistanceCapCandidateM, trained.Selection.Reason);
        // The trees level off by themselves: left to the data, they are not capped.
        trained.TreesDistanceCapM.ShouldBe(0, trained.Selection.Reason);
        var capped = map.Layers.WithDistanceCap(RiskModel.DistanceCapCandidateM);
        // The capped layers really differ from the layers as they are: the new region lies beyond 2 km of every past event.
        var differing = Enumerable.Range(0, map.Scene.Grid.Count).Count(c => map.Scene.Mask[c] && capped.Feature(0, c) < map.Layers.Feature(0, c));
        differing.ShouldBeGreaterThan(map.Scene.MaskCount / 4);
        // And trees fitted with a cap given (--distance-cap 2000) do the same.
        var treesCapped = RiskModel.Train(map.Scene, EffortWorld.Split, Options with { DistanceCapM = RiskModel.DistanceCapCandidateM }).Challenger!;
        foreach (var model in new IRiskModel[] { trained.Model, treesCapped })
        {
            var asTheyAre = RiskModel.Predict(model, map.Layers, map.Scene.Mask);
            var throughTheCap = RiskModel.Predict(model, capped, map.Scene.Mask);
            for (var c = 0; c < asTheyAre.Length; c++)
                if (map.Scene.Mask[c]) asTheyAre[c].ShouldBe(throughTheCap[c], $"{model.Kind}, cell {c}");
        }
    }

    [Fact]
    public void CapDistances_HoldsOnlyTheDistancesToPastEventsAndFrontLines_AtTheCapsLogDistance()
    {
        var p = EvidenceLayers.FeatureNames.Length;
        var x = new double[2 * p];
        for (var j = 0; j < x.Length; j++) x[j] = 10 + j;
        var capped = RiskModel.CapDistances(x, p, 2000, 250);
        var ceiling = Math.Log(1 + 2000.0 / 250); // ln 9
        for (var i = 0; i < 2; i++)
            for (var j = 0; j < p; j++)
                capped[i * p + j].ShouldBe(EvidenceLayers.CappedFeatures.Contains(j) ? ceiling : x[i * p + j], 1e-6, $"row {i}, {EvidenceLayers.FeatureNames[j]}");
        new[] { "past_finds", "past_accidents", "front_lines" }.ShouldBe(EvidenceLayers.CappedFeatures.Select(j => EvidenceLayers.FeatureNames[j]));
        x[0].ShouldBe(10, "the rows given are not changed");
    }
}
