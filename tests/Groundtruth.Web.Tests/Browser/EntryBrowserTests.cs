using Microsoft.Playwright;

namespace Groundtruth.Web.Tests.Browser;

/// <summary>
/// The find form in headless Chromium against the host on a real port, serving a fresh demo: a bad value is shown next
/// to its field with the other values kept; fixed, the find becomes a submission an approver sees in the workbench.
/// Skipped locally without Chromium; fails under CI=true (as <see cref="BrowserTests"/>).
/// </summary>
public sealed class EntryBrowserTests : IAsyncLifetime
{
    private WebProcess? _web;
    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private Uri _url = null!;
    private string _database = "";
    private string _workingDirectory = "";

    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(BrowserTests.Chromium))
        {
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
                Assert.Fail($"{BrowserTests.Chromium} is missing under CI: .ci/run must install the chromium package");
            Assert.Skip($"{BrowserTests.Chromium} is missing; install it with: apt-get install -y chromium");
        }
        _workingDirectory = Path.Combine(Path.GetTempPath(), "groundtruth-browser", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_workingDirectory);
        _web = WebProcess.Start(_workingDirectory, "--demo", "--urls", "http://127.0.0.1:0", "--Groundtruth:DemoPassword", TestUsers.Password);
        (_url, _database) = await _web.ListeningAsync(TimeSpan.FromSeconds(120));
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = BrowserTests.Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
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

    private async Task<IPage> SignInAsync(string name)
    {
        var context = await _browser!.NewContextAsync(new BrowserNewContextOptions { BaseURL = _url.ToString(), ViewportSize = new ViewportSize { Width = 1280, Height = 1400 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/login");
        await page.FillAsync("input[name=Name]", name);
        await page.FillAsync("input[name=Password]", TestUsers.Password);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync(u => !u.Contains("/login", StringComparison.Ordinal));
        return page;
    }

    [Fact]
    public async Task FindForm_ShowsTheBadValueNextToItsField_KeepsTheRest_AndTheFixedFindAwaitsApproval()
    {
        var editor = await SignInAsync("editor");
        await editor.ClickAsync("header nav a:has-text('Enter')");
        await editor.ClickAsync("#entry-forms a[href='/entry/finds']");
        await editor.FillAsync("input[name=id]", "OP-FORM-1");
        await editor.FillAsync("input[name=found_on]", "2025-04-11");
        await editor.SelectOptionAsync("select[name=category]", "anti_vehicle_mine");
        await editor.FillAsync("input[name=model]", "TM-62");
        await editor.FillAsync("input[name=quantity]", "0");
        await editor.FillAsync("input[name=lon]", "-24.44");
        await editor.FillAsync("input[name=lat]", "-31.27");
        await editor.ClickAsync("button[value=save]");

        var error = editor.Locator(".field-error[data-for=quantity]");
        (await error.InnerTextAsync()).ShouldBe("must be at least 1");
        (await editor.Locator("#entry-problems li").CountAsync()).ShouldBe(1);
        (await editor.InputValueAsync("input[name=model]")).ShouldBe("TM-62");
        (await editor.InputValueAsync("select[name=category]")).ShouldBe("anti_vehicle_mine");
        (await editor.InputValueAsync("input[name=lat]")).ShouldBe("-31.27");
        await Screenshot(editor, "entry.png");

        await editor.FillAsync("input[name=quantity]", "2");
        await editor.ClickAsync("button[value=save]");
        await editor.WaitForURLAsync(u => u.Contains("/workbench/", StringComparison.Ordinal));

        var approver = await SignInAsync("approver");
        await approver.GotoAsync(new Uri(editor.Url).PathAndQuery);
        (await approver.Locator("h1").InnerTextAsync()).ShouldContain("finds, submitted");
        var item = approver.Locator("#items tr", new() { HasText = "OP-FORM-1" });
        (await item.CountAsync()).ShouldBe(1);
        (await item.InnerTextAsync()).ShouldContain("\"quantity\":2");
    }

    private static async Task Screenshot(IPage page, string name)
    {
        var folder = Environment.GetEnvironmentVariable("GROUNDTRUTH_SCREENSHOTS");
        if (string.IsNullOrWhiteSpace(folder)) return;
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name), FullPage = true });
    }
}
