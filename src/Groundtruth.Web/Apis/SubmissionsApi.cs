using Groundtruth.Application;
using Groundtruth.Application.Datasets;
using Groundtruth.Application.Import;
using Groundtruth.Application.Security;
using Groundtruth.Application.Storage;
using Groundtruth.Application.Users;
using Groundtruth.Application.Workbench;
using Groundtruth.Domain;
using Groundtruth.Web.Setup;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Groundtruth.Web.Apis;

/// <summary>
/// Incoming data: uploads through the importer (all or nothing, every problem listed) and the workbench of
/// submissions. Uploads by editors wait for approval; an approver's enter approved unless they ask for review.
/// Writes take a bearer token only (no cookie, so no cross-site forgery).
/// </summary>
public static class SubmissionsApi
{
    public static IEndpointRouteBuilder MapSubmissionsApi(this IEndpointRouteBuilder app)
    {
        var uploads = app.MapGroup("/api/uploads").WithTags("Submissions").RequireAuthorization(Roles.Editor, SecuritySetup.BearerOnly).DisableAntiforgery();
        uploads.MapPost("/{dataset}", PostUpload)
            .WithName(nameof(PostUpload))
            .WithSummary("Import a .csv/.tsv, .geojson, .xlsx, zipped Shapefile, .kml/.kmz, .gpx or .gpkg file, a KoboToolbox/ODK Central export or a form submission (multipart: file, optional mapping, crs, pending)")
            .WithDescription($"422 with every problem (file:line: field value: reason) and nothing imported, or 200 with the counts and the submission id. Editors' uploads are pending; approvers' are approved unless pending=true. Files up to {Uploads.MaxBytes / 1024 / 1024} MB; a larger request is refused with 413.")
            .WithMetadata(new RequestSizeLimitAttribute(Uploads.MaxRequestBytes))
            .WithFormOptions(multipartBodyLengthLimit: Uploads.MaxRequestBytes);
        var submissions = app.MapGroup("/api/submissions").WithTags("Submissions");
        submissions.MapGet("", GetSubmissions).WithName(nameof(GetSubmissions)).RequireAuthorization(Roles.Editor)
            .WithSummary("Submissions, newest first; state=submitted|approved|rejected filters");
        submissions.MapGet("/{id:long}", GetSubmission).WithName(nameof(GetSubmission)).RequireAuthorization(Roles.Editor)
            .WithSummary("One submission with its records and, for each, whether a current record has the same id (a hint, never applied blindly)")
            .WithDescription($"The records in the order of their ids, a page at a time: offset (default 0), limit (default {DefaultItems}, at most {MaxItems}); total is how many the submission holds.");
        var decisions = submissions.MapGroup("/{id:long}").RequireAuthorization(Roles.Approver, SecuritySetup.BearerOnly).DisableAntiforgery();
        decisions.MapPost("/approve", PostApprove).WithName(nameof(PostApprove))
            .WithSummary("Approve with a decision for every record: new, update or link, to a national id")
            .WithDescription("An accident's submission and the casualties' submission entered with it are approved together, in one transaction: " +
                "decide the records of both (a decision's optional 'dataset' tells an accident from a casualty with the same id). With 'defaults': true " +
                "a record left undecided takes its default: the update of the current record with its id when one exists, else a new record under its id. " +
                "200 with the submissions approved and, for each record, its decision and national id; 409 when a record is undecided or a decision does not fit.");
        decisions.MapPost("/reject", PostReject).WithName(nameof(PostReject)).WithSummary("Reject with a reason");
        decisions.MapPost("/unapprove", PostUnapprove).WithName(nameof(PostUnapprove))
            .WithSummary("Take an approved submission back: its records return to their previous approved versions");
        return app;
    }

    public static async Task<Results<Ok<ImportResult>, ProblemHttpResult, NotFound<ProblemDetails>>> PostUpload(
        string dataset, IFormFile file, IFormFile? mapping, [FromForm] string? crs, [FromForm] bool? pending,
        Access access, DatabaseTarget target, TimeProvider clock, CancellationToken ct)
    {
        if (DatasetCatalog.Find(dataset) is not { } spec) return RegistersApi.NoSuchDataset(dataset);
        // Refusals (problems in the file 422, bad parameters 400, personal data without the grant 403) leave through ErrorMapping.
        return TypedResults.Ok(await Uploads.ImportAsync(target, clock, spec, file, mapping, crs, access.EntersPending(pending == true), access, ct));
    }

    public static async Task<Ok<IReadOnlyList<SubmissionRow>>> GetSubmissions(DatabaseTarget target, TimeProvider clock, string? state, CancellationToken ct)
    {
        SubmissionState? filter = state is not null && Enum.TryParse<SubmissionState>(state, ignoreCase: true, out var s) ? s : null;
        return TypedResults.Ok(await new SubmissionDecisions(target, clock).ListAsync(filter, ct));
    }

    /// <summary>Records of a submission answered at once unless <c>limit</c> asks for fewer or more (at most <see cref="MaxItems"/>).</summary>
    public const int DefaultItems = 1000;

    public const int MaxItems = 10_000;

    public static async Task<Results<Ok<SubmissionDetail>, NotFound<ProblemDetails>>> GetSubmission(long id, int? offset, int? limit, DatabaseTarget target, TimeProvider clock, CancellationToken ct)
    {
        var page = await new SubmissionDecisions(target, clock).ReadPageAsync(id, offset ?? 0, Math.Min(limit ?? DefaultItems, MaxItems), ct);
        if (page is null) return TypedResults.NotFound(new ProblemDetails { Title = "No such submission", Status = 404, Detail = $"there is no submission {id}" });
        return TypedResults.Ok(new SubmissionDetail(page.Submission, page.Items, page.Total, page.Offset, page.Limit));
    }

    // A decision the submission's state does not allow (SubmissionDecisionException, a conflict) answers 409 through ErrorMapping.
    public static async Task<Ok<DecisionOutcome>> PostApprove(long id, ApproveRequest request, Access access, DatabaseTarget target, TimeProvider clock, CancellationToken ct)
    {
        access.Require(access.MayDecide, "approving a submission");
        return TypedResults.Ok(await new SubmissionDecisions(target, clock).ApproveAsync(id, request.Items ?? [], access.Actor, request.Reason, request.Defaults == true, ct));
    }

    public static async Task<NoContent> PostReject(long id, ReasonRequest request, Access access, DatabaseTarget target, TimeProvider clock, CancellationToken ct)
    {
        access.Require(access.MayDecide, "rejecting a submission");
        await new SubmissionDecisions(target, clock).RejectAsync(id, access.Actor, request.Reason ?? "", ct);
        return TypedResults.NoContent();
    }

    public static async Task<NoContent> PostUnapprove(long id, ReasonRequest request, Access access, DatabaseTarget target, TimeProvider clock, CancellationToken ct)
    {
        access.Require(access.MayDecide, "unapproving a submission");
        await new SubmissionDecisions(target, clock).UnapproveAsync(id, access.Actor, request.Reason ?? "", ct);
        return TypedResults.NoContent();
    }
}

/// <param name="Total">Records in the submission; <paramref name="Items"/> are those from <paramref name="Offset"/>, at most <paramref name="Limit"/>, in the order of their ids.</param>
public sealed record SubmissionDetail(SubmissionRow Submission, IReadOnlyList<SubmissionItem> Items, int Total, int Offset, int Limit);

/// <param name="Defaults">Records without a decision take their default decision (the workbench page sends it).</param>
public sealed record ApproveRequest(IReadOnlyList<ItemDecision>? Items, string? Reason, bool? Defaults = null);

public sealed record ReasonRequest(string? Reason);

/// <summary>An uploaded file goes to a private temporary folder, through the importer, and is deleted.</summary>
internal static class Uploads
{
    /// <summary>The largest file the web imports (docs/web.md); larger ones go through the command line.</summary>
    public const long MaxBytes = 200L * 1024 * 1024;

    /// <summary>The largest upload request: the file, an optional mapping and the form's other fields.</summary>
    public const long MaxRequestBytes = MaxBytes + 1024 * 1024;

    /// <summary>The longest file name kept for problems and the submission; longer names are shortened, keeping the extension.</summary>
    public const int MaxFileNameLength = 100;

    /// <summary>
    /// The last segment of the name the browser sent, shortened to <see cref="MaxFileNameLength"/> characters with its
    /// extension kept, control and bidirectional-override characters replaced: safe as a file name and in a message.
    /// </summary>
    public static string SafeFileName(string sent)
    {
        var name = Path.GetFileName(sent.Replace('\\', '/'));
        name = new string([.. name.Select(c => char.IsControl(c) || c is '/' || RecordIds.IsBidiControl(c) ? '_' : c)]).Trim();
        var extension = Path.GetExtension(name);
        if (extension.Length > 16) extension = "";
        if (name.Length > MaxFileNameLength) name = name[..(MaxFileNameLength - extension.Length)] + extension;
        return name.Length == 0 || name == extension ? "upload" + extension : name;
    }

    public static async Task<ImportResult> ImportAsync(DatabaseTarget target, TimeProvider clock, DatasetSpec dataset, IFormFile file, IFormFile? mapping,
        string? crs, bool pending, Access access, CancellationToken ct)
    {
        var fileName = SafeFileName(file.FileName);
        var extension = Path.GetExtension(fileName).ToLowerInvariant();
        if (extension is not (".csv" or ".tsv" or ".txt" or ".geojson" or ".json" or ".xlsx" or ".xml" or ".zip" or ".kml" or ".kmz" or ".gpx" or ".gpkg"))
            throw new InvalidRequestException("file", "upload a .csv/.tsv, .geojson, .xlsx, zipped Shapefile (.zip), .kml, .kmz, .gpx or .gpkg file, a KoboToolbox (.xlsx) or ODK Central (.zip) export, or a form submission (.xml)");
        if (file.Length > MaxBytes) throw new InvalidRequestException("file", $"the file is larger than {MaxBytes / 1024 / 1024} MB; import it with the command line");
        // A folder only this user can open, under a name nobody can guess or create first (personal data passes through it).
        var folder = PrivateFiles.CreateTemporaryFolder("groundtruth-upload-");
        try
        {
            // The user's file name is kept (it is shown in problems and the submission), made safe by SafeFileName.
            var path = Path.Combine(folder, fileName);
            await using (var stream = PrivateFiles.Create(path)) await file.CopyToAsync(stream, ct);
            string? mappingPath = null;
            if (mapping is not null)
            {
                mappingPath = Path.Combine(Directory.CreateDirectory(Path.Combine(folder, "mapping")).FullName, "mapping.json");
                await using var stream = PrivateFiles.Create(mappingPath);
                await mapping.CopyToAsync(stream, ct);
            }
            // A field-form export brings its repeat groups (an accident form's casualties) in the same transaction.
            var results = await new ImportHandler(target, clock).HandleTogetherAsync(
                [new ImportRequest(dataset, path, mappingPath, string.IsNullOrWhiteSpace(crs) ? null : crs, Pending: pending, Actor: access.Actor, Access: access)], ct: ct);
            return results[0];
        }
        catch (ImportRejectedException e)
        {
            // Problems name the file as the user knows it, not the temporary folder.
            throw new ImportRejectedException([.. e.Problems.Select(p => p with { File = fileName })], e.TotalProblems);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
