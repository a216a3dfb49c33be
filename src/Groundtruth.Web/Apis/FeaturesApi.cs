using Groundtruth.Application.Datasets;
using Groundtruth.Application.Features;
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
/// above, and never carry personal data here.
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
                "the original coordinates are left out, so are minefield records with a handling label, and casualties answer 403.")
            .Produces<FeaturePageResponse>(StatusCodes.Status200OK, HazardsApi.GeoJsonMediaType);
        return app;
    }

    public static async Task<Results<JsonHttpResult<FeaturePageResponse>, ValidationProblem, NotFound<ProblemDetails>, ForbidHttpResult>> GetFeatures(
        string dataset,
        HttpContext context,
        GroundtruthDbContext db,
        string? bbox,
        string? from,
        string? to,
        [FromQuery] string[]? where,
        int? offset,
        int? limit,
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
        var viewer = context.User.SeesOnlyAggregates();
        if (viewer && spec == DatasetCatalog.Casualties) return TypedResults.Forbid();

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

        var page = await FeatureQuery.ReadAsync(db, new FeatureRequest(
            spec, box, fromDate, toDate, equalities, offset ?? 0, limit ?? FeatureQuery.DefaultLimit, viewer), ct);
        return TypedResults.Json(new FeaturePageResponse(page.NumberMatched, page.Features.Count, page.Offset, page.Limit, page.CellDegrees, page.Features),
            contentType: HazardsApi.GeoJsonMediaType);
    }
}

/// <summary>A GeoJSON FeatureCollection with paging members as in OGC API - Features (numberMatched, numberReturned), snake_case.</summary>
public sealed record FeaturePageResponse(
    int NumberMatched,
    int NumberReturned,
    int Offset,
    int Limit,
    double? GeneralisedToDegrees,
    IReadOnlyList<IFeature> Features)
{
    public string Type => "FeatureCollection";
}
