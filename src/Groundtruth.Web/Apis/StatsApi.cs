using Groundtruth.Application.Statistics;
using Groundtruth.Application.Storage;
using Groundtruth.Application.Users;
using Groundtruth.Web.Setup;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Groundtruth.Web.Apis;

/// <summary>
/// Statistics over casualties, finds and accidents: the same question as <c>groundtruth stats</c> gives
/// the same JSON (DESIGN section 5), definition, unknowns and exclusions included.
/// </summary>
/// <remarks>
/// Viewer mode (DESIGN section 7: groups smaller than 5 suppressed and marked) follows the signed-in user's
/// role: a viewer always gets it. Anyone may ask for it with <c>viewer=true</c>; the old
/// <see cref="RoleHeader"/> header is ignored, so no client can turn suppression off or on by sending it.
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
                "Bad fields, values, dates or places answer 400 with the valid choices.")
            .Produces<string>(StatusCodes.Status200OK, StatsOutput.JsonMediaType);
        return app;
    }

    public static async Task<Results<ContentHttpResult, ValidationProblem>> GetStats(
        string dataset,
        DatabaseTarget target,
        TimeProvider clock,
        HttpContext context,
        string? from,
        string? to,
        [FromQuery] string[]? where,
        [FromQuery(Name = "in")] string? inPlace,
        [FromQuery] string[]? by,
        bool? viewer,
        CancellationToken ct)
    {
        var asViewer = viewer == true || context.User.SeesOnlyAggregates();
        try
        {
            var report = await new StatsHandler(target, clock, Source).HandleAsync(
                new StatsRequest(dataset, from, to, where ?? [], inPlace, by ?? [], asViewer), ct);
            return TypedResults.Text(StatsOutput.Json(report), StatsOutput.JsonMediaType);
        }
        catch (StatsArgumentException e)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { [e.Parameter] = [e.Message] });
        }
    }
}
