using Groundtruth.Analysis.Statistics;
using Groundtruth.Domain;
using NetTopologySuite.Geometries;

namespace Groundtruth.Analysis.Tests.Statistics;

public sealed class StatsEngineTests
{
    /// <summary>Five records: dates (some partial), a weight each, and a sex column with an unknown.</summary>
    private static StatsTable Table()
    {
        PartialDate?[] dates = [PartialDate.Parse("2020-03-04"), PartialDate.Parse("2020"), PartialDate.Parse("2020-06"), PartialDate.Parse("2021-01-01"), null];
        var periods = dates.Select(StatsTable.Period).ToArray();
        var table = new StatsTable("finds", [.. periods.Select(p => p.Start)], [.. periods.Select(p => p.End)],
            [-24.5, -24.5, -24.0, -24.0, double.NaN], [-31, -31, -31, -31, double.NaN], [1, 2, 3, 4, 5]);
        var sex = new StatsColumnBuilder("sex", StatsValueKind.Enum, 5, ["unknown", "female", "male"]);
        foreach (var v in new[] { "male", "female", null, "male", "female" }) sex.Add(v);
        table.Add(sex.Build());
        return table;
    }

    private static StatsFilter Where(StatsTable t, string field, string value) => new(t.Column(field), [t.Column(field).CodeOf(value)], value);

    [Fact]
    public void Compute_Window_CountsWholePeriods_StraddlingAndUndatedBeside()
    {
        var t = Table();
        var f = StatsEngine.Compute(t, new StatsSelection(new DateOnly(2020, 3, 1), new DateOnly(2020, 12, 31), [], null, []));
        // 2020-03-04 (1) and 2020-06 (3) inside; 2020 (2) straddles the start; 2021 out; one undated (5).
        (f.Total, f.Records, f.Straddling, f.StraddlingRecords, f.Undated).ShouldBe((4L, 2L, 2L, 1L, 5L));
    }

    [Fact]
    public void Compute_Where_ReportsTheUnknownsItLeftOut()
    {
        var t = Table();
        var f = StatsEngine.Compute(t, new StatsSelection(null, null, [Where(t, "sex", "male")], null, []));
        f.Total.ShouldBe(1 + 4);
        f.LeftOutByWhere.ShouldBe([3L]);
    }

    [Fact]
    public void Compute_Groups_AddUp_UnknownLast_SharesOfKnown()
    {
        var t = Table();
        var f = StatsEngine.Compute(t, new StatsSelection(null, null, [], null, [t.Column("sex")]));
        f.Groups.Select(g => (g.Values[0], g.Count)).ShouldBe([("female", (long?)7), ("male", 5), ("unknown", 3)]);
        f.Groups[0].ShareOfKnown!.Value.ShouldBe(7.0 / 12, 1e-12);
        f.Groups[2].ShareOfKnown.ShouldBeNull();
        f.Fields.Single().ShouldBe(new StatsFieldTotals("sex", 12, 3));
    }

    [Fact]
    public void Compute_DerivesYearAndMonth_MonthUnknownForAYearOnlyDate()
    {
        var t = Table();
        var f = StatsEngine.Compute(t, new StatsSelection(null, null, [], null, [t.Column("month")]));
        f.Groups.Select(g => (g.Values[0], g.Count)).ShouldBe([("2020-03", (long?)1), ("2020-06", 3), ("2021-01", 4), ("unknown", 2 + 5)]);
        StatsEngine.Compute(t, new StatsSelection(null, null, [], null, [t.Column("year")])).Groups.Select(g => g.Values[0]).ShouldBe(["2020", "2021", "unknown"]);
    }

    [Fact]
    public void Compute_SuppressesSmallCells_AndTheNextSmallestWhenOneAloneWouldBeRecoverable()
    {
        var t = Table();
        var f = StatsEngine.Compute(t, new StatsSelection(null, null, [], null, [t.Column("sex")], SuppressSmallCells: true));
        // female 7 is shown; male 5 is shown... unknown 3 is small, so the next smallest (male 5) is hidden too.
        f.Groups.Select(g => (g.Values[0], g.Count, g.Suppressed)).ShouldBe([("female", (long?)7, false), ("male", null, true), ("unknown", null, true)]);
        f.Fields.Single().Unknown.ShouldBeNull();
        f.Total.ShouldBe(15);
    }

    [Fact]
    public void Compute_MarksTheGroupHiddenBesideASmallOneAsComplementary()
    {
        var t = Table();
        var f = StatsEngine.Compute(t, new StatsSelection(null, null, [], null, [t.Column("sex")], SuppressSmallCells: true));
        // unknown 3 is a small cell; male 5 is hidden only so that 3 cannot be had as 15 - 7 - male.
        f.Groups.Select(g => (g.Values[0], g.Suppressed, g.Complementary)).ShouldBe([("female", false, false), ("male", true, true), ("unknown", true, false)]);
        var analyst = StatsEngine.Compute(t, new StatsSelection(null, null, [], null, [t.Column("sex")]));
        analyst.Groups.ShouldAllBe(g => !g.Complementary);
    }

    [Fact]
    public void Gazetteer_AssignsTheSmallestCoveringPlace_BoundaryInside()
    {
        var factory = new GeometryFactory();
        Polygon Box(double w, double s, double e, double n) => factory.CreatePolygon([new(w, s), new(e, s), new(e, n), new(w, n), new(w, s)]);
        var gazetteer = new Gazetteer([
            new GazetteerPlace("A", "West", "district", null, Box(0, 0, 1, 1), 100),
            new GazetteerPlace("B", "East", "district", null, Box(1, 0, 1.5, 1), 50),
            new GazetteerPlace("C", "Country", "country", null, Box(0, 0, 1.5, 1), 150),
        ]);
        gazetteer.Assign([0.5, 1.0, 1.2, 2.0, double.NaN], [0.5, 0.5, 0.5, 0.5, 0.5]).ShouldBe([0, 1, 1, -1, -1]);
        Gazetteer.Inside(gazetteer.Places[0], [0.5, 1.0, 1.2], [0.5, 0.5, 0.5]).ShouldBe([true, true, false]);
        var column = gazetteer.PlaceColumn([0.5, 1.0, 2.0], [0.5, 0.5, 0.5]);
        column.Codes.Select(c => column.Values[c]).ShouldBe(["A", "B", "unknown"]);
        column.Labels![column.CodeOf("B")].ShouldBe("East");
    }
    [Fact]
    public void Compute_ViewerWithoutGrouping_SuppressesTheOneGroupAsTheTotal()
    {
        var t = Table();
        var f = StatsEngine.Compute(t, new StatsSelection(null, null, [Where(t, "sex", "female")], null, [], SuppressSmallCells: true));
        // female: weights 2 and 5 = 7 devices (shown) in 2 records (1-4: suppressed).
        f.Total.ShouldBe(7);
        f.Records.ShouldBeNull();
        f.Groups.Single().Records.ShouldBeNull("a group's record count of 1-4 is a small cell too");
        var small = StatsEngine.Compute(t, new StatsSelection(new DateOnly(2020, 3, 1), new DateOnly(2020, 3, 31), [], null, [], SuppressSmallCells: true));
        small.Total.ShouldBeNull();
        small.Groups.Single().Count.ShouldBeNull("the one group of an ungrouped answer is the total, and 1 is below 5");
        small.Groups.Single().Suppressed.ShouldBeTrue();
    }

    [Fact]
    public void Compute_ManyGroupingFields_DoNotOverflowTheGroupKey()
    {
        var t = Table();
        var wide = new StatsColumnBuilder("code", StatsValueKind.Enum, 5, ["unknown", .. Enumerable.Range(0, 1_000_000).Select(i => $"v{i}")]);
        foreach (var v in new[] { "v1", "v999999", "v1", null, "v2" }) wide.Add(v);
        t.Add(wide.Build());
        var by = Enumerable.Repeat(t.Column("code"), 4).Append(t.Column("sex")).ToList();
        var f = StatsEngine.Compute(t, new StatsSelection(null, null, [], null, by));
        f.Total.ShouldBe(15);
        f.Groups.Sum(g => g.Count).ShouldBe(15);
        f.Groups.Select(g => (g.Values[0], g.Values[4], g.Count)).ShouldBe([("v1", "male", (long?)1), ("v1", "unknown", 3), ("v2", "female", 5), ("v999999", "female", 2), ("unknown", "male", 4)]);
    }
}
