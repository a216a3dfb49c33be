using System.Globalization;
using Groundtruth.Application.Caching;
using Groundtruth.Application.Export;
using Groundtruth.Application.Storage;

namespace Groundtruth.Web.Setup;

/// <summary>
/// The answers cache of the statistics and feature APIs (docs/web.md, "Caching"; ADR 0010): answers are kept per
/// data version; a write through this host invalidates them before its response leaves, a write by another
/// process is seen within <see cref="DefaultCheckInterval"/>. No HTTP caching: clients always ask the host.
/// </summary>
public static class CachingSetup
{
    /// <summary><c>false</c> turns the answers cache off (every request computes; used to measure the uncached cost).</summary>
    public const string EnabledKey = "Groundtruth:Cache:Enabled";

    /// <summary>Milliseconds between two reads of the database's change stamp: the staleness bound for writes by other processes.</summary>
    public const string CheckIntervalKey = "Groundtruth:Cache:CheckIntervalMs";

    /// <summary>Bytes of answers kept per data version; answers beyond it are computed, not kept.</summary>
    public const string MaxBytesKey = "Groundtruth:Cache:MaxBytes";

    /// <summary>Bytes of finished export files kept on disk (<see cref="ExportCache"/>); the newest is kept whatever its size.</summary>
    public const string ExportMaxBytesKey = "Groundtruth:Cache:ExportMaxBytes";

    public const long DefaultExportMaxBytes = 1024L * 1024 * 1024;

    public static readonly TimeSpan DefaultCheckInterval = TimeSpan.FromSeconds(1);

    public const long DefaultMaxBytes = 128L * 1024 * 1024;

    public static IServiceCollection AddGroundtruthCaching(this IServiceCollection services)
    {
        services.AddSingleton(sp =>
        {
            var configuration = sp.GetRequiredService<IConfiguration>();
            var interval = configuration[CheckIntervalKey] is { } ms ? TimeSpan.FromMilliseconds(double.Parse(ms, CultureInfo.InvariantCulture)) : DefaultCheckInterval;
            return new DataVersion(sp.GetRequiredService<DatabaseTarget>(), sp.GetRequiredService<TimeProvider>(), interval);
        });
        services.AddSingleton(sp =>
        {
            var configuration = sp.GetRequiredService<IConfiguration>();
            var enabled = !string.Equals(configuration[EnabledKey], "false", StringComparison.OrdinalIgnoreCase);
            var max = configuration[MaxBytesKey] is { } b ? long.Parse(b, CultureInfo.InvariantCulture) : DefaultMaxBytes;
            return new ResponseCache(max, enabled);
        });
        services.AddSingleton(sp =>
        {
            var configuration = sp.GetRequiredService<IConfiguration>();
            var enabled = !string.Equals(configuration[EnabledKey], "false", StringComparison.OrdinalIgnoreCase);
            var max = configuration[ExportMaxBytesKey] is { } b ? long.Parse(b, CultureInfo.InvariantCulture) : DefaultExportMaxBytes;
            return new ExportCache(max, enabled);
        });
        return services;
    }

    /// <summary>
    /// Every request of a signed-in user that may write (any method but GET, HEAD, OPTIONS and TRACE) invalidates
    /// the cached answers just before its response starts — after its transaction committed, before the client can
    /// ask again — and once more when it ends. Anonymous requests cannot write, so they never empty the cache (an
    /// anonymous flood of POSTs must not hold the API at its uncached rate). Registered after authentication.
    /// </summary>
    public static WebApplication UseDataChangeInvalidation(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            var method = context.Request.Method;
            if (HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) || HttpMethods.IsTrace(method)
                || context.User.Identity?.IsAuthenticated != true)
            {
                await next();
                return;
            }
            var version = context.RequestServices.GetRequiredService<DataVersion>();
            context.Response.OnStarting(() =>
            {
                version.Invalidate();
                return Task.CompletedTask;
            });
            try
            {
                await next();
            }
            finally
            {
                version.Invalidate();
            }
        });
        return app;
    }
}
