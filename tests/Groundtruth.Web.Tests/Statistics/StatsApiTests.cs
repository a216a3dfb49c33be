using System.Net;
using System.Text.Json.Nodes;
using Groundtruth.Application.Demo;
using Groundtruth.Cli;
using Groundtruth.Web.Apis;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Groundtruth.Web.Tests.Statistics;

/// <summary>A clock stopped at one instant, so the CLI and the API print the same time of computation.</summary>
internal sealed class StoppedClock : TimeProvider
{
    public static readonly DateTimeOffset Now = new(2026, 6, 15, 12, 0, 0, TimeSpan.Zero);
    public override DateTimeOffset GetUtcNow() => Now;
}

/// <summary>The demo programme in a GeoPackage, served by the real host with a stopped clock.</summary>
public sealed class DemoStatsHost : IAsyncLifetime
{
    private TestDatabase? _database;

    public DemoStatsFactory Factory { get; private set; } = null!;
    public string DatabasePath => _database!.Path;

    public async ValueTask InitializeAsync()
    {
        _database = TestDatabase.Missing();
        await new DemoHandler(_database.Target, new StoppedClock()).HandleAsync(new DemoRequest(Seed: 1, Scale: 1, Actor: "test"));
        await TestUsers.AddAllAsync(_database.Target);
        Factory = new DemoStatsFactory(_database.Setting);
    }

    public async ValueTask DisposeAsync()
    {
        await Factory.DisposeAsync();
        if (_database is not null) await _database.DisposeAsync();
    }
}

public sealed class DemoStatsFactory(string database) : Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting(Setup.GroundtruthSetup.DatabaseKey, database).UseSetting(Setup.SignInSetup.AttemptsPerMinuteKey, "100000");
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(new StoppedClock()));
    }
}

/// <summary><c>GET /api/stats/{dataset}</c> answers the same JSON as <c>groundtruth stats --format json</c>, and suppresses small cells for viewers.</summary>
public sealed class StatsApiTests(DemoStatsHost host) : IClassFixture<DemoStatsHost>, IAsyncLifetime
{
    private HttpClient _client = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _client = await host.Factory.ClientAsAsync("analyst");

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task<string> CliAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var context = new CliContext(output, error, new StoppedClock());
        var code = await GroundtruthCli.Build(context).Parse(["--db", host.DatabasePath, .. args]).InvokeAsync(cancellationToken: Ct);
        code.ShouldBe(0, error.ToString());
        return output.ToString();
    }

    [Theory]
    [InlineData("casualties?by=outcome", "casualties", "--by", "outcome")]
    [InlineData("casualties?from=2000&to=2025-06&where=status%3Dcivilian&by=age_group", "casualties", "--from", "2000", "--to", "2025-06", "--where", "status=civilian", "--by", "age_group")]
    [InlineData("finds?where=model%3DE-001%20M&where=category%3Danti_personnel_mine&by=place,year", "finds", "--where", "model=E-001 M", "--where", "category=anti_personnel_mine", "--by", "place,year")]
    [InlineData("finds?in=PL-R02&by=category", "finds", "--in", "PL-R02", "--by", "category")]
    [InlineData("accidents?by=kind&by=device_category&viewer=true", "accidents", "--by", "kind", "--by", "device_category", "--viewer")]
    public async Task Api_ReturnsTheSameJsonAsTheCli(string query, params string[] cli)
    {
        using var response = await _client.GetAsync("/api/stats/" + query, Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/json");
        var api = await response.Content.ReadAsStringAsync(Ct);
        var command = await CliAsync(["stats", .. cli, "--format", "json"]);
        api.ShouldBe(command);
        JsonNode.Parse(api)!["total"]!.GetValue<long>().ShouldBeGreaterThan(0);
    }

    [Theory]
    [InlineData("/api/stats/casualties?where=accident_id=ACC-0000001")]
    public async Task ViewerRole_WithoutGrouping_SuppressesEveryFigureBelowFive(string query)
    {
        using var viewer = await host.Factory.ClientAsAsync("viewer");
        var analystJson = JsonNode.Parse(await _client.GetStringAsync(query, Ct))!;
        var exact = analystJson["total"]!.GetValue<long>();
        exact.ShouldBeInRange(1, 4, "the question must pick a small cell for this test to mean anything");
        using var response = await viewer.GetAsync(query, Ct);
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!;
        json["total"].ShouldBeNull();
        foreach (var g in json["groups"]!.AsArray())
        {
            g!["count"].ShouldBeNull();
            g["records"].ShouldBeNull();
        }
    }

    [Fact]
    public async Task ViewerRole_SeesNoRecordCountBelowFive_EvenInALargeGroupOfDevices()
    {
        const string query = "/api/stats/finds?where=emplacement=cached&by=category";
        var exact = JsonNode.Parse(await _client.GetStringAsync(query, Ct))!["groups"]!.AsArray();
        exact.ShouldContain(g => g!["count"]!.GetValue<long>() >= 5 && g["records"]!.GetValue<long>() < 5, "the demo's cache: hundreds of devices in one record");
        using var viewer = await host.Factory.ClientAsAsync("viewer");
        using var response = await viewer.GetAsync(query, Ct);
        var groups = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!["groups"]!.AsArray();
        foreach (var g in groups)
            if (g!["records"] is { } records) records.GetValue<long>().ShouldBeGreaterThanOrEqualTo(5);
    }

    [Fact]
    public async Task ViewerRole_SuppressesGroupsSmallerThanFive_AndMarksThem()
    {
        using var viewer = await host.Factory.ClientAsAsync("viewer");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/stats/casualties?by=occupation,sex");
        request.Headers.Add(StatsApi.RoleHeader, "analyst");
        using var response = await viewer.SendAsync(request, Ct);
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!;
        json["small_cells_suppressed"]!.GetValue<bool>().ShouldBeTrue();
        var groups = json["groups"]!.AsArray();
        groups.ShouldContain(g => g!["suppressed"] != null);
        foreach (var g in groups)
        {
            if (g!["suppressed"] is not null) g["count"].ShouldBeNull();
            else g["count"]!.GetValue<long>().ShouldBeGreaterThanOrEqualTo(5);
        }
        var plain = JsonNode.Parse(await _client.GetStringAsync("/api/stats/casualties?by=occupation,sex", Ct))!;
        using var spoofed = new HttpRequestMessage(HttpMethod.Get, "/api/stats/casualties?by=occupation,sex");
        spoofed.Headers.Add(StatsApi.RoleHeader, "viewer");
        using var spoofedResponse = await _client.SendAsync(spoofed, Ct);
        JsonNode.Parse(await spoofedResponse.Content.ReadAsStringAsync(Ct))!["small_cells_suppressed"].ShouldBeNull("the role header is ignored: the role comes from the signed-in user");
        plain["small_cells_suppressed"].ShouldBeNull();
        plain["groups"]!.AsArray().ShouldContain(g => g!["count"]!.GetValue<long>() < 5);
    }

    /// <summary>
    /// Issue 14: grouping by many fields made the packed group key overflow (HTTP 500, the CLI crashed). Every field the
    /// API names as valid, at once, through the API and the CLI: answered, and the groups add up to the ungrouped total.
    /// </summary>
    [Theory]
    [InlineData("finds")]
    [InlineData("casualties")]
    [InlineData("accidents")]
    public async Task EveryGroupingFieldAtOnce_IsAnswered_AndTheGroupsAddUpToTheTotal(string dataset)
    {
        using var refused = await _client.GetAsync($"/api/stats/{dataset}?by=colour", Ct);
        var message = JsonNode.Parse(await refused.Content.ReadAsStringAsync(Ct))!["errors"]!["by"]![0]!.GetValue<string>();
        var fields = message[(message.IndexOf("valid fields:", StringComparison.Ordinal) + "valid fields:".Length)..]
            .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        fields.Length.ShouldBeGreaterThan(6, message);

        var total = JsonNode.Parse(await _client.GetStringAsync($"/api/stats/{dataset}", Ct))!["total"]!.GetValue<long>();
        using var response = await _client.GetAsync($"/api/stats/{dataset}?by={string.Join(',', fields)}", Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, body);
        var groups = JsonNode.Parse(body)!["groups"]!.AsArray();
        groups.Count.ShouldBeGreaterThan(1);
        groups.Sum(g => g!["count"]!.GetValue<long>()).ShouldBe(total);

        var cli = JsonNode.Parse(await CliAsync("stats", dataset, "--by", string.Join(',', fields), "--format", "json"))!;
        cli["groups"]!.AsArray().Sum(g => g!["count"]!.GetValue<long>()).ShouldBe(total);
    }

    [Theory]
    [InlineData("casualties?where=colour%3Dred", "where", "valid fields")]
    [InlineData("casualties?from=2020-13", "from", "YYYY-MM-DD")]
    [InlineData("finds?in=Atlantis", "in", "PL-D01")]
    [InlineData("mines", "dataset", "casualties, finds, accidents")]
    public async Task BadQuestions_Answer400_WithTheValidChoices(string query, string parameter, string expected)
    {
        using var response = await _client.GetAsync("/api/stats/" + query, Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!;
        json["errors"]![parameter]![0]!.GetValue<string>().ShouldContain(expected);
    }
}
