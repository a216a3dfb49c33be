using System.Text.Json;
using Groundtruth.Application.Reports;
using Groundtruth.Application.Security;
using Groundtruth.Application.Storage;
using Groundtruth.Application.Users;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Groundtruth.Web.Apis;

/// <summary>
/// The reports the Reports page builds in the background (<see cref="ReportJobs"/>): a job's progress, and its file.
/// Analysts and above, each their own jobs only; every download is written to the audit log.
/// </summary>
public static class ReportsApi
{
    public const string AuditAction = "report";

    /// <summary>The configuration keys of the programme's name and logo in the reports' header.</summary>
    public const string ProgrammeNameKey = "Groundtruth:Programme:Name";
    public const string ProgrammeLogoKey = "Groundtruth:Programme:Logo";

    public static ReportBranding Branding(IConfiguration configuration) =>
        ReportBranding.FromSettings(configuration[ProgrammeNameKey], configuration[ProgrammeLogoKey]);

    public static IEndpointRouteBuilder MapReportsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/reports/{id}/status", GetStatus)
            .WithTags("Reports")
            .RequireAuthorization(Roles.Analyst)
            .WithName(nameof(GetStatus) + "OfReport")
            .WithSummary("A report being built from the Reports page: state (computing, ready, failed), stage and share done");
        app.MapGet("/api/reports/{id}/file", GetFile)
            .WithTags("Reports")
            .RequireAuthorization(Roles.Analyst)
            .WithName(nameof(GetFile) + "OfReport")
            .WithSummary("The built report (PDF, HTML, .docx or CSV); audited");
        return app;
    }

    public static Results<Ok<ReportJobStatus>, NotFound> GetStatus(string id, Access access, ReportJobs jobs) =>
        jobs.Status(access, id) is { } status ? TypedResults.Ok(status) : TypedResults.NotFound();

    public static async Task<Results<FileStreamHttpResult, NotFound>> GetFile(string id, Access access, ReportJobs jobs, GroundtruthDbContext db, TimeProvider clock, CancellationToken ct)
    {
        if (jobs.File(access, id) is not { } file) return TypedResults.NotFound();
        db.AuditLog.Add(new AuditEntry
        {
            At = clock.GetUtcNow().UtcDateTime,
            Actor = access.Actor,
            Action = AuditAction,
            Detail = JsonSerializer.Serialize(ReportJobs.AuditDetail(file)),
        });
        await db.SaveChangesAsync(ct);
        var stream = new FileStream(file.Path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 64 * 1024, FileOptions.Asynchronous);
        return TypedResults.File(stream, file.ContentType, file.FileName);
    }
}
