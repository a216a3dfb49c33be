using Groundtruth.Application.Caching;
using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Groundtruth.Analysis.Risk;
using Groundtruth.Application.Risk;
using Groundtruth.Application.Storage;
using Groundtruth.Application.Users;
using Groundtruth.Web.Setup;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Groundtruth.Web.Apis;

/// <summary>
/// The contamination risk map and the clearance priorities in the web app (issue 7 item 6): analysts and above
/// only, every output marked RESTRICTED, and every delivery — summary, preview, GeoTIFF, GeoJSON, CSV, ranking —
/// written to the audit log. Both are computed on demand by the Application handlers (<see cref="RiskHandler"/>,
/// <see cref="PrioritiesHandler"/>) and kept until the data changes (<see cref="DataVersion"/>).
/// </summary>
public static class RiskApi
{
    /// <summary>The web's default cell: a few seconds on the demo programme. Finer maps: <c>groundtruth risk map</c>.</summary>
    public const double DefaultCellM = 250;
    public const double MinCellM = 50;
    public const double MaxCellM = 5000;
    /// <summary>The web's cell sizes are whole multiples of this (50, 60, … 5000 m): each size is a map kept on disk.</summary>
    public const double CellStepM = 10;
    public const int DefaultTop = 20;
    /// <summary>The most top cells one request asks for; every map keeps this many, so <c>top</c> never starts a computation.</summary>
    public const int MaxTop = 1000;
    public const string DownloadAction = "download_risk_map";
    public const string ViewPrioritiesAction = "view_priorities";

    /// <summary>The files of one computed map, as <c>risk map --out risk.tif --top N</c> names them.</summary>
    public static readonly IReadOnlyDictionary<string, string> Files = new Dictionary<string, string>
    {
        ["risk.tif"] = "image/tiff",
        ["risk.status.tif"] = "image/tiff",
        ["risk.png"] = "image/png",
        ["risk.top.geojson"] = HazardsApi.GeoJsonMediaType,
        ["risk.top.csv"] = "text/csv",
    };

    public static IEndpointRouteBuilder MapRiskApi(this IEndpointRouteBuilder app)
    {
        var risk = app.MapGroup("/api/risk").WithTags("Risk").RequireAuthorization(Roles.Analyst);
        risk.MapGet("/map", GetRiskMap)
            .WithName(nameof(GetRiskMap))
            .WithSummary("RESTRICTED: the contamination risk map for a cell size and area, with its top cells; computed on demand, audited")
            .WithDescription($"cell (metres, a whole multiple of {CellStepM} from {MinCellM} to {MaxCellM}, default {DefaultCellM}); in (a place id or name with an area; default the country); " +
                             $"top (1–{MaxTop}, default {DefaultTop}). As groundtruth risk map --cell M [--in PLACE] --top N. 422 when the data cannot support a model. " +
                             $"Maps are computed one at a time and the {RiskMapLimits.MaxMapsKey} (default 8) most recently used are kept.");
        risk.MapGet("/map/status", GetRiskMapStatus)
            .WithName(nameof(GetRiskMapStatus))
            .WithSummary("Where the computation of a risk map stands: ready, computing (stage and share done), waiting, failed or none. Starts nothing.");
        app.MapGet("/api/priorities/status", GetPrioritiesStatus)
            .WithName(nameof(GetPrioritiesStatus))
            .WithTags("Risk")
            .RequireAuthorization(Roles.Analyst)
            .WithSummary("Where the computation of the clearance priorities stands: ready, computing (stage and share done), waiting, failed or none. Starts nothing.");
        risk.MapGet("/map/{file}", GetRiskMapFile)
            .WithName(nameof(GetRiskMapFile))
            .WithSummary("RESTRICTED: one file of the risk map (GeoTIFF, status GeoTIFF, PNG preview, top cells as GeoJSON or CSV); audited")
            .WithDescription($"file: {string.Join(", ", Files.Keys)}; cell, in, top as for /api/risk/map.");
        app.MapGet("/api/priorities", GetPriorities)
            .WithTags("Risk")
            .RequireAuthorization(Roles.Analyst)
            .WithName(nameof(GetPriorities))
            .WithSummary("RESTRICTED: open hazardous areas ranked by the priority score with each criterion's contribution (groundtruth priorities); audited")
            .WithDescription("format=json (default), csv or geojson, as groundtruth priorities --format. Weights: the file named by " +
                             "Groundtruth:PriorityWeights, else the built-in defaults (docs/risk.md).");
        // Built now, not at the first request: a host that starts removes the maps left by hosts that died.
        app.ServiceProvider.GetRequiredService<RiskMaps>();
        return app;
    }

    // ---- risk map ----

    /// <summary>A computed map: where its files are and what it says.</summary>
    public sealed record RiskMapOutput(string Folder, string Area, double CellM, int Epsg, DateOnly KnownBefore, DateTime ComputedAt, IReadOnlyList<TopCell> Top);

    /// <param name="Lon">The cell's centre (WGS84).</param>
    public sealed record TopCell(int Rank, double Likelihood, string Status, double Lon, double Lat, IReadOnlyDictionary<string, double> Contributions);

    public sealed record RiskMapResponse(bool Restricted, string Marking, string Area, double CellM, int Epsg, string KnownBefore, DateTime ComputedAt, IReadOnlyList<string> Files, IReadOnlyList<TopCell> Top);

    /// <summary>Checks the query; null when it is valid.</summary>
    public static Dictionary<string, string[]>? Validate(double? cell, int? top)
    {
        var errors = new Dictionary<string, string[]>();
        if (cell is { } c && !(c >= MinCellM && c <= MaxCellM && double.IsInteger(c / CellStepM)))
            errors["cell"] = [$"cell must be a whole multiple of {CellStepM} metres from {MinCellM} to {MaxCellM} (other sizes: groundtruth risk map)"];
        if (top is < 1 or > MaxTop) errors["top"] = [$"top must lie between 1 and {MaxTop}"];
        return errors.Count == 0 ? null : errors;
    }

    /// <summary>Computes the map into <paramref name="folder"/> with its <paramref name="top"/> highest cells (<see cref="RiskMaps"/> decides when).</summary>
    internal static async Task<RiskMapOutput> ComputeAsync(DatabaseTarget target, TimeProvider clock, string actor, string folder, double cell, string? place, int top,
        IProgress<Groundtruth.Application.Progress.WorkProgress>? progress = null)
    {
        Directory.CreateDirectory(folder);
        var tif = Path.Combine(folder, "risk.tif");
        var report = await new RiskHandler(target, clock).MapAsync(
            new RiskMapRequest(tif, new RiskOptions(CellM: cell), Place: place, Top: top, Actor: actor), progress, CancellationToken.None);
        var topJson = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(folder, "risk.top.geojson")))!;
        var cells = topJson["features"]!.AsArray().Select(f =>
        {
            var p = f!["properties"]!;
            var ring = f["geometry"]!["coordinates"]![0]!.AsArray().Select(c => (X: c![0]!.GetValue<double>(), Y: c[1]!.GetValue<double>())).ToList();
            var corners = ring.Take(ring.Count - 1).ToList();
            return new TopCell(
                p["rank"]!.GetValue<int>(),
                p["likelihood"]!.GetValue<double>(),
                p["status"]!.GetValue<string>(),
                Math.Round(corners.Average(c => c.X), 6),
                Math.Round(corners.Average(c => c.Y), 6),
                p["contributions"]!.AsObject().ToDictionary(kv => kv.Key, kv => kv.Value!.GetValue<double>()));
        }).ToList();
        await File.WriteAllTextAsync(Path.Combine(folder, "risk.top.csv"), TopCsv(cells));
        return new RiskMapOutput(folder, report.AreaName, cell, report.Map.Scene.Grid.Epsg, report.Cutoff, report.ComputedAt, cells);
    }

    /// <summary>The top cells as CSV, marked restricted in its first line (as <c>priorities --format csv</c> is).</summary>
    public static string TopCsv(IReadOnlyList<TopCell> cells)
    {
        var inv = CultureInfo.InvariantCulture;
        var features = cells.SelectMany(c => c.Contributions.Keys).Distinct().ToList();
        var sb = new StringBuilder();
        sb.AppendLine("# " + RiskHandler.Marking);
        sb.AppendLine("rank,lon,lat,likelihood,status" + string.Concat(features.Select(f => "," + f + "_contribution")));
        foreach (var c in cells)
        {
            sb.Append(inv, $"{c.Rank},{c.Lon:R},{c.Lat:R},{c.Likelihood:R},{Groundtruth.Application.Export.CsvCell.Text(c.Status)}");
            foreach (var f in features) sb.Append(inv, $",{(c.Contributions.TryGetValue(f, out var v) ? v.ToString("R", inv) : "")}");
            sb.AppendLine();
        }
        return sb.ToString();
    }

    /// <summary>The map for a cell size and place from the host's <see cref="RiskMaps"/>, computed if it has none under the current data version.</summary>
    /// <exception cref="ArgumentException">An unknown place.</exception>
    /// <exception cref="RiskDataException">The data cannot support a model.</exception>
    public static async Task<RiskMaps.Lease> MapAsync(RiskMaps maps, DataVersion versions, DatabaseTarget target, TimeProvider clock, string actor,
        double cell, string? place, CancellationToken ct) =>
        await maps.LeaseAsync(target, clock, actor, await versions.CurrentAsync(ct), cell, place, ct);

    /// <summary>How long a page waits for a computation before it shows its progress instead (a quick map shows at once).</summary>
    public static readonly TimeSpan PageWait = TimeSpan.FromSeconds(2);

    /// <summary>Starts the map in the background if needed and waits up to <see cref="PageWait"/> for it; returns where it stands.</summary>
    public static async Task<RiskMapStatus> BeginMapAsync(RiskMaps maps, DataVersion versions, DatabaseTarget target, TimeProvider clock, string actor,
        double cell, string? place, CancellationToken ct)
    {
        var version = await versions.CurrentAsync(ct);
        var status = maps.Begin(target, clock, actor, version, cell, place);
        for (var waited = TimeSpan.Zero; status.State is "computing" or "waiting" && waited < PageWait; waited += TimeSpan.FromMilliseconds(100))
        {
            await Task.Delay(100, ct);
            status = maps.Status(cell, place);
            if (status.State == "none") status = maps.Begin(target, clock, actor, version, cell, place);
        }
        return status;
    }

    public static async Task<Results<Ok<RiskMapResponse>, ValidationProblem, UnprocessableEntity<ProblemDetails>>> GetRiskMap(
        double? cell, [FromQuery(Name = "in")] string? place, int? top, HttpContext context, GroundtruthDbContext db, DatabaseTarget target, TimeProvider clock,
        DataVersion versions, RiskMaps maps, CancellationToken ct)
    {
        var (lease, problem) = await TryMapAsync(cell, place, top, context, target, clock, versions, maps, ct);
        if (problem is not null) return problem;
        using (lease)
        {
            var output = lease!.Output;
            await AuditAsync(db, clock, context, DownloadAction, new { file = "summary", area = output.Area, cell_m = output.CellM, restricted = true }, ct);
            return TypedResults.Ok(new RiskMapResponse(true, RiskHandler.Marking, output.Area, output.CellM, output.Epsg,
                output.KnownBefore.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), output.ComputedAt, [.. Files.Keys], [.. output.Top.Take(top ?? DefaultTop)]));
        }
    }

    public static async Task<Results<FileStreamHttpResult, FileContentHttpResult, ValidationProblem, UnprocessableEntity<ProblemDetails>, NotFound<ProblemDetails>>> GetRiskMapFile(
        string file, double? cell, [FromQuery(Name = "in")] string? place, int? top, HttpContext context, GroundtruthDbContext db, DatabaseTarget target, TimeProvider clock,
        DataVersion versions, RiskMaps maps, CancellationToken ct)
    {
        if (!Files.TryGetValue(file, out var mediaType))
            return TypedResults.NotFound(new ProblemDetails { Title = "No such risk map file", Detail = $"'{file}': files are {string.Join(", ", Files.Keys)}", Status = 404 });
        var (lease, problem) = await TryMapAsync(cell, place, top, context, target, clock, versions, maps, ct);
        if (problem is not null)
        {
            return problem.Result switch
            {
                ValidationProblem v => v,
                UnprocessableEntity<ProblemDetails> u => u,
                _ => throw new InvalidOperationException("unexpected problem"),
            };
        }
        using (lease)
        {
            var output = lease!.Output;
            var n = top ?? DefaultTop;
            await AuditAsync(db, clock, context, DownloadAction, new { file, area = output.Area, cell_m = output.CellM, restricted = true }, ct);
            var name = $"groundtruth-{file.Replace("risk.", $"risk-{output.CellM:0}m.", StringComparison.Ordinal)}";
            switch (file)
            {
                case "risk.top.csv":
                    return TypedResults.File(Encoding.UTF8.GetBytes(TopCsv([.. output.Top.Take(n)])), mediaType, name);
                case "risk.top.geojson":
                    // The map keeps its MaxTop highest cells; the first n are `risk map --top n`'s.
                    var doc = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(output.Folder, file), ct))!.AsObject();
                    var features = doc["features"]!.AsArray();
                    while (features.Count > n) features.RemoveAt(features.Count - 1);
                    return TypedResults.File(Encoding.UTF8.GetBytes(doc.ToJsonString(Indented)), mediaType, name);
                default:
                    // Opened while the lease holds the folder: once open, the bytes outlive a later eviction.
                    var stream = new FileStream(Path.Combine(output.Folder, file), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete);
                    return TypedResults.File(stream, mediaType, file == "risk.png" ? null : name);
            }
        }
    }

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private static async Task<(RiskMaps.Lease? Lease, Results<Ok<RiskMapResponse>, ValidationProblem, UnprocessableEntity<ProblemDetails>>? Problem)> TryMapAsync(
        double? cell, string? place, int? top, HttpContext context, DatabaseTarget target, TimeProvider clock, DataVersion versions, RiskMaps maps, CancellationToken ct)
    {
        if (Validate(cell, top) is { } errors) return (null, TypedResults.ValidationProblem(errors));
        // A bad place or cell size (400, the parameter named) and data that cannot support a model (422) leave through ErrorMapping.
        return (await MapAsync(maps, versions, target, clock, context.User.Actor(), cell ?? DefaultCellM, string.IsNullOrWhiteSpace(place) ? null : place.Trim(), ct), null);
    }

    // ---- priorities ----

    private static readonly ConcurrentDictionary<string, Ranking> Rankings = new();

    /// <summary>One ranking being computed or computed, with the last stage it reported.</summary>
    private sealed class Ranking(string version)
    {
        public string Version { get; } = version;
        public Lazy<Task<PrioritiesReport>> Report { get; set; } = null!;
        public volatile Groundtruth.Application.Progress.WorkProgress? Progress;
        public volatile bool Started;
    }

    /// <summary>
    /// The ranking with the configured weights, computed once per database, data version and weights file; the computation
    /// (a risk map at 100 m inside) takes its turn among the host's risk map computations (<see cref="RiskMaps.ExclusiveAsync"/>).
    /// </summary>
    /// <exception cref="ArgumentException">The weights file is missing or not valid.</exception>
    public static async Task<PrioritiesReport> PrioritiesAsync(DataVersion versions, DatabaseTarget target, TimeProvider clock, IConfiguration configuration, RiskMaps maps, string actor, CancellationToken ct)
    {
        var entry = await RankingAsync(versions, target, clock, configuration, maps, actor, ct);
        try
        {
            return await entry.Report.Value.WaitAsync(ct);
        }
        catch (Exception) when (entry.Report.Value.IsFaulted)
        {
            Rankings.TryRemove(KeyValuePair.Create(target.Value, entry));
            throw;
        }
    }

    /// <summary>Starts the ranking in the background when it is not computed under the current data (the page shows its progress); returns where it stands.</summary>
    public static async Task<RiskMapStatus> BeginPrioritiesAsync(DataVersion versions, DatabaseTarget target, TimeProvider clock, IConfiguration configuration, RiskMaps maps, string actor, CancellationToken ct)
    {
        var entry = await RankingAsync(versions, target, clock, configuration, maps, actor, ct);
        await Task.WhenAny(entry.Report.Value, Task.Delay(PageWait, ct));
        return StatusOf(entry);
    }

    /// <summary>Where the ranking of this database stands (none when nothing was asked for).</summary>
    public static RiskMapStatus PrioritiesStatus(DatabaseTarget target) =>
        Rankings.TryGetValue(target.Value, out var entry) && entry.Report.IsValueCreated ? StatusOf(entry) : new RiskMapStatus("none", null, null, null);

    private static RiskMapStatus StatusOf(Ranking entry)
    {
        var task = entry.Report.Value;
        return task.IsCompletedSuccessfully ? new RiskMapStatus("ready", "done", 1, null)
            : task.IsFaulted ? new RiskMapStatus("failed", null, null, task.Exception?.InnerException?.Message)
            : entry.Started ? new RiskMapStatus("computing", entry.Progress?.Stage ?? "starting", entry.Progress?.Fraction, null)
            : new RiskMapStatus("waiting", "waiting for another computation to finish", 0, null);
    }

    private static async Task<Ranking> RankingAsync(DataVersion versions, DatabaseTarget target, TimeProvider clock, IConfiguration configuration, RiskMaps maps, string actor, CancellationToken ct)
    {
        var weights = configuration["Groundtruth:PriorityWeights"];
        var stamp = weights is not null && File.Exists(weights) ? File.GetLastWriteTimeUtc(weights).Ticks.ToString(CultureInfo.InvariantCulture) : "";
        var version = $"{await versions.KeyAsync(ct)}|{weights}|{stamp}";
        return Rankings.AddOrUpdate(target.Value,
            _ => RankLazy(version, target, clock, weights, maps, actor),
            (_, old) => old.Version == version ? old : RankLazy(version, target, clock, weights, maps, actor));
    }

    private static Ranking RankLazy(string version, DatabaseTarget target, TimeProvider clock, string? weights, RiskMaps maps, string actor)
    {
        var entry = new Ranking(version);
        entry.Report = new(() => maps.ExclusiveAsync(() =>
        {
            entry.Started = true;
            return new PrioritiesHandler(target, clock).HandleAsync(new PrioritiesRequest(WeightsFile: weights, Actor: actor, Format: "table"),
                new Reporter(p => entry.Progress = p), CancellationToken.None);
        }, CancellationToken.None));
        return entry;
    }

    /// <summary>Reports on the computing thread.</summary>
    private sealed class Reporter(Action<Groundtruth.Application.Progress.WorkProgress> report) : IProgress<Groundtruth.Application.Progress.WorkProgress>
    {
        public void Report(Groundtruth.Application.Progress.WorkProgress value) => report(value);
    }

    /// <summary>Where the map for a cell size and place stands; polled by the /risk page while it computes.</summary>
    public static Results<Ok<RiskMapStatus>, ValidationProblem> GetRiskMapStatus(double? cell, [FromQuery(Name = "in")] string? place, RiskMaps maps)
    {
        if (Validate(cell, null) is { } errors) return TypedResults.ValidationProblem(errors);
        return TypedResults.Ok(maps.Status(cell ?? DefaultCellM, string.IsNullOrWhiteSpace(place) ? null : place.Trim()));
    }

    /// <summary>Where the ranking stands; polled by the /priorities page while it computes.</summary>
    public static Ok<RiskMapStatus> GetPrioritiesStatus(DatabaseTarget target) => TypedResults.Ok(PrioritiesStatus(target));

    public sealed record PriorityCriterionResponse(string Criterion, double Weight, double? Raw, double Normalised, double Contribution);

    public sealed record PriorityRowResponse(int Rank, string HazardId, string? Name, string? Place, double ResidualM2, double Score, IReadOnlyList<PriorityCriterionResponse> Criteria);

    public sealed record PrioritiesResponse(bool Restricted, string Marking, DateTime ComputedAt, PriorityWeights Weights, string? RiskNote, IReadOnlyList<PriorityRowResponse> Rows);

    public const string PrioritiesMarking = "RESTRICTED: clearance priorities, analysts and above";

    public static PrioritiesResponse Response(PrioritiesReport report) => new(true, PrioritiesMarking, report.ComputedAt, report.Weights, report.RiskNote,
        [.. report.Rows.Select(r => new PriorityRowResponse(r.Rank, r.Area.Id, r.Area.Name, r.Area.Place, Math.Round(r.Area.ResidualM2, 1), Math.Round(r.Score, 4),
            [.. r.Criteria.Select(c => new PriorityCriterionResponse(c.Criterion, report.Weights.WeightOf(c.Criterion), c.Raw, Math.Round(c.Normalised, 4), Math.Round(c.Contribution, 4)))]))]);

    public static async Task<Results<Ok<PrioritiesResponse>, ContentHttpResult, ValidationProblem>> GetPriorities(
        string? format, HttpContext context, GroundtruthDbContext db, DatabaseTarget target, TimeProvider clock, IConfiguration configuration, DataVersion versions, RiskMaps maps, CancellationToken ct)
    {
        format = (format ?? "json").ToLowerInvariant();
        if (format is not ("json" or "csv" or "geojson"))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["format"] = [$"'{format}' is not a format; use json, csv or geojson"] });
        PrioritiesReport report;
        // A missing or bad weights file is an InvalidRequestException on "weights": 400 through ErrorMapping.
        report = await PrioritiesAsync(versions, target, clock, configuration, maps, context.User.Actor(), ct);
        // The same audit entry the CLI writes for its CSV and GeoJSON exports; JSON is a delivery too.
        await AuditAsync(db, clock, context, format == "json" ? ViewPrioritiesAction : "export_priorities",
            new { format, areas = report.Rows.Count, restricted = true, at = "current" }, ct);
        if (format == "json") return TypedResults.Ok(Response(report));
        context.Response.Headers.ContentDisposition = $"attachment; filename=\"groundtruth-priorities.{format}\"";
        return format == "csv"
            ? TypedResults.Text(PrioritiesHandler.Csv(report), "text/csv")
            : TypedResults.Text(PrioritiesHandler.GeoJson(report), HazardsApi.GeoJsonMediaType);
    }

    /// <summary>Writes one audit entry for a delivery of a restricted output.</summary>
    public static async Task AuditAsync(GroundtruthDbContext db, TimeProvider clock, HttpContext context, string action, object detail, CancellationToken ct)
    {
        db.AuditLog.Add(new AuditEntry
        {
            At = clock.GetUtcNow().UtcDateTime,
            Actor = context.User.Actor(),
            Action = action,
            Detail = JsonSerializer.Serialize(detail),
        });
        await db.SaveChangesAsync(ct);
    }

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
