using Groundtruth.Application.Demo;
using Groundtruth.Application.Storage;
using Groundtruth.Application.Users;

namespace Groundtruth.Web.Setup;

/// <summary><c>--demo</c>: a fresh GeoPackage in a temporary folder of its own, filled with the synthetic, fictional programme.</summary>
internal static class DemoDatabase
{
    /// <summary>Configuration key of the demo users' password; a random one is made and logged when it is not set.</summary>
    public const string PasswordKey = "Groundtruth:DemoPassword";

    /// <summary><c>demo.gpkg</c> in a new private folder (0700, an unpredictable name: <see cref="PrivateFiles"/>).</summary>
    public static string NewPath() =>
        Path.Combine(PrivateFiles.CreateTemporaryFolder("groundtruth-demo-"), "demo.gpkg");

    public static async Task FillAsync(WebApplication app, DatabaseTarget target, CancellationToken ct)
    {
        var folder = Path.GetDirectoryName(target.FilePath!)!;
        app.Lifetime.ApplicationStopped.Register(() => Remove(folder));

        var clock = app.Services.GetRequiredService<TimeProvider>();
        await new DemoHandler(target, clock).HandleAsync(new DemoRequest(), new LogProgress(app.Logger), ct);
        // One user per role, so every page of the demo can be tried; the password is for this run only.
        var password = app.Configuration[PasswordKey] is { Length: > 0 } given ? given : AddUserHandler.NewPassword();
        var users = new AddUserHandler(target, clock);
        foreach (var role in Roles.Ranks) await users.HandleAsync(new AddUserRequest(role, [role], password, "demo"), ct);
        HostLog.DemoReady(app.Logger, target.FilePath!);
        var names = string.Join(", ", Roles.Ranks);
        HostLog.DemoUsers(app.Logger, names, password);
    }

    private static void Remove(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A demo folder left in the temporary directory is harmless; it holds only fictional data.
        }
    }

    /// <summary>Reports each step as it happens (<see cref="Progress{T}"/> would post them out of order).</summary>
    private sealed class LogProgress(ILogger logger) : IProgress<string>
    {
        public void Report(string value) => HostLog.DemoStep(logger, value);
    }
}
