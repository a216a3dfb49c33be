using Groundtruth.Analysis.Risk;

namespace Groundtruth.Analysis.Tests.Risk;

/// <summary>
/// Beyond <c>maxRows</c> the logistic fit learns from a seeded sample of that many rows (ADR 45), as the trees do: the
/// same rows give the same fit, the fit is the fit of exactly the sampled rows, it reports the rows it was given, and on
/// rows drawn from one logistic model the sample's coefficients lie near the full fit's.
/// </summary>
public sealed class LogisticSampleTests
{
    private static readonly string[] Names = ["a", "b", "c"];
    private static readonly double[] Truth = [1.0, -0.6, 0.0];

    /// <summary>Rows of three standard normal layers whose labels follow <see cref="Truth"/> with intercept −1.</summary>
    private static (double[] X, bool[] Y) Rows(int n, int seed)
    {
        var random = new Random(seed);
        var x = new double[n * 3];
        var y = new bool[n];
        for (var i = 0; i < n; i++)
        {
            var eta = -1.0;
            for (var j = 0; j < 3; j++)
            {
                x[i * 3 + j] = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
                eta += Truth[j] * x[i * 3 + j];
            }
            y[i] = random.NextDouble() < LogisticModel.Sigmoid(eta);
        }
        return (x, y);
    }

    [Fact]
    public void AtOrBelowTheCap_TheFitIsThePlainFit_ToTheLastBit()
    {
        var (x, y) = Rows(3000, 5);
        var plain = LogisticModel.Fit(Names, x, y, 1.0, [1, -1, 0], bounded: true);
        var capped = LogisticModel.Fit(Names, x, y, 1.0, [1, -1, 0], bounded: true, maxRows: 3000);
        capped.Coefficients.ShouldBe(plain.Coefficients);
        capped.Intercept.ShouldBe(plain.Intercept);
        capped.MaxRows.ShouldBe(3000);
    }

    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    public void BeyondTheCap_TheSampleIsSeeded_CountsAreTheRowsGiven_AndTheFitIsNearTheFullOne(int seed)
    {
        var (x, y) = Rows(40_000, seed);
        var full = LogisticModel.Fit(Names, x, y, 1.0);
        var sampled = LogisticModel.Fit(Names, x, y, 1.0, maxRows: 10_000);
        var again = LogisticModel.Fit(Names, x, y, 1.0, maxRows: 10_000);

        again.Coefficients.ShouldBe(sampled.Coefficients);
        again.Intercept.ShouldBe(sampled.Intercept);
        sampled.MaxRows.ShouldBe(10_000);
        sampled.Positives.ShouldBe(y.Count(v => v));
        (sampled.Positives + sampled.Negatives).ShouldBe(40_000);
        // It learnt from fewer rows than it was given: its fit is not the full one's.
        sampled.Coefficients.SequenceEqual(full.Coefficients).ShouldBeFalse();
        // Per standard deviation, 10,000 rows pin each coefficient to within a few hundredths: 0.1 is several errors.
        for (var j = 0; j < Names.Length; j++)
            Math.Abs(sampled.Coefficients[j] - full.Coefficients[j]).ShouldBeLessThan(0.1, Names[j]);
        // And the rows it learnt from are a sample of the rows, not their first 10,000.
        var head = LogisticModel.Fit(Names, x[..30_000], y[..10_000], 1.0);
        sampled.Coefficients.SequenceEqual(head.Coefficients).ShouldBeFalse();
    }

    [Fact]
    public void ASampleMissingALabel_FallsBackToEveryRow()
    {
        // Two positives among 5,000 rows: a sample of 10 rows would hold none, so the fit learns from every row.
        var (x, _) = Rows(5000, 3);
        var y = new bool[5000];
        y[17] = y[4021] = true;
        var plain = LogisticModel.Fit(Names, x, y, 1.0);
        var capped = LogisticModel.Fit(Names, x, y, 1.0, maxRows: 10);
        capped.Coefficients.ShouldBe(plain.Coefficients);
        capped.Positives.ShouldBe(2);
    }
}
