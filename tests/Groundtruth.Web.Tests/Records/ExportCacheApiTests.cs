using System.Net;
using System.Text.Json.Nodes;
using Groundtruth.Application.Export;
using Groundtruth.Application.Users;
using Microsoft.Extensions.DependencyInjection;

namespace Groundtruth.Web.Tests.Records;

/// <summary>
/// <c>GET /api/export/{dataset}</c> keeps the file it wrote per dataset version and role limits (<see cref="ExportCache"/>,
/// issue 11): asked again, the same bytes; each role its own file whoever asked first; every request audited; a change
/// made outside the host seen within the check interval.
/// </summary>
public sealed class ExportCacheApiTests(LabelledDemoHost host) : IClassFixture<LabelledDemoHost>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static HashSet<string> CsvIds(string csv) =>
        [.. csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(line => line.Split(',')[0])];

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
