using Groundtruth.Application.Datasets;
using Groundtruth.Application.Export;
using Groundtruth.Application.Tests.Support;

namespace Groundtruth.Application.Tests;

public sealed class ExportTests
{
    public static TheoryData<Backend, string> BackendsAndFormats() => new()
    {
        { Backend.GeoPackage, ".csv" }, { Backend.GeoPackage, ".geojson" },
        { Backend.Postgres, ".csv" }, { Backend.Postgres, ".geojson" },
    };

    /// <summary>import(export(db)) holds the same records: exporting the re-imported copy gives the same bytes, for every dataset.</summary>
    [Theory]
    [MemberData(nameof(BackendsAndFormats))]
    public async Task RoundTrip_OfEveryDataset_KeepsEveryRecord(Backend backend, string format)
    {
        await using var source = await TestDatabase.CreateAsync(backend);
        await source.ImportProgrammeAsync();
        await using var copy = await TestDatabase.CreateAsync(backend);
        foreach (var d in DatasetCatalog.All)
        {
            var first = Path.Combine(source.Directory, d.Name + format);
            var exported = await new ExportHandler(source.Target, TimeProvider.System).HandleAsync(new ExportRequest(d, first));
            exported.Records.ShouldBe((int)await source.CountAsync(d.Table), d.Name);
            var imported = await copy.ImportAsync(d, first);
            imported.Inserted.ShouldBe(exported.Records, d.Name);
            var second = Path.Combine(copy.Directory, d.Name + format);
            await new ExportHandler(copy.Target, TimeProvider.System).HandleAsync(new ExportRequest(d, second));
            (await File.ReadAllTextAsync(second)).ShouldBe(await File.ReadAllTextAsync(first), $"{d.Name}{format} differs after a round trip");
            // The row hash is computed from the values: equal hashes mean equal records, geometry included.
            var again = await copy.ImportAsync(d, first);
            again.Unchanged.ShouldBe(exported.Records, $"{d.Name}: re-importing the export must change nothing");
        }
    }

    [Fact]
    public async Task CsvExport_WritesPointsAsLonLat_AndOtherGeometryAsWkt()
    {
        await using var t = await TestDatabase.CreateAsync(Backend.GeoPackage);
        await t.ImportProgrammeAsync();
        var finds = Path.Combine(t.Directory, "finds.csv");
        await new ExportHandler(t.Target, TimeProvider.System).HandleAsync(new ExportRequest(DatasetCatalog.Finds, finds));
        var lines = await File.ReadAllLinesAsync(finds);
        lines[0].ShouldEndWith(",lon,lat");
        lines.ShouldContain(l => l.StartsWith("F1,2023-05-03,anti_personnel_mine,E-001 M,1,2021,", StringComparison.Ordinal) && l.EndsWith(",-24.565,-31.115", StringComparison.Ordinal));
        var hazards = Path.Combine(t.Directory, "hazards.csv");
        await new ExportHandler(t.Target, TimeProvider.System).HandleAsync(new ExportRequest(DatasetCatalog.Hazards, hazards));
        (await File.ReadAllTextAsync(hazards)).ShouldContain("MULTIPOLYGON");
    }

    [Fact]
    public async Task UnsupportedFormat_IsAnArgumentError()
    {
        await using var t = await TestDatabase.CreateAsync(Backend.GeoPackage);
        await Should.ThrowAsync<InvalidRequestException>(() => new ExportHandler(t.Target, TimeProvider.System)
            .HandleAsync(new ExportRequest(DatasetCatalog.Finds, Path.Combine(t.Directory, "finds.ods"))));
    }
}
