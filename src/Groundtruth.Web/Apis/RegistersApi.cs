using Groundtruth.Application.Datasets;
using Groundtruth.Application.Features;
using Groundtruth.Application.Storage;
using Groundtruth.Application.Users;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Groundtruth.Web.Apis;

/// <summary>
/// The registers: every dataset as rows of its columns (no geometry), searchable, sortable and paged, and one
/// record with its versions and audit entries. Record-level data is for analysts and above (viewers see
/// aggregates only); casualties' personal data is never part of it.
/// </summary>
public static class RegistersApi
{
    public static IEndpointRouteBuilder MapRegistersApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/registers").WithTags("Registers").RequireAuthorization(Roles.Analyst);
        api.MapGet("/{dataset}", GetRegister)
            .WithName(nameof(GetRegister))
            .WithSummary("One dataset's current approved records as JSON rows")
            .WithDescription("q searches the text, enum and date columns (case-insensitive); sort=FIELD, desc=true; offset, limit (default 50, at most 10000); where=FIELD=VALUE (repeatable).");
        api.MapGet("/{dataset}/{id}", GetRecord)
            .WithName(nameof(GetRecord))
            .WithSummary("One record: its current row, every version (pending ones marked) and the audit entries that touch it");
        return app;
    }

    public static async Task<Results<Ok<RegisterPage>, ValidationProblem, NotFound<ProblemDetails>>> GetRegister(
        string dataset, GroundtruthDbContext db, string? q, string? sort, bool? desc, int? offset, int? limit,
        [FromQuery] string[]? where, CancellationToken ct)
    {
        if (DatasetCatalog.Find(dataset) is not { } spec) return NoSuchDataset(dataset);
        var equalities = new List<(string, string)>();
        foreach (var w in where ?? [])
        {
            var parts = w.Split('=', 2);
            if (parts.Length != 2) return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["where"] = [$"'{w}' is not FIELD=VALUE"] });
            equalities.Add((parts[0].Trim(), parts[1].Trim()));
        }
        try
        {
            var page = await FeatureQuery.ReadAsync(db, new FeatureRequest(spec, Where: equalities, Offset: offset ?? 0,
                Limit: Math.Clamp(limit ?? 50, 0, FeatureQuery.MaxLimit), Search: q, Sort: sort, Descending: desc == true), ct);
            var rows = page.Features.Select(f => Row(f.Attributes)).ToList();
            return TypedResults.Ok(new RegisterPage(spec.Name, page.NumberMatched, page.Offset, page.Limit, [.. spec.StoredFields.Select(x => x.Name)], rows));
        }
        catch (ArgumentException e)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { [e.Message.Contains("sort", StringComparison.Ordinal) ? "sort" : "where"] = [e.Message] });
        }
    }

    public static async Task<Results<Ok<RecordDetail>, NotFound<ProblemDetails>>> GetRecord(
        string dataset, string id, GroundtruthDbContext db, CancellationToken ct)
    {
        if (DatasetCatalog.Find(dataset) is not { } spec) return NoSuchDataset(dataset);
        var current = await FeatureQuery.ReadAsync(db, new FeatureRequest(spec, Where: [("id", id)], Limit: 1), ct);
        var versions = await db.Versions(spec).AsNoTracking().Where(v => v.RecordId == id).OrderBy(v => v.VersionId)
            .Join(db.Submissions.AsNoTracking(), v => v.SubmissionId, s => s.Id, (v, s) => new RecordVersionRow(
                v.VersionId, v.DateOfInformation, v.RecordedAt, v.SubmissionId, s.State.ToString().ToLowerInvariant(), v.Tombstone, v.Data))
            .ToListAsync(ct);
        if (current.Features.Count == 0 && versions.Count == 0)
            return TypedResults.NotFound(new ProblemDetails { Title = "No such record", Detail = $"{spec.Name} has no record '{id}'", Status = 404 });
        var submissions = versions.Select(v => v.SubmissionId).OfType<long>().Distinct().ToList();
        var audit = await db.AuditLog.AsNoTracking()
            .Where(a => a.Dataset == spec.Name && (a.RecordId == id || (a.SubmissionId != null && submissions.Contains(a.SubmissionId.Value))))
            .OrderBy(a => a.Id)
            .Select(a => new AuditRow(a.Id, a.At, a.Actor, a.Action, a.Dataset, a.RecordId, a.SubmissionId, a.Detail))
            .ToListAsync(ct);
        var row = current.Features.Count > 0 ? Row(current.Features[0].Attributes) : null;
        return TypedResults.Ok(new RecordDetail(spec.Name, id, row, versions, audit));
    }

    internal static Dictionary<string, object?> Row(NetTopologySuite.Features.IAttributesTable attributes) =>
        attributes.GetNames().ToDictionary(n => n, object? (n) => attributes[n]);

    internal static NotFound<ProblemDetails> NoSuchDataset(string dataset) => TypedResults.NotFound(new ProblemDetails
    {
        Title = "No such dataset",
        Detail = $"'{dataset}' is not a dataset; datasets: {string.Join(", ", DatasetCatalog.All.Select(d => d.Name))}",
        Status = StatusCodes.Status404NotFound,
    });
}

public sealed record RegisterPage(string Dataset, int NumberMatched, int Offset, int Limit, IReadOnlyList<string> Columns, IReadOnlyList<Dictionary<string, object?>> Rows);

/// <param name="Row">The current approved row; null when the record exists only in pending or removed versions.</param>
public sealed record RecordDetail(string Dataset, string Id, Dictionary<string, object?>? Row, IReadOnlyList<RecordVersionRow> Versions, IReadOnlyList<AuditRow> Audit);

/// <param name="State">The state of the version's submission: approved, submitted (pending) or rejected.</param>
public sealed record RecordVersionRow(long VersionId, string? DateOfInformation, DateTime RecordedAt, long? SubmissionId, string State, bool Tombstone, string Data);

public sealed record AuditRow(long Id, DateTime At, string Actor, string Action, string? Dataset, string? RecordId, long? SubmissionId, string? Detail);
