using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Groundtruth.Web.Setup;

/// <summary>
/// A request the endpoints cannot bind — a query value of the wrong type, a body that is not JSON, a JSON member given
/// twice — is answered with its status (400, 413) and a detail that names the parameter and, for JSON, what is wrong
/// with it, instead of an empty 400 or a 500.
/// </summary>
internal sealed class BadRequestAnswer(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct)
    {
        if (exception is not BadHttpRequestException bad) return false;
        // The framework's message names the parameter ("Failed to bind parameter \"int? limit\" from \"abc\"");
        // a JSON error's own message says what and where (a property given twice, a line and position).
        var detail = bad.InnerException is System.Text.Json.JsonException json ? $"{bad.Message} {json.Message}" : bad.Message;
        context.Response.StatusCode = bad.StatusCode;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails = new ProblemDetails { Status = bad.StatusCode, Title = "Bad request", Detail = detail },
        });
    }
}
