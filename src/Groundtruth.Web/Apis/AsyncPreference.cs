using System.Globalization;

namespace Groundtruth.Web.Apis;

/// <summary>
/// An API client's <c>Prefer: respond-async</c> (RFC 7240), with its optional <c>wait=N</c> seconds: for a route that
/// computes (the risk map, its files, the priorities), the client takes <c>202 Accepted</c> with where the computation
/// stands and the status route in <c>Location</c>, rather than a response held open for the whole computation (minutes
/// at national scale, beyond many proxies' time limits). Without it the route answers when the result is ready, as before.
/// </summary>
/// <param name="Wait">How long the client will wait for the result before taking the 202; null: the pages' wait (2 s, once per computation).</param>
public sealed record AsyncPreference(TimeSpan? Wait)
{
    /// <summary>A client's <c>wait</c> is held to this many seconds.</summary>
    public const int MaxWaitSeconds = 60;

    /// <summary>The preference of <paramref name="request"/>, or null when it does not ask for an asynchronous answer.</summary>
    public static AsyncPreference? Of(HttpRequest request)
    {
        // The answer depends on the header (RFC 7240, section 2).
        if (!request.HttpContext.Response.HasStarted) request.HttpContext.Response.Headers.Append("Vary", "Prefer");
        var respondAsync = false;
        TimeSpan? wait = null;
        foreach (var header in request.Headers["Prefer"])
        {
            foreach (var item in (header ?? "").Split(','))
            {
                var token = item.Split(';')[0];
                var equals = token.IndexOf('=', StringComparison.Ordinal);
                var name = (equals < 0 ? token : token[..equals]).Trim();
                if (equals < 0 && name.Equals("respond-async", StringComparison.OrdinalIgnoreCase)) respondAsync = true;
                else if (equals >= 0 && name.Equals("wait", StringComparison.OrdinalIgnoreCase)
                         && int.TryParse(token[(equals + 1)..].Trim().Trim('"'), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
                    wait = TimeSpan.FromSeconds(Math.Min(seconds, MaxWaitSeconds));
            }
        }
        return respondAsync ? new AsyncPreference(wait) : null;
    }

    /// <summary>The computation is under way: 202 with its status, where to ask for it, and when.</summary>
    public static Microsoft.AspNetCore.Http.HttpResults.Accepted<T> Accepted<T>(HttpContext context, string statusUrl, T status)
    {
        context.Response.Headers.RetryAfter = "1";
        context.Response.Headers["Preference-Applied"] = "respond-async";
        return TypedResults.Accepted(statusUrl, status);
    }

    /// <summary>The description the computing routes add to their OpenAPI text.</summary>
    public const string Description =
        " Prefer: respond-async (RFC 7240, optionally with wait=N seconds, at most 60): when the result is not ready within the wait " +
        "(default 2 s from the first request for it), 202 Accepted with where the computation stands (as the status route) and the status route in " +
        "Location; ask again once it says ready. Without it the response waits for the result.";
}
