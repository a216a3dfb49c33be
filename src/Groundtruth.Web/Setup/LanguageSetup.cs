using System.Globalization;
using System.Security.Claims;
using Groundtruth.Application.Resources;
using Microsoft.AspNetCore.Localization;

namespace Groundtruth.Web.Setup;

/// <summary>
/// The language of each request (docs/web.md, Languages): the one chosen with the selector (a cookie), else the one
/// stored in the user's profile, else the browser's (Accept-Language), else English. Pages show dates and numbers in
/// that culture; the API, the OpenAPI document and exports stay invariant, whatever the language.
/// </summary>
public static class LanguageSetup
{
    /// <summary>The user claim (AspNetUserClaims) holding the language a signed-in user last chose.</summary>
    public const string ProfileClaim = "groundtruth:language";

    public static readonly IReadOnlyList<CultureInfo> Cultures = [.. Labels.Languages.Select(CultureInfo.GetCultureInfo)];

    /// <summary>Pages carry their words as characters, not as numeric references (an Arabic page would be six times its size).</summary>
    public static IServiceCollection AddGroundtruthLanguages(this IServiceCollection services) =>
        services.Configure<Microsoft.Extensions.WebEncoders.WebEncoderOptions>(o => o.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));

    public static WebApplication UseGroundtruthLanguages(this WebApplication app)
    {
        var options = new RequestLocalizationOptions
        {
            DefaultRequestCulture = new RequestCulture("en"),
            SupportedCultures = [.. Cultures],
            SupportedUICultures = [.. Cultures],
            FallBackToParentCultures = true,
            FallBackToParentUICultures = true,
            RequestCultureProviders =
            [
                new CookieRequestCultureProvider(),
                new CustomRequestCultureProvider(ProfileLanguage),
                new AcceptLanguageHeaderRequestCultureProvider(),
            ],
        };
        app.UseRequestLocalization(options);
        app.Use(InvariantForMachines);
        return app;
    }

    /// <summary>The supported language <paramref name="name"/> names (<c>fr</c>, <c>fr-CA</c> → fr), if any.</summary>
    public static CultureInfo? Supported(string? name)
    {
        if (string.IsNullOrWhiteSpace(name)) return null;
        var language = name.Split('-', '_')[0].Trim().ToLowerInvariant();
        return Cultures.FirstOrDefault(c => c.Name == language);
    }

    private static Task<ProviderCultureResult?> ProfileLanguage(HttpContext context) =>
        Task.FromResult(Supported(context.User.FindFirstValue(ProfileClaim)) is { } c ? new ProviderCultureResult(c.Name) : null);

    /// <summary>Answers for programs (JSON, CSV, GeoJSON, the OpenAPI document) keep the invariant format; only their words follow the language.</summary>
    private static Task InvariantForMachines(HttpContext context, Func<Task> next)
    {
        if (context.Request.Path.StartsWithSegments("/api") || context.Request.Path.StartsWithSegments("/openapi"))
            CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        return next();
    }
}
