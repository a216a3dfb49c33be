using System.Security.Claims;
using Groundtruth.Application.Security;
using Groundtruth.Application.Storage;
using Groundtruth.Application.Users;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;

namespace Groundtruth.Web.Setup;

/// <summary>
/// Who may do what (DESIGN section 7): ASP.NET Core Identity over the one database, a cookie for pages,
/// bearer tokens for the API, one policy per role rank, lockout, security headers and antiforgery.
/// </summary>
public static class SecuritySetup
{
    /// <summary>Cookie or bearer token, chosen per request by the Authorization header.</summary>
    public const string CookieOrBearer = "CookieOrBearer";

    /// <summary>Writes through the API take a bearer token only: a token is not sent by a browser on its own, so no cross-site request can forge it.</summary>
    public const string BearerOnly = "BearerOnly";

    public static IServiceCollection AddGroundtruthSecurity(this IServiceCollection services)
    {
        services.AddIdentity<IdentityUser, IdentityRole>(IdentityPolicy.Configure)
            .AddEntityFrameworkStores<GroundtruthDbContext>();
        services.AddAuthentication()
            .AddBearerToken(IdentityConstants.BearerScheme, o => o.BearerTokenExpiration = TimeSpan.FromHours(1))
            .AddPolicyScheme(CookieOrBearer, "Cookie or bearer token", o => o.ForwardDefaultSelector = context =>
                context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                    ? IdentityConstants.BearerScheme
                    : IdentityConstants.ApplicationScheme);
        services.Configure<AuthenticationOptions>(o =>
        {
            o.DefaultScheme = CookieOrBearer;
            o.DefaultAuthenticateScheme = CookieOrBearer;
            o.DefaultChallengeScheme = CookieOrBearer;
            o.DefaultForbidScheme = CookieOrBearer;
        });
        services.ConfigureApplicationCookie(o =>
        {
            o.Cookie.Name = "groundtruth";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.ExpireTimeSpan = TimeSpan.FromHours(8);
            o.SlidingExpiration = true;
            o.LoginPath = "/login";
            o.LogoutPath = "/logout";
            o.AccessDeniedPath = "/denied";
            // The API answers 401/403 with problem details; only pages are sent to the sign-in page.
            o.Events.OnRedirectToLogin = context => Answer(context, StatusCodes.Status401Unauthorized);
            o.Events.OnRedirectToAccessDenied = context => Answer(context, StatusCodes.Status403Forbidden);
        });
        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            // Each policy is a permission of Access, so a route's gate and the use case behind it read the same rule.
            .AddPolicy(Roles.Viewer, p => p.RequireAssertion(c => AccessOf(c.User).AtLeast(Roles.Viewer)))
            .AddPolicy(Roles.Analyst, p => p.RequireAssertion(c => AccessOf(c.User).MayReadRecords))
            .AddPolicy(Roles.Editor, p => p.RequireAssertion(c => AccessOf(c.User).MayEnter))
            .AddPolicy(Roles.Approver, p => p.RequireAssertion(c => AccessOf(c.User).MayDecide))
            .AddPolicy(Roles.Administrator, p => p.RequireAssertion(c => AccessOf(c.User).MayAdminister))
            .AddPolicy(Roles.PersonalData, p => p.RequireAssertion(c => AccessOf(c.User).MayReadPersonalData))
            .AddPolicy(BearerOnly, p => p.AddAuthenticationSchemes(IdentityConstants.BearerScheme).RequireAuthenticatedUser());
        // A change of a user's roles or password (a new security stamp) ends that user's sessions and tokens at once
        // (DESIGN section 7): the cookie's stamp is checked on every request, and bearer tokens by CheckBearerStamp.
        services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.Zero);
        services.AddHttpContextAccessor();
        // The request's Access, built once from the signed-in user and injected into endpoints and pages.
        services.AddScoped(sp => AccessOf(sp.GetRequiredService<IHttpContextAccessor>().HttpContext?.User ?? new ClaimsPrincipal()));
        services.AddScoped<IClaimsTransformation, BearerStampCheck>();
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "groundtruth-antiforgery";
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.HttpOnly = true;
        });
        return services;
    }

    /// <summary>Security headers, then authentication, authorization and antiforgery, in the order they must run.</summary>
    public static WebApplication UseGroundtruthSecurity(this WebApplication app)
    {
        app.Use(SecurityHeaders);
        app.UseRateLimiter();
        app.UseStaticFiles();
        app.UseAuthentication();
        app.Use(BearerStampCheck.RejectStale);
        app.UseAuthorization();
        app.UseAntiforgery();
        return app;
    }

    /// <summary>The one place a signed-in user's roles become an <see cref="Access"/> (DESIGN section 7).</summary>
    public static Access AccessOf(ClaimsPrincipal user) => Access.Of(user.Actor(), Roles.All.Where(user.IsInRole));

    /// <summary>The name the audit log records for the user.</summary>
    public static string Actor(this ClaimsPrincipal user) => user.Identity?.Name ?? "anonymous";

    private static Task Answer(Microsoft.AspNetCore.Authentication.RedirectContext<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions> context, int status)
    {
        // A person who follows an API link in the browser (a forwarded download of the risk map, say) is a top-level
        // navigation: sent to the sign-in or denied page, in words, like a page; scripts and the pages' own requests
        // keep the bare status.
        if (context.Request.Path.StartsWithSegments("/api") && !IsBrowserNavigation(context.Request))
        {
            context.Response.StatusCode = status;
            return Task.CompletedTask;
        }
        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }

    /// <summary>A browser opening the address itself (a link followed, typed or pasted), not a script's request: the fetch metadata every current browser sends.</summary>
    private static bool IsBrowserNavigation(HttpRequest request) =>
        request.Headers["Sec-Fetch-Mode"] == "navigate" && request.Headers["Sec-Fetch-Dest"] == "document";

    private static Task SecurityHeaders(HttpContext context, Func<Task> next)
    {
        var headers = context.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
        // Over HTTPS (directly, or through a trusted TLS proxy: ProxySetup) browsers are told to use nothing else for a year.
        if (context.Request.IsHttps) headers.StrictTransportSecurity = "max-age=31536000";
        var baseMap = context.RequestServices.GetRequiredService<WebOptions>().BaseMapOrigin;
        var images = baseMap is null ? "'self' data:" : $"'self' data: {baseMap}";
        // Set as the response starts: the API reference page (Scalar) runs its own start-up script, allowed by the
        // nonce Scalar generated for this response (ApiReference), never by 'unsafe-inline'.
        context.Response.OnStarting(() =>
        {
            var nonce = ApiReference.Nonce(context);
            var scripts = nonce is null ? "'self'" : $"'self' 'nonce-{nonce}'";
            headers.ContentSecurityPolicy =
                $"default-src 'self'; script-src {scripts}; style-src 'self' 'unsafe-inline'; img-src {images}; " +
                "connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'";
            return Task.CompletedTask;
        });
        return next();
    }
}

/// <summary>
/// A bearer token carries the security stamp of the moment it was issued; once the user's roles or password have
/// changed (or the user is gone) the token signs no one in. Runs on every authentication of a request, including the
/// one a bearer-only policy makes, so no route escapes it.
/// </summary>
internal sealed class BearerStampCheck(IHttpContextAccessor accessor, SignInManager<IdentityUser> signIn) : IClaimsTransformation
{
    /// <summary>Marks a request whose token was refused here, so it is answered 401 (sign in again), not 403.</summary>
    public static readonly object Stale = new();

    public static async Task RejectStale(HttpContext context, Func<Task> next)
    {
        if (context.Items.ContainsKey(Stale))
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\", error_description=\"the user's roles or password changed: sign in again\"";
            return;
        }
        await next();
    }

    public async Task<ClaimsPrincipal> TransformAsync(ClaimsPrincipal principal)
    {
        var bearer = accessor.HttpContext?.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) == true;
        if (!bearer || principal.Identity?.IsAuthenticated != true) return principal;
        if (await signIn.ValidateSecurityStampAsync(principal) is not null) return principal;
        accessor.HttpContext!.Items[Stale] = true;
        return new ClaimsPrincipal(new ClaimsIdentity());
    }
}
