using System.Text.Json.Nodes;
using Groundtruth.Application.Datasets;
using Groundtruth.Application.Entry;
using Groundtruth.Application.Import;
using Groundtruth.Application.Security;
using Groundtruth.Application.Tests.Support;

namespace Groundtruth.Application.Tests.Entry;

/// <summary>National ids given by a pattern (issue 13 part 4): format, the next number after every stored id, and no id given twice when two editors save at once.</summary>
public sealed class EntryIdTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed class Today(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private static readonly TimeProvider Clock = new Today(new DateTimeOffset(2026, 3, 14, 9, 0, 0, TimeSpan.Zero));

    private static JsonObject Find(string? id = null, string foundOn = "2026-03-01", string lon = "-24.51") => new()
    {
        ["id"] = id, ["found_on"] = foundOn, ["category"] = "uxo", ["quantity"] = "1", ["lon"] = lon, ["lat"] = "-31.52",
    };

    /// <summary>The id the entry form shows before saving (the host keeps it per data version: NextIdsCache).</summary>
    private static async Task<string?> NextIdAsync(TestDatabase db, DatasetSpec dataset, IdPatterns? ids = null) =>
        await (ids ?? IdPatterns.Default).NextAsync(db.Target, dataset, DateOnly.FromDateTime(Clock.GetUtcNow().UtcDateTime), ct: Ct) is [var id, ..] ? id : null;

    private static EntryRequest Entry(DatasetSpec dataset, JsonObject record, params JsonObject[] casualties) =>
        new(dataset, record, casualties, Pending: false, Access.Full("test"));

    [Theory]
    [InlineData("FND-{yyyy}-{seq:00000}", 7, "FND-2026-00007")]
    [InlineData("F/{yy}{MM}/{seq}", 12, "F/2603/12")]
    [InlineData("{seq:000}-X", 4, "004-X")]
    public void Pattern_FormatsAndReadsBackItsNumber(string text, long seq, string expected)
    {
        var pattern = IdPattern.Parse(text);
        var day = new DateOnly(2026, 3, 14);
        pattern.Format(day, seq).ShouldBe(expected);
        pattern.SequenceOf(expected, day).ShouldBe(seq);
        // Another year is another series; a pattern without the year numbers on.
        pattern.SequenceOf(expected, day.AddYears(-1)).ShouldBe(text.Contains('y') ? null : seq);
    }

    [Theory]
    [InlineData("FND-{yyyy}", "exactly one {seq}")]
    [InlineData("FND-{seq}-{seq}", "exactly one {seq}")]
    [InlineData("FND-{dd}-{seq}", "unknown {…}")]
    public void BadPattern_IsRefusedNamingTheSetting(string text, string reason)
    {
        var e = Should.Throw<InvalidOperationException>(() => new IdPatterns(new Dictionary<string, string?> { ["finds"] = text }));
        e.Message.ShouldContain("Groundtruth:Ids:finds");
        e.Message.ShouldContain(reason);
    }

    [Fact]
    public async Task EntryWithoutId_GetsTheNextNumberAfterEveryStoredId_AndATypedIdIsKept()
    {
        await using var db = await TestDatabase.CreateAsync(Backend.GeoPackage);
        var handler = new RecordEntryHandler(db.Target, Clock);
        (await NextIdAsync(db, DatasetCatalog.Finds)).ShouldBe("FND-2026-00001");

        // A typed id of the pattern counts: the next generated one comes after it; another year's does not.
        (await handler.HandleAsync(Entry(DatasetCatalog.Finds, Find("FND-2026-00041")), Ct)).Id.ShouldBe("FND-2026-00041");
        (await handler.HandleAsync(Entry(DatasetCatalog.Finds, Find("FND-2027-00900")), Ct)).Id.ShouldBe("FND-2027-00900");
        (await NextIdAsync(db, DatasetCatalog.Finds)).ShouldBe("FND-2026-00042");
        var result = await handler.HandleAsync(Entry(DatasetCatalog.Finds, Find()), Ct);
        result.Id.ShouldBe("FND-2026-00042");
        (await db.ScalarTextAsync("SELECT max(id) FROM finds WHERE id LIKE 'FND-2026-%'")).ShouldBe("FND-2026-00042");

        // Casualties entered with an accident are numbered in their own series, one after the other.
        var accident = new JsonObject { ["occurred_on"] = "2026-02", ["kind"] = "mine_erw", ["lon"] = "-24.4", ["lat"] = "-31.4" };
        var entered = await handler.HandleAsync(Entry(DatasetCatalog.Accidents, accident,
            new JsonObject { ["outcome"] = "killed" }, new JsonObject { ["outcome"] = "injured", ["age"] = "9" }), Ct);
        entered.Id.ShouldBe("ACC-2026-0001");
        (await db.ScalarTextAsync("SELECT group_concat(id, ',') FROM (SELECT id FROM casualties WHERE accident_id = 'ACC-2026-0001' ORDER BY id)"))
            .ShouldBe("CAS-2026-00001,CAS-2026-00002");
    }

    [Fact]
    public async Task ConfiguredPattern_IsUsed_AndAnEmptyOneMeansTheIdIsTyped()
    {
        await using var db = await TestDatabase.CreateAsync(Backend.GeoPackage);
        var ids = new IdPatterns(new Dictionary<string, string?> { ["finds"] = "EO/{yy}/{seq:000}", ["hazards"] = "" });
        var handler = new RecordEntryHandler(db.Target, Clock, ids);
        (await handler.HandleAsync(Entry(DatasetCatalog.Finds, Find()), Ct)).Id.ShouldBe("EO/26/001");
        (await NextIdAsync(db, DatasetCatalog.Hazards, ids)).ShouldBeNull();
        var hazard = new JsonObject { ["name"] = "x", ["classification"] = "suspected", ["status"] = "open", ["recorded_on"] = "2026", ["wkt"] = "POLYGON((-24.5 -31, -24.49 -31, -24.49 -30.99, -24.5 -31))" };
        var e = await Should.ThrowAsync<EntryRejectedException>(() => handler.HandleAsync(Entry(DatasetCatalog.Hazards, hazard), Ct));
        e.Problems.ShouldContain(p => p.Field == "id" && p.Reason == "a value is required");
    }

    [Theory]
    [InlineData(Backend.GeoPackage)]
    [InlineData(Backend.Postgres)]
    public async Task TwoEditorsSavingAtOnce_NeverGetTheSameId(Backend backend)
    {
        await using var db = await TestDatabase.CreateAsync(backend);
        // Each save is its own handler, as two requests are; they start together, so both first propose the same id.
        const int Editors = 2, Rounds = 4;
        var all = new List<string>();
        for (var round = 0; round < Rounds; round++)
        {
            using var start = new ManualResetEventSlim();
            var saves = Enumerable.Range(0, Editors).Select(i => Task.Run(async () =>
            {
                start.Wait(Ct);
                return (await new RecordEntryHandler(db.Target, Clock).HandleAsync(Entry(DatasetCatalog.Finds, Find(lon: $"-24.5{i}")), Ct)).Id;
            }, Ct)).ToList();
            start.Set();
            all.AddRange(await Task.WhenAll(saves));
        }
        all.Distinct().Count().ShouldBe(Editors * Rounds, string.Join(", ", all));
        all.Order(StringComparer.Ordinal).ShouldBe(Enumerable.Range(1, Editors * Rounds).Select(n => $"FND-2026-{n:00000}"));
        (await db.ScalarAsync("SELECT count(*) FROM finds")).ShouldBe(Editors * Rounds, "no save overwrote another");
    }

    [Theory]
    [InlineData(Backend.GeoPackage)]
    [InlineData(Backend.Postgres)]
    public async Task ImportOfNewRecordsOnly_RefusesAnIdAlreadyStored_InsideTheTransaction(Backend backend)
    {
        await using var db = await TestDatabase.CreateAsync(backend);
        await new RecordEntryHandler(db.Target, Clock).HandleAsync(Entry(DatasetCatalog.Finds, Find("FND-2026-00001")), Ct);
        var content = System.Text.Encoding.UTF8.GetBytes("""{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"FND-2026-00001","found_on":"2026-01","category":"uxo"},"geometry":{"type":"Point","coordinates":[-24.6,-31.6]}}]}""");
        var e = await Should.ThrowAsync<IdTakenException>(() => db.Importer(Clock).HandleAsync(
            new ImportRequest(DatasetCatalog.Finds, "finds.geojson", Content: content, NewRecordsOnly: true), ct: Ct));
        e.Ids.ShouldBe(["FND-2026-00001"]);
        (await db.ScalarTextAsync("SELECT found_on FROM finds WHERE id = 'FND-2026-00001'")).ShouldBe("2026-03-01", "the stored record is untouched");
    }

    [Fact]
    public async Task BadCoordinateAndFutureDate_AreReportedInOneRound()
    {
        await using var db = await TestDatabase.CreateAsync(Backend.GeoPackage);
        var e = await Should.ThrowAsync<EntryRejectedException>(() =>
            new RecordEntryHandler(db.Target, Clock).HandleAsync(Entry(DatasetCatalog.Finds, Find(foundOn: "2026-12-01", lon: "-524.51")), Ct));
        e.Problems.Select(p => p.Field).ShouldContain("found_on");
        e.Problems.ShouldContain(p => p.Field == "found_on" && p.Reason == "the date is in the future");
        e.Problems.ShouldContain(p => p.Field == "lon");
    }
}
