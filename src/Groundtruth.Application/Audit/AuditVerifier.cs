using Groundtruth.Application.Storage;
using Microsoft.EntityFrameworkCore;

namespace Groundtruth.Application.Audit;

/// <summary>The first place where the audit chain does not hold: the entry (when there is one), its time and what is wrong.</summary>
public sealed record AuditBreak(long? EntryId, DateTime? At, string Problem)
{
    public override string ToString() => EntryId is { } id
        ? $"entry {id} ({At:yyyy-MM-dd HH:mm:ss}Z): {Problem}"
        : Problem;
}

/// <summary>What <c>groundtruth audit verify</c> found: the entries checked, the head hash, and the first break (null when intact).</summary>
public sealed record AuditVerification(long Entries, string HeadHash, AuditBreak? FirstBreak)
{
    public bool Intact => FirstBreak is null;
}

/// <summary>
/// Walks the audit log in id order and checks every link and hash of the chain (<see cref="AuditChain"/>) and that
/// it ends where its head says. An optional anchor — a head hash recorded elsewhere earlier — must occur in the chain:
/// that catches even a rewrite that recomputed every hash after the edit.
/// </summary>
public sealed class AuditVerifier(DatabaseTarget target)
{
    public async Task<AuditVerification> VerifyAsync(string? anchor = null, CancellationToken ct = default)
    {
        await using var db = target.CreateContext();
        await SchemaGuard.EnsureCurrentAsync(db, ct);
        return await VerifyAsync(db, anchor, ct);
    }

    public static async Task<AuditVerification> VerifyAsync(GroundtruthDbContext db, string? anchor, CancellationToken ct)
    {
        anchor = anchor?.Trim().ToLowerInvariant();
        var head = await db.AuditChainHead.AsNoTracking().SingleOrDefaultAsync(h => h.Id == 1, ct);
        var previous = AuditChain.Genesis;
        long? previousId = null;
        long count = 0;
        var anchorSeen = anchor is null;
        await foreach (var entry in db.AuditLog.AsNoTracking().OrderBy(a => a.Id).AsAsyncEnumerable().WithCancellation(ct))
        {
            AuditBreak Broken(string problem) => new(entry.Id, entry.At, problem);
            if (entry.Hash is null)
                return new(count, previous, Broken("not chained: it has no hash (written directly into the table, or by a Groundtruth older than the chain)"));
            if (entry.PrevHash != previous)
            {
                return new(count, previous, Broken(previousId is null
                    ? "the chain does not start here: an entry before it was deleted, or it was moved"
                    : $"does not follow entry {previousId}: an entry between them was deleted or inserted, or entries were reordered"));
            }
            if (AuditChain.Compute(entry, entry.PrevHash) != entry.Hash)
                return new(count, previous, Broken("its content differs from what was written (hash mismatch): the entry was edited"));
            previous = entry.Hash;
            previousId = entry.Id;
            count++;
            if (!anchorSeen && entry.Hash == anchor) anchorSeen = true;
        }
        if (head is null)
            return new(count, previous, new AuditBreak(null, null, "the chain's head row (table audit_chain_head) is missing"));
        if (head.LastEntryId != (previousId ?? 0) || head.LastHash != previous || head.Entries != count)
        {
            return new(count, previous, new AuditBreak(previousId, null,
                $"the chain ends at entry {previousId?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "(none)"} after {count} entries, but its head records entry {head.LastEntryId} after {head.Entries}: entries at the end were deleted, or the head was altered"));
        }
        if (!anchorSeen)
            return new(count, previous, new AuditBreak(null, null, $"the anchor {anchor} is not a hash in the chain: the log was rewritten since that hash was recorded"));
        return new(count, previous, null);
    }
}
