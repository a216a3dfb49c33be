using Groundtruth.Application.Datasets;
using Groundtruth.Application.History;
using Groundtruth.Application.Import;
using Groundtruth.Application.Tests.Demo;
using Groundtruth.Application.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Groundtruth.Application.Tests.LandReleases;

/// <summary>History has two clocks: the date of information and the recorded time (DESIGN section 6).</summary>
public sealed class HistoryTests
{
    private const string Square = "\"POLYGON((-24.60 -31.30,-24.58 -31.30,-24.58 -31.28,-24.60 -31.28,-24.60 -31.30))\"";
    private static readonly DateTimeOffset T1 = new(2024, 1, 10, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset T2 = new(2024, 2, 10, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset T3 = new(2024, 3, 10, 9, 0, 0, TimeSpan.Zero);

    private static async Task ImportAtAsync(TestDatabase t, DateTimeOffset when, string status, string recordedOn, string actor)
    {
        var file = Path.Combine(t.Directory, $"h-{when:yyyyMMdd}.csv");
        await File.WriteAllTextAsync(file, $"id,classification,status,recorded_on,wkt\nH1,confirmed,{status},{recordedOn},{Square}\n");
        await new ImportHandler(t.Target, new FixedClock(when)).HandleAsync(new ImportRequest(DatasetCatalog.Hazards, file, Actor: actor));
    }

    private static async Task<string?> StatusAsync(TestDatabase t, HistoryPoint point)
    {
        await using var db = t.Target.CreateContext();
        return (await VersionReader.ReadAsync(db, DatasetCatalog.Hazards, point)).SingleOrDefault()?.Text("status");
    }

    [Theory]
    [ClassData(typeof(Backends))]
    public async Task BackDatedCorrection_ChangesAsOf_ButNotWhatTheDatabaseHeldBefore(Backend backend)
    {
        await using var t = await TestDatabase.CreateAsync(backend);
        await ImportAtAsync(t, T1, "open", "2023-06-01", "alice");
        await ImportAtAsync(t, T2, "worked_on", "2023-09-01", "bob");
        // Entered in March, about July: the area had in fact been closed then.
        await ImportAtAsync(t, T3, "closed", "2023-07-01", "carol");

        (await StatusAsync(t, HistoryPoint.Current)).ShouldBe("worked_on", "September's information is the latest");
        (await StatusAsync(t, new HistoryPoint(new DateOnly(2023, 8, 1)))).ShouldBe("closed", "the correction changes what was true in August");
        (await StatusAsync(t, new HistoryPoint(new DateOnly(2023, 8, 1), T3.UtcDateTime))).ShouldBe("open", "before March the database said open");
        (await StatusAsync(t, new HistoryPoint(new DateOnly(2023, 10, 1), T2.AddDays(1).UtcDateTime))).ShouldBe("worked_on");
        (await StatusAsync(t, new HistoryPoint(new DateOnly(2023, 5, 1)))).ShouldBeNull("nothing was known in May");
        (await StatusAsync(t, new HistoryPoint(null, T1.AddMinutes(-1).UtcDateTime))).ShouldBeNull("nothing was recorded before the first import");

        // The current state is what is known as of now: the back-dated correction did not overwrite it.
        await using var db = t.Target.CreateContext();
        (await db.Hazards.AsNoTracking().SingleAsync()).Status.ShouldBe(Domain.HazardStatus.WorkedOn);
        (await db.AuditLog.AsNoTracking().Where(a => a.Action == "import").OrderBy(a => a.At).Select(a => a.Actor).ToListAsync()).ShouldBe(["alice", "bob", "carol"]);
    }

    [Theory]
    [ClassData(typeof(Backends))]
    public async Task PendingSubmissions_AreNotHistory(Backend backend)
    {
        await using var t = await TestDatabase.CreateAsync(backend);
        await ImportAtAsync(t, T1, "open", "2023-06-01", "alice");
        var file = Path.Combine(t.Directory, "pending.csv");
        await File.WriteAllTextAsync(file, $"id,classification,status,recorded_on,wkt\nH1,confirmed,worked_on,2023-09-01,{Square}\n");
        await new ImportHandler(t.Target, new FixedClock(T2)).HandleAsync(new ImportRequest(DatasetCatalog.Hazards, file, Pending: true));
        (await StatusAsync(t, HistoryPoint.Current)).ShouldBe("open");
    }

    [Theory]
    [ClassData(typeof(Backends))]
    public async Task Export_AtAPointInHistory_WritesTheRecordsAsTheyStood(Backend backend)
    {
        await using var t = await TestDatabase.CreateAsync(backend);
        await ImportAtAsync(t, T1, "open", "2023-06-01", "alice");
        await ImportAtAsync(t, T2, "worked_on", "2023-09-01", "bob");
        var file = Path.Combine(t.Directory, "then.csv");
        await new Export.ExportHandler(t.Target, TimeProvider.System).HandleAsync(
            new Export.ExportRequest(DatasetCatalog.Hazards, file, At: new HistoryPoint(null, T2.AddMinutes(-1).UtcDateTime)));
        var lines = await File.ReadAllLinesAsync(file);
        lines.Length.ShouldBe(2);
        lines[1].ShouldStartWith("H1,,confirmed,open,");
        lines[1].ShouldContain("MULTIPOLYGON");
    }

    [Theory]
    [ClassData(typeof(Backends))]
    public async Task Stats_AtAPointInHistory_CountWhatWasRecordedThen(Backend backend)
    {
        await using var t = await TestDatabase.CreateAsync(backend);
        await new ImportHandler(t.Target, new FixedClock(T1)).HandleAsync(new ImportRequest(DatasetCatalog.Accidents, TestData.Programme("accidents.csv")));
        var first = Path.Combine(t.Directory, "c1.csv");
        await File.WriteAllTextAsync(first, "id,accident_id,outcome,sex,status\nC1,AC1,injured,male,civilian\nC2,AC1,injured,female,civilian\n");
        await new ImportHandler(t.Target, new FixedClock(T1)).HandleAsync(new ImportRequest(DatasetCatalog.Casualties, first));
        // C1 later died of his injuries: a new version of the same casualty, not a second one.
        var second = Path.Combine(t.Directory, "c2.csv");
        await File.WriteAllTextAsync(second, "id,accident_id,outcome,sex,status\nC1,AC1,killed,male,civilian\nC3,AC2,injured,male,military\n");
        await new ImportHandler(t.Target, new FixedClock(T2)).HandleAsync(new ImportRequest(DatasetCatalog.Casualties, second));

        async Task<SortedDictionary<string, long>> Outcomes(HistoryPoint? at)
        {
            var report = await new Application.Statistics.StatsHandler(t.Target, TimeProvider.System).HandleAsync(new Application.Statistics.StatsRequest("casualties", By: ["outcome"], At: at));
            return new SortedDictionary<string, long>(report.Figures.Groups.ToDictionary(g => g.Values[0], g => g.Count ?? 0), StringComparer.Ordinal);
        }
        (await Outcomes(null)).ShouldBe(new SortedDictionary<string, long>(StringComparer.Ordinal) { ["injured"] = 2, ["killed"] = 1 });
        (await Outcomes(new HistoryPoint(null, T2.AddMinutes(-1).UtcDateTime))).ShouldBe(new SortedDictionary<string, long>(StringComparer.Ordinal) { ["injured"] = 2 });
        (await Outcomes(null)).ShouldBe(new SortedDictionary<string, long>(StringComparer.Ordinal) { ["injured"] = 2, ["killed"] = 1 }, "the history query did not touch the current figures");
    }
}
