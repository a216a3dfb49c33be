using System.Text.Json.Nodes;
using Groundtruth.Cli;
using Microsoft.Playwright;

namespace Groundtruth.Web.Tests.Browser;

/// <summary>
/// The map's "minefield records by verdict" layer and the risk page in headless Chromium, against the host on a
/// real port serving a fresh demo (as <see cref="BrowserTests"/>). Skipped locally without Chromium; fails under CI=true.
/// </summary>
[Collection(typeof(BrowserCollection))]
public sealed class MapVerdictBrowserTests : IAsyncLifetime
{
    private DemoBrowser? _demo;

    public async ValueTask InitializeAsync() => _demo = await DemoBrowser.StartAsync();

    public async ValueTask DisposeAsync()
    {
        if (_demo is not null) await _demo.DisposeAsync();
    }

    private Task<IPage> SignInAsync(string name) => _demo!.SignInAsync(name);

    [Fact]
    public async Task Map_ColoursMinefieldRecordsByVerdict_AsManyPerColourAsTheCliCountsPerVerdict()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        (await GroundtruthCli.RunAsync(["--db", _demo!.Database, "records", "accuracy", "--format", "json"], output, error)).ShouldBe(0, error.ToString());
        var cli = JsonNode.Parse(output.ToString())!["per_record"]!.AsArray()
            .GroupBy(r => r!["verdict"]!.GetValue<string>()).ToDictionary(g => g.Key, g => g.Count());
        cli.Count.ShouldBeGreaterThan(1, "the demo has records of more than one verdict");

        var page = await SignInAsync("analyst");
        await DemoBrowser.OpenMapAsync(page);

        var state = JsonNode.Parse(await page.EvaluateAsync<string>("JSON.stringify({ colours: window.groundtruthMap.verdictColours, drawn: window.groundtruthMap.colourCounts, records: window.groundtruthMap.counts['minefield-records'] })"))!;
        var colours = state["colours"]!.AsObject();
        var drawn = state["drawn"]!.AsObject();
        int Drawn(string verdict) => drawn[colours[verdict]!.GetValue<string>()]?.GetValue<int>() ?? 0;
        foreach (var verdict in new[] { "confirmed", "not_found_after_processing", "not_yet_processed" })
            Drawn(verdict).ShouldBe(cli.GetValueOrDefault(verdict), verdict);
        Drawn("none").ShouldBe(0, "every record the analyst sees has a verdict");
        drawn.Sum(kv => kv.Value!.GetValue<int>()).ShouldBe(state["records"]!.GetValue<int>());

        var legend = await page.InnerTextAsync("#verdict-legend");
        legend.ShouldContain($"Not yet processed — under half processed ({cli.GetValueOrDefault("not_yet_processed")})");
        var popup = await page.EvaluateAsync<string>("""
            () => { const l = window.groundtruthMap.groups['minefield-records'].getLayers()[0]; l.openPopup(); return document.querySelector('.leaflet-popup-content').innerText; }
            """);
        popup.ShouldContain("Verdict");
    }

    [Fact]
    public async Task RiskPage_ShowsThePreviewAndTopCells_MarkedRestricted()
    {
        var page = await SignInAsync("analyst");
        await page.GotoAsync("/risk?cell=500");
        await page.WaitForSelectorAsync("#top-cells", new PageWaitForSelectorOptions { Timeout = 300_000 });
        (await page.InnerTextAsync(".restricted")).ShouldStartWith("RESTRICTED");
        (await page.Locator("#top-cells tr").CountAsync()).ShouldBe(21);
        await page.WaitForFunctionAsync("() => { const i = document.getElementById('risk-preview'); return i.complete && i.naturalWidth > 0; }");
        await DemoBrowser.ScreenshotAsync(page, "risk.png");
    }

    [Fact]
    public async Task RiskPage_ShowsTheStageWhileComputing_ThenReloadsIntoTheMap()
    {
        var page = await SignInAsync("analyst");
        await page.GotoAsync("/risk?cell=100");
        if (await page.Locator("#work-progress").CountAsync() > 0)
        {
            // A map that takes longer than the page waits (2 s): stage and percent, polled by wwwroot/js/progress.js.
            (await page.InnerTextAsync("#work-stage")).ShouldNotBeNullOrWhiteSpace();
            await DemoBrowser.ScreenshotAsync(page, "risk-progress.png");
            await page.SetViewportSizeAsync(390, 844);
            await DemoBrowser.ScreenshotAsync(page, "risk-progress-phone.png");
        }
        await page.WaitForSelectorAsync("#top-cells", new PageWaitForSelectorOptions { Timeout = 300_000 });
        (await page.Locator("#top-cells tr").CountAsync()).ShouldBe(21);
        (await page.Locator("#work-progress").CountAsync()).ShouldBe(0);
    }
}
