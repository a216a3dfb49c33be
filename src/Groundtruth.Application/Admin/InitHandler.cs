using Groundtruth.Application.Audit;
using Groundtruth.Application.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Groundtruth.Application.Admin;

/// <summary>What <c>groundtruth init</c> did.</summary>
public sealed record InitResult(string Database, IReadOnlyList<string> AppliedMigrations, bool Created);

/// <summary>Creates a database, or upgrades it to the current schema; safe to run again.</summary>
public sealed class InitHandler(DatabaseTarget target, TimeProvider clock)
{
    public async Task<InitResult> HandleAsync(string actor = "cli", CancellationToken ct = default)
    {
        var created = false;
        if (target.IsGeoPackage)
        {
            var path = target.FilePath!;
            created = !File.Exists(path) || new FileInfo(path).Length == 0;
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            if (!created) await RefuseForeignFileAsync(path, ct);
            else PrivateFiles.CreateDatabaseFile(path);
        }
        await using var db = target.CreateContext();
        var pending = (await db.Database.GetPendingMigrationsAsync(ct)).ToList();
        await db.Database.MigrateAsync(ct);
        if (target.IsGeoPackage)
        {
            await db.Database.OpenConnectionAsync(ct);
            await using var cmd = db.Database.GetDbConnection().CreateCommand();
            cmd.CommandText = GeoPackageSchema.HeaderSql;
            await cmd.ExecuteNonQueryAsync(ct);
            // QGIS opens every layer in the web map's colours; rewritten on each run, so an upgrade brings the current styles.
            await QgisLayerStyles.WriteAsync(db.Database.GetDbConnection(), clock, ct);
        }
        // A database upgraded to the audit chain gets the entries it already holds chained, before anything is appended.
        if (pending.Any(m => m.EndsWith(AuditChainMigration, StringComparison.Ordinal)))
            await AuditChain.SealUnchainedAsync(db, ct);
        if (pending.Count > 0)
        {
            db.AuditLog.Add(new AuditEntry
            {
                At = clock.GetUtcNow().UtcDateTime,
                Actor = actor,
                Action = "init",
                Detail = System.Text.Json.JsonSerializer.Serialize(new { migrations = pending }),
            });
            await db.SaveChangesAsync(ct);
        }
        if (!target.IsGeoPackage) created = pending.Count > 0 && pending.Count == db.Database.GetMigrations().Count();
        return new InitResult(target.ToString(), pending, created);
    }

    private const string AuditChainMigration = "_AuditChain";

    /// <summary>An existing SQLite file with tables but no migration history is someone else's data: leave it alone.</summary>
    private static async Task RefuseForeignFileAsync(string path, CancellationToken ct)
    {
        await using var conn = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        try
        {
            await conn.OpenAsync(ct);
            await using var cmd = conn.CreateCommand();
            cmd.CommandText = "SELECT (SELECT count(*) FROM sqlite_master WHERE type = 'table'), (SELECT count(*) FROM sqlite_master WHERE name = '__EFMigrationsHistory')";
            await using var r = await cmd.ExecuteReaderAsync(ct);
            await r.ReadAsync(ct);
            if (r.GetInt64(0) > 0 && r.GetInt64(1) == 0)
                throw new DatabaseNotReadyException($"{path} is not a Groundtruth database (it has tables but no Groundtruth schema); choose another database");
        }
        catch (SqliteException e)
        {
            throw new DatabaseNotReadyException($"{path} is not a SQLite/GeoPackage file: {e.Message}");
        }
    }
}
