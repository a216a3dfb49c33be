using System.Text.Json.Nodes;
using Groundtruth.Analysis.Records;
using Groundtruth.Application.Datasets;
using Groundtruth.Application.Records;
using Groundtruth.Application.Tests.Support;

namespace Groundtruth.Application.Tests.Records;

/// <summary>The hand-built fixture of tests/data/records/README.md gives its known answers on both backends.</summary>
public sealed class RecordAccuracyTests
{
    private static readonly RecordAccuracyOptions Window = new(new DateOnly(2023, 2, 1), new DateOnly(2023, 12, 31));

    private static async Task<TestDatabase> FixtureAsync(Backend backend)
    {
        var t = await TestDatabase.CreateAsync(backend);
        foreach (var name in new[] { "places", "organisations", "hazards", "minefield-records", "activities", "land-release", "finds", "accidents" })
            await t.ImportAsync(DatasetCatalog.Find(name)!, TestData.File($"records/{name}.csv"));
        return t;
    }

    private static Task<RecordAccuracyReport> ScoreAsync(TestDatabase t, RecordAccuracyOptions options, string? source = null, RecordGrouping by = RecordGrouping.None) =>
        new RecordAccuracyHandler(t.Target, TimeProvider.System).HandleAsync(new RecordAccuracyRequest(options, source, by));

    [Theory]
    [ClassData(typeof(Backends))]
    public async Task Fixture_GivesItsKnownFigures(Backend backend)
    {
        await using var t = await FixtureAsync(backend);
        var r = (await ScoreAsync(t, Window)).Overall;
        r.Records.ShouldBe(5);
        r.EvaluatedRecords.ShouldBe(3);
        r.ConfirmedRecords.ShouldBe(1);
        r.RecordConfirmationRate!.Value.ShouldBe(1.0 / 3, 1e-12);
        r.Finds.ShouldBe(8);
        r.FindsInsideRecords.ShouldBe(6);
        r.FindCoverage!.Value.ShouldBe(0.75, 1e-12);
        r.Accidents.ShouldBe(3);
        r.AccidentsOutsideRecords.ShouldBe(2);
        r.AccidentOutsideShare!.Value.ShouldBe(2.0 / 3, 1e-12);
        r.DevicesDeclared.ShouldBe(35);
        r.DevicesFoundInEvaluatedRecords.ShouldBe(5);
        r.MedianFindOffsetM.ShouldBe(0);
        r.P90FindOffsetM.ShouldNotBeNull().ShouldBeGreaterThan(40);
        var e = r.Exclusions;
        (e.DeminingAccidents, e.NonMineAccidents, e.ImpreciseAccidents, e.StraddlingAccidents, e.AccidentsBeforeLaying).ShouldBe((1, 1, 1, 1, 0));
        (e.SpotFindDevicesOutsideProcessedLand, e.CachedDevices, e.NonMineDevices, e.StraddlingFinds).ShouldBe((1L, 400L, 1L, 1));
        e.InvalidRecords.ShouldBeEmpty();
    }

    [Theory]
    [ClassData(typeof(Backends))]
    public async Task PerRecord_RowsCarryVerdictsAndProcessedShares(Backend backend)
    {
        await using var t = await FixtureAsync(backend);
        var rows = (await ScoreAsync(t, Window)).Overall.PerRecord.ToDictionary(r => r.Id);
        rows["R1"].ShouldSatisfyAllConditions(r => r.Verdict.ShouldBe(RecordVerdict.Confirmed), r => r.DevicesFoundInside.ShouldBe(5), r => r.ProcessedShare.ShouldBe(1, 1e-9));
        rows["R2"].ShouldSatisfyAllConditions(r => r.Verdict.ShouldBe(RecordVerdict.NotFoundAfterProcessing), r => r.DevicesFoundInside.ShouldBe(0));
        rows["R3"].ShouldSatisfyAllConditions(r => r.Verdict.ShouldBe(RecordVerdict.Confirmed), r => r.ProcessedShare.ShouldBe(0.3, 0.002));
        rows["R4"].ShouldSatisfyAllConditions(r => r.Verdict.ShouldBe(RecordVerdict.NotFoundAfterProcessing), r => r.ProcessedShare.ShouldBe(0.8, 0.002));
        rows["R5"].ShouldSatisfyAllConditions(r => r.Verdict.ShouldBe(RecordVerdict.NotYetProcessed), r => r.ProcessedShare.ShouldBe(0), r => r.BufferM.ShouldBe(30));
        // R2's nearest outside find is F4: 0.0003° west and south of its corner, about 28.6 m × 33.3 m.
        rows["R2"].NearestOutsideFindM.ShouldNotBeNull().ShouldBe(43.9, 1.0);
        // The areas are the squares in square metres (0.001° of longitude × 0.001° of latitude at 31.1°S).
        rows["R1"].AreaM2.ShouldBe(95.4 * 110.9, 150);
    }

    [Theory]
    [ClassData(typeof(Backends))]
    public async Task MinProcessed_MovesRecordsInAndOutOfTheEvaluation(Backend backend)
    {
        await using var t = await FixtureAsync(backend);
        (await ScoreAsync(t, Window with { MinProcessed = 0.25 })).Overall.ShouldSatisfyAllConditions(
            r => r.EvaluatedRecords.ShouldBe(4), r => r.ConfirmedRecords.ShouldBe(2));
        (await ScoreAsync(t, Window with { MinProcessed = 0.9 })).Overall.ShouldSatisfyAllConditions(
            r => r.EvaluatedRecords.ShouldBe(2), r => r.ConfirmedRecords.ShouldBe(1));
    }

    [Theory]
    [ClassData(typeof(Backends))]
    public async Task Buffer_CatchesTheFindBesideARecord_AndAPointRecordWithoutUncertaintyIsRefused(Backend backend)
    {
        await using var t = await FixtureAsync(backend);
        var buffered = (await ScoreAsync(t, Window with { BufferM = 50 })).Overall;
        buffered.FindsInsideRecords.ShouldBe(8, "F4 lies 44 m from R2");
        buffered.CoverageOverBuffer.Single(c => c.BufferM == 50).FindsInsideRecords.ShouldBe(8);
        buffered.CoverageOverBuffer.Single(c => c.BufferM == 0).FindsInsideRecords.ShouldBe(6);
        buffered.CoverageOverBuffer.Single(c => c.BufferM == 25).FindsInsideRecords.ShouldBe(6);

        await t.ImportAsync(DatasetCatalog.MinefieldRecords, TestData.File("records/unbuffered-record.csv"));
        var e = await Should.ThrowAsync<InvalidRequestException>(() => ScoreAsync(t, Window));
        e.Parameter.ShouldBe("buffer");
        e.Message.ShouldContain("R6");
        (await ScoreAsync(t, Window with { BufferM = 20 })).Overall.Records.ShouldBe(6);
    }

    [Theory]
    [ClassData(typeof(Backends))]
    public async Task BySource_ScoresEachSourceByTheSameMethod(Backend backend)
    {
        await using var t = await FixtureAsync(backend);
        var report = await ScoreAsync(t, Window, by: RecordGrouping.Source);
        var groups = report.Groups.ToDictionary(g => g.Group, g => g.Result);
        groups.Keys.ShouldBe(["Party A", "Party B", "Party C"]);
        groups["Party A"].ShouldSatisfyAllConditions(r => r.EvaluatedRecords.ShouldBe(2), r => r.ConfirmedRecords.ShouldBe(1), r => r.FindsInsideRecords.ShouldBe(5), r => r.Finds.ShouldBe(8));
        groups["Party B"].ShouldSatisfyAllConditions(r => r.EvaluatedRecords.ShouldBe(1), r => r.ConfirmedRecords.ShouldBe(0), r => r.FindsInsideRecords.ShouldBe(1), r => r.AccidentsOutsideRecords.ShouldBe(2));
        var only = (await ScoreAsync(t, Window, source: "Party B")).Overall;
        only.Records.ShouldBe(2);
        (await Should.ThrowAsync<InvalidRequestException>(() => ScoreAsync(t, Window, source: "Party Z"))).Parameter.ShouldBe("source");
        var byPlace = await ScoreAsync(t, Window, by: RecordGrouping.Place);
        byPlace.Groups.Select(g => g.Group).ShouldBe(["East Flats", "West Flats"]);
        byPlace.Groups.Single(g => g.Group == "West Flats").Result.Records.ShouldBe(3, "R1, R2 and R3 lie west of -24.475");
    }

    [Fact]
    public async Task Json_CarriesTheContractFields_AndIntervalsAroundTheFigures()
    {
        await using var t = await FixtureAsync(Backend.GeoPackage);
        var json = JsonNode.Parse(RecordAccuracyJson.Report(await ScoreAsync(t, Window)))!.AsObject();
        foreach (var field in new[] { "records", "evaluated_records", "confirmed_records", "record_confirmation_rate", "finds", "finds_inside_records",
                     "find_coverage", "accidents", "accidents_outside_records", "accident_outside_share", "median_find_offset_m", "p90_find_offset_m",
                     "devices_found_vs_declared", "exclusions", "per_record", "coverage_over_buffer", "definition", "caveat", "computed_at" })
            json.ContainsKey(field).ShouldBeTrue(field);
        var ci = json["find_coverage_ci"]!.AsArray().Select(x => (double)x!).ToArray();
        ci[0].ShouldBeLessThanOrEqualTo(0.75);
        ci[1].ShouldBeGreaterThanOrEqualTo(0.75);
        json["per_record"]!.AsArray().Count.ShouldBe(5);
        var features = JsonNode.Parse(RecordAccuracyJson.Features(await ScoreAsync(t, Window)))!;
        features["features"]!.AsArray().Select(f => (string)f!["properties"]!["verdict"]!).ShouldContain("not_yet_processed");
    }

    [Theory]
    [ClassData(typeof(Backends))]
    public async Task History_ReadsTheSameFiguresFromTheVersions_AndNothingBeforeTheImports(Backend backend)
    {
        await using var t = await FixtureAsync(backend);
        var current = (await ScoreAsync(t, Window)).Overall;
        var later = (await new RecordAccuracyHandler(t.Target, TimeProvider.System).HandleAsync(
            new RecordAccuracyRequest(Window, At: new Application.History.HistoryPoint(new DateOnly(2100, 1, 1), DateTime.UtcNow.AddDays(1))))).Overall;
        later.ShouldBeEquivalentTo(current);
        var before = (await new RecordAccuracyHandler(t.Target, TimeProvider.System).HandleAsync(
            new RecordAccuracyRequest(Window, At: new Application.History.HistoryPoint(null, DateTime.UtcNow.AddDays(-1))))).Overall;
        before.Records.ShouldBe(0);
        before.Finds.ShouldBe(0);
    }
}
