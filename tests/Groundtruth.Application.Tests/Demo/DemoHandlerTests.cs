using System.Text;
using Groundtruth.Application.Datasets;
using Groundtruth.Application.Demo;
using Groundtruth.Application.Security;
using Groundtruth.Application.Tests.Support;
using Groundtruth.Domain;
using Microsoft.EntityFrameworkCore;

namespace Groundtruth.Application.Tests.Demo;

/// <summary>Collects progress lines as they are reported, in order.</summary>
internal sealed class LinesProgress : IProgress<string>
{
    public List<string> Lines { get; } = [];
    public void Report(string value) => Lines.Add(value);
}

/// <summary>A GeoPackage filled once by <c>groundtruth demo</c> (seed 1, scale 1), and the files it was made from.</summary>
public sealed class DemoDatabaseFixture : IAsyncLifetime
{
    public TestDatabase Database { get; private set; } = null!;
    public DemoResult Result { get; private set; } = null!;
    public IReadOnlyList<string> Progress { get; private set; } = [];
    /// <summary>The same files written again (same seed, scale and day), to compare the database with.</summary>
    public IReadOnlyList<DemoFile> Files { get; private set; } = [];
    public string FilesDirectory { get; } = DemoCsv.NewDirectory();
    /// <summary>True when the environment configures a personal-data key (then the demo makes no key file).</summary>
    public bool KeyConfigured { get; } =
        !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(PersonalDataProtector.KeyVariable))
        || !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(PersonalDataProtector.KeyFileVariable));

    public async ValueTask InitializeAsync()
    {
        Database = await TestDatabase.CreateAsync(Backend.GeoPackage, initialise: false);
        var progress = new LinesProgress();
        Result = await new DemoHandler(Database.Target, FixedClock.AtToday).HandleAsync(new DemoRequest(Seed: 1, Scale: 1, Actor: "demo-test"), progress);
        Progress = progress.Lines;
        Files = DemoData.WriteFiles(FilesDirectory, 1, 1, FixedClock.Today, includePersonalData: true);
    }

    public async ValueTask DisposeAsync()
    {
        await Database.DisposeAsync();
        DemoCsv.Delete(FilesDirectory);
    }
}

/// <summary>The demo through the real importer into a real GeoPackage: everything imports, references hold, history is kept, personal data is encrypted.</summary>
public sealed class DemoHandlerTests(DemoDatabaseFixture demo) : IClassFixture<DemoDatabaseFixture>
{
    private TestDatabase Db => demo.Database;

    [Fact]
    public async Task EveryDataset_ImportsCompletely_InCatalogueOrder()
    {
        demo.Result.Imports.Select(i => i.Dataset).ShouldBe([
            "places", "organisations", "lines", "hazards", "minefield-records", "activities", "land-release", "hazards", "finds", "accidents", "casualties"]);
        demo.Result.Imports.Select(i => (long)i.RecordsRead).ShouldBe(demo.Files.Select(f => f.Records));
        foreach (var dataset in DatasetCatalog.All)
            (await Db.CountAsync(dataset.Table)).ShouldBe(demo.Files.Last(f => f.Dataset == dataset).Records, dataset.Name);
        (await Db.CountAsync("hazards")).ShouldBe(40);
        (await Db.CountAsync("finds")).ShouldBeInRange(1700, 2300);
        (await Db.CountAsync("accidents")).ShouldBe(400);
        (await Db.ScalarAsync("SELECT count(*) FROM submissions WHERE state = 'approved' AND source LIKE 'groundtruth demo%'")).ShouldBe(11);
        demo.Progress.Count.ShouldBe(12);
        demo.Progress[0].ShouldStartWith("generating the demo programme: seed 1, scale 1, as of 2026-06-15");
        demo.Progress[4].ShouldStartWith("hazards (earlier state): 40 record(s) imported");
        demo.Progress[8].ShouldStartWith("hazards: 40 record(s) imported");
    }

    [Fact]
    public async Task Hazards_HaveAHistory_OfLegalStatusChanges()
    {
        var second = demo.Result.Imports[7];
        second.Inserted.ShouldBe(0);
        second.Updated.ShouldBeGreaterThan(10);
        second.Unchanged.ShouldBeGreaterThan(0, "areas where nothing happened stay as they were");
        (await Db.CountAsync("hazards_versions")).ShouldBe(40 + second.Updated);

        await using var db = Db.Target.CreateContext();
        await db.Database.OpenConnectionAsync();
        await using var cmd = db.Database.GetDbConnection().CreateCommand();
        cmd.CommandText = """
            SELECT record_id, json_extract(data, '$.status'), json_extract(data, '$.status_reason'), date_of_information
            FROM hazards_versions ORDER BY record_id, version_id
            """;
        var versions = new List<(string Id, string Status, string? Reason, string Date)>();
        await using (var r = await cmd.ExecuteReaderAsync())
        {
            while (await r.ReadAsync()) versions.Add((r.GetString(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2), r.GetString(3)));
        }
        var cancelled = new HashSet<string>(StringComparer.Ordinal);
        cmd.CommandText = "SELECT DISTINCT hazard_id FROM land_release WHERE method = 'cancelled'";
        await using (var r = await cmd.ExecuteReaderAsync())
        {
            while (await r.ReadAsync()) cancelled.Add(r.GetString(0));
        }
        var changes = versions.GroupBy(v => v.Id).Where(g => g.Count() == 2).Select(g => (Before: g.First(), After: g.Last())).ToList();
        changes.Count.ShouldBe(second.Updated);
        foreach (var (before, after) in changes)
        {
            HazardStatusRules.Refusal(SnakeCase.Parse<HazardStatus>(before.Status), SnakeCase.Parse<HazardStatus>(after.Status), after.Reason, cancelled.Contains(after.Id)).ShouldBeNull(after.Id);
            string.CompareOrdinal(before.Date, after.Date).ShouldBeLessThanOrEqualTo(0, "the later state has the later date of information");
        }
        changes.Select(c => (c.Before.Status, c.After.Status)).Distinct().ShouldBe(
            [("open", "worked_on"), ("open", "closed"), ("closed", "handed_over"), ("handed_over", "worked_on")], ignoreOrder: true);
    }

    [Theory]
    [InlineData("finds", "activity_id", "activities")]
    [InlineData("finds", "hazard_id", "hazards")]
    [InlineData("land_release", "activity_id", "activities")]
    [InlineData("land_release", "hazard_id", "hazards")]
    [InlineData("activities", "hazard_id", "hazards")]
    [InlineData("activities", "organisation", "organisations")]
    [InlineData("casualties", "accident_id", "accidents")]
    [InlineData("places", "parent_id", "places")]
    [InlineData("organisations", "parent_id", "organisations")]
    public async Task References_NameRecordsThatExist(string table, string column, string target)
    {
        (await Db.ScalarAsync($"SELECT count(*) FROM \"{table}\" WHERE \"{column}\" IS NOT NULL")).ShouldBeGreaterThan(0);
        (await Db.ScalarAsync($"""
            SELECT count(*) FROM "{table}" t WHERE t."{column}" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "{target}" x WHERE x.id = t."{column}")
            """)).ShouldBe(0);
    }

    [Fact]
    public async Task LandRelease_ComesFromTheRightKindOfActivity()
    {
        (await Db.ScalarAsync("""
            SELECT count(*) FROM land_release l JOIN activities a ON a.id = l.activity_id
            WHERE NOT ((l.method = 'cancelled' AND a.type = 'non_technical_survey')
                    OR (l.method = 'reduced' AND a.type = 'technical_survey')
                    OR (l.method = 'cleared' AND a.type IN ('clearance', 'battle_area_clearance')))
            """)).ShouldBe(0);
        (await Db.ScalarAsync("SELECT count(DISTINCT method) FROM land_release")).ShouldBe(3);
        (await Db.ScalarAsync("SELECT count(*) FROM land_release WHERE area_m2 > 0")).ShouldBe(await Db.CountAsync("land_release"));
    }

    [Fact]
    public async Task TheStatementsFigures_HaveTheirRecords()
    {
        (await Db.ScalarAsync("SELECT count(*) FROM finds WHERE quantity = 400 AND emplacement = 'cached' AND category = 'anti_personnel_mine'")).ShouldBe(1);
        (await Db.ScalarAsync("SELECT count(*) FROM finds WHERE model = 'E-001 M' AND production_year IS NOT NULL")).ShouldBeGreaterThan(10);
        (await Db.ScalarAsync("SELECT count(DISTINCT found_on) FROM finds WHERE category = 'booby_trap' AND context IN ('house entrance', 'courtyard')")).ShouldBe(1);
        (await Db.ScalarAsync("SELECT count(*) FROM casualties WHERE occupation = 'journalist'")).ShouldBeGreaterThan(0);
        (await Db.ScalarAsync("SELECT count(DISTINCT source) FROM minefield_records")).ShouldBe(3);
        (await Db.ScalarAsync("SELECT count(*) FROM minefield_records WHERE source = 'Host Armed Forces'")).ShouldBeGreaterThan(0);
        var total = await Db.CountAsync("casualties");
        var military = await Db.ScalarAsync("SELECT count(*) FROM casualties WHERE status = 'military'");
        ((double)military / total).ShouldBeInRange(0.07, 0.18);
        (await Db.ScalarAsync("SELECT count(*) FROM casualties WHERE age IS NULL AND age_group <> 'unknown'")).ShouldBeGreaterThan(0);
        (await Db.ScalarAsync("SELECT count(*) FROM casualties WHERE accident_id IS NULL AND length(occurred_on) < 10 AND geom IS NOT NULL")).ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task PersonalData_IsEncrypted_UnderAKeyFileBesideTheDatabase()
    {
        if (!demo.KeyConfigured)
        {
            demo.Result.KeyFile.ShouldBe(Db.FilePath + ".key");
            File.Exists(demo.Result.KeyFile).ShouldBeTrue();
        }
        var named = DemoCsv.Read(demo.Files.Single(f => f.Name == "casualties").Path).Where(c => c["name"].Length > 0).ToList();
        named.Count.ShouldBeGreaterThan(20);
        (await Db.CountAsync("casualty_personal_data")).ShouldBe(named.Count);

        var columns = new List<string>();
        await using (var db = Db.Target.CreateContext())
        {
            await db.Database.OpenConnectionAsync();
            await using var cmd = db.Database.GetDbConnection().CreateCommand();
            cmd.CommandText = "SELECT name FROM pragma_table_info('casualties')";
            await using var r = await cmd.ExecuteReaderAsync();
            while (await r.ReadAsync()) columns.Add(r.GetString(0));
        }
        columns.ShouldContain("outcome");
        columns.ShouldNotContain("name");
        columns.ShouldNotContain("date_of_birth");
        columns.ShouldNotContain("injuries");
        var bytes = await File.ReadAllBytesAsync(Db.FilePath!);
        // Names and injuries appear nowhere in the file (dates of birth are dates like any other, so they are not searched for).
        foreach (var secret in named.Take(25).Select(c => c["name"]).Concat(named.Select(c => c["injuries"]).Distinct()))
            bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(secret)).ShouldBe(-1, $"'{secret}' is readable in the .gpkg");
    }

    [Fact]
    public async Task ADatabaseHoldingRecords_IsRefused_AndLeftAlone()
    {
        var before = await Db.CountAsync("submissions");
        var e = await Should.ThrowAsync<ConflictException>(() => new DemoHandler(Db.Target, FixedClock.AtToday).HandleAsync(new DemoRequest(Seed: 2)));
        e.Message.ShouldContain("empty database");
        (await Db.CountAsync("submissions")).ShouldBe(before);
    }

    [Fact]
    public async Task OnPostgreSql_WithoutAKey_TheDemoLeavesPersonalDataOut()
    {
        await using var t = await TestDatabase.CreateAsync(Backend.Postgres, initialise: false);
        var result = await new DemoHandler(t.Target, FixedClock.AtToday).HandleAsync(new DemoRequest(Seed: 1, Scale: 1));
        result.KeyFile.ShouldBeNull();
        result.Imports.Count.ShouldBe(11);
        foreach (var dataset in DatasetCatalog.All)
            (await t.CountAsync(dataset.Table)).ShouldBe(await Db.CountAsync(dataset.Table), dataset.Name);
        if (!demo.KeyConfigured) (await t.CountAsync("casualty_personal_data")).ShouldBe(0);
    }
}
