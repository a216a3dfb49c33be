using System.Text;
using System.Text.Json;
using Groundtruth.Application.Caching;
using Groundtruth.Application.Statistics;
using Groundtruth.Application.Storage;
using Groundtruth.Application.Users;
using Groundtruth.Web.Setup;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Groundtruth.Application.Security;

namespace Groundtruth.Web.Apis;

/// <summary>
/// Statistics over casualties, finds and accidents: the same question as <c>groundtruth stats</c> gives
/// the same JSON (DESIGN section 5), definition, unknowns and exclusions included.
/// </summary>
/// <remarks>
/// Viewer mode (DESIGN section 7: groups smaller than 5 suppressed and marked) follows the signed-in user's
/// role: a viewer always gets it. Anyone may ask for it with <c>viewer=true</c>; the old
/// <see cref="RoleHeader"/> header is ignored, so no client can turn suppression off or on by sending it.
/// <c>include_pending=true</c> counts submissions waiting for approval too, for analysts and above (they already see
/// pending versions in the registers); a viewer who asks is refused (403), so no viewer mistakes the figure for one.
/// Answers are cached per data version (<see cref="ResponseCache"/>; docs/web.md, "Caching").
/// </remarks>
public static class StatsApi
{
    /// <summary>Formerly how a caller's role was told; ignored since sign-in exists (the role comes from the user).</summary>
    public const string RoleHeader = "X-Groundtruth-Role";

    // One in-memory column cache for the host: the first question loads, later ones reuse it until the data change.
    internal static readonly StatsSource Source = new();

    public static IEndpointRouteBuilder MapStatsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/stats").WithTags("Statistics").RequireAuthorization(Roles.Viewer);
        api.MapGet("/{dataset}", GetStats)
            .WithName(nameof(GetStats))
            .WithSummary("Counts casualties, finds (in devices) or accidents, with the definition, unknowns and exclusions beside the figures")
            .WithDescription(
                "Parameters as the CLI's: from, to (YYYY, YYYY-MM or YYYY-MM-DD, inclusive), where=FIELD=VALUE (repeatable, all must hold), " +
                "in=PLACE (id or name), by=FIELD[,FIELD], viewer=true to suppress groups smaller than 5 (always on for viewers). " +
                "include_pending=true counts submissions waiting for approval too (analysts and above; 403 for viewers) and marks the answer \"includes_pending\": true. " +
                "Bad fields, values, dates or places answer 400 with the valid choices.")
            .Produces<string>(StatusCodes.Status200OK, StatsOutput.JsonMediaType);
        return app;
    }

    public static async Task<Results<FileContentHttpResult, ValidationProblem, ForbidHttpResult>> GetStats(
        string dataset,
        DatabaseTarget target,
        TimeProvider clock,
        Access access,
        DataVersion version,
        ResponseCache cache,
        string? from,
        string? to,
        [FromQuery] string[]? where,
        [FromQuery(Name = "in")] string? inPlace,
        [FromQuery] string[]? by,
        bool? viewer,
        [FromQuery(Name = "include_pending")] bool? includePending,
        CancellationToken ct)
    {
        var request = new StatsRequest(dataset, from, to, where ?? [], inPlace, by ?? [], viewer == true, IncludePending: includePending == true).For(access);
        // Everything the answer depends on besides the data: the question as asked, viewer mode and pending data.
        var key = "stats " + JsonSerializer.Serialize(new object?[]
            { request.Dataset, request.From, request.To, request.Where, request.In, request.By, request.SuppressSmallCells, request.IncludePending });
        // A bad field, value, date or place (StatsArgumentException) answers 400 naming the parameter, through ErrorMapping.
        var json = await cache.GetOrAddAsync(await version.CurrentAsync(ct), key, async () =>
        {
            var report = await new StatsHandler(target, clock, Source).HandleAsync(request, CancellationToken.None);
            return Encoding.UTF8.GetBytes(StatsOutput.Json(report));
        });
        return TypedResults.Bytes(json, StatsOutput.JsonMediaType);
    }
}
