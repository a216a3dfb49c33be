using System.Collections;
using System.Globalization;
using System.Resources;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Groundtruth.Web.Tests.Browser;

/// <summary>
/// The upload, workbench, audit, risk, priorities, reports and field help pages in Arabic and Ukrainian: no visible text
/// of the page may read as the English rendering of a resource key that has a translation (the pages' words, the label
/// catalogue, the importer's reasons, the application's errors), the upload's problems and a refused request are in the
/// language, dates are in the culture's format;
/// a screenshot of each at 1440 and 390 px into TestResults/screenshots/languages/LANGUAGE/WIDTH/.
/// </summary>
[Collection(typeof(BrowserCollection))]
public sealed partial class PagesLanguageBrowserTests(LanguageBrowserHost host) : IClassFixture<LanguageBrowserHost>
{
    private static readonly string[] Pages = ["/upload", "/workbench", "/audit", "/risk?cell=5000", "/priorities", "/reports", "/help/finds"];

    /// <summary>A file the importer refuses: no found_on column, an unknown column.</summary>
    private const string BadFinds = "id,category,colour,lon,lat\nFD-LANG-1,landmine,red,-24.5,-30.1\n";

    [Theory]
    [InlineData("ar")]
    [InlineData("uk")]
    public async Task Every_page_reads_in_the_language_with_no_English_sentence_left(string language)
    {
        var english = EnglishRenderings(CultureInfo.GetCultureInfo(language));
        english.Count.ShouldBeGreaterThan(300, "the catalogues' translated keys were read");
        var problems = new List<string>();
        foreach (var (width, height) in new[] { (1440, 900), (390, 844) })
        {
            var page = await host.Demo.SignInAsync("administrator", height, width);
            page.PageError += (_, e) => problems.Add($"{language} {width}px: script error: {e}");
            await page.GotoAsync($"/language?culture={language}&return=/upload");
            (await page.GetAttributeAsync("html", "lang")).ShouldBe(language);
            foreach (var path in Pages)
            {
                await page.GotoAsync(path);
                if (path.StartsWith("/risk", StringComparison.Ordinal)) await ReadyAsync(page, "#top-cells, #risk-error");
                if (path == "/priorities") await ReadyAsync(page, "#priorities, p.error");
                if (width > 700) problems.AddRange(EnglishLeft(await VisibleTextAsync(page), english).Select(t => $"{language} {path}: \"{t}\""));
                await ShotAsync(page, language, width, Name(path));
            }

            // The importer's problems: file, line and field as the file has them, the words around them in the language.
            await page.GotoAsync("/upload");
            await page.SelectOptionAsync("select[name=Dataset]", "finds");
            await page.SetInputFilesAsync("input[name=Upload]", new FilePayload { Name = "finds-lang.csv", MimeType = "text/csv", Buffer = System.Text.Encoding.UTF8.GetBytes(BadFinds) });
            await page.ClickAsync("form[enctype] button[type=submit]");
            var listed = await page.Locator("#problems li").AllInnerTextsAsync();
            listed.ShouldNotBeEmpty();
            listed.ShouldContain(p => p.StartsWith("finds-lang.csv:1:", StringComparison.Ordinal) && p.Contains("found_on", StringComparison.Ordinal),
                string.Join('\n', listed));
            if (width > 700) problems.AddRange(EnglishLeft(await VisibleTextAsync(page), english).Select(t => $"{language} upload problems: \"{t}\""));
            await ShotAsync(page, language, width, "upload-problems");

            // An application's error on a page (a refused cell size): in the language, the figures as they are.
            await page.GotoAsync("/risk?cell=255");
            var refused = await page.Locator("#risk-error").InnerTextAsync();
            refused.ShouldContain(language == "uk" ? "комірка має бути цілим кратним 10 метрів, від 50 до 5000" : "يجب أن تكون الخلية مضاعفًا صحيحًا لـ 10 متر، من 50 إلى 5000");
            if (width > 700) problems.AddRange(EnglishLeft(await VisibleTextAsync(page), english).Select(t => $"{language} risk refused: \"{t}\""));
            await ShotAsync(page, language, width, "risk-refused");

            // Dates in the language: the day, the month's name as the culture abbreviates it, the year, the time in UTC
            // (Ukrainian "7 груд. 2026 05:32 UTC"; never the US month/day order).
            await page.GotoAsync("/audit");
            var when = await page.Locator("#audit time").First.InnerTextAsync();
            when.ShouldMatch(@"^\d{1,2} \S+ \d{4} \d{2}:\d{2} UTC$");
            if (language == "uk") when.ShouldMatch(@"^\d{1,2} \p{IsCyrillic}");
            when.ShouldNotMatch(@"^\d{4}-\d{2}-\d{2}", "not the invariant ISO form");
            await page.Context.CloseAsync();
        }
        problems.ShouldBeEmpty(string.Join('\n', problems));
    }

    /// <summary>
    /// The English text of every key the language translates differently, from the neutral resources of the pages (Ui),
    /// the label catalogue (Labels) and the importer's reasons (Messages), each as a pattern: a <c>{0}</c> stands for
    /// anything (a value filled in).
    /// </summary>
    private static List<(string English, Regex Pattern)> EnglishRenderings(CultureInfo culture)
    {
        var web = typeof(Groundtruth.Web.Resources.Ui).Assembly;
        var application = typeof(Groundtruth.Application.Resources.Labels).Assembly;
        var result = new List<(string, Regex)>();
        foreach (var manager in new[]
        {
            new ResourceManager("Groundtruth.Web.Resources.Ui", web),
            new ResourceManager("Groundtruth.Application.Resources.Labels", application),
            new ResourceManager("Groundtruth.Application.Resources.Messages", application),
        })
        {
            foreach (DictionaryEntry e in manager.GetResourceSet(CultureInfo.InvariantCulture, createIfNotExists: true, tryParents: false)!)
            {
                var key = (string)e.Key;
                var value = Collapse((string)e.Value!);
                if (key.StartsWith("language.", StringComparison.Ordinal)) continue; // each language's own name, shown as such
                if (manager.GetString(key, culture) is not { } translated || Collapse(translated) == value) continue;
                var literal = PlaceholderPattern().Replace(value, "");
                if (!Letters().IsMatch(literal)) continue; // "{0}: {1}", "CSV": nothing English to find
                var pattern = string.Join(".*?", PlaceholderPattern().Split(value).Select(Regex.Escape));
                result.Add((value, new Regex(literal.Length == value.Length ? $"^{pattern}$" : pattern, RegexOptions.CultureInvariant)));
            }
        }
        return result;
    }

    /// <summary>The visible texts that read as an English rendering: equal to one, or containing a sentence of one (a value filled in).</summary>
    private static IEnumerable<string> EnglishLeft(IReadOnlyList<string> texts, List<(string English, Regex Pattern)> english) =>
        texts.Where(t => english.Any(e => e.Pattern.IsMatch(t) && (e.Pattern.ToString().StartsWith('^') || e.English.Length >= 12)))
            .Distinct(StringComparer.Ordinal);

    /// <summary>Each visible text node of the page's main content and header (code, scripts and the language names aside), whitespace collapsed.</summary>
    private static async Task<IReadOnlyList<string>> VisibleTextAsync(IPage page) => [.. (await page.EvaluateAsync<string[]>("""
        () => {
            const out = [];
            const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
            for (let n = walker.nextNode(); n; n = walker.nextNode()) {
                const el = n.parentElement;
                if (!el || el.closest('script, style, code, pre, noscript, #language, datalist')) continue;
                if (!el.getClientRects().length || getComputedStyle(el).visibility === 'hidden') continue;
                const text = n.textContent.replace(/\s+/g, ' ').trim();
                if (text) out.push(text);
            }
            for (const el of document.querySelectorAll('input[placeholder], [aria-label], img[alt]'))
                for (const a of ['placeholder', 'aria-label', 'alt']) if (el.getAttribute(a)) out.push(el.getAttribute(a).trim());
            return out;
        }
        """)).Select(Collapse)];

    private static async Task ReadyAsync(IPage page, string selector) =>
        await page.WaitForSelectorAsync(selector, new PageWaitForSelectorOptions { Timeout = 120_000, State = WaitForSelectorState.Attached });

    private static async Task ShotAsync(IPage page, string language, int width, string name)
    {
        var widths = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, window.innerWidth]");
        widths[0].ShouldBeLessThanOrEqualTo(widths[1], $"{language} {width}px {name}: the page scrolls sideways");
        var folder = Path.Combine(PageTourBrowserTests.ScreenshotFolder, "languages", language, width.ToString(CultureInfo.InvariantCulture));
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name + ".png"), FullPage = true });
    }

    private static string Name(string path) => path.Trim('/').Split('?')[0].Replace('/', '-');

    private static string Collapse(string s) => Spaces().Replace(s, " ").Trim();

    [GeneratedRegex(@"\{\d+\}")] private static partial Regex PlaceholderPattern();
    [GeneratedRegex("[A-Za-z]{2,}")] private static partial Regex Letters();
    [GeneratedRegex(@"\s+")] private static partial Regex Spaces();
}
