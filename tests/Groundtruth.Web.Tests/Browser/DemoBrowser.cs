using Microsoft.Playwright;

namespace Groundtruth.Web.Tests.Browser;

/// <summary>
/// The browser test classes run one after another (each starts a web host and Chromium): side by side, six hosts and
/// six browsers on a 2-core CI machine made a first page miss its 90 s wait. They still run beside the other tests, and
/// beside the page tour (<see cref="TourCollection"/>).
/// </summary>
[CollectionDefinition]
public sealed class BrowserCollection;

/// <summary>
/// The page tour, the longest browser class (every page as every role at two widths: about 9 of CI's 17 minutes of
/// browser tests), in a lane of its own beside <see cref="BrowserCollection"/>: two hosts and two browsers at a time.
/// </summary>
[CollectionDefinition]
public sealed class TourCollection;

/// <summary>
/// The host as a user starts it (its own process, a fresh demo, a real port) and headless Chromium (Debian's
/// <see cref="BrowserTests.Chromium"/>, never a downloaded browser) signed in per role. Skipped locally without
/// Chromium; fails under CI=true.
/// </summary>
public sealed class DemoBrowser : IAsyncDisposable
{
    private WebProcess? _web;
    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private string _database = "";
    private string _workingDirectory = "";

    public Uri Url { get; private set; } = null!;

    /// <summary>The demo database the host serves (for the CLI's figures on the same data).</summary>
    public string Database => _database;

    public static async Task<DemoBrowser> StartAsync()
    {
        if (!File.Exists(BrowserTests.Chromium))
        {
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
                Assert.Fail($"{BrowserTests.Chromium} is missing under CI: .ci/run must install the chromium package");
            Assert.Skip($"{BrowserTests.Chromium} is missing; install it with: apt-get install -y chromium");
        }
        var demo = new DemoBrowser { _workingDirectory = Path.Combine(Path.GetTempPath(), "groundtruth-browser", Guid.NewGuid().ToString("N")) };
        Directory.CreateDirectory(demo._workingDirectory);
        demo._web = WebProcess.Start(demo._workingDirectory, "--demo", "--urls", "http://127.0.0.1:0", "--Groundtruth:DemoPassword", TestUsers.Password, "--Groundtruth:SignIn:AttemptsPerMinute", "1000");
        (demo.Url, demo._database) = await demo._web.ListeningAsync(TimeSpan.FromSeconds(120));
        demo._playwright = await Playwright.CreateAsync();
        demo._browser = await demo._playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = BrowserTests.Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        return demo;
    }

    /// <summary>A new browser context signed in through the login page as <paramref name="name"/>.</summary>
    public async Task<IPage> SignInAsync(string name, int height = 860, int width = 1280)
    {
        var page = await NewPageAsync(width, height);
        // Three browser classes each start a host and Chromium while the other test projects run: on a loaded 2-core
        // machine a first page (the dashboard computes its figures) can take longer than Playwright's 30 s default.
        await page.GotoAsync("/login");
        await page.FillAsync("input[name=Name]", name);
        await page.FillAsync("input[name=Password]", TestUsers.Password);
        // Signed in once the login answers its redirect (a refused sign-in answers the form again, and says why). The page
        // the redirect leads to (the dashboard computes its figures) is not awaited here: each test waits for what it looks at.
        var answer = await page.RunAndWaitForResponseAsync(() => page.ClickAsync("form.login button[type=submit]"),
            r => r.Request.Method == "POST" && r.Url.Contains("/login", StringComparison.Ordinal));
        if (answer.Status is < 300 or >= 400)
            throw new InvalidOperationException($"signing in as {name} answered {answer.Status}: {await answer.TextAsync()}");
        return page;
    }

    /// <summary>A new browser context (no one signed in) with a page of the given size.</summary>
    public async Task<IPage> NewPageAsync(int width, int height)
    {
        var context = await _browser!.NewContextAsync(new BrowserNewContextOptions { BaseURL = Url.ToString(), ViewportSize = new ViewportSize { Width = width, Height = height } });
        // Three browser classes each start a host and Chromium while the other test projects run: on a loaded 2-core
        // machine a first page (the dashboard computes its figures) can take longer than Playwright's 30 s default.
        context.SetDefaultTimeout(90_000);
        return await context.NewPageAsync();
    }

    /// <summary>Opens <c>/map</c> and waits until every layer has loaded; a timeout names what the page's console said.</summary>
    public static async Task OpenMapAsync(IPage page)
    {
        var console = new List<string>();
        page.Console += (_, m) => console.Add(m.Text);
        page.PageError += (_, e) => console.Add(e);
        await page.GotoAsync("/map");
        try
        {
            await page.WaitForSelectorAsync("#map[data-loaded=true]", new PageWaitForSelectorOptions { Timeout = 60_000, State = WaitForSelectorState.Attached });
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException("the map did not load; console: " + string.Join(" | ", console), e);
        }
    }

    /// <summary>Writes a screenshot to GROUNDTRUTH_SCREENSHOTS (docs/screenshots) when that is set.</summary>
    public static async Task ScreenshotAsync(IPage page, string name, bool fullPage = false)
    {
        var folder = Environment.GetEnvironmentVariable("GROUNDTRUTH_SCREENSHOTS");
        if (string.IsNullOrWhiteSpace(folder)) return;
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name), FullPage = fullPage });
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null) await _browser.DisposeAsync();
        _playwright?.Dispose();
        var demoFolder = _web is null ? null : Path.GetDirectoryName(_database);
        _web?.Dispose();
        if (demoFolder is not null && Directory.Exists(demoFolder)) Directory.Delete(demoFolder, recursive: true);
        if (Directory.Exists(_workingDirectory)) Directory.Delete(_workingDirectory, recursive: true);
    }
}
