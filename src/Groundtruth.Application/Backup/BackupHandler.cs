using Groundtruth.Application.Audit;
using Groundtruth.Application.Storage;
using Microsoft.Data.Sqlite;

namespace Groundtruth.Application.Backup;

/// <summary>What <c>groundtruth backup</c> wrote: the file, its size, the key copied beside it (if any) and the chain it holds.</summary>
public sealed record BackupResult(string File, long Bytes, string? KeyFile, string? KeyNote, AuditVerification? Audit);

/// <summary>
/// An online, consistent copy of the database while others write (docs/decisions/0021-audit-chain-and-backups.md).
/// GeoPackage: SQLite's online backup API copies every page under one read transaction, so writers wait for it and
/// the copy is one committed state; the personal-data key kept beside the file (<c>F.gpkg.key</c>) is copied beside
/// the backup unless told not to. PostgreSQL: <c>pg_dump -Fc</c>, which reads one snapshot.
/// The backup is written under a temporary name and renamed when complete, so a killed backup leaves no file that
/// looks whole, and is readable by its owner only.
/// </summary>
public sealed class BackupHandler(DatabaseTarget target)
{
    public async Task<BackupResult> HandleAsync(string output, bool withoutKey = false, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(output);
        var file = Path.GetFullPath(output);
        if (File.Exists(file)) throw new InvalidRequestException("out", $"{file} exists; choose another file (a backup never overwrites)");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        await using (var db = target.CreateContext()) await SchemaGuard.EnsureCurrentAsync(db, ct);
        var partial = file + ".partial";
        File.Delete(partial);
        CreateOwnerOnly(partial);
        try
        {
            if (target.IsGeoPackage) await CopyGeoPackageAsync(partial, ct);
            else await PostgresTools.DumpAsync(target.Value, partial, ct);
            File.Move(partial, file);
        }
        finally
        {
            File.Delete(partial);
        }
        AuditVerification? audit = null;
        string? keyFile = null, keyNote;
        if (target.IsGeoPackage)
        {
            audit = await new AuditVerifier(DatabaseTarget.ForFile(file)).VerifyAsync(null, ct);
            var key = target.FilePath + ".key";
            if (!File.Exists(key)) keyNote = "no personal-data key beside the database (the key, if any, comes from GROUNDTRUTH_PERSONAL_DATA_KEY or GROUNDTRUTH_KEY_FILE): keep a copy of it apart from this backup";
            else if (withoutKey) keyNote = $"the personal-data key {key} was NOT copied (--without-key): without it the casualties' personal data in this backup cannot be read";
            else
            {
                keyFile = file + ".key";
                File.Copy(key, keyFile, overwrite: false);
                if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(keyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                keyNote = $"the personal-data key was copied to {keyFile}: whoever holds both files can read casualties' names; store the key apart from the backup";
            }
        }
        else
        {
            keyNote = "the personal-data key is not in the database (GROUNDTRUTH_PERSONAL_DATA_KEY or GROUNDTRUTH_KEY_FILE): keep a copy of it apart from this backup";
        }
        return new BackupResult(file, new FileInfo(file).Length, keyFile, keyNote, audit);
    }

    /// <summary>Creates an empty file readable and writable by its owner only (the backup holds everything the database holds).</summary>
    internal static void CreateOwnerOnly(string path)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using var stream = new FileStream(path, options);
    }

    private async Task CopyGeoPackageAsync(string destination, CancellationToken ct)
    {
        await using var source = new SqliteConnection(target.SqliteConnectionString);
        await source.OpenAsync(ct);
        await using var copy = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = destination, Pooling = false }.ToString());
        await copy.OpenAsync(ct);
        // A writer holding the file's lock makes the copy fail with "busy"/"locked" (the online backup takes no busy
        // timeout of its own): start again after a moment, for up to a minute, so a backup runs while the web app writes.
        for (var wait = System.Diagnostics.Stopwatch.StartNew(); ; )
        {
            try
            {
                source.BackupDatabase(copy);
                break;
            }
            catch (SqliteException e) when (e.SqliteErrorCode is 5 or 6 && wait.Elapsed < TimeSpan.FromMinutes(1))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50 + Random.Shared.Next(100)), ct);
            }
        }
        await using var check = copy.CreateCommand();
        check.CommandText = "PRAGMA integrity_check";
        var result = (string?)await check.ExecuteScalarAsync(ct);
        if (result != "ok") throw new BadDataException($"the copy failed SQLite's integrity check: {result}");
    }
}
