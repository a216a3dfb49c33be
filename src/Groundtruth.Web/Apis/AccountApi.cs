using Groundtruth.Application.Users;
using Groundtruth.Web.Setup;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Groundtruth.Application.Security;

namespace Groundtruth.Web.Apis;

/// <summary>Signing in to the API: a bearer token for a name and password, with lockout after repeated failures.</summary>
public static class AccountApi
{
    public static IEndpointRouteBuilder MapAccountApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").WithTags("Account");
        api.MapPost("/token", PostToken)
            .WithName(nameof(PostToken))
            .AllowAnonymous()
            .DisableAntiforgery()
            .WithSummary("A bearer token for a name and password")
            .WithDescription($"Answers access_token (send it as 'Authorization: Bearer …'), expires_in and refresh_token. After {IdentityPolicy.MaxFailedAttempts} failures in a row the account is locked for {IdentityPolicy.LockoutDuration.TotalMinutes} minutes; 401 with the same message for an unknown name, a wrong password or a locked account. More than {SignInSetup.DefaultAttemptsPerMinute} attempts a minute from one address (Groundtruth:SignIn:AttemptsPerMinute): 429.")
            .Produces(StatusCodes.Status429TooManyRequests)
            .Produces<AccessTokenResponse>();
        api.MapGet("/me", GetMe)
            .WithName(nameof(GetMe))
            .RequireAuthorization(Roles.Viewer)
            .WithSummary("The signed-in user's name and roles");
        return app;
    }

    public static async Task<Results<EmptyHttpResult, ProblemHttpResult>> PostToken(TokenRequest request, SignInGate signIn)
    {
        if (await signIn.SignInAsync(request.Name, request.Password, IdentityConstants.BearerScheme)) return TypedResults.Empty;
        return TypedResults.Problem(title: "Sign-in failed", detail: SignInSetup.Failure, statusCode: StatusCodes.Status401Unauthorized);
    }

    public static Ok<Me> GetMe(HttpContext context, Access access) =>
        TypedResults.Ok(new Me(access.Actor, [.. Roles.All.Where(context.User.IsInRole)], access.AggregatesOnly));
}

public sealed record TokenRequest(string? Name, string? Password);

/// <param name="AggregatesOnly">True for a viewer: small cells suppressed, geometry generalised.</param>
public sealed record Me(string Name, IReadOnlyList<string> Roles, bool AggregatesOnly);
