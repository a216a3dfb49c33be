using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Groundtruth.Application.Datasets;
using Groundtruth.Application.Import;
using Groundtruth.Application.Storage;
using Groundtruth.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using NetTopologySuite.Geometries;

namespace Groundtruth.Application.Workbench;

/// <summary>How an approver reconciles one incoming record with the national register.</summary>
/// <remarks>In JSON it is written <c>"new"</c>, <c>"update"</c> or <c>"link"</c> (docs/web.md); the numbers 0-2 are read too.</remarks>
[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<ItemAction>))]
public enum ItemAction
{
    /// <summary>A record the register does not hold: it enters under <see cref="ItemDecision.NationalId"/> (or its own id), which must be free.</summary>
    [System.Text.Json.Serialization.JsonStringEnumMemberName("new")]
    New,
    /// <summary>A new version of the existing record <see cref="ItemDecision.NationalId"/>.</summary>
    [System.Text.Json.Serialization.JsonStringEnumMemberName("update")]
    Update,
    /// <summary>The same thing as the existing record <see cref="ItemDecision.NationalId"/>, adding nothing: the mapping is recorded, the incoming values are dropped.</summary>
    [System.Text.Json.Serialization.JsonStringEnumMemberName("link")]
    Link,
}

/// <param name="LocalId">The id the submitter used (an operator's own numbering).</param>
/// <param name="Dataset">The dataset of the record, when a group holds two (an accident and its casualties); null: any record of that id in the group.</param>
public sealed record ItemDecision(string LocalId, ItemAction Action, string? NationalId = null, string? Dataset = null);

/// <summary>What an approval did to one record: the id it now has in the register (or the one it was linked to).</summary>
public sealed record ApprovedRecord(string Dataset, long SubmissionId, string LocalId, ItemAction Action, string NationalId);

/// <summary>The submissions an approval, a rejection or an unapproval decided together (an accident's with its casualties') and what became of each record.</summary>
public sealed record DecisionOutcome(IReadOnlyList<long> Submissions, IReadOnlyList<ApprovedRecord> Records);

/// <summary>A submission with one page of its records (<see cref="SubmissionDecisions.ReadPageAsync"/>): <paramref name="Total"/> records in all.</summary>
public sealed record SubmissionPage(SubmissionRow Submission, IReadOnlyList<SubmissionItem> Items, int Total, int Offset, int Limit);

/// <summary>One record of a submission as the approver sees it.</summary>
/// <param name="ExistingId">A current record with the same id, if one exists: a hint, never applied without the approver's decision.</param>
public sealed record SubmissionItem(long VersionId, string LocalId, string? DateOfInformation, bool Tombstone, string Data, string? ExistingId);

public sealed record SubmissionRow(long Id, string Dataset, SubmissionState State, string? FileName, string? Source, string SubmittedBy,
    DateTime SubmittedAt, string? DecidedBy, DateTime? DecidedAt, string? Reason, int RecordCount);

/// <summary>A decision the state of the submission or its items does not allow; the message says why.</summary>
public sealed class SubmissionDecisionException(string message) : ConflictException(message);

/// <summary>
/// The workbench (DESIGN section 7): incoming data waits as a submission until an approver reconciles each
/// record — new, update of an existing record, or link to one; ids are never matched blindly — and approves
/// or rejects it with a reason. Approved data can be unapproved. The current state of every record the
/// submission touches is then rebuilt from its approved versions, so approval and unapproval are one code
/// path and the current state always equals the latest approved version.
/// </summary>
public sealed partial class SubmissionDecisions(DatabaseTarget target, TimeProvider clock)
{
    public async Task<IReadOnlyList<SubmissionRow>> ListAsync(SubmissionState? state = null, CancellationToken ct = default)
    {
        await using var db = target.CreateContext();
        var query = db.Submissions.AsNoTracking();
        if (state is { } s) query = query.Where(x => x.State == s);
        return await query.OrderByDescending(x => x.Id).Take(500)
            .Select(x => new SubmissionRow(x.Id, x.Dataset, x.State, x.FileName, x.Source, x.SubmittedBy, x.SubmittedAt, x.DecidedBy, x.DecidedAt, x.Reason, x.RecordCount))
            .ToListAsync(ct);
    }

    public async Task<(SubmissionRow Submission, IReadOnlyList<SubmissionItem> Items)?> ReadAsync(long id, CancellationToken ct = default) =>
        await ReadPageAsync(id, 0, int.MaxValue, ct) is { } page ? (page.Submission, page.Items) : null;

    /// <summary>
    /// One submission and a page of its records in the order of their ids (a submission can hold a million rows: the
    /// whole of it would be hundreds of megabytes), with the number of records it holds.
    /// </summary>
    public async Task<SubmissionPage?> ReadPageAsync(long id, int offset, int limit, CancellationToken ct = default)
    {
        if (offset < 0) throw new InvalidRequestException("offset", "must be zero or more");
        if (limit < 0) throw new InvalidRequestException("limit", "must be zero or more");
        await using var db = target.CreateContext();
        var s = await db.Submissions.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct);
        if (s is null) return null;
        var dataset = Dataset(s);
        var ofSubmission = db.Versions(dataset).AsNoTracking().Where(v => v.SubmissionId == id);
        var total = await ofSubmission.CountAsync(ct);
        // Ids in ordinal order on both stores (PostgreSQL's default collation follows the locale).
        var ordered = db.IsSqlite ? ofSubmission.OrderBy(v => v.RecordId) : ofSubmission.OrderBy(v => EF.Functions.Collate(v.RecordId, "C"));
        var versions = await ordered.ThenBy(v => v.VersionId).Skip(offset).Take(limit)
            .Select(v => new { v.VersionId, v.RecordId, v.DateOfInformation, v.Tombstone, v.Data }).ToListAsync(ct);
        var ids = versions.Select(v => v.RecordId).ToList();
        var existing = await ExistingAsync(db, dataset, ids, ct);
        var row = new SubmissionRow(s.Id, s.Dataset, s.State, s.FileName, s.Source, s.SubmittedBy, s.SubmittedAt, s.DecidedBy, s.DecidedAt, s.Reason, s.RecordCount);
        return new SubmissionPage(row, [.. versions.Select(v => new SubmissionItem(v.VersionId, v.RecordId, v.DateOfInformation, v.Tombstone, v.Data, existing.Contains(v.RecordId) ? v.RecordId : null))],
            total, offset, limit);
    }

    /// <summary>Approves a submitted batch with a decision for every record; the approved versions then make the current state.</summary>
    public Task<DecisionOutcome> ApproveAsync(long id, IReadOnlyList<ItemDecision> decisions, string actor, string? reason, CancellationToken ct = default) =>
        ApproveAsync(id, decisions, actor, reason, defaults: false, ct);

    /// <summary>
    /// Approves a submitted batch and the batches entered with it (an accident's casualties, <see cref="GroupAsync"/>) in one
    /// transaction: every record of the group is decided, or nothing changes. A casualty's <c>accident_id</c> follows its
    /// accident to the national id the approver gave it.
    /// </summary>
    /// <param name="defaults">A record without a decision takes its default (<see cref="DefaultFor"/>: the update of the record with
    /// its id when one exists, else a new record under its id); without it, an undecided record refuses the approval.</param>
    public async Task<DecisionOutcome> ApproveAsync(long id, IReadOnlyList<ItemDecision> decisions, string actor, string? reason, bool defaults, CancellationToken ct)
    {
        await using var db = target.CreateContext();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var first = await Load(db, id, SubmissionState.Submitted, "approved", ct);
        var group = await GroupAsync(db, first, ct);
        var accidents = new Dictionary<string, string>(StringComparer.Ordinal);
        var records = new List<ApprovedRecord>();
        foreach (var submission in group)
            records.AddRange(await ApproveOneAsync(db, submission, decisions, defaults, accidents, actor, reason, ct));
        await tx.CommitAsync(ct);
        return new DecisionOutcome([.. group.Select(s => s.Id)], records);
    }

    /// <summary>The default decision for an incoming record: the update of the current record with the same id, else a new record under its own id.</summary>
    public static ItemDecision DefaultFor(string dataset, string localId, bool exists) =>
        new(localId, exists ? ItemAction.Update : ItemAction.New, localId, dataset);

    private async Task<List<ApprovedRecord>> ApproveOneAsync(GroundtruthDbContext db, Submission submission, IReadOnlyList<ItemDecision> decisions, bool defaults,
        Dictionary<string, string> accidents, string actor, string? reason, CancellationToken ct)
    {
        var id = submission.Id;
        var dataset = Dataset(submission);
        var versions = await db.Versions(dataset).AsNoTracking().Where(v => v.SubmissionId == id).ToListAsync(ct);
        var byLocal = decisions.Where(d => d.Dataset is null || DatasetCatalog.Find(d.Dataset) == dataset)
            .GroupBy(d => d.LocalId).ToDictionary(g => g.Key, g => g.Last(), StringComparer.Ordinal);
        var undecided = versions.Select(v => v.RecordId).Where(r => !byLocal.ContainsKey(r)).Distinct().ToList();
        if (undecided.Count > 0 && defaults)
        {
            var same = await ExistingAsync(db, dataset, undecided, ct);
            foreach (var local in undecided) byLocal[local] = DefaultFor(dataset.Name, local, same.Contains(local));
        }
        else if (undecided.Count > 0)
        {
            throw new SubmissionDecisionException($"decide every record before approving (new, update or link); undecided{(submission.Dataset == DatasetCatalog.Casualties.Name ? " casualties" : "")}: {string.Join(", ", undecided.Take(20))}");
        }
        var targets = byLocal.Values.Select(d => string.IsNullOrWhiteSpace(d.NationalId) ? d.LocalId : d.NationalId.Trim()).ToList();
        var existing = await ExistingAsync(db, dataset, targets, ct);
        var links = new List<object>();
        var records = new List<ApprovedRecord>();
        var affected = new HashSet<string>(StringComparer.Ordinal);
        foreach (var version in versions)
        {
            var decision = byLocal[version.RecordId];
            var national = string.IsNullOrWhiteSpace(decision.NationalId) ? decision.LocalId : decision.NationalId.Trim();
            switch (decision.Action)
            {
                case ItemAction.New when existing.Contains(national):
                    throw new SubmissionDecisionException($"{version.RecordId}: '{national}' already exists in {dataset.Name}; choose update or link, or another national id");
                case ItemAction.Update or ItemAction.Link when !existing.Contains(national):
                    throw new SubmissionDecisionException($"{version.RecordId}: {dataset.Name} has no record '{national}' to {(decision.Action == ItemAction.Update ? "update" : "link to")}");
            }
            links.Add(new { local = version.RecordId, action = SnakeCase.Of(decision.Action), national });
            records.Add(new ApprovedRecord(dataset.Name, id, version.RecordId, decision.Action, national));
            if (dataset == DatasetCatalog.Accidents) accidents[version.RecordId] = national;
            if (decision.Action == ItemAction.Link)
            {
                // The incoming values never counted and add nothing: the draft version goes, the mapping stays in the audit log.
                await db.Versions(dataset).Where(v => v.VersionId == version.VersionId).ExecuteDeleteAsync(ct);
                continue;
            }
            affected.Add(national);
            var data = JsonNode.Parse(version.Data)!.AsObject();
            var changed = false;
            if (national != version.RecordId)
            {
                data["id"] = national;
                changed = true;
            }
            // A casualty entered with its accident follows the accident to its national id.
            if (dataset == DatasetCatalog.Casualties && data["accident_id"]?.GetValueKind() == JsonValueKind.String
                && accidents.TryGetValue(data["accident_id"]!.GetValue<string>(), out var accident) && accident != data["accident_id"]!.GetValue<string>())
            {
                data["accident_id"] = accident;
                changed = true;
            }
            if (changed)
            {
                var json = data.ToJsonString();
                await db.Versions(dataset).Where(v => v.VersionId == version.VersionId)
                    .ExecuteUpdateAsync(u => u.SetProperty(v => v.RecordId, national).SetProperty(v => v.Data, json), ct);
            }
        }
        Decide(submission, SubmissionState.Approved, actor, reason);
        await db.SaveChangesAsync(ct);
        await CurrentState.RebuildAsync(db, dataset, affected, ct);
        Audit(db, "approve", submission, reason, links);
        await db.SaveChangesAsync(ct);
        return records;
    }

    /// <summary>Rejects a submitted batch and the batches entered with it (<see cref="GroupAsync"/>).</summary>
    public async Task RejectAsync(long id, string actor, string reason, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(reason)) throw new SubmissionDecisionException("give a reason for the rejection");
        await using var db = target.CreateContext();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var first = await Load(db, id, SubmissionState.Submitted, "rejected", ct);
        foreach (var submission in await GroupAsync(db, first, ct))
        {
            Decide(submission, SubmissionState.Rejected, actor, reason);
            Audit(db, "reject", submission, reason, null);
            await db.SaveChangesAsync(ct);
        }
        await tx.CommitAsync(ct);
    }

    /// <summary>Takes an approved batch (and the batches entered with it) back to submitted: its records return to their previous approved versions (or leave, if they were new).</summary>
    public async Task UnapproveAsync(long id, string actor, string reason, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(reason)) throw new SubmissionDecisionException("give a reason for the unapproval");
        await using var db = target.CreateContext();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var first = await Load(db, id, SubmissionState.Approved, "unapproved", ct);
        foreach (var submission in await GroupAsync(db, first, ct))
        {
            var dataset = Dataset(submission);
            submission.State = SubmissionState.Submitted;
            submission.DecidedBy = actor;
            submission.DecidedAt = clock.GetUtcNow().UtcDateTime;
            submission.Reason = reason;
            await db.SaveChangesAsync(ct);
            var ids = await db.Versions(dataset).Where(v => v.SubmissionId == submission.Id).Select(v => v.RecordId).Distinct().ToListAsync(ct);
            await CurrentState.RebuildAsync(db, dataset, ids, ct);
            Audit(db, "unapprove", submission, reason, null);
            await db.SaveChangesAsync(ct);
        }
        await tx.CommitAsync(ct);
    }

    private static DatasetSpec Dataset(Submission s) =>
        DatasetCatalog.Find(s.Dataset) ?? throw new SubmissionDecisionException($"submission {s.Id} names an unknown dataset '{s.Dataset}'");

    private static async Task<Submission> Load(GroundtruthDbContext db, long id, SubmissionState required, string verb, CancellationToken ct)
    {
        var s = await db.Submissions.FirstOrDefaultAsync(x => x.Id == id, ct) ?? throw new SubmissionDecisionException($"there is no submission {id}");
        if (s.State != required)
            throw new SubmissionDecisionException($"submission {id} is {SnakeCase.Of(s.State)}; only a {SnakeCase.Of(required)} submission can be {verb}");
        return s;
    }

    private void Decide(Submission s, SubmissionState state, string actor, string? reason)
    {
        s.State = state;
        s.DecidedBy = actor;
        s.DecidedAt = clock.GetUtcNow().UtcDateTime;
        s.Reason = reason;
    }

    private void Audit(GroundtruthDbContext db, string action, Submission s, string? reason, object? items) => db.AuditLog.Add(new AuditEntry
    {
        At = clock.GetUtcNow().UtcDateTime,
        Actor = s.DecidedBy ?? "unknown",
        Action = action,
        Dataset = s.Dataset,
        SubmissionId = s.Id,
        Detail = JsonSerializer.Serialize(new { reason, items }),
    });

    private static async Task<HashSet<string>> ExistingAsync(GroundtruthDbContext db, DatasetSpec dataset, IReadOnlyCollection<string> ids, CancellationToken ct)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        await db.Database.OpenConnectionAsync(ct);
        foreach (var chunk in ids.Distinct().Chunk(500))
        {
            await using var cmd = db.Database.GetDbConnection().CreateCommand();
            cmd.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
            var names = chunk.Select((_, i) => "@i" + i).ToList();
            cmd.CommandText = $"SELECT \"id\" FROM \"{dataset.Table}\" WHERE \"id\" IN ({string.Join(", ", names)})";
            for (var i = 0; i < chunk.Length; i++)
            {
                var p = cmd.CreateParameter();
                p.ParameterName = "i" + i;
                p.Value = chunk[i];
                cmd.Parameters.Add(p);
            }
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct)) found.Add(r.GetString(0));
        }
        return found;
    }
}

/// <summary>Writes the current state of records from their approved versions: the current one by <see cref="VersionOrder"/>.</summary>
internal static class CurrentState
{
    public static async Task RebuildAsync(GroundtruthDbContext db, DatasetSpec dataset, IReadOnlyCollection<string> ids, CancellationToken ct)
    {
        if (ids.Count == 0) return;
        var idSet = ids.ToHashSet(StringComparer.Ordinal);
        var candidates = await db.Versions(dataset).AsNoTracking()
            .Where(v => idSet.Contains(v.RecordId))
            .Join(db.Submissions.AsNoTracking().Where(s => s.State == SubmissionState.Approved), v => v.SubmissionId, s => s.Id, (v, s) => v)
            .ToListAsync(ct);
        var layout = new StagingLayout(dataset);
        var builder = new StagingRowBuilder(layout, null, PartialDate.FromDate(DateOnly.FromDateTime(DateTime.UtcNow)).ToString());
        var connection = db.Database.GetDbConnection();
        var tx = db.Database.CurrentTransaction?.GetDbTransaction();
        var cols = layout.LayerColumns;
        var set = string.Join(", ", cols.Where(c => c != "id").Select(c => $"\"{c}\" = excluded.\"{c}\""));
        foreach (var id in idSet)
        {
            var best = VersionOrder.Current(candidates.Where(v => v.RecordId == id), v => VersionOrder.Of(v.DateOfInformation, v.RecordedAt, v.VersionId));
            await using var cmd = connection.CreateCommand();
            cmd.Transaction = tx;
            Add(cmd, "id", id);
            if (best is null || best.Tombstone)
            {
                cmd.CommandText = $"DELETE FROM \"{dataset.Table}\" WHERE \"id\" = @id";
                await cmd.ExecuteNonQueryAsync(ct);
                continue;
            }
            var row = builder.Build(Parse(dataset, best));
            cmd.Parameters.Clear();
            for (var i = 0; i < cols.Count; i++)
            {
                Add(cmd, "c" + i, row[i] switch
                {
                    Geometry g when db.IsSqlite => GeoPackageBlob.Write(g),
                    var v => v,
                });
            }
            cmd.CommandText = $"""
                INSERT INTO "{dataset.Table}" ({string.Join(", ", cols.Select(c => $"\"{c}\""))}) VALUES ({string.Join(", ", cols.Select((_, i) => "@c" + i))})
                ON CONFLICT ("id") DO UPDATE SET {set}
                """;
            await cmd.ExecuteNonQueryAsync(ct);
        }
        if (db.IsSqlite)
        {
            await using var refresh = connection.CreateCommand();
            refresh.Transaction = tx;
            refresh.CommandText = GeoPackageSchema.RefreshContentsSql(dataset.Table, dataset.IsSpatial);
            await refresh.ExecuteNonQueryAsync(ct);
        }
    }

    /// <summary>A version's JSON back into typed values, as the importer would have parsed them.</summary>
    private static ParsedRecord Parse(DatasetSpec dataset, RecordVersion version)
    {
        using var json = JsonDocument.Parse(version.Data);
        var root = json.RootElement;
        var values = new object?[dataset.Fields.Count];
        for (var i = 0; i < dataset.Fields.Count; i++)
        {
            var field = dataset.Fields[i];
            if (field.Personal || !root.TryGetProperty(field.Name, out var v) || v.ValueKind == JsonValueKind.Null) continue;
            values[i] = field.Type switch
            {
                FieldType.Integer => v.GetInt32(),
                FieldType.Long => v.GetInt64(),
                FieldType.Real => v.GetDouble(),
                FieldType.Boolean => v.GetBoolean(),
                _ => v.ValueKind == JsonValueKind.String ? v.GetString() : v.GetRawText(),
            };
        }
        values[0] ??= version.RecordId;
        return new ParsedRecord(0, values)
        {
            Geometry = version.Geometry,
            OriginalCrs = root.TryGetProperty(StorageNames.OriginalCrs, out var crs) ? crs.GetString() : null,
            OriginalWkt = root.TryGetProperty(StorageNames.OriginalWkt, out var wkt) ? wkt.GetString() : null,
        };
    }

    private static void Add(System.Data.Common.DbCommand cmd, string name, object? value)
    {
        var p = cmd.CreateParameter();
        p.ParameterName = name;
        p.Value = value ?? DBNull.Value;
        cmd.Parameters.Add(p);
    }
}
