using Groundtruth.Application.Datasets;
using Groundtruth.Application.Demo;
using Groundtruth.Application.Import;
using Groundtruth.Web.Tests.Statistics;

namespace Groundtruth.Web.Tests.Records;

/// <summary>
/// The demo programme (every demo minefield record carries a handling label) plus <see cref="Unlabelled"/>: two
/// records handed over with no label, so a viewer has something to see and an export something to keep.
/// </summary>
public sealed class LabelledDemoHost : IAsyncLifetime
{
    public static readonly IReadOnlyList<string> Unlabelled = ["MR-U1", "MR-U2"];

    private TestDatabase? _database;

    public DemoStatsFactory Factory { get; private set; } = null!;
    public TestDatabase Database => _database!;

    public async ValueTask InitializeAsync()
    {
        _database = TestDatabase.Missing();
        await new DemoHandler(_database.Target, new StoppedClock()).HandleAsync(new DemoRequest(Seed: 1, Scale: 1, Actor: "test"));
        await TestUsers.AddAllAsync(_database.Target);
        await ImportAsync("""
            id,source,reference,laid_on,handed_over_on,declared_devices,device_models,position_uncertainty_m,handling,wkt
            MR-U1,Test Brigade,TB/1,2021-11,2024-05-01,40,K-7,,,"POLYGON((-24.1915 -31.9455, -24.1900 -31.9455, -24.1900 -31.9440, -24.1915 -31.9440, -24.1915 -31.9455))"
            MR-U2,Test Brigade,TB/2,2021-12,2024-05-01,12,K-7,20,,"POINT(-24.60 -31.10)"
            """);
        Factory = new DemoStatsFactory(_database.Setting);
    }

    /// <summary>Imports minefield records (approved, as the CLI does).</summary>
    public async Task ImportAsync(string csv)
    {
        var file = Path.Combine(Database.Folder, $"records-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(file, csv);
        await new ImportHandler(Database.Target, TimeProvider.System).HandleAsync(new ImportRequest(DatasetCatalog.MinefieldRecords, file, Actor: "test"));
    }

    public async ValueTask DisposeAsync()
    {
        await Factory.DisposeAsync();
        if (_database is not null) await _database.DisposeAsync();
    }
}
