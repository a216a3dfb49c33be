using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace Groundtruth.Web.Tests.Browser;

/// <summary>One host with a fresh demo and one Chromium for every test of <see cref="PageTourBrowserTests"/>.</summary>
public sealed class PageTourHost : IAsyncLifetime
{
    private readonly HashSet<string> _axeRuns = [];

    public DemoBrowser Demo { get; private set; } = null!;

    /// <summary>Whether this is the first visit of <paramref name="path"/> at <paramref name="width"/> (axe-core runs then).</summary>
    public bool FirstAxeRun(string path, int width)
    {
        lock (_axeRuns) return _axeRuns.Add($"{width} {path}");
    }

    public async ValueTask InitializeAsync() => Demo = await DemoBrowser.StartAsync();

    public async ValueTask DisposeAsync()
    {
        if (Demo is not null) await Demo.DisposeAsync();
    }
}

/// <summary>
/// Every page as every role, at 1440×900 and at 390×844 (a phone): a screenshot of each into the test results
/// (TestResults/screenshots/ROLE/WIDTH/PAGE.png), and each page must load with no sideways scroll at 390 px, no console
/// error, no failed request and no axe-core violation (WCAG 2.1 A and AA, and axe's best practices; once per page and width).
/// </summary>
[Collection(typeof(TourCollection))]
public sealed partial class PageTourBrowserTests(PageTourHost host) : IClassFixture<PageTourHost>
{
    private static readonly (int Width, int Height)[] Sizes = [(1440, 900), (390, 844)];

    private static readonly string[] Reader = ["/", "/map", "/registers", "/registers/finds", "/registers/hazards/HA-000001",
        "/registers/accidents/ACC-0000001", "/registers/casualties", "/risk?cell=5000", "/priorities", "/reports", "/help/finds"];

    private static readonly string[] Editor = [.. Reader, "/entry", "/entry/finds", "/entry/accidents", "/entry/hazards/HA-000001/status",
        "/upload", "/workbench", "/workbench/1"];

    /// <summary>The pages each role may open, and one it may not (shown the "Not allowed" page, answered 403).</summary>
    public static TheoryData<string> Roles => ["anonymous", "viewer", "analyst", "editor", "approver", "administrator"];

    private static string[] PagesOf(string role) => role switch
    {
        "anonymous" => ["/login", "/scalar/"],
        "viewer" => ["/", "/map", "/registers", "/reports"],
        "analyst" => [.. Reader, "/upload"],
        "editor" or "approver" => Editor,
        "administrator" => [.. Editor, "/audit"],
        _ => throw new ArgumentOutOfRangeException(nameof(role)),
    };

    private static bool Denied(string role, string path) =>
        (role == "viewer" && path is "/registers" or "/reports") || (role == "analyst" && path == "/upload");

    /// <summary>Where the screenshots go: the test run's results folder (TestResults where `dotnet test` started, unless --results-directory says otherwise).</summary>
    public static string ScreenshotFolder
    {
        get
        {
            var args = Environment.GetCommandLineArgs();
            var i = Array.IndexOf(args, "--results-directory");
            // `dotnet test` writes its TRX files to TestResults in the folder it was started in, and says which folder.
            var started = Environment.GetEnvironmentVariable("DOTNET_CLI_TEST_COMMAND_WORKING_DIRECTORY") is { Length: > 0 } d ? d : Environment.CurrentDirectory;
            var results = i >= 0 && i + 1 < args.Length ? args[i + 1] : Path.Combine(started, "TestResults");
            return Path.Combine(results, "screenshots");
        }
    }

    [Theory]
    [MemberData(nameof(Roles))]
    public async Task EveryPage_AtLaptopAndPhoneWidths_HasNoSidewaysScrollConsoleErrorFailedRequestOrAxeViolation(string role)
    {
        var problems = new List<string>();
        foreach (var (width, height) in Sizes)
        {
            var page = role == "anonymous" ? await host.Demo.NewPageAsync(width, height) : await host.Demo.SignInAsync(role, height, width);
            foreach (var path in PagesOf(role)) problems.AddRange(await VisitAsync(page, role, path, width, host.FirstAxeRun(path, width)));
            if (role != "anonymous" && width < 700) problems.AddRange(await MenuAsync(page, role));
            await page.Context.CloseAsync();
        }
        problems.ShouldBeEmpty(string.Join('\n', problems));
    }

    [Fact]
    public async Task Map_DrawsLayersInAFixedOrder_WithALegendEach_AScaleBar_AndPopupsInWordsLinkingTheRecord()
    {
        var page = await host.Demo.SignInAsync("analyst", 900, 1440);
        await DemoBrowser.OpenMapAsync(page);
        string[] order = ["places", "hazards", "land-release", "minefield-records", "finds", "accidents", "casualties"];
        (await page.EvaluateAsync<string[]>("() => [...document.querySelectorAll('#map-legend section[data-layer]')].map(s => s.dataset.layer)")).ShouldBe(order);
        var zIndexes = await page.EvaluateAsync<int[]>($"() => {System.Text.Json.JsonSerializer.Serialize(order)}.map(n => +window.groundtruthMap.map.getPane('gt-' + n).style.zIndex)");
        zIndexes.ShouldBe(zIndexes.Order().ToArray(), "each layer is drawn above the one before it");
        zIndexes.Distinct().Count().ShouldBe(order.Length);
        (await page.Locator(".leaflet-control-scale-line").CountAsync()).ShouldBe(1);
        (await page.Locator(".leaflet-gt-background-pane canvas").CountAsync()).ShouldBeGreaterThan(0, "the Natural Earth outlines are drawn");
        (await page.InnerTextAsync("#map-legend section[data-layer=hazards]")).ShouldContain("Confirmed hazardous area (");

        var popup = await page.EvaluateAsync<string>("""
            () => { const g = window.groundtruthMap; const l = g.groups['finds'].getLayers().find(x => x.feature.properties.booby_trapped !== null);
                    g.map.setView(l.getLatLng(), 17, { animate: false });
                    // The marker lowered first and the popup kept still: its opening must not pan the map under the
                    // click that follows (an animated auto-pan could move the link away as it was clicked).
                    g.map.panBy([0, -200], { animate: false }); l.getPopup().options.autoPan = false;
                    l.openPopup(); return document.querySelector('.leaflet-popup-content').innerHTML; }
            """);
        var labels = await page.EvaluateAsync<string[]>("() => [...document.querySelectorAll('.leaflet-popup-content th')].map(t => t.textContent)");
        labels.ShouldContain("Found on");
        labels.ShouldAllBe(l => !l.Contains('_'), "no field name from the database");
        var values = await page.EvaluateAsync<string[]>("() => [...document.querySelectorAll('.leaflet-popup-content td')].map(t => t.textContent)");
        values.ShouldNotContain("true");
        values.ShouldNotContain("false");
        values.ShouldContain(v => v == "yes" || v == "no");
        await page.ClickAsync(".leaflet-popup-content a:has-text('Open the record')");
        await page.WaitForURLAsync(u => u.Contains("/registers/finds/FND-", StringComparison.Ordinal));
        popup.ShouldContain("/registers/finds/FND-");

        await DemoBrowser.OpenMapAsync(page);
        var area = await page.EvaluateAsync<string>("""
            () => { const g = window.groundtruthMap; const l = g.groups['land-release'].getLayers()[0]; l.openPopup();
                    return [...document.querySelectorAll('.leaflet-popup-content tr')].find(r => r.cells[0].textContent === 'Area').cells[1].textContent; }
            """);
        area.ShouldMatch(@"^[0-9,]+ m²$");
        await page.Context.CloseAsync();
    }

    /// <summary>Opens one page and names everything wrong with it; its screenshot is written whatever happens.</summary>
    /// <remarks>axe-core runs once per page and width (<paramref name="axe"/>), not for every role: the roles see the same
    /// templates and axe is most of a visit's time (1–5 s a page on 2 cores).</remarks>
    private static async Task<List<string>> VisitAsync(IPage page, string role, string path, int width, bool axe)
    {
        var problems = new List<string>();
        var denied = Denied(role, path);
        var listening = true;
        void Note(string what)
        {
            if (listening) lock (problems) problems.Add($"{role} {width}px {path}: {what}");
        }
        void OnConsole(object? _, IConsoleMessage m)
        {
            // The "Not allowed" page is answered 403 on purpose; Chromium logs that status as a console error.
            if (m.Type == "error" && !(denied && m.Text.Contains("403", StringComparison.Ordinal))) Note($"console error: {m.Text}");
        }
        void OnPageError(object? _, string e) => Note($"script error: {e}");
        void OnFailed(object? _, IRequest r) => Note($"request failed: {r.Url} {r.Failure}");
        void OnResponse(object? _, IResponse r)
        {
            if (r.Status >= 400 && !(denied && r.Request.IsNavigationRequest)) Note($"HTTP {r.Status}: {r.Url}");
        }
        page.Console += OnConsole;
        page.PageError += OnPageError;
        page.RequestFailed += OnFailed;
        page.Response += OnResponse;
        try
        {
            var response = await page.GotoAsync(path);
            if (denied)
            {
                response!.Status.ShouldBe(403, $"{role} {path}");
                (await page.Locator("h1").InnerTextAsync()).ShouldBe("Not allowed");
            }
            else if (response!.Status != 200) Note($"answered {response.Status}");
            await SettleAsync(page, path);
            var widths = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, window.innerWidth]");
            var (scroll, inner) = (widths[0], widths[1]);
            if (width < 700 && scroll > inner) Note($"scrolls sideways: {scroll} px wide in a {inner} px window");
            if (axe)
            {
                foreach (var v in (await page.RunAxe(AxeOptions)).Violations)
                    Note($"axe {v.Id} ({v.Impact}): {v.Help} — {string.Join(", ", v.Nodes.Take(3).Select(n => n.Target?.ToString()))}");
            }
        }
        catch (PlaywrightException e)
        {
            Note($"did not load: {e.Message}");
        }
        finally
        {
            await ScreenshotAsync(page, role, path, width);
            listening = false;
            page.Console -= OnConsole;
            page.PageError -= OnPageError;
            page.RequestFailed -= OnFailed;
            page.Response -= OnResponse;
        }
        return problems;
    }

    /// <summary>At phone width the navigation is one "Menu" button; pressed, it shows every link inside the screen.</summary>
    private static async Task<List<string>> MenuAsync(IPage page, string role)
    {
        var problems = new List<string>();
        await page.GotoAsync("/");
        var button = page.Locator("button.menu-button");
        var nav = page.Locator("#site-menu nav");
        if (!await button.IsVisibleAsync()) problems.Add($"{role}: no menu button at 390 px");
        if (await nav.IsVisibleAsync()) problems.Add($"{role}: the navigation is open before the menu button is pressed");
        await button.ClickAsync();
        (await button.GetAttributeAsync("aria-expanded")).ShouldBe("true");
        foreach (var link in await nav.Locator("a").AllAsync())
        {
            var box = await link.BoundingBoxAsync();
            if (box is null || box.X < 0 || box.X + box.Width > 390) problems.Add($"{role}: menu link {await link.InnerTextAsync()} is not inside the screen");
        }
        await ScreenshotAsync(page, role, "/menu-open", 390);
        return problems;
    }

    private static readonly AxeRunOptions AxeOptions = new()
    {
        RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] },
    };

    /// <summary>Waits until what the page draws after loading (the map's layers, the risk map, Scalar's reference) is there.</summary>
    private static async Task SettleAsync(IPage page, string path)
    {
        var wait = new PageWaitForSelectorOptions { State = WaitForSelectorState.Attached, Timeout = 120_000 };
        if (path == "/map") await page.WaitForSelectorAsync("#map[data-loaded=true]", wait);
        else if (path == "/") await page.WaitForSelectorAsync("[data-computing]", new() { State = WaitForSelectorState.Detached, Timeout = 120_000 });
        else if (path.StartsWith("/risk", StringComparison.Ordinal)) await page.WaitForSelectorAsync("#top-cells", wait);
        else if (path.StartsWith("/scalar", StringComparison.Ordinal)) await page.WaitForSelectorAsync("h1", wait);
        // A record's or a submission's small map (js/record-map.js) is drawn when it scrolls into view: the first one is on screen.
        if (path.StartsWith("/registers/", StringComparison.Ordinal) || path.StartsWith("/workbench/", StringComparison.Ordinal))
            await page.WaitForFunctionAsync("() => [...document.querySelectorAll('.record-map')].slice(0, 1).every(m => m.dataset.loaded === 'true')", null, new() { Timeout = 120_000 });
    }

    private static async Task ScreenshotAsync(IPage page, string role, string path, int width)
    {
        var name = path.Trim('/').Replace('/', '_').Replace('?', '_').Replace('=', '-');
        var folder = Path.Combine(ScreenshotFolder, role, width.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, (name.Length == 0 ? "dashboard" : name) + ".png"), FullPage = true });
    }
}
