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
        output.ShouldContain("No open hazardous area", Case.Sensitive, "an empty table says why it is empty");
        // A misspelt field of the weights file is named, with the fields there are (not the serializer's words).
        var weights = Path.Combine(t.Directory, "weights.json");
        await File.WriteAllTextAsync(weights, """{ "peopel": 0.3 }""", TestContext.Current.CancellationToken);
        (code, _, err) = await CliProcess.RunAsync("--db", db, "priorities", "--weights", weights);
        code.ShouldBe(2, err);
        err.ShouldContain("unknown field 'peopel'");
        err.ShouldContain("people");
        err.ShouldNotContain(".NET");
    }

    [Fact]
    public async Task OnADemo_WhatAUserMetIsAnsweredPlainly()
    {
        // Found by a user trying the verbs on the demo: a stack trace, a split date nothing could test, an option that did nothing,
        // one Brier score under the other model's heading.
        await using var t = await TestDatabase.CreateAsync(Backend.GeoPackage, initialise: false);
        await new Application.Demo.DemoHandler(t.Target, TimeProvider.System).HandleAsync(new Application.Demo.DemoRequest(Seed: 1));
        var db = t.FilePath!;
        var map = Path.Combine(t.Directory, "map.tif");

        // A cell so coarse one cell is processed: the model's reason, on one line, not the runtime's bundle of the branches' reasons.
        var (code, output, err) = await CliProcess.RunAsync("--db", db, "risk", "map", "--out", map, "--cell", "100000");
        code.ShouldBe(1, err);
        err.ShouldStartWith("error: cannot train");
        err.ShouldNotContain("AggregateException");
        err.ShouldNotContain(" at ");

        (code, _, err) = await CliProcess.RunAsync("--db", db, "risk", "evaluate", "--split-date", "2025-01-01", "--as-of", "2024-06-01");
        code.ShouldBe(2, err);
        err.ShouldContain("--split-date: 2025-01-01 is after the date the data is read as of (2024-06-01)");
        (code, _, err) = await CliProcess.RunAsync("--db", db, "risk", "evaluate", "--split-date", "2099-01-01");
        code.ShouldBe(2, err);
        err.ShouldContain("--split-date: 2099-01-01 is after the last date in the data");

        // The map's words: cell statuses as words, and the evaluation that validates this map (its cell).
        (code, output, err) = await CliProcess.RunAsync("--db", db, "risk", "map", "--out", map, "--cell", "500");
        code.ShouldBe(0, err);
        output.ShouldContain("Cells: not surveyed ");
        output.ShouldNotContain("not_surveyed");
        output.ShouldContain("Validate before use: groundtruth risk evaluate --split-date DATE --cell 500");

        // The map's choice always draws 200 samples: the map takes no --bootstrap rather than ignoring it.
        (code, _, err) = await CliProcess.RunAsync("--db", db, "risk", "map", "--out", map, "--bootstrap", "5");
        code.ShouldBe(2, err);
        err.ShouldContain("--bootstrap");

        (code, output, err) = await CliProcess.RunAsync("--db", db, "risk", "evaluate", "--split-date", "2025-01-01", "--bootstrap", "20");
        code.ShouldBe(0, err);
        var lines = output.Split('\n');
        var challenger = Array.FindIndex(lines, l => l.StartsWith("Challenger, boosted trees", StringComparison.Ordinal));
        challenger.ShouldBeGreaterThan(0, output);
        lines.Take(challenger).Count(l => l.StartsWith("Brier", StringComparison.Ordinal)).ShouldBe(1, "the logistic model's Brier score, in its own rows");
        lines.Skip(challenger).TakeWhile(l => l.Length > 0).Count(l => l.StartsWith("Brier", StringComparison.Ordinal)).ShouldBe(1, "the trees' own Brier score under their heading");
        output.ShouldContain("difference (points)");
        lines.First(l => l.StartsWith("10%", StringComparison.Ordinal)).ShouldMatch(@"\s[+-]\d+\.\d\s");
    }
}
