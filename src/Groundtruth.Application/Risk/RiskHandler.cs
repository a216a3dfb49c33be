using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Groundtruth.Analysis.Risk;
using Groundtruth.Application.History;
using Groundtruth.Application.Progress;
using Groundtruth.Application.Storage;

namespace Groundtruth.Application.Risk;

/// <summary>A request for <c>groundtruth risk map</c>.</summary>
/// <param name="Out">The GeoTIFF to write; the status raster, PNG preview and top cells go beside it.</param>
/// <param name="Top">How many of the highest cells to write as GeoJSON (0: none).</param>
/// <param name="Language">The language of the PNG preview's legend (default: the current UI culture).</param>
/// <param name="AutomaticCell">No cell was asked for: start at <see cref="RiskOptions.CellM"/> and halve it while the training windows
/// hold fewer than <see cref="RiskHandler.MinimumTrainingCells"/> processed cells (<see cref="RiskHandler.AutomaticCell"/>).</param>
public sealed record RiskMapRequest(string Out, RiskOptions Options, string? Place = null, HistoryPoint? At = null, int Top = 0, string Actor = "cli", CultureInfo? Language = null, bool AutomaticCell = false);

/// <summary>What <c>risk map</c> wrote.</summary>
/// <param name="CellChoice">How the automatic cell was chosen (null when the cell was asked for).</param>
public sealed record RiskMapReport(RiskMapResult Map, IReadOnlyList<string> Files, string AreaName, DateOnly Cutoff, DateTime ComputedAt, RiskLegend Legend, string? CellChoice = null);

/// <summary>A request for <c>groundtruth risk evaluate</c>: a split date, or a number of spatial blocks.</summary>
public sealed record RiskEvaluateRequest(RiskOptions Options, DateOnly? SplitDate = null, int? SpatialBlocks = null, string? Place = null, HistoryPoint? At = null);

/// <summary>
/// The risk map and its validation (DESIGN section 6). Risk outputs are restricted to analysts and above:
/// every file is marked RESTRICTED and every export is written to the audit log.
/// </summary>
public sealed class RiskHandler(DatabaseTarget target, TimeProvider clock)
{
    public const string Marking = "RESTRICTED: Groundtruth contamination risk map, for analysts and above; not for publication. Released land is never safe; land not surveyed is not land without evidence.";

    public async Task<RiskMapReport> MapAsync(RiskMapRequest request, IProgress<WorkProgress>? progress = null, CancellationToken ct = default)
    {
        var stages = Stages(progress);
        Validate(request.Options);
        if (request.Top < 0) throw new InvalidRequestException("top", "must be zero or more");
        if (!request.Out.EndsWith(".tif", StringComparison.OrdinalIgnoreCase) && !request.Out.EndsWith(".tiff", StringComparison.OrdinalIgnoreCase))
            throw new InvalidRequestException("out", $"'{request.Out}': the map is a GeoTIFF, name it .tif");
        await using var db = target.CreateContext();
        await SchemaGuard.EnsureCurrentAsync(db, ct);
        var point = request.At ?? HistoryPoint.Current;
        var load = await RiskDataLoader.LoadAsync(db, point, request.Place, ct, stages.Part(0, LoadShare));
        var cutoff = point.AsOf is { } asOf ? RiskModel.CutoffAfter(asOf) : RiskModel.CutoffAfter(RiskModel.LatestDate(load.Data));
        var options = request.Options;
        string? cellChoice = null;
        RiskMapResult map;
        if (request.AutomaticCell)
        {
            stages.Report("choosing the cell", LoadShare);
            RiskScene scene;
            (scene, options, cellChoice) = Sized(() => AutomaticCell(load.Data, cutoff, request.Options));
            map = Sized(() => RiskModel.Map(scene, cutoff, options, stages.Part(LoadShare, 0.9)));
        }
        else map = Sized(() => RiskModel.Map(load.Data, cutoff, options, stages.Part(LoadShare, 0.9)));
        stages.Report("writing the map and its preview", 0.9);
        var now = clock.GetUtcNow().UtcDateTime;

        var files = new List<string>();
        var chosen = map.Trained.ChosenScaling;
        var modelName = map.Trained.Chosen.Kind == "boosted_trees" ? "boosted trees" : "logistic regression";
        var meaning = $"Model: {modelName} ({map.Trained.Selection.Reason}). " + (chosen.Calibrated
            ? string.Create(CultureInfo.InvariantCulture, $"Likelihood (calibrated probability, Platt a={chosen.Intercept:0.0000} b={chosen.Slope:0.0000} on {chosen.Cells} held-out processed training cells) that a find would be made in a cell if it were processed")
            : "Relative score (NOT a calibrated probability: the processed training cells could not support a calibration) of a find being made in a cell if it were processed");
        var description = $"{Marking} {meaning}; area {load.AreaName}; known before {cutoff:yyyy-MM-dd}; cell {options.CellM} m; EPSG:{map.Scene.Grid.Epsg}; computed {now:yyyy-MM-ddTHH:mm:ssZ}.";
        var directory = Path.GetDirectoryName(Path.GetFullPath(request.Out))!;
        Directory.CreateDirectory(directory);
        var statusPath = Path.ChangeExtension(request.Out, ".status.tif");
        var png = Path.ChangeExtension(request.Out, ".png");
        var model = map.Trained.Model;
        var legend = new RiskLegend(load.AreaName, cutoff, options.CellM, map.Scene.Grid.Epsg, map.Trained.TrainingCells, model.Positives,
            map.Trained.Chosen.Kind, map.Trained.Selection.LogisticCapture is null, chosen.Calibrated, now)
        {
            Tie = map.Trained.Selection.Tie,
            Bounds = RiskPreview.LegendBounds(map.Likelihood),
            MetresPerPixel = RiskPreview.MetresPerPixel(map.Scene.Grid),
        };
        // The three files read the finished map and nothing else: written side by side (issue 16: one after another they
        // were 0.7 s of the map at scale 500, the preview alone 0.6 s).
        await Task.WhenAll(
            Task.Run(() =>
            {
                using var tif = File.Create(request.Out);
                GeoTiff.WriteFloat32(tif, map.Scene.Grid, map.Likelihood, NoData, description);
            }, ct),
            Task.Run(() =>
            {
                using var tif = File.Create(statusPath);
                GeoTiff.WriteByte(tif, map.Scene.Grid, [.. map.Status.Select(s => (byte)s)], 0, $"{Marking} Cell status: 1 not surveyed, 2 surveyed with no evidence, 3 evidence, 4 released land (never safe); 0 outside the area.");
            }, ct),
            Task.Run(() => RiskPreview.Write(png, map, legend, request.Language), ct));
        files.AddRange([request.Out, statusPath, png]);
        if (request.Top > 0)
        {
            stages.Report("writing the top cells", 0.97);
            var top = Path.ChangeExtension(request.Out, ".top.geojson");
            await File.WriteAllTextAsync(top, TopGeoJson(map, request.Top, cutoff, now), ct);
            files.Add(top);
        }

        stages.Report("recording the export in the audit log", 0.99);
        db.AuditLog.Add(new AuditEntry
        {
            At = now,
            Actor = request.Actor,
            Action = "export_risk_map",
            Detail = JsonSerializer.Serialize(new { files, restricted = true, area = load.AreaName, cell_m = options.CellM, known_before = cutoff.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), at = point.ToString() }),
        });
        await db.SaveChangesAsync(ct);
        return new RiskMapReport(map, files, load.AreaName, cutoff, now, legend, cellChoice);
    }

    /// <summary>The fewest processed cells the training windows should hold for a map whose cell was not asked for: a few hundred, so each of the calibration's five spatial folds holds dozens.</summary>
    public const int MinimumTrainingCells = 300;

    /// <summary>The automatic cell is never halved below this.</summary>
    public const double SmallestAutomaticCellM = 50;

    /// <summary>
    /// The cell of a map whose cell was not asked for: <paramref name="options"/>' cell, halved while the training windows
    /// at <paramref name="cutoff"/> hold fewer than <see cref="MinimumTrainingCells"/> processed cells (down to
    /// <see cref="SmallestAutomaticCellM"/>). Counting projects the data and rasterises the processed land (no layer, no
    /// fit); the scene of the cell chosen is the map's. A programme with much processed land keeps the default cell at
    /// the cost of one count (docs/decisions/0037-…).
    /// </summary>
    public static (RiskScene Scene, RiskOptions Options, string? Choice) AutomaticCell(RiskData data, DateOnly cutoff, RiskOptions options)
    {
        var tried = new List<string>();
        for (var cell = options.CellM; ; cell /= 2)
        {
            var o = options with { CellM = cell };
            var scene = new RiskScene(data, cell);
            // The records' shapes (their footprints projected, their buffers made later where a window needs them) do not depend
            // on the count: begun beside it, so they share the cores with it rather than with the windows' layers, which wait for
            // them, and the mine finds joined to them. A scene the count turns down finishes them unused (a programme with few
            // processed cells: a second of processor time at most, at scale 500); its failure is observed here and thrown, if it is
            // the data's, by the map.
            if (scene.MaskCount > 0) _ = Task.Run(scene.PrepareRecordEvidence).ContinueWith(static t => _ = t.Exception, TaskContinuationOptions.OnlyOnFaulted);
            var count = scene.MaskCount == 0 ? 0 : RiskModel.ProcessedTrainingCells(scene, cutoff, o, MinimumTrainingCells);
            if (count >= MinimumTrainingCells || cell / 2 < SmallestAutomaticCellM)
            {
                var inv = CultureInfo.InvariantCulture;
                var held = count >= MinimumTrainingCells ? string.Create(inv, $"at least {MinimumTrainingCells}") : string.Create(inv, $"only {count:N0}");
                var choice = tried.Count == 0
                    ? string.Create(inv, $"{cell:0.#} m (the default; its training windows hold {held} processed cells)")
                    : string.Create(inv, $"{cell:0.#} m, chosen from the data: the training windows hold {held} processed cells at {cell:0.#} m, fewer than {MinimumTrainingCells} at {string.Join(", ", tried)}; --cell M chooses another");
                return (scene, o, choice);
            }
            tried.Add(string.Create(CultureInfo.InvariantCulture, $"{cell:0.#} m ({count:N0})"));
        }
    }

    public const float NoData = -9999f;

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public async Task<RiskEvaluationResult> EvaluateAsync(RiskEvaluateRequest request, IProgress<WorkProgress>? progress = null, CancellationToken ct = default)
    {
        var stages = Stages(progress);
        Validate(request.Options);
        if ((request.SplitDate is null) == (request.SpatialBlocks is null)) throw new InvalidRequestException("split_date", "give a split date or a number of spatial blocks (one of the two)");
        if (request.SpatialBlocks is < 2 or > 100) throw new InvalidRequestException("spatial_blocks", "must be between 2 and 100");
        await using var db = target.CreateContext();
        await SchemaGuard.EnsureCurrentAsync(db, ct);
        var point = request.At ?? HistoryPoint.Current;
        var load = await RiskDataLoader.LoadAsync(db, point, request.Place, ct, stages.Part(0, LoadShare));
        if (request.SplitDate is { } split)
        {
            // A split after everything known leaves nothing to test on: say so, not that no find was made in the window.
            if (point.AsOf is { } readAsOf && split > readAsOf)
                throw new InvalidRequestException("split_date", string.Create(CultureInfo.InvariantCulture, $"{split:yyyy-MM-dd} is after the date the data is read as of ({readAsOf:yyyy-MM-dd}): there is nothing later to test the model on"));
            if (point.AsOf is null && RiskModel.LatestDate(load.Data) is var latest && split > latest)
                throw new InvalidRequestException("split_date", string.Create(CultureInfo.InvariantCulture, $"{split:yyyy-MM-dd} is after the last date in the data ({latest:yyyy-MM-dd}): there is nothing later to test the model on"));
            return Sized(() => RiskEvaluation.BySplitDate(load.Data, split, request.Options, stages.Part(LoadShare, 1)));
        }
        var cutoff = point.AsOf is { } asOf ? RiskModel.CutoffAfter(asOf) : RiskModel.CutoffAfter(RiskModel.LatestDate(load.Data));
        return Sized(() => RiskEvaluation.BySpatialBlocks(load.Data, request.SpatialBlocks!.Value, cutoff, request.Options, stages.Part(LoadShare, 1)));
    }

    /// <summary>Share of the progress bar given to reading the data (measured: about a third of the time at national scale).</summary>
    internal const double LoadShare = 0.3;

    /// <summary>The analysis' stages as <see cref="WorkProgress"/>.</summary>
    internal static RiskProgress Stages(IProgress<WorkProgress>? progress) =>
        progress is null ? RiskProgress.None : new RiskProgress((stage, fraction) => progress.Report(new WorkProgress(stage, fraction)));

    /// <summary>
    /// Runs a risk computation. The grid refuses a cell size that makes too many cells for the area: the caller's cell is what
    /// to change. The computation fits and builds side by side: when the data cannot support a model, each branch may say so at
    /// once, and the first reason is what the user reads (not the runtime's bundle of them).
    /// </summary>
    internal static T Sized<T>(Func<T> compute)
    {
        try
        {
            return compute();
        }
        catch (AggregateException e) when (e.Flatten().InnerExceptions.FirstOrDefault(i => i is RiskDataException || IsCell(i)) is { } first)
        {
            if (IsCell(first)) throw new InvalidRequestException("cell", first.Message, first);
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(first).Throw();
            throw;
        }
        catch (ArgumentOutOfRangeException e) when (IsCell(e))
        {
            throw new InvalidRequestException("cell", e.Message, e);
        }
    }

    private static bool IsCell(Exception e) => e is ArgumentOutOfRangeException { ParamName: "cell" };

    private static void Validate(RiskOptions o)
    {
        if (!(o.CellM >= 1)) throw new InvalidRequestException("cell", "must be at least 1 metre");
        if (o.BootstrapSamples is < 0 or > 100_000) throw new InvalidRequestException("bootstrap", "must be between 0 and 100000");
        if (!(o.LabelYears > 0)) throw new InvalidRequestException("label_years", "must be positive");
        if (o.Origins is < 0 or > 8) throw new InvalidRequestException("origins", "must be between 0 (automatic) and 8");
        if (o.DistanceCapM is { } cap && !(cap >= 0)) throw new InvalidRequestException("distance_cap", "must be zero (no cap) or a positive number of metres");
    }

    /// <summary>The top cells as GeoJSON polygons (WGS84), each with its likelihood, status and feature contributions; marked restricted.</summary>
    public static string TopGeoJson(RiskMapResult map, int n, DateOnly cutoff, DateTime computedAt)
    {
        var grid = map.Scene.Grid;
        var features = new JsonArray();
        foreach (var cell in RiskModel.Top(map, n))
        {
            var half = grid.Cell / 2;
            var square = map.Scene.Projection.Factory.ToGeometry(new NetTopologySuite.Geometries.Envelope(cell.X - half, cell.X + half, cell.Y - half, cell.Y + half));
            var wgs84 = map.Scene.Projection.Unproject(square);
            var ring = new JsonArray([.. wgs84.Coordinates.Select(c => (JsonNode)new JsonArray(Math.Round(c.X, 7), Math.Round(c.Y, 7)))]);
            var contributions = new JsonObject();
            foreach (var (feature, value) in cell.Contributions) contributions[feature] = Math.Round(value, 4);
            var other = new JsonObject();
            foreach (var (feature, value) in cell.OtherContributions) other[feature] = Math.Round(value, 4);
            features.Add(new JsonObject
            {
                ["type"] = "Feature",
                ["geometry"] = new JsonObject { ["type"] = "Polygon", ["coordinates"] = new JsonArray(ring) },
                ["properties"] = new JsonObject
                {
                    ["rank"] = cell.Rank,
                    ["likelihood"] = Math.Round(cell.Likelihood, 5),
                    ["status"] = Groundtruth.Domain.SnakeCase.Of(cell.Status),
                    ["model"] = map.Trained.Chosen.Kind,
                    ["intercept"] = Math.Round(map.Trained.Chosen.Intercept, 4),
                    ["calibrated"] = map.Trained.ChosenScaling.Calibrated,
                    ["contributions"] = contributions,
                    ["other_model"] = cell.OtherModel,
                    ["other_contributions"] = other,
                },
            });
        }
        var doc = new JsonObject
        {
            ["type"] = "FeatureCollection",
            ["restricted"] = true,
            ["marking"] = Marking,
            ["known_before"] = cutoff.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["computed_at"] = computedAt.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            ["model"] = map.Trained.Chosen.Kind,
            ["model_selection"] = map.Trained.Selection.Reason,
            ["features"] = features,
        };
        return doc.ToJsonString(Indented);
    }

    /// <summary>The evaluation as JSON (DESIGN section 5: <c>capture</c> and <c>baseline_capture</c> keyed by percent, <c>pr_auc</c>, <c>baseline_pr_auc</c>, <c>brier</c>).</summary>
    public static string EvaluationJson(RiskEvaluationResult r, DateTime computedAt)
    {
        static JsonNode? Num(double? v) => v is { } d ? JsonValue.Create(Math.Round(d, 6)) : null;
        static JsonNode? Pair(double[]? v) => v is null ? null : new JsonArray(Math.Round(v[0], 6), Math.Round(v[1], 6));
        static JsonObject Keyed(IReadOnlyDictionary<string, double?> values) => new([.. values.Select(kv => KeyValuePair.Create(kv.Key, Num(kv.Value)))]);
        static JsonObject KeyedPairs(IReadOnlyDictionary<string, double[]?> values) => new([.. values.Select(kv => KeyValuePair.Create(kv.Key, Pair(kv.Value)))]);
        var doc = new JsonObject
        {
            ["method"] = r.Method,
            ["split_date"] = r.SplitDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["spatial_blocks"] = r.SpatialBlocks,
            ["cell_m"] = r.CellM,
            ["epsg"] = r.Epsg,
            ["ranked_cells"] = r.RankedCells,
            ["test_finds"] = r.TestFinds,
            ["test_accidents"] = r.TestAccidents,
            ["training_cells"] = r.TrainingCells,
            ["capture"] = Keyed(r.Capture),
            ["capture_ci"] = KeyedPairs(r.CaptureInterval),
            ["baseline_capture"] = Keyed(r.BaselineCapture),
            ["baseline_capture_ci"] = KeyedPairs(r.BaselineCaptureInterval),
            ["capture_difference"] = Keyed(r.CaptureDifference),
            ["capture_difference_ci"] = KeyedPairs(r.CaptureDifferenceInterval),
            ["pr_auc"] = Num(r.PrAuc),
            ["pr_auc_ci"] = Pair(r.PrAucInterval),
            ["baseline_pr_auc"] = Num(r.BaselinePrAuc),
            ["baseline_pr_auc_ci"] = Pair(r.BaselinePrAucInterval),
            ["brier"] = Num(r.Brier),
            ["brier_ci"] = Pair(r.BrierInterval),
            ["baseline_brier"] = Num(r.BaselineBrier),
            ["baseline_brier_ci"] = Pair(r.BaselineBrierInterval),
            ["calibration_cells"] = r.CalibrationCells,
            ["calibration"] = new JsonArray([.. r.Calibration.Select(b => (JsonNode)new JsonObject
            {
                ["from"] = Num(b.From), ["to"] = Num(b.To), ["cells"] = b.Cells, ["mean_predicted"] = Num(b.MeanPredicted), ["observed"] = Num(b.Observed), ["observed_ci"] = Pair(b.ObservedInterval),
            })]),
            ["calibration_method"] = "Platt scaling of the ranking score on processed training cells, each scored by a model fitted without its spatial fold; bins are tenths of the calibration cells by predicted likelihood",
            ["scaling"] = new JsonArray([.. r.Scaling.Select(s => (JsonNode)new JsonObject
            {
                ["calibrated"] = s.Calibrated, ["a"] = Math.Round(s.Intercept, 6), ["b"] = Math.Round(s.Slope, 6), ["cells"] = s.Cells, ["positives"] = s.Positives, ["slope_floored"] = s.SlopeFloored,
            })]),
            ["folds"] = new JsonArray([.. r.Folds.Select(f => (JsonNode)new JsonObject
            {
                ["block"] = f.Fold + 1, ["ranked_cells"] = f.RankedCells, ["test_events"] = f.TestEvents, ["training_cells"] = f.TrainingCells,
                ["capture_10"] = Num(f.Capture), ["capture_10_ci"] = Pair(f.CaptureInterval),
                ["baseline_capture_10"] = Num(f.BaselineCapture), ["baseline_capture_10_ci"] = Pair(f.BaselineCaptureInterval),
                ["difference_10"] = Num(f.Difference), ["difference_10_ci"] = Pair(f.DifferenceInterval),
            })]),
            ["coefficients"] = new JsonArray([.. r.Coefficients.Select(fold => (JsonNode)new JsonObject([.. fold.Select(c => KeyValuePair.Create(c.Feature, (JsonNode?)Math.Round(c.Coefficient, 4)))]))]),
            ["boosted_trees"] = r.Challenger is not { } t ? null : new JsonObject
            {
                ["capture"] = Keyed(t.Capture),
                ["capture_ci"] = KeyedPairs(t.CaptureInterval),
                ["capture_difference"] = Keyed(t.CaptureDifference),
                ["capture_difference_ci"] = KeyedPairs(t.CaptureDifferenceInterval),
                ["pr_auc"] = Num(t.PrAuc),
                ["pr_auc_ci"] = Pair(t.PrAucInterval),
                ["brier"] = Num(t.Brier),
                ["brier_ci"] = Pair(t.BrierInterval),
                ["importances"] = new JsonArray([.. t.Coefficients.Select(fold => (JsonNode)new JsonObject([.. fold.Select(c => KeyValuePair.Create(c.Feature, (JsonNode?)Math.Round(c.Coefficient, 4)))]))]),
                ["importance_definition"] = "each layer's share of the trees' split gain (sums to 1)",
                ["verdict"] = t.Verdict,
            },
            ["map_model"] = r.MapModel is not { } mm ? null : new JsonObject
            {
                ["model"] = mm.Chosen,
                ["reason"] = mm.Reason,
                // The held-out figures the choice read (shares, 0–1): all the events, and those more than 2 km from every one known
                // when their window began ("far"), which decide unless both models hold as many; null where nothing was held out or
                // the rows could not tell far events (a --distance-cap at or below 2 km).
                ["held_out_events"] = mm.Events,
                ["held_out_capture_10"] = new JsonObject { ["logistic"] = Num(mm.LogisticCapture), ["boosted_trees"] = Num(mm.BoostedTreesCapture) },
                ["far_events"] = mm.FarEvents,
                ["far_capture_10"] = new JsonObject { ["logistic"] = Num(mm.FarLogisticCapture), ["boosted_trees"] = Num(mm.FarBoostedTreesCapture) },
                ["decided_on"] = mm.LogisticCapture is null ? null : mm.DecidedOnFar ? "far_events" : "all_events",
                // Boosted trees − logistic, on the figures that decided, 95% interval over spatial blocks.
                ["difference_10_ci"] = Pair(mm.DifferenceInterval),
            },
            ["bootstrap_blocks"] = r.BootstrapBlocks,
            ["bootstrap_samples"] = r.BootstrapSamples,
            ["verdict"] = r.Verdict,
            ["definition"] = RiskEvaluationResult.Definition,
            ["restricted"] = true,
            ["computed_at"] = computedAt.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
        };
        return doc.ToJsonString(Indented);
    }
}
