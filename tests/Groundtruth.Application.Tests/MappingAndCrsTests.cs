using Groundtruth.Application.Datasets;
using Groundtruth.Application.Import;
using Groundtruth.Application.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Groundtruth.Application.Tests;

public sealed class MappingAndCrsTests
{
    /// <summary>The worked example of docs/import-mapping.md imports unedited.</summary>
    [Theory]
    [ClassData(typeof(Backends))]
    public async Task OperatorRegister_ImportsUnedited_ThroughItsMapping(Backend backend)
    {
        await using var t = await TestDatabase.CreateAsync(backend);
        var result = await t.ImportAsync(DatasetCatalog.Finds, TestData.File("mapping/operator-finds.csv"), map: TestData.File("mapping/operator-finds.map.json"));
        result.Inserted.ShouldBe(3);
        await using var db = t.Target.CreateContext();
        var finds = await db.Finds.AsNoTracking().OrderBy(f => f.Id).ToListAsync();
        finds.Select(f => f.FoundOn.ToString()).ShouldBe(["2023-05-03", "2024-02", "2022-11-17"]);
        finds.Select(f => f.Category).ShouldBe([Domain.OrdnanceCategory.AntiPersonnelMine, Domain.OrdnanceCategory.BoobyTrap, Domain.OrdnanceCategory.AntiPersonnelMine]);
        finds.Select(f => f.Quantity).ShouldBe([1, 1, 1200]);
        finds.ShouldAllBe(f => f.Source == "Fieldsafe Demining" && f.Emplacement == Domain.Emplacement.Emplaced);
        // The UTM 26S coordinates were made from these WGS84 points with GDAL's gdaltransform, rounded to 1 cm.
        double[][] expected = [[-24.565, -31.115], [-24.01, -31.01], [-24.3, -31.05]];
        for (var i = 0; i < 3; i++)
        {
            finds[i].Geometry!.X.ShouldBe(expected[i][0], 1e-6);
            finds[i].Geometry!.Y.ShouldBe(expected[i][1], 1e-6);
            finds[i].OriginalCrs.ShouldBe("EPSG:32726");
        }
        finds[0].OriginalWkt.ShouldBe("POINT (732213.24 6555102.23)");
    }

    [Fact]
    public async Task MappingFile_WithAnUnknownSetting_IsRejectedWithItsName()
    {
        await using var t = await TestDatabase.CreateAsync(Backend.GeoPackage);
        var map = Path.Combine(t.Directory, "bad.map.json");
        await File.WriteAllTextAsync(map, "{ \"colums\": {} }");
        var e = await Should.ThrowAsync<ImportRejectedException>(() => t.ImportAsync(DatasetCatalog.Finds, TestData.Programme("finds.csv"), map: map));
        e.Problems.Single().File.ShouldBe(map);
    }

    [Fact]
    public async Task UnsupportedCrs_IsAnArgumentError_ListingTheSupportedOnes()
    {
        await using var t = await TestDatabase.CreateAsync(Backend.GeoPackage);
        var e = await Should.ThrowAsync<InvalidRequestException>(() => t.ImportAsync(DatasetCatalog.Finds, TestData.Programme("finds.csv"), crs: "EPSG:2100"));
        e.Message.ShouldContain("32601");
    }

    [Fact]
    public async Task UtmPolygon_IsReprojected_AndItsOriginalKept()
    {
        await using var t = await TestDatabase.CreateAsync(Backend.GeoPackage);
        var file = Path.Combine(t.Directory, "hazards.csv");
        await File.WriteAllTextAsync(file, "id,classification,status,recorded_on,wkt\nHU,suspected,open,2024,\"POLYGON((732000 6555000,732100 6555000,732100 6555100,732000 6555100,732000 6555000))\"\n");
        await t.ImportAsync(DatasetCatalog.Hazards, file, crs: "EPSG:32726");
        await using var db = t.Target.CreateContext();
        var h = await db.Hazards.AsNoTracking().SingleAsync();
        h.OriginalWkt.ShouldStartWith("POLYGON ((732000 6555000");
        h.AreaM2.ShouldBe(10_000, 1.0, "a 100 m square measured back in its own UTM zone");
        h.Geometry!.EnvelopeInternal.MinX.ShouldBeInRange(-24.6, -24.5);
    }
}
