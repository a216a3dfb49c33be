using Groundtruth.Application.Demo;
using Groundtruth.Application.Storage;

namespace Groundtruth.Web.Setup;

/// <summary><c>--demo</c>: a fresh GeoPackage in a temporary folder of its own, filled with the synthetic, fictional programme.</summary>
internal static class DemoDatabase
{
    public static string NewPath() =>
        Path.Combine(Path.GetTempPath(), $"groundtruth-demo-{Environment.ProcessId}", "demo.gpkg");

    public static async Task FillAsync(WebApplication app, DatabaseTarget target, CancellationToken ct)
    {
        var folder = Path.GetDirectoryName(target.FilePath!)!;
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        Directory.CreateDirectory(folder);
        app.Lifetime.ApplicationStopped.Register(() => Remove(folder));

        var clock = app.Services.GetRequiredService<TimeProvider>();
        await new DemoHandler(target, clock).HandleAsync(new DemoRequest(), new LogProgress(app.Logger), ct);
        HostLog.DemoReady(app.Logger, target.FilePath!);
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
