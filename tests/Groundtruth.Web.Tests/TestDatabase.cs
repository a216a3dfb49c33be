using System.Security.Cryptography;
using Groundtruth.Application.Datasets;
using Groundtruth.Application.Import;
using Groundtruth.Application.Storage;
using Groundtruth.Tests.Shared;
using Npgsql;

namespace Groundtruth.Web.Tests;

/// <summary>
/// A real database for one test or fixture: a GeoPackage file in a temporary folder of its own, or a new
/// database on the PostgreSQL server that .ci/run starts (GROUNDTRUTH_TEST_PG). Without that server a
/// PostgreSQL test is skipped locally and fails under CI=true, so CI never passes by skipping.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    public const string PostgresVariable = "GROUNDTRUTH_TEST_PG";

    /// <summary>Four fictional hazardous areas in the South Atlantic (lon -25..-23.5, lat -32..-30.8), one of them in two parts.</summary>
    public const string HazardsCsv = """
        id,name,classification,status,recorded_on,wkt
        HA-001,North field,confirmed,open,2019-05-12,"POLYGON((-24.90 -30.90, -24.88 -30.90, -24.88 -30.88, -24.90 -30.88, -24.90 -30.90))"
        HA-002,Riverbank,suspected,worked_on,2020-03,"POLYGON((-24.20 -31.40, -24.17 -31.40, -24.17 -31.38, -24.20 -31.38, -24.20 -31.40))"
        HA-003,South ridge,defined,closed,2018,"POLYGON((-24.80 -31.95, -24.78 -31.95, -24.78 -31.93, -24.80 -31.93, -24.80 -31.95))"
        HA-004,Twin plots,confirmed,open,2021-07-01,"MULTIPOLYGON(((-23.90 -31.80, -23.88 -31.80, -23.88 -31.78, -23.90 -31.78, -23.90 -31.80)), ((-23.70 -31.60, -23.68 -31.60, -23.68 -31.58, -23.70 -31.58, -23.70 -31.60)))"
        """;

    private readonly string? _postgresName;

    private TestDatabase(string folder, DatabaseTarget target, string? postgresName = null)
    {
        Folder = folder;
        Target = target;
        _postgresName = postgresName;
    }

    /// <summary>A scratch folder for this database's files (and the GeoPackage).</summary>
    public string Folder { get; }

    public DatabaseTarget Target { get; }

    /// <summary>What the host is configured with: the file path or the connection string.</summary>
    public string Setting => Target.Value;

    /// <summary>The GeoPackage file.</summary>
    public string Path => Target.FilePath ?? throw new InvalidOperationException("a PostgreSQL database has no file");

    /// <summary>An empty folder: the GeoPackage file does not exist.</summary>
    public static TestDatabase Missing()
    {
        var folder = NewFolder();
        return new TestDatabase(folder, DatabaseTarget.ForFile(System.IO.Path.Combine(folder, "groundtruth.gpkg")));
    }

    /// <summary>An initialised GeoPackage, holding <see cref="HazardsCsv"/> when <paramref name="withHazards"/>.</summary>
    public static async Task<TestDatabase> CreateAsync(bool withHazards = true)
    {
        var database = Missing();
        await database.FillAsync(withHazards);
        return database;
    }

    /// <summary>An initialised database of its own on the PostgreSQL test server, holding <see cref="HazardsCsv"/>.</summary>
    public static async Task<TestDatabase> CreatePostgresAsync()
    {
        var name = "gt_web_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        var connection = new NpgsqlConnectionStringBuilder(RequirePostgres()) { Database = name };
        var database = new TestDatabase(NewFolder(), DatabaseTarget.ForServer(connection.ConnectionString), name);
        await database.FillAsync(withHazards: true);
        return database;
    }

    /// <summary>The demo programme (seed 1, scale 1) with the test users, in a database of its own on the PostgreSQL test server.</summary>
    public static async Task<TestDatabase> CreatePostgresDemoAsync()
    {
        var name = "gt_web_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        var connection = new NpgsqlConnectionStringBuilder(RequirePostgres()) { Database = name };
        var database = new TestDatabase(NewFolder(), DatabaseTarget.ForServer(connection.ConnectionString), name);
        await new Groundtruth.Application.Demo.DemoHandler(database.Target, TimeProvider.System).HandleAsync(new Groundtruth.Application.Demo.DemoRequest(Seed: 1, Scale: 1, Actor: "test"));
        await TestUsers.AddAllAsync(database.Target);
        return database;
    }

    public async ValueTask DisposeAsync()
    {
        if (_postgresName is not null)
        {
            NpgsqlConnection.ClearAllPools();
            var server = new NpgsqlConnectionStringBuilder(RequirePostgres()) { Database = "postgres" };
            await using var connection = new NpgsqlConnection(server.ConnectionString);
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_postgresName}\" WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        }
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task FillAsync(bool withHazards)
    {
        // As init leaves it, copied from the one init this process ran (tests/Shared/InitialisedTemplates.cs).
        if (_postgresName is null) await InitialisedTemplates.CopyGeoPackageAsync(Path);
        else await InitialisedTemplates.ClonePostgresAsync(RequirePostgres(), _postgresName);
        await TestUsers.AddAllAsync(Target);
        if (!withHazards) return;
        var csv = System.IO.Path.Combine(Folder, "hazards.csv");
        await File.WriteAllTextAsync(csv, HazardsCsv);
        await new ImportHandler(Target, TimeProvider.System).HandleAsync(new ImportRequest(DatasetCatalog.Hazards, csv, Actor: "test"));
    }

    private static string NewFolder()
    {
        var folder = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "groundtruth-web-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        return folder;
    }

    private static string RequirePostgres()
    {
        var connection = Environment.GetEnvironmentVariable(PostgresVariable);
        if (!string.IsNullOrWhiteSpace(connection)) return connection;
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            Assert.Fail($"{PostgresVariable} is not set under CI: .ci/run must start PostgreSQL");
        Assert.Skip($"{PostgresVariable} is not set; start a server with: eval \"$(.ci/start-postgres.sh)\"");
        return "";
    }
}
