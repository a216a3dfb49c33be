using System.Text.Json.Nodes;
using Groundtruth.Analysis.Statistics;
using Groundtruth.Application.Datasets;
using Groundtruth.Application.Quality;
using Groundtruth.Application.Tests.Cli;
using Groundtruth.Application.Tests.Statistics;
using Groundtruth.Application.Tests.Support;

using FixedClock = Groundtruth.Application.Tests.Demo.FixedClock;

namespace Groundtruth.Application.Tests.Quality;

/// <summary><c>groundtruth check</c> finds each kind of problem planted in a hand-built programme, on both backends, and changes nothing.</summary>
public sealed class CheckTests
{
    private const string Finds = """
        id,found_on,category,model,quantity,emplacement,lon,lat
        F1,2021-03-01,anti_personnel_mine,PR-3,1,emplaced,-24.6,-31.2
        F2,2021-03-02,anti_personnel_mine,PR-3,1,emplaced,-24.600005,-31.200005
        F3,2021-03-10,anti_personnel_mine,PR-3,1,emplaced,-24.60001,-31.2
        F4,2021-04-01,anti_personnel_mine,K-7,400,emplaced,-24.5,-31.1
        F5,2021-04-02,uxo,,1,unknown,-24.0,-31.6
        F6,2021-04-03,uxo,,1,unknown,-24.1,-31.1
        F7,2021-05-01,anti_personnel_mine,PR-3,1,emplaced,-24.61,-31.2
        """;

    private const string Accidents = """
        id,occurred_on,kind,device_category,lon,lat
        A1,2021-05-10,mine_erw,anti_personnel_mine,-24.6,-31.2
        A2,2021-07-02,mine_erw,anti_vehicle_mine,-24.0,-31.2
        """;

    private const string Casualties = """
        id,accident_id,occurred_on,outcome,sex,age,status,source,lon,lat
        C1,A1,,injured,male,30,civilian,hospital,,
        C2,A1,,injured,male,30,civilian,police,,
        C3,A1,,injured,female,12,civilian,hospital,,
        C4,A1,,killed,female,40,civilian,hospital,,
        C5,A1,,injured,male,16,deminer,operator,,
        C6,A1,,killed,male,50,civilian,police,,
        C7,A1,,injured,female,35,civilian,hospital,,
        """;

    private const string Later = """
        id,accident_id,occurred_on,outcome,sex,age,status,source,lon,lat
        C6,A1,,injured,male,50,civilian,police,,
        """;

    private const string Hazards = """
        id,classification,status,recorded_on,wkt
        H1,confirmed,worked_on,2020-01-01,"POLYGON((-24.7 -31.2,-24.69 -31.2,-24.69 -31.19,-24.7 -31.19,-24.7 -31.2))"
        """;

    private const string Activities = """
        id,type,hazard_id,started_on,completed_on,status
        ACT1,clearance,H1,2021-01-01,2021-02-01,completed
        """;

    private const string LandRelease = """
        id,activity_id,hazard_id,method,released_on,wkt
        LR1,ACT1,H1,cleared,2021-02-01,"POLYGON((-24.7 -31.2,-24.68 -31.2,-24.68 -31.18,-24.7 -31.18,-24.7 -31.2))"
        """;

    private static async Task<TestDatabase> CreateAsync(Backend backend)
    {
        var t = await TestDatabase.CreateAsync(backend);
        async Task Import(DatasetSpec dataset, string text, string name)
        {
            var file = Path.Combine(t.Directory, name + ".csv");
            await File.WriteAllTextAsync(file, text);
            await t.ImportAsync(dataset, file);
        }
        await Import(DatasetCatalog.Places, StatsFixture.Places, "places");
        await Import(DatasetCatalog.Hazards, Hazards, "hazards");
        await Import(DatasetCatalog.Activities, Activities, "activities");
        await Import(DatasetCatalog.LandRelease, LandRelease, "land-release");
        await Import(DatasetCatalog.Finds, Finds, "finds");
        await Import(DatasetCatalog.Accidents, Accidents, "accidents");
        await Import(DatasetCatalog.Casualties, Casualties, "casualties");
        await Import(DatasetCatalog.Casualties, Later, "casualties-later");
        // Data that came in by other means than the importer, which would have refused it.
        await t.ScalarAsync("""UPDATE "finds" SET "found_on" = '2099-01-02' WHERE "id" = 'F6'; SELECT 0""");
        // A future year with a leading blank (the parser trims it) and this month, which has begun (not future).
        await t.ScalarAsync("""UPDATE "activities" SET "completed_on" = ' 2098' WHERE "id" = 'ACT1'; SELECT 0""");
        await t.ScalarAsync($"""UPDATE "land_release" SET "released_on" = '{DateTime.UtcNow:yyyy-MM}' WHERE "id" = 'LR1'; SELECT 0""");
        await t.ScalarAsync("""UPDATE "casualties" SET "age_group" = 'adult' WHERE "id" = 'C3'; SELECT 0""");
        await t.ScalarAsync("""UPDATE "casualties" SET "age" = 130 WHERE "id" = 'C4'; SELECT 0""");
        await t.ScalarAsync("""UPDATE "casualties" SET "outcome" = 'exploded' WHERE "id" = 'C7'; SELECT 0""");
        return t;
    }

    private static IReadOnlyList<string> Ids(QualityReport report, string check) =>
        [.. report.Checks.Single(c => c.Name == check).Findings.SelectMany(f => f.RecordIds)];

    [Theory]
    [ClassData(typeof(Backends))]
    public async Task Check_FindsEveryPlantedProblem_AndChangesNothing(Backend backend)
    {
        await using var t = await CreateAsync(backend);
        var before = await t.FingerprintAsync();
        var report = await new CheckHandler(t.Target, TimeProvider.System).HandleAsync();
        (await t.FingerprintAsync()).ShouldBe(before);

        Ids(report, "totals").ShouldBe(["C7", "H1"], ignoreOrder: true);
        Ids(report, "impossible_ages").ShouldBe(["C3", "C4", "C5"], ignoreOrder: true);
        Ids(report, "future_dates").ShouldBe(["F6", "ACT1"], ignoreOrder: true);
        Ids(report, "death_before_injury").ShouldBe(["C6"]);
        Ids(report, "outside_gazetteer").ShouldBe(["F5"]);
        Ids(report, "duplicate_casualties").ShouldBe(["C1", "C2"]);
        report.Checks.Single(c => c.Name == "duplicate_casualties").Findings.Single().Message.ShouldContain("hospital, police");
        Ids(report, "duplicate_finds").ShouldBe(["F1", "F2", "F3"]);
        Ids(report, "cached_as_laid").ShouldBe(["F4"]);
        var info = report.Checks.Single(c => c.Name == "accidents_without_casualties");
        info.Severity.ShouldBe(FindingSeverity.Information);
        info.Findings.SelectMany(f => f.RecordIds).ShouldBe(["A2"]);
        report.Errors.ShouldBe(2 + 3 + 2 + 1);
    }

    [Fact]
    public async Task CheckCommand_ExitsOneOnErrors_AndPrintsJson()
    {
        await using var t = await CreateAsync(Backend.GeoPackage);
        var (code, output, err) = await CliProcess.RunAsync("--db", t.FilePath!, "check", "--format", "json");
        code.ShouldBe(1, err);
        var json = JsonNode.Parse(output)!;
        json["errors"]!.GetValue<int>().ShouldBe(8);
        json["checks"]!.AsArray().Select(c => c!["check"]!.GetValue<string>()).ShouldContain("accidents_without_casualties");
        var (tableCode, table, _) = await CliProcess.RunAsync("--db", t.FilePath!, "check");
        tableCode.ShouldBe(1);
        table.ShouldContain("[information] accidents_without_casualties: 1 finding(s)");
        table.ShouldContain("Nothing was changed.");
    }

    [Fact]
    public async Task Check_OnTheDemo_HasNoErrors_AndListsAccidentsThatHurtNobody()
    {
        await using var t = await TestDatabase.CreateAsync(Backend.GeoPackage, initialise: false);
        await new Application.Demo.DemoHandler(t.Target, FixedClock.AtToday).HandleAsync(new Application.Demo.DemoRequest());
        var report = await new CheckHandler(t.Target, FixedClock.AtToday).HandleAsync();
        report.Errors.ShouldBe(0, CheckOutput.Table(report));
        report.Checks.Single(c => c.Name == "accidents_without_casualties").Findings.Count.ShouldBeGreaterThan(0);
        report.Checks.Single(c => c.Name == "cached_as_laid").Findings.ShouldBeEmpty("the demo's cache of 400 mines is marked cached");
    }
}
