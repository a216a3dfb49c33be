using System.Net;
using System.Text.Json.Nodes;
using Groundtruth.Application.Risk;
using Groundtruth.Application.Users;
using Groundtruth.Web.Apis;
using Groundtruth.Web.Tests.Records;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Groundtruth.Web.Tests.Risk;

/// <summary>
/// <c>Prefer: respond-async</c> (RFC 7240) on the routes that compute (issue 11): while the risk map or the priorities are
/// not ready, 202 Accepted with where the computation stands and the status route in <c>Location</c>, nothing delivered
/// and nothing audited; once ready, the same answer as without the preference. Without it a route waits, as before.
/// </summary>
public sealed class RespondAsyncTests(LabelledDemoHost host) : IClassFixture<LabelledDemoHost>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static HttpRequestMessage Get(string url, string prefer)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.TryAddWithoutValidation("Prefer", prefer);
        return request;
    }

    private static async Task<int> AuditCountAsync(HttpClient admin, string action) =>
        JsonNode.Parse(await admin.GetStringAsync($"/api/audit?action={action}&actor={Roles.Analyst}&limit=1000", Ct))!.AsArray().Count;

    private static async Task<string> ReadyAsync(HttpClient client, string statusUrl)
    {
        for (var i = 0; i < 600; i++)
        {
            var state = JsonNode.Parse(await client.GetStringAsync(statusUrl, Ct))!["state"]!.GetValue<string>();
            if (state is "ready" or "failed") return state;
            await Task.Delay(200, Ct);
        }
        return "timeout";
    }

    [Fact]
    public async Task WhileTheMapAndThePrioritiesCompute_A202SaysWhereTheyStand_ThenTheAnswerIsTheOneWithoutThePreference()
    {
        var maps = host.Factory.Services.GetRequiredService<RiskMaps>();
        using var analyst = await host.Factory.ClientAsAsync(Roles.Analyst);
        using var admin = await host.Factory.ClientAsAsync(Roles.Administrator);
        var downloads = await AuditCountAsync(admin, RiskService.DownloadAction);
        var views = await AuditCountAsync(admin, RiskService.ViewPrioritiesAction);

        // Another computation holds the host's only turn: the map and the ranking must wait.
        var release = new TaskCompletionSource();
        var holding = maps.ExclusiveAsync(async () => { await release.Task; return 0; }, Ct);
        try
        {
            using var map = await analyst.SendAsync(Get("/api/risk/map?cell=340&in=%20", "respond-async, wait=0"), Ct);
            map.StatusCode.ShouldBe(HttpStatusCode.Accepted, await map.Content.ReadAsStringAsync(Ct));
            map.Headers.Location!.OriginalString.ShouldBe("/api/risk/map/status?cell=340");
            map.Headers.RetryAfter!.Delta.ShouldBe(TimeSpan.FromSeconds(1));
            map.Headers.GetValues("Preference-Applied").Single().ShouldBe("respond-async");
            map.Headers.Vary.ShouldContain("Prefer");
            var body = JsonNode.Parse(await map.Content.ReadAsStringAsync(Ct))!;
            body["state"]!.GetValue<string>().ShouldBe("waiting");

            using var png = await analyst.SendAsync(Get("/api/risk/map/risk.png?cell=340", "wait=0; x=1, respond-async"), Ct);
            png.StatusCode.ShouldBe(HttpStatusCode.Accepted);
            png.Content.Headers.ContentType!.MediaType.ShouldBe("application/json");

            // The default wait (the pages' 2 s) runs out too while the turn is held.
            using var priorities = await analyst.SendAsync(Get("/api/priorities", "respond-async"), Ct);
            priorities.StatusCode.ShouldBe(HttpStatusCode.Accepted);
            priorities.Headers.Location!.OriginalString.ShouldBe("/api/priorities/status");
            JsonNode.Parse(await priorities.Content.ReadAsStringAsync(Ct))!["state"]!.GetValue<string>().ShouldBe("waiting");

            (await AuditCountAsync(admin, RiskService.DownloadAction)).ShouldBe(downloads, "nothing was delivered");
            (await AuditCountAsync(admin, RiskService.ViewPrioritiesAction)).ShouldBe(views);
        }
        finally
        {
            release.SetResult();
            await holding;
        }

        (await ReadyAsync(analyst, "/api/risk/map/status?cell=340")).ShouldBe("ready");
        using var ready = await analyst.SendAsync(Get("/api/risk/map?cell=340", "respond-async, wait=0"), Ct);
        ready.StatusCode.ShouldBe(HttpStatusCode.OK);
        var withPreference = JsonNode.Parse(await ready.Content.ReadAsStringAsync(Ct))!;
        var without = JsonNode.Parse(await analyst.GetStringAsync("/api/risk/map?cell=340", Ct))!;
        withPreference["top"]!.ToJsonString().ShouldBe(without["top"]!.ToJsonString());
        withPreference["computed_at"]!.GetValue<DateTime>().ShouldBe(without["computed_at"]!.GetValue<DateTime>(), "one computation");
        (await AuditCountAsync(admin, RiskService.DownloadAction)).ShouldBe(downloads + 2);

        (await ReadyAsync(analyst, "/api/priorities/status")).ShouldBe("ready");
        using var ranked = await analyst.SendAsync(Get("/api/priorities", "respond-async"), Ct);
        ranked.StatusCode.ShouldBe(HttpStatusCode.OK);
        JsonNode.Parse(await ranked.Content.ReadAsStringAsync(Ct))!["rows"]!.AsArray().Count.ShouldBeGreaterThan(0);
        (await AuditCountAsync(admin, RiskService.ViewPrioritiesAction)).ShouldBe(views + 1);
    }

    [Fact]
    public void ThePreference_IsReadAsRfc7240WritesIt()
    {
        static AsyncPreference? Of(params string[] values)
        {
            var context = new DefaultHttpContext();
            foreach (var v in values) context.Request.Headers.Append("Prefer", v);
            return AsyncPreference.Of(context.Request);
        }
        Of().ShouldBeNull();
        Of("return=minimal").ShouldBeNull();
        Of("respond-async").ShouldBe(new AsyncPreference(null));
        Of("RESPOND-ASYNC, wait=5").ShouldBe(new AsyncPreference(TimeSpan.FromSeconds(5)));
        Of("wait=\"3\"", "respond-async").ShouldBe(new AsyncPreference(TimeSpan.FromSeconds(3)));
        Of("respond-async, wait=100000").ShouldBe(new AsyncPreference(TimeSpan.FromSeconds(AsyncPreference.MaxWaitSeconds)));
        Of("respond-async, wait=-1").ShouldBe(new AsyncPreference(null));
        Of("respond-async, wait = 4").ShouldBe(new AsyncPreference(TimeSpan.FromSeconds(4)), "RFC 7240 allows spaces around =");
        Of("respond-async=x").ShouldBeNull();
    }
}
