using Groundtruth.Application.Caching;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Groundtruth.Analysis.Risk;
using Groundtruth.Application.Risk;
using Groundtruth.Application.Storage;
using Groundtruth.Application.Security;
using Groundtruth.Application.Users;
using Groundtruth.Web.Setup;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Groundtruth.Web.Apis;

/// <summary>
/// The contamination risk map and the clearance priorities in the web app (issue 7 item 6): analysts and above
/// only, every output marked RESTRICTED, and every delivery — summary, preview, GeoTIFF, GeoJSON, CSV, ranking —
/// written to the audit log. The HTTP side of <see cref="RiskService"/>, which the /risk and /priorities pages call too.
/// </summary>
public static class RiskApi
{
    /// <summary>
    /// No cell asked for: the map's cell is chosen from the data as <c>groundtruth risk map</c> chooses it (100 m, halved down to
    /// 50 m while the training windows hold fewer than 300 processed cells, <see cref="RiskHandler.AutomaticCell"/>); the maps key it so.
    /// </summary>
    public const double AutomaticCell = RiskMapOutputs.AutomaticCell;
    public const double MinCellM = 50;
    public const double MaxCellM = 5000;
    /// <summary>The web's cell sizes are whole multiples of this (50, 60, … 5000 m): each size is a map kept on disk.</summary>
    public const double CellStepM = 10;
    public const int DefaultTop = 20;
    /// <summary>The most top cells one request asks for; every map keeps this many, so <c>top</c> never starts a computation.</summary>
    public const int MaxTop = RiskMapOutputs.MaxTop;

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
            .WithDescription($"cell (metres, a whole multiple of {CellStepM} from {MinCellM} to {MaxCellM}; default: chosen from the data as groundtruth risk map chooses it, 100 m or finer down to 50 m); in (a place id or name with an area; default the country); " +
                             $"top (1–{MaxTop}, default {DefaultTop}). As groundtruth risk map --cell M [--in PLACE] --top N. 422 when the data cannot support a model. " +
                             $"Maps are computed one at a time and the {RiskMapLimits.MaxMapsKey} (default 8) most recently used are kept." + AsyncPreference.Description);
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
            .WithDescription($"file: {string.Join(", ", Files.Keys)}; cell, in, top as for /api/risk/map." + AsyncPreference.Description);
        app.MapGet("/api/priorities", GetPriorities)
            .WithTags("Risk")
            .RequireAuthorization(Roles.Analyst)
            .WithName(nameof(GetPriorities))
            .WithSummary("RESTRICTED: open hazardous areas ranked by the priority score with each criterion's contribution (groundtruth priorities); audited")
            .WithDescription("format=json (default), csv or geojson, as groundtruth priorities --format. Weights: the file named by " +
                             "Groundtruth:PriorityWeights, else the built-in defaults (docs/risk.md)." + AsyncPreference.Description);
        // Built now, not at the first request: a host that starts removes the maps left by hosts that died.
        app.ServiceProvider.GetRequiredService<RiskService>();
        return app;
    }

    // ---- risk map ----

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

    /// <summary>The place as the maps key it: trimmed, none when blank.</summary>
    public static string? Place(string? place) => string.IsNullOrWhiteSpace(place) ? null : place.Trim();

    public static async Task<Results<Ok<RiskMapResponse>, Accepted<RiskMapStatus>, ValidationProblem, UnprocessableEntity<ProblemDetails>>> GetRiskMap(
        double? cell, [FromQuery(Name = "in")] string? place, int? top, HttpContext context, Access access, RiskService risk, CancellationToken ct)
    {
        if (Validate(cell, top) is null && await UnderWayAsync(context, cell, place, access, risk, ct) is { } accepted) return accepted;
        var (lease, problem) = await TryMapAsync(cell, place, top, access, risk, ct);
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
            await risk.AuditAsync(access, RiskService.DownloadAction, new { file = "summary", area = output.Area, cell_m = output.CellM, restricted = true }, ct);
            return TypedResults.Ok(new RiskMapResponse(true, RiskHandler.Marking, output.Area, output.CellM, output.Epsg,
                output.KnownBefore.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), output.ComputedAt, [.. Files.Keys], [.. output.Top.Take(top ?? DefaultTop)]));
        }
    }

    public static async Task<Results<FileStreamHttpResult, FileContentHttpResult, Accepted<RiskMapStatus>, ValidationProblem, UnprocessableEntity<ProblemDetails>, NotFound<ProblemDetails>>> GetRiskMapFile(
        string file, double? cell, [FromQuery(Name = "in")] string? place, int? top, HttpContext context, Access access, RiskService risk, CancellationToken ct)
    {
        if (!Files.TryGetValue(file, out var mediaType))
            return TypedResults.NotFound(new ProblemDetails { Title = "No such risk map file", Detail = $"'{file}': files are {string.Join(", ", Files.Keys)}", Status = 404 });
        if (Validate(cell, top) is null && await UnderWayAsync(context, cell, place, access, risk, ct) is { } accepted) return accepted;
        var (lease, problem) = await TryMapAsync(cell, place, top, access, risk, ct);
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
            await risk.AuditAsync(access, RiskService.DownloadAction, new { file, area = output.Area, cell_m = output.CellM, restricted = true }, ct);
            var name = $"groundtruth-{file.Replace("risk.", $"risk-{output.CellM:0}m.", StringComparison.Ordinal)}";
            switch (file)
            {
                case "risk.top.csv":
                    return TypedResults.File(Encoding.UTF8.GetBytes(RiskMapOutputs.TopCsv([.. output.Top.Take(n)])), mediaType, name);
                case "risk.top.geojson":
                    // The map keeps its MaxTop highest cells; the first n are `risk map --top n`'s.
                    var doc = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(output.Folder, file), ct))!.AsObject();
                    var features = doc["features"]!.AsArray();
                    while (features.Count > n) features.RemoveAt(features.Count - 1);
                    return TypedResults.File(Encoding.UTF8.GetBytes(doc.ToJsonString(Indented)), mediaType, name);
                default:
                    // The preview is for reading: its legend in the reader's language (the map's pixels are the same in each).
                    var path = file == "risk.png" ? RiskPreview.InLanguage(output.Folder, CultureInfo.CurrentUICulture) : Path.Combine(output.Folder, file);
                    // Opened while the lease holds the folder: once open, the bytes outlive a later eviction.
                    var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete);
                    return TypedResults.File(stream, mediaType, file == "risk.png" ? null : name);
            }
        }
    }

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>
    /// With <c>Prefer: respond-async</c> (<see cref="AsyncPreference"/>): starts the map if needed and, when it is not ready
    /// within the client's wait, the 202 that says where it stands; null when the map is ready (or failed: the normal path answers).
    /// </summary>
    private static async Task<Accepted<RiskMapStatus>?> UnderWayAsync(HttpContext context, double? cell, string? place, Access access, RiskService risk, CancellationToken ct)
    {
        if (AsyncPreference.Of(context.Request) is not { } prefer) return null;
        var status = await risk.BeginMapAsync(access, cell ?? AutomaticCell, Place(place), ct, prefer.Wait);
        if (status.State is not ("computing" or "waiting")) return null;
        var query = QueryString.Create([
            .. cell is { } size ? [new KeyValuePair<string, string?>("cell", size.ToString(CultureInfo.InvariantCulture))] : Array.Empty<KeyValuePair<string, string?>>(),
            .. Place(place) is { } p ? [new KeyValuePair<string, string?>("in", p)] : Array.Empty<KeyValuePair<string, string?>>()]);
        return AsyncPreference.Accepted(context, "/api/risk/map/status" + query, status);
    }

    private static async Task<(RiskMaps.Lease? Lease, Results<Ok<RiskMapResponse>, ValidationProblem, UnprocessableEntity<ProblemDetails>>? Problem)> TryMapAsync(
        double? cell, string? place, int? top, Access access, RiskService risk, CancellationToken ct)
    {
        if (Validate(cell, top) is { } errors) return (null, TypedResults.ValidationProblem(errors));
        // A bad place or cell size (400, the parameter named) and data that cannot support a model (422) leave through ErrorMapping.
        return (await risk.MapAsync(access, cell ?? AutomaticCell, Place(place), ct), null);
    }

    // ---- priorities ----

    /// <summary>Where the map for a cell size and place stands; polled by the /risk page while it computes.</summary>
    public static Results<Ok<RiskMapStatus>, ValidationProblem> GetRiskMapStatus(double? cell, [FromQuery(Name = "in")] string? place, Access access, RiskService risk)
    {
        if (Validate(cell, null) is { } errors) return TypedResults.ValidationProblem(errors);
        return TypedResults.Ok(risk.MapStatus(access, cell ?? AutomaticCell, Place(place)));
    }

    /// <summary>Where the ranking stands; polled by the /priorities page while it computes.</summary>
    public static Ok<RiskMapStatus> GetPrioritiesStatus(Access access, RiskService risk) => TypedResults.Ok(risk.PrioritiesStatus(access));

    public sealed record PriorityCriterionResponse(string Criterion, double Weight, double? Raw, double Normalised, double Contribution);

    public sealed record PriorityRowResponse(int Rank, string HazardId, string? Name, string? Place, double ResidualM2, double Score, IReadOnlyList<PriorityCriterionResponse> Criteria);

    public sealed record PrioritiesResponse(bool Restricted, string Marking, DateTime ComputedAt, PriorityWeights Weights, string? RiskNote, IReadOnlyList<PriorityRowResponse> Rows);

    public const string PrioritiesMarking = "RESTRICTED: clearance priorities, analysts and above";

    public static PrioritiesResponse Response(PrioritiesReport report) => new(true, PrioritiesMarking, report.ComputedAt, report.Weights, report.RiskNote,
        [.. report.Rows.Select(r => new PriorityRowResponse(r.Rank, r.Area.Id, r.Area.Name, r.Area.Place, Math.Round(r.Area.ResidualM2, 1), Math.Round(r.Score, 4),
            [.. r.Criteria.Select(c => new PriorityCriterionResponse(c.Criterion, report.Weights.WeightOf(c.Criterion), c.Raw, Math.Round(c.Normalised, 4), Math.Round(c.Contribution, 4)))]))]);

    public static async Task<Results<Ok<PrioritiesResponse>, ContentHttpResult, Accepted<RiskMapStatus>, ValidationProblem>> GetPriorities(
        string? format, HttpContext context, Access access, RiskService risk, CancellationToken ct)
    {
        format = (format ?? "json").ToLowerInvariant();
        if (format is not ("json" or "csv" or "geojson"))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["format"] = [$"'{format}' is not a format; use json, csv or geojson"] });
        if (AsyncPreference.Of(context.Request) is { } prefer && await risk.BeginPrioritiesAsync(access, ct, prefer.Wait) is { State: "computing" or "waiting" } status)
            return AsyncPreference.Accepted(context, "/api/priorities/status", status);
        PrioritiesReport report;
        // A missing or bad weights file is an InvalidRequestException on "weights": 400 through ErrorMapping.
        report = await risk.PrioritiesAsync(access, ct);
        // The same audit entry the CLI writes for its CSV and GeoJSON exports; JSON is a delivery too.
        await risk.AuditAsync(access, format == "json" ? RiskService.ViewPrioritiesAction : RiskService.ExportPrioritiesAction,
            new { format, areas = report.Rows.Count, restricted = true, at = "current" }, ct);
        if (format == "json") return TypedResults.Ok(Response(report));
        context.Response.Headers.ContentDisposition = $"attachment; filename=\"groundtruth-priorities.{format}\"";
        return format == "csv"
            ? TypedResults.Text(PrioritiesHandler.Csv(report), "text/csv")
            : TypedResults.Text(PrioritiesHandler.GeoJson(report), HazardsApi.GeoJsonMediaType);
    }
}
