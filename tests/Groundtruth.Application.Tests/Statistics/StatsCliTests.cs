using System.Text.Json.Nodes;
using Groundtruth.Application.Tests.Cli;
using Groundtruth.Application.Tests.Support;

namespace Groundtruth.Application.Tests.Statistics;

/// <summary><c>groundtruth stats</c> as a user runs it: formats, quoting, exit code 2 with the valid choices and no stack trace.</summary>
public sealed class StatsCliTests
{
    [Fact]
    public async Task Stats_PrintsTable_Json_AndCsv()
    {
        await using var t = await StatsFixture.CreateAsync(Backend.GeoPackage);
        var (code, table, err) = await CliProcess.RunAsync("--db", t.FilePath!, "stats", "finds", "--where", "model=E-001 M", "--by", "place");
        code.ShouldBe(0, err);
        table.ShouldContain("Definition:");
        table.ShouldContain("Computed at ");
        table.ShouldContain("model = E-001 M");
        table.ShouldContain("East");

        var (jsonCode, json, _) = await CliProcess.RunAsync("--db", t.FilePath!, "stats", "finds", "--from", "2021", "--to", "2021", "--where", "model=E-001 M", "--format", "json");
        jsonCode.ShouldBe(0);
        var node = JsonNode.Parse(json)!;
        node["total"]!.GetValue<long>().ShouldBe(3);
        node["records"]!.GetValue<long>().ShouldBe(2);
        node["definition"]!.GetValue<string>().ShouldContain("devices");

        var (csvCode, csv, _) = await CliProcess.RunAsync("--db", t.FilePath!, "stats", "casualties", "--by", "sex,status", "--format", "csv");
        csvCode.ShouldBe(0);
        csv.Split('\n')[0].ShouldBe("sex,status,count,share_of_known,suppressed");
        csv.ShouldContain("female,civilian,2,0.4,false");
    }

    [Theory]
    [InlineData("casualties")]
    [InlineData("finds")]
    [InlineData("accidents")]
    public async Task Stats_WithoutGrouping_PrintsOneTotalRow_InEveryFormat(string dataset)
    {
        await using var t = await StatsFixture.CreateAsync(Backend.GeoPackage);
        var (jsonCode, json, jsonErr) = await CliProcess.RunAsync("--db", t.FilePath!, "stats", dataset, "--format", "json");
        jsonCode.ShouldBe(0, jsonErr);
        var total = JsonNode.Parse(json)!["total"]!.GetValue<long>();
        total.ShouldBeGreaterThan(0);

        var (code, table, err) = await CliProcess.RunAsync("--db", t.FilePath!, "stats", dataset);
        code.ShouldBe(0, err);
        err.ShouldNotContain("   at ");
        table.Split('\n').ShouldContain(l => l.StartsWith("total", StringComparison.Ordinal) && l.Contains($" {total:N0}", StringComparison.Ordinal));
        table.ShouldContain("Definition:");

        var (csvCode, csv, _) = await CliProcess.RunAsync("--db", t.FilePath!, "stats", dataset, "--format", "csv");
        csvCode.ShouldBe(0);
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Length.ShouldBe(2, "a header and one row of the total");
        lines[1].ShouldStartWith($"{total},");
    }

    [Theory]
    [InlineData("unknown field 'colour'", "stats", "finds", "--where", "colour=red")]
    [InlineData("valid: unknown, female, male", "stats", "casualties", "--where", "sex=woman")]
    [InlineData("valid fields:", "stats", "casualties", "--by", "colour")]
    [InlineData("YYYY-MM-DD", "stats", "finds", "--from", "2021-13")]
    [InlineData("ambiguous", "stats", "finds", "--in", "Twin")]
    [InlineData("D1 West", "stats", "finds", "--in", "Atlantis")]
    [InlineData("casualties, finds, accidents", "stats", "mines")]
    [InlineData("table", "stats", "finds", "--format", "xml")]
    public async Task BadArguments_ExitTwo_WithTheValidChoices(string expected, params string[] args)
    {
        await using var t = await StatsFixture.CreateAsync(Backend.GeoPackage);
        var (code, _, err) = await CliProcess.RunAsync(["--db", t.FilePath!, .. args]);
        code.ShouldBe(2, err);
        err.ShouldContain(expected);
        err.ShouldNotContain("   at ");
    }
}
