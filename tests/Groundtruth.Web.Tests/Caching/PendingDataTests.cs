using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Groundtruth.Application.Datasets;
using Groundtruth.Application.Import;
using Groundtruth.Web.Setup;
using Groundtruth.Web.Tests.Statistics;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Groundtruth.Web.Tests.Caching;

/// <summary>
/// The stopped clock of the statistics tests, whose monotonic timestamps move only when told: the answers cache
/// reads the database's change stamp when <see cref="CachingSetup.DefaultCheckInterval"/> has passed on it.
/// </summary>
public sealed class ManualClock : TimeProvider
{
    private long _ticks;

    public override DateTimeOffset GetUtcNow() => StoppedClock.Now;
    public override long TimestampFrequency => TimeSpan.TicksPerSecond;
    public override long GetTimestamp() => Interlocked.Read(ref _ticks);
    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
}

internal sealed class ManualClockFactory(string database, ManualClock clock) : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting(GroundtruthSetup.DatabaseKey, database).UseSetting(SignInSetup.AttemptsPerMinuteKey, "100000");
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(clock));
    }
}

/// <summary>
/// Pending data (issue 6: only approved data counts unless the user asks to include pending data) and the answers
/// cache of the statistics and feature APIs: figures with <c>include_pending=true</c> equal an independent count
/// over the approved and pending rows; an approval through the host shows in the next answer; a write by another
/// process shows once the check interval has passed. On a GeoPackage and on PostgreSQL.
/// </summary>
public sealed class PendingDataTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string Header = "id,occurred_on,outcome,sex,age,status,lon,lat";

    /// <summary>Approved casualties, fictional, in the South Atlantic.</summary>
    private static readonly string[] Approved =
    [
        "CA-1,2019-03-02,killed,male,34,civilian,-24.50,-31.20",
        "CA-2,2019-07,killed,female,12,civilian,-24.51,-31.21",
        "CA-3,2020-01-15,injured,male,40,military,-24.52,-31.22",
        "CA-4,2021,injured,female,25,civilian,-24.53,-31.23",
        "CA-5,2022-05-05,injured,unknown,,deminer,-24.54,-31.24",
        "CA-6,2023-09-09,unknown,male,60,civilian,-24.55,-31.25",
    ];

    /// <summary>A submission waiting for approval: two new casualties and CA-3, who later died (a new version of the same person).</summary>
    private static readonly string[] Pending =
    [
        "CA-3,2020-01-15,killed,male,40,military,-24.52,-31.22",
        "CA-7,2024-02-02,injured,female,9,civilian,-24.56,-31.26",
        "CA-8,2024-03-03,killed,male,31,civilian,-24.57,-31.27",
    ];

    /// <summary>Independently of the application: the rows by id, pending ones replacing approved ones of the same id.</summary>
    private static Dictionary<string, string> Outcomes(params string[][] batches)
    {
        var byId = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in batches.SelectMany(b => b))
        {
            var cells = line.Split(',');
            byId[cells[0]] = cells[2];
        }
        return byId;
    }

    private sealed class Setup : IAsyncDisposable
    {
        public required TestDatabase Database { get; init; }
        public required ManualClock Clock { get; init; }
        public required ManualClockFactory Factory { get; init; }
        public required long PendingSubmission { get; init; }

        public async ValueTask DisposeAsync()
        {
            await Factory.DisposeAsync();
            await Database.DisposeAsync();
        }
    }

    private static async Task<long?> ImportAsync(TestDatabase database, string name, IEnumerable<string> rows, bool pending)
    {
        var file = Path.Combine(database.Folder, name);
        await File.WriteAllLinesAsync(file, [Header, .. rows], Ct);
        var result = await new ImportHandler(database.Target, TimeProvider.System)
            .HandleAsync(new ImportRequest(DatasetCatalog.Casualties, file, Pending: pending, Actor: "test"), ct: Ct);
        return result.SubmissionId;
    }

    private static async Task<Setup> CreateAsync(string backend)
    {
        var database = backend == "postgres" ? await TestDatabase.CreatePostgresAsync() : await TestDatabase.CreateAsync(withHazards: true);
        await ImportAsync(database, "approved.csv", Approved, pending: false);
        var submission = await ImportAsync(database, "pending.csv", Pending, pending: true);
        var clock = new ManualClock();
        return new Setup { Database = database, Clock = clock, Factory = new ManualClockFactory(database.Setting, clock), PendingSubmission = submission!.Value };
    }

    private static async Task<string> CliAsync(TestDatabase database, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await Groundtruth.Cli.GroundtruthCli.Build(new Groundtruth.Cli.CliContext(output, error, new StoppedClock()))
            .Parse(["--db", database.Setting, .. args]).InvokeAsync(cancellationToken: Ct);
        code.ShouldBe(0, error.ToString());
        return output.ToString();
    }

    private static async Task<JsonNode> GetJsonAsync(HttpClient client, string uri)
    {
        using var response = await client.GetAsync(uri, Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, $"{uri}: {body}");
        return JsonNode.Parse(body)!;
    }

    /// <summary>The figures' total and count per outcome must equal the independent count.</summary>
    private static void ShouldCount(JsonNode stats, Dictionary<string, string> expected)
    {
        stats["total"]!.GetValue<long>().ShouldBe(expected.Count);
        foreach (var outcome in new[] { "killed", "injured", "unknown" })
        {
            var group = stats["groups"]!.AsArray().SingleOrDefault(g => g!["outcome"]!.GetValue<string>() == outcome);
            var count = group?["count"]!.GetValue<long>() ?? 0;
            count.ShouldBe(expected.Values.Count(v => v == outcome), outcome);
        }
    }

    private static HashSet<string> Ids(JsonNode features) =>
        [.. features["features"]!.AsArray().Select(f => f!["id"]!.GetValue<string>())];

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task IncludePending_CountsApprovedAndPendingRows_AsAnIndependentCount(string backend)
    {
        await using var setup = await CreateAsync(backend);
        using var analyst = await setup.Factory.ClientAsAsync("analyst");
        var approvedOnly = Outcomes(Approved);
        var withPending = Outcomes(Approved, Pending);

        var plain = await GetJsonAsync(analyst, "/api/stats/casualties?by=outcome");
        ShouldCount(plain, approvedOnly);
        plain["includes_pending"].ShouldBeNull("without the parameter only approved data counts, as before");
        plain["definition"]!.GetValue<string>().ShouldContain("Only approved records count.");

        var pending = await GetJsonAsync(analyst, "/api/stats/casualties?by=outcome&include_pending=true");
        ShouldCount(pending, withPending);
        pending["includes_pending"]!.GetValue<bool>().ShouldBeTrue();
        pending["definition"]!.GetValue<string>().ShouldContain("includes pending data");

        (await analyst.GetStringAsync("/api/stats/casualties?by=outcome&include_pending=true", Ct))
            .ShouldBe(await CliAsync(setup.Database, "stats", "casualties", "--by", "outcome", "--include-pending", "--format", "json"));

        var killed = await GetJsonAsync(analyst, "/api/stats/casualties?where=outcome%3Dkilled&include_pending=true");
        killed["total"]!.GetValue<long>().ShouldBe(withPending.Values.Count(v => v == "killed"));

        var features = await GetJsonAsync(analyst, "/api/features/casualties?limit=10000&include_pending=true");
        features["includes_pending"]!.GetValue<bool>().ShouldBeTrue();
        features["number_matched"]!.GetValue<int>().ShouldBe(withPending.Count);
        Ids(features).ShouldBe(withPending.Keys.ToHashSet(), ignoreOrder: true);
        features["features"]!.AsArray().Single(f => f!["id"]!.GetValue<string>() == "CA-3")!["properties"]!["outcome"]!.GetValue<string>().ShouldBe("killed");
        var approvedFeatures = await GetJsonAsync(analyst, "/api/features/casualties?limit=10000");
        approvedFeatures["includes_pending"].ShouldBeNull();
        Ids(approvedFeatures).ShouldBe(approvedOnly.Keys.ToHashSet(), ignoreOrder: true);

        // The pending overlay lives on one connection only: the next plain answer is the approved one again.
        ShouldCount(await GetJsonAsync(analyst, "/api/stats/casualties?by=outcome"), approvedOnly);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task IncludePending_IsRefusedToViewers(string backend)
    {
        await using var setup = await CreateAsync(backend);
        using var viewer = await setup.Factory.ClientAsAsync("viewer");

        foreach (var uri in new[] { "/api/stats/casualties?by=outcome&include_pending=true", "/api/features/hazards?include_pending=true" })
        {
            using var response = await viewer.GetAsync(uri, Ct);
            response.StatusCode.ShouldBe(HttpStatusCode.Forbidden, uri);
        }
        using var plain = await viewer.GetAsync("/api/stats/casualties?by=outcome", Ct);
        plain.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Approval_ShowsInTheNextAnswer_WithoutWaitingForTheCheckInterval(string backend)
    {
        await using var setup = await CreateAsync(backend);
        using var analyst = await setup.Factory.ClientAsAsync("analyst");
        using var approver = await setup.Factory.ClientAsAsync("approver");
        ShouldCount(await GetJsonAsync(analyst, "/api/stats/casualties?by=outcome"), Outcomes(Approved));
        (await GetJsonAsync(analyst, "/api/features/casualties?limit=10000"))["number_matched"]!.GetValue<int>().ShouldBe(Approved.Length);

        using var approve = await approver.PostAsJsonAsync($"/api/submissions/{setup.PendingSubmission}/approve", new
        {
            items = new object[]
            {
                new { local_id = "CA-3", action = "update", national_id = "CA-3" },
                new { local_id = "CA-7", action = "new" },
                new { local_id = "CA-8", action = "new" },
            },
            reason = "checked",
        }, Ct);
        approve.IsSuccessStatusCode.ShouldBeTrue(await approve.Content.ReadAsStringAsync(Ct));

        // The clock has not moved: only the host's own invalidation on the write can make these answers new.
        var all = Outcomes(Approved, Pending);
        ShouldCount(await GetJsonAsync(analyst, "/api/stats/casualties?by=outcome"), all);
        Ids(await GetJsonAsync(analyst, "/api/features/casualties?limit=10000")).ShouldBe(all.Keys.ToHashSet(), ignoreOrder: true);
        ShouldCount(await GetJsonAsync(analyst, "/api/stats/casualties?by=outcome&include_pending=true"), all);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task WriteByAnotherProcess_ShowsOnceTheCheckIntervalHasPassed(string backend)
    {
        await using var setup = await CreateAsync(backend);
        using var analyst = await setup.Factory.ClientAsAsync("analyst");
        const string uri = "/api/stats/casualties?by=outcome";
        ShouldCount(await GetJsonAsync(analyst, uri), Outcomes(Approved));

        // Another writer on the same database (the CLI, a second host): the host learns of it only from the database.
        string[] later = ["CA-9,2024-06-06,killed,female,44,civilian,-24.58,-31.28"];
        await ImportAsync(setup.Database, "later.csv", later, pending: false);

        ShouldCount(await GetJsonAsync(analyst, uri), Outcomes(Approved));
        setup.Clock.Advance(CachingSetup.DefaultCheckInterval);
        ShouldCount(await GetJsonAsync(analyst, uri), Outcomes(Approved, later));
    }

    [Fact]
    public async Task AnonymousPosts_DoNotThrowAwayCachedAnswers()
    {
        await using var setup = await CreateAsync("sqlite");
        using var analyst = await setup.Factory.ClientAsAsync("analyst");
        const string uri = "/api/stats/casualties?by=outcome";
        ShouldCount(await GetJsonAsync(analyst, uri), Outcomes(Approved));
        string[] later = ["CA-9,2024-06-06,killed,female,44,civilian,-24.58,-31.28"];
        await ImportAsync(setup.Database, "later.csv", later, pending: false);

        // Signed-out POSTs (refused, or to no endpoint at all) change nothing, so they must not invalidate: the
        // cached answer stays until the check interval passes.
        using var anonymous = setup.Factory.CreateClient();
        (await anonymous.PostAsJsonAsync("/api/records/casualties", new { id = "X" }, Ct)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await anonymous.PostAsJsonAsync("/api/token", new { id = "X" }, Ct)).IsSuccessStatusCode.ShouldBeFalse();
        using var _page = await anonymous.PostAsJsonAsync("/no-such-path", new { id = "X" }, Ct);
        ShouldCount(await GetJsonAsync(analyst, uri), Outcomes(Approved));

        // A signed-in write does invalidate (here one that is refused, which is harmless: the next answer is recomputed).
        using var approver = await setup.Factory.ClientAsAsync("approver");
        using var refused = await approver.PostAsJsonAsync("/api/records/casualties", new { id = "X" }, Ct);
        ShouldCount(await GetJsonAsync(analyst, uri), Outcomes(Approved, later));
    }

    [Fact]
    public async Task Dashboard_CountsPendingDataWhenTicked_AndSaysSo()
    {
        await using var setup = await CreateAsync("sqlite");
        using var analyst = setup.Factory.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = true });
        await PageSession.SignInAsync(analyst, "analyst");

        // Every year (the dashboard shows this year unless told otherwise).
        var plain = await Statistics.DashboardComputed.HtmlAsync(analyst, "/?from=1900");
        plain.ShouldContain("name=\"include_pending\"");
        plain.ShouldMatch($"<h2 id=\"casualties-title\">Casualties per month</h2>\\s*<div class=\"value\" data-total=\"{Approved.Length}\"");
        plain.ShouldNotContain("data-includes-pending");

        var pending = await Statistics.DashboardComputed.HtmlAsync(analyst, "/?from=1900&include_pending=true");
        pending.ShouldContain("data-includes-pending=\"true\"");
        pending.ShouldMatch($"<h2 id=\"casualties-title\">Casualties per month \\(includes pending data\\)</h2>\\s*<div class=\"value\" data-total=\"{Outcomes(Approved, Pending).Count}\"");

        using var viewer = setup.Factory.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = true });
        await PageSession.SignInAsync(viewer, "viewer");
        var refused = await viewer.GetStringAsync("/?include_pending=true", Ct);
        refused.ShouldNotContain("name=\"include_pending\"");
        refused.ShouldNotContain("data-includes-pending");
        refused.ShouldContain("analysts and above only");
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task BoundingBox_SelectsEveryPointInsideOrOnTheEdge_AsAnIndependentTest(string backend)
    {
        await using var setup = await CreateAsync(backend);
        using var analyst = await setup.Factory.ClientAsAsync("analyst");
        var (west, south, east, north) = (-24.55, -31.26, -24.52, -31.22);
        var expected = Approved.Select(l => l.Split(','))
            .Where(c => double.Parse(c[6], System.Globalization.CultureInfo.InvariantCulture) is var x && x >= west && x <= east)
            .Where(c => double.Parse(c[7], System.Globalization.CultureInfo.InvariantCulture) is var y && y >= south && y <= north)
            .Select(c => c[0]).ToHashSet();
        expected.ShouldContain("CA-3", "a corner of the box lies on CA-3");
        expected.ShouldContain("CA-6", "the west edge passes through CA-6");

        var box = await GetJsonAsync(analyst, "/api/features/casualties?bbox=-24.55,-31.26,-24.52,-31.22&limit=10000");

        box["number_matched"]!.GetValue<int>().ShouldBe(expected.Count);
        Ids(box).ShouldBe(expected, ignoreOrder: true);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task CachedAnswers_AreNeverServedAcrossRoles(string backend)
    {
        await using var setup = await CreateAsync(backend);
        using var analyst = await setup.Factory.ClientAsAsync("analyst");
        using var viewer = await setup.Factory.ClientAsAsync("viewer");
        const string stats = "/api/stats/casualties?by=outcome";
        const string hazards = "/api/features/hazards?limit=10000";

        // The analyst asks first, so an answer made for the analyst is in the cache when the viewer asks the same.
        var exact = await GetJsonAsync(analyst, stats);
        exact["small_cells_suppressed"].ShouldBeNull();
        exact["total"]!.GetValue<long>().ShouldBe(Approved.Length);
        var exactHazards = await GetJsonAsync(analyst, hazards);
        exactHazards["generalised_to_degrees"].ShouldBeNull();

        var suppressed = await GetJsonAsync(viewer, stats);
        suppressed["small_cells_suppressed"]!.GetValue<bool>().ShouldBeTrue();
        suppressed["groups"]!.AsArray().ShouldAllBe(g => g!["count"] == null || g["count"]!.GetValue<long>() >= 5);
        var generalised = await GetJsonAsync(viewer, hazards);
        generalised["generalised_to_degrees"]!.GetValue<double>().ShouldBe(0.01);
        generalised.ToJsonString().ShouldNotBe(exactHazards.ToJsonString());
        generalised.ToJsonString().ShouldNotContain("original_wkt");
    }

    [Fact]
    public async Task MapPage_OffersPendingData_ToAnalystsOnly()
    {
        await using var setup = await CreateAsync("sqlite");
        using var analyst = setup.Factory.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = true });
        await PageSession.SignInAsync(analyst, "analyst");
        (await analyst.GetStringAsync("/map", Ct)).ShouldContain("name=\"include_pending\"");

        using var viewer = setup.Factory.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = true });
        await PageSession.SignInAsync(viewer, "viewer");
        (await viewer.GetStringAsync("/map", Ct)).ShouldNotContain("include_pending");
    }
}
