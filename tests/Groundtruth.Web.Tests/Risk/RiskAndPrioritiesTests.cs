using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Groundtruth.Application.Users;
using Groundtruth.Cli;
using Groundtruth.Application.Risk;
using Groundtruth.Web.Apis;
using Groundtruth.Web.Tests.Records;
using Microsoft.Extensions.DependencyInjection;

namespace Groundtruth.Web.Tests.Risk;

/// <summary>
/// The risk map and the priorities in the web app (issue 7 item 6): analysts and above only, marked RESTRICTED,
/// the same figures as the CLI, and every delivery in the audit log.
/// </summary>
public sealed class RiskAndPrioritiesTests(LabelledDemoHost host) : IClassFixture<LabelledDemoHost>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<string> CliAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await GroundtruthCli.RunAsync(["--db", host.Database.Path, .. args], output, error);
        code.ShouldBe(0, error.ToString());
        return output.ToString();
    }

    private static async Task<int> AuditCountAsync(HttpClient admin, string action, string actor) =>
        JsonNode.Parse(await admin.GetStringAsync($"/api/audit?action={action}&actor={actor}&limit=1000", Ct))!.AsArray().Count;

    [Fact]
    public async Task RiskMap_IsTheCliMap_MarkedRestricted_AndEveryDownloadIsAudited()
    {
        using var analyst = await host.Factory.ClientAsAsync(Roles.Analyst);
        using var admin = await host.Factory.ClientAsAsync(Roles.Administrator);
        var before = await AuditCountAsync(admin, "download_risk_map", Roles.Analyst);

        var map = JsonNode.Parse(await analyst.GetStringAsync("/api/risk/map?cell=500", Ct))!;
        var tif = await analyst.GetByteArrayAsync("/api/risk/map/risk.tif?cell=500", Ct);
        var png = await analyst.GetByteArrayAsync("/api/risk/map/risk.png?cell=500", Ct);
        var csv = await analyst.GetStringAsync("/api/risk/map/risk.top.csv?cell=500", Ct);

        map["restricted"]!.GetValue<bool>().ShouldBeTrue();
        map["marking"]!.GetValue<string>().ShouldStartWith("RESTRICTED");
        map["cell_m"]!.GetValue<double>().ShouldBe(500);
        var top = map["top"]!.AsArray();
        top.Count.ShouldBe(20);
        tif.Take(4).ShouldBe(new byte[] { 0x49, 0x49, 0x2A, 0x00 }, "a little-endian TIFF");
        png.Take(8).ShouldBe(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A });
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines[0].ShouldStartWith("# RESTRICTED");
        lines.Length.ShouldBe(2 + 20);
        (await AuditCountAsync(admin, "download_risk_map", Roles.Analyst)).ShouldBe(before + 4);

        // The same map as `groundtruth risk map --cell 500 --top 20` on the same database.
        var folder = Path.Combine(host.Database.Folder, "cli-risk");
        Directory.CreateDirectory(folder);
        await CliAsync("risk", "map", "--cell", "500", "--top", "20", "--out", Path.Combine(folder, "risk.tif"));
        var cli = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(folder, "risk.top.geojson"), Ct))!["features"]!.AsArray();
        top.Select(c => c!["likelihood"]!.GetValue<double>()).ShouldBe(cli.Select(f => f!["properties"]!["likelihood"]!.GetValue<double>()));
        top.Select(c => c!["status"]!.GetValue<string>()).ShouldBe(cli.Select(f => f!["properties"]!["status"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData("250.0001")]
    [InlineData("255")]
    [InlineData("40")]
    public async Task RiskMap_CellOffTheSteps_IsRejectedNamingCell_AndNothingIsComputed(string cell)
    {
        using var analyst = await host.Factory.ClientAsAsync(Roles.Analyst);
        using var admin = await host.Factory.ClientAsAsync(Roles.Administrator);
        var before = await AuditCountAsync(admin, "export_risk_map", Roles.Analyst);

        foreach (var url in new[] { $"/api/risk/map?cell={cell}", $"/api/risk/map/risk.tif?cell={cell}" })
        {
            using var response = await analyst.GetAsync(url, Ct);
            var body = await response.Content.ReadAsStringAsync(Ct);
            response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, body);
            JsonNode.Parse(body)!["errors"]!["cell"]![0]!.GetValue<string>().ShouldContain("multiple of 10");
        }
        using var page = host.Factory.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = true });
        await PageSession.SignInAsync(page, Roles.Analyst);
        var html = await page.GetStringAsync($"/risk?cell={cell}", Ct);
        html.ShouldContain("multiple of 10");
        html.ShouldNotContain("id=\"top-cells\"");
        (await AuditCountAsync(admin, "export_risk_map", Roles.Analyst)).ShouldBe(before);
    }

    [Fact]
    public async Task RiskMap_DifferentTops_AreCutFromOneComputation()
    {
        using var analyst = await host.Factory.ClientAsAsync(Roles.Analyst);
        using var admin = await host.Factory.ClientAsAsync(Roles.Administrator);
        var before = await AuditCountAsync(admin, "export_risk_map", Roles.Analyst);

        var five = JsonNode.Parse(await analyst.GetStringAsync("/api/risk/map?cell=1000&top=5", Ct))!["top"]!.AsArray();
        var fifty = JsonNode.Parse(await analyst.GetStringAsync("/api/risk/map?cell=1000&top=50", Ct))!["top"]!.AsArray();
        var csv = (await analyst.GetStringAsync("/api/risk/map/risk.top.csv?cell=1000&top=7", Ct)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var geojson = JsonNode.Parse(await analyst.GetStringAsync("/api/risk/map/risk.top.geojson?cell=1000&top=7", Ct))!;

        (await AuditCountAsync(admin, "export_risk_map", Roles.Analyst)).ShouldBe(before + 1, "one computation for four tops");
        five.Count.ShouldBe(5);
        fifty.Count.ShouldBe(50);
        five.Select(c => c!["rank"]!.GetValue<int>()).ShouldBe([1, 2, 3, 4, 5]);
        five.Select(c => c!.ToJsonString()).ShouldBe(fifty.Take(5).Select(c => c!.ToJsonString()));
        csv.Length.ShouldBe(2 + 7);
        geojson["restricted"]!.GetValue<bool>().ShouldBeTrue();
        var features = geojson["features"]!.AsArray();
        features.Select(f => f!["properties"]!["likelihood"]!.GetValue<double>()).ShouldBe(fifty.Take(7).Select(c => c!["likelihood"]!.GetValue<double>()));
    }

    [Fact]
    public async Task Priorities_AreTheCliRanking_EachScoreTheSumOfItsContributions_AndExportsAreAudited()
    {
        using var analyst = await host.Factory.ClientAsAsync(Roles.Analyst);
        using var admin = await host.Factory.ClientAsAsync(Roles.Administrator);
        var before = await AuditCountAsync(admin, "export_priorities", Roles.Analyst);

        var ranking = JsonNode.Parse(await analyst.GetStringAsync("/api/priorities", Ct))!;
        var csv = await analyst.GetStringAsync("/api/priorities?format=csv", Ct);

        ranking["restricted"]!.GetValue<bool>().ShouldBeTrue();
        var rows = ranking["rows"]!.AsArray();
        rows.Count.ShouldBeGreaterThan(3);
        foreach (var row in rows)
        {
            var criteria = row!["criteria"]!.AsArray();
            criteria.Select(c => c!["criterion"]!.GetValue<string>()).ShouldBe(["people", "roads", "accidents", "risk", "residual_area"]);
            criteria.Sum(c => c!["contribution"]!.GetValue<double>()).ShouldBe(row["score"]!.GetValue<double>(), 0.0005);
            foreach (var c in criteria)
                c!["contribution"]!.GetValue<double>().ShouldBe(c["weight"]!.GetValue<double>() * c["normalised"]!.GetValue<double>(), 0.0005);
        }
        csv.ShouldStartWith("# RESTRICTED");
        (await AuditCountAsync(admin, "export_priorities", Roles.Analyst)).ShouldBe(before + 1);

        var cli = (await CliAsync("priorities", "--format", "csv")).Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(2)
            .Select(l => l.Split(',')).Select(f => (Rank: int.Parse(f[0], CultureInfo.InvariantCulture), Id: f[1], Score: double.Parse(f[4], CultureInfo.InvariantCulture))).ToList();
        rows.Select(r => (r!["rank"]!.GetValue<int>(), r["hazard_id"]!.GetValue<string>(), Math.Round(r["score"]!.GetValue<double>(), 4))).ShouldBe(cli.Select(c => (c.Rank, c.Id, c.Score)));
    }

    /// <summary>
    /// The priorities' risk map (100 m, the whole programme) is the host's map of the risk page with no cell asked for,
    /// which chooses 100 m on the demo: computed once, by the host's maps, so the risk page finds it; while it computes,
    /// the priorities' progress says the map's stages. The host's only turn is held at first, as another computation would: the ranking waits for its map
    /// outside its own turn (inside, it would wait for itself).
    /// </summary>
    [Fact]
    public async Task Priorities_UseTheHostsMapOfTheirCell_SoTheRiskPageComputesNone()
    {
        // A host of its own on the same database: its maps start empty, whatever the other tests asked for.
        await using var factory = new Groundtruth.Web.Tests.Statistics.DemoStatsFactory(host.Database.Setting);
        var maps = factory.Services.GetRequiredService<RiskMaps>();
        using var api = await factory.ClientAsAsync(Roles.Analyst);
        using var page = factory.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = true });
        await PageSession.SignInAsync(page, Roles.Analyst);
        maps.Computed.ShouldBe(0);

        var release = new TaskCompletionSource();
        var holding = maps.ExclusiveAsync(async () => { await release.Task; return 0; }, Ct);
        try
        {
            var waiting = await page.GetStringAsync("/priorities", Ct);
            waiting.ShouldContain("id=\"work-progress\"");
            waiting.ShouldContain("waiting for another computation to finish");
        }
        finally
        {
            release.SetResult();
            await holding;
        }

        // Polled as the page's script does: the ranking's stages are its map's while the map computes.
        var seen = new List<(string State, string? Stage, double? Fraction, string Map)>();
        for (var i = 0; i < 1500; i++)
        {
            var status = JsonNode.Parse(await api.GetStringAsync("/api/priorities/status", Ct))!;
            seen.Add((status["state"]!.GetValue<string>(), status["stage"]?.GetValue<string>(), status["fraction"]?.GetValue<double>(), maps.Status(RiskMapOutputs.AutomaticCell, null).State));
            if (seen[^1].State is "ready" or "failed") break;
            await Task.Delay(100, Ct);
        }
        var log = string.Join("; ", seen);
        seen[^1].State.ShouldBe("ready", log);
        seen.ShouldContain(s => s.State == "computing" && s.Map == "computing" && s.Stage != null && s.Stage.StartsWith("evidence layers", StringComparison.Ordinal), log);
        var fractions = seen.Where(s => s.State == "computing" && s.Fraction is not null).Select(s => s.Fraction!.Value).ToList();
        fractions.ShouldBeInOrder(SortDirection.Ascending, log);
        fractions.ShouldAllBe(f => f >= 0 && f <= 1);

        maps.Computed.ShouldBe(1, "the priorities' map is the host's");
        maps.Status(RiskMapOutputs.AutomaticCell, null).State.ShouldBe("ready");
        // The automatic map chose 100 m: it is the map of 100 m asked for, and that cell is ready too.
        maps.Status(100, null).State.ShouldBe("ready");
        var (status2, html) = await PageWhenReadyAsync(page, "/priorities");
        status2.ShouldBe(HttpStatusCode.OK, html);
        html.ShouldContain("id=\"priorities\"");
        html.ShouldNotContain("risk left out");

        // The risk page and the API with no cell find the map (of 100 m): none is computed again.
        var risk = await page.GetStringAsync("/risk", Ct);
        risk.ShouldContain("id=\"top-cells\"");
        risk.ShouldNotContain("id=\"work-progress\"");
        JsonNode.Parse(await api.GetStringAsync("/api/risk/map", Ct))!["cell_m"]!.GetValue<double>().ShouldBe(100);
        maps.Computed.ShouldBe(1);
        // Nor with 100 m asked for, on the page or from the API: the automatic map chose that cell.
        var risk100 = await page.GetStringAsync("/risk?cell=100", Ct);
        risk100.ShouldContain("id=\"top-cells\"");
        risk100.ShouldNotContain("id=\"work-progress\"");
        var asked = JsonNode.Parse(await api.GetStringAsync("/api/risk/map?cell=100", Ct))!;
        asked["cell_m"]!.GetValue<double>().ShouldBe(100);
        asked["top"]!.AsArray().Select(c => c!["likelihood"]!.GetValue<double>())
            .ShouldBe(JsonNode.Parse(await api.GetStringAsync("/api/risk/map", Ct))!["top"]!.AsArray().Select(c => c!["likelihood"]!.GetValue<double>()));
        maps.Computed.ShouldBe(1);

        // And the ranking's mean risk is the command line's, which maps risk itself: to the CSV's last digit.
        var cli = (await CliAsync("priorities", "--format", "csv")).Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(2).ToList();
        var csv = (await api.GetStringAsync("/api/priorities?format=csv", Ct)).Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(2).ToList();
        csv.ShouldBe(cli);
        maps.Computed.ShouldBe(1);
    }

    /// <summary>
    /// The risk page with no cell asked for chooses 100 m on the demo; that map is the one the priorities need (the choice
    /// only picks the cell: the same pixels as the map of 100 m asked for), so the priorities opened after it compute no map.
    /// </summary>
    [Fact]
    public async Task Priorities_AfterTheRiskPagesAutomaticMapOfTheirCell_ComputeNoMap()
    {
        await using var factory = new Groundtruth.Web.Tests.Statistics.DemoStatsFactory(host.Database.Setting);
        var maps = factory.Services.GetRequiredService<RiskMaps>();
        using var api = await factory.ClientAsAsync(Roles.Analyst);
        using var page = factory.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = true });
        await PageSession.SignInAsync(page, Roles.Analyst);

        var (status, risk) = await PageWhenReadyAsync(page, "/risk");
        status.ShouldBe(HttpStatusCode.OK, risk);
        risk.ShouldContain("id=\"top-cells\"");
        maps.Computed.ShouldBe(1);
        JsonNode.Parse(await api.GetStringAsync("/api/risk/map", Ct))!["cell_m"]!.GetValue<double>().ShouldBe(100, "the demo's automatic cell");
        maps.Computed.ShouldBe(1);

        var (prioritiesStatus, html) = await PageWhenReadyAsync(page, "/priorities");
        prioritiesStatus.ShouldBe(HttpStatusCode.OK, html);
        html.ShouldContain("id=\"priorities\"");
        html.ShouldNotContain("risk left out");
        maps.Computed.ShouldBe(1, "the priorities read the automatic map of their cell");

        var cli = (await CliAsync("priorities", "--format", "csv")).Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(2).ToList();
        var csv = (await api.GetStringAsync("/api/priorities?format=csv", Ct)).Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(2).ToList();
        csv.ShouldBe(cli);
    }

    /// <summary>Gets a page that computes, again while it shows its progress (a computation longer than the page waits), until it shows the result.</summary>
    private static async Task<(HttpStatusCode Status, string Html)> PageWhenReadyAsync(HttpClient client, string url)
    {
        for (var attempt = 0; ; attempt++)
        {
            using var page = await client.GetAsync(url, Ct);
            var html = await page.Content.ReadAsStringAsync(Ct);
            if (!html.Contains("id=\"work-progress\"", StringComparison.Ordinal) || attempt > 300) return (page.StatusCode, html);
            await Task.Delay(1000, Ct);
        }
    }

    [Fact]
    public async Task TheRiskService_ItselfRefusesAViewer_WhateverRouteCallsIt()
    {
        // The pages and the API call the same service; the permission is decided there (Access), not by the route.
        var risk = host.Factory.Services.GetRequiredService<RiskService>();
        var viewer = Groundtruth.Application.Security.Access.Of("someone", [Roles.Viewer]);

        await Should.ThrowAsync<Groundtruth.Application.ForbiddenException>(() => risk.MapAsync(viewer, 5000, null, Ct));
        await Should.ThrowAsync<Groundtruth.Application.ForbiddenException>(() => risk.BeginMapAsync(viewer, 5000, null, Ct));
        await Should.ThrowAsync<Groundtruth.Application.ForbiddenException>(() => risk.PrioritiesAsync(viewer, Ct));
        await Should.ThrowAsync<Groundtruth.Application.ForbiddenException>(() => risk.BeginPrioritiesAsync(viewer, Ct));
        Should.Throw<Groundtruth.Application.ForbiddenException>(() => risk.MapStatus(viewer, 5000, null));
        Should.Throw<Groundtruth.Application.ForbiddenException>(() => risk.PrioritiesStatus(viewer));
        risk.MapStatus(Groundtruth.Application.Security.Access.Of("someone", [Roles.Analyst]), 5000, null).State.ShouldNotBeNullOrEmpty();
    }

    [Fact]
    public async Task RiskPage_WhileTheMapComputes_ShowsItsStageAndShare_AndTheStatusEndpointFollowsItToReady()
    {
        var maps = host.Factory.Services.GetRequiredService<RiskMaps>();
        using var analyst = host.Factory.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = true });
        await PageSession.SignInAsync(analyst, Roles.Analyst);
        using var api = await host.Factory.ClientAsAsync(Roles.Analyst);
        JsonNode.Parse(await api.GetStringAsync("/api/risk/map/status?cell=330", Ct))!["state"]!.GetValue<string>().ShouldBe("none", "nothing asked for yet");

        // Another computation holds the host's only turn, so this map must wait: the page cannot show it yet.
        var release = new TaskCompletionSource();
        var holding = maps.ExclusiveAsync(async () => { await release.Task; return 0; }, Ct);
        string html;
        try
        {
            html = await analyst.GetStringAsync("/risk?cell=330", Ct);
            html.ShouldContain("id=\"work-progress\"");
            html.ShouldContain("data-status-url=\"/api/risk/map/status?cell=330\"");
            html.ShouldContain("waiting for another computation to finish");
            html.ShouldContain("<progress id=\"work-bar\" max=\"100\" value=\"0\"");
            html.ShouldNotContain("id=\"top-cells\"");
            html.ShouldContain("/js/progress.js");
            var waiting = JsonNode.Parse(await api.GetStringAsync("/api/risk/map/status?cell=330", Ct))!;
            waiting["state"]!.GetValue<string>().ShouldBe("waiting");
        }
        finally
        {
            release.SetResult();
            await holding;
        }

        // Polled as the page's script does: stages move forward until the map is ready.
        var seen = new List<(string State, string? Stage, double? Fraction)>();
        for (var i = 0; i < 600; i++)
        {
            var status = JsonNode.Parse(await api.GetStringAsync("/api/risk/map/status?cell=330", Ct))!;
            seen.Add((status["state"]!.GetValue<string>(), status["stage"]?.GetValue<string>(), status["fraction"]?.GetValue<double>()));
            if (seen[^1].State is "ready" or "failed") break;
            await Task.Delay(200, Ct);
        }
        seen[^1].ShouldBe(("ready", "done", 1.0), string.Join("; ", seen));
        var computing = seen.Where(s => s.State == "computing" && s.Fraction is not null).Select(s => s.Fraction!.Value).ToList();
        computing.ShouldBeInOrder(SortDirection.Ascending, string.Join("; ", seen));
        computing.ShouldAllBe(f => f >= 0 && f <= 1);
        html = await analyst.GetStringAsync("/risk?cell=330", Ct);
        html.ShouldContain("id=\"top-cells\"");
        html.ShouldNotContain("id=\"work-progress\"");

        // Viewers may not watch either.
        using var viewer = await host.Factory.ClientAsAsync(Roles.Viewer);
        (await viewer.GetAsync("/api/risk/map/status?cell=330", Ct)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await viewer.GetAsync("/api/priorities/status", Ct)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var priorities = JsonNode.Parse(await api.GetStringAsync("/api/priorities/status", Ct))!["state"]!.GetValue<string>();
        priorities.ShouldBeOneOf("none", "waiting", "computing", "ready");
    }

    /// <summary>
    /// A coarse cell leaves the model a few dozen processed cells to learn from: the page says so beside the map, with
    /// the count the command line prints for the same map (and the command line warns too).
    /// </summary>
    [Fact]
    public async Task RiskMap_WithNoCellAskedFor_HasTheCellTheCommandLineChooses()
    {
        using var api = await host.Factory.ClientAsAsync(Roles.Analyst);
        var map = JsonNode.Parse(await api.GetStringAsync("/api/risk/map", Ct))!;
        var folder = Path.Combine(host.Database.Folder, "cli-risk-automatic");
        Directory.CreateDirectory(folder);
        var cli = await CliAsync("risk", "map", "--top", "20", "--out", Path.Combine(folder, "risk.tif"));
        var chosen = System.Text.RegularExpressions.Regex.Match(cli, @"Cell: ([\d.]+) m");
        chosen.Success.ShouldBeTrue(cli);
        var cell = double.Parse(chosen.Groups[1].Value, CultureInfo.InvariantCulture);
        map["cell_m"]!.GetValue<double>().ShouldBe(cell);
        cell.ShouldBeLessThanOrEqualTo(100, "the command line's default cell, or finer");

        using var analyst = host.Factory.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = true });
        await PageSession.SignInAsync(analyst, Roles.Analyst);
        var html = await analyst.GetStringAsync("/risk", Ct);
        html.ShouldContain(string.Create(CultureInfo.InvariantCulture, $"cell {cell} m"));
        html.ShouldContain("placeholder=\"auto\"");
        // The downloads name no cell: they are the map chosen from the data, as the page shows it.
        html.ShouldContain("href=\"/api/risk/map/risk.tif?\"");
        // The same map as the command line's: its top cells, likelihood by likelihood.
        var top = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(folder, "risk.top.geojson"), Ct))!["features"]!.AsArray();
        map["top"]!.AsArray().Select(c => c!["likelihood"]!.GetValue<double>()).ShouldBe(top.Select(f => f!["properties"]!["likelihood"]!.GetValue<double>()));
        if (cli.Contains($"hold at least {RiskHandler.MinimumTrainingCells} processed cells", StringComparison.Ordinal))
            html.ShouldNotContain("id=\"risk-few-cells\"");
    }

    [Fact]
    public async Task RiskPage_AtACoarseCell_SaysTheModelHasFewCellsToLearnFrom()
    {
        using var api = await host.Factory.ClientAsAsync(Roles.Analyst);
        (await api.GetAsync("/api/risk/map?cell=5000", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        using var analyst = host.Factory.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = true });
        await PageSession.SignInAsync(analyst, Roles.Analyst);
        var html = await analyst.GetStringAsync("/risk?cell=5000", Ct);

        var folder = Path.Combine(host.Database.Folder, "cli-risk-5000");
        Directory.CreateDirectory(folder);
        var cli = await CliAsync("risk", "map", "--cell", "5000", "--out", Path.Combine(folder, "risk.tif"));
        var trained = System.Text.RegularExpressions.Regex.Match(cli, @"Trained on ([\d,]+) processed cells");
        trained.Success.ShouldBeTrue(cli);
        var cells = int.Parse(trained.Groups[1].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
        cells.ShouldBeLessThan(RiskHandler.MinimumTrainingCells);
        cli.ShouldContain(string.Create(CultureInfo.InvariantCulture, $"Few cells to learn from: {cells:N0} processed cells of 5000 m"));

        html.ShouldContain("id=\"risk-few-cells\"");
        // The page names the model that maps, as the command line does, and explains the contributions of that model.
        var mapped = cli.Contains("Model: boosted trees", StringComparison.Ordinal) ? "boosted_trees" : "logistic";
        cli.ShouldContain(mapped == "logistic" ? "Model: logistic regression" : "Model: boosted trees");
        html.ShouldContain($"id=\"risk-model\" data-model=\"{mapped}\"");
        html.ShouldContain(mapped == "logistic" ? "Model: logistic regression (" : "Model: boosted trees (");
        html.ShouldContain(mapped == "logistic" ? "the model&#x27;s coefficients times the standardised layer" : "along each tree&#x27;s path");
        html.ShouldContain(string.Create(CultureInfo.InvariantCulture, $"trained on {cells:N0} processed cells of 5000 m (fewer than {RiskHandler.MinimumTrainingCells})"));
        // What the likelihood is, as the map's legend and the command line say: a probability only when it was calibrated
        // (the page once called it "a ranking index" beside a legend saying "probability").
        var calibrated = cli.Contains("Likelihood calibrated", StringComparison.Ordinal);
        (calibrated || cli.Contains("NOT calibrated", StringComparison.Ordinal)).ShouldBeTrue(cli);
        html.ShouldContain(calibrated ? "The likelihood is a probability that a find would be made" : "The likelihood is a relative score, not a calibrated probability");
        html.ShouldNotContain("ranking index");
        // The legend in the page too (a phone shrinks the preview's own past reading): the five classes and the two hatches.
        var legend = System.Text.RegularExpressions.Regex.Match(html, "<ul id=\"risk-legend\" class=\"legend\">(.*?)</ul>", System.Text.RegularExpressions.RegexOptions.Singleline);
        legend.Success.ShouldBeTrue();
        System.Text.RegularExpressions.Regex.Count(legend.Groups[1].Value, "<li>").ShouldBe(7);
        legend.Groups[1].Value.ShouldContain("top 1% of the area");
        // With the values each class holds (the map's own, from its legend file: the test of the values is RiskTests'), kept on one line.
        System.Text.RegularExpressions.Regex.IsMatch(legend.Groups[1].Value, @"top 1% of the area: <span class=""values"">&gt; \d\.\d{3,}</span>").ShouldBeTrue(legend.Groups[1].Value);
        System.Text.RegularExpressions.Regex.IsMatch(legend.Groups[1].Value, @"top 1-5%: <span class=""values"">\d\.\d{3,}–\d\.\d{3,}</span>").ShouldBeTrue(legend.Groups[1].Value);
    }

    [Fact]
    public async Task RiskPage_ACellThatIsNotANumber_IsSaidSo_NotMappedAutomatically()
    {
        using var analyst = host.Factory.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = true });
        await PageSession.SignInAsync(analyst, Roles.Analyst);
        var html = await analyst.GetStringAsync("/risk?cell=abc", Ct);
        html.ShouldContain("id=\"risk-error\"");
        html.ShouldContain("&#x27;abc&#x27; is not a cell size");
        html.ShouldNotContain("id=\"work-progress\"");
        html.ShouldNotContain("id=\"top-cells\"");
    }

    [Fact]
    public async Task PrioritiesPage_WritesTheCliFigures_AndLinksEachHazard()
    {
        using var analyst = host.Factory.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = true });
        await PageSession.SignInAsync(analyst, Roles.Analyst);
        var (status, html) = await PageWhenReadyAsync(analyst, "/priorities");
        status.ShouldBe(HttpStatusCode.OK, html);

        // The command line's table: rank, hazard id, score (each from the exact value, to three places).
        var cli = (await CliAsync("priorities")).Split('\n')
            .Select(l => System.Text.RegularExpressions.Regex.Match(l, @"^\s*(\d+) (\S+)\s+(\d\.\d{3})\s"))
            .Where(m => m.Success).Select(m => (Id: m.Groups[2].Value, Score: m.Groups[3].Value)).ToList();
        cli.Count.ShouldBeGreaterThan(3);
        var rows = System.Text.RegularExpressions.Regex.Matches(html, @"<td class=""id""><a href=""/registers/hazards/([^""]+)"" dir=""ltr"">([^<]+)</a></td>.*?<td class=""score"">([^<]+)</td>")
            .Select(m => (Link: m.Groups[1].Value, Id: m.Groups[2].Value, Score: m.Groups[3].Value)).ToList();
        rows.Select(r => (r.Id, r.Score)).ShouldBe(cli, "the page writes each score as the command line does (not the JSON's four places rounded again)");
        rows.ShouldAllBe(r => Uri.UnescapeDataString(r.Link) == r.Id);
        // Metres, people, accidents and m² in whole units, as the command line writes them: no "1,301.521".
        var table = html[html.IndexOf("id=\"priorities\"", StringComparison.Ordinal)..];
        System.Text.RegularExpressions.Regex.Matches(table, @"<td class=""number"">([^<]+)</td>").Select(m => m.Groups[1].Value)
            .Where(v => v.Contains('.', StringComparison.Ordinal)).ShouldAllBe(v => System.Text.RegularExpressions.Regex.IsMatch(v, @"^\d\.\d{3}$"), "only the mean risk has decimals");
    }

    [Theory]
    [InlineData("/api/risk/map/risk.png?cell=500")]
    [InlineData("/api/priorities")]
    public async Task ApiLinks_FollowedInTheBrowser_AnswerInWords_ScriptsKeepTheStatus(string url)
    {
        // A download link forwarded to a viewer: the browser opens it as a document, and the reader is sent to the page that says why.
        using var viewer = host.Factory.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = true });
        await PageSession.SignInAsync(viewer, Roles.Viewer);
        using var navigation = new HttpRequestMessage(HttpMethod.Get, url);
        navigation.Headers.Add("Sec-Fetch-Mode", "navigate");
        navigation.Headers.Add("Sec-Fetch-Dest", "document");
        using var followed = await viewer.SendAsync(navigation, Ct);
        followed.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        followed.Headers.Location!.ToString().ShouldContain("/denied");
        using var page = await viewer.GetAsync(followed.Headers.Location!, Ct);
        page.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await page.Content.ReadAsStringAsync(Ct)).ShouldContain("id=\"denied-risk\"");

        // The same address asked by a script (no navigation metadata): the bare 403, as before.
        using var script = await viewer.GetAsync(url, Ct);
        script.StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        // Signed out, the browser goes to the sign-in page, which returns to the link afterwards.
        using var anonymous = host.Factory.CreateClient(new() { AllowAutoRedirect = false });
        using var signedOut = new HttpRequestMessage(HttpMethod.Get, url);
        signedOut.Headers.Add("Sec-Fetch-Mode", "navigate");
        signedOut.Headers.Add("Sec-Fetch-Dest", "document");
        using var login = await anonymous.SendAsync(signedOut, Ct);
        login.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        login.Headers.Location!.ToString().ShouldContain("/login");
        (await anonymous.GetAsync(url, Ct)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData("/risk?cell=500", "top-cells")]
    [InlineData("/priorities", "priorities")]
    public async Task Pages_ShowRestrictedOutputs_ToAnalystsOnly(string url, string table)
    {
        using var analyst = host.Factory.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = true });
        await PageSession.SignInAsync(analyst, Roles.Analyst);
        var (status, html) = await PageWhenReadyAsync(analyst, url);
        status.ShouldBe(HttpStatusCode.OK, html);
        html.ShouldContain("RESTRICTED");
        html.ShouldContain($"id=\"{table}\"");

        using var viewer = host.Factory.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = true });
        await PageSession.SignInAsync(viewer, Roles.Viewer);
        using var denied = await viewer.GetAsync(url, Ct);
        denied.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        denied.Headers.Location!.ToString().ShouldContain("/denied");
        (await viewer.GetAsync("/denied", Ct)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        // Sent there from a risk output, the page says which role it needs.
        using var deniedPage = await viewer.GetAsync(denied.Headers.Location!, Ct);
        deniedPage.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await deniedPage.Content.ReadAsStringAsync(Ct)).ShouldContain("id=\"denied-risk\"");
        (await viewer.GetStringAsync("/", Ct)).ShouldNotContain("href=\"/risk\"");

        using var anonymous = host.Factory.CreateClient(new() { AllowAutoRedirect = false });
        using var login = await anonymous.GetAsync(url, Ct);
        login.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        login.Headers.Location!.ToString().ShouldContain("/login");
    }
}
