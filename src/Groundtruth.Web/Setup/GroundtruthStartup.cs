using Groundtruth.Application.Storage;

namespace Groundtruth.Web.Setup;

/// <summary>The request pipeline around the endpoints, and the checks made before the host listens.</summary>
public static class GroundtruthStartup
{
    /// <summary>Every error leaves as RFC 7807 problem details; never a stack trace.</summary>
    public static WebApplication UseGroundtruthErrors(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        return app;
    }

    /// <summary>
    /// Prepares the demo database when asked, refuses a database whose schema is not current with one
    /// line on standard error (exit code 1, as the CLI's bad data), then serves until stopped.
    /// </summary>
    public static async Task<int> RunGroundtruthAsync(this WebApplication app)
    {
        var target = app.Services.GetRequiredService<DatabaseTarget>();
        try
        {
            if (app.Services.GetRequiredService<HostMode>().Demo)
                await DemoDatabase.FillAsync(app, target, app.Lifetime.ApplicationStopping);
            await using var db = target.CreateContext();
            await SchemaGuard.EnsureCurrentAsync(db, app.Lifetime.ApplicationStopping);
        }
        catch (DatabaseNotReadyException e)
        {
            var where = e.Message.Contains(target.ToString(), StringComparison.Ordinal) ? "" : $" (database: {target})";
            await Console.Error.WriteLineAsync($"error: {e.Message}{where}");
            return 1;
        }
        var database = target.ToString();
        app.Lifetime.ApplicationStarted.Register(() => HostLog.Listening(app.Logger, app.Urls, database));
        await app.RunAsync();
        return 0;
    }
}
