using System.Security.Cryptography;
using Groundtruth.Application.Admin;
using Groundtruth.Application.Storage;
using Npgsql;

namespace Groundtruth.Tests.Shared;

/// <summary>
/// A database as <c>groundtruth init</c> leaves it, made once per test process by the real <see cref="InitHandler"/> and
/// copied for each test that asks for an initialised database: a copy of the GeoPackage file, or on PostgreSQL a new
/// database made with <c>CREATE DATABASE … TEMPLATE</c>. Each init on PostgreSQL created the PostGIS extension and ran
/// every migration, about 3 processor seconds of the server's and 2 of the test's, and CI creates hundreds of
/// databases (docs/benchmarks.md, "CI's time"). The init itself is tested where it is the subject (a missing file, an
/// upgrade, a foreign file, the CLI's <c>init</c>): those tests start from no database. Compiled into each test project
/// that uses it (tests/Shared): one template per test process.
/// </summary>
internal static class InitialisedTemplates
{
    private static readonly Lazy<Task<string>> GeoPackage = new(MakeGeoPackageAsync);
    private static readonly Lock Lock = new();
    private static Lazy<Task<string>>? _postgres;
    /// <summary>One copy of the template at a time: a CREATE DATABASE reads the template while it copies it.</summary>
    private static readonly SemaphoreSlim Cloning = new(1, 1);

    private static Lazy<Task<string>> Postgres(string server)
    {
        lock (Lock) return _postgres ??= new(() => MakePostgresAsync(server));
    }

    /// <summary>Writes an initialised GeoPackage at <paramref name="path"/> (which must not exist).</summary>
    public static async Task CopyGeoPackageAsync(string path) => File.Copy(await GeoPackage.Value, path);

    /// <summary>Creates the database <paramref name="name"/> on the test server as an initialised copy of the template.</summary>
    /// <param name="server">The test server's connection string (any database).</param>
    public static async Task ClonePostgresAsync(string server, string name)
    {
        var template = await Postgres(server).Value;
        await Cloning.WaitAsync();
        try
        {
            await using var connection = new NpgsqlConnection(Maintenance(server));
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\" TEMPLATE \"{template}\"", connection);
            await create.ExecuteNonQueryAsync();
        }
        finally
        {
            Cloning.Release();
        }
    }

    private static string Maintenance(string server) => new NpgsqlConnectionStringBuilder(server) { Database = "postgres", Pooling = false }.ConnectionString;

    private static async Task<string> MakeGeoPackageAsync()
    {
        var folder = Path.Combine(Path.GetTempPath(), "groundtruth-templates", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, "initialised.gpkg");
        await new InitHandler(DatabaseTarget.ForFile(path), TimeProvider.System).HandleAsync("test");
        // The store's connections are not pooled and its journal is deleted on commit: the file is whole once init returns.
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        };
        return path;
    }

    private static async Task<string> MakePostgresAsync(string server)
    {
        var name = "gt_template_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        var connection = new NpgsqlConnectionStringBuilder(server) { Database = name };
        await new InitHandler(DatabaseTarget.ForServer(connection.ConnectionString), TimeProvider.System).HandleAsync("test");
        // A template must have no session open while it is copied: the init's pooled connections are ended, and no one
        // connects again.
        await using (var maintenance = new NpgsqlConnection(Maintenance(server)))
        {
            await maintenance.OpenAsync();
            await using var close = new NpgsqlCommand(
                $"ALTER DATABASE \"{name}\" WITH ALLOW_CONNECTIONS false; SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'", maintenance);
            await close.ExecuteNonQueryAsync();
        }
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                using var maintenance = new NpgsqlConnection(Maintenance(server));
                maintenance.Open();
                using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", maintenance);
                drop.ExecuteNonQuery();
            }
            catch (NpgsqlException)
            {
                // The server is gone (CI stops it after the tests): nothing left to drop.
            }
        };
        return name;
    }
}
