using Groundtruth.Application.Caching;
using Groundtruth.Application.Datasets;
using Groundtruth.Application.Statistics;
using Groundtruth.Application.Tests.Support;

namespace Groundtruth.Application.Tests.Caching;

/// <summary>
/// Versions per dataset (issue 11): a write to one dataset moves on the answers read from it and leaves those read
/// from others as they are — in <see cref="DataVersion"/>'s keys and in the statistics' column cache.
/// </summary>
public sealed class DataVersionTests
{
    private static async Task<string> OneMoreAsync(TestDatabase t, string dataset, string id)
    {
        var lines = await File.ReadAllLinesAsync(TestData.Programme(dataset + ".csv"));
        var path = Path.Combine(t.Directory, $"{dataset}-{id}.csv");
        // The fixture's first row under a new id: a record no import has seen.
        await File.WriteAllLinesAsync(path, [lines[0], id + lines[1][lines[1].IndexOf(',', StringComparison.Ordinal)..]]);
        return path;
    }

    [Theory]
    [InlineData(Backend.GeoPackage)]
    [InlineData(Backend.Postgres)]
    public async Task AWrite_MovesOnTheKeysOfItsDatasetOnly(Backend backend)
    {
        await using var t = await TestDatabase.CreateAsync(backend);
        await t.ImportProgrammeAsync();
        using var versions = new DataVersion(t.Target, TimeProvider.System, TimeSpan.FromHours(1));
        DatasetSpec[] finds = [DatasetCatalog.Finds];
        DatasetSpec[] casualties = [DatasetCatalog.Casualties, DatasetCatalog.Accidents];
        var finds1 = await versions.KeyAsync(finds);
        var casualties1 = await versions.KeyAsync(casualties);
        var all1 = await versions.CurrentAsync();

        (await t.ImportAsync(DatasetCatalog.Finds, await OneMoreAsync(t, "finds", "F-NEW-1"))).Inserted.ShouldBe(1);
        versions.Invalidate();
        var finds2 = await versions.KeyAsync(finds);
        finds2.Text.ShouldNotBe(finds1.Text);
        finds2.Order.ShouldBeGreaterThan(finds1.Order);
        (await versions.KeyAsync(casualties)).ShouldBe(casualties1);
        (await versions.CurrentAsync()).ShouldBeGreaterThan(all1);

        // A submission waiting for approval changes what pending answers read: the dataset's key moves on too.
        (await t.ImportAsync(DatasetCatalog.Casualties, await OneMoreAsync(t, "casualties", "CA-NEW-1"), pending: true)).Inserted.ShouldBe(1);
        versions.Invalidate();
        (await versions.KeyAsync(casualties)).Order.ShouldBeGreaterThan(casualties1.Order);
        (await versions.KeyAsync(finds)).ShouldBe(finds2);
    }

    [Fact]
    public async Task TheStatisticsColumns_AreKeptAcrossAWriteToAnotherDataset()
    {
        await using var t = await TestDatabase.CreateAsync(Backend.GeoPackage);
        await t.ImportProgrammeAsync();
        var source = new StatsSource();
        var fields = StatsFields.Of(DatasetCatalog.Casualties).Where(f => f.Name == "outcome").ToList();
        async Task<StatsSource.Loaded> LoadAsync()
        {
            await using var db = t.Target.CreateContext();
            return await source.GetAsync(db, DatasetCatalog.Casualties, fields, TestContext.Current.CancellationToken);
        }
        var first = await LoadAsync();
        var rows = first.Table.Count;

        (await t.ImportAsync(DatasetCatalog.Finds, await OneMoreAsync(t, "finds", "F-NEW-1"))).Inserted.ShouldBe(1);
        (await LoadAsync()).Table.ShouldBeSameAs(first.Table);

        (await t.ImportAsync(DatasetCatalog.Casualties, await OneMoreAsync(t, "casualties", "CA-NEW-1"))).Inserted.ShouldBe(1);
        var after = await LoadAsync();
        after.Table.ShouldNotBeSameAs(first.Table);
        after.Table.Count.ShouldBe(rows + 1);
        (await t.CountAsync("casualties")).ShouldBe(rows + 1);
    }
}
