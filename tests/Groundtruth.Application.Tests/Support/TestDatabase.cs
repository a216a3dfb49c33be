using System.Security.Cryptography;
using Groundtruth.Application.Datasets;
using Groundtruth.Application.Import;
using Groundtruth.Application.Storage;
using Groundtruth.Tests.Shared;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Groundtruth.Application.Tests.Support;

/// <summary>The two storage backends every storage test runs on.</summary>
public enum Backend { GeoPackage, Postgres }

/// <summary>
/// A fresh, initialised database for one test: a GeoPackage in a temp directory, or a new database on
/// the PostgreSQL server that .ci/run starts (GROUNDTRUTH_TEST_PG). Without that server a PostgreSQL
/// test is reported as skipped locally and fails under CI=true, so CI never passes by skipping.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    public const string PostgresVariable = "GROUNDTRUTH_TEST_PG";

    private readonly string? _postgresName;

    private TestDatabase(Backend backend, DatabaseTarget target, string directory, string? postgresName)
    {
        Backend = backend;
        Target = target;
        Directory = directory;
        _postgresName = postgresName;
    }

    public Backend Backend { get; }
    public DatabaseTarget Target { get; }
    /// <summary>A scratch directory for this test's files (and the GeoPackage).</summary>
    public string Directory { get; }
    public string? FilePath => Target.FilePath;

    public static string NewDirectory()
    {
        var dir = Path.Combine(Path.GetTempPath(), "groundtruth-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>The PostgreSQL test server's connection string, or a skip (locally) / failure (CI).</summary>
    public static string RequirePostgres()
    {
        var cs = Environment.GetEnvironmentVariable(PostgresVariable);
        if (!string.IsNullOrWhiteSpace(cs)) return cs;
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            Assert.Fail($"{PostgresVariable} is not set under CI: .ci/run must start PostgreSQL");
        Assert.Skip($"{PostgresVariable} is not set; start a server with: eval \"$(.ci/start-postgres.sh)\"");
        return "";
    }

    public static async Task<TestDatabase> CreateAsync(Backend backend, bool initialise = true)
    {
        var dir = NewDirectory();
        DatabaseTarget target;
        string? pgName = null;
        if (backend == Backend.GeoPackage)
        {
            target = DatabaseTarget.ForFile(Path.Combine(dir, "test.gpkg"));
        }
        else
        {
            var builder = new NpgsqlConnectionStringBuilder(RequirePostgres());
            pgName = "gt_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
            builder.Database = pgName;
            target = DatabaseTarget.ForServer(builder.ConnectionString);
        }
        var db = new TestDatabase(backend, target, dir, pgName);
        // As init leaves it, copied from the one init this process ran (InitialisedTemplates).
        if (initialise && backend == Backend.GeoPackage) await InitialisedTemplates.CopyGeoPackageAsync(target.FilePath!);
        else if (initialise) await InitialisedTemplates.ClonePostgresAsync(RequirePostgres(), pgName!);
        return db;
    }

    public ImportHandler Importer(TimeProvider? clock = null) => new(Target, clock ?? TimeProvider.System);

    public Task<ImportResult> ImportAsync(DatasetSpec dataset, string file, string? map = null, string? crs = null, bool pending = false, bool dryRun = false, bool repair = false) =>
        Importer().HandleAsync(new ImportRequest(dataset, file, map, crs, dryRun, pending, repair, "test"));

    /// <summary>Imports the fixture programme in tests/data/programme (without personal data).</summary>
    public async Task ImportProgrammeAsync()
    {
        foreach (var d in DatasetCatalog.All) await ImportAsync(d, TestData.Programme(d.Name + ".csv"));
    }

    public async Task<long> ScalarAsync(string sql)
    {
        await using var db = Target.CreateContext();
        await db.Database.OpenConnectionAsync();
        await using var cmd = db.Database.GetDbConnection().CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task<double> ScalarDoubleAsync(string sql)
    {
        await using var db = Target.CreateContext();
        await db.Database.OpenConnectionAsync();
        await using var cmd = db.Database.GetDbConnection().CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToDouble(await cmd.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task<string?> ScalarTextAsync(string sql)
    {
        await using var db = Target.CreateContext();
        await db.Database.OpenConnectionAsync();
        await using var cmd = db.Database.GetDbConnection().CreateCommand();
        cmd.CommandText = sql;
        return await cmd.ExecuteScalarAsync() as string;
    }

    public Task<long> CountAsync(string table) => ScalarAsync($"SELECT count(*) FROM \"{table}\"");

    /// <summary>A fingerprint of the database's content: the GeoPackage's bytes, or every table's rows on PostgreSQL.</summary>
    public async Task<string> FingerprintAsync()
    {
        if (Backend == Backend.GeoPackage) return Convert.ToHexString(SHA256.HashData(await File.ReadAllBytesAsync(FilePath!)));
        var parts = new List<string>();
        foreach (var table in AllTables())
            parts.Add(table + ":" + await ScalarAsync($"SELECT count(*) FROM \"{table}\"") + ":" +
                      await ScalarAsync($"SELECT coalesce(sum(hashtext(t::text)::bigint), 0) FROM \"{table}\" t"));
        return string.Join(";", parts);
    }

    public static IEnumerable<string> AllTables() =>
        DatasetCatalog.All.SelectMany(d => new[] { d.Table, d.VersionsTable }).Concat(["submissions", "audit_log", "casualty_personal_data"]);

    public async ValueTask DisposeAsync()
    {
        if (_postgresName is not null)
        {
            NpgsqlConnection.ClearAllPools();
            var builder = new NpgsqlConnectionStringBuilder(RequirePostgres()) { Database = "postgres" };
            await using var conn = new NpgsqlConnection(builder.ConnectionString);
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_postgresName}\" WITH (FORCE)", conn);
            await cmd.ExecuteNonQueryAsync();
        }
        try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { }
    }
}

/// <summary>Paths of the fixtures in tests/data.</summary>
public static class TestData
{
    public static string RepositoryRoot { get; } = FindRoot();

    public static string Programme(string file) => Path.Combine(RepositoryRoot, "tests", "data", "programme", file);

    public static string File(string relative) => Path.Combine(RepositoryRoot, "tests", "data", relative);

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !System.IO.File.Exists(Path.Combine(dir.FullName, "Groundtruth.slnx"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("cannot find the repository root (Groundtruth.slnx) above " + AppContext.BaseDirectory);
    }
}

/// <summary>Both backends as theory data.</summary>
public sealed class Backends : TheoryData<Backend>
{
    public Backends()
    {
        Add(Backend.GeoPackage);
        Add(Backend.Postgres);
    }
}
