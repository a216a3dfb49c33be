using System.Globalization;
using Groundtruth.Analysis.LandReleases;
using Groundtruth.Application.Datasets;
using Groundtruth.Application.History;
using Groundtruth.Application.LandReleases;
using Groundtruth.Application.Tests.Support;
using Groundtruth.Domain;
using Npgsql;

namespace Groundtruth.Application.Tests.LandReleases;

/// <summary>Area accounting in m², checked against PostGIS's ST_Area(ST_Transform(…)) computed in the same run.</summary>
public sealed class LandReleaseTests
{
    private static async Task<TestDatabase> FixtureAsync(Backend backend)
    {
        var t = await TestDatabase.CreateAsync(backend);
        foreach (var name in new[] { "organisations", "hazards", "activities", "land-release" })
            await t.ImportAsync(DatasetCatalog.Find(name)!, TestData.File($"land-release/{name}.csv"));
        return t;
    }

    private static Dictionary<string, string> Wkt(string file) =>
        File.ReadAllLines(TestData.File($"land-release/{file}")).Skip(1).ToDictionary(l => l.Split(',')[0], l => l[(l.IndexOf('"') + 1)..l.LastIndexOf('"')]);

    /// <summary>PostGIS, as an independent implementation: the area of an expression over geometries in the UTM zone of <paramref name="centreOf"/>'s envelope centre.</summary>
    private static async Task<double> PostGisAsync(string expression, string centreOf, params (string Name, string Wkt)[] geometries)
    {
        // The server's own 'postgres' database has PostGIS (.ci/start-postgres.sh creates the extension there).
        await using var conn = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(TestDatabase.RequirePostgres()) { Database = "postgres" }.ConnectionString);
        await conn.OpenAsync();
        var zone = $"(CASE WHEN ST_Y(ST_Centroid(ST_Envelope({centreOf}))) >= 0 THEN 32600 ELSE 32700 END + floor((ST_X(ST_Centroid(ST_Envelope({centreOf}))) + 180) / 6)::int + 1)";
        var with = string.Join(", ", geometries.Select((g, i) => $"ST_GeomFromText(@g{i}, 4326) AS {g.Name}"));
        await using var cmd = new NpgsqlCommand($"SELECT ST_Area({expression.Replace("T(", $"ST_Transform(", StringComparison.Ordinal).Replace("@z", zone, StringComparison.Ordinal)}) FROM (SELECT {with}) g", conn);
        for (var i = 0; i < geometries.Length; i++) cmd.Parameters.AddWithValue($"g{i}", geometries[i].Wkt);
        return Convert.ToDouble(await cmd.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    private static void Close(double actual, double expected, string what) =>
        Math.Abs(actual - expected).ShouldBeLessThanOrEqualTo(Math.Max(1e-6 * Math.Abs(expected), 1e-6), $"{what}: {actual} vs PostGIS {expected}");

    [Theory]
    [ClassData(typeof(Backends))]
    public async Task Areas_Residuals_AndChecks_AgreeWithPostGis(Backend backend)
    {
        var hazards = Wkt("hazards.csv");
        var releases = Wkt("land-release.csv");
        await using var t = await FixtureAsync(backend);
        var data = await LandReleaseData.LoadAsync(t.Target, HistoryPoint.Current, withPlaces: false, default);

        foreach (var h in data.Hazards)
        {
            var stored = await t.ScalarAsync($"SELECT CAST(\"area_m2\" * 1000 AS BIGINT) FROM \"hazards\" WHERE \"id\" = '{h.Id}'") / 1000.0;
            Close(stored, await PostGisAsync("T(h, @z)", "h", ("h", hazards[h.Id])), $"{h.Id} area");
        }
        foreach (var r in data.Releases)
            Close(r.AreaM2, await PostGisAsync("T(r, @z)", "r", ("r", releases[r.Id])), $"{r.Id} area");

        var residuals = LandReleaseAccounting.Residuals(data.Hazards, data.Releases).ToDictionary(r => r.Hazard.Id);
        Close(residuals["H1"].ResidualM2, await PostGisAsync("ST_Difference(T(h, @z), ST_Union(ARRAY[T(a, @z), T(b, @z), T(c, @z)]))", "h",
            ("h", hazards["H1"]), ("a", releases["LR1"]), ("b", releases["LR2"]), ("c", releases["LR3"])), "H1 residual (hole, overlap, straddling output)");
        Close(residuals["H2"].ResidualM2, await PostGisAsync("ST_Difference(T(h, @z), T(a, @z))", "h", ("h", hazards["H2"]), ("a", releases["LR4"])), "H2 residual (multipolygon)");
        Close(residuals["H3"].ResidualM2, await PostGisAsync("ST_Difference(T(h, @z), T(a, @z))", "h", ("h", hazards["H3"]), ("a", releases["LR5"])), "H3 residual (zone 27)");
        residuals["H4"].ReleasedM2.ShouldBe(0);
        residuals["H2"].ResidualM2.ShouldBeLessThan(residuals["H2"].AreaM2 * 0.51, "one of the two equal parts is cancelled");

        var problems = LandReleaseAccounting.Check(data.Hazards, data.Releases);
        var outside = problems.Single(p => p.Kind == "outside_area");
        outside.ReleaseIds.ShouldBe(["LR3"]);
        Close(outside.AreaM2, await PostGisAsync("ST_Difference(T(a, @z), T(h, @z))", "h", ("h", hazards["H1"]), ("a", releases["LR3"])), "LR3 outside H1");
        var twice = problems.Single(p => p.Kind == "released_twice");
        twice.ReleaseIds.ShouldBe(["LR1", "LR2"]);
        Close(twice.AreaM2, await PostGisAsync("ST_Intersection(T(a, @z), T(b, @z))", "h", ("h", hazards["H1"]), ("a", releases["LR1"]), ("b", releases["LR2"])), "LR1 ∩ LR2");
        problems.ShouldNotContain(p => p.Kind == "larger_than_area");
    }

    [Theory]
    [ClassData(typeof(Backends))]
    public async Task Summary_AddsUpByMethodAndGroup_AndCountsStraddlingOutputsApart(Backend backend)
    {
        await using var t = await FixtureAsync(backend);
        var data = await LandReleaseData.LoadAsync(t.Target, HistoryPoint.Current, withPlaces: false, default);
        var area = data.Releases.ToDictionary(r => r.Id, r => r.AreaM2);
        var all = LandReleaseAccounting.Summarise(data.Releases, null, null, LandReleaseReports.GroupKey(ReleaseGrouping.Year));
        all.Count.ShouldBe(5);
        all.Total.Reduced.ShouldBe(area["LR1"], 1e-6);
        all.Total.Cleared.ShouldBe(area["LR2"] + area["LR3"] + area["LR5"], 1e-6);
        all.Total.Cancelled.ShouldBe(area["LR4"], 1e-6);
        all.Groups.Select(g => (g.Key, g.Count)).ShouldBe([("2023", 4), ("2024", 1)]);
        all.Groups.Sum(g => g.AreaM2.Total).ShouldBe(all.Total.Total, 1e-6);

        var window = LandReleaseAccounting.Summarise(data.Releases, new DateOnly(2023, 4, 15), new DateOnly(2023, 12, 31), LandReleaseReports.GroupKey(ReleaseGrouping.Method));
        window.Straddling.ShouldBe(1, "LR3 is dated 2023-04");
        window.Groups.Select(g => g.Key).ShouldBe(["cancelled", "cleared"]);
        window.Total.Cleared.ShouldBe(area["LR2"], 1e-6);
    }

    [Fact]
    public async Task Productivity_IsAreaPerCalendarDayOfWork()
    {
        await using var t = await FixtureAsync(Backend.GeoPackage);
        var data = await LandReleaseData.LoadAsync(t.Target, HistoryPoint.Current, withPlaces: false, default);
        var area = data.Releases.ToDictionary(r => r.Id, r => r.AreaM2);
        var rows = LandReleaseAccounting.ProductivityBy(data.Releases, data.Activities).ToDictionary(p => (p.Organisation, p.Method));
        rows[("OP1", ReleaseMethod.Reduced)].M2PerDay.ShouldBe(area["LR1"] / 10, 1e-6);
        rows[("OP1", ReleaseMethod.Cleared)].ShouldSatisfyAllConditions(p => p.Days.ShouldBe(30), p => p.AreaM2.ShouldBe(area["LR2"] + area["LR3"], 1e-6));
        rows[("OP2", ReleaseMethod.Cancelled)].M2PerDay.ShouldBe(area["LR4"] / 2, 1e-6);
        rows[("OP2", ReleaseMethod.Cleared)].Days.ShouldBe(20);
    }

    [Fact]
    public async Task Check_ReportsLandOutsideItsArea_AndLandReleasedTwice()
    {
        await using var t = await FixtureAsync(Backend.GeoPackage);
        var report = await new Application.Quality.CheckHandler(t.Target, TimeProvider.System).HandleAsync();
        var findings = report.Checks.Single(c => c.Name == "land_release").Findings;
        findings.Count.ShouldBe(2);
        findings.ShouldContain(f => f.Message.StartsWith("outside_area", StringComparison.Ordinal) && f.Message.Contains("LR3"));
        findings.ShouldContain(f => f.Message.StartsWith("released_twice", StringComparison.Ordinal) && f.Message.Contains("LR1") && f.Message.Contains("LR2"));
    }

    [Theory]
    [ClassData(typeof(Backends))]
    public async Task Article7_TablesForAYear(Backend backend)
    {
        await using var t = await FixtureAsync(backend);
        var finds = Path.Combine(t.Directory, "finds.csv");
        await File.WriteAllTextAsync(finds, "id,found_on,category,quantity,lon,lat\nF1,2023-04-02,anti_personnel_mine,2,-24.596,-31.299\nF2,2023-04-03,anti_personnel_mine,1,-24.596,-31.298\nF3,2023-05,uxo,4,-24.5,-31.3\nF4,2024-01-10,uxo,1,-23.895,-31.295\n");
        await t.ImportAsync(DatasetCatalog.Finds, finds);
        var out1 = Path.Combine(t.Directory, "a7.csv");
        var r = await new Application.Reports.Article7Handler(t.Target, TimeProvider.System).HandleAsync(new Application.Reports.Article7Request(2023, out1));
        var data = await LandReleaseData.LoadAsync(t.Target, HistoryPoint.Current, withPlaces: false, default);
        var area = data.Releases.ToDictionary(x => x.Id, x => x.AreaM2);
        r.AtStart.Select(a => a.Id).ShouldBe(["H1", "H3"], "anti-personnel or improvised mines, open or worked on; H2 holds anti-vehicle mines, H4 was handed over");
        r.AtEnd.Select(a => a.Id).ShouldBe(["H1", "H3"]);
        var h1 = data.Hazards.Single(h => h.Id == "H1");
        r.AtStart.Single(a => a.Id == "H1").ResidualM2.ShouldBe(LandReleaseAccounting.Residuals([h1], []).Single().AreaM2, 1e-6, "nothing released by 1 January");
        r.AtEnd.Single(a => a.Id == "H1").ResidualM2.ShouldBe(LandReleaseAccounting.Residuals([h1], data.Releases).Single().ResidualM2, 1e-6);
        r.Released.ShouldBe(new MethodAreas(area["LR4"], area["LR1"], area["LR2"] + area["LR3"]));
        r.ReleasedInMinedAreas.ShouldBe(new MethodAreas(0, area["LR1"], area["LR2"] + area["LR3"]));
        r.Destroyed.ShouldBe([(Domain.OrdnanceCategory.AntiPersonnelMine, 3L, 2), (Domain.OrdnanceCategory.Uxo, 4L, 1)]);
        (await File.ReadAllLinesAsync(out1)).Count(l => l.StartsWith("mined_areas,", StringComparison.Ordinal)).ShouldBe(4);
        var html = Path.Combine(t.Directory, "a7.html");
        await new Application.Reports.Article7Handler(t.Target, TimeProvider.System).HandleAsync(new Application.Reports.Article7Request(2023, html));
        (await File.ReadAllTextAsync(html)).ShouldContain("Article 7 transparency report — 2023");
    }

    [Theory]
    [ClassData(typeof(Backends))]
    public async Task Overlay_OfOutputsWithAreas_AgreesWithPostGis(Backend backend)
    {
        var hazards = Wkt("hazards.csv");
        var releases = Wkt("land-release.csv");
        await using var t = await FixtureAsync(backend);
        var data = await LandReleaseData.LoadAsync(t.Target, HistoryPoint.Current, withPlaces: false, default);
        var overlay = LandReleaseAccounting.OverlayByMethod(data.Hazards, data.Releases);
        async Task<double> Pair(string r, string h) => await PostGisAsync("ST_Intersection(T(r, @z), T(h, @z))", "r", ("r", releases[r]), ("h", hazards[h]));
        Close(overlay.Reduced, await Pair("LR1", "H1"), "reduced");
        Close(overlay.Cleared, await Pair("LR2", "H1") + await Pair("LR3", "H1") + await Pair("LR5", "H3"), "cleared");
        Close(overlay.Cancelled, await Pair("LR4", "H2"), "cancelled");
    }
}
