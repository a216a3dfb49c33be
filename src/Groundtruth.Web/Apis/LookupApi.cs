using System.Globalization;
using Groundtruth.Application.Caching;
using Groundtruth.Application.Datasets;
using Groundtruth.Application.Entry;
using Groundtruth.Application.Users;
using Groundtruth.Domain;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Groundtruth.Web.Apis;

/// <summary>
/// The search behind the entry forms' reference fields (issue 13 part 4): records of a dataset by the text typed, or
/// nearest first to the coordinates entered. For editors and above, who enter records.
/// </summary>
public static class LookupApi
{
    public static IEndpointRouteBuilder MapLookupApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/lookup/{dataset}", GetLookup)
            .WithTags("Records")
            .RequireAuthorization(Roles.Editor)
            .WithName(nameof(GetLookup))
            .WithSummary("Records a reference field may name: by text in the id or name (q), or nearest first to lon/lat")
            .WithDescription("dataset: hazards, activities, accidents, organisations or places. q: text the id or label holds. lon, lat: " +
                "decimal degrees (WGS84); the answer is then ordered by distance and gives distance_m (0 inside an area). limit: 1 to 20 (10).");
        return app;
    }

    public static async Task<Results<Ok<IReadOnlyList<LookupItem>>, ValidationProblem>> GetLookup(
        string dataset, string? q, string? lon, string? lat, int? limit, RecordLookup lookup, DataVersion version, CancellationToken ct)
    {
        if (DatasetCatalog.Find(dataset) is not { } spec || !RecordLookup.Searchable.Contains(spec.Name))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["dataset"] = [$"'{dataset}' cannot be searched; searchable: {string.Join(", ", RecordLookup.Searchable.Order(StringComparer.Ordinal))}"] });
        NetTopologySuite.Geometries.Point? near = null;
        if (lon is not null || lat is not null)
        {
            if (!double.TryParse(lon, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) || x is < -180 or > 180
                || !double.TryParse(lat, NumberStyles.Float, CultureInfo.InvariantCulture, out var y) || y is < -90 or > 90)
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["lon"] = ["give lon (-180 to 180) and lat (-90 to 90) together, in decimal degrees"] });
            near = SpatialRules.Factory.CreatePoint(new NetTopologySuite.Geometries.Coordinate(x, y));
        }
        var items = await lookup.SearchAsync(spec, q, near, await version.CurrentAsync(ct), limit ?? 10, ct);
        return TypedResults.Ok(items);
    }
}
