using System.Globalization;
using Groundtruth.Application.Demo;
using Groundtruth.Domain;
using NetTopologySuite.Geometries;

namespace Groundtruth.Application.Tests.Demo;

/// <summary>The demo's files at scale 1 (seed 1, with personal data), written once for the tests of this class.</summary>
public sealed class DemoFilesFixture : IDisposable
{
    public DemoFilesFixture()
    {
        Directory = DemoCsv.NewDirectory();
        Files = DemoData.WriteFiles(Directory, 1, 1, FixedClock.Today, includePersonalData: true);
    }

    public string Directory { get; }
    public IReadOnlyList<DemoFile> Files { get; }

    public string Path(string name) => Files.Single(f => f.Name == name).Path;

    public List<Dictionary<string, string>> Rows(string name) => DemoCsv.Read(Path(name));

    public void Dispose() => DemoCsv.Delete(Directory);
}

/// <summary>The demo generator's files: reproducible, fictional, consistent with each other and with the story they tell.</summary>
public sealed class DemoDataTests(DemoFilesFixture demo) : IClassFixture<DemoFilesFixture>
{
    private static readonly DateOnly Today = FixedClock.Today;

    [Fact]
    public void SameSeed_WritesByteIdenticalFiles_AnotherSeedDifferentOnes()
    {
        var a = DemoCsv.NewDirectory();
        var b = DemoCsv.NewDirectory();
        try
        {
            var first = DemoData.WriteCsv(a, 1, 1, Today, includePersonalData: true);
            first.Select(System.IO.Path.GetFileName).ShouldBe(demo.Files.Select(f => System.IO.Path.GetFileName(f.Path)));
            foreach (var path in first)
                File.ReadAllBytes(path).ShouldBe(File.ReadAllBytes(demo.Path(System.IO.Path.GetFileNameWithoutExtension(path))), $"{path} differs between two runs");
            var other = DemoData.WriteCsv(b, 2, 1, Today, includePersonalData: true);
            foreach (var name in new[] { "places.csv", "hazards.csv", "finds.csv", "casualties.csv" })
                File.ReadAllBytes(System.IO.Path.Combine(b, name)).ShouldNotBe(File.ReadAllBytes(System.IO.Path.Combine(a, name)), $"{name} is the same for seeds 1 and 2");
            other.Count.ShouldBe(first.Count);
        }
        finally
        {
            DemoCsv.Delete(a);
            DemoCsv.Delete(b);
        }
    }

    [Fact]
    public void Files_AreNamedByDataset_InImportOrder_WithTheInitialHazardsFirst()
    {
        demo.Files.Select(f => f.Name).ShouldBe([
            "places", "organisations", "lines", DemoData.InitialHazardsName, "minefield-records",
            "activities", "land-release", "hazards", "finds", "accidents", "casualties"]);
        foreach (var f in demo.Files)
        {
            System.IO.Path.GetFileName(f.Path).ShouldBe(f.Name + ".csv");
            File.ReadLines(f.Path).Count().ShouldBe((int)f.Records + 1, f.Name);
            // Every column is one the catalogue knows (geometry columns aside).
            foreach (var column in DemoCsv.Header(f.Path).Where(c => c is not ("wkt" or "lon" or "lat")))
                f.Dataset.Field(column).ShouldNotBeNull($"{f.Name}: unknown column {column}");
        }
    }

    [Fact]
    public void PersonalColumns_AreWrittenOnlyWhenAsked_AndNothingElseChanges()
    {
        var dir = DemoCsv.NewDirectory();
        try
        {
            var plain = DemoData.WriteCsv(dir, 1, 1, Today).Single(p => p.EndsWith("casualties.csv", StringComparison.Ordinal));
            var header = DemoCsv.Header(plain);
            header.ShouldNotContain("name");
            header.ShouldNotContain("date_of_birth");
            header.ShouldNotContain("injuries");
            DemoCsv.Header(demo.Path("casualties")).ShouldBe([.. header, "name", "date_of_birth", "injuries"]);
            var withPersonal = demo.Rows("casualties");
            var without = DemoCsv.Read(plain);
            without.Count.ShouldBe(withPersonal.Count);
            for (var i = 0; i < without.Count; i++)
                foreach (var column in header) without[i][column].ShouldBe(withPersonal[i][column]);
            File.ReadAllBytes(System.IO.Path.Combine(dir, "finds.csv")).ShouldBe(File.ReadAllBytes(demo.Path("finds")));
        }
        finally
        {
            DemoCsv.Delete(dir);
        }
    }

    [Fact]
    public void EveryCoordinate_LiesInTheOpenSouthAtlantic()
    {
        var box = new Envelope(-25.0, -23.5, -32.0, -30.8);
        foreach (var f in demo.Files)
        {
            foreach (var row in DemoCsv.Read(f.Path))
            {
                if (DemoCsv.Geometry(row) is not { } g) continue;
                box.Covers(g.EnvelopeInternal).ShouldBeTrue($"{f.Name} {row["id"]} lies outside the fictional country: {g.EnvelopeInternal}");
                g.IsValid.ShouldBeTrue($"{f.Name} {row["id"]} is invalid");
            }
        }
    }

    [Fact]
    public void Gazetteer_IsACountryOfThreeRegionsAndTwelveDistrictsWithoutGapsOrOverlaps_AndSixtyVillages()
    {
        var places = demo.Rows("places");
        places.Count(p => p["kind"] == "country").ShouldBe(1);
        places.Count(p => p["kind"] == "region").ShouldBe(3);
        var districts = places.Where(p => p["kind"] == "district").ToList();
        districts.Count.ShouldBe(12);
        var villages = places.Where(p => p["kind"] == "village").ToList();
        villages.Count.ShouldBe(60);
        villages.ShouldAllBe(v => long.Parse(v["population"], CultureInfo.InvariantCulture) > 0 && districts.Any(d => d["id"] == v["parent_id"]));
        places.Select(p => p["name"]).Distinct().Count().ShouldBe(places.Count, "names are unique");

        var country = DemoCsv.Geometry(places.Single(p => p["kind"] == "country"))!;
        var shapes = districts.Select(d => DemoCsv.Geometry(d)!).ToList();
        shapes.Sum(s => s.Area).ShouldBe(country.Area, 1e-9);
        for (var i = 0; i < shapes.Count; i++)
            for (var j = i + 1; j < shapes.Count; j++)
                shapes[i].Intersection(shapes[j]).Area.ShouldBe(0, 1e-12);
        foreach (var v in villages)
            DemoCsv.Geometry(districts.Single(d => d["id"] == v["parent_id"]))!.Covers(DemoCsv.Geometry(v)).ShouldBeTrue();
    }

    [Fact]
    public void OrganisationsAndLines_AreThere()
    {
        var orgs = demo.Rows("organisations");
        orgs.Count(o => o["kind"] == "national_authority").ShouldBe(1);
        var operators = orgs.Where(o => o["kind"] == "operator").ToList();
        operators.Count.ShouldBe(3);
        foreach (var op in operators) orgs.Count(o => o["kind"] == "team" && o["parent_id"] == op["id"]).ShouldBeInRange(2, 3);

        var lines = demo.Rows("lines");
        var fronts = lines.Where(l => l["kind"] == "front_line").ToList();
        fronts.Select(l => l["id"]).ShouldBe(["LN-FL1", "LN-FL2"], "the recent conflict's front line and the old one's");
        foreach (var front in fronts) DemoCsv.Geometry(front)!.NumPoints.ShouldBeGreaterThan(10);
        lines.Count(l => l["kind"] == "road").ShouldBeInRange(4, 6);
        lines.Count(l => l["kind"] == "river").ShouldBe(1);
    }

    [Fact]
    public void Hazards_ChangeOnlyByLegalMoves_AndEndInEveryStatus()
    {
        var before = demo.Rows(DemoData.InitialHazardsName).ToDictionary(h => h["id"]);
        var after = demo.Rows("hazards");
        var cancelled = demo.Rows("land-release").Where(r => r["method"] == "cancelled").Select(r => r["hazard_id"]).ToHashSet(StringComparer.Ordinal);
        after.Count.ShouldBe(before.Count);
        after.Count.ShouldBe(40);
        foreach (var h in after)
        {
            var earlier = before[h["id"]];
            var refusal = HazardStatusRules.Refusal(SnakeCase.Parse<HazardStatus>(earlier["status"]), SnakeCase.Parse<HazardStatus>(h["status"]), h["status_reason"], cancelled.Contains(h["id"]));
            refusal.ShouldBeNull($"{h["id"]}: {earlier["status"]} -> {h["status"]}");
            string.CompareOrdinal(earlier["recorded_on"], h["recorded_on"]).ShouldBeLessThanOrEqualTo(0, h["id"]);
            h["wkt"].ShouldBe(earlier["wkt"]);
            if (h["status"] == "handed_over") h["handover_certificate"].ShouldNotBeEmpty();
        }
        after.Select(h => h["status"]).Distinct().Order().ShouldBe(["closed", "handed_over", "open", "worked_on"]);
        after.Count(h => h["status"] != before[h["id"]]["status"]).ShouldBeGreaterThan(10);
        after.Count(h => before[h["id"]]["status"] == "handed_over" && h["status"] == "worked_on").ShouldBeGreaterThan(0, "some land is reopened after a find in released land");
        after.ShouldAllBe(h => h["contamination"].Length > 0);
    }

    [Fact]
    public void ReleasedLandAndProcessedAreas_LieInsideTheirHazards_WithTheRightMethodPerActivity()
    {
        var hazards = demo.Rows("hazards").ToDictionary(h => h["id"], h => DemoCsv.Geometry(h)!);
        var activities = demo.Rows("activities").ToDictionary(a => a["id"]);
        var releases = demo.Rows("land-release");
        releases.Select(r => r["method"]).Distinct().Order().ShouldBe(["cancelled", "cleared", "reduced"]);
        foreach (var r in releases)
        {
            hazards[r["hazard_id"]].Covers(DemoCsv.Geometry(r)).ShouldBeTrue($"{r["id"]} leaves {r["hazard_id"]}");
            var type = activities[r["activity_id"]]["type"];
            var allowed = r["method"] switch
            {
                "cancelled" => new[] { "non_technical_survey" },
                "reduced" => ["technical_survey"],
                _ => ["clearance", "battle_area_clearance"],
            };
            allowed.ShouldContain(type, $"{r["id"]} is {r["method"]} by a {type}");
            activities[r["activity_id"]]["hazard_id"].ShouldBe(r["hazard_id"]);
        }
        foreach (var a in activities.Values.Where(a => a["wkt"].Length > 0 && a["hazard_id"].Length > 0))
            hazards[a["hazard_id"]].Covers(DemoCsv.Geometry(a)).ShouldBeTrue($"{a["id"]} leaves {a["hazard_id"]}");
    }

    [Theory]
    [InlineData(7)]
    [InlineData(7919)]
    [InlineData(134623)]
    public void AnySeed_GivesValidGeometry_NestedAsTheStorySays(int seed)
    {
        var dir = DemoCsv.NewDirectory();
        try
        {
            var files = DemoData.WriteFiles(dir, seed, 2, Today).ToDictionary(f => f.Name, f => f.Path);
            var hazards = DemoCsv.Read(files["hazards"]).ToDictionary(h => h["id"], h => DemoCsv.Geometry(h)!);
            hazards.Values.ShouldAllBe(h => h.IsValid);
            foreach (var r in DemoCsv.Read(files["land-release"]))
                hazards[r["hazard_id"]].Covers(DemoCsv.Geometry(r)).ShouldBeTrue($"{r["id"]} leaves {r["hazard_id"]}");
            var areas = DemoCsv.Read(files["activities"]).Where(a => a["wkt"].Length > 0).ToDictionary(a => a["id"], a => DemoCsv.Geometry(a)!);
            areas.Values.ShouldAllBe(a => a.IsValid);
            foreach (var f in DemoCsv.Read(files["finds"]).Where(f => areas.ContainsKey(f["activity_id"])))
                areas[f["activity_id"]].Covers(DemoCsv.Geometry(f)).ShouldBeTrue($"{f["id"]} lies outside {f["activity_id"]}");
            DemoCsv.Read(files["minefield-records"]).ShouldAllBe(r => DemoCsv.Geometry(r)!.IsValid);
        }
        finally
        {
            DemoCsv.Delete(dir);
        }
    }

    [Fact]
    public void Activities_CoverEveryType_RiskEducationHasBeneficiariesAndNoArea()
    {
        var activities = demo.Rows("activities");
        foreach (var type in new[] { "non_technical_survey", "technical_survey", "clearance", "battle_area_clearance", "eod_spot_task", "risk_education", "marking", "quality_visit" })
            activities.ShouldContain(a => a["type"] == type, type);
        var education = activities.Where(a => a["type"] == "risk_education").ToList();
        education.ShouldAllBe(a => a["wkt"] == "" && a["hazard_id"] == "");
        education.Where(a => a["status"] == "completed").ShouldAllBe(a => a.Int("beneficiaries_girls") + a.Int("beneficiaries_boys") + a.Int("beneficiaries_women") + a.Int("beneficiaries_men") > 0);
        activities.Select(a => a["status"]).Distinct().ShouldContain("ongoing");
        foreach (var a in activities.Where(a => a["started_on"].Length > 0 && a["completed_on"].Length > 0))
            string.CompareOrdinal(a["started_on"], a["completed_on"]).ShouldBeLessThanOrEqualTo(0, a["id"]);
    }

    [Fact]
    public void FindsMadeByAnActivity_LieInTheAreaItProcessed()
    {
        var areas = demo.Rows("activities").Where(a => a["wkt"].Length > 0).ToDictionary(a => a["id"], a => DemoCsv.Geometry(a)!);
        var finds = demo.Rows("finds");
        var checkedFinds = 0;
        foreach (var f in finds.Where(f => areas.ContainsKey(f["activity_id"])))
        {
            areas[f["activity_id"]].Covers(DemoCsv.Geometry(f)).ShouldBeTrue($"{f["id"]} lies outside {f["activity_id"]}");
            checkedFinds++;
        }
        checkedFinds.ShouldBeGreaterThan(finds.Count / 2);
    }

    [Fact]
    public void Finds_TellTheStoriesOfTheStatement()
    {
        var finds = demo.Rows("finds");
        finds.Count.ShouldBeInRange(1700, 2300);
        foreach (var category in new[] { "anti_personnel_mine", "anti_vehicle_mine", "uxo", "cluster_munition_remnant", "booby_trap", "improvised_mine" })
            finds.ShouldContain(f => f["category"] == category, category);
        finds.Count(f => f["quantity"] == "1").ShouldBeGreaterThan(finds.Count * 8 / 10, "quantities are mostly 1");
        finds.ShouldContain(f => f["found_on"].Length == 7, "a few finds are dated to the month only");
        foreach (var f in finds.Where(f => f["production_year"].Length > 0))
            f.Int("production_year").ShouldBeLessThanOrEqualTo(PartialDate.Parse(f["found_on"]).End.Year, f["id"]);
        finds.ShouldAllBe(f => string.CompareOrdinal(f["found_on"], Today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)) < 0);

        // One cache of 400 stored anti-personnel mines.
        var cache = finds.Where(f => f["emplacement"] == "cached" && f["category"] == "anti_personnel_mine").ToList();
        cache.Count.ShouldBe(1);
        cache[0]["quantity"].ShouldBe("400");

        // E-001 M anti-personnel mines with recent production years, in one district.
        var districts = demo.Rows("places").Where(p => p["kind"] == "district").Select(p => DemoCsv.Geometry(p)!).ToList();
        var e001 = finds.Where(f => f["model"] == "E-001 M").ToList();
        e001.Count.ShouldBeGreaterThan(20);
        e001.ShouldAllBe(f => f["category"] == "anti_personnel_mine");
        e001.Where(f => f["production_year"].Length > 0).ShouldAllBe(f => f.Int("production_year") >= Today.Year - 8);
        e001.Count(f => f["production_year"].Length > 0).ShouldBeGreaterThan(e001.Count / 2);
        var homes = e001.Select(f => districts.FindIndex(d => d.Covers(DemoCsv.Geometry(f)))).Distinct().ToList();
        homes.Count.ShouldBe(1);
        homes[0].ShouldBeGreaterThanOrEqualTo(0);

        // Booby traps at house entrances and courtyards, in three named villages, on one day.
        var traps = finds.Where(f => f["category"] == "booby_trap" && f["context"] is "house entrance" or "courtyard").ToList();
        traps.Count.ShouldBeGreaterThanOrEqualTo(8);
        traps.Select(f => f["found_on"]).Distinct().Count().ShouldBe(1);
        var villages = demo.Rows("places").Where(p => p["kind"] == "village").Select(p => DemoCsv.Geometry(p)!.Coordinate).ToList();
        traps.Select(t => villages.MinBy(v => DemoCsv.Metres(v, DemoCsv.Geometry(t)!.Coordinate))!).Distinct().Count().ShouldBe(3);
        traps.ShouldAllBe(t => villages.Min(v => DemoCsv.Metres(v, DemoCsv.Geometry(t)!.Coordinate)) < 200);
    }

    /// <summary>The risk map's positive control rests on these (docs/risk.md): checked here from the files, the plan only names them.</summary>
    [Fact]
    public void SilentMinefields_LieOnTheOldFrontLine_AreFoundOnlyAfterTheHostilities_AndNoAccidentHappenedInThem()
    {
        var world = new DemoWorld(1, 1, Today);
        var plans = Enumerable.Range(0, world.HazardCount).Select(i => new HazardPlan(world, i)).Where(h => h.Silent).ToList();
        var silent = plans.Select(h => h.Id).ToHashSet();
        silent.Count.ShouldBe(world.HazardCount / 4);
        var oldFront = DemoCsv.Geometry(demo.Rows("lines").Single(l => l["id"] == "LN-FL2"))!;
        var recentFront = DemoCsv.Geometry(demo.Rows("lines").Single(l => l["id"] == "LN-FL1"))!;
        var hazards = demo.Rows("hazards").Where(h => silent.Contains(h["id"])).ToList();
        var finds = demo.Rows("finds").Where(f => f["hazard_id"].Length > 0 && silent.Contains(f["hazard_id"])).ToList();
        var accidents = demo.Rows("accidents").Where(a => a["kind"] == "mine_erw").Select(a => DemoCsv.Geometry(a)!).ToList();
        foreach (var h in hazards)
        {
            var area = DemoCsv.Geometry(h)!;
            (oldFront.Distance(area.Centroid) * 100_000).ShouldBeLessThan(3000, h["id"]);
            (recentFront.Distance(area.Centroid) * 100_000).ShouldBeGreaterThan(5000, h["id"]);
            accidents.ShouldNotContain(a => area.Buffer(0.0005).Covers(a), h["id"]);
            var mine = finds.Where(f => f["hazard_id"] == h["id"]).ToList();
            mine.Count.ShouldBeGreaterThan(0, h["id"]);
            mine.ShouldAllBe(f => PartialDate.Parse(f["found_on"]).Start > world.Time.EndOfHostilities);
        }
        // Spread over the old front line's whole length: the silent minefields' centres fall in at least seven of the
        // ten tenths of the country's width (one tenth is mostly the recent front line's, where none lies), and three of them are reached in the first months after the hostilities
        // (their first find within a year of the end), the others only later (no find in the first 400 days).
        hazards.Select(h => (int)((DemoCsv.Geometry(h)!.Centroid.X - DemoWorld.West) / ((DemoWorld.East - DemoWorld.West) / 10))).Distinct().Count()
            .ShouldBeGreaterThanOrEqualTo(7);
        var first = finds.GroupBy(f => f["hazard_id"]).Select(g => g.Min(f => PartialDate.Parse(f["found_on"]).Start)).ToList();
        first.Count.ShouldBe(silent.Count);
        first.Count(d => d < world.Time.EndOfHostilities.AddDays(365)).ShouldBe(3);
        first.Count(d => d >= world.Time.EndOfHostilities.AddDays(400)).ShouldBe(silent.Count - 3);
    }

    [Fact]
    public void MinefieldRecords_ComeFromSeveralSources_WithMixedAccuracy()
    {
        var records = demo.Rows("minefield-records");
        records.Count.ShouldBe(30);
        var sources = records.Select(r => r["source"]).Distinct().ToList();
        sources.ShouldContain("Host Armed Forces");
        sources.Count.ShouldBe(3);
        var mines = demo.Rows("finds").Where(f => f["category"] is "anti_personnel_mine" or "anti_vehicle_mine" && f["hazard_id"].Length > 0)
            .Select(f => DemoCsv.Geometry(f)!).ToList();
        var shapes = new HashSet<string>();
        int onMines = 0, offset = 0, empty = 0;
        foreach (var r in records)
        {
            var footprint = DemoCsv.Geometry(r)!;
            shapes.Add(footprint.GeometryType);
            if (footprint is not MultiPolygon and not Polygon) r["position_uncertainty_m"].ShouldNotBeEmpty(r["id"]);
            if (r["laid_on"].Length > 0 && r["handed_over_on"].Length > 0)
                PartialDate.Parse(r["laid_on"]).Start.ShouldBeLessThan(PartialDate.Parse(r["handed_over_on"]).Start, r["id"]);
            var buffer = (r["position_uncertainty_m"].Length > 0 ? double.Parse(r["position_uncertainty_m"], CultureInfo.InvariantCulture) : 0) / 100_000;
            var area = buffer > 0 ? footprint.Buffer(buffer) : footprint;
            var nearest = mines.Min(m => m.Distance(footprint)) * 100_000;
            if (mines.Any(area.Covers)) onMines++;
            else if (nearest is > 60 and < 450) offset++;
            else empty++;
        }
        shapes.ShouldBe(["MultiLineString", "MultiPoint", "Polygon"], ignoreOrder: true);
        onMines.ShouldBeGreaterThan(0, "some records sit on the mines found");
        offset.ShouldBeGreaterThan(0, "some records are 100-300 m off");
        empty.ShouldBeGreaterThan(0, "some records show mines where none were");
    }

    [Fact]
    public void Accidents_SpanThirtyYears_SomeHurtingNobody()
    {
        var accidents = demo.Rows("accidents");
        accidents.Count.ShouldBe(400);
        var dates = accidents.Select(a => DateOnly.Parse(a["occurred_on"], CultureInfo.InvariantCulture)).ToList();
        dates.Min().ShouldBeGreaterThan(Today.AddYears(-30));
        dates.Max().ShouldBeLessThan(Today);
        (dates.Max().Year - dates.Min().Year).ShouldBeGreaterThanOrEqualTo(25);
        accidents.Select(a => a["kind"]).Distinct().Order().ShouldBe(["demining", "mine_erw"]);
        accidents.ShouldAllBe(a => a["location_accuracy_m"].Length > 0);
        var hurt = demo.Rows("casualties").Select(c => c["accident_id"]).ToHashSet();
        accidents.Count(a => !hurt.Contains(a["id"])).ShouldBeGreaterThan(10);
        accidents.ShouldContain(a => a["device_category"] == "anti_vehicle_mine" && !hurt.Contains(a["id"]), "a vehicle on an anti-vehicle mine that hurt nobody");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Casualties_HaveLandmineMonitorLikeProportions_AndHonestUnknowns(int seed)
    {
        var dir = DemoCsv.NewDirectory();
        try
        {
            var path = DemoData.WriteCsv(dir, seed, 2, Today, includePersonalData: true).Single(p => p.EndsWith("casualties.csv", StringComparison.Ordinal));
            var rows = DemoCsv.Read(path);
            double Share(Func<Dictionary<string, string>, bool> of, IEnumerable<Dictionary<string, string>> among)
            {
                var list = among.ToList();
                return (double)list.Count(of) / list.Count;
            }
            Share(c => c["status"] == "military", rows.Where(c => c["status"] != "unknown")).ShouldBeInRange(0.08, 0.18);
            Share(c => c["status"] == "civilian", rows).ShouldBeGreaterThan(0.7);
            Share(c => c["status"] == "deminer", rows).ShouldBeInRange(0.005, 0.06);
            Share(c => c["sex"] == "male", rows.Where(c => c["sex"] != "unknown")).ShouldBeInRange(0.68, 0.85);
            var civilians = rows.Where(c => c["status"] == "civilian").ToList();
            Share(c => c["age_group"] == "child", civilians.Where(c => c["age_group"] != "unknown")).ShouldBeInRange(0.33, 0.47);
            Share(c => c["outcome"] == "killed", rows).ShouldBeInRange(0.22, 0.4);
            Share(c => c["outcome"] == "injured", rows).ShouldBeInRange(0.55, 0.75);
            rows.ShouldContain(c => c["outcome"] == "unknown");
            rows.ShouldContain(c => c["sex"] == "unknown");
            rows.ShouldContain(c => c["age"] == "" && c["age_group"] != "unknown", "age unknown, only the group recorded");
            rows.ShouldContain(c => c["age_group"] == "unknown");
            rows.Count(c => c["occupation"] == "journalist").ShouldBeGreaterThanOrEqualTo(2);
            foreach (var c in rows.Where(c => c["age"].Length > 0))
                c["age_group"].ShouldBe(c.Int("age") < 18 ? "child" : "adult", c["id"]);
            var lone = rows.Where(c => c["accident_id"] == "").ToList();
            lone.ShouldContain(c => c["occurred_on"].Length == 4);
            lone.ShouldContain(c => c["occurred_on"].Length == 7);
            lone.ShouldAllBe(c => c["lon"].Length > 0 && c["lat"].Length > 0);
            rows.Where(c => c["accident_id"] != "").ShouldAllBe(c => c["occurred_on"].Length == 10 && c["lon"] == "");
            // Personal data for some, with a date of birth that gives the recorded age.
            var personal = rows.Where(c => c["name"].Length > 0).ToList();
            personal.Count.ShouldBeGreaterThan(rows.Count / 10);
            foreach (var c in personal)
                CasualtyAge.AgeAt(PartialDate.Parse(c["date_of_birth"]), PartialDate.Parse(c["occurred_on"])).ShouldBe(c.Int("age"), c["id"]);
        }
        finally
        {
            DemoCsv.Delete(dir);
        }
    }

    [Fact]
    public void Scale_MultipliesTheProgramme_NotTheGazetteer()
    {
        var dir = DemoCsv.NewDirectory();
        try
        {
            var three = DemoData.WriteFiles(dir, 1, 3, Today).ToDictionary(f => f.Name, f => f.Records);
            var one = demo.Files.ToDictionary(f => f.Name, f => f.Records);
            foreach (var name in new[] { "places", "organisations", "lines" }) three[name].ShouldBe(one[name], name);
            foreach (var name in new[] { "hazards", "minefield-records", "accidents" }) three[name].ShouldBe(3 * one[name], name);
            foreach (var name in new[] { "activities", "land-release", "finds", "casualties" })
                ((double)three[name] / one[name]).ShouldBeInRange(2.6, 3.4, name);
            // The gazetteer is the same file at every scale.
            File.ReadAllBytes(System.IO.Path.Combine(dir, "places.csv")).ShouldBe(File.ReadAllBytes(demo.Path("places")));
        }
        finally
        {
            DemoCsv.Delete(dir);
        }
    }

    [Fact]
    public void ScaleBelowOne_IsRefused()
    {
        var never = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "groundtruth-tests", "demo-never-" + Guid.NewGuid().ToString("N"));
        Should.Throw<ArgumentOutOfRangeException>(() => DemoData.WriteCsv(never, 1, 0, Today));
        System.IO.Directory.Exists(never).ShouldBeFalse();
    }
}
