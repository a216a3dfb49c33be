using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Groundtruth.Application.Storage;

/// <summary>
/// Where the data lives: a GeoPackage file (the embedded default) or a PostgreSQL/PostGIS server,
/// told apart by the text the user gives to <c>--db</c> or <c>GROUNDTRUTH_DB</c>.
/// </summary>
public sealed class DatabaseTarget
{
    public const string DefaultPath = "groundtruth.gpkg";
    public const string EnvironmentVariable = "GROUNDTRUTH_DB";
    public const string SqliteMigrationsAssembly = "Groundtruth.Migrations.Sqlite";
    public const string PostgresMigrationsAssembly = "Groundtruth.Migrations.Postgres";

    private DatabaseTarget(StoreFlavour flavour, string value)
    {
        Flavour = flavour;
        Value = value;
    }

    public StoreFlavour Flavour { get; }

    /// <summary>The file path (GeoPackage) or connection string (PostgreSQL).</summary>
    public string Value { get; }

    public bool IsGeoPackage => Flavour == StoreFlavour.GeoPackage;

    /// <summary>The full path of the GeoPackage file; null for a server.</summary>
    public string? FilePath => IsGeoPackage ? Path.GetFullPath(Value) : null;

    /// <summary>A connection string of key=value pairs naming Host, or a postgres:// URL, is a server; anything else is a file path.</summary>
    public static DatabaseTarget Parse(string? text)
    {
        var value = string.IsNullOrWhiteSpace(text) ? Environment.GetEnvironmentVariable(EnvironmentVariable) : text;
        if (string.IsNullOrWhiteSpace(value)) value = DefaultPath;
        value = value.Trim();
        if (value.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || value.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
            return new DatabaseTarget(StoreFlavour.PostGis, FromUrl(new Uri(value)));
        if (value.Contains("host=", StringComparison.OrdinalIgnoreCase) && value.Contains('='))
            return new DatabaseTarget(StoreFlavour.PostGis, value);
        return new DatabaseTarget(StoreFlavour.GeoPackage, value);
    }

    public static DatabaseTarget ForFile(string path) => new(StoreFlavour.GeoPackage, path);

    public static DatabaseTarget ForServer(string connectionString) => new(StoreFlavour.PostGis, connectionString);

    public string SqliteConnectionString => new SqliteConnectionStringBuilder
    {
        DataSource = FilePath,
        Pooling = false,
        DefaultTimeout = 60,
    }.ToString();

    /// <param name="compiledModel">Use the model compiled ahead of time for the store (<see cref="CompiledModels"/>), when there is one; false
    /// builds it from the entity configuration (the migrations tooling and the test that holds the two equal).</param>
    public DbContextOptions<GroundtruthDbContext> Options(bool compiledModel = true)
    {
        var builder = new DbContextOptionsBuilder<GroundtruthDbContext>();
        if (compiledModel && CompiledModels.For(Flavour) is { } model) builder.UseModel(model);
        if (IsGeoPackage)
        {
            builder.UseSqlite(SqliteConnectionString, o => o.MigrationsAssembly(SqliteMigrationsAssembly));
            builder.AddInterceptors(GeoPackagePragmas.Instance);
        }
        else
        {
            builder.UseNpgsql(Value, o =>
            {
                o.UseNetTopologySuite();
                o.MigrationsAssembly(PostgresMigrationsAssembly);
                o.CommandTimeout(600);
            });
        }
        return builder.Options;
    }

    public GroundtruthDbContext CreateContext() => new(Options());

    /// <summary>A context on the model built from the entity configuration, not the compiled one (for the migrations tooling).</summary>
    public GroundtruthDbContext CreateContextBuildingTheModel() => new(Options(compiledModel: false));

    /// <summary>Where a user sees it: the file path, or the server without its password.</summary>
    public override string ToString()
    {
        if (IsGeoPackage) return FilePath!;
        var b = new DbConnectionStringBuilder { ConnectionString = Value };
        foreach (var k in new[] { "Password", "password", "Pwd" }) b.Remove(k);
        return "PostgreSQL " + b.ConnectionString;
    }

    private static string FromUrl(Uri uri)
    {
        var userInfo = uri.UserInfo.Split(':', 2);
        var parts = new List<string> { $"Host={uri.Host}", $"Database={uri.AbsolutePath.TrimStart('/')}" };
        if (uri.Port > 0) parts.Add($"Port={uri.Port}");
        if (userInfo[0].Length > 0) parts.Add($"Username={Uri.UnescapeDataString(userInfo[0])}");
        if (userInfo.Length > 1) parts.Add($"Password={Uri.UnescapeDataString(userInfo[1])}");
        return string.Join(';', parts);
    }
}

/// <summary>Durable by default: rollback journal with synchronous=FULL on every connection, so a copied .gpkg is complete.</summary>
internal sealed class GeoPackagePragmas : DbConnectionInterceptor
{
    public static readonly GeoPackagePragmas Instance = new();

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Apply(connection);
        return Task.CompletedTask;
    }

    public static void Apply(DbConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode=DELETE; PRAGMA synchronous=FULL; PRAGMA foreign_keys=OFF; PRAGMA temp_store=FILE;";
        command.ExecuteNonQuery();
    }
}
