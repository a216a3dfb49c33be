using Groundtruth.Web.Setup;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Groundtruth.Web.Tests;

/// <summary>The real web host, in process, pointed at one database (a GeoPackage path or a PostgreSQL connection string).</summary>
public sealed class GroundtruthWebFactory(string database) : WebApplicationFactory<Program>
{
    /// <summary>The in-process server has no client address: every test's sign-ins share one partition, so the per-address limit is lifted here (the limit is tested on Kestrel).</summary>
    protected override void ConfigureWebHost(IWebHostBuilder builder) =>
        builder.UseSetting(GroundtruthSetup.DatabaseKey, database).UseSetting(SignInSetup.AttemptsPerMinuteKey, "100000");
}

/// <summary>One database with the four test hazards and one host over it, shared by every test that only reads.</summary>
public sealed class HazardsHost : IAsyncLifetime
{
    private TestDatabase? _database;

    public GroundtruthWebFactory Factory { get; private set; } = null!;

    public string DatabasePath => _database!.Path;

    public async ValueTask InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        Factory = new GroundtruthWebFactory(_database.Setting);
    }

    public async ValueTask DisposeAsync()
    {
        await Factory.DisposeAsync();
        if (_database is not null) await _database.DisposeAsync();
    }
}
