using Groundtruth.Application.Tests.Cli;
using Groundtruth.Application.Tests.Support;

namespace Groundtruth.Application.Tests.Import;

/// <summary>The <c>import</c> verb on spatial files: exit 0 imported, 1 bad data (named), 2 a --crs it cannot read.</summary>
public sealed class SpatialCliTests
{
    private static string Registers(string file) => TestData.File(Path.Combine("registers", file));

    [Fact]
    public async Task ImportVerb_ReadsAZippedShapefile_RefusesItUnmapped_AndRefusesAnUnreadableCrsAsAnArgument()
    {
        await using var t = await TestDatabase.CreateAsync(Backend.GeoPackage);
        var zip = Registers("hazards-national-grid.zip");

        var (unmapped, _, unmappedErr) = await CliProcess.RunAsync("--db", t.FilePath!, "import", "hazards", zip);
        unmapped.ShouldBe(1, unmappedErr);
        unmappedErr.ShouldContain("hazards-national-grid.zip:hazards-national-grid.shp:record 1: field 'HAZ_ID': unknown column for hazards");

        var (badCrs, _, badCrsErr) = await CliProcess.RunAsync("--db", t.FilePath!, "import", "hazards", zip, "--crs", "PROJCS[\"half");
        badCrs.ShouldBe(2, badCrsErr);
        badCrsErr.ShouldContain("--crs: the reference system's WKT cannot be read");

        var (ok, output, err) = await CliProcess.RunAsync("--db", t.FilePath!, "import", "hazards", zip, "--map", Registers("hazards-national-grid.map.json"));
        ok.ShouldBe(0, err);
        output.ShouldContain("hazards: 3 record(s) imported — 3 new");
        (await t.CountAsync("hazards")).ShouldBe(3);
    }
}
