using Groundtruth.Analysis.Risk;

namespace Groundtruth.Analysis.Tests.Risk;

/// <summary>The challenger's trees, walked by hand, against ML.NET's own scores; contributions that add up.</summary>
public sealed class BoostedTreesTests
{
    [Fact]
    public void HandWalkedTrees_EqualMlNetsScores_AndContributionsAddUpToTheLogit()
    {
        var rng = new Random(4);
        var names = EvidenceLayers.FeatureNames;
        var p = names.Length;
        var n = 3000;
        var x = new double[n * p];
        var y = new bool[n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < p; j++) x[i * p + j] = j >= 6 ? rng.Next(2) : rng.NextDouble() * 4;
            // The signal: near a front line (feature 3 small) and a hazardous area; the effort layers are noise.
            y[i] = rng.NextDouble() < LogisticModel.Sigmoid(1.5 - 1.2 * x[i * p + 3] + 1.0 * x[i * p + 6]);
        }
        var model = BoostedTreesModel.Fit(names, x, y, 1);
        var reference = model.ReferenceScores(x);
        for (var i = 0; i < n; i++) model.RawScore(x.AsSpan(i * p, p)).ShouldBe(reference[i], 1e-4);

        var scaled = model.Rescaled(-0.3, 0.7);
        var into = new double[p];
        for (var i = 0; i < 200; i++)
        {
            var f = x.AsSpan(i * p, p);
            scaled.Contributions(f, into);
            (scaled.Intercept + into.Sum()).ShouldBe(scaled.Logit(f), 1e-9);
            scaled.Logit(f).ShouldBe(-0.3 + 0.7 * model.RawScore(f), 1e-9);
            foreach (var layer in EvidenceLayers.EffortLayers) into[Array.IndexOf(names, layer)].ShouldBe(0);
        }
        // The signal's layers carry the split gain; the effort layers none.
        model.Weights.Sum().ShouldBe(1, 1e-6);
        (model.Weights[3] + model.Weights[6]).ShouldBeGreaterThan(0.5);
        foreach (var layer in EvidenceLayers.EffortLayers) model.Weights[Array.IndexOf(names, layer)].ShouldBe(0);
    }
}
