using Groundtruth.Application.Datasets;
using Groundtruth.Application.Features;
using Groundtruth.Application.Security;
using Groundtruth.Application.Storage;
using Microsoft.EntityFrameworkCore;

namespace Groundtruth.Application.Registers;

/// <summary>
/// The registers (every dataset as rows of its columns, no geometry) and one record with its versions and audit entries,
/// as <see cref="Access"/> allows: records for analysts and above, labelled minefield records without their original
/// coordinates below approver (and every read of one audited), reads of personal data shown to administrators only.
/// The web page and the API both call it.
/// </summary>
/// <param name="cache">The host's kept pages (<see cref="RegisterCache"/>); none on the command line.</param>
public sealed partial class RegisterService(GroundtruthDbContext db, TimeProvider clock, RegisterCache? cache = null)
{
    public const int DefaultLimit = 50;

    /// <exception cref="NotFoundException">No such dataset.</exception>
    /// <exception cref="InvalidRequestException">A bad <c>where</c> or <c>sort</c>.</exception>
    public async Task<RegisterPage> PageAsync(Access access, string dataset, string? search, string? sort, bool descending, int offset, int limit,
        IReadOnlyList<string> where, CancellationToken ct)
    {
        var spec = Find(dataset);
        access.Require(access.MayReadRecords, "reading the registers");
        var equalities = new List<(string, string)>();
        foreach (var w in where)
        {
            var parts = w.Split('=', 2);
            if (parts.Length != 2) throw new InvalidRequestException("where", $"'{w}' is not FIELD=VALUE");
            equalities.Add((parts[0].Trim(), parts[1].Trim()));
        }
        var request = new FeatureRequest(spec, Where: equalities, Offset: offset, Limit: Math.Clamp(limit, 0, FeatureQuery.MaxLimit),
            Search: search, Sort: sort, Descending: descending).For(access);
        var page = cache is null
            ? await FeatureQuery.ReadAsync(db, request, ct)
            : await cache.GetOrReadAsync(request, async () =>
            {
                // Shared by concurrent requests for the same page: read on a context of its own, not this request's.
                await using var own = db.Sibling();
                return await FeatureQuery.ReadAsync(own, request, CancellationToken.None);
            }, ct);
        await AccessAudit.LabelledReadAsync(db, clock, access, spec.Name, page.LabelledRecords, request.GeneraliseLabelled, "registers", ct);
        var withheld = spec == DatasetCatalog.MinefieldRecords && !access.MaySeeLabelledRecords
            ? await db.MinefieldRecords.Labelled().CountAsync(ct)
            : 0;
        return new RegisterPage(spec.Name, page.NumberMatched, page.Offset, page.Limit, [.. spec.StoredFields.Select(x => x.Name)],
            [.. page.Features.Select(f => Row(f.Attributes))], withheld);
    }

    /// <summary>One record: its current row, every version (pending ones marked) and the audit entries that touch it.</summary>
    /// <exception cref="NotFoundException">No such dataset, or no such record.</exception>
    public async Task<RecordDetail> RecordAsync(Access access, string dataset, string id, CancellationToken ct)
    {
        var spec = Find(dataset);
        access.Require(access.MayReadRecords, "reading the registers");
        var request = new FeatureRequest(spec, Where: [("id", id)], Limit: 1).For(access);
        var current = await FeatureQuery.ReadAsync(db, request, ct);
        var versions = await db.Versions(spec).AsNoTracking().Where(v => v.RecordId == id).OrderBy(v => v.VersionId)
            .Join(db.Submissions.AsNoTracking(), v => v.SubmissionId, s => s.Id, (v, s) => new RecordVersionRow(
                v.VersionId, v.DateOfInformation, v.RecordedAt, v.SubmissionId, s.State.ToString().ToLowerInvariant(), v.Tombstone, v.Data, s.SubmittedBy, s.DecidedBy))
            .ToListAsync(ct);
        if (current.Features.Count == 0 && versions.Count == 0) throw new NotFoundException($"{spec.Name} has no record '{id}'");
        if (spec == DatasetCatalog.MinefieldRecords && !access.MaySeeLabelledRecords && versions.Count > 0
            && await db.MinefieldRecords.AsNoTracking().Labelled().AnyAsync(r => r.Id == id, ct))
        {
            // A version keeps the original coordinates as entered: below approver, a labelled record's are left out.
            versions = [.. versions.Select(v => v with { Data = WithoutOriginalCoordinates(v.Data) })];
        }
        await AccessAudit.LabelledReadAsync(db, clock, access, spec.Name, current.LabelledRecords, request.GeneraliseLabelled, "registers", ct);
        var submissions = versions.Select(v => v.SubmissionId).OfType<long>().Distinct().ToList();
        var audit = await AuditLogQuery.Visible(db, access)
            .Where(a => a.Dataset == spec.Name && (a.RecordId == id || (a.SubmissionId != null && submissions.Contains(a.SubmissionId.Value))))
            .OrderBy(a => a.Id)
            .Select(a => new AuditRow(a.Id, a.At, a.Actor, a.Action, a.Dataset, a.RecordId, a.SubmissionId, a.Detail))
            .ToListAsync(ct);
        var row = current.Features.Count > 0 ? Row(current.Features[0].Attributes) : null;
        return new RecordDetail(spec.Name, id, row, versions, audit);
    }

    private static string WithoutOriginalCoordinates(string data)
    {
        if (System.Text.Json.Nodes.JsonNode.Parse(data) is not System.Text.Json.Nodes.JsonObject o) return data;
        o.Remove(StorageNames.OriginalCrs);
        o.Remove(StorageNames.OriginalWkt);
        return o.ToJsonString();
    }

    private static DatasetSpec Find(string dataset) => DatasetCatalog.Find(dataset)
        ?? throw new NotFoundException($"'{dataset}' is not a dataset; datasets: {string.Join(", ", DatasetCatalog.All.Select(d => d.Name))}");

    private static Dictionary<string, object?> Row(NetTopologySuite.Features.IAttributesTable attributes) =>
        attributes.GetNames().ToDictionary(n => n, object? (n) => attributes[n]);
}

/// <param name="Withheld">Minefield records carrying a handling label that the caller's export leaves out (docs/decisions/0009-web-exports.md).</param>
public sealed record RegisterPage(string Dataset, int NumberMatched, int Offset, int Limit, IReadOnlyList<string> Columns,
    IReadOnlyList<Dictionary<string, object?>> Rows, int Withheld = 0);

/// <param name="Row">The current approved row; null when the record exists only in pending or removed versions.</param>
public sealed record RecordDetail(string Dataset, string Id, Dictionary<string, object?>? Row, IReadOnlyList<RecordVersionRow> Versions, IReadOnlyList<AuditRow> Audit);

/// <param name="State">The state of the version's submission: approved, submitted (pending) or rejected.</param>
/// <param name="SubmittedBy">Who submitted it.</param>
/// <param name="DecidedBy">Who approved or rejected its submission, if anyone.</param>
public sealed record RecordVersionRow(long VersionId, string? DateOfInformation, DateTime RecordedAt, long? SubmissionId, string State, bool Tombstone, string Data,
    string? SubmittedBy = null, string? DecidedBy = null);

public sealed record AuditRow(long Id, DateTime At, string Actor, string Action, string? Dataset, string? RecordId, long? SubmissionId, string? Detail);

/// <summary>A filter on the audit log (every member optional).</summary>
public sealed record AuditFilter(string? Actor = null, string? Action = null, string? Dataset = null, string? RecordId = null,
    DateOnly? From = null, DateOnly? To = null, int Offset = 0, int Limit = 100);

/// <summary>The audit log as <see cref="Access"/> allows it: the whole log for administrators; no one else sees who read personal data.</summary>
public static class AuditLogQuery
{
    /// <summary>The entries <paramref name="access"/> may see.</summary>
    public static IQueryable<AuditEntry> Visible(GroundtruthDbContext db, Access access)
    {
        var q = db.AuditLog.AsNoTracking();
        return access.MaySeePersonalDataReads ? q : q.Where(a => a.Action != AccessAudit.ReadPersonalData);
    }

    /// <summary>The log newest first, filtered (the audit page and <c>GET /api/audit</c>; administrators).</summary>
    public static async Task<List<AuditRow>> ReadAsync(GroundtruthDbContext db, Access access, AuditFilter filter, CancellationToken ct)
    {
        access.Require(access.MayAdminister, "reading the audit log");
        var q = Visible(db, access);
        if (!string.IsNullOrWhiteSpace(filter.Actor)) q = q.Where(a => a.Actor == filter.Actor);
        if (!string.IsNullOrWhiteSpace(filter.Action)) q = q.Where(a => a.Action == filter.Action);
        if (!string.IsNullOrWhiteSpace(filter.Dataset)) q = q.Where(a => a.Dataset == filter.Dataset);
        if (!string.IsNullOrWhiteSpace(filter.RecordId)) q = q.Where(a => a.RecordId == filter.RecordId);
        if (filter.From is { } f) { var start = f.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc); q = q.Where(a => a.At >= start); }
        if (filter.To is { } t) { var end = t.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc); q = q.Where(a => a.At < end); }
        return await q.OrderByDescending(a => a.Id).Skip(Math.Max(0, filter.Offset)).Take(Math.Clamp(filter.Limit, 1, 1000))
            .Select(a => new AuditRow(a.Id, a.At, a.Actor, a.Action, a.Dataset, a.RecordId, a.SubmissionId, a.Detail)).ToListAsync(ct);
    }
}
