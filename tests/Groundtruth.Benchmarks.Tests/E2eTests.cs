using Groundtruth.Benchmarks.E2e;

namespace Groundtruth.Benchmarks.Tests;

/// <summary>The parts of <c>bench e2e</c> that do not time anything: the verb list and its filter, the options, the tables.</summary>
public class E2eTests
{
    private static ChildResult Ok(double wall, double peak) => new(wall, peak, 0, false, "");

    [Fact]
    public void TheVerbList_CoversEveryReadmeVerb_AndEachFormIsItsArguments()
    {
        var firstWords = E2eVerbs.All.Select(v => v.Args[0]).Distinct().ToList();
        firstWords.ShouldBe(["init", "datasets", "stats", "check", "hazards", "land-release", "records", "risk", "priorities", "report", "export", "import"], ignoreOrder: true);
        foreach (var dataset in E2eVerbs.ExportedDatasets)
        {
            E2eVerbs.All.ShouldContain(v => v.Form == $"export {dataset} {{out}}/{dataset}.csv");
            E2eVerbs.All.ShouldContain(v => v.Form == $"export {dataset} {{out}}/{dataset}.geojson");
        }
        foreach (var format in (string[])["json", "csv", "geojson"]) E2eVerbs.All.ShouldContain(v => v.Form == "hazards --format " + format);
        // A form is what a user types: its words are the arguments, except where a value is quoted.
        foreach (var v in E2eVerbs.All.Where(v => !v.Form.Contains('"') && v.Target == VerbTarget.Demo))
            string.Join(' ', v.Args).ShouldBe(v.Form);
        E2eVerbs.All.Select(v => v.Form).ShouldBeUnique();
    }

    [Fact]
    public void TheFilter_TakesWholeWordPrefixes_AndNamesAnUnknownOne()
    {
        var prefixes = E2eVerbs.ParseFilter(" stats finds , export ");
        prefixes.ShouldBe(["stats finds", "export"]);
        var chosen = E2eVerbs.Select(prefixes);
        chosen.Count.ShouldBe(2 + 2 * E2eVerbs.ExportedDatasets.Length);
        chosen.ShouldAllBe(v => v.Form.StartsWith("stats finds ") || v.Form.StartsWith("export "));
        E2eVerbs.Select([]).Count.ShouldBe(E2eVerbs.All.Count);

        // "stat" is not a verb: prefixes match whole words.
        Should.Throw<ArgumentException>(() => E2eVerbs.ParseFilter("stat")).Message.ShouldContain("'stat'");
        Should.Throw<ArgumentException>(() => E2eVerbs.ParseFilter(" , "));
    }

    [Fact]
    public void Expand_FillsThePlaceholders()
    {
        var verb = E2eVerbs.All.Single(v => v.Form.StartsWith("hazards --as-of", StringComparison.Ordinal));
        verb.Expand("/o", "/f.csv", "2030-01-01T00:00:00Z").ShouldBe(["hazards", "--as-of", "2024-12-31", "--recorded-before", "2030-01-01T00:00:00Z"]);
        E2eVerbs.All.Single(v => v.Args[0] == "import").Expand("/o", "/f.csv", "t").ShouldBe(["import", "finds", "/f.csv"]);
        E2eVerbs.All.Single(v => v.Form == "risk map --out {out}/risk.tif").Expand("/o", "", "").ShouldBe(["risk", "map", "--out", "/o/risk.tif"]);
    }

    [Fact]
    public void Options_ParseScalesAndBackends_AndRefuseNonsense()
    {
        var o = E2eOptions.Parse(["--scale", "500,2500", "--backend", "gpkg", "--runs", "3", "--timeout", "60", "--web", "--verbs", "stats"]);
        o.Scales.ShouldBe([500, 2500]);
        o.Gpkg.ShouldBeTrue();
        o.Pg.ShouldBeNull();
        o.Runs.ShouldBe(3);
        o.TimeoutSeconds.ShouldBe(60);
        o.Web.ShouldBeTrue();
        o.Verbs.ShouldBe(["stats"]);
        E2eOptions.Parse(["--backend", "pg", "--pg", "Host=h;Database=x"]).Gpkg.ShouldBeFalse();
        // The smallest scale first: the web host's targets and the growth table's base are set there.
        E2eOptions.Parse(["--scale", "2500,500,2500"]).Scales.ShouldBe([500, 2500]);
        E2eOptions.Parse(["--pg", "Host=h;Database=x"]).PgDatabase("gt_e2e_500").ShouldContain("Database=gt_e2e_500");
        Should.Throw<ArgumentException>(() => E2eOptions.Parse(["--backend", "sqlserver"])).Message.ShouldContain("sqlserver");
        Should.Throw<ArgumentException>(() => E2eOptions.Parse(["--runs", "0"]));
        Should.Throw<ArgumentException>(() => E2eOptions.Parse(["--scale"]));
        Should.Throw<ArgumentException>(() => E2eOptions.Parse(["--frobnicate"]));
    }

    [Fact]
    public void TheVerbTable_ShowsMedians_TimeoutsAndExitCodes_AgainstTheTargetsOfItsScale()
    {
        VerbRow[] rows =
        [
            new("stats a", "gpkg", [Ok(3, 100), Ok(1, 120), Ok(2, 90)], null),              // median 2 s, peak 120 MB: met
            new("stats b", "pg", [Ok(11, 100)], new SqlTime(0.5)),                           // over 10 s
            new("check", "gpkg", [new(120.2, null, -1, true, "")], null),                     // timeout
            new("hazards", "gpkg", [new(1, 80, 1, false, "bad data")], null),                 // failed
            new("export x", "pg", [Ok(4, 3000)], null),                                       // over 2 GiB
            new("demo --scale 500 (copied, not timed)", "gpkg", [], null),                    // nothing timed: not judged
        ];
        var table = E2eReport.VerbTable(500, rows);
        var lines = table.Split('\n');
        lines.ShouldContain("| `stats a` | gpkg | 2.00 s | 120 |  | met |");
        lines.ShouldContain("| `stats b` | pg | 11.0 s | 100 | 0.50 s | **missed** |");
        lines.ShouldContain("| `check` | gpkg | timeout (> 120 s) | – |  | **missed** |");
        lines.ShouldContain("| `hazards` | gpkg | exit 1 | – |  | **missed** |");
        lines.ShouldContain("| `export x` | pg | 4.00 s | 3,000 |  | **missed** |");
        lines.ShouldContain("| `demo --scale 500 (copied, not timed)` | gpkg | not run | – |  | – (not run) |");
        table.ShouldContain("1 of 5 met (1 not run).");
        table.ShouldContain("target ≤ 10 s, ≤ 2 GiB)");
    }

    [Fact]
    public void AtScale2500_AVerbSlowerThanPostgisMissesItsTarget()
    {
        var t = E2eTargets.For(2500);
        new VerbRow("stats", "pg", [Ok(2, 100)], new SqlTime(1.5)).Met(t).ShouldBeFalse();
        new VerbRow("stats", "pg", [Ok(2, 100)], new SqlTime(2.5)).Met(t).ShouldBeTrue();
        new VerbRow("stats", "pg", [Ok(2, 100)], SqlTime.Timeout).Met(t).ShouldBeTrue();
        new VerbRow("stats", "pg", [Ok(2, 100)], new SqlTime(1.5)).Met(E2eTargets.For(500)).ShouldBeTrue();
        new VerbRow("stats", "pg", [Ok(59, 6 * 1024 + 1)], null).Met(t).ShouldBeFalse();
    }

    [Fact]
    public void TheWebTable_AndTheGrowth_AreComputedFromTheirRows()
    {
        WebRow[] web =
        [
            new("GET /", "gpkg", 2.5, 200, [0.05, 0.01, 0.3], 200),     // warm median 50 ms: met
            new("GET /risk", "gpkg", null, 0, [], 0, "timeout"),
            new("GET /map", "gpkg", 0.4, 500, [0.01], 500),              // a server error never meets
            new("GET /priorities", "gpkg", 0.4, 200, [], 0),             // no warm response: not met
            new("POST /api/token", "gpkg", 0.55, 200, [], 200, NotCached: "a sign-in, never kept"), // judged on its one response
            new("host start → first /health", "gpkg", 3.5, 200, [], 200, NotCached: "a start, once"),
        ];
        var table = E2eReport.WebTable(500, web);
        table.ShouldContain("| `GET /` | gpkg | 2.50 s | 200 | 50 ms | met |");
        table.ShouldContain("| `GET /risk` | gpkg | timeout | 0 | – | **missed** |");
        table.ShouldContain("| `GET /priorities` | gpkg | 400 ms | 200 | – | **missed** |");
        table.ShouldContain("| `POST /api/token` | gpkg | 550 ms | 200 | – (a sign-in, never kept) | met |");
        table.ShouldContain("| `host start → first /health` | gpkg | 3.50 s | 200 | – (a start, once) | **missed** |");
        table.ShouldContain("2 of 6 met.");

        var computing = E2eReport.WebTable(500, [new("GET /api/risk/map [Prefer: respond-async]", "gpkg", 1.95, 202, [0.006, 0.005, 0.007], 200) { ReadySeconds = 9.4 }]);
        computing.ShouldContain("| `GET /api/risk/map [Prefer: respond-async]` | gpkg | 1.95 s (202; ready after 9.40 s) | 202 | 6 ms | met |");

        var growth = E2eReport.GrowthTable(500, [new("hazards", "gpkg", [Ok(2, 1)], null), new("check", "gpkg", [Ok(2, 1)], null)],
            2500, [new("hazards", "gpkg", [Ok(9, 1)], null), new("check", "gpkg", [Ok(13, 1)], null)]);
        growth.ShouldContain("| `hazards` | gpkg | 2.00 s | 9.00 s | 4.5 | met |");
        growth.ShouldContain("| `check` | gpkg | 2.00 s | 13.0 s | 6.5 | **over ~6** |");
    }

    [Fact]
    public void Median_OfAnEvenCount_IsTheMeanOfTheMiddleTwo()
    {
        VerbRow.Median([4, 1, 3, 2]).ShouldBe(2.5);
        VerbRow.Median([7]).ShouldBe(7);
        Should.Throw<ArgumentException>(() => VerbRow.Median([]));
    }

    [Fact]
    public void TheWebRoutes_IncludeEveryPage_AndEscapeTheIds()
    {
        var routes = E2eWeb.Routes("F 1", "HA/2", null, 7);
        routes.ShouldContain("/registers/finds/F%201");
        routes.ShouldContain("/entry/hazards/HA%2F2/status");
        routes.ShouldContain("/workbench/7");
        routes.ShouldNotContain(r => r.Contains("personal-data"));
        foreach (var page in (string[])["/", "/map", "/risk", "/priorities", "/entry", "/upload", "/workbench", "/audit", "/reports"]) routes.ShouldContain(page);
        routes.ShouldBeUnique();
        // Pages that start background work come after the routes whose first response it would slow.
        routes.ToList().IndexOf("/risk").ShouldBeGreaterThan(routes.ToList().IndexOf("/api/priorities"));
        routes.ToList().IndexOf("/priorities").ShouldBeGreaterThan(routes.ToList().IndexOf("/api/risk/map"));
        // The computing routes are asked both ways: waiting for the result, and as a client that takes a 202 with the progress.
        routes.ShouldContain("/api/risk/map" + E2eWeb.RespondAsync);
        routes.ShouldContain("/api/priorities" + E2eWeb.RespondAsync);
        routes.ShouldContain("/api/records/accuracy/verdicts" + E2eWeb.RespondAsync);
        routes.ToList().IndexOf("/risk").ShouldBeGreaterThan(routes.ToList().IndexOf("/api/priorities" + E2eWeb.RespondAsync));
    }
}
