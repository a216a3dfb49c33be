namespace Groundtruth.Analysis.Risk;

/// <summary>
/// How the ranking score was turned into a probability: Platt scaling, p = σ(a + b · score logit), fitted on
/// the processed training cells only, each scored by a model fitted without its spatial fold (cross-fitting),
/// so the probability means "a find would be made in this cell if it were processed", as land is processed.
/// </summary>
/// <param name="Intercept">a.</param>
/// <param name="Slope">b; held at <see cref="RiskCalibration.MinimumSlope"/> when the fit gave less (then <paramref name="SlopeFloored"/>).</param>
/// <param name="Cells">Processed training cells the scaling was fitted on.</param>
/// <param name="Positives">Of those, cells with a find.</param>
/// <param name="Calibrated">False when the processed cells could not support a fit (all with or all without finds): the score is then a relative index.</param>
public sealed record PlattScaling(double Intercept, double Slope, int Cells, int Positives, bool SlopeFloored, bool Calibrated);

/// <summary>
/// Calibrates a ranking model fitted with background negatives (docs/decisions/0007-risk-model.md). The
/// background makes the fitted log-odds a relative index (its intercept reflects how many background cells
/// were drawn); Platt scaling on held-out processed cells restores a probability on the population the
/// labels are true for. The transformation is monotone, so the ranking — and every capture figure — is
/// unchanged; the Brier score and calibration table of <c>risk evaluate</c> measure the result on later land.
/// </summary>
public static class RiskCalibration
{
    /// <summary>Spatial folds of the cross-fit.</summary>
    public const int Folds = 5;

    /// <summary>A slope below this would flatten or invert the ranking; it is held here and reported.</summary>
    public const double MinimumSlope = 0.05;

    /// <summary>
    /// Fits <paramref name="full"/>'s Platt scaling. Rows [0, <paramref name="processedRows"/>) of
    /// <paramref name="x"/> are processed cells (true labels); the rest background. Each processed row is
    /// scored by the model refitted without the processed rows of its fold (background kept).
    /// </summary>
    /// <param name="folds">When given (<see cref="Folds"/> long), receives each fold's refitted model (null where the fold held no
    /// processed row, or left nothing to learn from): the map's choice of model ranks each fold's land with it (RiskModel).</param>
    public static (LogisticModel Calibrated, PlattScaling Scaling) Calibrate(
        LogisticModel full, double[] x, bool[] y, int processedRows, int[] fold, double l2, RowScore?[]? folds = null)
    {
        var scaling = CrossFitted(x, y, processedRows, fold, full.Names.Count, (full.MaxRows, LogisticModel.SampleSeed),
            (xk, yk) => { var m = LogisticModel.Fit(full.Names, xk, yk, l2, full.Signs, full.Bounded, full.MaxRows); return row => m.Logit(row); },
            row => full.Logit(row), folds);
        return scaling.Calibrated ? (full.Rescaled(scaling.Intercept, scaling.Slope), scaling) : (full, scaling);
    }

    /// <summary>
    /// The same for the boosted trees: each processed row scored by trees refitted without the processed rows of its
    /// fold (background kept), Platt scaling fitted on those raw scores.
    /// </summary>
    public static (BoostedTreesModel Calibrated, PlattScaling Scaling) Calibrate(
        BoostedTreesModel full, double[] x, bool[] y, int processedRows, int[] fold, int seed, RowScore?[]? folds = null)
    {
        var scaling = CrossFitted(x, y, processedRows, fold, full.Names.Count, (BoostedTreesModel.MaxRows, seed),
            (xk, yk) => { var m = BoostedTreesModel.Fit(full.Names, xk, yk, seed); return row => m.RawScore(row); },
            row => full.RawScore(row), folds);
        return scaling.Calibrated ? (full.Rescaled(scaling.Intercept, scaling.Slope), scaling) : (full, scaling);
    }

    /// <summary>Scores one row of features (a log-odds or a raw score: only its order matters).</summary>
    public delegate double RowScore(ReadOnlySpan<double> row);

    /// <summary>
    /// The cross-fit both models share: each fold's processed rows scored by a model refitted on every other row (the
    /// folds side by side, each writing only its own rows); a fold holding every positive, or none, leaves nothing to
    /// learn from and its rows are scored by the full model. Then Platt scaling of those scores (uncalibrated when the
    /// processed rows are all of one label). <paramref name="sample"/> is the refit's own sampling (<see cref="RowSample"/>: at
    /// most so many rows, this seed): each fold hands it only the rows it would learn from, the same rows in the same order, so
    /// the refit is the same bits (issue 16: copying every kept row for a refit that learns from a third of them was 200 MB a
    /// map at scale 500).
    /// </summary>
    private static PlattScaling CrossFitted(double[] x, bool[] y, int processedRows, int[] fold, int p, (int MaxRows, int Seed) sample,
        Func<double[], bool[], RowScore> refit, RowScore full, RowScore?[]? folds)
    {
        var processedY = y.AsSpan(0, processedRows).ToArray();
        var positives = processedY.Count(v => v);
        if (positives == 0 || positives == processedRows)
            return new PlattScaling(0, 1, processedRows, positives, false, false);
        var scores = new double[processedRows];
        Parallel.For(0, Folds, f =>
        {
            var held = new List<int>();
            var keep = new List<int>();
            for (var i = 0; i < y.Length; i++)
                (i < processedRows && fold[i] == f ? held : keep).Add(i);
            if (held.Count == 0) return;
            var keptY = new bool[keep.Count];
            for (var r = 0; r < keep.Count; r++) keptY[r] = y[keep[r]];
            // Both labels stay in a sample (RowSample), so it is learnable exactly when the kept rows are.
            var take = RowSample.Take(keptY, sample.MaxRows, sample.Seed);
            var xk = new double[take.Length * p];
            var yk = new bool[take.Length];
            for (var r = 0; r < take.Length; r++)
            {
                Array.Copy(x, keep[take[r]] * p, xk, r * p, p);
                yk[r] = keptY[take[r]];
            }
            var learnable = yk.Any(v => v) && !yk.All(v => v);
            var score = learnable ? refit(xk, yk) : full;
            if (learnable && folds is not null) folds[f] = score;
            foreach (var i in held) scores[i] = score(x.AsSpan(i * p, p));
        });
        return Platt(scores, processedY);
    }

    /// <summary>Platt scaling of held-out scores against their labels, the slope held at <see cref="MinimumSlope"/> when the fit gives less.</summary>
    private static PlattScaling Platt(double[] logits, bool[] processedY)
    {
        var platt = LogisticModel.Fit(["score_logit"], logits, processedY, 1e-6);
        var slope = platt.Scales[0] > 0 ? platt.Coefficients[0] / platt.Scales[0] : 0;
        var intercept = platt.Intercept - slope * platt.Means[0];
        var floored = slope < MinimumSlope;
        if (floored)
        {
            slope = MinimumSlope;
            intercept = InterceptFor(logits, processedY, slope);
        }
        return new PlattScaling(intercept, slope, logits.Length, processedY.Count(v => v), floored, true);
    }

    /// <summary>The intercept at which the mean probability equals the observed share, for a fixed slope (Newton).</summary>
    private static double InterceptFor(double[] logits, bool[] y, double slope)
    {
        var target = y.Count(v => v);
        var a = 0.0;
        for (var iteration = 0; iteration < 100; iteration++)
        {
            double sum = 0, derivative = 0;
            foreach (var l in logits)
            {
                var mu = LogisticModel.Sigmoid(a + slope * l);
                sum += mu;
                derivative += mu * (1 - mu);
            }
            var step = (target - sum) / Math.Max(derivative, 1e-12);
            a += Math.Clamp(step, -2, 2);
            if (Math.Abs(step) < 1e-10) break;
        }
        return a;
    }

    /// <summary>
    /// Spatial fold of a cell for the cross-fit: blocks of a tenth of the grid's longer side, block (row, column) in fold
    /// (2 · row + column) mod <see cref="Folds"/>, so neighbouring blocks (also diagonally) lie in different folds and
    /// every row and every column of blocks passes through all five: a front line running north–south or west–east
    /// is split among the folds instead of falling in one (numbered row by row, ten blocks to a row made each fold a
    /// column of blocks).
    /// </summary>
    public static int FoldOf(RiskGrid grid, int cell)
    {
        var (row, column) = BlockOf(grid, cell);
        return (2 * row + column) % Folds;
    }

    /// <summary>The block (row, column) of a cell: blocks of a tenth of the grid's longer side, as <see cref="FoldOf"/> reads them.</summary>
    public static (int Row, int Column) BlockOf(RiskGrid grid, int cell)
    {
        var side = Math.Max(grid.Columns, grid.Rows) / 10.0;
        return ((int)(cell / grid.Columns / side), (int)(cell % grid.Columns / side));
    }
}
