using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Groundtruth.Application.Caching;
using Groundtruth.Application.Datasets;
using Groundtruth.Application.Features;
using Groundtruth.Application.Security;
using Groundtruth.Application.Storage;
using Groundtruth.Application.Users;
using Groundtruth.Domain;
using Groundtruth.Web.Setup;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;

namespace Groundtruth.Web.Apis;

/// <summary>
/// Every spatial dataset as GeoJSON (RFC 7946), filtered by bounding box, date window and attributes, in pages.
/// Viewers get generalised geometry (grid cells), never a record's exact place; casualties are for analysts and
/// above, and never carry personal data here. <c>include_pending=true</c> adds the records of submissions waiting for
/// approval (analysts and above; 403 for viewers). Pages are cached as serialised GeoJSON per data version (docs/web.md, "Caching").
/// </summary>
public static class FeaturesApi
{
    public static IEndpointRouteBuilder MapFeaturesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/features").WithTags("Features").RequireAuthorization(Roles.Viewer);
        api.MapGet("/{dataset}", GetFeatures)
            .WithName(nameof(GetFeatures))
            .WithSummary("The current approved records of a spatial dataset as a GeoJSON FeatureCollection, in pages")
            .WithDescription(
                $"dataset: {string.Join(", ", DatasetCatalog.All.Where(d => d.IsSpatial).Select(d => d.Name))}. bbox={BoundingBox.Format}; " +
                "from, to (YYYY, YYYY-MM or YYYY-MM-DD, inclusive; a record counts when its whole date lies inside); where=FIELD=VALUE (repeatable); " +
                $"offset, limit (default {FeatureQuery.DefaultLimit}, at most {FeatureQuery.MaxLimit}). number_matched counts all pages. " +
                $"Viewers: each geometry is replaced by the {FeatureQuery.ViewerCellDegrees}° grid cells holding it (generalised_to_degrees), " +
                "the original coordinates are left out, so are minefield records with a handling label, and casualties answer 403. " +
                "include_pending=true adds records of submissions waiting for approval, as submitted (analysts and above; 403 for viewers), marked \"includes_pending\": true. " +
                "Analysts and editors get minefield records carrying a handling label as grid cells without original coordinates (exact for approvers " +
                "and administrators); labelled_records counts them on the page, and each page holding one writes an audit entry read_labelled_records.")
            .Produces<FeaturePageResponse>(StatusCodes.Status200OK, HazardsApi.GeoJsonMediaType);
        return app;
    }

    public static async Task<Results<FileContentHttpResult, ValidationProblem, NotFound<ProblemDetails>, ForbidHttpResult>> GetFeatures(
        string dataset,
        Access access,
        DatabaseTarget target,
        TimeProvider clock,
        DataVersion version,
        ResponseCache cache,
        Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json,
        string? bbox,
        string? from,
        string? to,
        [FromQuery] string[]? where,
        int? offset,
        int? limit,
        [FromQuery(Name = "include_pending")] bool? includePending,
        CancellationToken ct)
    {
        var spec = DatasetCatalog.Find(dataset);
        if (spec is null || !spec.IsSpatial)
        {
            return TypedResults.NotFound(new ProblemDetails
            {
                Title = "No such spatial dataset",
                Detail = $"'{dataset}' is not a spatial dataset; datasets: {string.Join(", ", DatasetCatalog.All.Where(d => d.IsSpatial).Select(d => d.Name))}",
                Status = StatusCodes.Status404NotFound,
            });
        }
        var viewer = access.AggregatesOnly;

        var errors = new Dictionary<string, string[]>();
        Envelope? box = null;
        if (bbox is not null)
        {
            if (BoundingBox.TryParse(bbox, out var b, out var problem)) box = new Envelope(b.MinLon, b.MaxLon, b.MinLat, b.MaxLat);
            else errors["bbox"] = [problem!];
        }
        PartialDate? fromDate = null, toDate = null;
        if (from is not null && !PartialDate.TryParse(from, out var f)) errors["from"] = [$"'{from}' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)"];
        else if (from is not null) fromDate = PartialDate.Parse(from);
        if (to is not null && !PartialDate.TryParse(to, out _)) errors["to"] = [$"'{to}' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)"];
        else if (to is not null) toDate = PartialDate.Parse(to);
        var equalities = new List<(string, string)>();
        foreach (var w in where ?? [])
        {
            var parts = w.Split('=', 2);
            if (parts.Length != 2 || spec.Field(parts[0].Trim()) is not { Personal: false })
                errors["where"] = [$"'{w}' is not FIELD=VALUE over a field of {spec.Name}: {string.Join(", ", spec.StoredFields.Select(x => x.Name))}"];
            else equalities.Add((parts[0].Trim(), parts[1].Trim()));
        }
        if (limit is < 0 or > FeatureQuery.MaxLimit) errors["limit"] = [$"limit must lie between 0 and {FeatureQuery.MaxLimit}"];
        if (offset is < 0) errors["offset"] = ["offset must not be negative"];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);

        var request = new FeatureRequest(spec, box, fromDate, toDate, equalities, offset ?? 0, limit ?? FeatureQuery.DefaultLimit,
            IncludePending: includePending == true).For(access);
        // Everything the page depends on besides the data: the parsed question, what the role generalises and pending data.
        var key = "features " + JsonSerializer.Serialize(new object?[]
        {
            spec.Name, box is null ? null : string.Create(CultureInfo.InvariantCulture, $"{box.MinX:R},{box.MinY:R},{box.MaxX:R},{box.MaxY:R}"),
            fromDate?.ToString(), toDate?.ToString(), equalities.Select(e => e.Item1 + "=" + e.Item2), request.Offset, request.Limit, viewer, request.IncludePending,
            request.GeneraliseLabelled,
        });
        var bytes = await cache.GetOrAddAsync(await version.CurrentAsync(ct), key, async () =>
        {
            await using var db = target.CreateContext();
            var page = await FeatureQuery.ReadAsync(db, request, CancellationToken.None);
            return JsonSerializer.SerializeToUtf8Bytes(
                new FeaturePageResponse(page.LabelledRecords, page.NumberMatched, page.Features.Count, page.Offset, page.Limit, page.CellDegrees, page.Features, page.IncludesPending),
                json.Value.SerializerOptions);
        });
        // Every read of a labelled minefield record is audited (DESIGN section 7), cached page or not.
        if (FeaturePageResponse.LabelledRecordsOf(bytes) is > 0 and var labelled)
        {
            await using var db = target.CreateContext();
            await AccessAudit.LabelledReadAsync(db, clock, access, spec.Name, labelled, request.GeneraliseLabelled, "features", ct);
        }
        return TypedResults.Bytes(bytes, HazardsApi.GeoJsonMediaType);
    }
}

/// <summary>A GeoJSON FeatureCollection with paging members as in OGC API - Features (numberMatched, numberReturned), snake_case.</summary>
/// <param name="LabelledRecords">Minefield records on the page carrying a handling label (generalised to the grid below approver); written
/// first, so a cached page tells its count without being parsed.</param>
public sealed record FeaturePageResponse(
    [property: JsonPropertyOrder(-1), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] int LabelledRecords,
    int NumberMatched,
    int NumberReturned,
    int Offset,
    int Limit,
    double? GeneralisedToDegrees,
    IReadOnlyList<IFeature> Features,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] bool IncludesPending = false)
{
    public string Type => "FeatureCollection";

    /// <summary>The <c>labelled_records</c> member of a serialised page: its first member when present, else 0.</summary>
    public static int LabelledRecordsOf(byte[] page)
    {
        var reader = new Utf8JsonReader(page);
        return reader.Read() && reader.TokenType == JsonTokenType.StartObject && reader.Read() && reader.TokenType == JsonTokenType.PropertyName
               && reader.ValueTextEquals("labelled_records") && reader.Read() && reader.TokenType == JsonTokenType.Number ? reader.GetInt32() : 0;
    }
}
