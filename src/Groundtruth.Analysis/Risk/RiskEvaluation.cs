using System.Globalization;
using System.Numerics;
using System.Runtime.InteropServices;

namespace Groundtruth.Analysis.Risk;

/// <summary>
/// One row of the calibration table: a tenth of the calibration cells by predicted likelihood (deciles), the
/// predictions' range [From, To], their mean, the observed share with finds and its 95% Wilson interval.
/// </summary>
public sealed record CalibrationBin(double From, double To, int Cells, double? MeanPredicted, double? Observed, double[]? ObservedInterval = null);

/// <summary>One held-out spatial block's own figures at 10% (its cells ranked among themselves), with intervals.</summary>
public sealed record FoldFigures(int Fold, int RankedCells, int TestEvents, int TrainingCells,
    double? Capture, double[]? CaptureInterval, double? BaselineCapture, double[]? BaselineCaptureInterval,
    double? Difference, double[]? DifferenceInterval);

/// <summary>
/// An honest validation (DESIGN section 6): later (or held-out) finds and accidents captured in the top
/// 1/5/10/20% of ranked area, PR-AUC, Brier score and calibration, each with a 95% interval from a
/// bootstrap over spatial blocks, always beside the same figures for the baseline "distance to the
/// nearest past event" and the paired difference.
/// </summary>
public sealed record RiskEvaluationResult(
    string Method,
    DateOnly? SplitDate,
    int? SpatialBlocks,
    double CellM,
    int Epsg,
    int RankedCells,
    int TestFinds,
    int TestAccidents,
    int TrainingCells,
    IReadOnlyDictionary<string, double?> Capture,
    IReadOnlyDictionary<string, double[]?> CaptureInterval,
    IReadOnlyDictionary<string, double?> BaselineCapture,
    IReadOnlyDictionary<string, double[]?> BaselineCaptureInterval,
    IReadOnlyDictionary<string, double?> CaptureDifference,
    IReadOnlyDictionary<string, double[]?> CaptureDifferenceInterval,
    double? PrAuc,
    double[]? PrAucInterval,
    double? BaselinePrAuc,
    double[]? BaselinePrAucInterval,
    double? Brier,
    double[]? BrierInterval,
    double? BaselineBrier,
    double[]? BaselineBrierInterval,
    int CalibrationCells,
    IReadOnlyList<CalibrationBin> Calibration,
    IReadOnlyList<IReadOnlyList<(string Feature, double Coefficient)>> Coefficients,
    int BootstrapBlocks,
    int BootstrapSamples,
    string Verdict)
{
    /// <summary>For <c>--spatial-blocks</c>: each held-out block's own figures (the pooled ones above rank each block among itself too).</summary>
    public IReadOnlyList<FoldFigures> Folds { get; init; } = [];

    /// <summary>The Platt scaling of the (last) trained model: the likelihood is σ(a + b · score); see <see cref="RiskCalibration"/>.</summary>
    public IReadOnlyList<PlattScaling> Scaling { get; init; } = [];

    /// <summary>
    /// The challenger (boosted trees) scored on the same split, beside the same baseline: its capture, PR-AUC and Brier
    /// figures with intervals, and its difference from the baseline. Its coefficients are each layer's share of split gain.
    /// </summary>
    public RiskEvaluationResult? Challenger { get; init; }

    /// <summary>
    /// With <c>--split-date</c>: the model <c>risk map</c> would map with at the split (<see cref="ModelSelection"/>,
    /// decided on the training windows only), so its figures — this result's or <see cref="Challenger"/>'s — are the
    /// map's. Null for spatial blocks (each block's training chooses for itself).
    /// </summary>
    public ModelSelection? MapModel { get; init; }

    /// <summary>The figures of the model the map would use: this result (logistic) or <see cref="Challenger"/> (boosted trees).</summary>
    public RiskEvaluationResult MapModelResult => MapModel?.Chosen == "boosted_trees" && Challenger is not null ? Challenger : this;

    public static readonly int[] Levels = [1, 5, 10, 20];

    public const string Definition =
        "capture at k%: the share of test finds and mine/ERW accidents lying in the k% of the area's cells the score ranks highest (ties shared in proportion). " +
        "pr_auc: average precision of the ranking over all cells, a cell positive when a test event lies in it. " +
        "brier: mean squared error of the likelihood on cells processed in the test period (positive when a find was made there); calibration: those cells in tenths by predicted likelihood, observed share with a find and its 95% Wilson interval. " +
        "The likelihood is the model's score calibrated by Platt scaling on processed training cells held out by spatial fold. " +
        "The baseline ranks cells by their distance to the nearest past find or accident. Intervals: 2.5-97.5 percentiles of a bootstrap over spatial blocks, paired between model and baseline.";
}

public static class RiskEvaluation
{
    /// <summary>Trains on what was known before <paramref name="split"/> and tests on the finds and accidents dated on or after it.</summary>
    public static RiskEvaluationResult BySplitDate(RiskData data, DateOnly split, RiskOptions options, RiskProgress? progress = null)
    {
        progress ??= RiskProgress.None;
        progress.Report("projecting the data onto the grid", 0);
        var scene = new RiskScene(data, options.CellM);
        // The records' shapes in the background and the layers at the split (they do not depend on the training) beside
        // the training, as the map builds its layers at the cutoff (RiskModel.Map).
        var shapes = Task.Run(scene.PrepareRecordEvidence);
        var atSplit = Task.Run(() => EvidenceLayers.Build(scene, split, options));
        var trained = RiskModel.Train(scene, split, options, progress: progress.Part(0.1, 0.5));
        if (!atSplit.IsCompleted) progress.Report("evidence layers at the cutoff", 0.5);
        var layers = atSplit.GetAwaiter().GetResult();
        shapes.GetAwaiter().GetResult();
        scene.ForgetLayerCaches();
        progress.Report("scoring every cell", 0.8);
        var model = RiskModel.Predict(trained.Model, layers, scene.Mask);
        var trees = RiskModel.Predict(trained.Challenger!, layers, scene.Mask);
        var baselineProbability = RiskModel.PredictBaseline(trained.Baseline, layers, scene.Mask);
        var baseline = BaselineScores(layers, scene.Mask);
        var (events, finds, accidents) = TestEvents(scene, e => e.Start >= split, null);

        var processedLater = new bool[scene.Grid.Count];
        for (var i = 0; i < data.Processed.Count; i++)
        {
            var p = data.Processed[i];
            if (p.End is { } end && RiskScene.KnownBefore(end, split)) continue;
            scene.Grid.FillPolygonal(scene.ProcessedMetric[i], c => processedLater[c] = true);
        }
        var laterFind = LaterFinds(scene, f => f.Start >= split, null);
        var calibration = Enumerable.Range(0, scene.Grid.Count).Where(c => processedLater[c] && scene.Mask[c] && !layers.EventCell[c]).ToList();
        progress.Report("capture, PR-AUC, calibration and bootstrap intervals", 0.9);
        // The challenger's figures and the model's are independent: computed side by side, the baseline's once for both.
        var shared = new SharedBaseline();
        var challenger = Task.Run(() => Score("split_date", split, null, scene, options, trees, baseline, baselineProbability, new int[scene.Grid.Count], 1,
            events, finds, accidents, calibration, laterFind, trained.TrainingCells, [Coefficients(trained.Challenger!)], shared) with { Scaling = [trained.ChallengerScaling!] });
        var result = Score("split_date", split, null, scene, options, model, baseline, baselineProbability, new int[scene.Grid.Count], 1,
            events, finds, accidents, calibration, laterFind, trained.TrainingCells, [Coefficients(trained.Model)], shared);
        return result with { Scaling = [trained.Scaling], Challenger = challenger.GetAwaiter().GetResult(), MapModel = trained.Selection };
    }

    /// <summary>
    /// Holds out each of <paramref name="k"/> spatial blocks in turn: trains outside it (on what was known by
    /// <paramref name="cutoff"/>) and tests on every find and accident inside it. Events and worked land in the
    /// held-out block are hidden from its layers; lines, records and hazardous areas stay visible.
    /// </summary>
    public static RiskEvaluationResult BySpatialBlocks(RiskData data, int k, DateOnly cutoff, RiskOptions options, RiskProgress? progress = null)
    {
        if (k < 2) throw new ArgumentOutOfRangeException(nameof(k), k, "spatial_blocks needs at least 2 blocks");
        progress ??= RiskProgress.None;
        progress.Report("projecting the data onto the grid", 0);
        var scene = new RiskScene(data, options.CellM);
        var grid = scene.Grid;
        var fold = SpatialFolds(grid, k);
        var model = new float[grid.Count];
        var trees = new float[grid.Count];
        Array.Fill(trees, float.NaN);
        var treeWeights = new List<IReadOnlyList<(string, double)>>();
        var treeScalings = new List<PlattScaling>();
        var baseline = new float[grid.Count];
        var baselineProbability = new float[grid.Count];
        Array.Fill(model, float.NaN);
        Array.Fill(baseline, float.NaN);
        Array.Fill(baselineProbability, float.NaN);
        var coefficients = new List<IReadOnlyList<(string, double)>>();
        var scalings = new List<PlattScaling>();
        var trainingByFold = new int[k];
        var training = 0;
        for (var f = 0; f < k; f++)
        {
            var hidden = new bool[grid.Count];
            for (var c = 0; c < grid.Count; c++) hidden[c] = fold[c] == f;
            var held = new bool[grid.Count];
            for (var c = 0; c < grid.Count; c++) held[c] = hidden[c] && scene.Mask[c];
            if (!held.Any(h => h)) continue;
            var part = progress.Part(0.05 + 0.85 * f / k, 0.05 + 0.85 * (f + 1) / k);
            var trained = RiskModel.Train(scene, cutoff, options, hidden, new RiskProgress((stage, x) => part.Report($"block {f + 1} of {k}: {stage}", x), 0, 0.6));
            training += trained.TrainingCells;
            trainingByFold[f] = trained.TrainingCells;
            coefficients.Add(Coefficients(trained.Model));
            scalings.Add(trained.Scaling);
            part.Report($"block {f + 1} of {k}: layers at the cutoff", 0.6);
            var layers = EvidenceLayers.Build(scene, cutoff, options, hidden);
            var m = RiskModel.Predict(trained.Model, layers, held);
            var t = RiskModel.Predict(trained.Challenger!, layers, held);
            treeWeights.Add(Coefficients(trained.Challenger!));
            treeScalings.Add(trained.ChallengerScaling!);
            var bp = RiskModel.PredictBaseline(trained.Baseline, layers, held);
            var b = BaselineScores(layers, held);
            for (var c = 0; c < grid.Count; c++)
            {
                if (!held[c]) continue;
                (model[c], trees[c], baseline[c], baselineProbability[c]) = (m[c], t[c], b[c], bp[c]);
            }
        }
        var (events, finds, accidents) = TestEvents(scene, _ => true, cutoff);
        var processed = new bool[grid.Count];
        for (var i = 0; i < data.Processed.Count; i++)
        {
            if (data.Processed[i].Start is not { } s || !RiskScene.KnownBefore(s, cutoff)) continue;
            grid.FillPolygonal(scene.ProcessedMetric[i], c => processed[c] = true);
        }
        var findCell = LaterFinds(scene, _ => true, cutoff);
        var calibration = Enumerable.Range(0, grid.Count).Where(c => processed[c] && scene.Mask[c]).ToList();
        progress.Report("capture, PR-AUC, calibration and bootstrap intervals", 0.9);
        var folds = new List<FoldFigures>();
        for (var f = 0; f < k; f++)
        {
            var m = new float[grid.Count];
            var b = new float[grid.Count];
            for (var c = 0; c < grid.Count; c++) (m[c], b[c]) = fold[c] == f ? (model[c], baseline[c]) : (float.NaN, float.NaN);
            if (m.All(float.IsNaN)) continue;
            var one = Score("spatial_blocks", null, k, scene, options, m, b, baselineProbability, new int[grid.Count], 1,
                events, finds, accidents, [], findCell, trainingByFold[f], []);
            var inFold = 0;
            for (var c = 0; c < grid.Count; c++) if (fold[c] == f && !float.IsNaN(m[c])) inFold += events[c];
            folds.Add(new FoldFigures(f, one.RankedCells, inFold, trainingByFold[f], one.Capture["10"], one.CaptureInterval["10"],
                one.BaselineCapture["10"], one.BaselineCaptureInterval["10"], one.CaptureDifference["10"], one.CaptureDifferenceInterval["10"]));
        }
        var shared = new SharedBaseline();
        var challenger = Task.Run(() => Score("spatial_blocks", null, k, scene, options, trees, baseline, baselineProbability, fold, k,
            events, finds, accidents, calibration, findCell, training, treeWeights, shared) with { Scaling = treeScalings });
        var result = Score("spatial_blocks", null, k, scene, options, model, baseline, baselineProbability, fold, k,
            events, finds, accidents, calibration, findCell, training, coefficients, shared);
        return result with { Folds = folds, Scaling = scalings, Challenger = challenger.GetAwaiter().GetResult() };
    }

    /// <summary>
    /// The held-out block of every cell for <c>--spatial-blocks K</c>: the grid cut into ⌈√K⌉ × ⌈√K⌉ tiles,
    /// numbered row by row, tile i held out in fold i mod K.
    /// </summary>
    public static int[] SpatialFolds(RiskGrid grid, int k)
    {
        var tiles = (int)Math.Ceiling(Math.Sqrt(k));
        var fold = new int[grid.Count];
        for (var c = 0; c < grid.Count; c++)
        {
            var tr = Math.Min(tiles - 1, c / grid.Columns * tiles / grid.Rows);
            var tc = Math.Min(tiles - 1, c % grid.Columns * tiles / grid.Columns);
            fold[c] = (tr * tiles + tc) % k;
        }
        return fold;
    }

    private static IReadOnlyList<(string, double)> Coefficients(IRiskModel m) => [.. m.Names.Select((n, j) => (n, m.Weights[j]))];

    /// <summary>Higher is riskier: the negative distance to the nearest past event.</summary>
    private static float[] BaselineScores(EvidenceLayers layers, bool[] where)
    {
        var scores = new float[layers.Grid.Count];
        for (var c = 0; c < scores.Length; c++) scores[c] = where[c] ? -Math.Min(layers.BaselineDistance(c), EvidenceLayers.MaxDistanceM) : float.NaN;
        return scores;
    }

    private static (int[] Events, int Finds, int Accidents) TestEvents(RiskScene scene, Func<Groundtruth.Domain.PartialDate, bool> test, DateOnly? knownBy)
    {
        var events = new int[scene.Grid.Count];
        int finds = 0, accidents = 0;
        for (var i = 0; i < scene.Data.Finds.Count; i++)
        {
            var f = scene.Data.Finds[i];
            var c = scene.FindCells[i];
            if (c < 0 || !scene.Mask[c] || !RiskScene.IsContamination(f) || !test(f.FoundOn)) continue;
            if (knownBy is { } k && !RiskScene.KnownBefore(f.FoundOn, k)) continue;
            events[c]++;
            finds++;
        }
        for (var i = 0; i < scene.Data.Accidents.Count; i++)
        {
            var a = scene.Data.Accidents[i];
            var c = scene.AccidentCells[i];
            if (c < 0 || !scene.Mask[c] || !RiskScene.IsContamination(a) || !test(a.OccurredOn)) continue;
            if (knownBy is { } k && !RiskScene.KnownBefore(a.OccurredOn, k)) continue;
            events[c]++;
            accidents++;
        }
        return (events, finds, accidents);
    }

    private static bool[] LaterFinds(RiskScene scene, Func<Groundtruth.Domain.PartialDate, bool> test, DateOnly? knownBy)
    {
        var cells = new bool[scene.Grid.Count];
        for (var i = 0; i < scene.Data.Finds.Count; i++)
        {
            var f = scene.Data.Finds[i];
            var c = scene.FindCells[i];
            if (c < 0 || !RiskScene.IsContamination(f) || !test(f.FoundOn)) continue;
            if (knownBy is { } k && !RiskScene.KnownBefore(f.FoundOn, k)) continue;
            cells[c] = true;
        }
        return cells;
    }

    private static RiskEvaluationResult Score(
        string method, DateOnly? split, int? k, RiskScene scene, RiskOptions options,
        float[] model, float[] baseline, float[] baselineProbability, int[] group, int groups,
        int[] events, int finds, int accidents, List<int> calibrationCells, bool[] calibrationLabel, int trainingCells,
        IReadOnlyList<IReadOnlyList<(string, double)>> coefficients, SharedBaseline? sharedBaseline = null)
    {
        var grid = scene.Grid;
        var blockM = options.BlockM > 0 ? options.BlockM : Math.Max(grid.Columns, grid.Rows) * grid.Cell / 10;
        var blockCols = Math.Max(1, (int)Math.Ceiling(grid.Columns * grid.Cell / blockM));
        var blockRows = Math.Max(1, (int)Math.Ceiling(grid.Rows * grid.Cell / blockM));
        var block = new int[grid.Count];
        for (var c = 0; c < grid.Count; c++)
            block[c] = Math.Min(blockRows - 1, (int)((c / grid.Columns) * grid.Cell / blockM)) * blockCols + Math.Min(blockCols - 1, (int)((c % grid.Columns) * grid.Cell / blockM));
        var nBlocks = blockCols * blockRows;
        var ranked = Enumerable.Range(0, grid.Count).Where(c => !float.IsNaN(model[c])).ToArray();
        var isUsed = new bool[nBlocks];
        foreach (var c in ranked) isUsed[block[c]] = true;
        var usedBlocks = Enumerable.Range(0, nBlocks).Where(b => isUsed[b]).ToArray();

        // Each ranking sorted once, highest first, for its precision and (one group) its capture; both rankings at once.
        var levels = RiskEvaluationResult.Levels;
        Descending? modelOrder = null;
        BaselineFigures? based = null;
        BaselineFigures Baseline()
        {
            var order = new Descending(baseline, ranked);
            return new BaselineFigures(baseline, ranked, CapturedByBlock(baseline, ranked, group, groups, events, block, nBlocks, levels, order),
                new AveragePrecision(order, events, block));
        }
        Parallel.Invoke(() => modelOrder = new Descending(model, ranked), () => based = sharedBaseline?.Get(Baseline, baseline, ranked) ?? Baseline());
        var capturedModel = CapturedByBlock(model, ranked, group, groups, events, block, nBlocks, levels, modelOrder!);
        var capturedBase = based!.Captured;
        var eventsByBlock = new double[nBlocks];
        foreach (var c in ranked) eventsByBlock[block[c]] += events[c];

        var apModel = new AveragePrecision(modelOrder!, events, block);
        var apBase = based.Ap;

        var brierBlocks = new double[nBlocks];
        var brierBaseBlocks = new double[nBlocks];
        var brierCount = new double[nBlocks];
        var scored = new List<(float P, bool Y)>();
        foreach (var c in calibrationCells)
        {
            if (float.IsNaN(model[c])) continue;
            var y = calibrationLabel[c] ? 1.0 : 0.0;
            brierBlocks[block[c]] += (model[c] - y) * (model[c] - y);
            brierBaseBlocks[block[c]] += (baselineProbability[c] - y) * (baselineProbability[c] - y);
            brierCount[block[c]]++;
            scored.Add((model[c], calibrationLabel[c]));
        }

        var all = Enumerable.Repeat(1.0, nBlocks).ToArray();
        double? Capture(double[] captured, double[] weights)
        {
            double num = 0, den = 0;
            for (var b = 0; b < nBlocks; b++) { num += weights[b] * captured[b]; den += weights[b] * eventsByBlock[b]; }
            return den > 0 ? num / den : null;
        }
        double? Brier(double[] sums, double[] weights)
        {
            double num = 0, den = 0;
            for (var b = 0; b < nBlocks; b++) { num += weights[b] * sums[b]; den += weights[b] * brierCount[b]; }
            return den > 0 ? num / den : null;
        }

        var samples = new Dictionary<string, List<double>>();
        void Add(string key, double? v)
        {
            if (v is null) return;
            if (!samples.TryGetValue(key, out var list)) samples[key] = list = [];
            list.Add(v.Value);
        }
        // The samples' block weights are drawn one after another from the seeded generator, then each sample's figures
        // are computed on every core, and gathered in drawing order.
        var random = new Random(options.Seed);
        var drawn = new List<double[]>();
        for (var s = 0; s < options.BootstrapSamples && usedBlocks.Length > 0; s++)
        {
            var w = new double[nBlocks];
            for (var i = 0; i < usedBlocks.Length; i++) w[usedBlocks[random.Next(usedBlocks.Length)]]++;
            drawn.Add(w);
        }
        var figures = new (double? M, double? B)[drawn.Count][];
        var others = new (double? ApModel, double? ApBase, double? BrierModel, double? BrierBase)[drawn.Count];
        // The precisions of every sample in a few passes over each ranking (AveragePrecision.ComputeEach); the rest by block.
        double?[] apModels = [], apBases = [];
        Parallel.Invoke(() => apModels = apModel.ComputeEach(drawn), () => apBases = apBase.ComputeEach(drawn));
        Parallel.For(0, drawn.Count, s =>
        {
            var weights = drawn[s];
            figures[s] = [.. Enumerable.Range(0, levels.Length).Select(l => (Capture(capturedModel[l], weights), Capture(capturedBase[l], weights)))];
            others[s] = (apModels[s], apBases[s], Brier(brierBlocks, weights), Brier(brierBaseBlocks, weights));
        });
        for (var s = 0; s < drawn.Count; s++)
        {
            for (var l = 0; l < levels.Length; l++)
            {
                var (m, b) = figures[s][l];
                Add("m" + l, m);
                Add("b" + l, b);
                if (m is not null && b is not null) Add("d" + l, m - b);
            }
            Add("apm", others[s].ApModel);
            Add("apb", others[s].ApBase);
            Add("brm", others[s].BrierModel);
            Add("brb", others[s].BrierBase);
        }
        double[]? Interval(string key)
        {
            if (!samples.TryGetValue(key, out var list) || list.Count < 2) return null;
            list.Sort();
            return [Quantile(list, 0.025), Quantile(list, 0.975)];
        }

        var capture = new Dictionary<string, double?>();
        var captureCi = new Dictionary<string, double[]?>();
        var baseCapture = new Dictionary<string, double?>();
        var baseCaptureCi = new Dictionary<string, double[]?>();
        var diff = new Dictionary<string, double?>();
        var diffCi = new Dictionary<string, double[]?>();
        for (var l = 0; l < levels.Length; l++)
        {
            var key = levels[l].ToString(CultureInfo.InvariantCulture);
            capture[key] = Capture(capturedModel[l], all);
            baseCapture[key] = Capture(capturedBase[l], all);
            diff[key] = capture[key] - baseCapture[key];
            captureCi[key] = Interval("m" + l);
            baseCaptureCi[key] = Interval("b" + l);
            diffCi[key] = Interval("d" + l);
        }
        var calibration = CalibrationTable(scored);
        var verdict = Verdict(diff["10"], diffCi["10"], finds + accidents);
        return new RiskEvaluationResult(method, split, k, grid.Cell, grid.Epsg, ranked.Length, finds, accidents, trainingCells,
            capture, captureCi, baseCapture, baseCaptureCi, diff, diffCi,
            apModel.Compute(all), Interval("apm"), apBase.Compute(all), Interval("apb"),
            Brier(brierBlocks, all), Interval("brm"), Brier(brierBaseBlocks, all), Interval("brb"),
            calibrationCells.Count, calibration, coefficients, usedBlocks.Length, options.BootstrapSamples, verdict);
    }

    /// <summary>Deciles of the predicted likelihood (cells of equal prediction kept together), each with its observed share and Wilson interval.</summary>
    private static List<CalibrationBin> CalibrationTable(List<(float P, bool Y)> scored)
    {
        var sorted = scored.OrderBy(s => s.P).ToList();
        var bins = new List<CalibrationBin>();
        for (int start = 0, d = 1; start < sorted.Count; d++)
        {
            var end = Math.Max(start + 1, (int)Math.Round((double)sorted.Count * d / 10));
            while (end < sorted.Count && sorted[end].P == sorted[end - 1].P) end++;
            end = Math.Min(end, sorted.Count);
            var n = end - start;
            var positives = 0;
            double sum = 0;
            for (var i = start; i < end; i++) { sum += sorted[i].P; if (sorted[i].Y) positives++; }
            bins.Add(new CalibrationBin(sorted[start].P, sorted[end - 1].P, n, sum / n, (double)positives / n, Wilson(positives, n)));
            start = end;
        }
        return bins;
    }

    /// <summary>The 95% Wilson score interval of a share.</summary>
    public static double[] Wilson(int successes, int n)
    {
        const double z = 1.959964;
        var p = (double)successes / n;
        var centre = (p + z * z / (2 * n)) / (1 + z * z / n);
        var half = z * Math.Sqrt(p * (1 - p) / n + z * z / (4.0 * n * n)) / (1 + z * z / n);
        return [Math.Max(0, centre - half), Math.Min(1, centre + half)];
    }

    private static string Verdict(double? difference, double[]? interval, int events)
    {
        if (events == 0 || difference is null) return "no test events: nothing can be said about the model";
        var inv = CultureInfo.InvariantCulture;
        var span = interval is null ? "no interval" : string.Create(inv, $"95% interval {SignedNumber.Invariant(interval[0])} to {SignedNumber.Invariant(interval[1])}");
        if (interval is not null && interval[0] > 0) return string.Create(inv, $"the model captures more test events in the top 10% than the baseline ({SignedNumber.Invariant(difference.Value)}, {span})");
        if (interval is not null && interval[1] < 0) return string.Create(inv, $"the baseline captures more test events in the top 10% than the model ({SignedNumber.Invariant(difference.Value)}, {span}): use the baseline");
        return string.Create(inv, $"no demonstrated difference from the baseline in the top 10% ({SignedNumber.Invariant(difference.Value)}, {span})");
    }

    /// <summary>Per level and block: test events in the cells each group's top k% selects (the cells at the threshold value shared in proportion).</summary>
    private static double[][] CapturedByBlock(float[] score, int[] ranked, int[] group, int groups, int[] events, int[] block, int nBlocks, int[] levels, Descending order)
    {
        var result = levels.Select(_ => new double[nBlocks]).ToArray();
        for (var g = 0; g < groups; g++)
        {
            float[] values;
            if (groups == 1) values = order.Scores;
            else
            {
                values = ranked.Where(c => group[c] == g).Select(c => score[c]).ToArray();
                Array.Sort(values);
                Array.Reverse(values);
            }
            if (values.Length == 0) continue;
            for (var l = 0; l < levels.Length; l++)
            {
                var n = levels[l] / 100.0 * values.Length;
                if (n <= 0) continue;
                var v = values[Math.Min(values.Length - 1, (int)Math.Ceiling(n) - 1)];
                var greater = 0;
                var equal = 0;
                foreach (var x in values)
                {
                    if (x > v) greater++;
                    else if (x == v) equal++;
                }
                var share = Math.Clamp((n - greater) / equal, 0, 1);
                foreach (var c in ranked)
                {
                    if (group[c] != g || events[c] == 0) continue;
                    var s = score[c] > v ? 1 : score[c] == v ? share : 0;
                    result[l][block[c]] += s * events[c];
                }
            }
        }
        return result;
    }

    internal static double Quantile(List<double> sorted, double q)
    {
        var h = (sorted.Count - 1) * q;
        var lo = (int)Math.Floor(h);
        var hi = Math.Min(sorted.Count - 1, lo + 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }

    /// <summary>
    /// The ranked cells by score, highest first, and their scores. Cells of equal score are next to each other in an
    /// order the sort leaves (what is computed from it sums whole counts within a run of equal scores, or reads only
    /// the scores, so that order never shows).
    /// </summary>
    /// <summary>
    /// The average precision of ranking the cells by <paramref name="score"/> (NaN: not ranked), each cell weighted by its block's
    /// weight, as the evaluation and its bootstrap compute it (for the tests that hold it to a sum taken cell by cell).
    /// </summary>
    public static double? WeightedAveragePrecision(float[] score, int[] events, int[] block, double[] weights)
    {
        var ranked = Enumerable.Range(0, score.Length).Where(c => !float.IsNaN(score[c])).ToArray();
        return new AveragePrecision(new Descending(score, ranked), events, block).Compute(weights);
    }

    /// <summary>The same for many weightings at once, as the bootstrap computes them (<see cref="AveragePrecision.ComputeEach"/>).</summary>
    public static double?[] WeightedAveragePrecisions(float[] score, int[] events, int[] block, IReadOnlyList<double[]> weightings)
    {
        var ranked = Enumerable.Range(0, score.Length).Where(c => !float.IsNaN(score[c])).ToArray();
        return new AveragePrecision(new Descending(score, ranked), events, block).ComputeEach(weightings);
    }

    /// <summary>The baseline's ranking, its capture by block and its average precision, as <see cref="Score"/> works them out.</summary>
    private sealed record BaselineFigures(float[] Scores, int[] Ranked, double[][] Captured, AveragePrecision Ap);

    /// <summary>
    /// The baseline's figures worked out once for the model's and the challenger's scores on the same cells, groups and events
    /// (both rankings' figures are computed side by side, and the baseline's were sorted and counted twice; issue 16).
    /// </summary>
    private sealed class SharedBaseline
    {
        private readonly Lock _lock = new();
        private BaselineFigures? _figures;

        public BaselineFigures Get(Func<BaselineFigures> compute, float[] baseline, int[] ranked)
        {
            lock (_lock)
            {
                _figures ??= compute();
                if (!ReferenceEquals(_figures.Scores, baseline) || !_figures.Ranked.AsSpan().SequenceEqual(ranked))
                    throw new InvalidOperationException("the baseline's figures were shared between different cells");
                return _figures;
            }
        }
    }

    private sealed class Descending
    {
        public Descending(float[] score, int[] ranked)
        {
            // Negation is exact and reverses the order: an ascending sort of −score is a descending sort of score.
            var keys = new uint[ranked.Length];
            var nan = false;
            for (var i = 0; i < ranked.Length && !nan; i++)
            {
                nan = float.IsNaN(score[ranked[i]]);
                keys[i] = Ascending(-score[ranked[i]]);
            }
            if (nan) Cells = [.. ranked.OrderByDescending(c => score[c])]; // NaN last, as a descending order puts it
            else Cells = RadixSorted(keys, ranked);
            Scores = new float[Cells.Length];
            for (var i = 0; i < Cells.Length; i++) Scores[i] = score[Cells[i]];
        }

        /// <summary>A float's bits turned so that unsigned order is the numbers' order (−0 taken as 0, as comparisons take it).</summary>
        private static uint Ascending(float value)
        {
            var bits = BitConverter.SingleToUInt32Bits(value + 0f);
            return (bits & 0x8000_0000) != 0 ? ~bits : bits | 0x8000_0000;
        }

        /// <summary>
        /// <paramref name="cells"/> in the ascending order of their <paramref name="keys"/> (overwritten): a radix sort, a byte at a time
        /// (issue 16: sorting the three rankings of 1.9 M cells was 0.3 processor seconds of each evaluation at scale 500). Cells of
        /// equal key keep their order; <see cref="Descending"/>'s readers never see the order within a tie.
        /// </summary>
        private static int[] RadixSorted(uint[] keys, int[] cells)
        {
            var n = keys.Length;
            var (fromKeys, fromCells) = (keys, (int[])cells.Clone());
            var (toKeys, toCells) = (new uint[n], new int[n]);
            var counts = new int[4 * 256];
            foreach (var k in keys)
            {
                counts[k & 0xFF]++;
                counts[256 + ((k >> 8) & 0xFF)]++;
                counts[512 + ((k >> 16) & 0xFF)]++;
                counts[768 + (k >> 24)]++;
            }
            for (var pass = 0; pass < 4; pass++)
            {
                var count = counts.AsSpan(pass * 256, 256);
                // A byte every key shares moves nothing.
                if (n == 0 || count[(int)((fromKeys[0] >> (8 * pass)) & 0xFF)] == n) continue;
                var at = 0;
                for (var b = 0; b < 256; b++) (count[b], at) = (at, at + count[b]);
                var shift = 8 * pass;
                for (var i = 0; i < n; i++)
                {
                    var k = fromKeys[i];
                    var to = count[(int)((k >> shift) & 0xFF)]++;
                    toKeys[to] = k;
                    toCells[to] = fromCells[i];
                }
                (fromKeys, toKeys) = (toKeys, fromKeys);
                (fromCells, toCells) = (toCells, fromCells);
            }
            return fromCells;
        }

        public int[] Cells { get; }
        public float[] Scores { get; }
    }

    /// <summary>Average precision of a ranking, weighted by block (for the bootstrap); cells of equal score form one step.</summary>
    /// <remarks>The bootstrap's weights are whole counts of draws: every sum within a step is exact in any order.</remarks>
    private sealed class AveragePrecision
    {
        private readonly int[] _block;
        private readonly bool[] _positive;
        /// <summary>Cells holding a test event, per block.</summary>
        private readonly double[] _positivesByBlock;
        /// <summary>The tie groups holding a test event, in ranking order: where the cells since the last such group begin, where the group begins and where it ends.</summary>
        private readonly (int From, int Start, int End)[] _groups;
        /// <summary>
        /// Per group, the cells since the last group and the group's own cells counted by block, where that is shorter than the
        /// cells themselves (null: summed cell by cell): the blocks met, how many cells in each, and how many of the group's hold an event.
        /// </summary>
        private readonly (ByBlock? Gap, ByBlock? Group)[] _counted;

        /// <summary>A run of ranked cells as counts per block: the blocks it meets, its cells in each, and of those the cells holding an event.</summary>
        private sealed record ByBlock(int[] Blocks, double[] Cells, double[] Positives);

        public AveragePrecision(Descending ranking, int[] events, int[] block)
        {
            var order = ranking.Cells;
            var scores = ranking.Scores;
            _block = [.. order.Select(c => block[c])];
            _positive = [.. order.Select(c => events[c] > 0)];
            _positivesByBlock = new double[block.Length == 0 ? 0 : block.Max() + 1];
            for (var i = 0; i < order.Length; i++) if (_positive[i]) _positivesByBlock[_block[i]]++;
            var groups = new List<(int, int, int)>();
            var from = 0;
            for (var i = 0; i < order.Length;)
            {
                var end = i + 1;
                while (end < order.Length && scores[end] == scores[i]) end++;
                var any = false;
                for (var j = i; j < end && !any; j++) any = _positive[j];
                if (any)
                {
                    groups.Add((from, i, end));
                    from = end;
                }
                i = end;
            }
            _groups = [.. groups];
            _counted = [.. _groups.Select(g => (Count(g.From, g.Start), Count(g.Start, g.End)))];
        }

        /// <summary>Cells [<paramref name="from"/>, <paramref name="to"/>) counted by block, or null where they meet about as many blocks as they are cells.</summary>
        private ByBlock? Count(int from, int to)
        {
            if (to - from < 64) return null;
            var cells = new double[_positivesByBlock.Length];
            var positives = new double[_positivesByBlock.Length];
            for (var j = from; j < to; j++)
            {
                cells[_block[j]]++;
                if (_positive[j]) positives[_block[j]]++;
            }
            var met = Enumerable.Range(0, cells.Length).Where(b => cells[b] > 0).ToArray();
            return met.Length * 2 >= to - from ? null : new ByBlock(met, [.. met.Select(b => cells[b])], [.. met.Select(b => positives[b])]);
        }

        /// <summary>Average precision with each cell weighted by its block's weight (one weighting of <see cref="ComputeEach"/>).</summary>
        public double? Compute(double[] weights) => ComputeEach([weights])[0];

        /// <summary>
        /// Average precision with each cell weighted by its block's weight, for every weighting at once: the ranking is walked once
        /// for a batch of samples, each cell's block adding its weight in every sample of the batch side by side (issue 16: 200
        /// samples were 200 passes over the ranked cells for each ranking, most of the bootstrap's processor time at scale 500). The
        /// weights are whole numbers (how often a bootstrap sample drew the block), so every running sum is exact in any order, the
        /// same bits as one cell at a time; a long run of cells meeting few blocks (a model's plateau, the baseline's far land) is
        /// added as its count in each block times the block's weight, without a pass over the run. Each sample's precision is then
        /// summed step by step in ranking order.
        /// </summary>
        public double?[] ComputeEach(IReadOnlyList<double[]> weightings)
        {
            var result = new double?[weightings.Count];
            var width = Vector<double>.Count;
            // Two batches a core, each a whole number of vectors wide.
            var perBatch = (weightings.Count + 2 * Environment.ProcessorCount - 1) / (2 * Environment.ProcessorCount);
            var batch = Math.Max(1, (perBatch + width - 1) / width) * width;
            Parallel.For(0, (weightings.Count + batch - 1) / batch, b => ComputeBatch(weightings, b * batch, Math.Min(weightings.Count, (b + 1) * batch), batch, result));
            return result;
        }

        /// <param name="width">The batch's samples padded to the vector's width: the length of every running sum.</param>
        private void ComputeBatch(IReadOnlyList<double[]> weightings, int first, int last, int width, double?[] result)
        {
            var count = last - first;
            var blocks = _positivesByBlock.Length;
            // Block b's weight in the batch's sample k at b · width + k (the samples past the last weigh nothing).
            var byBlock = new double[blocks * width];
            var positives = new double[width];
            for (var k = 0; k < count; k++)
            {
                var weights = weightings[first + k];
                double p = 0;
                for (var b = 0; b < blocks; b++)
                {
                    byBlock[b * width + k] = weights[b];
                    p += weights[b] * _positivesByBlock[b];
                }
                positives[k] = p;
            }
            var all = new double[width];
            var tp = new double[width];
            var ap = new double[width];
            var step = new double[width];
            var (block, positive) = (_block, _positive);
            for (var g = 0; g < _groups.Length; g++)
            {
                var (from, start, end) = _groups[g];
                var (gap, group) = _counted[g];
                if (gap is not null) AddWeighed(byBlock, width, gap.Blocks, gap.Cells, all);
                else
                    for (var j = from; j < start; j++) Add(byBlock.AsSpan(block[j] * width, width), all);
                Array.Clear(step);
                if (group is not null)
                {
                    AddWeighed(byBlock, width, group.Blocks, group.Cells, all);
                    AddWeighed(byBlock, width, group.Blocks, group.Positives, step);
                }
                else
                {
                    for (var j = start; j < end; j++)
                    {
                        var row = byBlock.AsSpan(block[j] * width, width);
                        Add(row, all);
                        if (positive[j]) Add(row, step);
                    }
                }
                for (var k = 0; k < count; k++)
                {
                    var stepTp = step[k];
                    tp[k] += stepTp;
                    if (stepTp > 0 && all[k] > 0) ap[k] += stepTp / positives[k] * (tp[k] / all[k]);
                }
            }
            for (var k = 0; k < count; k++) result[first + k] = positives[k] <= 0 ? null : ap[k];
        }

        /// <summary><paramref name="into"/> += <paramref name="row"/>, a vector at a time (both a multiple of its width long).</summary>
        private static void Add(ReadOnlySpan<double> row, Span<double> into)
        {
            var from = MemoryMarshal.Cast<double, Vector<double>>(row);
            var to = MemoryMarshal.Cast<double, Vector<double>>(into);
            for (var v = 0; v < to.Length; v++) to[v] += from[v];
        }

        /// <summary><paramref name="into"/> += Σ over a run's blocks of the block's weights times <paramref name="counts"/> (<see cref="ByBlock"/>), block by block.</summary>
        private static void AddWeighed(double[] byBlock, int width, int[] blocks, double[] counts, Span<double> into)
        {
            var to = MemoryMarshal.Cast<double, Vector<double>>(into);
            for (var m = 0; m < blocks.Length; m++)
            {
                var from = MemoryMarshal.Cast<double, Vector<double>>(byBlock.AsSpan(blocks[m] * width, width));
                var n = new Vector<double>(counts[m]);
                for (var v = 0; v < to.Length; v++) to[v] += from[v] * n;
            }
        }
    }
}
