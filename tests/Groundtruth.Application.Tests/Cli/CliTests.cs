using Groundtruth.Application.Tests.Support;

namespace Groundtruth.Application.Tests.Cli;

/// <summary>The command line as a user meets it: help, exit codes (0 ok, 1 bad data, 2 bad arguments), messages without stack traces.</summary>
public sealed class CliTests
{
    [Fact]
    public async Task Help_ListsTheVerbs()
    {
        var (code, output, _) = await CliProcess.RunAsync("--help");
        code.ShouldBe(0);
        foreach (var verb in new[] { "init", "import", "export", "demo", "datasets", "--db" }) output.ShouldContain(verb);
        var (importCode, importHelp, _) = await CliProcess.RunAsync("import", "--help");
        importCode.ShouldBe(0);
        foreach (var option in new[] { "--map", "--crs", "--dry-run", "--pending", "--repair" }) importHelp.ShouldContain(option);
    }

    [Theory]
    [InlineData("import", "mines", "x.csv")]
    [InlineData("import", "finds", "x.csv", "--bogus")]
    [InlineData("frobnicate")]
    public async Task BadArguments_ExitTwo_WithoutAStackTrace(params string[] args)
    {
        var (code, _, err) = await CliProcess.RunAsync(args);
        code.ShouldBe(2, err);
        err.ShouldNotContain("   at ");
    }

    [Fact]
    public async Task UnknownDataset_ListsTheValidOnes()
    {
        var (_, _, err) = await CliProcess.RunAsync("import", "mines", "x.csv");
        err.ShouldContain("minefield-records");
        err.ShouldContain("land-release");
    }

    [Fact]
    public async Task BadFile_ExitsOne_NamingEveryLine_AndLeavesTheFileByteForByte()
    {
        await using var t = await TestDatabase.CreateAsync(Backend.GeoPackage);
        await t.ImportProgrammeAsync();
        var bad = Path.Combine(t.Directory, "bad.csv");
        await File.WriteAllTextAsync(bad, "id,found_on,category,lon,lat\nB1,2023-01-01,uxo,-24.5,-31.1\nB2,2023-01-01,bomb,-24.5,-31.1\nB3,01/02/2023,uxo,-24.5,-31.1\nB4,2023-01-01,uxo,,-31.1\n");
        var before = await File.ReadAllBytesAsync(t.FilePath!);
        var (code, _, err) = await CliProcess.RunAsync("--db", t.FilePath!, "import", "finds", bad);
        code.ShouldBe(1, err);
        err.ShouldContain("bad.csv:3: field 'category' value 'bomb'");
        err.ShouldContain("bad.csv:4: field 'found_on' value '01/02/2023'");
        err.ShouldContain("bad.csv:5: field 'lon'");
        err.ShouldContain("nothing was imported");
        (await File.ReadAllBytesAsync(t.FilePath!)).ShouldBe(before);
    }

    [Fact]
    public async Task MissingDatabase_ExitsOne_AndSaysHowToCreateIt()
    {
        var dir = TestDatabase.NewDirectory();
        var (code, _, err) = await CliProcess.RunAsync("--db", Path.Combine(dir, "none.gpkg"), "import", "finds", TestData.Programme("finds.csv"));
        code.ShouldBe(1);
        err.ShouldContain("groundtruth init");
        File.Exists(Path.Combine(dir, "none.gpkg")).ShouldBeFalse();
    }

    [Fact]
    public async Task InitImportExport_WorkEndToEnd_WithTheDatabaseFromTheEnvironmentVariable()
    {
        var dir = TestDatabase.NewDirectory();
        var db = Path.Combine(dir, "env.gpkg");
        (await CliProcess.RunAsync("--db", db, "init")).Code.ShouldBe(0);
        var (code, output, err) = await CliProcess.RunAsync("--db", db, "import", "places", TestData.Programme("places.csv"));
        code.ShouldBe(0, err);
        output.ShouldContain("6 new");
        var out1 = Path.Combine(dir, "places.geojson");
        (await CliProcess.RunAsync("--db", db, "export", "places", out1)).Code.ShouldBe(0);
        (await File.ReadAllTextAsync(out1)).ShouldContain("\"Tollan\"");
    }
}
