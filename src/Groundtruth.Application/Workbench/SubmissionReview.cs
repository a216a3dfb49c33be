using System.Text.Json;
using Groundtruth.Application.Datasets;
using Groundtruth.Application.Features;
using Groundtruth.Application.Security;
using Groundtruth.Application.Storage;
using Groundtruth.Domain;
using Microsoft.EntityFrameworkCore;

namespace Groundtruth.Application.Workbench;

/// <summary>One incoming record beside the current record it would update, for the approver's eyes.</summary>
/// <param name="Incoming">Its fields as stored values (<see cref="RecordValues.FromVersion"/>).</param>
/// <param name="IncomingGeometry">Its geometry as GeoJSON, or null.</param>
/// <param name="MatchId">The current record with the same id, if one exists (a hint the approver sees; never applied unseen).</param>
/// <param name="CurrentGeometry">That record's geometry as GeoJSON, as the caller may see it (generalised where <see cref="Access"/> says so).</param>
/// <param name="Fields">Every field, current beside incoming, the changed ones marked (against nothing when there is no match).</param>
/// <param name="Default">The decision the page proposes (<see cref="SubmissionDecisions.DefaultFor"/>).</param>
public sealed record ReviewItem(string Dataset, long SubmissionId, string LocalId, bool Tombstone, IReadOnlyDictionary<string, object?> Incoming,
    string? IncomingGeometry, string? MatchId, string? CurrentGeometry, bool GeometryChanged, IReadOnlyList<FieldChange> Fields, ItemDecision Default);

/// <summary>A submission as the approver reviews it: with the submissions entered with it (an accident's casualties), the first records of each, and what became of them once decided.</summary>
/// <param name="Group">The submissions decided together, the accident's first; one for most submissions.</param>
/// <param name="Items">The records shown, at most <see cref="SubmissionDecisions.ReviewLimit"/> per submission.</param>
/// <param name="Records">Records in the group, shown or not (those not shown take their default decision).</param>
/// <param name="Outcome">For an approved group: what the approval did to each record (from its audit entries).</param>
public sealed record SubmissionReview(SubmissionRow Submission, IReadOnlyList<SubmissionRow> Group, IReadOnlyList<ReviewItem> Items, int Records,
    IReadOnlyList<ApprovedRecord> Outcome);

public sealed partial class SubmissionDecisions
{
    /// <summary>Records shown one by one (with a map) per submission on the workbench; the rest take their default decision.</summary>
    public const int ReviewLimit = 100;

    /// <summary>
    /// The submission <paramref name="id"/> and those entered with it, each record beside the current record of its id,
    /// read as <paramref name="access"/> may read records; null when there is no such submission.
    /// </summary>
    public async Task<SubmissionReview?> ReviewAsync(long id, Access access, CancellationToken ct = default)
    {
        access.Require(access.MayEnter, "reading submissions");
        await using var db = target.CreateContext();
        var s = await db.Submissions.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct);
        if (s is null) return null;
        var group = await GroupAsync(db, s, ct, tracked: false);
        var items = new List<ReviewItem>();
        var records = 0;
        foreach (var member in group)
        {
            var dataset = Dataset(member);
            records += await db.Versions(dataset).CountAsync(v => v.SubmissionId == member.Id, ct);
            var versions = await db.Versions(dataset).AsNoTracking().Where(v => v.SubmissionId == member.Id).OrderBy(v => v.VersionId).Take(ReviewLimit).ToListAsync(ct);
            var existing = await ExistingAsync(db, dataset, [.. versions.Select(v => v.RecordId)], ct);
            var current = new Dictionary<string, NetTopologySuite.Features.IFeature>(StringComparer.Ordinal);
            var labelled = 0;
            var request = new FeatureRequest(dataset, Limit: 1).For(access);
            foreach (var matchId in existing)
            {
                var page = await FeatureQuery.ReadAsync(db, request with { Where = [("id", matchId)] }, ct);
                if (page.Features.Count > 0) current[matchId] = page.Features[0];
                labelled += page.LabelledRecords;
            }
            await AccessAudit.LabelledReadAsync(db, clock, access, dataset.Name, labelled, request.GeneraliseLabelled, "workbench", ct);
            foreach (var v in versions)
            {
                var incoming = RecordValues.FromVersion(dataset, v.Data);
                current.TryGetValue(v.RecordId, out var match);
                var before = match is null ? null : match.Attributes.GetNames().ToDictionary(n => n, object? (n) => match.Attributes[n], StringComparer.Ordinal);
                items.Add(new ReviewItem(dataset.Name, member.Id, v.RecordId, v.Tombstone, incoming, RecordValues.GeoJsonOf(v.Geometry),
                    match is null ? null : v.RecordId, RecordValues.GeoJsonOf(match?.Geometry),
                    match is not null && RecordValues.GeometryChanged(match.Geometry, v.Geometry),
                    RecordValues.Compare(dataset, before, incoming), DefaultFor(dataset.Name, v.RecordId, existing.Contains(v.RecordId))));
            }
        }
        var outcome = new List<ApprovedRecord>();
        if (s.State == SubmissionState.Approved)
        {
            var ids = group.Select(g => g.Id).ToList();
            var entries = await db.AuditLog.AsNoTracking().Where(a => a.Action == "approve" && a.SubmissionId != null && ids.Contains(a.SubmissionId.Value))
                .OrderBy(a => a.Id).ToListAsync(ct);
            foreach (var entry in entries.GroupBy(e => e.SubmissionId!.Value).Select(g => g.Last()))
                outcome.AddRange(ParseOutcome(entry.Dataset ?? "", entry.SubmissionId!.Value, entry.Detail));
        }
        return new SubmissionReview(Row(s), [.. group.Select(Row)], items, records, outcome);
    }

    /// <summary>How many submissions wait for a decision (the navigation's badge for approvers).</summary>
    public async Task<int> WaitingAsync(Access access, CancellationToken ct = default)
    {
        access.Require(access.MayDecide, "counting submissions waiting for a decision");
        await using var db = target.CreateContext();
        return await db.Submissions.CountAsync(s => s.State == SubmissionState.Submitted, ct);
    }

    /// <summary>
    /// The submissions decided together with <paramref name="s"/>: an accident's submission and the casualties' submissions
    /// entered with it (the same person, the same moment, in the same state, every casualty naming one of its accidents),
    /// the accident's first. Any other submission stands alone.
    /// </summary>
    private static async Task<List<Submission>> GroupAsync(GroundtruthDbContext db, Submission s, CancellationToken ct, bool tracked = true)
    {
        var accidents = DatasetCatalog.Accidents.Name;
        var casualties = DatasetCatalog.Casualties.Name;
        if (s.Dataset != accidents && s.Dataset != casualties) return [s];
        var query = tracked ? db.Submissions : db.Submissions.AsNoTracking();
        var together = await query.Where(x => x.Id != s.Id && x.SubmittedBy == s.SubmittedBy && x.SubmittedAt == s.SubmittedAt && x.State == s.State
            && (x.Dataset == accidents || x.Dataset == casualties)).OrderBy(x => x.Id).ToListAsync(ct);
        if (together.Count == 0) return [s];
        var all = together.Append(s).OrderBy(x => x.Id).ToList();
        var lead = all.FirstOrDefault(x => x.Dataset == accidents);
        if (lead is null) return [s];
        var accidentIds = (await db.Versions(DatasetCatalog.Accidents).AsNoTracking().Where(v => v.SubmissionId == lead.Id).Select(v => v.RecordId).ToListAsync(ct))
            .ToHashSet(StringComparer.Ordinal);
        var group = new List<Submission> { lead };
        foreach (var c in all.Where(x => x.Dataset == casualties))
        {
            var data = await db.Versions(DatasetCatalog.Casualties).AsNoTracking().Where(v => v.SubmissionId == c.Id).Select(v => v.Data).ToListAsync(ct);
            if (data.Count > 0 && data.All(d => AccidentOf(d) is { } a && accidentIds.Contains(a))) group.Add(c);
        }
        return group.Contains(s) ? group : [s];
    }

    private static string? AccidentOf(string data)
    {
        using var json = JsonDocument.Parse(data);
        return json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("accident_id", out var a) && a.ValueKind == JsonValueKind.String
            ? a.GetString()
            : null;
    }

    private static IEnumerable<ApprovedRecord> ParseOutcome(string dataset, long submission, string? detail)
    {
        if (detail is null) yield break;
        using var json = JsonDocument.Parse(detail);
        if (!json.RootElement.TryGetProperty("items", out var items) || items.ValueKind != JsonValueKind.Array) yield break;
        foreach (var item in items.EnumerateArray())
        {
            var action = item.GetProperty("action").GetString() switch { "new" => ItemAction.New, "link" => ItemAction.Link, _ => ItemAction.Update };
            yield return new ApprovedRecord(dataset, submission, item.GetProperty("local").GetString() ?? "", action, item.GetProperty("national").GetString() ?? "");
        }
    }

    private static SubmissionRow Row(Submission x) =>
        new(x.Id, x.Dataset, x.State, x.FileName, x.Source, x.SubmittedBy, x.SubmittedAt, x.DecidedBy, x.DecidedAt, x.Reason, x.RecordCount);
}
