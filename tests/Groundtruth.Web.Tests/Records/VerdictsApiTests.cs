using System.Net;
using System.Text.Json.Nodes;
using Groundtruth.Application.Users;
using Groundtruth.Cli;
using Microsoft.EntityFrameworkCore;

namespace Groundtruth.Web.Tests.Records;

/// <summary><c>GET /api/records/accuracy/verdicts</c> gives the verdicts of <c>groundtruth records accuracy --format json</c>, and a viewer only those of records it may see.</summary>
public sealed class VerdictsApiTests(LabelledDemoHost host) : IClassFixture<LabelledDemoHost>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<Dictionary<string, string>> CliVerdictsAsync()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await GroundtruthCli.RunAsync(["--db", host.Database.Path, "records", "accuracy", "--format", "json"], output, error);
        code.ShouldBe(0, error.ToString());
        return JsonNode.Parse(output.ToString())!["per_record"]!.AsArray()
            .ToDictionary(r => r!["id"]!.GetValue<string>(), r => r!["verdict"]!.GetValue<string>());
    }

    private async Task<JsonNode> VerdictsAsync(string caller)
    {
        using var client = await host.Factory.ClientAsAsync(caller);
        using var response = await client.GetAsync("/api/records/accuracy/verdicts", Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, body);
        return JsonNode.Parse(body)!;
    }

    private static Dictionary<string, string> Verdicts(JsonNode body) =>
        body["records"]!.AsArray().ToDictionary(r => r!["id"]!.GetValue<string>(), r => r!["verdict"]!.GetValue<string>());

    [Fact]
    public async Task Analyst_GetsEveryRecordsVerdict_AsTheCliGivesIt()
    {
        var cli = await CliVerdictsAsync();
        var body = await VerdictsAsync(Roles.Analyst);

        var api = Verdicts(body);
        api.ShouldBe(cli, ignoreOrder: true);
        cli.Values.Distinct().Count().ShouldBeGreaterThan(1, "the demo has records of more than one verdict");
        body["verdicts"]!.AsArray().Select(v => v!.GetValue<string>()).ShouldBe(["confirmed", "not_found_after_processing", "not_yet_processed", "excluded"]);
        foreach (var verdict in new[] { "confirmed", "not_found_after_processing", "not_yet_processed" })
            body["counts"]![verdict]!.GetValue<int>().ShouldBe(cli.Values.Count(v => v == verdict), verdict);
        body["parameters"]!["min_processed"]!.GetValue<double>().ShouldBe(0.5);
        body["records"]![0]!["source"].ShouldNotBeNull("analysts get the figures behind the verdict");
    }

    [Fact]
    public async Task Viewer_GetsOnlyTheVerdictsOfRecordsWithoutAHandlingLabel_AndNoFigures()
    {
        var cli = await CliVerdictsAsync();
        var body = await VerdictsAsync(Roles.Viewer);

        // The records without a label, read from the database itself (another test of this class may add one).
        await using var db = host.Database.Target.CreateContext();
        var unlabelled = await db.MinefieldRecords.AsNoTracking().Where(r => r.Handling == null).Select(r => r.Id).ToListAsync(Ct);
        unlabelled.ShouldBeSubsetOf(cli.Keys);
        LabelledDemoHost.Unlabelled.ShouldBeSubsetOf(unlabelled);
        var api = Verdicts(body);
        api.Keys.ShouldBe(unlabelled, ignoreOrder: true);
        foreach (var (id, verdict) in api) verdict.ShouldBe(cli[id], id);
        foreach (var r in body["records"]!.AsArray())
        {
            r!["source"].ShouldBeNull();
            r["devices_found_inside"].ShouldBeNull();
        }
        body["note"]!.GetValue<string>().ShouldContain("handling label");
    }

    [Fact]
    public async Task Verdicts_FollowTheData_WhenARecordIsAdded()
    {
        var before = Verdicts(await VerdictsAsync(Roles.Analyst));
        before.ShouldNotContainKey("MR-U3");

        await host.ImportAsync("""
            id,source,reference,laid_on,handed_over_on,declared_devices,device_models,position_uncertainty_m,handling,wkt
            MR-U3,Test Brigade,TB/3,2022-01,2024-05-02,5,K-7,,,"POLYGON((-24.70 -31.20, -24.69 -31.20, -24.69 -31.19, -24.70 -31.19, -24.70 -31.20))"
            """);

        // Written beside the host, as the CLI would: the host sees it at its next change check (docs/web.md,
        // "Caching": at most CheckInterval later), so ask until then, and a little longer on a loaded machine.
        var after = Verdicts(await VerdictsAsync(Roles.Analyst));
        for (var tries = 0; !after.ContainsKey("MR-U3") && tries < 50; tries++)
        {
            await Task.Delay(Groundtruth.Web.Setup.CachingSetup.DefaultCheckInterval / 5, Ct);
            after = Verdicts(await VerdictsAsync(Roles.Analyst));
        }
        after.ShouldContainKey("MR-U3");
        after.ShouldBe(await CliVerdictsAsync(), ignoreOrder: true);
    }
}
