using System.Text.Json.Nodes;
using Groundtruth.Application.Statistics;
using Groundtruth.Application.Tests.Support;

namespace Groundtruth.Application.Tests.Statistics;

/// <summary>The hand-built programme of <see cref="StatsFixture"/> gives its known answers, on both backends.</summary>
public sealed class StatsFixtureTests
{
    [Theory]
    [ClassData(typeof(Backends))]
    public async Task Finds_CountDevices_WithRecordsBeside(Backend backend)
    {
        await using var t = await StatsFixture.CreateAsync(backend);
        var r = await t.StatsAsync("finds");
        r.Figures.Total.ShouldBe(410);
        r.Figures.Records.ShouldBe(8);
        var json = JsonNode.Parse(StatsOutput.Json(r))!;
        json["total"]!.GetValue<long>().ShouldBe(410);
        json["records"]!.GetValue<long>().ShouldBe(8);
        json["straddling"]!.GetValue<long>().ShouldBe(0);
    }

    [Theory]
    [ClassData(typeof(Backends))]
    public async Task Window_CountsWholePeriodsInside_AndStraddlingBeside(Backend backend)
    {
        await using var t = await StatsFixture.CreateAsync(backend);
        // 2021: F1 (1), F2 (2021-04, 2), F3 (the year 2021 lies wholly inside, 1), F6 (1).
        var year = await t.StatsAsync("finds", "2021-01-01", "2021-12-31");
        (year.Figures.Total, year.Figures.Records, year.Figures.Straddling).ShouldBe((5L, 4L, 0L));
        // From June 2021 to June 2022: F6 and F8 inside; F3 (2021) straddles the start.
        var window = await t.StatsAsync("finds", "2021-06", "2022-06");
        (window.Figures.Total, window.Figures.Records, window.Figures.Straddling, window.Figures.StraddlingRecords).ShouldBe((401L, 2L, 1L, 1L));
        // Casualties take their accident's date: C1, C2 (A1), C3, C7 inside; C4 (2021) straddles the end.
        var casualties = await t.StatsAsync("casualties", "2021-01-01", "2021-06-30");
        (casualties.Figures.Total, casualties.Figures.Straddling).ShouldBe((4L, 1L));
        var json = JsonNode.Parse(StatsOutput.Json(casualties))!;
        json["straddling"]!.GetValue<long>().ShouldBe(1);
        json["filters"]!["from"]!.GetValue<string>().ShouldBe("2021-01-01");
        json["filters"]!["to"]!.GetValue<string>().ShouldBe("2021-06-30");
    }

    [Theory]
    [ClassData(typeof(Backends))]
    public async Task In_CountsBoundaryPointsAsInside_ForBothNeighbours(Backend backend)
    {
        await using var t = await StatsFixture.CreateAsync(backend);
        // F2 lies on the D1/D2 border: inside both.
        (await t.StatsAsync("finds", inPlace: "D1")).Figures.Total.ShouldBe(1 + 2 + 1);
        (await t.StatsAsync("finds", inPlace: "East")).Figures.Total.ShouldBe(2 + 3 + 1 + 1 + 400);
        // A casualty of an accident takes the accident's point; C5's accident (A3) lies on the border: in both.
        (await t.StatsAsync("casualties", inPlace: "West")).Figures.Total.ShouldBe(5);
        (await t.StatsAsync("casualties", inPlace: "D2")).Figures.Total.ShouldBe(2);
        var inT1 = await t.StatsAsync("finds", inPlace: "T1");
        inT1.Figures.Total.ShouldBe(1);
        inT1.In.ShouldBe(new StatsPlace("T1", "Twin", "municipality"));
    }

    [Theory]
    [ClassData(typeof(Backends))]
    public async Task ByPlace_AssignsEachRecordOnce_SmallestPlace_RowsAddUp(Backend backend)
    {
        await using var t = await StatsFixture.CreateAsync(backend);
        var r = await t.StatsAsync("finds", by: ["place"]);
        r.Counts().ShouldBe(new Dictionary<string, long?> { ["D1"] = 1, ["D2"] = 2 + 3 + 1 + 400, ["T1"] = 1, ["T2"] = 1, ["unknown"] = 1 }, ignoreOrder: true);
        r.Figures.Groups.Sum(g => g.Count).ShouldBe(r.Figures.Total);
        r.Figures.Groups.Select(g => g.Values[0]).ShouldBe(["D1", "D2", "T1", "T2", "unknown"]);
        r.Figures.Groups.Single(g => g.Values[0] == "D2").Labels[0].ShouldBe("East");
        r.Figures.Fields.Single().ShouldBe(new Groundtruth.Analysis.Statistics.StatsFieldTotals("place", 409, 1));
        r.Figures.Groups.Single(g => g.Values[0] == "D2").ShareOfKnown!.Value.ShouldBe(406.0 / 409, 1e-12);
        var casualties = await t.StatsAsync("casualties", by: ["place"]);
        casualties.Counts().ShouldBe(new Dictionary<string, long?> { ["D1"] = 4, ["D2"] = 2, ["unknown"] = 1 }, ignoreOrder: true);
        var json = JsonNode.Parse(StatsOutput.Json(casualties))!;
        json["groups"]![0]!["place"]!.GetValue<string>().ShouldBe("D1");
        json["groups"]![0]!["place_name"]!.GetValue<string>().ShouldBe("West");
        json["known"]!["place"]!.GetValue<long>().ShouldBe(6);
        json["unknown"]!["place"]!.GetValue<long>().ShouldBe(1);
    }

    [Theory]
    [ClassData(typeof(Backends))]
    public async Task Where_SelectsByValue_AndReportsTheUnknownsItLeftOut(Backend backend)
    {
        await using var t = await StatsFixture.CreateAsync(backend);
        var model = await t.StatsAsync("finds", where: ["model=E-001 M"]);
        model.Figures.Total.ShouldBe(4);
        model.Where.ShouldBe([new StatsWhere("model", "E-001 M", 405)]);
        var quoted = await t.StatsAsync("finds", where: ["model=\"E-001 M\"", "emplacement=EMPLACED"]);
        quoted.Figures.Total.ShouldBe(4);
        quoted.Where.Select(w => (w.Field, w.Value)).ShouldBe([("model", "E-001 M"), ("emplacement", "emplaced")]);
        var emplaced = await t.StatsAsync("finds", where: ["emplacement=emplaced"]);
        emplaced.Figures.Total.ShouldBe(6);
        emplaced.Where.Single().UnknownLeftOut.ShouldBe(4);
        var unknown = await t.StatsAsync("finds", where: ["emplacement=unknown"]);
        unknown.Figures.Total.ShouldBe(4);
        unknown.Where.Single().UnknownLeftOut.ShouldBe(0);
        (await t.StatsAsync("finds", where: ["year=2020"])).Figures.Total.ShouldBe(3 + 1 + 1);
        (await t.StatsAsync("finds", where: ["month=2021-04"])).Figures.Total.ShouldBe(2);
        (await t.StatsAsync("finds", where: ["place=D2"])).Figures.Total.ShouldBe(406);
        (await t.StatsAsync("finds", where: ["quantity=400"])).Figures.Total.ShouldBe(400);
        (await t.StatsAsync("accidents", where: ["device_model=unknown"])).Figures.Total.ShouldBe(2);
    }

    [Theory]
    [ClassData(typeof(Backends))]
    public async Task Casualties_FollowLandmineMonitorConventions(Backend backend)
    {
        await using var t = await StatsFixture.CreateAsync(backend);
        var outcome = await t.StatsAsync("casualties", by: ["outcome"]);
        outcome.Counts().ShouldBe(new Dictionary<string, long?> { ["killed"] = 2, ["injured"] = 4, ["unknown"] = 1 }, ignoreOrder: true);
        outcome.Figures.Groups[0].ShareOfKnown!.Value.ShouldBe(2.0 / 6, 1e-12);
        outcome.Figures.Groups[2].ShareOfKnown.ShouldBeNull();

        // The child share of civilian casualties of known age: C2 is a child; C1, C3 (recorded adult), C7 adults.
        var children = await t.StatsAsync("casualties", where: ["status=civilian"], by: ["age_group"]);
        children.Counts().ShouldBe(new Dictionary<string, long?> { ["child"] = 1, ["adult"] = 3 }, ignoreOrder: true);
        children.Figures.Groups.Single(g => g.Values[0] == "child").ShareOfKnown!.Value.ShouldBe(0.25, 1e-12);
        children.Where.Single().UnknownLeftOut.ShouldBe(1);
        children.Definition.ShouldContain("under 18");

        // Women: female and 18 or over.
        (await t.StatsAsync("casualties", where: ["sex=female", "age_group=adult"])).Figures.Total.ShouldBe(2);
        (await t.StatsAsync("casualties", where: ["occupation=journalist"])).Figures.Total.ShouldBe(1);

        var two = await t.StatsAsync("casualties", by: ["sex,status"]);
        two.Figures.KnownOnEveryField.ShouldBe(5);
        two.Figures.Fields.Select(f => (f.Field, f.Known, f.Unknown)).ShouldBe([("sex", 6L, 1L), ("status", 6L, 1L)]);
        two.Counts()["female,civilian"].ShouldBe(2);
        two.Figures.Groups.Single(g => g.Values.SequenceEqual(["male", "deminer"])).ShareOfKnown!.Value.ShouldBe(0.2, 1e-12);
        two.Figures.Groups.Sum(g => g.Count).ShouldBe(7);
    }

    [Theory]
    [ClassData(typeof(Backends))]
    public async Task Viewer_SuppressesSmallCells_AndMarksThem(Backend backend)
    {
        await using var t = await StatsFixture.CreateAsync(backend);
        var r = await t.StatsAsync("casualties", by: ["place"], viewer: true);
        r.Figures.Total.ShouldBe(7);
        r.Figures.Groups.ShouldAllBe(g => g.Suppressed && g.Count == null && g.ShareOfKnown == null);
        var json = JsonNode.Parse(StatsOutput.Json(r))!;
        json["small_cells_suppressed"]!.GetValue<bool>().ShouldBeTrue();
        json["groups"]![0]!["count"].ShouldBeNull();
        json["groups"]![0]!["suppressed"]!.GetValue<bool>().ShouldBeTrue();
        json["unknown"]!["place"].ShouldBeNull();

        // One small group is hidden, and so is the next smallest, so subtraction from the total recovers neither.
        var finds = await t.StatsAsync("finds", by: ["place"], viewer: true);
        finds.Counts().ShouldBe(new Dictionary<string, long?> { ["D1"] = null, ["D2"] = 406, ["T1"] = null, ["T2"] = null, ["unknown"] = null }, ignoreOrder: true);
        var outcome = await t.StatsAsync("finds", where: ["category=stored_ammunition"], by: ["emplacement"], viewer: true);
        outcome.Counts().ShouldBe(new Dictionary<string, long?> { ["cached"] = 400 });
    }

    [Theory]
    [ClassData(typeof(Backends))]
    public async Task BadArguments_ListTheValidChoices(Backend backend)
    {
        await using var t = await StatsFixture.CreateAsync(backend);
        async Task<StatsArgumentException> Bad(string dataset, string? from = null, string[]? where = null, string? inPlace = null, string[]? by = null) =>
            await Should.ThrowAsync<StatsArgumentException>(() => t.StatsAsync(dataset, from, null, where, inPlace, by));

        (await Bad("mines")).Message.ShouldContain("casualties, finds, accidents");
        (await Bad("finds", where: ["colour=red"])).Message.ShouldContain("category, model, quantity");
        (await Bad("finds", by: ["colour"])).Parameter.ShouldBe("by");
        (await Bad("finds", where: ["category=mine"])).Message.ShouldContain("anti_personnel_mine, anti_vehicle_mine");
        (await Bad("finds", where: ["model=E-002"])).Message.ShouldContain("\"E-001 M\"");
        (await Bad("finds", where: ["quantity=many"])).Message.ShouldContain("whole number");
        (await Bad("casualties", where: ["age=130"])).Message.ShouldContain("between 0 and 120");
        (await Bad("finds", from: "2021-02-30")).Message.ShouldContain("YYYY-MM-DD");
        var ambiguous = await Bad("finds", inPlace: "Twin");
        ambiguous.Message.ShouldContain("ambiguous");
        ambiguous.Message.ShouldContain("T1 Twin (municipality, in D1)");
        ambiguous.Message.ShouldContain("T2 Twin (municipality, in D2)");
        (await Bad("finds", inPlace: "Tollan")).Message.ShouldContain("boundary polygon");
        (await Bad("finds", inPlace: "Atlantis")).Message.ShouldContain("D1 West");
        (await Bad("finds", where: ["model"])).Message.ShouldContain("FIELD=VALUE");
    }
}
