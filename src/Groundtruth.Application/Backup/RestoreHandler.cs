using System.Text;
using Groundtruth.Application.Audit;
using Groundtruth.Application.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Groundtruth.Application.Backup;

/// <summary>What <c>groundtruth restore</c> did: where to, from which kind of backup, the key, and the restored audit chain.</summary>
public sealed record RestoreResult(string Target, string Kind, string? KeyNote, AuditVerification? Audit, int PendingMigrations);

/// <summary>
/// Restores a backup made by <see cref="BackupHandler"/> into a GeoPackage file or a PostgreSQL database of the same
/// kind. An existing target that holds anything is refused unless <c>force</c> (then replaced whole). The restore is
/// all or nothing: SQLite's backup API writes the target in one transaction; <c>pg_restore --single-transaction</c>.
/// </summary>
public sealed class RestoreHandler(DatabaseTarget target)
{
    private static readonly byte[] SqliteMagic = Encoding.ASCII.GetBytes("SQLite format 3\0");
    private static readonly byte[] PgDumpMagic = Encoding.ASCII.GetBytes("PGDMP");

    public async Task<RestoreResult> HandleAsync(string backup, bool force = false, CancellationToken ct = default)
    {
        var file = Path.GetFullPath(backup);
        if (!File.Exists(file)) throw new InvalidRequestException("backup", $"{file} does not exist");
        var head = new byte[16];
        await using (var stream = File.OpenRead(file)) await stream.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, ct);
        string kind;
        string? keyNote = null;
        if (head.AsSpan().StartsWith(SqliteMagic))
        {
            if (!target.IsGeoPackage) throw new InvalidRequestException("db", $"{file} is a GeoPackage backup; restore it to a .gpkg file, not to PostgreSQL");
            kind = "GeoPackage";
            keyNote = await RestoreGeoPackageAsync(file, force, ct);
        }
        else if (head.AsSpan().StartsWith(PgDumpMagic))
        {
            if (target.IsGeoPackage) throw new InvalidRequestException("db", $"{file} is a PostgreSQL dump; restore it to a PostgreSQL database ('Host=…;Database=…')");
            kind = "PostgreSQL dump";
            await RestorePostgresAsync(file, force, ct);
        }
        else
        {
            throw new InvalidRequestException("backup", $"{file} is neither a GeoPackage backup nor a pg_dump archive (-Fc)");
        }

        // A database replaced by --force was dropped: pooled connections to it are dead, so check through a fresh one.
        var fresh = target.IsGeoPackage ? target : DatabaseTarget.ForServer(new NpgsqlConnectionStringBuilder(target.Value) { Pooling = false }.ConnectionString);
        await using var db = fresh.CreateContext();
        var pending = (await db.Database.GetPendingMigrationsAsync(ct)).Count();
        AuditVerification? audit = pending == 0 ? await AuditVerifier.VerifyAsync(db, null, ct) : null;
        return new RestoreResult(target.ToString(), kind, keyNote, audit, pending);
    }

    private async Task<string?> RestoreGeoPackageAsync(string file, bool force, CancellationToken ct)
    {
        var path = target.FilePath!;
        if (Path.GetFullPath(path) == file) throw new InvalidRequestException("db", "the backup and the target are the same file");
        if (File.Exists(path) && new FileInfo(path).Length > 0 && !force)
            throw new InvalidRequestException("force", $"{path} is not empty; restore to a new file, or add --force to replace it");
        await using var source = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        await source.OpenAsync(ct);
        await using (var check = source.CreateCommand())
        {
            check.CommandText = "SELECT count(*) FROM sqlite_master WHERE name = '__EFMigrationsHistory'";
            if (Convert.ToInt64(await check.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture) == 0)
                throw new InvalidRequestException("backup", $"{file} is a SQLite file but not a Groundtruth database");
        }
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        if (!File.Exists(path)) BackupHandler.CreateOwnerOnly(path);
        await using (var destination = new SqliteConnection(target.SqliteConnectionString))
        {
            await destination.OpenAsync(ct);
            source.BackupDatabase(destination);
            await using var check = destination.CreateCommand();
            check.CommandText = "PRAGMA integrity_check";
            var result = (string?)await check.ExecuteScalarAsync(ct);
            if (result != "ok") throw new BadDataException($"the restored database failed SQLite's integrity check: {result}");
        }

        var key = file + ".key";
        var targetKey = path + ".key";
        if (!File.Exists(key)) return File.Exists(targetKey) ? $"the backup has no key beside it; {targetKey} was left as it was" : null;
        if (File.Exists(targetKey) && !force && !File.ReadAllBytes(targetKey).AsSpan().SequenceEqual(File.ReadAllBytes(key)))
            return $"{targetKey} differs from the backup's key {key} and was left as it was (--force replaces it)";
        File.Copy(key, targetKey, overwrite: true);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(targetKey, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return $"the personal-data key {key} was copied to {targetKey}";
    }

    private async Task RestorePostgresAsync(string file, bool force, CancellationToken ct)
    {
        var builder = new NpgsqlConnectionStringBuilder(target.Value);
        var name = builder.Database ?? throw new InvalidRequestException("db", "the PostgreSQL connection string names no Database");
        var maintenance = new NpgsqlConnectionStringBuilder(target.Value) { Database = "postgres", Pooling = false };
        await using var admin = new NpgsqlConnection(maintenance.ConnectionString);
        await admin.OpenAsync(ct);
        await using (var exists = new NpgsqlCommand("SELECT count(*) FROM pg_database WHERE datname = @name", admin))
        {
            exists.Parameters.AddWithValue("name", name);
            if ((long)(await exists.ExecuteScalarAsync(ct))! > 0)
            {
                if (await TableCountAsync(builder, ct) > 0)
                {
                    if (!force) throw new InvalidRequestException("force", $"database {name} is not empty; restore to a new database, or add --force to replace it");
                }
                NpgsqlConnection.ClearAllPools();
                await Exec(admin, $"DROP DATABASE {Quote(name)} WITH (FORCE)", ct);
            }
        }
        await Exec(admin, $"CREATE DATABASE {Quote(name)}", ct);
        await PostgresTools.RestoreAsync(target.Value, file, ct);
        NpgsqlConnection.ClearAllPools();
    }

    private static async Task<long> TableCountAsync(NpgsqlConnectionStringBuilder builder, CancellationToken ct)
    {
        await using var conn = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(builder.ConnectionString) { Pooling = false }.ConnectionString);
        await conn.OpenAsync(ct);
        await using var cmd = new NpgsqlCommand(
            "SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema') AND tablename <> 'spatial_ref_sys'", conn);
        return (long)(await cmd.ExecuteScalarAsync(ct))!;
    }

    private static async Task Exec(NpgsqlConnection conn, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
