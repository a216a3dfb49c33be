using Groundtruth.Application.Tests.Cli;
using Groundtruth.Application.Tests.Support;

namespace Groundtruth.Application.Tests.Risk;

/// <summary>Exit codes of the risk and priorities verbs: 2 for bad arguments, 1 for data that cannot support a model.</summary>
public sealed class RiskCliTests
{
    [Fact]
    public async Task BadArguments_ExitTwo_AndAnEmptyDatabase_ExitsOne()
    {
        await using var t = await TestDatabase.CreateAsync(Backend.GeoPackage);
        var db = t.FilePath!;
        var (code, _, err) = await CliProcess.RunAsync("--db", db, "risk", "map", "--out", Path.Combine(t.Directory, "map.png"));
        code.ShouldBe(2, err);
        (code, _, err) = await CliProcess.RunAsync("--db", db, "risk", "evaluate");
        code.ShouldBe(2, err);
        err.ShouldContain("--split-date");
        (code, _, err) = await CliProcess.RunAsync("--db", db, "risk", "evaluate", "--split-date", "not-a-date");
        code.ShouldBe(2, err);
        (code, _, err) = await CliProcess.RunAsync("--db", db, "risk", "evaluate", "--split-date", "2020", "--background", "nowhere");
        code.ShouldBe(2, err);
        (code, _, err) = await CliProcess.RunAsync("--db", db, "risk", "map", "--out", Path.Combine(t.Directory, "map.tif"), "--origins", "9");
        code.ShouldBe(2, err);
        (code, _, err) = await CliProcess.RunAsync("--db", db, "risk", "map", "--out", Path.Combine(t.Directory, "map.tif"), "--distance-cap", "-5");
        code.ShouldBe(2, err);
        err.ShouldContain("--distance-cap");
        (code, _, err) = await CliProcess.RunAsync("--db", db, "risk", "map", "--out", Path.Combine(t.Directory, "map.tif"));
        code.ShouldBe(1, err);
        (code, _, err) = await CliProcess.RunAsync("--db", db, "priorities", "--weights", Path.Combine(t.Directory, "missing.json"));
        code.ShouldBe(2, err);
        (code, var output, err) = await CliProcess.RunAsync("--db", db, "priorities");
        code.ShouldBe(0, err);
        output.ShouldContain("RESTRICTED");
    }
}
