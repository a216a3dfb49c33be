using Groundtruth.Web.Apis;

namespace Groundtruth.Web.Setup;

/// <summary>
/// The web application, built and run the same way whether it is started as <c>Groundtruth.Web</c>
/// (<c>dotnet run --project src/Groundtruth.Web</c>) or as <c>groundtruth serve</c> from the one executable.
/// </summary>
public static class GroundtruthWebHost
{
    /// <summary>
    /// Builds the host from <paramref name="args"/> (<c>--demo</c>, <c>--urls</c>, any configuration key such as
    /// <c>--Groundtruth:Database</c>) and serves until stopped (Ctrl-C, SIGTERM or <paramref name="stop"/>).
    /// </summary>
    /// <returns>0 after a clean stop; 1 when the database is missing or its schema is not current; 2 for a bad setting.</returns>
    public static async Task<int> RunAsync(string[] args, CancellationToken stop = default)
    {
        var builder = WebApplication.CreateBuilder(HostArguments.Options(args));
        builder.AddGroundtruth(demo: HostArguments.HasDemo(args));

        await using var app = builder.Build();
        try
        {
            app.UseGroundtruthProxy();
        }
        catch (InvalidOperationException e) when (e.Message.StartsWith(ProxySetup.TrustedProxiesKey, StringComparison.Ordinal))
        {
            await Console.Error.WriteLineAsync($"error: {e.Message}");
            return 2;
        }
        app.UseGroundtruthWebRoot();
        app.UseGroundtruthErrors();
        app.UseGroundtruthSecurity();
        app.UseGroundtruthLanguages();
        app.UseDataChangeInvalidation();
        app.MapHealthApi();
        app.MapLanguageApi();
        app.MapAccountApi();
        app.MapFeaturesApi();
        app.MapBasemapApi();
        app.MapRegistersApi();
        app.MapSubmissionsApi();
        app.MapRecordsApi();
        app.MapAdministrationApi();
        app.MapHazardsApi();
        app.MapStatsApi();
        app.MapLookupApi();
        app.MapVerdictsApi();
        app.MapExportApi();
        app.MapRiskApi();
        app.MapReportsApi();
        app.MapRazorPages();
        app.MapGroundtruthApiReference();

        return await app.RunGroundtruthAsync(stop);
    }
}
