using Groundtruth.Application.Storage;
using Groundtruth.Web.Setup;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Groundtruth.Web.Apis;

/// <summary>Whether the host and its database answer, for monitors and for people starting it.</summary>
public static class HealthApi
{
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health", GetHealth)
            .WithName(nameof(GetHealth))
            .WithTags("Health")
            .AllowAnonymous()
            .WithSummary("Whether the service and its database answer")
            .WithDescription("200 when the database answers and its schema is current; 503 with problem details otherwise.");
        return app;
    }

    public static async Task<Results<Ok<HealthReport>, ProblemHttpResult>> GetHealth(
        GroundtruthDbContext db, DatabaseTarget target, ILoggerFactory loggers, CancellationToken ct)
    {
        try
        {
            await SchemaGuard.EnsureCurrentAsync(db, ct);
        }
        catch (DatabaseNotReadyException e)
        {
            // The reason names files or servers: it goes to the log, not to whoever asks.
            HostLog.HealthCheckFailed(loggers.CreateLogger(typeof(HealthApi)), e.Message);
            return TypedResults.Problem(
                title: "The database is not ready",
                detail: "The database does not answer or its schema is not current; the server log says why.",
                statusCode: StatusCodes.Status503ServiceUnavailable);
        }
        return TypedResults.Ok(new HealthReport("ok", target.Flavour.ToString().ToLowerInvariant(), "current"));
    }
}

/// <param name="Status"><c>ok</c>.</param>
/// <param name="Database">The kind of store: <c>geopackage</c> or <c>postgis</c>.</param>
/// <param name="Schema"><c>current</c>: every migration of this build is applied.</param>
public sealed record HealthReport(string Status, string Database, string Schema);
