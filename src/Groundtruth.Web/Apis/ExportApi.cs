using System.Globalization;
using System.Text.Json;
using Groundtruth.Application.Caching;
using Groundtruth.Application.Datasets;
using Groundtruth.Application.Export;
using Groundtruth.Application.Features;
using Groundtruth.Application.Security;
using Groundtruth.Application.Storage;
using Groundtruth.Application.Users;
using Groundtruth.Web.Setup;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Groundtruth.Web.Apis;

/// <summary>
/// A dataset's current approved records as a file (the CLI's <c>groundtruth export</c>, through <see cref="ExportHandler"/>),
/// limited by the caller's role (DESIGN section 7, docs/decisions/0009-web-exports.md): viewers get grid cells, never exact
/// coordinates, and no casualties; minefield records carrying a handling label leave the system only with approvers and
/// administrators; personal data never leaves through the web. Every export is written to the audit log.
/// </summary>
public static class ExportApi
{
    public const string AuditAction = "export";

    /// <summary>Response header: how many records the role's limits left out.</summary>
    public const string WithheldHeader = "Groundtruth-Withheld-Records";

    /// <summary>Response header: the grid cell size (degrees) the geometry was generalised to, when it was.</summary>
    public const string GeneralisedHeader = "Groundtruth-Generalised-To-Degrees";

    public static IEndpointRouteBuilder MapExportApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/export/{dataset}", GetExport)
            .WithTags("Export")
            .RequireAuthorization(Roles.Viewer)
            .WithName(nameof(GetExport))
            .WithSummary("A dataset's current approved records as CSV, Excel or GeoJSON, as groundtruth export writes them, limited by the caller's role; audited")
            .WithDescription(
                "format=csv (default; points as lon,lat, other geometry as wkt), xlsx (the same columns in an Excel workbook) or geojson. Viewers: geometry replaced by the " +
                $"{FeatureQuery.ViewerCellDegrees}° grid cells holding it, no original coordinates, no casualties (403). Minefield records carrying " +
                "a handling label are exported to approvers and administrators only; for other roles they are left out, counted in the " +
                $"{WithheldHeader} header and, in GeoJSON, in the top-level withheld member. No personal data. Each export writes an audit entry. " +
                "headers=machine (default: field names, which import reads) or human (csv, xlsx: the header row as labels in the request's language, for reading). " +
                "Values are written invariant whatever the language.");
        return app;
    }

    public static async Task<Results<FileStreamHttpResult, ValidationProblem, NotFound<ProblemDetails>, ForbidHttpResult>> GetExport(
        string dataset, string? format, [Microsoft.AspNetCore.Mvc.FromQuery(Name = "headers")] string? headerStyle, HttpContext context, Access access, DatabaseTarget target, GroundtruthDbContext db,
        DataVersion version, ExportCache cache, TimeProvider clock, CancellationToken ct)
    {
        if (DatasetCatalog.Find(dataset) is not { } spec) return RegistersApi.NoSuchDataset(dataset);
        format = (format ?? "csv").ToLowerInvariant();
        if (headerStyle is not (null or "machine" or "human"))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["headers"] = [$"'{headerStyle}' is not a header style; use machine or human"] });
        if (format is not ("csv" or "geojson" or "xlsx"))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["format"] = [$"'{format}' is not an export format; use csv, xlsx or geojson"] });
        ExportLimits.Check(access, spec);
        var limits = ExportLimits.For(access);
        var human = headerStyle == "human";
        // The file is kept for the dataset's version and the role's limits (ExportCache): the same export asked again
        // streams the file written first. The version is read before the data, so a file is never served after a change it missed.
        var key = await version.KeyAsync([spec], ct);
        var (stream, result) = await cache.OpenAsync(key, ExportCache.Question(spec.Name, format, human, limits), format,
            file => new ExportHandler(target, clock).HandleAsync(new ExportRequest(spec, file, Access: access, HumanHeaders: human), CancellationToken.None), ct);
        try
        {
            await AuditAsync(db, access, spec, format, result, limits, clock, ct);
        }
        catch
        {
            await stream.DisposeAsync();
            throw;
        }

        var headers = context.Response.Headers;
        headers[WithheldHeader] = result.Withheld.ToString(CultureInfo.InvariantCulture);
        if (limits.GeneraliseToDegrees is { } cell) headers[GeneralisedHeader] = cell.ToString(CultureInfo.InvariantCulture);
        var name = $"groundtruth-{spec.Name}-{clock.GetUtcNow():yyyyMMdd}.{format}";
        var mediaType = format switch
        {
            "csv" => "text/csv",
            "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            _ => HazardsApi.GeoJsonMediaType,
        };
        return TypedResults.File(stream, mediaType, name);
    }

    /// <summary>Every export is written to the audit log, from a kept file or not.</summary>
    private static async Task AuditAsync(GroundtruthDbContext db, Access access, DatasetSpec spec, string format, ExportResult result, ExportLimits limits, TimeProvider clock, CancellationToken ct)
    {
        db.AuditLog.Add(new AuditEntry
        {
            At = clock.GetUtcNow().UtcDateTime,
            Actor = access.Actor,
            Action = AuditAction,
            Dataset = spec.Name,
            Detail = JsonSerializer.Serialize(new
            {
                format,
                records = result.Records,
                withheld = result.Withheld,
                labelled_records = result.LabelledRecords,
                generalised_to_degrees = limits.GeneraliseToDegrees,
            }),
        });
        await db.SaveChangesAsync(ct);
    }
}
