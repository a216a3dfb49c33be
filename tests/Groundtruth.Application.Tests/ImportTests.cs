using Groundtruth.Application.Datasets;
using Groundtruth.Application.Import;
using Groundtruth.Application.Tests.Support;
using Groundtruth.Domain;
using Microsoft.EntityFrameworkCore;

namespace Groundtruth.Application.Tests;

public sealed class ImportTests
{
    private static string Write(TestDatabase t, string name, string content)
    {
        var path = Path.Combine(t.Directory, name);
        File.WriteAllText(path, content);
        return path;
    }

    [Theory]
    [ClassData(typeof(Backends))]
    public async Task Programme_ImportsEveryDataset_WithTheFileCounts(Backend backend)
    {
        await using var t = await TestDatabase.CreateAsync(backend);
        foreach (var d in DatasetCatalog.All)
        {
            var file = TestData.Programme(d.Name + ".csv");
            var rows = File.ReadAllLines(file).Length - 1;
            var result = await t.ImportAsync(d, file);
            result.Inserted.ShouldBe(rows, d.Name);
            (await t.CountAsync(d.Table)).ShouldBe(rows, d.Name);
            (await t.CountAsync(d.VersionsTable)).ShouldBe(rows, d.Name);
        }
        (await t.ScalarAsync("SELECT count(*) FROM \"submissions\" WHERE \"state\" = 'approved'")).ShouldBe(DatasetCatalog.All.Count);
        (await t.ScalarAsync("SELECT count(*) FROM \"audit_log\" WHERE \"action\" = 'import'")).ShouldBe(DatasetCatalog.All.Count);
    }

    [Theory]
    [ClassData(typeof(Backends))]
    public async Task Reimport_OfTheSameFile_ChangesNoRecord(Backend backend)
    {
        await using var t = await TestDatabase.CreateAsync(backend);
        await t.ImportProgrammeAsync();
        var versions = await t.CountAsync("finds_versions");
        var again = await t.ImportAsync(DatasetCatalog.Finds, TestData.Programme("finds.csv"));
        again.Inserted.ShouldBe(0);
        again.Updated.ShouldBe(0);
        again.Unchanged.ShouldBe(6);
        (await t.CountAsync("finds_versions")).ShouldBe(versions);
    }

    [Theory]
    [ClassData(typeof(Backends))]
    public async Task ChangedRecord_BecomesANewVersion_AndTheCurrentStateFollows(Backend backend)
    {
        await using var t = await TestDatabase.CreateAsync(backend);
        await t.ImportProgrammeAsync();
        var file = Write(t, "finds-fix.csv", """
            id,found_on,category,model,quantity,lon,lat
            F2,2023-05-04,anti_personnel_mine,E-001 M,4,-24.566,-31.116
            """);
        var result = await t.ImportAsync(DatasetCatalog.Finds, file);
        result.Updated.ShouldBe(1);
        result.Inserted.ShouldBe(0);
        (await t.ScalarAsync("SELECT \"quantity\" FROM \"finds\" WHERE \"id\" = 'F2'")).ShouldBe(4);
        (await t.ScalarAsync("SELECT count(*) FROM \"finds_versions\" WHERE \"record_id\" = 'F2'")).ShouldBe(2);
        await using var db = t.Target.CreateContext();
        var latest = await db.Versions(DatasetCatalog.Finds).Where(v => v.RecordId == "F2").OrderByDescending(v => v.VersionId).FirstAsync();
        latest.Data.ShouldContain("\"quantity\":4");
        latest.DateOfInformation.ShouldBe("2023-05-04");
        latest.Tombstone.ShouldBeFalse();
        latest.Geometry.ShouldNotBeNull();
    }

    [Theory]
    [ClassData(typeof(Backends))]
    public async Task ThreeBadRows_AreAllNamed_AndTheDatabaseIsUnchanged(Backend backend)
    {
        await using var t = await TestDatabase.CreateAsync(backend);
        await t.ImportProgrammeAsync();
        var before = await t.FingerprintAsync();
        var file = Write(t, "bad.csv", """
            id,found_on,category,quantity,lon,lat
            G1,2023-05-03,anti_personnel_mine,1,-24.5,-31.1
            G2,2023-02-30,anti_personnel_mine,1,-24.5,-31.1
            G3,2023-05-03,landmine,1,-24.5,-31.1
            G4,2023-05-03,uxo,1,-24.5,-31.1
            G5,2023-05-03,uxo,0,-24.5,-95
            """);
        var e = await Should.ThrowAsync<ImportRejectedException>(() => t.ImportAsync(DatasetCatalog.Finds, file));
        e.Problems.Select(p => p.Line).Distinct().ShouldBe([3, 4, 6]);
        e.Problems.ShouldContain(p => p.Line == 3 && p.Field == "found_on" && p.Value == "2023-02-30");
        e.Problems.ShouldContain(p => p.Line == 4 && p.Field == "category" && p.Value == "landmine" && p.Reason.Contains("anti_personnel_mine"));
        e.Problems.ShouldContain(p => p.Line == 6 && p.Field == "quantity");
        e.Problems.ShouldContain(p => p.Line == 6 && p.Field == "lon" && p.Reason.Contains("latitude"));
        e.Problems.ShouldAllBe(p => p.File == file);
        (await t.FingerprintAsync()).ShouldBe(before);
    }

    [Fact]
    public async Task Problems_NameTheFilesOwnLineNumbers_WithQuotedLineBreaks()
    {
        await using var t = await TestDatabase.CreateAsync(Backend.GeoPackage);
        var file = Write(t, "multiline.csv", "id,found_on,category,context,lon,lat\nM1,2023-01-01,uxo,\"first line\nsecond line\",-24.5,-31.1\nM2,2023-01-01,nothing,,-24.5,-31.1\n");
        var e = await Should.ThrowAsync<ImportRejectedException>(() => t.ImportAsync(DatasetCatalog.Finds, file));
        e.Problems.Single().Line.ShouldBe(4);
    }

    [Theory]
    [ClassData(typeof(Backends))]
    public async Task DryRun_ReportsWhatWouldChange_AndWritesNothing(Backend backend)
    {
        await using var t = await TestDatabase.CreateAsync(backend);
        var before = await t.FingerprintAsync();
        var result = await t.ImportAsync(DatasetCatalog.Places, TestData.Programme("places.csv"), dryRun: true);
        result.DryRun.ShouldBeTrue();
        result.Inserted.ShouldBe(6);
        result.SubmissionId.ShouldBeNull();
        (await t.FingerprintAsync()).ShouldBe(before);
    }

    [Theory]
    [ClassData(typeof(Backends))]
    public async Task Pending_MakesASubmission_WithoutTouchingApprovedData(Backend backend)
    {
        await using var t = await TestDatabase.CreateAsync(backend);
        var result = await t.ImportAsync(DatasetCatalog.Places, TestData.Programme("places.csv"), pending: true);
        result.Pending.ShouldBeTrue();
        (await t.CountAsync("places")).ShouldBe(0);
        (await t.CountAsync("places_versions")).ShouldBe(6);
        (await t.ScalarAsync($"SELECT count(*) FROM \"submissions\" WHERE \"state\" = 'submitted' AND \"id\" = {result.SubmissionId}")).ShouldBe(1);
    }

    [Fact]
    public async Task DuplicateIds_InTheFile_AreReportedWithBothLines()
    {
        await using var t = await TestDatabase.CreateAsync(Backend.GeoPackage);
        var file = Write(t, "dupes.csv", """
            id,name,kind
            O1,One,operator
            O2,Two,operator
            O1,One again,operator
            """);
        var e = await Should.ThrowAsync<ImportRejectedException>(() => t.ImportAsync(DatasetCatalog.Organisations, file));
        var p = e.Problems.Single();
        p.Field.ShouldBe("id");
        p.Value.ShouldBe("O1");
        p.Line.ShouldBe(4);
        p.Reason.ShouldContain("2, 4");
    }

    [Theory]
    [ClassData(typeof(Backends))]
    public async Task References_MustNameExistingRecords_InTheDatabaseOrTheFile(Backend backend)
    {
        await using var t = await TestDatabase.CreateAsync(backend);
        var forward = Write(t, "places.csv", """
            id,name,kind,parent_id,lon,lat
            V9,Later village,village,D9,-24.5,-31.1
            D9,Later district,district,,-24.4,-31.1
            """);
        (await t.ImportAsync(DatasetCatalog.Places, forward)).Inserted.ShouldBe(2);
        var missing = Write(t, "finds.csv", """
            id,found_on,category,hazard_id,lon,lat
            F1,2023-01-01,uxo,H404,-24.5,-31.1
            """);
        var e = await Should.ThrowAsync<ImportRejectedException>(() => t.ImportAsync(DatasetCatalog.Finds, missing));
        e.Problems.Single().ShouldSatisfyAllConditions(p => p.Field.ShouldBe("hazard_id"), p => p.Value.ShouldBe("H404"), p => p.Line.ShouldBe(2));
    }

    [Fact]
    public async Task UnknownColumns_AndMissingRequiredColumns_AreReportedOnTheHeader()
    {
        await using var t = await TestDatabase.CreateAsync(Backend.GeoPackage);
        var file = Write(t, "finds.csv", "id,found,category,lon,lat\nF1,2023-01-01,uxo,-24.5,-31.1\n");
        var e = await Should.ThrowAsync<ImportRejectedException>(() => t.ImportAsync(DatasetCatalog.Finds, file));
        e.Problems.ShouldContain(p => p.Line == 1 && p.Field == "found" && p.Reason.Contains("found_on"));
        e.Problems.ShouldContain(p => p.Line == 1 && p.Field == "found_on" && p.Reason.Contains("missing"));
    }

    [Theory]
    [ClassData(typeof(Backends))]
    public async Task InvalidGeometry_IsRejected_OrRepairedWhenAsked(Backend backend)
    {
        await using var t = await TestDatabase.CreateAsync(backend);
        await t.ImportAsync(DatasetCatalog.Places, TestData.Programme("places.csv"));
        var bowtie = Write(t, "hazards.csv", """
            id,classification,status,recorded_on,wkt
            HB,suspected,open,2024,"POLYGON((-24.5 -31.1,-24.4 -31.0,-24.4 -31.1,-24.5 -31.0,-24.5 -31.1))"
            """);
        var e = await Should.ThrowAsync<ImportRejectedException>(() => t.ImportAsync(DatasetCatalog.Hazards, bowtie));
        e.Problems.Single().ShouldSatisfyAllConditions(p => p.Line.ShouldBe(2), p => p.Field.ShouldBe("wkt"), p => p.Reason.ShouldContain("--repair"));
        (await t.ImportAsync(DatasetCatalog.Hazards, bowtie, repair: true)).Inserted.ShouldBe(1);
        await using var db = t.Target.CreateContext();
        var stored = await db.Hazards.AsNoTracking().SingleAsync(h => h.Id == "HB");
        stored.Geometry!.IsValid.ShouldBeTrue();
        stored.Geometry.NumGeometries.ShouldBe(2);
    }

    [Fact]
    public async Task Polygons_AreStoredAsMultipolygons_WithTheirAreaInSquareMetres()
    {
        await using var t = await TestDatabase.CreateAsync(Backend.GeoPackage);
        await t.ImportAsync(DatasetCatalog.Hazards, TestData.Programme("hazards.csv"));
        await using var db = t.Target.CreateContext();
        var h1 = await db.Hazards.AsNoTracking().SingleAsync(h => h.Id == "H1");
        h1.Geometry.ShouldBeOfType<NetTopologySuite.Geometries.MultiPolygon>();
        h1.Status.ShouldBe(HazardStatus.Open);
        // 0.02° × 0.02° at 31.1°S: independent spherical estimate R²·Δλ·(sin φ2 − sin φ1).
        var r = 6371008.8;
        var expected = r * r * (0.02 * Math.PI / 180) * Math.Abs(Math.Sin(-31.10 * Math.PI / 180) - Math.Sin(-31.12 * Math.PI / 180));
        h1.AreaM2.ShouldBe(expected, expected * 0.005);
    }

    [Theory]
    [ClassData(typeof(Backends))]
    public async Task HazardStatus_CannotReopenWithoutAReason(Backend backend)
    {
        await using var t = await TestDatabase.CreateAsync(backend);
        await t.ImportAsync(DatasetCatalog.Hazards, TestData.Programme("hazards.csv"));
        var reopen = Write(t, "reopen.csv", """
            id,classification,status,status_reason,recorded_on,wkt
            H3,confirmed,open,,2024-06-01,"POLYGON((-24.52 -31.16,-24.51 -31.16,-24.51 -31.15,-24.52 -31.15,-24.52 -31.16))"
            """);
        var e = await Should.ThrowAsync<ImportRejectedException>(() => t.ImportAsync(DatasetCatalog.Hazards, reopen));
        e.Problems.Single().ShouldSatisfyAllConditions(p => p.Field.ShouldBe("status"), p => p.Reason.ShouldContain("IMAS 08.30"));
        File.WriteAllText(reopen, File.ReadAllText(reopen).Replace("open,,2024", "open,anti-personnel mine found in released land,2024", StringComparison.Ordinal));
        (await t.ImportAsync(DatasetCatalog.Hazards, reopen)).Updated.ShouldBe(1);
    }

    [Theory]
    [ClassData(typeof(Backends))]
    public async Task HazardStatus_ClosesStraightFromOpen_OnlyOnACancellationByNonTechnicalSurvey(Backend backend)
    {
        await using var t = await TestDatabase.CreateAsync(backend);
        await t.ImportAsync(DatasetCatalog.Organisations, TestData.Programme("organisations.csv"));
        await t.ImportAsync(DatasetCatalog.Hazards, TestData.Programme("hazards.csv"));
        var close = Write(t, "close.csv", """
            id,classification,status,status_reason,recorded_on,wkt
            H1,confirmed,closed,no evidence of mines,2024-06-01,"POLYGON((-24.58 -31.12,-24.56 -31.12,-24.56 -31.10,-24.58 -31.10,-24.58 -31.12))"
            """);
        var before = await t.FingerprintAsync();
        var e = await Should.ThrowAsync<ImportRejectedException>(() => t.ImportAsync(DatasetCatalog.Hazards, close));
        e.Problems.Single().ShouldSatisfyAllConditions(p => p.Line.ShouldBe(2), p => p.Field.ShouldBe("status"), p => p.Reason.ShouldContain("IMAS 07.11"));
        (await t.FingerprintAsync()).ShouldBe(before, "a refused file changes nothing");

        // A technical survey's reduction is not a cancellation: still refused.
        await t.ImportAsync(DatasetCatalog.Activities, Write(t, "activities.csv", """
            id,type,organisation,hazard_id,started_on,completed_on,status,wkt
            NT1,non_technical_survey,OP1,H1,2024-05-20,2024-05-28,completed,
            TS1,technical_survey,OP1,H1,2024-05-01,2024-05-10,completed,
            """));
        await t.ImportAsync(DatasetCatalog.LandRelease, Write(t, "reduced.csv", """
            id,activity_id,hazard_id,method,released_on,wkt
            R1,TS1,H1,reduced,2024-05-10,"POLYGON((-24.58 -31.12,-24.57 -31.12,-24.57 -31.11,-24.58 -31.11,-24.58 -31.12))"
            """));
        await Should.ThrowAsync<ImportRejectedException>(() => t.ImportAsync(DatasetCatalog.Hazards, close));

        await t.ImportAsync(DatasetCatalog.LandRelease, Write(t, "cancelled.csv", """
            id,activity_id,hazard_id,method,released_on,wkt
            R2,NT1,H1,cancelled,2024-05-28,"POLYGON((-24.57 -31.12,-24.56 -31.12,-24.56 -31.10,-24.57 -31.10,-24.57 -31.12))"
            """));
        (await t.ImportAsync(DatasetCatalog.Hazards, close)).Updated.ShouldBe(1);
        await using (var db = t.Target.CreateContext())
            (await db.Hazards.AsNoTracking().SingleAsync(h => h.Id == "H1")).Status.ShouldBe(HazardStatus.Closed);

        // Reopened after a find in released land: the old cancellation does not close it again.
        await t.ImportAsync(DatasetCatalog.Hazards, Write(t, "reopen.csv", """
            id,classification,status,status_reason,recorded_on,wkt
            H1,confirmed,open,anti-personnel mine found in cancelled land,2024-07-01,"POLYGON((-24.58 -31.12,-24.56 -31.12,-24.56 -31.10,-24.58 -31.10,-24.58 -31.12))"
            """));
        var again = Write(t, "again.csv", File.ReadAllText(close).Replace("2024-06-01", "2024-08-01", StringComparison.Ordinal));
        (await Should.ThrowAsync<ImportRejectedException>(() => t.ImportAsync(DatasetCatalog.Hazards, again)))
            .Problems.Single().Reason.ShouldContain("IMAS 07.11");
    }

    [Fact]
    public async Task Casualties_DeriveTheAgeGroup_AndRefuseContradictions()
    {
        await using var t = await TestDatabase.CreateAsync(Backend.GeoPackage);
        await t.ImportAsync(DatasetCatalog.Accidents, TestData.Programme("accidents.csv"));
        await t.ImportAsync(DatasetCatalog.Casualties, TestData.Programme("casualties.csv"));
        await using var db = t.Target.CreateContext();
        var ages = await db.Casualties.AsNoTracking().ToDictionaryAsync(c => c.Id, c => c.AgeGroup);
        ages["CA2"].ShouldBe(AgeGroup.Child);
        ages["CA3"].ShouldBe(AgeGroup.Adult, "age 29 with no recorded group");
        ages["CA4"].ShouldBe(AgeGroup.Adult, "no age, recorded group kept");
        ages["CA5"].ShouldBe(AgeGroup.Unknown);
        var bad = Write(t, "bad.csv", """
            id,accident_id,occurred_on,outcome,age,age_group
            X1,AC1,,killed,12,adult
            X2,,,injured,40,
            """);
        var e = await Should.ThrowAsync<ImportRejectedException>(() => t.ImportAsync(DatasetCatalog.Casualties, bad));
        e.Problems.ShouldContain(p => p.Line == 2 && p.Field == "age_group");
        e.Problems.ShouldContain(p => p.Line == 3 && p.Field == "occurred_on");
    }

    [Fact]
    public async Task DatesInTheFuture_AreRefused()
    {
        await using var t = await TestDatabase.CreateAsync(Backend.GeoPackage);
        var file = Write(t, "future.csv", "id,occurred_on,kind,lon,lat\nA1,2999-01-01,mine_erw,-24.5,-31.1\n");
        var e = await Should.ThrowAsync<ImportRejectedException>(() => t.ImportAsync(DatasetCatalog.Accidents, file));
        e.Problems.Single().Reason.ShouldContain("future");
    }

    [Theory]
    [ClassData(typeof(Backends))]
    public async Task GeoJson_ImportsLikeCsv(Backend backend)
    {
        await using var t = await TestDatabase.CreateAsync(backend);
        var file = Write(t, "accidents.geojson", """
            {"type": "FeatureCollection",
             "features": [
               {"type": "Feature", "id": "AC1", "geometry": {"type": "Point", "coordinates": [-24.575, -31.105]},
                "properties": {"occurred_on": "2019-04-28", "kind": "mine_erw", "location_accuracy_m": 50}},
               {"type": "Feature", "id": "AC2", "geometry": {"type": "Point", "coordinates": [-24.2, -31.3]},
                "properties": {"occurred_on": "2021-08", "kind": "demining", "device_category": null}}
             ]}
            """);
        (await t.ImportAsync(DatasetCatalog.Accidents, file)).Inserted.ShouldBe(2);
        var bad = Write(t, "bad.geojson", """
            {"type": "FeatureCollection",
             "features": [
               {"type": "Feature", "id": "B1", "geometry": {"type": "Point", "coordinates": [-24.575, -31.105]},
                "properties": {"occurred_on": "2019-04-28", "kind": "mine_erw"}},
               {"type": "Feature", "id": "B2", "geometry": {"type": "Point", "coordinates": [-24.2, -31.3]},
                "properties": {"occurred_on": "yesterday", "kind": "mine_erw"}}
             ]}
            """);
        var e = await Should.ThrowAsync<ImportRejectedException>(() => t.ImportAsync(DatasetCatalog.Accidents, bad));
        e.Problems.Single().ShouldSatisfyAllConditions(p => p.Line.ShouldBe(5), p => p.Field.ShouldBe("occurred_on"));
    }

    [Theory]
    [ClassData(typeof(Backends))]
    public async Task LandRelease_MustMatchItsActivity(Backend backend)
    {
        await using var t = await TestDatabase.CreateAsync(backend);
        await t.ImportProgrammeAsync();
        var file = Write(t, "releases.csv", """
            id,activity_id,hazard_id,method,released_on,wkt
            LR8,A1,H1,cancelled,2023-04-20,"POLYGON((-24.58 -31.12,-24.575 -31.12,-24.575 -31.115,-24.58 -31.115,-24.58 -31.12))"
            LR9,A2,H2,cleared,2023-06-30,"POLYGON((-24.58 -31.12,-24.575 -31.12,-24.575 -31.115,-24.58 -31.115,-24.58 -31.12))"
            """);
        var e = await Should.ThrowAsync<ImportRejectedException>(() => t.ImportAsync(DatasetCatalog.LandRelease, file));
        e.Problems.ShouldContain(p => p.Line == 2 && p.Field == "method" && p.Reason.Contains("non-technical survey") && p.Reason.Contains("IMAS 07.11"));
        e.Problems.ShouldContain(p => p.Line == 3 && p.Field == "hazard_id" && p.Reason.Contains("H1"));
    }

    [Fact]
    public async Task HazardLineage_AndClassification_AreChecked()
    {
        await using var t = await TestDatabase.CreateAsync(Backend.GeoPackage);
        await t.ImportAsync(DatasetCatalog.Hazards, TestData.Programme("hazards.csv"));
        var file = Write(t, "split.csv", """
            id,classification,status,recorded_on,derived_from,wkt
            H1,suspected,open,2024-01-01,,"POLYGON((-24.58 -31.12,-24.56 -31.12,-24.56 -31.10,-24.58 -31.10,-24.58 -31.12))"
            H1a,confirmed,open,2024-01-01,H1;H9,"POLYGON((-24.58 -31.12,-24.57 -31.12,-24.57 -31.10,-24.58 -31.10,-24.58 -31.12))"
            H1b,confirmed,open,2024-01-01,H1a,"POLYGON((-24.57 -31.12,-24.56 -31.12,-24.56 -31.10,-24.57 -31.10,-24.57 -31.12))"
            """);
        var e = await Should.ThrowAsync<ImportRejectedException>(() => t.ImportAsync(DatasetCatalog.Hazards, file));
        e.Problems.ShouldContain(p => p.Line == 2 && p.Field == "classification" && p.Reason.Contains("IMAS 04.10"));
        e.Problems.ShouldContain(p => p.Line == 3 && p.Field == "derived_from" && p.Value == "H9");
        e.Problems.Count.ShouldBe(2, "H1b derives from H1a, earlier in the same file");
    }
}
