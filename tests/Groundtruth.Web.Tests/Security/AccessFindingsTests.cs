using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Groundtruth.Application.Users;
using Groundtruth.Web.Tests.Records;
using Microsoft.EntityFrameworkCore;

namespace Groundtruth.Web.Tests.Security;

/// <summary>
/// Regressions of the access findings of issue 14, through the real host: personal data written through uploads without the
/// grant, who read personal data shown below administrator, and personal data left to caches.
/// </summary>
public sealed class PersonalDataAccessTests(EntryHost host) : IClassFixture<EntryHost>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<(HttpStatusCode Status, JsonNode? Body)> UploadAsync(HttpClient client, string dataset, string csv, string name = "casualties.csv")
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes(csv));
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(file, "file", name);
        using var response = await client.PostAsync($"/api/uploads/{dataset}", form, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    private async Task<long> CountAsync(string sql)
    {
        await using var db = host.Database.Target.CreateContext();
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(Ct), System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task ApproverWithoutTheGrant_CannotOverwriteNamesThroughAnUpload_AndNothingIsStored()
    {
        using var recorder = await host.Factory.ClientAsAsync(EntryHost.Recorder);
        using var approver = await host.Factory.ClientAsAsync(Roles.Approver);
        var (entered, enteredBody) = await UploadAsync(recorder, "casualties", "id,outcome,occurred_on,name\nCA-UP-1,injured,2022-06-01,Fictional Person Ilse\n");
        entered.ShouldBe(HttpStatusCode.OK, enteredBody?.ToJsonString());
        var versions = await CountAsync("SELECT count(*) FROM casualties_versions WHERE record_id = 'CA-UP-1'");
        var submissions = await CountAsync("SELECT count(*) FROM submissions");

        var (status, body) = await UploadAsync(approver, "casualties", "id,outcome,occurred_on,name\nCA-UP-1,killed,2022-06-01,Fictional Person Overwritten\n");

        status.ShouldBe(HttpStatusCode.Forbidden, body?.ToJsonString());
        body!["detail"]!.GetValue<string>().ShouldContain("personal_data");
        (await CountAsync("SELECT count(*) FROM casualties_versions WHERE record_id = 'CA-UP-1'")).ShouldBe(versions, "no version of the casualty was written");
        (await CountAsync("SELECT count(*) FROM submissions")).ShouldBe(submissions, "no submission was made");
        var data = JsonNode.Parse(await recorder.GetStringAsync("/api/casualties/CA-UP-1/personal-data", Ct))!;
        data["name"]!.GetValue<string>().ShouldBe("Fictional Person Ilse");
    }

    [Fact]
    public async Task ApproverWithoutTheGrant_StillUploadsCasualtiesWithoutPersonalData()
    {
        using var approver = await host.Factory.ClientAsAsync(Roles.Approver);

        var (status, body) = await UploadAsync(approver, "casualties", "id,outcome,occurred_on,name\nCA-UP-2,injured,2022-06-01,\n");

        status.ShouldBe(HttpStatusCode.OK, body?.ToJsonString());
        body!["inserted"]!.GetValue<int>().ShouldBe(1);
    }

    [Fact]
    public async Task ReadsOfPersonalData_AreShownToAdministratorsOnly_AndPersonalDataIsNeverCached()
    {
        using var recorder = await host.Factory.ClientAsAsync(EntryHost.Recorder);
        (await UploadAsync(recorder, "casualties", "id,outcome,occurred_on,name\nCA-UP-3,injured,2022-06-01,Fictional Person Rhea\n")).Status.ShouldBe(HttpStatusCode.OK);
        using var read = await recorder.GetAsync("/api/casualties/CA-UP-3/personal-data", Ct);
        read.StatusCode.ShouldBe(HttpStatusCode.OK);
        read.Headers.CacheControl?.NoStore.ShouldBe(true, "personal data must be kept by no cache");

        using var analyst = await host.Factory.ClientAsAsync(Roles.Analyst);
        using var administrator = await host.Factory.ClientAsAsync(Roles.Administrator);
        var asAnalyst = JsonNode.Parse(await analyst.GetStringAsync("/api/registers/casualties/CA-UP-3", Ct))!["audit"]!.AsArray();
        var asAdministrator = JsonNode.Parse(await administrator.GetStringAsync("/api/registers/casualties/CA-UP-3", Ct))!["audit"]!.AsArray();

        string[] Actions(JsonArray audit) => [.. audit.Select(a => a!["action"]!.GetValue<string>())];
        Actions(asAdministrator).ShouldContain("read_personal_data");
        Actions(asAnalyst).ShouldNotContain("read_personal_data");
        Actions(asAnalyst).ShouldContain("import", "the analyst still sees the record's other audit entries");
    }
}

/// <summary>
/// Labelled minefield records through <c>/api/features</c> and the registers: exact geometry for approvers and administrators only
/// (as <c>/api/export</c>), grid cells for analysts, and every read of one audited.
/// </summary>
public sealed class LabelledRecordsAccessTests(LabelledDemoHost host) : IClassFixture<LabelledDemoHost>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<HashSet<string>> LabelledIdsAsync()
    {
        await using var db = host.Database.Target.CreateContext();
        return [.. await db.MinefieldRecords.AsNoTracking().Where(r => r.Handling != null && r.Handling != "").Select(r => r.Id).ToListAsync(Ct)];
    }

    private async Task<long> LabelledReadsByAsync(string actor)
    {
        await using var db = host.Database.Target.CreateContext();
        return await db.AuditLog.AsNoTracking().CountAsync(a => a.Actor == actor && a.Action == "read_labelled_records", Ct);
    }

    /// <summary>Whether every coordinate of the geometry lies on the 0.01° grid (cell corners) or at a cell centre.</summary>
    private static bool OnTheGrid(JsonNode geometry)
    {
        static IEnumerable<double> Numbers(JsonNode? n) => n switch
        {
            JsonArray a => a.SelectMany(Numbers),
            JsonValue v => [v.GetValue<double>()],
            _ => [],
        };
        return Numbers(geometry["coordinates"]).All(c =>
        {
            var hundredths = c * 100;
            var offGrid = Math.Abs(hundredths - Math.Round(hundredths));
            var offCentre = Math.Abs(hundredths - 0.5 - Math.Round(hundredths - 0.5));
            return offGrid < 1e-6 || offCentre < 1e-6;
        });
    }

    [Fact]
    public async Task Analyst_GetsLabelledRecordsAsGridCellsOnly_AndTheReadIsAudited()
    {
        var labelled = await LabelledIdsAsync();
        labelled.Count.ShouldBeGreaterThan(0, "the demo labels its records");
        using var analyst = await host.Factory.ClientAsAsync(Roles.Analyst);
        var before = await LabelledReadsByAsync(Roles.Analyst);

        var page = JsonNode.Parse(await analyst.GetStringAsync("/api/features/minefield-records?limit=10000", Ct))!;

        var features = page["features"]!.AsArray();
        var mine = features.Where(f => labelled.Contains(f!["id"]!.GetValue<string>())).ToList();
        mine.Count.ShouldBe(labelled.Count);
        page["labelled_records"]!.GetValue<int>().ShouldBe(labelled.Count);
        foreach (var f in mine)
        {
            OnTheGrid(f!["geometry"]!).ShouldBeTrue($"{f["id"]} is given off the grid");
            f["properties"]!["original_wkt"]?.GetValue<string>().ShouldBeNull();
        }
        var unlabelled = features.Single(f => f!["id"]!.GetValue<string>() == "MR-U1")!;
        OnTheGrid(unlabelled["geometry"]!).ShouldBeFalse("an unlabelled record keeps its exact geometry for an analyst");
        (await LabelledReadsByAsync(Roles.Analyst)).ShouldBe(before + 1);
    }

    [Fact]
    public async Task Analyst_CannotLocateALabelledRecordWithANarrowBox()
    {
        var labelled = await LabelledIdsAsync();
        using var approver = await host.Factory.ClientAsAsync(Roles.Approver);
        using var analyst = await host.Factory.ClientAsAsync(Roles.Analyst);
        var exact = JsonNode.Parse(await approver.GetStringAsync("/api/features/minefield-records?limit=10000", Ct))!["features"]!.AsArray()
            .First(f => labelled.Contains(f!["id"]!.GetValue<string>()))!;
        var id = exact["id"]!.GetValue<string>();
        var first = exact["geometry"]!["coordinates"]!;
        while (first is JsonArray a && a[0] is JsonArray) first = a[0]!;
        var (lon, lat) = (first[0]!.GetValue<double>(), first[1]!.GetValue<double>());
        // A box beside the record's corner, inside the same grid cell but not touching the record.
        var cellLon = Math.Floor(lon * 100) / 100;
        var cellLat = Math.Floor(lat * 100) / 100;
        var box = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{cellLon + 0.00001},{cellLat + 0.00001},{cellLon + 0.00002},{cellLat + 0.00002}");
        var asApprover = JsonNode.Parse(await approver.GetStringAsync($"/api/features/minefield-records?bbox={box}", Ct))!["features"]!.AsArray();
        var asAnalyst = JsonNode.Parse(await analyst.GetStringAsync($"/api/features/minefield-records?bbox={box}", Ct))!["features"]!.AsArray();

        var approverSees = asApprover.Any(f => f!["id"]!.GetValue<string>() == id);
        var analystSees = asAnalyst.Any(f => f!["id"]!.GetValue<string>() == id);
        approverSees.ShouldBeFalse("the box misses the record's exact footprint");
        analystSees.ShouldBeTrue("the analyst's box is widened to the whole cell for a labelled record, so the answer does not tell where in the cell it lies");
    }

    [Fact]
    public async Task Approver_GetsLabelledRecordsExactly_AsTheExportDoes()
    {
        var labelled = await LabelledIdsAsync();
        using var approver = await host.Factory.ClientAsAsync(Roles.Approver);

        var page = JsonNode.Parse(await approver.GetStringAsync("/api/features/minefield-records?limit=10000", Ct))!;

        var mine = page["features"]!.AsArray().Where(f => labelled.Contains(f!["id"]!.GetValue<string>())).ToList();
        mine.Count.ShouldBe(labelled.Count);
        mine.Count(f => !OnTheGrid(f!["geometry"]!)).ShouldBeGreaterThan(0, "approvers get the exact footprints");
        (await LabelledReadsByAsync(Roles.Approver)).ShouldBeGreaterThan(0, "an approver's read of labelled records is audited too");
    }

    [Fact]
    public async Task Analyst_RegisterRowsOfLabelledRecords_CarryNoOriginalCoordinates()
    {
        var labelled = await LabelledIdsAsync();
        using var analyst = await host.Factory.ClientAsAsync(Roles.Analyst);

        var page = JsonNode.Parse(await analyst.GetStringAsync("/api/registers/minefield-records?limit=10000", Ct))!;
        var detail = JsonNode.Parse(await analyst.GetStringAsync($"/api/registers/minefield-records/{labelled.First()}", Ct))!;

        var rows = page["rows"]!.AsArray().Where(r => labelled.Contains(r!["id"]!.GetValue<string>())).ToList();
        rows.Count.ShouldBe(labelled.Count);
        rows.ShouldAllBe(r => r!["original_wkt"] == null);
        page["withheld"]!.GetValue<int>().ShouldBe(labelled.Count);
        detail["row"]!["original_wkt"].ShouldBeNull();
        detail["versions"]!.AsArray().ShouldAllBe(v => !v!["data"]!.GetValue<string>().Contains("original_wkt"));
    }
}
