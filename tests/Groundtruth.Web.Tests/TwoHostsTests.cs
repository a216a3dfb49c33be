using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Groundtruth.Application.Users;

namespace Groundtruth.Web.Tests;

/// <summary>
/// Two web hosts, as a national server behind a load balancer runs them, on one PostgreSQL database (issue 14, item 7):
/// each keeps its own answer cache and risk maps, a write through one is seen through the other within the cache's
/// change-check interval, and neither host's maps or clean-up touch the other's.
/// </summary>
public sealed class TwoHostsTests
{
    private const int CheckIntervalMs = 1000;
    private static readonly TimeSpan Startup = TimeSpan.FromSeconds(90);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<(WebProcess Web, HttpClient Analyst)> StartAsync(TestDatabase database)
    {
        var web = WebProcess.Start(database.Folder, "--urls", "http://127.0.0.1:0", "--Groundtruth:Database", database.Setting,
            "--Groundtruth:Cache:CheckIntervalMs", CheckIntervalMs.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var (url, _) = await web.ListeningAsync(Startup);
        return (web, await ClientAsync(url, Roles.Analyst));
    }

    private static async Task<HttpClient> ClientAsync(Uri url, string role)
    {
        var client = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromMinutes(3) };
        client.DefaultRequestHeaders.Authorization = new("Bearer", await TestUsers.TokenAsync(client, role));
        return client;
    }

    private static async Task<long> FindsAsync(HttpClient client) =>
        JsonNode.Parse(await client.GetStringAsync("/api/stats/finds", Ct))!["total"]!.GetValue<long>();

    [Fact]
    public async Task AWriteThroughOneHost_IsSeenThroughTheOther_WithinTheCheckInterval_AndTheirCachesAndMapsStayApart()
    {
        await using var database = await TestDatabase.CreatePostgresDemoAsync();
        var (a, analystA) = await StartAsync(database);
        var (b, analystB) = await StartAsync(database);
        using var _a = a;
        using var _b = b;
        using var __a = analystA;
        using var __b = analystB;

        // Both hosts answer, and cache, the same figure.
        var before = await FindsAsync(analystA);
        before.ShouldBeGreaterThan(0);
        (await FindsAsync(analystB)).ShouldBe(before);
        (await FindsAsync(analystB)).ShouldBe(before);

        // Both compute a risk map at once, each in its own folder, and agree.
        var maps = await Task.WhenAll(
            analystA.GetStringAsync("/api/risk/map/risk.top.csv?cell=1000", Ct),
            analystB.GetStringAsync("/api/risk/map/risk.top.csv?cell=1000", Ct));
        maps[0].ShouldNotBeEmpty();
        maps[1].ShouldBe(maps[0], "the same data gives the same map on either host");

        // A write through A: A sees it at once (its own write), B once its change check runs.
        using var approverA = await ClientAsync(analystA.BaseAddress!, Roles.Approver);
        using var posted = await approverA.PostAsJsonAsync("/api/records/finds",
            new { id = "FD-TWO-HOSTS", found_on = "2024-05-02", category = "uxo", quantity = 1, lon = -24.51, lat = -31.52 }, Ct);
        posted.StatusCode.ShouldBe(HttpStatusCode.Created, await posted.Content.ReadAsStringAsync(Ct));
        (await FindsAsync(analystA)).ShouldBe(before + 1, "a host's own write moves its data version at once");

        var clock = Stopwatch.StartNew();
        long seen;
        while ((seen = await FindsAsync(analystB)) == before && clock.Elapsed < TimeSpan.FromSeconds(30)) await Task.Delay(50, Ct);
        TestContext.Current.TestOutputHelper?.WriteLine($"the second host saw the write after {clock.ElapsedMilliseconds} ms");
        seen.ShouldBe(before + 1, "the other host sees the write once it checks the database's change stamp");
        // The stated interval is 1 s; the margin covers a loaded CI machine (a request and a stamp query each way).
        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromMilliseconds(CheckIntervalMs) + TimeSpan.FromSeconds(5),
            $"seen after {clock.ElapsedMilliseconds} ms, the check interval is {CheckIntervalMs} ms");

        // A third host starting (its start-up removes stale map folders) and A stopping leave B's maps alone:
        // B recomputes for the new data version and serves it.
        a.Dispose();
        var (c, analystC) = await StartAsync(database);
        using var _c = c;
        using var __c = analystC;
        var afterB = await analystB.GetStringAsync("/api/risk/map/risk.top.csv?cell=1000", Ct);
        var afterC = await analystC.GetStringAsync("/api/risk/map/risk.top.csv?cell=1000", Ct);
        afterB.ShouldNotBeEmpty();
        afterC.ShouldBe(afterB);
        (await FindsAsync(analystC)).ShouldBe(before + 1);
    }
}
