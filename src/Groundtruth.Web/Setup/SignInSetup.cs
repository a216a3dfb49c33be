using System.Globalization;
using System.Security.Cryptography;
using System.Threading.RateLimiting;
using Groundtruth.Application.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.RateLimiting;

namespace Groundtruth.Web.Setup;

/// <summary>
/// Signing in (docs/web.md, "Sign-in and lockout"): attempts are limited per network address, and a failure says the
/// same thing and takes about as long whether the name is unknown, the password wrong or the account locked, so an
/// attempt learns nothing about which names exist.
/// </summary>
public static class SignInSetup
{
    /// <summary>Sign-in attempts (<c>POST /api/token</c>, <c>POST /login</c>) one address may make per minute; beyond it 429.</summary>
    public const string AttemptsPerMinuteKey = "Groundtruth:SignIn:AttemptsPerMinute";

    public const int DefaultAttemptsPerMinute = 10;

    /// <summary>The one answer to a failed sign-in, for an unknown name, a wrong password and a locked account alike.</summary>
    public const string Failure = "Unknown name or wrong password, or the account is locked after repeated failures; try again later or ask an administrator.";

    public static IServiceCollection AddGroundtruthSignIn(this IServiceCollection services, IConfiguration configuration)
    {
        var perMinute = configuration.GetValue(AttemptsPerMinuteKey, DefaultAttemptsPerMinute);
        if (perMinute < 1) throw new InvalidOperationException($"{AttemptsPerMinuteKey} must be at least 1, not {perMinute}");
        services.AddScoped<SignInGate>();
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context => IsSignIn(context.Request)
                ? RateLimitPartition.GetFixedWindowLimiter(
                    context.Connection.RemoteIpAddress?.ToString() ?? "",
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 })
                : RateLimitPartition.GetNoLimiter(""));
            o.OnRejected = async (context, ct) =>
            {
                var response = context.HttpContext.Response;
                if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait))
                    response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                await Results.Problem(
                    title: "Too many sign-in attempts",
                    detail: $"At most {perMinute} sign-in attempts a minute are accepted from one address; wait and try again.",
                    statusCode: StatusCodes.Status429TooManyRequests).ExecuteAsync(context.HttpContext);
            };
        });
        return services;
    }

    private static bool IsSignIn(HttpRequest request) =>
        HttpMethods.IsPost(request.Method) && (request.Path.Equals("/api/token", StringComparison.OrdinalIgnoreCase) || request.Path.Equals("/login", StringComparison.OrdinalIgnoreCase));
}

/// <summary>
/// One password sign-in for the API's tokens and the pages' cookie. Identity answers an unknown name or a locked account
/// at once but hashes a wrong password (tens of milliseconds); here every failure hashes the password, so the time taken
/// does not tell them apart.
/// </summary>
public sealed class SignInGate(SignInManager<IdentityUser> signIn)
{
    private static readonly Lazy<string> DecoyHash = new(() =>
        new PasswordHasher<IdentityUser>().HashPassword(new IdentityUser(), Convert.ToHexString(RandomNumberGenerator.GetBytes(16))));

    /// <summary>Signs in with <paramref name="scheme"/> (bearer token or cookie); false for any failure, without saying which.</summary>
    public async Task<bool> SignInAsync(string? name, string? password, string scheme)
    {
        signIn.AuthenticationScheme = scheme;
        var users = signIn.UserManager;
        var user = string.IsNullOrEmpty(name) ? null : await users.FindByNameAsync(name);
        if (user is null || await users.IsLockedOutAsync(user))
        {
            // The same work a wrong password costs; the answer is thrown away.
            users.PasswordHasher.VerifyHashedPassword(user ?? new IdentityUser(), DecoyHash.Value, password ?? "");
            return false;
        }
        var result = await signIn.PasswordSignInAsync(user, password ?? "", isPersistent: false, lockoutOnFailure: true);
        return result.Succeeded;
    }
}
