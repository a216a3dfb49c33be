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

    /// <summary>The fits turn off FastTree's forced full collections through its private switch; an ML.NET that renames it fails here.</summary>
    [Fact]
    public void FastTreesSwitchForForcedCollections_IsFound()
    {
        var field = BoostedTreesModel.AllowForcedCollections;
        field.ShouldNotBeNull();
        field.Name.ShouldBe("AllowGC");
        field.FieldType.ShouldBe(typeof(bool));
    }
}

/// <summary>Covariate rasters resampled to the risk grid.</summary>
public sealed class CovariateRasterTests
{
    [Fact]
    public void Sample_IsBilinearForContinuous_NearestForCategorical_AndNaNOutsideOrOnNoData()
    {
        // 3 × 2 cells of 1°, west edge 10, north edge 50: cell centres at lon 10.5, 11.5, 12.5 and lat 49.5, 48.5.
        var values = new float[] { 0, 10, 20, 30, 40, -1 };
        var continuous = new CovariateRaster("v", CovariateKind.Continuous, 10, 50, 1, 1, 3, 2, values, -1);
        continuous.Sample(10.5, 49.5).ShouldBe(0f);
        continuous.Sample(11.0, 49.5).ShouldBe(5f, 1e-5);
        continuous.Sample(11.0, 49.0).ShouldBe((0 + 10 + 30 + 40) / 4f, 1e-5);
        // Next to nodata the remaining neighbours are averaged by their weights.
        continuous.Sample(12.0, 49.0).ShouldBe((10 + 20 + 40) / 3f, 1e-5);
        float.IsNaN(continuous.Sample(9.0, 49.5)).ShouldBeTrue();
        continuous.Mean().ShouldBe(20f);
        var categorical = continuous with { Kind = CovariateKind.Categorical };
        categorical.Sample(11.4, 49.1).ShouldBe(10f);
        categorical.Sample(11.6, 48.9).ShouldBe(40f);
        float.IsNaN(categorical.Sample(12.5, 48.5)).ShouldBeTrue();
        categorical.Classes().ShouldBe([0f, 10f, 20f, 30f, 40f]);
    }
}
