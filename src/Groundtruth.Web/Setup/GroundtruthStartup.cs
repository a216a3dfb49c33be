using Groundtruth.Application.Storage;
using Microsoft.Extensions.FileProviders;

namespace Groundtruth.Web.Setup;

/// <summary>The request pipeline around the endpoints, and the checks made before the host listens.</summary>
public static class GroundtruthStartup
{
    /// <summary>
    /// The pages' scripts and styles from the <c>wwwroot</c> folder beside the binaries, or, when there is none
    /// (the single-file <c>groundtruth</c> executable), from the copy embedded in this assembly.
    /// </summary>
    public static WebApplication UseGroundtruthWebRoot(this WebApplication app)
    {
        // Never a wwwroot folder of the user's working directory, which the host would pick by default.
        if (!Directory.Exists(HostArguments.WebRoot))
            app.Environment.WebRootFileProvider = new ManifestEmbeddedFileProvider(typeof(GroundtruthStartup).Assembly, "wwwroot");
        return app;
    }

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
    public static async Task<int> RunGroundtruthAsync(this WebApplication app, CancellationToken stop = default)
    {
        var target = app.Services.GetRequiredService<DatabaseTarget>();
        try
        {
            // A bad national id pattern stops the host at start, naming the setting, not the first entry.
            app.Services.GetRequiredService<Application.Entry.IdPatterns>();
        }
        catch (InvalidOperationException e) when (e.Message.StartsWith(Application.Entry.IdPatterns.Section, StringComparison.Ordinal))
        {
            await Console.Error.WriteLineAsync($"error: {e.Message}");
            return 2;
        }
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
        await app.RunAsync(stop);
        return 0;
    }
}
