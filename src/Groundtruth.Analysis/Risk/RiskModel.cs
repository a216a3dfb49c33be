using Groundtruth.Domain;

namespace Groundtruth.Analysis.Risk;

/// <summary>What a cell is, apart from its likelihood: the map never calls land safe, and shows "not surveyed" apart from "no evidence".</summary>
public enum CellStatus : byte
{
    Outside = 0,
    /// <summary>Nobody has surveyed or worked this land: its likelihood is extrapolated from the layers.</summary>
    NotSurveyed = 1,
    /// <summary>Surveyed, and no find, accident, record or hazardous area lies in it — not "safe".</summary>
    NoEvidence = 2,
    /// <summary>A past find or accident, a minefield record or a hazardous area lies in it.</summary>
    Evidence = 3,
    /// <summary>Released land (cancelled, reduced or cleared): negative evidence, never "safe"; residual risk remains.</summary>
    Released = 4,
}

/// <summary>The fitted model, and the baseline fitted the same way on its single feature, both calibrated (<see cref="RiskCalibration"/>).</summary>
/// <param name="Model">The calibrated model: its probability is the likelihood; its coefficients and contributions are on the calibrated log-odds.</param>
/// <param name="Scaling">How the ranking fit was calibrated (<see cref="RiskCalibration"/>).</param>
/// <param name="LabelFrom">Start of the training window: layers at this date, finds in processed land from it to the cutoff.</param>
/// <param name="BackgroundCells">Surveyed absences drawn from the sampling frame (<see cref="RiskModel.SamplingFrame"/>), labelled negative.</param>
public sealed record TrainedRisk(LogisticModel Model, LogisticModel Baseline, DateOnly LabelFrom, DateOnly Cutoff, int TrainingCells, int BackgroundCells, EvidenceLayers TrainingLayers,
    PlattScaling Scaling, PlattScaling BaselineScaling)
{
    /// <summary>The challenger, boosted trees trained on the same rows, calibrated the same way.</summary>
    public BoostedTreesModel? Challenger { get; init; }

    public PlattScaling? ChallengerScaling { get; init; }

    /// <summary>Which model maps, and why.</summary>
    public ModelSelection Selection { get; init; } = new("logistic", null, null, 0, "logistic by default");

    /// <summary>The model the map uses: the winner of <see cref="Selection"/>.</summary>
    public IRiskModel Chosen => Selection.Chosen == "boosted_trees" && Challenger is not null ? Challenger : Model;

    /// <summary>The calibration of <see cref="Chosen"/>.</summary>
    public PlattScaling ChosenScaling => Selection.Chosen == "boosted_trees" && ChallengerScaling is not null ? ChallengerScaling : Scaling;

    /// <summary>Cells of the sampling frames the background was drawn from, summed over the origins.</summary>
    public int FrameCells { get; init; }

    /// <summary>
    /// Metres at which the logistic model holds the distances to past finds, past accidents and front lines (0: not held):
    /// the cap given (<see cref="RiskOptions.DistanceCapM"/>), or the one chosen on held-out land. Fitted on capped rows,
    /// the model reads any value beyond the cap as the cap (within its training range), so it scores uncapped layers
    /// as it would capped ones.
    /// </summary>
    public double LogisticDistanceCapM { get; init; }

    /// <summary>The same for the boosted trees (fitted on capped rows, a value beyond the cap passes their last threshold as the cap does).</summary>
    public double TreesDistanceCapM { get; init; }

    /// <summary>Training windows stacked (rolling origin); the earliest starts <c>Origins × (Cutoff − LabelFrom)</c> before the cutoff.</summary>
    public int Origins { get; init; } = 1;
}

/// <summary>
/// Which model the map uses (<see cref="RiskModel.Choose"/>): each, refitted without one spatial fold's processed cells,
/// ranks that fold's land in every training window; the share of the windows' finds and accidents in each one's top 10%,
/// pooled over folds and windows: the one holding more maps (the logistic on a tie); the interval of the difference over
/// spatial blocks is reported beside it. The captures are null when nothing could be held out.
/// </summary>
public sealed record ModelSelection(string Chosen, double? LogisticCapture, double? BoostedTreesCapture, int Events, string Reason)
{
    /// <summary>
    /// 95% interval of the deciding held-out capture's difference, boosted trees − logistic, over spatial blocks (null when
    /// nothing could be held out): on the far events when they decided (<see cref="DecidedOnFar"/>), else on all of them.
    /// </summary>
    public double[]? DifferenceInterval { get; init; }

    /// <summary>
    /// The held-out finds and accidents lying more than <see cref="RiskModel.FarM"/> from every find and accident known when their
    /// window began; null when the rows could not tell (a <c>--distance-cap</c> at or below it) or nothing could be held out.
    /// </summary>
    public int? FarEvents { get; init; }

    /// <summary>The share of <see cref="FarEvents"/> in the logistic model's top 10% (null when there were none).</summary>
    public double? FarLogisticCapture { get; init; }

    /// <summary>The same for the boosted trees.</summary>
    public double? FarBoostedTreesCapture { get; init; }

    /// <summary>Whether the far events decided (the models held different numbers of them); otherwise all held-out events did.</summary>
    public bool DecidedOnFar { get; init; }

    /// <summary>Both models held as many of the held-out events: the logistic model maps because ties go to it, not because it held more.</summary>
    public bool Tie { get; init; }
}

/// <summary>A likelihood per cell from the layers at the cutoff, with each cell's status.</summary>
public sealed record RiskMapResult(RiskScene Scene, EvidenceLayers Layers, TrainedRisk Trained, float[] Likelihood, CellStatus[] Status);

/// <summary>A cell of the ranked map with each feature's contribution to its log-odds.</summary>
/// <param name="Contributions">The mapping model's (<see cref="TrainedRisk.Chosen"/>): they add up, with its intercept, to the calibrated log-odds.</param>
public sealed record RankedCell(int Rank, int Cell, double X, double Y, double Likelihood, CellStatus Status, IReadOnlyList<(string Feature, double Contribution)> Contributions)
{
    /// <summary>The other model (the one not mapping): its kind and its contributions for the same cell.</summary>
    public string? OtherModel { get; init; }

    public IReadOnlyList<(string Feature, double Contribution)> OtherContributions { get; init; } = [];
}

/// <summary>
/// Trains the contamination model on processed land and maps it (DESIGN section 6). Training looks back:
/// the layers as they stood <see cref="RiskOptions.LabelYears"/> before the cutoff are the features, and a
/// cell of land processed in those years is positive when a find was made in it then, negative otherwise.
/// So no cell's own find is among its features, and the model learns what past evidence says about later
/// finds — the question the map answers. Cells that already held a find or accident before the window are
/// left out (their contamination was known).
/// </summary>
public static class RiskModel
{
    public static TrainedRisk Train(RiskScene scene, DateOnly cutoff, RiskOptions options, bool[]? hidden = null, RiskProgress? progress = null)
    {
        progress ??= RiskProgress.None;
        progress.Report("training labels", 0);
        var grid = scene.Grid;
        var data = scene.Data;
        var windows = TrainingWindows(scene, cutoff, options, hidden).ToList();
        var labelFrom = windows[0].From;
        bool[] training, positive;
        var anyEvent = new bool[grid.Count];
        for (var i = 0; i < data.Finds.Count; i++)
            if (scene.FindCells[i] >= 0 && scene.FindDays.KnownBefore(i, cutoff)) anyEvent[scene.FindCells[i]] = true;
        for (var i = 0; i < data.Accidents.Count; i++)
            if (scene.AccidentCells[i] >= 0 && scene.AccidentDays.KnownBefore(i, cutoff)) anyEvent[scene.AccidentCells[i]] = true;

        // Origins: the window before the cutoff, then (rolling origin) as many earlier windows of the same
        // length, each with the layers as they stood at its start.
        var processedRows = new List<(int Cell, int Origin, bool Y)>();
        var backgroundRows = new List<(int Cell, int Origin, bool Y)>();
        var originLayers = new List<EvidenceLayers>();
        var random = new Random(options.Seed);
        var frameCells = 0;
        // Each window's layers depend only on its start date: built side by side (the scene's shared caches first).
        progress.Report($"evidence layers of {windows.Count} training window(s)", 0.05);
        _ = scene.ProcessedUsable;
        _ = scene.Covariates;
        _ = scene.WorkedFor(hidden);
        var built = new EvidenceLayers[windows.Count];
        var done = 0;
        Parallel.For(0, windows.Count, k =>
        {
            built[k] = EvidenceLayers.Build(scene, windows[k].From, options, hidden);
            // Under the lock, so the share reported only grows.
            lock (built) progress.Report($"evidence layers of {windows.Count} training window(s)", 0.05 + 0.85 * ++done / windows.Count);
        });
        for (var origin = 0; origin < windows.Count; origin++)
        {
            (_, var to, training, positive) = windows[origin];
            var layersAt = built[origin];
            originLayers.Add(layersAt);
            var cells = new List<int>();
            for (var c = 0; c < grid.Count; c++)
                if (training[c] && scene.Mask[c] && !layersAt.EventCell[c] && (hidden is null || !hidden[c])) cells.Add(c);
            if (origin == 0 && (cells.Count == 0 || !cells.Any(c => positive[c])))
                throw new RiskDataException($"cannot train: no find was made in land processed (technical survey, clearance, battle area clearance) between {labelFrom:yyyy-MM-dd} and {cutoff:yyyy-MM-dd} inside the area ({cells.Count} processed cells)");
            foreach (var c in cells) processedRows.Add((c, origin, positive[c]));

            // Background: surveyed absences, labelled negative — cells drawn at random (seeded) from the sampling
            // frame, the land people had looked at by the end of the window and judged without a find (surveyed or
            // released, not processed in the window, no event, not inside a hazardous area still open). Drawn from
            // the whole area instead, any layer that marks where people work (survey coverage, hazardous areas,
            // roads) separates worked land from the background whatever the ground holds, and the model ranks
            // where teams already went above the land nobody has visited (docs/decisions/0027-effort-is-not-evidence.md).
            var frame = options.Background == BackgroundFrame.Area
                ? [.. Enumerable.Range(0, grid.Count).Where(c => scene.Mask[c] && !training[c] && !anyEvent[c] && (hidden is null || !hidden[c]))]
                : SamplingFrame(scene, to, training, anyEvent, hidden);
            var background = (int)Math.Min(Math.Max(cells.Count * options.BackgroundRatio, options.BackgroundRatio > 0 ? 1000 : 0), frame.Count);
            // A partial Fisher–Yates shuffle: the first `background` cells of a seeded permutation of the frame.
            for (var i = 0; i < background; i++)
            {
                var j = i + random.Next(frame.Count - i);
                (frame[i], frame[j]) = (frame[j], frame[i]);
                backgroundRows.Add((frame[i], origin, false));
            }
            frameCells += frame.Count;
        }
        var layers = originLayers[0];
        var rows = processedRows.Concat(backgroundRows).ToList();

        progress.Report("fitting the model", 0.9);
        var names = originLayers[0].Names;
        var signs = originLayers[0].Signs;
        var p0 = names.Length;
        var x = new double[rows.Count * p0];
        var xb = new double[rows.Count];
        var y = new bool[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            var (cell, origin, label) = rows[i];
            for (var j = 0; j < p0; j++) x[i * p0 + j] = originLayers[origin].Feature(j, cell);
            xb[i] = originLayers[origin].BaselineFeature(cell);
            y[i] = label;
        }
        // What the map's choice reads of each window's layers, taken now: only the first window's layers are kept
        // through the fits (issue 11: at scale 2500 holding every window's layers through the fits took the map
        // over 6 GiB).
        var choiceRows = PrepareChoice(scene, [.. windows.Select(w => (w.From, w.To))], originLayers, hidden);
        var originCount = originLayers.Count;
        originLayers.RemoveRange(1, originLayers.Count - 1);
        Array.Clear(built, 1, built.Length - 1);
        var fold = rows.Select(r => RiskCalibration.FoldOf(grid, r.Cell)).ToArray();
        var baselineTask = Task.Run(() =>
        {
            var fullBaseline = LogisticModel.Fit(["distance_to_nearest_past_event"], xb, y, options.L2, [-1]);
            return RiskCalibration.Calibrate(fullBaseline, xb, y, processedRows.Count, fold, options.L2);
        });
        // The distance cap: the one given (--distance-cap M; 0: none), or, left to the data, the logistic model fitted
        // and cross-fitted on the rows as they are and on the rows with the distances held at DistanceCapCandidateM, and
        // its cap chosen on the same held-out land as the model (ChooseWithCaps, ADR 40; the trees are not capped).
        double[] caps = options.DistanceCapM is { } given ? [given] : [0, DistanceCapCandidateM];
        var fitted = new Fitted[caps.Length];
        Fitted FitWithCap(int k, RiskProgress part)
        {
            var rowsK = caps[k] > 0 && options.DistanceCapM is null ? CapDistances(x, p0, (float)caps[k], (float)options.DistanceScaleM) : x;
            // The trees level off beyond their last split by themselves: left to the data, only the logistic model is refitted with the cap.
            return Fit(caps[k], names, signs, rowsK, y, processedRows.Count, fold, options, part, withTrees: k == 0);
        }
        // The fits with the cap do not depend on the first: side by side with it, so no core waits for another's last fold
        // (each fit's folds were already side by side; the full fit with the cap ran on one core).
        var withCaps = Enumerable.Range(1, caps.Length - 1).Select(k => Task.Run(() => fitted[k] = FitWithCap(k, RiskProgress.None))).ToArray();
        fitted[0] = FitWithCap(0, progress.Part(0.9, 0.97));
        if (withCaps.Any(t => !t.IsCompleted)) progress.Report("fitting the model", 0.97);
        Task.WaitAll(withCaps);
        progress.Report("choosing between logistic and boosted trees", 0.97);
        var (selection, logisticCap) = ChooseWithCaps(choiceRows, fitted, options.DistanceCapM is null, options.DistanceScaleM, options.Seed);
        var (baseline, baselineScaling) = baselineTask.GetAwaiter().GetResult();
        var (model, scaling) = (fitted[logisticCap].Model, fitted[logisticCap].Scaling);
        // The trees are fitted once, on the rows as they are (or with the cap given): the first fit.
        var (trees, treesScaling) = (fitted[0].Trees!, fitted[0].TreesScaling!);
        return new TrainedRisk(model, baseline, labelFrom, cutoff, processedRows.Count, backgroundRows.Count, layers, scaling, baselineScaling)
        {
            FrameCells = frameCells, Origins = originCount, Challenger = trees, ChallengerScaling = treesScaling, Selection = selection, LogisticDistanceCapM = caps[logisticCap], TreesDistanceCapM = caps[0],
        };
    }

    /// <summary>The cap tried beside none when <see cref="RiskOptions.DistanceCapM"/> is left to the data: twice the event density's bandwidth (ADR 37, ADR 40).</summary>
    public const double DistanceCapCandidateM = 2000;

    /// <summary>
    /// Held-out events this far from every earlier find and accident are the "far" ones: land nobody had worked near, where the
    /// baseline cannot point and the map must (the distance cap's choice and the map's model are decided on them first, ADR 44).
    /// </summary>
    public const double FarM = DistanceCapCandidateM;

    /// <summary>
    /// Whether an event's feature row (distances as ln(1 + d / <paramref name="scaleM"/>)) lies more than <see cref="FarM"/> from
    /// every find and accident known at its window's start. With a cap given at or below <see cref="FarM"/> (<c>--distance-cap</c>)
    /// the rows cannot tell: <see cref="ChooseWithCaps"/> then passes no test at all.
    /// </summary>
    public static Func<double[], bool> IsFar(double scaleM)
    {
        // Computed as the layers compute a distance's feature (single precision), so an event exactly FarM away is not far at any scale.
        var ceiling = (double)MathF.Log(1 + (float)FarM / (float)scaleM);
        return f => f[0] > ceiling && f[1] > ceiling;
    }

    /// <summary>Both models fitted and cross-fitted on rows with one distance cap; each fold's refits, for the choice.</summary>
    private sealed record Fitted(double CapM, LogisticModel Model, PlattScaling Scaling, BoostedTreesModel? Trees, PlattScaling? TreesScaling,
        RiskCalibration.RowScore?[] LogisticFolds, RiskCalibration.RowScore?[]? TreesFolds);

    private static Fitted Fit(double capM, string[] names, int[] signs, double[] x, bool[] y, int processedRows, int[] fold, RiskOptions options, RiskProgress progress, bool withTrees = true)
    {
        if (!withTrees)
        {
            progress.Report("fitting the model", 0);
            var logisticOnly = new RiskCalibration.RowScore?[RiskCalibration.Folds];
            var (capped, cappedScaling) = RiskCalibration.Calibrate(LogisticModel.Fit(names, x, y, options.L2, signs, bounded: true, maxRows: LogisticModel.NationalMaxRows), x, y, processedRows, fold, options.L2, logisticOnly);
            return new Fitted(capM, capped, cappedScaling, null, null, logisticOnly, null);
        }
        // The two full fits are independent: side by side (each calibration then refits its folds side by side).
        LogisticModel fullModel = null!;
        BoostedTreesModel fullTrees = null!;
        progress.Report("fitting the model", 0);
        Parallel.Invoke(
            () => fullModel = LogisticModel.Fit(names, x, y, options.L2, signs, bounded: true, maxRows: LogisticModel.NationalMaxRows),
            () => fullTrees = BoostedTreesModel.Fit(names, x, y, options.Seed));
        // The calibration's cross-fit refits both models without each spatial fold's processed rows: the map's choice
        // ranks each fold's land with those same refits, so choosing costs no further fit.
        var logisticFolds = new RiskCalibration.RowScore?[RiskCalibration.Folds];
        var treesFolds = new RiskCalibration.RowScore?[RiskCalibration.Folds];
        var (model, scaling) = RiskCalibration.Calibrate(fullModel, x, y, processedRows, fold, options.L2, logisticFolds);
        // The challenger: boosted trees on the same rows, calibrated the same way.
        progress.Report("fitting the boosted trees", 0.4);
        var (trees, treesScaling) = RiskCalibration.Calibrate(fullTrees, x, y, processedRows, fold, options.Seed, treesFolds);
        return new Fitted(capM, model, scaling, trees, treesScaling, logisticFolds, treesFolds);
    }

    /// <summary>
    /// The map's model and the logistic model's distance cap, on land held out by spatial fold (<see cref="Choose"/>'s captures).
    /// With the cap left to the data (<paramref name="capsChosen"/>, two logistic fits: none, then <see cref="DistanceCapCandidateM"/>):
    /// the logistic model keeps the cap unless, on the held-out events lying beyond the cap from every earlier find and
    /// accident (the only land whose ranking the cap changes), it holds more of them without it — additive in the log
    /// distances, it pushes land far from every past event down without bound, and most held-out land lies beside its
    /// neighbours' events, where the cap changes nothing; the trees, which level off beyond their last split anyway,
    /// are not capped (not refitted: speed). Then the model holding more maps, as
    /// <see cref="Choose"/> says. Returns the index of the logistic fit chosen (the trees are always the first fit's).
    /// </summary>
    private static (ModelSelection Selection, int Logistic) ChooseWithCaps(ChoiceRows rows, Fitted[] fitted, bool capsChosen, double scaleM, int seed)
    {
        var isFar = IsFar(scaleM);
        // A cap given at or below FarM holds every distance there: the rows cannot tell far events from near ones.
        if (!capsChosen || fitted.Length == 1)
            return (Choose(rows, fitted[0].LogisticFolds, fitted[0].TreesFolds!, seed, fitted[0].CapM is > 0 and <= FarM ? null : isFar), 0);
        // Each fold's land ranked once by each of the three refits (logistic without and with the cap, trees), read for both choices.
        RiskCalibration.RowScore?[][] models = [fitted[0].LogisticFolds, fitted[1].LogisticFolds, fitted[0].TreesFolds!];
        var events = HeldOutEvents(rows, models);
        var far = ByBlock(events, isFar);
        var farEvents = far.Sum(b => b.Events);
        var farWithout = far.Sum(b => b.Held[0]);
        var farWith = far.Sum(b => b.Held[1]);
        var logistic = farWithout > farWith ? 0 : 1;
        var selection = Choose(rows.Windows, AnyFold(models), [.. events.Select(e => (e.Features, e.Count, e.Block, (double[])[e.Held[logistic], e.Held[2]]))], seed, isFar);
        var why = string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"of the {farEvents} held-out finds and accidents beyond {fitted[1].CapM:0} m from every earlier one, the logistic model held {farWith:0.#} in its top 10% with the cap, {farWithout:0.#} without: the cap unless more without it");
        return (selection with { Reason = selection.Reason + CapClause(fitted[logistic].CapM, why) }, logistic);
    }

    private static string CapClause(double logisticCapM, string why)
    {
        static string Cap(double m) => m > 0 ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"held at {m:0} m") : "not held";
        return $"; distances to past finds, past accidents and front lines: {Cap(logisticCapM)} in the logistic model, not held in the boosted trees, chosen on the same held-out land ({why})";
    }

    /// <summary>Every event of the windows in a fold that every model could refit without: its features, count and block, and how much of it each model held in its fold's top 10%.</summary>
    private static List<(double[] Features, int Count, int Block, double[] Held)> HeldOutEvents(ChoiceRows rows, RiskCalibration.RowScore?[][] models)
    {
        var usable = Enumerable.Range(0, models[0].Length).Where(f => models.All(m => m[f] is not null)).ToArray();
        var events = new List<(double[] Features, int Count, int Block, double[] Held)>();
        for (var w = 0; w < rows.Windows; w++)
            foreach (var f in usable)
            {
                var inFold = rows.Events[w][f];
                var cells = rows.Cells[w][f];
                if (inFold.Count == 0 || cells.Length == 0) continue;
                var held = models.Select(m => Captured(m[f]!, cells, rows.Features, inFold)).ToArray();
                for (var i = 0; i < inFold.Count; i++)
                    events.Add((inFold[i].Features, inFold[i].Count, inFold[i].Block, [.. held.Select(h => h[i])]));
            }
        return events;
    }

    /// <summary>The events (those <paramref name="only"/> keeps) summed per block, in block order.</summary>
    private static List<(double[] Held, int Events)> ByBlock(List<(double[] Features, int Count, int Block, double[] Held)> events, Func<double[], bool>? only = null)
    {
        var blocks = new SortedDictionary<int, (double[] Held, int Events)>();
        foreach (var (features, count, block, held) in events)
        {
            if (only is not null && !only(features)) continue;
            if (!blocks.TryGetValue(block, out var b)) b = (new double[held.Length], 0);
            for (var m = 0; m < held.Length; m++) b.Held[m] += held[m];
            blocks[block] = (b.Held, b.Events + count);
        }
        return [.. blocks.Values];
    }

    /// <summary>A copy of the feature rows with the distances to past finds, past accidents and front lines held at <paramref name="capM"/> metres (as <see cref="EvidenceLayers"/> reads them with a cap).</summary>
    public static double[] CapDistances(double[] x, int p, float capM, float scaleM)
    {
        var ceiling = (double)MathF.Log(1 + capM / scaleM);
        var capped = (double[])x.Clone();
        for (var i = 0; i < capped.Length; i += p)
            foreach (var j in EvidenceLayers.CappedFeatures)
                capped[i + j] = Math.Min(capped[i + j], ceiling);
        return capped;
    }

    /// <summary>What <see cref="Choose(ChoiceRows, RiskCalibration.RowScore?[], RiskCalibration.RowScore?[], int, Func{double[], bool})"/> reads of the windows' layers: each fold's sampled cells and each window's events in the fold, as feature rows.</summary>
    public sealed class ChoiceRows
    {
        public required int Windows { get; init; }
        public required int Features { get; init; }
        /// <summary>Per window and fold: the fold's sampled cells' features, one row after another.</summary>
        public required double[][][] Cells { get; init; }
        /// <summary>Per window and fold: the window's events in the fold (a cell's features, its count and its block, <see cref="RiskCalibration.BlockOf"/>).</summary>
        public required List<(double[] Features, int Count, int Block)>[][] Events { get; init; }
    }

    /// <summary>Reads the choice's feature rows from the windows' layers (the same cells and events <see cref="Choose(ChoiceRows, RiskCalibration.RowScore?[], RiskCalibration.RowScore?[], int, Func{double[], bool})"/> ranks), so the layers can go before the fits.</summary>
    public static ChoiceRows PrepareChoice(RiskScene scene, IReadOnlyList<(DateOnly From, DateOnly To)> windows, IReadOnlyList<EvidenceLayers> layers, bool[]? hidden)
    {
        var grid = scene.Grid;
        var folds = RiskCalibration.Folds;
        var cellsByFold = new List<int>[folds];
        for (var f = 0; f < folds; f++) cellsByFold[f] = [];
        var eligible = 0;
        for (var c = 0; c < grid.Count; c++) if (scene.Mask[c] && (hidden is null || !hidden[c])) eligible++;
        // At most 200,000 cells ranked in all, whatever the number of windows: the choice needs a ranking, not the last decimal.
        var stride = Math.Max(1, (int)((long)eligible * windows.Count / 200_000));
        var k = 0;
        for (var c = 0; c < grid.Count; c++)
            if (scene.Mask[c] && (hidden is null || !hidden[c]) && k++ % stride == 0) cellsByFold[RiskCalibration.FoldOf(grid, c)].Add(c);
        var p = layers.Count == 0 ? 0 : layers[0].Names.Length;
        double[] Row(EvidenceLayers l, int c)
        {
            var row = new double[p];
            for (var j = 0; j < p; j++) row[j] = l.Feature(j, c);
            return row;
        }
        var cells = new double[windows.Count][][];
        var events = new List<(double[] Features, int Count, int Block)>[windows.Count][];
        for (var w = 0; w < windows.Count; w++)
        {
            var l = layers[w];
            cells[w] = new double[folds][];
            events[w] = new List<(double[], int, int)>[folds];
            for (var f = 0; f < folds; f++)
            {
                var list = cellsByFold[f];
                var rows = new double[list.Count * p];
                Parallel.For(0, list.Count, i => { for (var j = 0; j < p; j++) rows[i * p + j] = l.Feature(j, list[i]); });
                cells[w][f] = rows;
                events[w][f] = [];
            }
            foreach (var (cell, count) in WindowEvents(scene, windows[w].From, windows[w].To, hidden))
            {
                var (row, column) = RiskCalibration.BlockOf(grid, cell);
                events[w][RiskCalibration.FoldOf(grid, cell)].Add((Row(l, cell), count, row * 64 + column));
            }
        }
        return new ChoiceRows { Windows = windows.Count, Features = p, Cells = cells, Events = events };
    }

    /// <summary>
    /// The map's model: for every training window and every spatial fold of the cross-fit, the fold's land (an even sample
    /// of at most 200,000 cells over all windows) ranked by each model refitted without that fold's processed rows, on the layers
    /// at the window's start; the share of the window's finds and accidents inside the fold that lie in the fold's top 10%,
    /// pooled over folds and windows, with a 95% interval of the difference (boosted trees − logistic) from
    /// <see cref="ChoiceBootstrapSamples"/> bootstrap samples over the blocks of the folds (paired: the same blocks for both).
    /// The model holding more of the <paramref name="far"/> events (those lying beyond <see cref="FarM"/> from every earlier find
    /// and accident: land nobody had worked near) maps; when they tie (none held out, or as many held by each), the one holding
    /// more of all the events; the logistic model on a tie there too or when no fold could be refitted
    /// (docs/decisions/0044-the-map-model-chosen-on-land-nobody-had-worked-near.md). The interval (of the deciding figures) is
    /// reported, not used: a rule on it was measured and not adopted (docs/decisions/0039-the-map-model-choice-with-an-interval.md).
    /// The rows are read by <see cref="PrepareChoice"/> before the fits, so the windows' layers can go.
    /// </summary>
    public static ModelSelection Choose(ChoiceRows rows, RiskCalibration.RowScore?[] logisticFolds, RiskCalibration.RowScore?[] treesFolds, int seed = 0, Func<double[], bool>? far = null)
    {
        RiskCalibration.RowScore?[][] models = [logisticFolds, treesFolds];
        return Choose(rows.Windows, AnyFold(models), HeldOutEvents(rows, models), seed, far);
    }

    /// <summary>Whether some fold could be refitted without by every one of <paramref name="models"/>.</summary>
    private static bool AnyFold(RiskCalibration.RowScore?[][] models) =>
        Enumerable.Range(0, models[0].Length).Any(f => models.All(m => m[f] is not null));

    /// <summary><see cref="Choose(ChoiceRows, RiskCalibration.RowScore?[], RiskCalibration.RowScore?[], int, Func{double[], bool})"/> on the held-out events already ranked (held by the logistic model, then by the trees).</summary>
    private static ModelSelection Choose(int windows, bool anyFold, List<(double[] Features, int Count, int Block, double[] Held)> events, int seed, Func<double[], bool>? far)
    {
        if (!anyFold)
            return new ModelSelection("logistic", null, null, 0, "no spatial fold could be held out (too few processed cells with finds): the logistic model maps");
        var all = ByBlock(events);
        var total = all.Sum(b => b.Events);
        if (total == 0)
            return new ModelSelection("logistic", null, null, 0, "no find or accident of the training windows lies in a fold that could be held out: the logistic model maps");
        var logistic = all.Sum(b => b.Held[0]) / total;
        var treesShare = all.Sum(b => b.Held[1]) / total;
        // The far events first: the land nobody had worked near is the land the map exists to point at, and the only land where
        // the baseline cannot; on a tie there (none held out, or as many held by each) all the held-out events decide.
        var farBlocks = far is null ? [] : ByBlock(events, far);
        var farTotal = farBlocks.Sum(b => b.Events);
        var (farLogistic, farTrees) = (farBlocks.Sum(b => b.Held[0]), farBlocks.Sum(b => b.Held[1]));
        var onFar = farTotal > 0 && farLogistic != farTrees;
        var deciding = onFar ? farBlocks : all;
        var (low, high) = DifferenceInterval([.. deciding.Select(b => (b.Held[0], b.Held[1], b.Events))], seed);
        var tie = !onFar && treesShare == logistic;
        var winner = (onFar ? farTrees > farLogistic : treesShare > logistic) ? "boosted_trees" : "logistic";
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        var who = tie ? "neither model held more" : $"the {(winner == "logistic" ? "logistic model" : "boosted trees")} held more";
        const string half = "an event on the 10% threshold counts half";
        var farWhere = string.Create(inv, $"more than {FarM:0} m from every find and accident known when their window began");
        var farWhat = "lying " + farWhere;
        var farText = far is null
            ? string.Create(inv, $"the distances are held at or below {FarM:0} m (--distance-cap), so the events far from every earlier one cannot be told apart")
            : farTotal == 0
                ? $"none of them lay {farWhere}"
                : string.Create(inv, $"of the {farTotal} {farWhat}, the logistic model held {farLogistic:0.#} ({farLogistic / farTotal:0.0%}), the boosted trees {farTrees:0.#} ({farTrees / farTotal:0.0%})");
        var reason = onFar
            ? string.Create(inv, $"on land held out by spatial fold in {windows} training window(s), {who} of the {farTotal} finds and accidents {farWhat} — land where the map must point and distance to past events cannot — in its top 10% (logistic {farLogistic:0.#}, {farLogistic / farTotal:0.0%}; boosted trees {farTrees:0.#}, {farTrees / farTotal:0.0%}; {half}; trees − logistic {100 * (farTrees - farLogistic) / farTotal:+0.0;-0.0;0.0} points, 95% interval {100 * low:+0.0;-0.0;0.0} to {100 * high:+0.0;-0.0;0.0} over {farBlocks.Count} blocks); of all {total} held out: logistic {logistic:0.0%}, boosted trees {treesShare:0.0%}")
            : string.Create(inv, $"on land held out by spatial fold in {windows} training window(s), {who} of the {total} finds and accidents in its top 10% (logistic {logistic:0.0%}, boosted trees {treesShare:0.0%}; {farText}, so all of them decide; ties go to the logistic model; trees − logistic {100 * (treesShare - logistic):+0.0;-0.0;0.0} points, 95% interval {100 * low:+0.0;-0.0;0.0} to {100 * high:+0.0;-0.0;0.0} over {all.Count} blocks)");
        return new ModelSelection(winner, logistic, treesShare, total, reason)
        {
            DifferenceInterval = [low, high],
            FarEvents = far is null ? null : farTotal,
            FarLogisticCapture = farTotal > 0 ? farLogistic / farTotal : null,
            FarBoostedTreesCapture = farTotal > 0 ? farTrees / farTotal : null,
            DecidedOnFar = onFar,
            Tie = tie,
        };
    }

    /// <summary>Bootstrap samples of the held-out capture's difference in <see cref="Choose"/>.</summary>
    public const int ChoiceBootstrapSamples = 200;

    /// <summary>
    /// The 95% interval (2.5th and 97.5th percentiles) of the pooled held-out capture's difference, boosted trees − logistic,
    /// over <see cref="ChoiceBootstrapSamples"/> seeded samples of the blocks drawn with replacement (each block's events and
    /// both models' captures go together).
    /// </summary>
    public static (double Low, double High) DifferenceInterval(IReadOnlyList<(double Logistic, double Trees, int Events)> blocks, int seed)
    {
        var random = new Random(seed);
        var differences = new List<double>(ChoiceBootstrapSamples);
        for (var s = 0; s < ChoiceBootstrapSamples; s++)
        {
            double l = 0, t = 0, n = 0;
            for (var i = 0; i < blocks.Count; i++)
            {
                var b = blocks[random.Next(blocks.Count)];
                l += b.Logistic;
                t += b.Trees;
                n += b.Events;
            }
            if (n > 0) differences.Add((t - l) / n);
        }
        if (differences.Count == 0) return (0, 0);
        differences.Sort();
        return (RiskEvaluation.Quantile(differences, 0.025), RiskEvaluation.Quantile(differences, 0.975));
    }

    /// <summary>For each event of <paramref name="events"/>, how much of it lies among the top 10% of the cells (feature rows <paramref name="cells"/>) ranked by <paramref name="score"/>: its count, half of it at the threshold, or none.</summary>
    private static double[] Captured(RiskCalibration.RowScore score, double[] cells, int p, List<(double[] Features, int Count, int Block)> events)
    {
        var n = p == 0 ? 0 : cells.Length / p;
        var scores = new double[n];
        Parallel.For(0, n, i => scores[i] = score(cells.AsSpan(i * p, p)));
        Array.Sort(scores);
        var threshold = scores[Math.Max(0, scores.Length - (int)Math.Ceiling(0.1 * scores.Length))];
        var captured = new double[events.Count];
        for (var i = 0; i < events.Count; i++)
        {
            var (features, count, _) = events[i];
            var s = score(features);
            captured[i] = count * (s > threshold ? 1 : s == threshold ? 0.5 : 0);
        }
        return captured;
    }

    /// <summary>
    /// The sampling frame of a window ending at <paramref name="to"/>: cells of the area people had surveyed or
    /// released by then (hidden blocks' worked land left out whole, as in the layers), less the window's processed
    /// cells (they are labelled), cells holding any event known by the cutoff, and cells of hazardous areas recorded
    /// by then and not released (their ground truth is not known yet). In cell order.
    /// </summary>
    public static List<int> SamplingFrame(RiskScene scene, DateOnly to, bool[] training, bool[] anyEvent, bool[]? hidden)
    {
        var grid = scene.Grid;
        // The land looked at, released and under hazardous areas by the end of the window, as the layers read it (RiskScene.WorkedFor).
        var worked = scene.WorkedFor(hidden);
        var day = to.DayNumber;
        var frame = new List<int>();
        for (var c = 0; c < grid.Count; c++)
            if (worked.Surveyed[c] < day && scene.Mask[c] && !training[c] && !anyEvent[c] && (worked.Hazard[c] >= day || worked.Released[c] < day) && (hidden is null || !hidden[c])) frame.Add(c);
        return frame;
    }

    /// <summary>Cells holding finds (contamination) and mine/ERW accidents dated in [from, to), not hidden, with their counts.</summary>
    private static List<(int Cell, int Count)> WindowEvents(RiskScene scene, DateOnly from, DateOnly to, bool[]? hidden)
    {
        var counts = new Dictionary<int, int>();
        void Add(int c)
        {
            if (c < 0 || !scene.Mask[c] || (hidden is not null && hidden[c])) return;
            counts[c] = counts.GetValueOrDefault(c) + 1;
        }
        var (finds, accidents) = (scene.FindDays, scene.AccidentDays);
        for (var i = 0; i < scene.Data.Finds.Count; i++)
            if (finds.Contamination[i] && finds.Within(i, from, to)) Add(scene.FindCells[i]);
        for (var i = 0; i < scene.Data.Accidents.Count; i++)
            if (accidents.Contamination[i] && accidents.Within(i, from, to)) Add(scene.AccidentCells[i]);
        return [.. counts.OrderBy(kv => kv.Key).Select(kv => (kv.Key, kv.Value))];
    }

    /// <summary>With <c>--origins</c> left at 0 (automatic), at most this many windows are stacked: each costs a full set of layers.</summary>
    public const int MaxAutomaticOrigins = 4;

    /// <summary>Processed cells with finds the training window needs before it stops widening.</summary>
    public const int MinimumPositiveCells = 10;

    /// <summary>
    /// The training windows at <paramref name="cutoff"/>: the latest is the shortest of LabelYears, doubled up to 32 times
    /// that, holding enough processed cells with finds; then (rolling origin) as many earlier windows of the same length as
    /// <see cref="RiskOptions.Origins"/> asks, or (0, the default) as hold <see cref="MinimumPositiveCells"/> processed
    /// cells with finds, up to <see cref="MaxAutomaticOrigins"/>. Each with its processed cells and those with a find;
    /// the latest first, each labelled only when asked for.
    /// </summary>
    private static IEnumerable<(DateOnly From, DateOnly To, bool[] Training, bool[] Positive)> TrainingWindows(
        RiskScene scene, DateOnly cutoff, RiskOptions options, bool[]? hidden)
    {
        var grid = scene.Grid;
        DateOnly labelFrom = default;
        bool[] training = [], positive = [];
        for (var years = options.LabelYears; ; years *= 2)
        {
            labelFrom = DateOnly.FromDayNumber(Math.Max(0, cutoff.DayNumber - (int)Math.Min(cutoff.DayNumber, Math.Round(years * 365.25))));
            (training, positive) = Labels(scene, labelFrom, cutoff, hidden);
            var count = 0;
            for (var c = 0; c < grid.Count; c++) if (training[c] && positive[c] && scene.Mask[c]) count++;
            if (count >= MinimumPositiveCells || years >= options.LabelYears * 32) break;
        }
        var windowDays = cutoff.DayNumber - labelFrom.DayNumber;
        // Origins: a fixed number, or (0, the default) every earlier window the data allows — one holding at least
        // MinimumPositiveCells processed cells with finds — up to MaxAutomaticOrigins.
        var auto = options.Origins <= 0;
        var origins = auto ? MaxAutomaticOrigins : options.Origins;
        // The earlier windows' labels, each rasterising the land processed in it on one core, are worked out side by side
        // (issue 16: one after another they were most of the map's "training labels" stage), then taken in order.
        var spans = Enumerable.Range(0, origins).Select(origin =>
        {
            var to = DateOnly.FromDayNumber(Math.Max(0, cutoff.DayNumber - origin * windowDays));
            return (From: DateOnly.FromDayNumber(Math.Max(0, to.DayNumber - windowDays)), To: to);
        }).ToArray();
        var earlier = new (bool[], bool[])[origins];
        if (origins > 1 && windowDays > 0) Parallel.For(1, origins, origin => earlier[origin] = Labels(scene, spans[origin].From, spans[origin].To, hidden));
        for (var origin = 0; origin < origins; origin++)
        {
            var (from, to) = spans[origin];
            if (origin > 0)
            {
                if (from == to) break;
                (training, positive) = earlier[origin];
                if (auto)
                {
                    var found = 0;
                    for (var c = 0; c < grid.Count; c++) if (training[c] && positive[c] && scene.Mask[c] && (hidden is null || !hidden[c])) found++;
                    if (found < MinimumPositiveCells) yield break;
                }
            }
            yield return (from, to, training, positive);
        }
    }

    /// <summary>
    /// How many processed cells inside the area the training windows at <paramref name="cutoff"/> hold, summed over the
    /// windows (each cell of land processed in a window and not holding an earlier find or accident): the rows
    /// <see cref="Train"/> would learn from, counted without building a layer or fitting. With <paramref name="enough"/>,
    /// counting stops once the windows labelled so far hold that many (the latest window is labelled first).
    /// </summary>
    public static int ProcessedTrainingCells(RiskScene scene, DateOnly cutoff, RiskOptions options, int enough = int.MaxValue)
    {
        var count = 0;
        foreach (var (_, _, training, _) in TrainingWindows(scene, cutoff, options, null))
        {
            for (var c = 0; c < scene.Grid.Count; c++) if (training[c] && scene.Mask[c]) count++;
            if (count >= enough) break;
        }
        return count;
    }

    /// <summary>Cells of land processed in [from, to) and those where a find was made in that window (with no block held out: once per scene, for the cell's choice and the training both).</summary>
    private static (bool[] Training, bool[] Positive) Labels(RiskScene scene, DateOnly from, DateOnly to, bool[]? hidden) =>
        hidden is null ? scene.LabelsOf(from, to, () => ComputeLabels(scene, from, to, null)) : ComputeLabels(scene, from, to, hidden);

    private static (bool[] Training, bool[] Positive) ComputeLabels(RiskScene scene, DateOnly from, DateOnly to, bool[]? hidden)
    {
        var grid = scene.Grid;
        var data = scene.Data;
        var training = new bool[grid.Count];
        for (var i = 0; i < data.Processed.Count; i++)
        {
            var p = data.Processed[i];
            if (p.Start is not { } start || !RiskScene.KnownBefore(start, to)) continue;
            if (p.End is { } end && RiskScene.KnownBefore(end, from)) continue;
            grid.FillPolygonal(scene.ProcessedMetric[i], c => training[c] = true);
        }
        var positive = new bool[grid.Count];
        var (finds, accidents) = (scene.FindDays, scene.AccidentDays);
        for (var i = 0; i < data.Finds.Count; i++)
        {
            var cell = scene.FindCells[i];
            if (cell < 0 || !finds.Contamination[i] || (hidden is not null && hidden[cell])) continue;
            if (finds.Within(i, from, to)) positive[cell] = true;
        }
        // Cells whose contamination was already known before the window (a past find or accident) are left out.
        for (var i = 0; i < data.Finds.Count; i++)
            if (scene.FindCells[i] >= 0 && finds.Contamination[i] && finds.KnownBefore(i, from)) training[scene.FindCells[i]] = false;
        for (var i = 0; i < data.Accidents.Count; i++)
            if (scene.AccidentCells[i] >= 0 && accidents.Contamination[i] && accidents.KnownBefore(i, from)) training[scene.AccidentCells[i]] = false;
        return (training, positive);
    }

    /// <summary>The model's likelihood for every cell of <paramref name="where"/>; NaN elsewhere.</summary>
    public static float[] Predict(IRiskModel model, EvidenceLayers layers, bool[] where)
    {
        var grid = layers.Grid;
        var result = new float[grid.Count];
        var p = model.Names.Count;
        Parallel.For(0, grid.Rows, () => new double[p], (row, _, features) =>
        {
            for (var c = row * grid.Columns; c < (row + 1) * grid.Columns; c++)
            {
                if (!where[c]) { result[c] = float.NaN; continue; }
                for (var j = 0; j < p; j++) features[j] = layers.Feature(j, c);
                result[c] = (float)LogisticModel.Sigmoid(model.Logit(features));
            }
            return features;
        }, _ => { });
        return result;
    }

    /// <summary>The baseline model's probability (monotone in the distance to the nearest past event).</summary>
    public static float[] PredictBaseline(LogisticModel baseline, EvidenceLayers layers, bool[] where)
    {
        var result = new float[layers.Grid.Count];
        Parallel.For(0, layers.Grid.Rows, row =>
        {
            Span<double> f = stackalloc double[1];
            for (var c = row * layers.Grid.Columns; c < (row + 1) * layers.Grid.Columns; c++)
            {
                if (!where[c]) { result[c] = float.NaN; continue; }
                f[0] = layers.BaselineFeature(c);
                result[c] = (float)baseline.Probability(f);
            }
        });
        return result;
    }

    /// <summary>The map at <paramref name="cutoff"/> (what was known before it: for <c>--as-of D</c>, the day after D).</summary>
    public static RiskMapResult Map(RiskData data, DateOnly cutoff, RiskOptions options, RiskProgress? progress = null)
    {
        progress ??= RiskProgress.None;
        progress.Report("projecting the data onto the grid", 0);
        return Map(new RiskScene(data, options.CellM), cutoff, options, progress);
    }

    /// <summary>The same on a scene already projected (its cell is the map's; <paramref name="options"/>' CellM should match it).</summary>
    public static RiskMapResult Map(RiskScene scene, DateOnly cutoff, RiskOptions options, RiskProgress? progress = null)
    {
        progress ??= RiskProgress.None;
        if (scene.MaskCount == 0) throw new RiskDataException("the area holds no cell centre: choose a smaller cell or a larger area");
        // The records' shapes and the mine finds in them are made in the background while the windows' first layers are built
        // (each window waits for them before it measures its records, EvidenceLayers.Build); the layers at the cutoff do not
        // depend on the training: built beside it.
        var shapes = Task.Run(scene.PrepareRecordEvidence);
        var atCutoff = Task.Run(() => EvidenceLayers.Build(scene, cutoff, options));
        var trained = Train(scene, cutoff, options, progress: progress.Part(0.1, 0.85));
        if (!atCutoff.IsCompleted) progress.Report("evidence layers at the cutoff", 0.85);
        var layers = atCutoff.GetAwaiter().GetResult();
        shapes.GetAwaiter().GetResult();
        scene.ForgetLayerCaches();
        progress.Report("scoring every cell", 0.9);
        var likelihood = Predict(trained.Chosen, layers, scene.Mask);
        var status = new CellStatus[scene.Grid.Count];
        Parallel.For(0, scene.Grid.Count, c =>
        {
            status[c] = !scene.Mask[c] ? CellStatus.Outside
                : layers.Released[c] ? CellStatus.Released
                : layers.EventCell[c] || layers.Hazard[c] || layers.RecordCell[c] ? CellStatus.Evidence
                : layers.Surveyed[c] ? CellStatus.NoEvidence
                : CellStatus.NotSurveyed;
        });
        return new RiskMapResult(scene, layers, trained, likelihood, status);
    }

    /// <summary>The <paramref name="n"/> cells of highest likelihood (ties: lower cell index), with contributions.</summary>
    public static List<RankedCell> Top(RiskMapResult map, int n)
    {
        var grid = map.Scene.Grid;
        var cells = Enumerable.Range(0, grid.Count).Where(c => !float.IsNaN(map.Likelihood[c]))
            .OrderByDescending(c => map.Likelihood[c]).ThenBy(c => c).Take(n).ToList();
        var chosen = map.Trained.Chosen;
        IRiskModel? other = chosen is BoostedTreesModel ? map.Trained.Model : map.Trained.Challenger;
        IReadOnlyList<(string, double)> Split(IRiskModel m, int c)
        {
            var f = new double[m.Names.Count];
            for (var j = 0; j < f.Length; j++) f[j] = map.Layers.Feature(j, c);
            var into = new double[f.Length];
            m.Contributions(f, into);
            return [.. m.Names.Select((name, j) => (name, into[j]))];
        }
        return [.. cells.Select((c, i) => new RankedCell(i + 1, c, grid.CentreX(c % grid.Columns), grid.CentreY(c / grid.Columns), map.Likelihood[c], map.Status[c], Split(chosen, c))
        {
            OtherModel = other?.Kind, OtherContributions = other is null ? [] : Split(other, c),
        })];
    }

    /// <summary>The day after a date of information: what was known by the end of <paramref name="asOf"/>.</summary>
    public static DateOnly CutoffAfter(DateOnly asOf) => asOf.AddDays(1);

    /// <summary>The latest date any event or worked land carries, for a map with no <c>--as-of</c>.</summary>
    public static DateOnly LatestDate(RiskData data)
    {
        var dates = data.Finds.Select(f => f.FoundOn.End)
            .Concat(data.Accidents.Select(a => a.OccurredOn.End))
            .Concat(data.Processed.SelectMany(p => new[] { p.Start?.End, p.End?.End }).OfType<DateOnly>())
            .Concat(data.Releases.Select(r => r.On?.End).OfType<DateOnly>());
        return dates.DefaultIfEmpty(DateOnly.MinValue).Max();
    }
}
