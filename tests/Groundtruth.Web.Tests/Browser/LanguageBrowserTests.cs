using Microsoft.Playwright;

namespace Groundtruth.Web.Tests.Browser;

/// <summary>One host with a fresh demo and one Chromium for <see cref="LanguageBrowserTests"/>.</summary>
public sealed class LanguageBrowserHost : IAsyncLifetime
{
    public DemoBrowser Demo { get; private set; } = null!;

    public async ValueTask InitializeAsync() => Demo = await DemoBrowser.StartAsync();

    public async ValueTask DisposeAsync()
    {
        if (Demo is not null) await Demo.DisposeAsync();
    }
}

/// <summary>
/// The dashboard, the map and an entry form in Arabic (right to left: the layout mirrors) and in Ukrainian, at 1440×900
/// and 390×844, chosen with the language selector: a screenshot of each into the test results
/// (TestResults/screenshots/languages/LANGUAGE/WIDTH/PAGE.png), no sideways scroll at 390 px, no script error.
/// </summary>
[Collection(typeof(BrowserCollection))]
public sealed class LanguageBrowserTests(LanguageBrowserHost host) : IClassFixture<LanguageBrowserHost>
{
    /// <summary>Each page with a word it must show in the language (from the catalogue or the page's own words).</summary>
    public static TheoryData<string, string, string, string, string> Languages => new()
    {
        { "ar", "rtl", "لوحة المعلومات", "المناطق الخطرة", "تاريخ الاكتشاف" },
        { "uk", "ltr", "Панель", "Небезпечні території", "Дата виявлення" },
    };

    [Theory]
    [MemberData(nameof(Languages))]
    public async Task Dashboard_map_and_entry_form_speak_the_language_and_mirror_for_right_to_left(
        string language, string direction, string dashboard, string hazardsLayer, string foundOn)
    {
        var problems = new List<string>();
        foreach (var (width, height) in new[] { (1440, 900), (390, 844) })
        {
            var page = await host.Demo.SignInAsync("editor", height, width);
            page.PageError += (_, e) => problems.Add($"{language} {width}px: script error: {e}");
            page.Console += (_, m) => { if (m.Type == "error") problems.Add($"{language} {width}px: console error: {m.Text}"); };

            // The selector is on every page; at phone width it is inside the folded menu, so go through its form's address.
            await page.GotoAsync($"/language?culture={language}&return=/");
            (await page.GetAttributeAsync("html", "lang")).ShouldBe(language);
            (await page.GetAttributeAsync("html", "dir")).ShouldBe(direction);
            (await page.Locator("h1").InnerTextAsync()).ShouldBe(dashboard);
            (await page.InputValueAsync("#language")).ShouldBe(language);
            if (width > 700) await NavigationSideAsync(page, direction);
            await CheckAsync(page, language, "dashboard", width, problems);

            await DemoBrowser.OpenMapAsync(page);
            // At phone width the legend is folded into its button: its text is there, not shown.
            ((await page.Locator("#map-legend section[data-layer=hazards]").TextContentAsync()) ?? "").ShouldContain(hazardsLayer);
            await CheckAsync(page, language, "map", width, problems);

            await page.GotoAsync("/entry/finds");
            (await page.InnerTextAsync("label[for=found_on]")).ShouldContain(foundOn);
            // A negative longitude reads -24.51 in every language (right to left it showed "24.51-").
            await page.FillAsync("#lon", "-24.51");
            (await page.EvaluateAsync<string>("() => getComputedStyle(document.getElementById('lon')).direction")).ShouldBe("ltr");
            await CheckAsync(page, language, "entry-finds", width, problems);
            await page.Context.CloseAsync();
        }
        problems.ShouldBeEmpty(string.Join('\n', problems));
    }

    /// <summary>Left to right the brand is at the left and the navigation after it; right to left both sit mirrored, the brand at the right.</summary>
    private static async Task NavigationSideAsync(IPage page, string direction)
    {
        var brand = (await page.Locator("header .brand").BoundingBoxAsync())!;
        var nav = (await page.Locator("header nav").BoundingBoxAsync())!;
        var width = await page.EvaluateAsync<int>("() => window.innerWidth");
        if (direction == "rtl")
        {
            (brand.X + brand.Width).ShouldBeGreaterThan(width - 40, "right to left, the brand sits at the right edge");
            (nav.X + nav.Width).ShouldBeLessThanOrEqualTo(brand.X + 1, "right to left, the navigation follows the brand leftwards");
        }
        else
        {
            brand.X.ShouldBeLessThan(40);
            nav.X.ShouldBeGreaterThanOrEqualTo(brand.X + brand.Width - 1);
        }
    }

    private static async Task CheckAsync(IPage page, string language, string name, int width, List<string> problems)
    {
        var widths = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, window.innerWidth]");
        if (width < 700 && widths[0] > widths[1]) problems.Add($"{language} {width}px {name}: scrolls sideways ({widths[0]} px in {widths[1]} px)");
        var folder = Path.Combine(PageTourBrowserTests.ScreenshotFolder, "languages", language, width.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name + ".png"), FullPage = true });
    }
}
