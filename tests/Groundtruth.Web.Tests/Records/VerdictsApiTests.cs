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

    [Fact]
    public async Task AClientThatAsksNotToWait_Gets202WhileTheVerdictsCompute_ThenTheSameAnswer()
    {
        using var analyst = await host.Factory.ClientAsAsync(Roles.Analyst);
        async Task<string> StateAsync() =>
            JsonNode.Parse(await analyst.GetStringAsync("/api/records/accuracy/verdicts/status", Ct))!["state"]!.GetValue<string>();
        static HttpRequestMessage Preferring(string prefer)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, "/api/records/accuracy/verdicts");
            request.Headers.TryAddWithoutValidation("Prefer", prefer);
            return request;
        }

        Verdicts(await VerdictsAsync(Roles.Analyst)).ShouldNotContainKey("MR-U4");
        (await StateAsync()).ShouldBe("ready");
        await host.ImportAsync("""
            id,source,reference,laid_on,handed_over_on,declared_devices,device_models,position_uncertainty_m,handling,wkt
            MR-U4,Test Brigade,TB/4,2022-01,2024-05-02,3,K-7,,,"POLYGON((-24.68 -31.20, -24.67 -31.20, -24.67 -31.19, -24.68 -31.19, -24.68 -31.20))"
            """);
        // Once the host has seen the change (its next change check), nothing is computed under the new data.
        var state = await StateAsync();
        for (var tries = 0; state != "none" && tries < 50; tries++)
        {
            await Task.Delay(Groundtruth.Web.Setup.CachingSetup.DefaultCheckInterval / 5, Ct);
            state = await StateAsync();
        }
        state.ShouldBe("none");

        // wait=0: the answer comes before the computation just started can finish.
        using (var accepted = await analyst.SendAsync(Preferring("respond-async, wait=0"), Ct))
        {
            var body = await accepted.Content.ReadAsStringAsync(Ct);
            accepted.StatusCode.ShouldBe(HttpStatusCode.Accepted, body);
            accepted.Headers.Location!.OriginalString.ShouldBe("/api/records/accuracy/verdicts/status");
            accepted.Headers.RetryAfter!.Delta.ShouldBe(TimeSpan.FromSeconds(1));
            accepted.Headers.GetValues("Preference-Applied").Single().ShouldBe("respond-async");
            accepted.Headers.Vary.ShouldContain("Prefer");
            JsonNode.Parse(body)!["state"]!.GetValue<string>().ShouldBe("computing");
        }
        for (var tries = 0; (state = await StateAsync()) == "computing" && tries < 600; tries++) await Task.Delay(100, Ct);
        state.ShouldBe("ready");

        using var ready = await analyst.SendAsync(Preferring("respond-async, wait=0"), Ct);
        ready.StatusCode.ShouldBe(HttpStatusCode.OK);
        var withPreference = JsonNode.Parse(await ready.Content.ReadAsStringAsync(Ct))!;
        Verdicts(withPreference).ShouldContainKey("MR-U4");
        var without = await VerdictsAsync(Roles.Analyst);
        withPreference["records"]!.ToJsonString().ShouldBe(without["records"]!.ToJsonString());
        withPreference["computed_at"]!.GetValue<DateTime>().ShouldBe(without["computed_at"]!.GetValue<DateTime>(), "one computation");
    }
}
