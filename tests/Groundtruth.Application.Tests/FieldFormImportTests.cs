using System.Globalization;
using Groundtruth.Application.Datasets;
using Groundtruth.Application.Import;
using Groundtruth.Application.Tests.Support;
using Microsoft.EntityFrameworkCore;
using static Groundtruth.Application.Tests.Support.RegisterFixtures;

namespace Groundtruth.Application.Tests;

/// <summary>
/// KoboToolbox and ODK Central exports import with no mapping: an accident form's casualties repeat group is stored with
/// its accidents in one transaction, positions keep their stated accuracy; the figures equal those computed from the
/// records the fixtures were written from (<see cref="RegisterFixtures"/>).
/// </summary>
public sealed class FieldFormImportTests
{
    private static ImportRequest Request(DatasetSpec dataset, string path) => new(dataset, path, Actor: "test");

    [Theory]
    [ClassData(typeof(Backends))]
    public async Task KoboAccidentForm_StoresAccidentsAndTheirCasualties_WithPositionsAndAccuracy(Backend backend)
    {
        await using var t = await TestDatabase.CreateAsync(backend);

        var results = await t.Importer().HandleTogetherAsync([Request(DatasetCatalog.Accidents, PathOf(KoboAccidents))]);

        results.Select(r => (r.Dataset, r.Inserted)).ShouldBe([("accidents", Accidents.Length), ("casualties", Accidents.Sum(a => a.Casualties.Length))]);
        await ShouldHoldTheFormsRecordsAsync(t);
    }

    [Theory]
    [ClassData(typeof(Backends))]
    public async Task OdkCentralZip_StoresTheSameRecords_AndTheKoboExportOfTheSameSubmissionsChangesNothing(Backend backend)
    {
        await using var t = await TestDatabase.CreateAsync(backend);

        var odk = await t.Importer().HandleTogetherAsync([Request(DatasetCatalog.Accidents, PathOf(OdkAccidents))]);
        await ShouldHoldTheFormsRecordsAsync(t);
        var kobo = await t.Importer().HandleTogetherAsync([Request(DatasetCatalog.Accidents, PathOf(KoboAccidents))]);

        odk.Select(r => (r.Dataset, r.Inserted)).ShouldBe([("accidents", 4), ("casualties", 6)]);
        kobo.Select(r => (r.Dataset, r.Inserted, r.Updated, r.Unchanged)).ShouldBe([("accidents", 0, 0, 4), ("casualties", 0, 0, 6)]);
    }

    /// <summary>Counts by outcome and sex, casualties per accident, and each accident's point and accuracy, against the fixture's records.</summary>
    private static async Task ShouldHoldTheFormsRecordsAsync(TestDatabase t)
    {
        var casualties = Accidents.SelectMany(a => a.Casualties.Select(c => (a.Uuid, c))).ToList();
        foreach (var outcome in casualties.Select(x => x.c.Outcome).Distinct())
            (await t.ScalarAsync($"SELECT count(*) FROM \"casualties\" WHERE \"outcome\" = '{outcome}'")).ShouldBe(casualties.Count(x => x.c.Outcome == outcome));
        foreach (var sex in casualties.Select(x => x.c.Sex).Distinct())
            (await t.ScalarAsync($"SELECT count(*) FROM \"casualties\" WHERE \"sex\" = '{sex}'")).ShouldBe(casualties.Count(x => x.c.Sex == sex));
        (await t.ScalarAsync("SELECT count(*) FROM \"casualties\" WHERE \"device_handled\" = true")).ShouldBe(casualties.Count(x => x.c.DeviceHandled));

        var perAccident = await RowsAsync(t, "SELECT a.\"id\", count(c.\"id\") FROM \"accidents\" a LEFT JOIN \"casualties\" c ON c.\"accident_id\" = a.\"id\" GROUP BY a.\"id\"");
        perAccident.ToDictionary(r => r[0]!, r => int.Parse(r[1]!, CultureInfo.InvariantCulture))
            .ShouldBe(Accidents.ToDictionary(a => a.Uuid, a => a.Casualties.Length), ignoreOrder: true);

        var points = await RowsAsync(t, "SELECT \"id\", \"min_x\", \"min_y\", \"location_accuracy_m\", \"occurred_on\", \"kind\" FROM \"accidents\" ORDER BY \"id\"");
        points.Select(r => (r[0], double.Parse(r[1]!, CultureInfo.InvariantCulture), double.Parse(r[2]!, CultureInfo.InvariantCulture),
                double.Parse(r[3]!, CultureInfo.InvariantCulture), r[4], r[5]))
            .ShouldBe(Accidents.OrderBy(a => a.Uuid, StringComparer.Ordinal).Select(a => ((string?)a.Uuid, a.Lon, a.Lat, a.Accuracy, (string?)a.OccurredOn, (string?)a.Kind)));

        var ages = await RowsAsync(t, "SELECT \"id\", \"age\" FROM \"casualties\" ORDER BY \"id\"");
        ages.Select(r => (r[0], int.Parse(r[1]!, CultureInfo.InvariantCulture))).ShouldBe(
            Accidents.SelectMany(a => a.Casualties.Select((c, i) => ((string?)$"{a.Uuid}-{i + 1}", c.Age))).OrderBy(x => x.Item1, StringComparer.Ordinal));
    }

    [Theory]
    [ClassData(typeof(Backends))]
    public async Task KoboFindsForm_ImportsEachFindAtItsPoint(Backend backend)
    {
        await using var t = await TestDatabase.CreateAsync(backend);

        var result = await t.ImportAsync(DatasetCatalog.Finds, PathOf(KoboFinds));

        result.Inserted.ShouldBe(KoboFindRows.Length);
        var rows = await RowsAsync(t, "SELECT \"id\", \"category\", \"quantity\", \"min_x\", \"min_y\", \"found_on\" FROM \"finds\" ORDER BY \"id\"");
        rows.Select(r => (r[0], r[1], int.Parse(r[2]!, CultureInfo.InvariantCulture), double.Parse(r[3]!, CultureInfo.InvariantCulture), double.Parse(r[4]!, CultureInfo.InvariantCulture), r[5]))
            .ShouldBe(KoboFindRows.OrderBy(f => f.Uuid, StringComparer.Ordinal).Select(f => ((string?)f.Uuid, (string?)f.Category, f.Quantity, f.Lon, f.Lat, (string?)f.FoundOn)));
    }

    [Theory]
    [ClassData(typeof(Backends))]
    public async Task KoboHazardsForm_ReadsTheGeoshapeAsThePerimeter_AndSelectMultipleAsAList(Backend backend)
    {
        await using var t = await TestDatabase.CreateAsync(backend);

        var result = await t.ImportAsync(DatasetCatalog.Hazards, PathOf(KoboHazards));

        result.Inserted.ShouldBe(KoboHazardRows.Length);
        var rows = await RowsAsync(t, "SELECT \"id\", \"contamination\", \"min_x\", \"min_y\", \"max_x\", \"max_y\", \"name\" FROM \"hazards\" ORDER BY \"id\"");
        rows.Select(r => (r[0], r[1], r[6], Envelope(r))).ShouldBe(KoboHazardRows.OrderBy(h => h.Uuid, StringComparer.Ordinal).Select(h => ((string?)h.Uuid,
            (string?)string.Join(';', h.Contamination), (string?)h.Name,
            (h.Perimeter.Min(p => p.Lon), h.Perimeter.Min(p => p.Lat), h.Perimeter.Max(p => p.Lon), h.Perimeter.Max(p => p.Lat)))));
    }

    private static (double, double, double, double) Envelope(string?[] r) =>
        (double.Parse(r[2]!, CultureInfo.InvariantCulture), double.Parse(r[3]!, CultureInfo.InvariantCulture),
         double.Parse(r[4]!, CultureInfo.InvariantCulture), double.Parse(r[5]!, CultureInfo.InvariantCulture));

    [Theory]
    [ClassData(typeof(Backends))]
    public async Task KoboExport_ABadCellInTheRepeatSheet_RejectsTheAccidentsToo_NamingSheetRowAndField(Backend backend)
    {
        await using var t = await TestDatabase.CreateAsync(backend);
        var path = Path.Combine(t.Directory, "kobo-bad.xlsx");
        var bad = Accidents.Select((a, i) => i == 1 ? a with { Casualties = [a.Casualties[0], a.Casualties[1] with { Outcome = "dead" }, a.Casualties[2]] } : a).ToArray();
        WriteKoboAccidents(path, bad);
        var before = await t.FingerprintAsync();

        var e = await Should.ThrowAsync<ImportRejectedException>(() => t.Importer().HandleTogetherAsync([Request(DatasetCatalog.Accidents, path)]));

        // The fourth casualty row of the sheet (after the header): accident 1 has two, this is accident 2's second.
        e.Problems.Select(p => p.ToString()).ShouldBe([$"{path}:casualties!5: field 'outcome' value 'dead': unknown value; valid: unknown, killed, injured"]);
        (await t.FingerprintAsync()).ShouldBe(before);
    }

    [Theory]
    [ClassData(typeof(Backends))]
    public async Task KoboExport_AParentIndexWithNoSubmission_IsRefusedNamingTheRow(Backend backend)
    {
        await using var t = await TestDatabase.CreateAsync(backend);
        var path = Path.Combine(t.Directory, "kobo-orphan.xlsx");
        WriteKoboAccidents(path, Accidents, parentIndexShift: 10);
        var before = await t.FingerprintAsync();

        var e = await Should.ThrowAsync<ImportRejectedException>(() => t.Importer().HandleTogetherAsync([Request(DatasetCatalog.Accidents, path)]));

        e.TotalProblems.ShouldBe(Accidents.Sum(a => a.Casualties.Length));
        e.Problems[0].ToString().ShouldBe($"{path}:casualties!2: field '_parent_index' value '11': no submission in Accident report has this _index");
        (await t.FingerprintAsync()).ShouldBe(before);
    }

    [Theory]
    [ClassData(typeof(Backends))]
    public async Task OdkZip_AnOrphanParentKey_IsRefusedNamingTheInnerFileLineAndField_NothingStored(Backend backend)
    {
        await using var t = await TestDatabase.CreateAsync(backend);
        var path = Path.Combine(t.Directory, "odk-orphan.zip");
        WriteOdkAccidents(path, Accidents, orphanParent: "uuid:00000000-0000-4000-8000-000000000000");
        var before = await t.FingerprintAsync();

        var e = await Should.ThrowAsync<ImportRejectedException>(() => t.Importer().HandleTogetherAsync([Request(DatasetCatalog.Accidents, path)]));

        e.Problems.Select(p => p.ToString()).ShouldBe([
            $"{path}:accident_report-casualties.csv:2: field 'PARENT_KEY' value 'uuid:00000000-0000-4000-8000-000000000000': no submission in accident_report.csv has this KEY"]);
        (await t.FingerprintAsync()).ShouldBe(before);
    }

    [Fact]
    public async Task OdkZip_ARepeatGroupTheExportDoesNotHave_IsNamed()
    {
        await using var t = await TestDatabase.CreateAsync(Backend.GeoPackage);

        var e = await Should.ThrowAsync<ImportRejectedException>(() => t.Importer().HandleAsync(
            Request(DatasetCatalog.Casualties, PathOf(OdkAccidents)) with { Part = "injured_people" }));

        e.Problems.Single().ToString().ShouldBe($"{PathOf(OdkAccidents)}: field 'injured_people': the export has no repeat group 'injured_people' (files: accident_report-casualties.csv)");
    }

    internal static async Task<List<string?[]>> RowsAsync(TestDatabase t, string sql)
    {
        await using var db = t.Target.CreateContext();
        await db.Database.OpenConnectionAsync();
        await using var cmd = db.Database.GetDbConnection().CreateCommand();
        cmd.CommandText = sql;
        await using var r = await cmd.ExecuteReaderAsync();
        var rows = new List<string?[]>();
        while (await r.ReadAsync())
        {
            var row = new string?[r.FieldCount];
            for (var i = 0; i < row.Length; i++) row[i] = r.IsDBNull(i) ? null : Convert.ToString(r.GetValue(i), CultureInfo.InvariantCulture);
            rows.Add(row);
        }
        return rows;
    }
}
