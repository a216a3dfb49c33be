using System.Globalization;
using System.Security.Claims;
using Groundtruth.Application.Datasets;
using Groundtruth.Application.Resources;
using Groundtruth.Web.Resources;
using Groundtruth.Web.Setup;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Localization;

namespace Groundtruth.Web.Apis;

/// <summary>Choosing the language (the selector on every page) and the words the pages' scripts show, in the request's language.</summary>
public static class LanguageApi
{
    public static void MapLanguageApi(this WebApplication app)
    {
        app.MapGet("/language", ChooseLanguage)
            .AllowAnonymous()
            .ExcludeFromDescription();
        app.MapGet("/api/labels", GetLabels)
            .WithTags("Labels")
            .WithName(nameof(GetLabels))
            .WithSummary("The label catalogue in the request's language")
            .WithDescription("Every dataset, field, help text and enum value in words (keys as in Labels.resx: field.found_on, value.OrdnanceCategory.Uxo, …) and the map page's own words, in the language of the request (cookie, profile, Accept-Language). Data and its spelling never change with the language.")
            .RequireAuthorization(Groundtruth.Application.Users.Roles.Viewer);
    }

    /// <summary>
    /// Sets the language cookie (a year), stores the choice in the signed-in user's profile, and goes back to the page
    /// (a local address only). An unknown language changes nothing.
    /// </summary>
    public static async Task<RedirectHttpResult> ChooseLanguage(HttpContext context, string? culture, string? @return, UserManager<IdentityUser> users)
    {
        var back = @return is { Length: > 0 } r && r[0] == '/' && !r.StartsWith("//", StringComparison.Ordinal) && !r.StartsWith("/\\", StringComparison.Ordinal) ? r : "/";
        if (LanguageSetup.Supported(culture) is not { } chosen) return TypedResults.LocalRedirect(back);
        context.Response.Cookies.Append(CookieRequestCultureProvider.DefaultCookieName,
            CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(chosen)),
            new CookieOptions { Expires = DateTimeOffset.UtcNow.AddYears(1), IsEssential = true, SameSite = SameSiteMode.Lax, Secure = context.Request.IsHttps, HttpOnly = true });
        if (context.User.Identity?.IsAuthenticated == true && await users.GetUserAsync(context.User) is { } user)
        {
            var claims = await users.GetClaimsAsync(user);
            foreach (var old in claims.Where(c => c.Type == LanguageSetup.ProfileClaim)) await users.RemoveClaimAsync(user, old);
            await users.AddClaimAsync(user, new Claim(LanguageSetup.ProfileClaim, chosen.Name));
        }
        return TypedResults.LocalRedirect(back);
    }

    public static Ok<LabelsAnswer> GetLabels()
    {
        var culture = CultureInfo.CurrentUICulture;
        var values = new SortedDictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal);
        foreach (var d in DatasetCatalog.All)
            foreach (var f in d.Fields.Where(f => f.EnumType is not null))
                values[$"{d.Table}.{f.Name}"] = f.EnumNames.ToDictionary(n => n, n => Labels.Value(f.EnumType!, n, culture), StringComparer.Ordinal);
        return TypedResults.Ok(new LabelsAnswer(Ui.Language, Ui.Direction, Labels.All(culture), values, Ui.Starting("map.")));
    }
}

/// <param name="Language">The language the words are in (<c>ar</c>).</param>
/// <param name="Direction"><c>rtl</c> or <c>ltr</c>.</param>
/// <param name="Labels">The catalogue: key → words.</param>
/// <param name="Values">Each enum field's values in words, by <c>TABLE.FIELD</c> then stored spelling: <c>hazards.classification</c> → <c>confirmed</c> → "Confirmed hazardous area".</param>
/// <param name="Map">The map page's own words.</param>
public sealed record LabelsAnswer(string Language, string Direction, IReadOnlyDictionary<string, string> Labels,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Values, IReadOnlyDictionary<string, string> Map);
