using Groundtruth.Application.Tests.Support;
using static Groundtruth.Application.Tests.Support.RegisterFixtures;

namespace Groundtruth.Application.Tests.Cli;

/// <summary><c>groundtruth import accidents export.xlsx</c> in its plainest form fills both datasets; a bad export exits 1 naming the cell.</summary>
public sealed class FieldFormCliTests
{
    [Fact]
    public async Task ImportKoboExport_PrintsOneLinePerDataset_AndABadOneExitsOneNamingTheCell()
    {
        await using var t = await TestDatabase.CreateAsync(Backend.GeoPackage);
        var bad = Path.Combine(t.Directory, "kobo-bad.xlsx");
        WriteKoboAccidents(bad, [Accidents[0] with { Casualties = [Accidents[0].Casualties[0] with { Sex = "m" }] }]);

        var (badCode, _, badErr) = await CliProcess.RunAsync("--db", t.FilePath!, "import", "accidents", bad);
        var (code, output, err) = await CliProcess.RunAsync("--db", t.FilePath!, "import", "accidents", PathOf(KoboAccidents));

        badCode.ShouldBe(1);
        badErr.ShouldContain($"{bad}:casualties!2: field 'sex' value 'm': unknown value");
        code.ShouldBe(0, err);
        output.ShouldContain("accidents: 4 record(s) imported — 4 new");
        output.ShouldContain("casualties: 6 record(s) imported — 6 new");
    }
}
