using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace Groundtruth.Web.Tests.Browser;

/// <summary>Issue 13 parts 4 and 6 in the browser, on the tour's host and Chromium: a find entered with its generated id and a picked hazard reference, then the dashboard at laptop and phone width.</summary>
public sealed partial class PageTourBrowserTests
{
    [Fact]
    public async Task Entry_GivesTheNextId_PicksTheHazardBySearchAndNearest_ThenTheDashboardReadsAtBothWidths()
    {
        var page = await host.Demo.SignInAsync("approver", 900, 1440);
        var errors = new List<string>();
        page.Console += (_, m) => { if (m.Type == "error") errors.Add(m.Text); };
        page.PageError += (_, e) => errors.Add(e);
        await page.GotoAsync("/entry/finds");
        var next = await page.GetAttributeAsync("#id", "placeholder");
        next!.ShouldMatch($@"^FND-{DateTime.UtcNow.Year}-\d{{5}}$");
        (await page.InnerTextAsync("#id-hint")).ShouldContain(next!);

        await page.FillAsync("#found_on", $"{DateTime.UtcNow.Year}-01");
        await page.SelectOptionAsync("#category", "uxo");
        // The first corner of some hazardous area: "nearest" must list an area that covers it (0 m) first.
        var corner = await page.EvaluateAsync<double[]>("""
            async () => { const f = (await (await fetch('/api/features/hazards?limit=1')).json()).features[0];
                          let c = f.geometry.coordinates; while (Array.isArray(c[0])) c = c[0]; return c; }
            """);
        await page.FillAsync("#lon", corner[0].ToString("R", System.Globalization.CultureInfo.InvariantCulture));
        await page.FillAsync("#lat", corner[1].ToString("R", System.Globalization.CultureInfo.InvariantCulture));

        // Typing searches; the options are announced and chosen with the keyboard.
        await page.FillAsync("#hazard_id", "HA-00000");
        await page.WaitForSelectorAsync("#hazard_id-options [role=option]");
        (await page.GetAttributeAsync("#hazard_id", "aria-expanded")).ShouldBe("true");
        await page.PressAsync("#hazard_id", "ArrowDown");
        var typed = await page.GetAttributeAsync("#hazard_id-options [aria-selected=true]", "data-id");
        await page.PressAsync("#hazard_id", "Enter");
        (await page.InputValueAsync("#hazard_id")).ShouldBe(typed);

        await page.ClickAsync("#hazard_id ~ button[data-nearest]");
        await page.WaitForSelectorAsync("#hazard_id-options [role=option]");
        var nearestText = await page.InnerTextAsync("#hazard_id-options [role=option] >> nth=0");
        nearestText.ShouldEndWith("(0 m)");
        await ScreenshotAsync(page, "approver", "/entry/finds-lookup", 1440);
        foreach (var v in (await page.RunAxe(AxeOptions)).Violations) errors.Add($"axe {v.Id}: {v.Help}");
        var picked = await page.GetAttributeAsync("#hazard_id-options [role=option] >> nth=0", "data-id");
        await page.ClickAsync("#hazard_id-options [role=option] >> nth=0");
        (await page.InputValueAsync("#hazard_id")).ShouldBe(picked);

        await page.ClickAsync("form.entry button[value=save]");
        await page.WaitForURLAsync(u => u.Contains("/registers/finds/", StringComparison.Ordinal));
        page.Url.ShouldEndWith("/registers/finds/" + next);
        (await page.ContentAsync()).ShouldContain(picked!);
        await page.Context.CloseAsync();

        foreach (var (width, height) in new[] { (1440, 900), (390, 844) })
        {
            var reader = await host.Demo.SignInAsync("analyst", height, width);
            await Statistics.DashboardComputed.GotoAsync(reader, "/");
            await reader.WaitForSelectorAsync("[data-figure=casualties] svg");
            foreach (var figure in new[] { "remaining", "released", "finds", "accidents", "casualties" })
                (await reader.Locator($"[data-figure={figure}]").CountAsync()).ShouldBe(1, figure);
            (await reader.GetAttributeAsync("#period", "data-from")).ShouldBe($"{DateTime.UtcNow.Year}-01-01");
            var widths = await reader.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, window.innerWidth]");
            if (width < 700) widths[0].ShouldBeLessThanOrEqualTo(widths[1], "no sideways scroll on a phone");
            await ScreenshotAsync(reader, "analyst", "/dashboard-figures", width);
            await DemoBrowser.ScreenshotAsync(reader, $"dashboard-{width}.png", fullPage: true);
            await reader.Context.CloseAsync();
        }
        errors.ShouldBeEmpty(string.Join('\n', errors));
    }
}
