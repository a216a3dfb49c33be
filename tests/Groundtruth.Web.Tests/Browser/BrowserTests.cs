using System.Globalization;
using System.Text.Json.Nodes;
using Groundtruth.Cli;
using Microsoft.Playwright;

namespace Groundtruth.Web.Tests.Browser;

/// <summary>
/// The web application in headless Chromium (Debian's <c>/usr/bin/chromium</c>, never a downloaded browser)
/// against the host on a real port, serving a fresh demo. Skipped locally without Chromium; fails under CI=true.
/// Set GROUNDTRUTH_SCREENSHOTS to a folder to write the dashboard and map screenshots there (docs/screenshots).
/// </summary>
[Collection(typeof(BrowserCollection))]
public sealed class BrowserTests : IAsyncLifetime
{
    public const string Chromium = "/usr/bin/chromium";

    private DemoBrowser? _demo;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _demo = await DemoBrowser.StartAsync();

    public async ValueTask DisposeAsync()
    {
        if (_demo is not null) await _demo.DisposeAsync();
    }

    private Task<IPage> SignInAsync(string name) => _demo!.SignInAsync(name);

    private static async Task<long> DashboardDevicesAsync(IPage page)
    {
        await Statistics.DashboardComputed.GotoAsync(page, "/?from=1900");
        var total = await page.GetAttributeAsync("[data-figure=finds] .value", "data-total");
        return long.Parse(total!, CultureInfo.InvariantCulture);
    }

    private async Task<long> CliDevicesAsync()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        // The dashboard shows this year unless told otherwise: both are asked for every year since 1900.
        var code = await GroundtruthCli.RunAsync(["--db", _demo!.Database, "stats", "finds", "--by", "category", "--from", "1900", "--format", "json"], output, error);
        code.ShouldBe(0, error.ToString());
        return JsonNode.Parse(output.ToString())!["total"]!.GetValue<long>();
    }

    private async Task UploadAsync(IPage page, string name, string csv)
    {
        await page.GotoAsync("/upload");
        await page.SelectOptionAsync("select[name=Dataset]", "finds");
        await page.SetInputFilesAsync("input[name=Upload]", new FilePayload { Name = name, MimeType = "text/csv", Buffer = System.Text.Encoding.UTF8.GetBytes(csv) });
        await page.ClickAsync("form[enctype] button[type=submit]");
    }

    [Fact]
    public async Task SignIn_DashboardAndMap_DrawTheDemo()
    {
        var page = await SignInAsync("analyst");
        (await DashboardDevicesAsync(page)).ShouldBe(await CliDevicesAsync());
        await DemoBrowser.ScreenshotAsync(page, "dashboard.png");

        await DemoBrowser.OpenMapAsync(page);
        var counts = JsonNode.Parse(await page.EvaluateAsync<string>("JSON.stringify(window.groundtruthMap.counts)"))!.AsObject();
        foreach (var layer in new[] { "hazards", "finds", "accidents", "land-release", "places" })
            counts[layer]!.GetValue<int>().ShouldBeGreaterThan(0, layer);
        (await page.Locator(".leaflet-gt-hazards-pane canvas").CountAsync()).ShouldBeGreaterThan(0);
        await DemoBrowser.ScreenshotAsync(page, "map.png");
    }

    [Fact]
    public async Task Upload_BadRowIsShown_GoodFileIsReconciledApproved_AndTheDashboardMatchesTheCli()
    {
        var editor = await SignInAsync("editor");
        await UploadAsync(editor, "operator-finds.csv", """
            id,found_on,category,quantity,emplacement,lon,lat
            OP-1,2025-03-02,booby_trap,3,emplaced,-24.41,-31.21
            OP-2,2025-03-02,banana,1,emplaced,-24.42,-31.22
            """);
        var problems = editor.Locator("#problems li");
        (await problems.CountAsync()).ShouldBe(1);
        (await problems.First.InnerTextAsync()).ShouldContain("operator-finds.csv:3");
        (await problems.First.InnerTextAsync()).ShouldContain("banana");

        var before = await DashboardDevicesAsync(editor);
        await UploadAsync(editor, "operator-finds.csv", """
            id,found_on,category,quantity,emplacement,lon,lat
            OP-1,2025-03-02,booby_trap,3,emplaced,-24.41,-31.21
            OP-2,2025-03-02,booby_trap,4,emplaced,-24.42,-31.22
            """);
        var link = editor.Locator("#result a");
        var submission = await link.GetAttributeAsync("href");
        (await DashboardDevicesAsync(editor)).ShouldBe(before, "pending data does not count");

        var approver = await SignInAsync("approver");
        await approver.GotoAsync(submission!);
        await approver.SelectOptionAsync("select[data-local-id=OP-1]", "New");
        await approver.FillAsync("input[data-local-id=OP-1]", "FD-90001");
        await approver.SelectOptionAsync("select[data-local-id=OP-2]", "New");
        await approver.FillAsync("input[data-local-id=OP-2]", "FD-90002");
        await approver.FillAsync("input[name=Reason]", "checked against the operator's report");
        await approver.ClickAsync("button:has-text('Approve')");
        await approver.WaitForSelectorAsync("h1:has-text('approved')");

        var after = await DashboardDevicesAsync(approver);
        after.ShouldBe(before + 7);
        after.ShouldBe(await CliDevicesAsync());
    }

    [Fact]
    public async Task Viewer_CannotOpenTheCasualtyRegister()
    {
        var viewer = await SignInAsync("viewer");
        var response = await viewer.GotoAsync("/registers/casualties");
        response!.Status.ShouldBe(403);
        (await viewer.ContentAsync()).ShouldNotContain("<table id=\"register\"");
        (await viewer.Locator("h1").InnerTextAsync()).ShouldBe("Not allowed");
    }
}
