using Groundtruth.Analysis.Risk;
using Groundtruth.Application;
using Groundtruth.Application.Entry;
using Groundtruth.Application.Import;
using Groundtruth.Application.Storage;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Groundtruth.Web.Setup;

/// <summary>
/// The one place where a failure of a use case becomes an HTTP answer (docs/decisions/0020-access-and-errors.md): each kind
/// of <see cref="GroundtruthException"/> has its status and RFC 7807 problem details; anything else is a bug and leaves as
/// a bare 500 without a stack trace. The command line maps the same kinds to exit codes (<c>CliContext.Guard</c>).
/// </summary>
public sealed class ErrorMapping(IProblemDetailsService problems) : IExceptionHandler
{
    /// <summary>The problem details for <paramref name="exception"/>, or null when it is not a failure the user can act on.</summary>
    public static ProblemDetails? Map(Exception exception) => exception switch
    {
        ImportRejectedException e => new ProblemDetails
        {
            Title = "The file was not imported",
            Detail = $"{e.TotalProblems} problem(s); nothing was imported",
            Status = StatusCodes.Status422UnprocessableEntity,
            Extensions = { ["problems"] = e.Problems.Select(p => p.ToString()).ToList(), ["total_problems"] = e.TotalProblems },
        },
        EntryRejectedException e => new HttpValidationProblemDetails(e.Problems.GroupBy(p => p.Field).ToDictionary(g => g.Key, g => g.Select(p => p.Reason).ToArray()))
        {
            Title = "The record was not stored",
            Detail = string.Join("; ", e.Problems.Select(p => p.ToString())),
            Status = StatusCodes.Status422UnprocessableEntity,
            Extensions = { ["problems"] = e.Problems },
        },
        InvalidRequestException e => new HttpValidationProblemDetails(new Dictionary<string, string[]> { [e.Parameter] = [e.Reason] })
        {
            Detail = e.Message,
            Status = StatusCodes.Status400BadRequest,
        },
        NotFoundException e => new ProblemDetails { Title = "Not found", Detail = e.Message, Status = StatusCodes.Status404NotFound },
        ForbiddenException e => new ProblemDetails { Title = "Not allowed for your role", Detail = e.Message, Status = StatusCodes.Status403Forbidden },
        ConflictException e => new ProblemDetails { Title = "The request conflicts with the current state", Detail = e.Message, Status = StatusCodes.Status409Conflict },
        // The reason names files or servers: not for whoever asks (GET /api/health says the same).
        DatabaseNotReadyException => new ProblemDetails
        {
            Title = "The database is not ready",
            Detail = "The database does not answer or its schema is not current; the server log says why.",
            Status = StatusCodes.Status503ServiceUnavailable,
        },
        BadDataException e => new ProblemDetails { Title = "The data cannot support the request", Detail = e.Message, Status = StatusCodes.Status422UnprocessableEntity },
        RiskDataException e => new ProblemDetails { Title = "The data cannot support a risk model", Detail = e.Message, Status = StatusCodes.Status422UnprocessableEntity },
        _ => null,
    };

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (Map(exception) is not { } details) return false;
        httpContext.Response.StatusCode = details.Status!.Value;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = details, Exception = exception });
    }
}
