using Groundtruth.Application.Admin;
using Groundtruth.Application.Storage;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Groundtruth.Benchmarks;

/// <summary>A store the benchmark creates fresh databases in, and its baseline bulk write.</summary>
internal interface IBackend
{
    string Name { get; }
    /// <summary>Whether the baseline rows need GeoPackage blobs.</summary>
    bool NeedsBlobs { get; }
    /// <summary>A new, empty database with the current schema (InitHandler), not timed.</summary>
    Task<DatabaseTarget> CreateAsync(string label);
    Task<long> SizeAsync(DatabaseTarget target);
    Task<long> CountFindsAsync(DatabaseTarget target);
    Task DropAsync(DatabaseTarget target);
    Task<double> BaselineWriteAsync(DatabaseTarget target, IReadOnlyList<FindRow> rows);
    string BaselineDescription { get; }
}

internal sealed class GeoPackageBackend(string dir) : IBackend
{
    public string Name => "gpkg";
    public bool NeedsBlobs => true;
    public string BaselineDescription => "prepared INSERT into finds, one transaction";
    public string Pragmas { get; private set; } = "";

    public async Task<DatabaseTarget> CreateAsync(string label)
    {
        var path = Path.Combine(dir, label + ".gpkg");
        if (File.Exists(path)) File.Delete(path);
        var target = DatabaseTarget.ForFile(path);
        await new InitHandler(target, TimeProvider.System).HandleAsync("bench");
        return target;
    }

    public Task<long> SizeAsync(DatabaseTarget target) => Task.FromResult(new FileInfo(target.FilePath!).Length);

    public async Task<long> CountFindsAsync(DatabaseTarget target)
    {
        await using var db = target.CreateContext();
        return await Sql.ScalarAsync(db, "SELECT count(*) FROM \"finds\"");
    }

    public Task DropAsync(DatabaseTarget target)
    {
        foreach (var f in new[] { target.FilePath!, target.FilePath + "-journal" }) if (File.Exists(f)) File.Delete(f);
        return Task.CompletedTask;
    }

    public async Task<double> BaselineWriteAsync(DatabaseTarget target, IReadOnlyList<FindRow> rows)
    {
        var (seconds, pragmas) = await Baseline.InsertGeoPackageAsync(target, rows);
        Pragmas = pragmas;
        return seconds;
    }
}

internal sealed class PostgresBackend(string connectionString) : IBackend
{
    private static int _counter;
    public string Name => "pg";
    public bool NeedsBlobs => false;
    public string BaselineDescription => "binary COPY into finds";

    public async Task<DatabaseTarget> CreateAsync(string label)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var name = $"{builder.Database ?? "groundtruth"}_bench_{Environment.ProcessId}_{Interlocked.Increment(ref _counter)}";
        await AdminAsync($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
        await AdminAsync($"CREATE DATABASE \"{name}\"");
        builder.Database = name;
        var target = DatabaseTarget.ForServer(builder.ConnectionString);
        await new InitHandler(target, TimeProvider.System).HandleAsync("bench");
        return target;
    }

    public async Task<long> SizeAsync(DatabaseTarget target)
    {
        await using var db = target.CreateContext();
        return await Sql.ScalarAsync(db, "SELECT pg_database_size(current_database())");
    }

    public async Task<long> CountFindsAsync(DatabaseTarget target)
    {
        await using var db = target.CreateContext();
        return await Sql.ScalarAsync(db, "SELECT count(*) FROM \"finds\"");
    }

    public Task DropAsync(DatabaseTarget target) =>
        AdminAsync($"DROP DATABASE IF EXISTS \"{new NpgsqlConnectionStringBuilder(target.Value).Database}\" WITH (FORCE)");

    public Task<double> BaselineWriteAsync(DatabaseTarget target, IReadOnlyList<FindRow> rows) => Baseline.CopyPostgresAsync(target, rows);

    /// <summary>The server settings that matter for bulk writes, read from the server.</summary>
    public async Task<Dictionary<string, string>> SettingsAsync()
    {
        var result = new Dictionary<string, string>();
        await using var conn = new NpgsqlConnection(Admin());
        await conn.OpenAsync();
        result["server_version"] = conn.PostgreSqlVersion.ToString();
        foreach (var name in new[]
                 {
                     "shared_buffers", "synchronous_commit", "fsync", "max_parallel_workers_per_gather", "full_page_writes", "wal_level",
                     "max_wal_size", "checkpoint_timeout", "work_mem", "maintenance_work_mem", "effective_io_concurrency",
                 })
        {
            await using var cmd = new NpgsqlCommand($"SHOW {name}", conn);
            result[name] = (string)(await cmd.ExecuteScalarAsync())!;
        }
        await using (var cmd = new NpgsqlCommand("SELECT extversion FROM pg_extension WHERE extname = 'postgis'", conn))
            result["postgis"] = (await cmd.ExecuteScalarAsync()) as string ?? "(not in the postgres database)";
        return result;
    }

    private string Admin() => new NpgsqlConnectionStringBuilder(connectionString) { Database = "postgres", Pooling = false }.ConnectionString;

    private async Task AdminAsync(string sql)
    {
        await using var conn = new NpgsqlConnection(Admin());
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }
}

internal static class Sql
{
    public static async Task<long> ScalarAsync(GroundtruthDbContext db, string sql)
    {
        await db.Database.OpenConnectionAsync();
        await using var cmd = db.Database.GetDbConnection().CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
