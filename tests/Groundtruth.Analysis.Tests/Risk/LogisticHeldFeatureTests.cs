using Groundtruth.Analysis.Risk;

namespace Groundtruth.Analysis.Tests.Risk;

/// <summary>
/// A feature held at 0 (its coefficient took the forbidden sign) or constant among the rows is left out of the fit
/// (issue 11: most refits hold a feature or more). The other coefficients must be those of a model fitted without that
/// feature at all, and its own coefficient 0: to the last bit for a constant feature (both fits start from the prior), to
/// within 1e-10 for a held one (its refit starts from the fit before it, issue 16, and Newton's method stops at the same
/// optimum from another side).
/// </summary>
public sealed class LogisticHeldFeatureTests
{
    private static (double[] X, bool[] Y) Rows(int seed, int n, Func<Random, int, double>[] features, Func<double[], double> logit)
    {
        var rng = new Random(seed);
        var p = features.Length;
        var x = new double[n * p];
        var y = new bool[n];
        for (var i = 0; i < n; i++)
        {
            var row = new double[p];
            for (var j = 0; j < p; j++) x[i * p + j] = row[j] = features[j](rng, i);
            y[i] = rng.NextDouble() < LogisticModel.Sigmoid(logit(row));
        }
        return (x, y);
    }

    /// <summary>The rows without column <paramref name="drop"/>.</summary>
    private static double[] Without(double[] x, int p, int drop) =>
        [.. x.Where((_, k) => k % p != drop)];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void AHeldFeature_LeavesTheOthersAsAFitWithoutIt(int seed)
    {
        // "wrong" raises the odds but may only lower them (sign −1): it is held at 0 and the rest refitted.
        string[] names = ["a", "wrong", "b", "c"];
        var (x, y) = Rows(seed, 3000,
            [(r, _) => r.NextDouble() * 3, (r, _) => r.NextDouble(), (r, _) => r.NextDouble() * 10, (r, _) => r.NextDouble() < 0.3 ? 1 : 0],
            v => -2 + 0.8 * v[0] + 3 * v[1] - 0.1 * v[2] + 0.5 * v[3]);
        var held = LogisticModel.Fit(names, x, y, 1, [0, -1, 0, 0], bounded: true);
        var without = LogisticModel.Fit(["a", "b", "c"], Without(x, 4, 1), y, 1, [0, 0, 0], bounded: true);

        held.Coefficients[1].ShouldBe(0);
        held.Intercept.ShouldBe(without.Intercept, 1e-10);
        new[] { held.Coefficients[0], held.Coefficients[2], held.Coefficients[3] }.ShouldBe(without.Coefficients.ToArray(), 1e-10);
        // A warm start that changed the answer would show here: the refit is not merely close to where it started.
        Math.Abs(held.Coefficients[0]).ShouldBeGreaterThan(1e-3);
        // The held feature still reports its training mean and scale (the contributions table reads them).
        held.Scales[1].ShouldBeGreaterThan(0);
    }

    [Fact]
    public void AConstantFeature_LeavesTheOthersAsAFitWithoutIt()
    {
        string[] names = ["a", "flat", "b"];
        var (x, y) = Rows(9, 2000, [(r, _) => r.NextDouble() * 2, (_, _) => 7, (r, i) => i % 5], v => -1 + v[0] - 0.3 * v[2]);
        var withFlat = LogisticModel.Fit(names, x, y, 1);
        var without = LogisticModel.Fit(["a", "b"], Without(x, 3, 1), y, 1);

        withFlat.Coefficients[1].ShouldBe(0);
        withFlat.Scales[1].ShouldBe(0);
        withFlat.Intercept.ShouldBe(without.Intercept);
        new[] { withFlat.Coefficients[0], withFlat.Coefficients[2] }.ShouldBe(without.Coefficients.ToArray());
    }
}
