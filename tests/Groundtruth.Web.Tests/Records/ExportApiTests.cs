using System.Net;
using System.Text.Json.Nodes;
using Groundtruth.Application.Export;
using Groundtruth.Application.Users;
using Groundtruth.Web.Apis;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Groundtruth.Web.Tests.Records;

/// <summary>
/// <c>GET /api/export/{dataset}</c>: minefield records with a handling label leave only with approvers and
/// administrators (docs/decisions/0009-web-exports.md), viewers get grid cells only, personal data never, and every
/// export is in the audit log.
/// </summary>
public sealed class ExportApiTests(LabelledDemoHost host) : IClassFixture<LabelledDemoHost>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Read straight from the GeoPackage, not through the application.</summary>
    private async Task<(HashSet<string> Labelled, HashSet<string> All)> RecordsInTheFileAsync()
    {
        await using var connection = new SqliteConnection($"Data Source={host.Database.Path};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync(Ct);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT id, handling FROM minefield_records";
        var labelled = new HashSet<string>();
        var all = new HashSet<string>();
        await using var reader = await cmd.ExecuteReaderAsync(Ct);
        while (await reader.ReadAsync(Ct))
        {
            all.Add(reader.GetString(0));
            if (!reader.IsDBNull(1) && reader.GetString(1).Length > 0) labelled.Add(reader.GetString(0));
        }
        return (labelled, all);
    }

    private static HashSet<string> CsvIds(string csv) =>
        [.. csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(line => line.Split(',')[0])];

    [Theory]
    [InlineData(Roles.Viewer, false)]
    [InlineData(Roles.Analyst, false)]
    [InlineData(Roles.Editor, false)]
    [InlineData(Roles.Approver, true)]
    [InlineData(Roles.Administrator, true)]
    public async Task MinefieldRecords_UnderAHandlingLabel_LeaveOnlyWithApproversAndAdministrators(string role, bool allowed)
    {
        var (labelled, all) = await RecordsInTheFileAsync();
        labelled.Count.ShouldBeGreaterThan(0);
        using var client = await host.Factory.ClientAsAsync(role);

        using var response = await client.GetAsync("/api/export/minefield-records?format=csv", Ct);
        var csv = await response.Content.ReadAsStringAsync(Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.OK, csv);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/csv");
        var ids = CsvIds(csv);
        var withheld = int.Parse(response.Headers.GetValues(ExportApi.WithheldHeader).Single(), System.Globalization.CultureInfo.InvariantCulture);
        if (allowed)
        {
            ids.ShouldBe(all, ignoreOrder: true);
            withheld.ShouldBe(0);
        }
        else
        {
            ids.ShouldBe(all.Except(labelled), ignoreOrder: true);
            ids.ShouldNotBeEmpty();
            withheld.ShouldBe(labelled.Count);
        }
    }

    [Fact]
    public async Task GeoJson_SaysWhatWasLeftOut_AndAViewerGetsGridCellsOnly()
    {
        var (labelled, _) = await RecordsInTheFileAsync();
        using var viewer = await host.Factory.ClientAsAsync(Roles.Viewer);

        var records = JsonNode.Parse(await viewer.GetStringAsync("/api/export/minefield-records?format=geojson", Ct))!;
        records["withheld"]!["records"]!.GetValue<int>().ShouldBe(labelled.Count);
        records["withheld"]!["reason"]!.GetValue<string>().ShouldContain("handling label");
        records["generalised_to_degrees"]!.GetValue<double>().ShouldBe(0.01);

        var finds = JsonNode.Parse(await viewer.GetStringAsync("/api/export/finds?format=geojson", Ct))!["features"]!.AsArray();
        finds.Count.ShouldBeGreaterThan(0);
        foreach (var f in finds)
        {
            foreach (var c in f!["geometry"]!["coordinates"]!.AsArray().Select(v => v!.GetValue<double>()))
                Math.Abs(Math.Round((c - 0.005) / 0.01) * 0.01 + 0.005 - c).ShouldBeLessThan(1e-9, $"{f["id"]}: {c} is not a 0.01° cell centre");
            f["properties"]!.AsObject().ContainsKey("original_wkt").ShouldBeFalse();
        }
        using var csv = new CsvHelper.CsvReader(new StringReader(await viewer.GetStringAsync("/api/export/finds?format=csv", Ct)), System.Globalization.CultureInfo.InvariantCulture);
        csv.Read();
        csv.ReadHeader();
        var rows = 0;
        while (csv.Read())
        {
            rows++;
            csv.GetField("original_wkt").ShouldBeNullOrEmpty();
            foreach (var c in new[] { csv.GetField<double>("lon"), csv.GetField<double>("lat") })
                Math.Abs(Math.Round((c - 0.005) / 0.01) * 0.01 + 0.005 - c).ShouldBeLessThan(1e-9, $"{csv.GetField("id")}: {c} is not a 0.01° cell centre");
        }
        rows.ShouldBe(finds.Count);
    }

    [Theory]
    [InlineData(Roles.Analyst, true)]
    [InlineData(Roles.Approver, false)]
    public async Task RegisterPage_HasExportButtons_AndSaysBeforehandWhatWillBeLeftOut(string role, bool leftOut)
    {
        var (labelled, _) = await RecordsInTheFileAsync();
        using var client = host.Factory.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = true });
        await PageSession.SignInAsync(client, role);

        var html = await client.GetStringAsync("/registers/minefield-records", Ct);

        html.ShouldContain("href=\"/api/export/minefield-records?format=csv\"");
        html.ShouldContain("href=\"/api/export/minefield-records?format=geojson\"");
        if (leftOut) html.ShouldContain($"{labelled.Count} record(s) carrying a handling label are left out for your role");
        else html.ShouldNotContain("id=\"export-note\"");
    }

    [Fact]
    public async Task Casualties_AreNotForViewers_AndNeverCarryPersonalData()
    {
        using var viewer = await host.Factory.ClientAsAsync(Roles.Viewer);
        (await viewer.GetAsync("/api/export/casualties", Ct)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        using var keeper = await host.Factory.ClientAsAsync(TestUsers.Keeper);
        var csv = await keeper.GetStringAsync("/api/export/casualties?format=csv", Ct);
        var header = csv.Split('\n')[0].Split(',');
        header.ShouldContain("outcome");
        header.ShouldNotContain("name");
        header.ShouldNotContain("date_of_birth");
        header.ShouldNotContain("injuries");
    }

    [Fact]
    public async Task EveryExport_IsAudited_WithWhatWasLeftOut()
    {
        var (labelled, _) = await RecordsInTheFileAsync();
        using var analyst = await host.Factory.ClientAsAsync(Roles.Analyst);
        using var admin = await host.Factory.ClientAsAsync(Roles.Administrator);
        var before = (await AuditRowsAsync(admin)).Count;
        (await analyst.GetAsync("/api/export/minefield-records?format=geojson", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var rows = await AuditRowsAsync(admin);

        rows.Count.ShouldBe(before + 1);
        rows[0]!["actor"]!.GetValue<string>().ShouldBe(Roles.Analyst);
        var detail = JsonNode.Parse(rows[0]!["detail"]!.GetValue<string>())!;
        detail["format"]!.GetValue<string>().ShouldBe("geojson");
        detail["withheld"]!.GetValue<int>().ShouldBe(labelled.Count);
    }

    private static async Task<List<JsonNode?>> AuditRowsAsync(HttpClient admin)
    {
        // Newest first.
        return [.. JsonNode.Parse(await admin.GetStringAsync("/api/audit?action=export&actor=analyst&dataset=minefield-records&limit=1000", Ct))!.AsArray()];
    }

    // Kept export files (ExportCache, issue 11): asked again, the same bytes; each role its own file whoever asked first;
    // every request audited; a change made outside the host seen within the check interval.

    private static async Task<int> ExportsAuditedAsync(HttpClient admin, string actor) =>
        JsonNode.Parse(await admin.GetStringAsync($"/api/audit?action=export&actor={actor}&dataset=minefield-records&limit=1000", Ct))!.AsArray().Count;

    [Fact]
    public async Task AskedAgain_EachRoleGetsItsOwnKeptFile_EveryRequestIsAudited_AndAChangeIsSeen()
    {
        var cache = host.Factory.Services.GetRequiredService<ExportCache>();
        using var approver = await host.Factory.ClientAsAsync(Roles.Approver);
        using var analyst = await host.Factory.ClientAsAsync(Roles.Analyst);
        using var viewer = await host.Factory.ClientAsAsync(Roles.Viewer);
        using var admin = await host.Factory.ClientAsAsync(Roles.Administrator);
        const string url = "/api/export/minefield-records?format=csv";
        var auditedBefore = await ExportsAuditedAsync(admin, Roles.Analyst);

        // The approver asks first: everything, labelled records included, is written and kept for the approver's limits.
        var full = await approver.GetStringAsync(url, Ct);
        var limited = await analyst.GetStringAsync(url, Ct);
        var cells = await viewer.GetStringAsync(url, Ct);
        CsvIds(limited).Count.ShouldBe(LabelledDemoHost.Unlabelled.Count, "the analyst's export is not the approver's kept file");
        CsvIds(full).Count.ShouldBeGreaterThan(CsvIds(limited).Count);
        cells.ShouldNotBe(limited);
        var kept = cache.Count;
        kept.ShouldBeGreaterThanOrEqualTo(3);

        (await analyst.GetStringAsync(url, Ct)).ShouldBe(limited);
        (await approver.GetStringAsync(url, Ct)).ShouldBe(full);
        (await viewer.GetStringAsync(url, Ct)).ShouldBe(cells);
        cache.Count.ShouldBe(kept, "asked again, no new file");
        (await ExportsAuditedAsync(admin, Roles.Analyst)).ShouldBe(auditedBefore + 2, "a kept file is audited like a fresh one");

        // A record imported outside the host (as the CLI would): seen within the check interval (1 s), by every role.
        await host.ImportAsync("""
            id,source,reference,laid_on,handed_over_on,declared_devices,device_models,position_uncertainty_m,handling,wkt
            MR-U3,Test Brigade,TB/3,2022-01,2024-05-01,5,K-7,10,,"POINT(-24.61 -31.11)"
            """);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        string after;
        do
        {
            await Task.Delay(200, Ct);
            using var response = await analyst.GetAsync(url, Ct);
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
            after = await response.Content.ReadAsStringAsync(Ct);
        }
        while (!CsvIds(after).Contains("MR-U3") && DateTime.UtcNow < deadline);
        CsvIds(after).ShouldBe([.. LabelledDemoHost.Unlabelled, "MR-U3"], ignoreOrder: true);
        CsvIds(await approver.GetStringAsync(url, Ct)).ShouldBe([.. CsvIds(full), "MR-U3"], ignoreOrder: true);
    }
}
