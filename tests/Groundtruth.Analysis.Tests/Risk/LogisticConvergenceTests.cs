using Groundtruth.Analysis.Risk;

namespace Groundtruth.Analysis.Tests.Risk;

/// <summary>
/// The logistic model's fit reaches the optimum of the penalised log-likelihood: at the coefficients returned the gradient
/// is zero. Seen on demo seed 2 (15 processed cells with finds among 1,241 rows): the full Newton steps circled the optimum
/// for 200 steps and stopped 28 log-likelihood units short of it, so the sign constraints were judged on a fit that was not
/// one. The demo's rows are kept here (they fail without the line search); generated rows with a few nearly separable
/// positives check the same property more widely.
/// </summary>
public sealed class LogisticConvergenceTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void AFewNearlySeparablePositives_TheFitReachesTheOptimum(int seed)
    {
        const int n = 1200, p = 6;
        var random = new Random(seed);
        var x = new double[n * p];
        var y = new bool[n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < p; j++) x[i * p + j] = Gaussian(random);
            // Two correlated layers, as the distances to past finds and to past accidents are.
            x[i * p + 1] = 0.9 * x[i * p] + 0.1 * x[i * p + 1];
        }
        // 15 positives: the rows highest on a mix of the layers, one of them far from the rest.
        var order = Enumerable.Range(0, n).OrderByDescending(i => 2 * x[i * p] - x[i * p + 2] + 0.5 * x[i * p + 3]).ToArray();
        foreach (var i in order.Take(14)) y[i] = true;
        y[order[n / 2]] = true;
        var names = Enumerable.Range(0, p).Select(j => $"layer_{j}").ToArray();

        var model = LogisticModel.Fit(names, x, y, l2: 1.0);

        var gradient = Gradient(model, x, y, p, l2: 1.0);
        gradient.Max(Math.Abs).ShouldBeLessThan(1e-5, string.Join(", ", gradient.Select(g => g.ToString("0.###e+0", System.Globalization.CultureInfo.InvariantCulture))));
    }

    /// <summary>
    /// The training rows of demo seed 2 (made 2026-12-06, split 2025-01-01, 50 m: 15 processed cells with finds, 226
    /// without, 1,000 background; the demo is synthetic and fictional) on which the full Newton steps circled the
    /// optimum: fitted free, and fitted with the layers' signs, every coefficient the fit left free has a zero gradient.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void DemoSeed2TrainingRows_TheFitReachesTheOptimum(bool signed)
    {
        var lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Risk", "Data", "demo-seed2-training-rows.csv"));
        var names = lines[0].Split(',')[..^1];
        var p = names.Length;
        var x = new double[(lines.Length - 1) * p];
        var y = new bool[lines.Length - 1];
        for (var i = 1; i < lines.Length; i++)
        {
            var cells = lines[i].Split(',');
            for (var j = 0; j < p; j++) x[(i - 1) * p + j] = double.Parse(cells[j], System.Globalization.CultureInfo.InvariantCulture);
            y[i - 1] = cells[p] == "1";
        }
        y.Count(v => v).ShouldBe(15);

        var model = LogisticModel.Fit(names, x, y, l2: 1.0, signed ? EvidenceLayers.FeatureSigns : null, bounded: true);

        var gradient = Gradient(model, x, y, p, l2: 1.0);
        // The intercept and every coefficient the fit moved (a held or constant layer's stays exactly 0, its gradient need not).
        var free = gradient.Where((_, k) => k == 0 || (model.Scales[k - 1] > 0 && model.Coefficients[k - 1] != 0)).ToArray();
        free.Length.ShouldBeGreaterThan(2);
        free.Max(Math.Abs).ShouldBeLessThan(1e-5, string.Join(", ", gradient.Select(g => g.ToString("0.###e+0", System.Globalization.CultureInfo.InvariantCulture))));
    }

    /// <summary>The gradient of the penalised log-likelihood in the model's standardised coordinates: intercept first, then each layer.</summary>
    private static double[] Gradient(LogisticModel model, double[] x, bool[] y, int p, double l2)
    {
        var g = new double[p + 1];
        for (var i = 0; i < y.Length; i++)
        {
            var row = x.AsSpan(i * p, p);
            var r = (y[i] ? 1 : 0) - LogisticModel.Sigmoid(model.Logit(row));
            g[0] += r;
            for (var j = 0; j < p; j++) if (model.Scales[j] > 0) g[j + 1] += r * (row[j] - model.Means[j]) / model.Scales[j];
        }
        for (var j = 0; j < p; j++) g[j + 1] -= l2 * model.Coefficients[j];
        return g;
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
