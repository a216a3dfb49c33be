using System.Text.Json;
using Groundtruth.Application.Storage;
using Groundtruth.Domain;
using Microsoft.Extensions.DependencyInjection.Extensions;
using NetTopologySuite.IO.Converters;

namespace Groundtruth.Web.Setup;

/// <summary>Everything the web host registers, in one place.</summary>
public static class GroundtruthSetup
{
    /// <summary>The configuration key naming the database: a GeoPackage path or a PostgreSQL connection string.</summary>
    public const string DatabaseKey = "Groundtruth:Database";

    /// <summary>Loopback only unless asked: the host holds sensitive data; put it behind TLS before opening it to a network.</summary>
    public const string DefaultUrl = "http://127.0.0.1:5080";

    /// <summary>The configuration key naming the priority weights file (docs/risk.md); the built-in weights without it.</summary>
    public const string PriorityWeightsKey = "Groundtruth:PriorityWeights";

    /// <summary>
    /// How many risk maps the host keeps and computes at once (<see cref="Application.Risk.RiskMapLimits.MaxMapsKey"/>, default 8;
    /// <see cref="Application.Risk.RiskMapLimits.MaxComputationsKey"/>, default 1).
    /// </summary>
    public static Application.Risk.RiskMapLimits RiskMapLimitsOf(IConfiguration configuration) =>
        new(Positive(configuration, Application.Risk.RiskMapLimits.MaxMapsKey, 8), Positive(configuration, Application.Risk.RiskMapLimits.MaxComputationsKey, 1));

    private static int Positive(IConfiguration configuration, string key, int fallback)
    {
        var text = configuration[key];
        if (string.IsNullOrWhiteSpace(text)) return fallback;
        return int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n >= 1
            ? n
            : throw new InvalidOperationException($"{key}: '{text}' is not a whole number of at least 1");
    }

    /// <summary>The national id patterns: <c>Groundtruth:Ids:finds = FND-{yyyy}-{seq:00000}</c> and so on, over the defaults.</summary>
    public static Application.Entry.IdPatterns IdPatternsOf(IConfiguration configuration) =>
        new(configuration.GetSection(Application.Entry.IdPatterns.Section).GetChildren().ToDictionary(c => c.Key, c => c.Value, StringComparer.Ordinal));

    /// <summary>The fewest thread-pool threads the host keeps ready (<see cref="KeepThreadsForRequests"/>).</summary>
    public const int MinimumPoolThreads = 32;

    /// <summary>
    /// The background computations (the dashboard's counts and areas, risk maps, priorities, record accuracy) read SQLite
    /// synchronously on thread-pool threads: on two cores the pool starts with two threads and adds one about every half
    /// second, so a request's continuation waited behind them (issue 11: a dashboard meant to answer within 3 s after a
    /// change answered after 5.6). With threads ready, the operating system shares the cores between the computation and
    /// the requests instead.
    /// </summary>
    public static void KeepThreadsForRequests()
    {
        ThreadPool.GetMinThreads(out var workers, out var io);
        if (workers < MinimumPoolThreads) ThreadPool.SetMinThreads(MinimumPoolThreads, io);
    }

    public static WebApplicationBuilder AddGroundtruth(this WebApplicationBuilder builder, bool demo)
    {
        if (demo) builder.Configuration.AddInMemoryCollection([new(DatabaseKey, DemoDatabase.NewPath())]);
        if (DefaultUrls(builder.Configuration) is { } urls) builder.WebHost.UseUrls(urls);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        KeepThreadsForRequests();

        var services = builder.Services;
        services.AddSingleton(new HostMode(demo));
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => DatabaseTarget.Parse(sp.GetRequiredService<IConfiguration>()[DatabaseKey]));
        services.AddSingleton(sp => sp.GetRequiredService<DatabaseTarget>().Options());
        services.AddScoped<GroundtruthDbContext>();
        services.AddSingleton<Application.Registers.RegisterCache>();
        services.AddScoped<Application.Registers.RegisterService>();
        services.AddSingleton(sp => WebOptions.From(sp.GetRequiredService<IConfiguration>()));
        services.AddSingleton(sp => IdPatternsOf(sp.GetRequiredService<IConfiguration>()));
        services.AddSingleton<Application.Entry.NextIdsCache>();
        services.AddSingleton<Application.Entry.RecordLookup>();
        services.AddSingleton<Application.Statistics.ProgrammeFigures>();
        services.AddSingleton<Application.Caching.FirstAsked>();
        services.AddSingleton<Application.Statistics.DashboardCounts>();
        services.AddGroundtruthSecurity();
        services.AddGroundtruthSignIn(builder.Configuration);
        services.AddGroundtruthCaching();
        services.AddGroundtruthLanguages();
        services.AddSingleton<Application.Records.VerdictService>();
        services.AddSingleton<Application.Workbench.WaitingSubmissions>();
        services.AddSingleton<Application.Reports.ReportJobs>();
        services.AddSingleton(sp => new Application.Risk.RiskMaps(RiskMapLimitsOf(sp.GetRequiredService<IConfiguration>())));
        services.AddSingleton(sp => new Application.Risk.RiskService(sp.GetRequiredService<Application.Risk.RiskMaps>(), sp.GetRequiredService<Application.Caching.DataVersion>(),
            sp.GetRequiredService<DatabaseTarget>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IConfiguration>()[PriorityWeightsKey]));
        services.AddRazorPages(o =>
        {
            o.Conventions.AllowAnonymousToPage("/Login");
            o.Conventions.AllowAnonymousToPage("/Denied");
        });

        services.AddProblemDetails(o => o.CustomizeProblemDetails = context =>
        {
            // Kestrel refuses an oversized body before any endpoint runs: say what the limit is.
            if (context.ProblemDetails.Status == StatusCodes.Status413PayloadTooLarge)
                context.ProblemDetails.Detail ??= $"the request is larger than the {Apis.Uploads.MaxBytes / 1024 / 1024} MB an upload may be; import larger files with the command line (groundtruth import)";
        });
        services.AddExceptionHandler<ErrorMapping>();
        services.AddOpenApi(o => o.AddDocumentTransformer(DatasetSchemas.AddAsync));
        services.ConfigureHttpJsonOptions(json =>
        {
            // DESIGN section 5: JSON fields are snake_case, as in files; features travel as GeoJSON (RFC 7946).
            json.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            json.SerializerOptions.Converters.Add(new GeoJsonConverterFactory(SpatialRules.Factory));
            // A member given twice is refused (400 naming it), not silently resolved or left to fail later.
            json.SerializerOptions.AllowDuplicateProperties = false;
        });
        // Binding failures throw, so BadRequestAnswer can name the parameter.
        services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddExceptionHandler<BadRequestAnswer>();
        return builder;
    }

    /// <summary><see cref="DefaultUrl"/>, unless <c>--urls</c>, <c>ASPNETCORE_URLS</c>, <c>HTTP_PORTS</c> or Kestrel endpoints say otherwise.</summary>
    internal static string? DefaultUrls(IConfiguration configuration)
    {
        string[] keys = ["urls", "http_ports", "https_ports"];
        if (keys.Any(k => !string.IsNullOrWhiteSpace(configuration[k]))) return null;
        return configuration.GetSection("Kestrel:Endpoints").Exists() ? null : DefaultUrl;
    }
}

/// <summary>How the host was started.</summary>
/// <param name="Demo">Serving a fresh synthetic database made for this run.</param>
public sealed record HostMode(bool Demo);
