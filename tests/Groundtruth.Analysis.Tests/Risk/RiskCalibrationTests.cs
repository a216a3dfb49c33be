using Groundtruth.Analysis.Risk;

namespace Groundtruth.Analysis.Tests.Risk;

public sealed class RiskCalibrationTests
{
    /// <remarks>
    /// Processed cells follow a known law, p = σ(−2 + x); background cells (labelled negative, as in training)
    /// sit at other values of x. The ranking fit is pulled by the background; Platt scaling on the processed
    /// cells, held out by fold, must bring the probability back to the law.
    /// </remarks>
    [Fact]
    public void Calibrate_RecoversAKnownProbability_DespiteBackgroundNegatives()
    {
        var rng = new Random(4);
        const int processed = 6000, background = 6000;
        var x = new double[processed + background];
        var y = new bool[x.Length];
        var fold = new int[x.Length];
        for (var i = 0; i < x.Length; i++)
        {
            x[i] = i < processed ? rng.NextDouble() * 4 : -1 + rng.NextDouble() * 3;
            y[i] = i < processed && rng.NextDouble() < LogisticModel.Sigmoid(-2 + x[i]);
            fold[i] = rng.Next(RiskCalibration.Folds);
        }
        var raw = LogisticModel.Fit(["x"], x, y, 1, [+1]);
        var (calibrated, scaling) = RiskCalibration.Calibrate(raw, x, y, processed, fold, 1);

        scaling.Calibrated.ShouldBeTrue();
        scaling.SlopeFloored.ShouldBeFalse();
        scaling.Cells.ShouldBe(processed);
        foreach (var v in new[] { 0.0, 1, 2, 3, 4 })
        {
            var truth = LogisticModel.Sigmoid(-2 + v);
            calibrated.Probability([v]).ShouldBe(truth, 0.04, $"x = {v}");
        }
        // The raw fit is off (the background drags it), so the test can tell calibration from none.
        Math.Abs(raw.Probability([0.0]) - LogisticModel.Sigmoid(-2)).ShouldBeGreaterThan(0.04);
        // Monotone: the ranking is unchanged.
        (calibrated.Probability([1.0]) < calibrated.Probability([2.0])).ShouldBe(raw.Probability([1.0]) < raw.Probability([2.0]));
    }

    [Fact]
    public void Calibrate_WhenProcessedCellsAllLackFinds_SaysTheScoreIsRelative()
    {
        var x = new double[] { 0, 1, 2, 3 };
        var y = new[] { false, false, true, false };
        var raw = LogisticModel.Fit(["x"], x, y, 1);
        var (model, scaling) = RiskCalibration.Calibrate(raw, x, y, 2, [0, 1, 2, 3], 1);
        scaling.Calibrated.ShouldBeFalse();
        model.ShouldBeSameAs(raw);
    }

    [Fact]
    public void Wilson_MatchesTheTextbookInterval()
    {
        // 8 of 20: Wilson 95% interval 0.2188 to 0.6134 (Newcombe 1998, method 3).
        var ci = RiskEvaluation.Wilson(8, 20);
        ci[0].ShouldBe(0.2188, 0.0005);
        ci[1].ShouldBe(0.6134, 0.0005);
    }
}
