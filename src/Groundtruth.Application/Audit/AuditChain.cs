using System.Buffers.Binary;
using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Groundtruth.Application.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace Groundtruth.Application.Audit;

/// <summary>Where the chain ends: the last chained entry, its hash and how many entries the chain holds.</summary>
public readonly record struct ChainHead(long LastEntryId, string LastHash, long Entries);

/// <summary>
/// The audit log as a hash chain (docs/decisions/0021-audit-chain-and-backups.md): each entry stores the hash of the
/// entry before it and SHA-256 over its own canonical form and that link, in the order of entry ids. Editing,
/// deleting, inserting or reordering an entry directly in the database breaks a link that
/// <see cref="AuditVerifier"/> reports; the <c>audit_chain_head</c> row records where the chain ends, so a deleted
/// tail shows too. Appends lock that row (PostgreSQL: <c>SELECT … FOR UPDATE</c>; SQLite: the write transaction is
/// already exclusive), so writers on several hosts append one at a time.
/// </summary>
public static class AuditChain
{
    /// <summary>The link the first entry carries.</summary>
    public static readonly string Genesis = new('0', 64);

    private const string Version = "groundtruth-audit/1";

    /// <summary>
    /// Brings an entry's time to what both stores keep exactly (UTC, whole microseconds), so the hash computed before
    /// the write equals the one computed from the row read back.
    /// </summary>
    public static void Normalise(AuditEntry entry)
    {
        var at = entry.At.Kind == DateTimeKind.Utc ? entry.At : entry.At.ToUniversalTime();
        entry.At = new DateTime(at.Ticks - at.Ticks % 10, DateTimeKind.Utc);
    }

    /// <summary>SHA-256 (lowercase hex) of the entry's canonical form followed by the previous entry's hash.</summary>
    /// <remarks>
    /// Canonical form: the fields version, id, at (<c>yyyy-MM-ddTHH:mm:ss.ffffffZ</c>), actor, action, dataset,
    /// record id, submission id, detail and the previous hash, each written as a 0 byte when null or as a 1 byte, the
    /// big-endian 32-bit length and the UTF-8 bytes — unambiguous, and the same on every platform and store.
    /// </remarks>
    public static string Compute(AuditEntry entry, string prevHash)
    {
        using var buffer = new MemoryStream();
        string?[] fields =
        [
            Version,
            entry.Id.ToString(CultureInfo.InvariantCulture),
            DateTime.SpecifyKind(entry.At, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture),
            entry.Actor,
            entry.Action,
            entry.Dataset,
            entry.RecordId,
            entry.SubmissionId?.ToString(CultureInfo.InvariantCulture),
            entry.Detail,
            prevHash,
        ];
        Span<byte> length = stackalloc byte[4];
        foreach (var field in fields)
        {
            if (field is null)
            {
                buffer.WriteByte(0);
                continue;
            }
            var bytes = Encoding.UTF8.GetBytes(field);
            buffer.WriteByte(1);
            BinaryPrimitives.WriteInt32BigEndian(length, bytes.Length);
            buffer.Write(length);
            buffer.Write(bytes);
        }
        return Convert.ToHexStringLower(SHA256.HashData(buffer.GetBuffer().AsSpan(0, (int)buffer.Length)));
    }

    /// <summary>Sets the links and hashes of entries that have their ids, in id order, after <paramref name="head"/>; returns the new head.</summary>
    public static ChainHead Link(IEnumerable<AuditEntry> entries, ChainHead head)
    {
        foreach (var entry in entries)
        {
            if (entry.Id <= head.LastEntryId)
                throw new InvalidOperationException($"audit entry {entry.Id} would be chained after entry {head.LastEntryId}: the chain follows entry ids");
            entry.PrevHash = head.LastHash;
            entry.Hash = Compute(entry, head.LastHash);
            head = new ChainHead(entry.Id, entry.Hash, head.Entries + 1);
        }
        return head;
    }

    /// <summary>Reads the chain's head inside <paramref name="transaction"/>, locking it until the transaction ends.</summary>
    public static async Task<ChainHead> LockHeadAsync(DbConnection connection, DbTransaction? transaction, CancellationToken ct)
    {
        await using var cmd = connection.CreateCommand();
        cmd.Transaction = transaction;
        cmd.CommandText = """SELECT "last_entry_id", "last_hash", "entries" FROM "audit_chain_head" WHERE "id" = 1""" +
                          (connection is NpgsqlConnection ? " FOR UPDATE" : "");
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
            throw new InvalidOperationException("the audit chain's head row (table audit_chain_head) is missing: the audit log has been tampered with; run 'groundtruth audit verify'");
        return new ChainHead(Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture), reader.GetString(1), Convert.ToInt64(reader.GetValue(2), CultureInfo.InvariantCulture));
    }

    public static async Task WriteHeadAsync(DbConnection connection, DbTransaction? transaction, ChainHead head, CancellationToken ct)
    {
        await using var cmd = connection.CreateCommand();
        cmd.Transaction = transaction;
        cmd.CommandText = """UPDATE "audit_chain_head" SET "last_entry_id" = @id, "last_hash" = @hash, "entries" = @entries WHERE "id" = 1""";
        Add(cmd, "id", head.LastEntryId);
        Add(cmd, "hash", head.LastHash);
        Add(cmd, "entries", head.Entries);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Appends one entry through plain SQL (the bulk import path), inside the caller's write transaction.</summary>
    public static async Task AppendAsync(DbConnection connection, DbTransaction transaction, AuditEntry entry, CancellationToken ct)
    {
        var head = await LockHeadAsync(connection, transaction, ct);
        Normalise(entry);
        await using (var insert = connection.CreateCommand())
        {
            insert.Transaction = transaction;
            insert.CommandText = """
                INSERT INTO "audit_log" ("at", "actor", "action", "dataset", "record_id", "submission_id", "detail")
                VALUES (@at, @actor, @action, @dataset, @record, @sub, @detail) RETURNING "id"
                """;
            Add(insert, "at", entry.At);
            Add(insert, "actor", entry.Actor);
            Add(insert, "action", entry.Action);
            Add(insert, "dataset", entry.Dataset);
            Add(insert, "record", entry.RecordId);
            Add(insert, "sub", entry.SubmissionId);
            Add(insert, "detail", entry.Detail);
            entry.Id = Convert.ToInt64(await insert.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
        }
        head = Link([entry], head);
        await using (var update = connection.CreateCommand())
        {
            update.Transaction = transaction;
            update.CommandText = """UPDATE "audit_log" SET "prev_hash" = @prev, "hash" = @hash WHERE "id" = @id""";
            Add(update, "prev", entry.PrevHash);
            Add(update, "hash", entry.Hash);
            Add(update, "id", entry.Id);
            await update.ExecuteNonQueryAsync(ct);
        }
        await WriteHeadAsync(connection, transaction, head, ct);
    }

    /// <summary>
    /// Chains the entries that have no hash yet (those written before the chain existed, when a database is upgraded)
    /// after the current head, in id order; returns how many. Refuses an unchained entry older than the head: chaining
    /// it would have to rewrite the chain, which is what the chain exists to prevent.
    /// </summary>
    public static async Task<int> SealUnchainedAsync(GroundtruthDbContext db, CancellationToken ct)
    {
        var own = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(ct) : null;
        try
        {
            var connection = db.Database.GetDbConnection();
            var transaction = db.Database.CurrentTransaction!.GetDbTransaction();
            var head = await LockHeadAsync(connection, transaction, ct);
            var unchained = await db.AuditLog.Where(a => a.Hash == null).OrderBy(a => a.Id).ToListAsync(ct);
            if (unchained.Count == 0) return 0;
            if (unchained[0].Id <= head.LastEntryId)
                throw new InvalidOperationException($"audit entry {unchained[0].Id} ({unchained[0].At:u}) has no hash but comes before the chain's last entry {head.LastEntryId}; it cannot be sealed without rewriting the chain");
            foreach (var entry in unchained) Normalise(entry);
            head = Link(unchained, head);
            await db.SaveChangesAsync(ct);
            await WriteHeadAsync(connection, transaction, head, ct);
            if (own is not null) await own.CommitAsync(ct);
            return unchained.Count;
        }
        finally
        {
            if (own is not null) await own.DisposeAsync();
        }
    }

    private static void Add(DbCommand cmd, string name, object? value)
    {
        var p = cmd.CreateParameter();
        p.ParameterName = name;
        p.Value = value ?? DBNull.Value;
        cmd.Parameters.Add(p);
    }
}
