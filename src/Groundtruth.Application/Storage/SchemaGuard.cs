using Microsoft.EntityFrameworkCore;

namespace Groundtruth.Application.Storage;

/// <summary>Raised when the database is missing or older than this version of Groundtruth.</summary>
public sealed class DatabaseNotReadyException(string message) : BadDataException(message);

/// <summary>Refuses to work on a database whose schema is not the one this build expects.</summary>
public static class SchemaGuard
{
    public static async Task EnsureCurrentAsync(GroundtruthDbContext db, CancellationToken ct = default)
    {
        if (db.IsSqlite)
        {
            var path = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(db.Database.GetConnectionString()).DataSource;
            if (!File.Exists(path)) throw new DatabaseNotReadyException($"{path} does not exist; create it with 'groundtruth init' (or 'groundtruth demo')");
        }
        IEnumerable<string> pending;
        try
        {
            pending = await db.Database.GetPendingMigrationsAsync(ct);
        }
        catch (Exception e) when (e is System.Data.Common.DbException)
        {
            throw new DatabaseNotReadyException($"cannot open the database: {e.Message}");
        }
        if (pending.Any())
            throw new DatabaseNotReadyException($"the database schema is not current ({pending.Count()} migration(s) pending); run 'groundtruth init' to create or upgrade it");
    }
}
