using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace Groundtruth.Web.Tests.Browser;

/// <summary>
/// The approval walk in headless Chromium against the host on a real port, serving a fresh demo: an editor enters a find
/// and an accident with two casualties; the approver sees the badge, each incoming record on its map with its fields in
/// words and a proposed decision, approves the accident and its casualties together in one click, reads the confirmation,
/// follows it to the accident's page (its map, its casualties linked both ways), opens the find's popup on the map and its
/// record from there, and reads the dashboard's devices and casualties of the period grow by what was approved. Screenshots at 1440×900 and 390×844 go to
/// TestResults/screenshots/approval/; axe-core must find nothing on the pages walked.
/// Skipped locally without Chromium; fails under CI=true.
/// </summary>
[Collection(typeof(BrowserCollection))]
public sealed class ApprovalBrowserTests : IAsyncLifetime
{
    private DemoBrowser? _demo;

    public async ValueTask InitializeAsync() => _demo = await DemoBrowser.StartAsync();

    public async ValueTask DisposeAsync()
    {
        if (_demo is not null) await _demo.DisposeAsync();
    }

    private static readonly AxeRunOptions AxeOptions = new()
    {
        RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] },
    };

    [Fact]
    public async Task FindAndAccidentWithCasualties_ApprovedWithTheDefaults_ConfirmedAndLinked()
    {
        var editor = await _demo!.SignInAsync("editor", height: 1400);
        await editor.GotoAsync("/entry/finds");
        await editor.FillAsync("input[name=id]", "OP-WALK-F1");
        await editor.FillAsync("input[name=found_on]", "2025-04-11");
        await editor.SelectOptionAsync("select[name=category]", "anti_vehicle_mine");
        await editor.FillAsync("input[name=model]", "TM-62");
        await editor.FillAsync("input[name=lon]", "-24.31");
        await editor.FillAsync("input[name=lat]", "-31.29");
        await editor.ClickAsync("button[value=save]");
        await editor.WaitForURLAsync(u => u.Contains("/workbench/", StringComparison.Ordinal));
        var findSubmission = new Uri(editor.Url).AbsolutePath;

        await editor.GotoAsync("/entry/accidents");
        await editor.FillAsync("input[name=id]", "OP-WALK-A1");
        await editor.FillAsync("input[name=occurred_on]", "2025-05-02");
        await editor.SelectOptionAsync("select[name=kind]", "mine_erw");
        await editor.FillAsync("input[name=lon]", "-24.33");
        await editor.FillAsync("input[name=lat]", "-31.27");
        await editor.FillAsync("input[name='c0.id']", "OP-WALK-C1");
        await editor.SelectOptionAsync("select[name='c0.outcome']", "injured");
        await editor.FillAsync("input[name='c0.age']", "34");
        await editor.ClickAsync("button[value=add_casualty]");
        await editor.FillAsync("input[name='c1.id']", "OP-WALK-C2");
        await editor.SelectOptionAsync("select[name='c1.outcome']", "killed");
        await editor.FillAsync("input[name='c1.age']", "12");
        await editor.ClickAsync("button[value=save]");
        await editor.WaitForURLAsync(u => u.Contains("/workbench/", StringComparison.Ordinal));
        var accidentSubmission = new Uri(editor.Url).AbsolutePath;
        (await editor.Locator("#waiting-badge").CountAsync()).ShouldBe(0, "an editor decides nothing: no badge");
        (await editor.Locator("select[name$='.Action']").CountAsync()).ShouldBe(0, "an editor sees the proposals, not the decision inputs");

        // A status change of an existing hazardous area: an update, with its changed field marked.
        await editor.GotoAsync("/entry/hazards/HA-000001/status");
        var status = await editor.InputValueAsync("select[name=status]");
        await editor.SelectOptionAsync("select[name=status]", status == "worked_on" ? "open" : "worked_on");
        await editor.FillAsync("input[name=status_reason]", "clearance team on site");
        await editor.ClickAsync("#status-form button[type=submit]");
        await editor.WaitForURLAsync(u => u.Contains("/workbench/", StringComparison.Ordinal));
        var hazardSubmission = new Uri(editor.Url).AbsolutePath;

        var approver = await _demo.SignInAsync("approver", height: 900, width: 1440);
        await approver.GotoAsync(hazardSubmission);
        (await approver.InputValueAsync("select[name$='.Action']")).ShouldBe("Update", "the hazardous area exists: the default is its update");
        (await approver.InputValueAsync("input[name$='.NationalId']")).ShouldBe("HA-000001");
        var changed = await approver.Locator("section.review-item tr.changed").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.field)");
        changed.ShouldContain("status");
        changed.ShouldContain("status_reason");
        changed.ShouldNotContain("name", "the name did not change");
        (await approver.InnerTextAsync("section.review-item tr[data-field=status] .mark")).ShouldBe("changed");
        await approver.WaitForSelectorAsync("section.review-item .record-map[data-loaded=true]", new() { State = WaitForSelectorState.Attached });
        (await approver.Locator("section.review-item .record-map path[stroke-dasharray]").CountAsync()).ShouldBeGreaterThan(0, "the current perimeter is drawn dashed");
        await ShotAsync(approver, "submission-update", 1440);
        await DemoBrowser.ScreenshotAsync(approver, "approval-update.png");
        await approver.ClickAsync("#approve");
        await approver.WaitForSelectorAsync("#confirmation");
        (await approver.Locator("#outcome td").AllInnerTextsAsync()).ShouldContain("Update of an existing record");

        // The dashboard's figures for April–May 2025 before the approvals (approved data only).
        var before = await DashboardFiguresAsync(approver);

        await approver.GotoAsync(accidentSubmission);
        var badge = int.Parse(await approver.InnerTextAsync("#waiting-badge"), System.Globalization.CultureInfo.InvariantCulture);
        badge.ShouldBeGreaterThanOrEqualTo(3, "the find's, the accident's and the casualties' submissions wait");
        (await approver.Locator("#waiting-badge + .visually-hidden").InnerTextAsync()).ShouldBe($"{badge} submission(s) waiting for your decision");
        (await approver.Locator("#group li").CountAsync()).ShouldBe(2, "the accident and its casualties are decided together");
        var items = approver.Locator("section.review-item");
        (await items.CountAsync()).ShouldBe(3);
        (await approver.Locator("section.review-item[data-dataset=casualties]").CountAsync()).ShouldBe(2);
        foreach (var select in await approver.Locator("select[name$='.Action']").AllAsync())
            (await select.InputValueAsync()).ShouldBe("New", "nothing matches an incoming id: the default is a new record");
        await approver.WaitForSelectorAsync("section[data-local-id=OP-WALK-A1] .record-map[data-loaded=true]", new() { State = WaitForSelectorState.Attached });
        (await approver.Locator("section[data-local-id=OP-WALK-A1] .leaflet-interactive").CountAsync()).ShouldBeGreaterThan(0, "the accident is drawn on its map");
        var labels = await approver.Locator("section[data-local-id=OP-WALK-C2] table.changes th[scope=row]").AllInnerTextsAsync();
        labels.ShouldContain("Outcome");
        labels.ShouldAllBe(l => !l.Contains('_'), "no field name from the database");
        (await approver.Locator("section[data-local-id=OP-WALK-C2] tr[data-field=outcome] td").InnerTextAsync()).ShouldBe("Killed");
        await ShotAsync(approver, "submission", 1440);
        await AxeAsync(approver, "the submission page");
        await approver.SetViewportSizeAsync(390, 844);
        (await approver.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth")).ShouldBeTrue("no sideways scroll at 390 px");
        await ShotAsync(approver, "submission", 390);
        await approver.SetViewportSizeAsync(1440, 900);

        await approver.ClickAsync("#approve");
        await approver.WaitForSelectorAsync("#confirmation");
        var confirmation = await approver.InnerTextAsync("#confirmation");
        confirmation.ShouldContain("Approved: 3 record(s)");
        (await approver.EvaluateAsync<string>("() => document.activeElement.id")).ShouldBe("confirmation", "the confirmation takes the focus");
        (await approver.Locator("#outcome a").AllInnerTextsAsync()).ShouldBe(["Accident OP-WALK-A1", "Casualty OP-WALK-C1", "Casualty OP-WALK-C2"]);
        (await approver.Locator("select[name$='.Action']").CountAsync()).ShouldBe(0, "decided: no \"choose…\" again");
        await ShotAsync(approver, "approved", 1440);
        await AxeAsync(approver, "the confirmation");

        await approver.ClickAsync("#outcome a:has-text('Accident OP-WALK-A1')");
        await approver.WaitForURLAsync(u => u.EndsWith("/registers/accidents/OP-WALK-A1", StringComparison.Ordinal));
        await approver.WaitForSelectorAsync("#record-map[data-loaded=true]", new() { State = WaitForSelectorState.Attached });
        (await approver.Locator("#record-map .leaflet-interactive").CountAsync()).ShouldBeGreaterThan(0);
        (await approver.Locator("#related ul[data-related=casualties] a").AllInnerTextsAsync()).ShouldBe(["Casualty OP-WALK-C1", "Casualty OP-WALK-C2"]);
        (await approver.Locator("#history tr[data-version] th[scope=row]").AllInnerTextsAsync()).ShouldContain("Occurred on");
        await ShotAsync(approver, "record-accident", 1440);
        await DemoBrowser.ScreenshotAsync(approver, "record.png");
        await AxeAsync(approver, "the accident's page");
        await approver.SetViewportSizeAsync(390, 844);
        (await approver.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth")).ShouldBeTrue("no sideways scroll at 390 px");
        await ShotAsync(approver, "record-accident", 390);
        await approver.SetViewportSizeAsync(1440, 900);

        await approver.ClickAsync("#related a:has-text('Casualty OP-WALK-C2')");
        await approver.WaitForURLAsync(u => u.EndsWith("/registers/casualties/OP-WALK-C2", StringComparison.Ordinal));
        (await approver.Locator("#related a").AllInnerTextsAsync()).ShouldContain("Accident OP-WALK-A1", "the casualty links back to its accident");

        await approver.GotoAsync(findSubmission);
        (await approver.Locator("section.review-item").CountAsync()).ShouldBe(1);
        await approver.ClickAsync("#approve");
        await approver.WaitForSelectorAsync("#confirmation");
        (await approver.Locator("#outcome a").AllInnerTextsAsync()).ShouldBe(["Find OP-WALK-F1"]);
        var after = await approver.Locator("#waiting-badge").CountAsync() == 0 ? 0
            : int.Parse(await approver.InnerTextAsync("#waiting-badge"), System.Globalization.CultureInfo.InvariantCulture);
        after.ShouldBe(badge - 3, "the accident's, the casualties' and the find's submissions were decided");

        // The approved find on the map: its popup in words, with a link to its record.
        await approver.GotoAsync("/map");
        await approver.WaitForSelectorAsync("#map[data-loaded=true]", new() { State = WaitForSelectorState.Attached, Timeout = 120_000 });
        await approver.EvaluateAsync("""
            () => { const g = window.groundtruthMap; const l = g.groups['finds'].getLayers().find(x => (x.feature.properties.id || x.feature.id) === 'OP-WALK-F1');
                    g.map.setView(l.getLatLng(), 17, { animate: false }); l.openPopup(); }
            """);
        var popupLabels = await approver.EvaluateAsync<string[]>("() => [...document.querySelectorAll('.leaflet-popup-content th')].map(t => t.textContent)");
        popupLabels.ShouldContain("Found on");
        popupLabels.ShouldAllBe(l => !l.Contains('_'), "no field name from the database");
        (await approver.InnerTextAsync(".leaflet-popup-content")).ShouldContain("Anti-vehicle mine");
        await approver.ClickAsync(".leaflet-popup-content a:has-text('Open the record')");
        await approver.WaitForURLAsync(u => u.EndsWith("/registers/finds/OP-WALK-F1", StringComparison.Ordinal));

        // The dashboard counts them now: one more anti-vehicle mine, and in May 2025 one killed (a child) and one injured.
        var after2 = await DashboardFiguresAsync(approver);
        after2.AntiVehicleMines.ShouldBe(before.AntiVehicleMines + 1);
        after2.Killed.ShouldBe(before.Killed + 1);
        after2.Injured.ShouldBe(before.Injured + 1);
        after2.Children.ShouldBe(before.Children + 1);

        // In Arabic the page reads right to left; the map stays left to right.
        await approver.GotoAsync("/language?culture=ar&return=/registers/accidents/OP-WALK-A1");
        await approver.WaitForSelectorAsync("#record-map[data-loaded=true]", new() { State = WaitForSelectorState.Attached });
        (await approver.GetAttributeAsync("html", "dir")).ShouldBe("rtl");
        (await approver.InnerTextAsync("#related-heading")).ShouldBe("السجلات المرتبطة");
        await ShotAsync(approver, "record-accident-ar", 1440);
        await AxeAsync(approver, "the accident's page in Arabic");
    }

    /// <summary>Devices in anti-vehicle mine finds and the casualties of May 2025, as the dashboard for April–May 2025 shows them.</summary>
    private static async Task<(int AntiVehicleMines, int Killed, int Injured, int Children)> DashboardFiguresAsync(IPage page)
    {
        await Statistics.DashboardComputed.GotoAsync(page, "/?from=2025-04&to=2025-05");
        static int Number(string? v) => int.TryParse(v, System.Globalization.NumberStyles.Integer | System.Globalization.NumberStyles.AllowThousands, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : 0;
        var mines = await page.Locator("section[data-figure=finds] tr[data-group=anti_vehicle_mine]").CountAsync() == 0 ? 0
            : Number(await page.Locator("section[data-figure=finds] tr[data-group=anti_vehicle_mine] td.number").First.InnerTextAsync());
        var month = page.Locator("section[data-figure=casualties] tr[data-month='2025-05']");
        if (await month.CountAsync() == 0) return (mines, 0, 0, 0);
        return (mines, Number(await month.GetAttributeAsync("data-killed")), Number(await month.GetAttributeAsync("data-injured")), Number(await month.GetAttributeAsync("data-children")));
    }

    private static async Task AxeAsync(IPage page, string what)
    {
        var violations = (await page.RunAxe(AxeOptions)).Violations;
        violations.ShouldBeEmpty($"{what}: " + string.Join("; ", violations.Select(v => $"{v.Id}: {v.Help} — {string.Join(", ", v.Nodes.Take(3).Select(n => n.Target?.ToString()))}")));
    }

    private static async Task ShotAsync(IPage page, string name, int width)
    {
        var folder = Path.Combine(PageTourBrowserTests.ScreenshotFolder, "approval");
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, $"{name}-{width}.png"), FullPage = true });
    }
}
