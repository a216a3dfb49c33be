using System.Globalization;
using System.Text.RegularExpressions;
using Groundtruth.Analysis.LandReleases;
using Groundtruth.Application.History;
using Groundtruth.Application.LandReleases;
using Groundtruth.Application.Users;
using Groundtruth.Domain;

namespace Groundtruth.Web.Tests.Statistics;

/// <summary>
/// What a user touring the dashboard found: a count hidden beside a small one said "&lt; 5" though it was large, the
/// chart's table left out the casualties of unknown outcome, the remaining area was a sum of rounded parts, and the
/// time of computation was written in the US month/day order.
/// </summary>
public sealed partial class DashboardPageTests
{
    /// <summary>Every count cell of the group and month tables, in page order: (row, why hidden or null, text).</summary>
    private static List<(string Row, string? Hidden, string Text)> Cells(string html) =>
        [.. Regex.Matches(html, "<tr (data-group|data-month)=\"([^\"]*)\"[^>]*>(.*?)</tr>", RegexOptions.Singleline)
            .SelectMany(row => Regex.Matches(row.Groups[3].Value, "<td class=\"number\"(?: data-hidden=\"(\\w*)\")?>([^<]*)</td>")
                .Select(c => (row.Groups[2].Value, c.Groups[1].Value is { Length: > 0 } why ? why : null, c.Groups[2].Value)))];

    [Theory]
    [InlineData("/")]
    [InlineData("/?from=2025&to=2025")]
    public async Task Viewer_SeesOnlyTrulySmallCountsAsFewerThanFive_AndCountsHiddenBesideThemWithAnotherMark(string url)
    {
        using var analyst = await host.Factory.ClientAsAsync(Roles.Analyst);
        using var viewer = await host.Factory.ClientAsAsync(Roles.Viewer);
        var counted = Cells(await DashboardComputed.HtmlAsync(analyst, url));
        var viewed = await DashboardComputed.HtmlAsync(viewer, url);
        var shown = Cells(viewed);
        shown.Count.ShouldBe(counted.Count);
        for (var i = 0; i < shown.Count; i++)
        {
            var (row, hidden, text) = shown[i];
            var truth = long.Parse(counted[i].Text, NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
            if (text == "&lt; 5") truth.ShouldBeInRange(1, 4, $"{row}: '< 5' is written where the count is {truth}");
            text.ShouldBe(hidden switch { "small" => "&lt; 5", "complementary" => "–", _ => counted[i].Text }, row);
        }
        shown.ShouldContain(c => c.Hidden == "complementary", "a count hidden beside a small one: the check is not of nothing");
        // Both marks are explained; the chart says that what is hidden is not drawn (it is not a zero).
        viewed.ShouldContain("&quot;–&quot; stands for a count of any size hidden beside a small one");
        if (shown.Any(c => c.Hidden is not null && Regex.IsMatch(c.Row, @"^\d{4}-\d{2}$"))) viewed.ShouldContain("data-chart-hidden");
        (await DashboardComputed.HtmlAsync(analyst, url)).ShouldNotContain("data-chart-hidden");
    }

    [Fact]
    public async Task ChartTable_HoldsEverythingTheChartDraws_KilledInjuredAndUnknownOutcomeMakeEachMonth()
    {
        using var analyst = await host.Factory.ClientAsAsync(Roles.Analyst);
        // The latest year with casualties of unknown outcome (the grey bars; about one in twenty in the demo).
        const string Casualties = "FROM casualties c LEFT JOIN accidents a ON a.id = c.accident_id WHERE (c.outcome IS NULL OR c.outcome = 'unknown') AND length(coalesce(c.occurred_on, a.occurred_on)) >= 7";
        var year = await SqlAsync($"SELECT coalesce(max(CAST(substr(coalesce(c.occurred_on, a.occurred_on), 1, 4) AS INTEGER)), 0) {Casualties}");
        year.ShouldBeGreaterThan(0, "the demo has casualties of unknown outcome: grey bars to account for");
        var html = await DashboardComputed.HtmlAsync(analyst, $"/?from={year}&to={year}");
        var dated = $"FROM casualties c LEFT JOIN accidents a ON a.id = c.accident_id WHERE length(coalesce(c.occurred_on, a.occurred_on)) >= 7 AND substr(coalesce(c.occurred_on, a.occurred_on), 1, 4) = '{year}'";
        var table = Regex.Match(html, "<table class=\"months\">.*?</table>", RegexOptions.Singleline).Value;
        Regex.Count(table, "<th scope=\"col\">").ShouldBe(5, "month, killed, injured, outcome unknown, children");
        table.ShouldContain("Outcome unknown");
        var months = Regex.Matches(table, "<tr data-month=\"(\\d{4}-\\d{2})\"([^>]*)>(.*?)</tr>", RegexOptions.Singleline);
        months.Count.ShouldBe(12);
        foreach (Match m in months)
        {
            long N(string attribute) => Attribute(m.Groups[2].Value, $"{attribute}=\"(\\d+)\"");
            var all = await SqlAsync($"SELECT count(*) {dated} AND substr(coalesce(c.occurred_on, a.occurred_on), 1, 7) = '{m.Groups[1].Value}'");
            (N("data-killed") + N("data-injured") + N("data-unknown-outcome")).ShouldBe(all, m.Groups[1].Value);
            Regex.Count(m.Groups[3].Value, "<td class=\"number\"").ShouldBe(4, m.Groups[1].Value);
        }
        // The legend names the grey bars too, with their total (a date known to the year counts there, as for killed).
        Attribute(html, "<strong data-hidden=\"\\w*\" data-unknown-outcome=\"(\\d+)\"").ShouldBe(await SqlAsync($"SELECT count(*) FROM casualties c LEFT JOIN accidents a ON a.id = c.accident_id WHERE substr(coalesce(c.occurred_on, a.occurred_on), 1, 4) = '{year}' AND (c.outcome IS NULL OR c.outcome = 'unknown')"));
        html.ShouldContain("<span class=\"swatch unknown\"");
    }

    [Fact]
    public async Task RemainingArea_IsTheExactTotalRoundedOnce_AsGroundtruthHazardsGivesIt()
    {
        using var analyst = await host.Factory.ClientAsAsync(Roles.Analyst);
        var html = await DashboardComputed.HtmlAsync(analyst, "/");
        var land = await LandReleaseData.LoadAsync(Application.Storage.DatabaseTarget.Parse(host.DatabasePath), HistoryPoint.Current, withPlaces: false, Ct);
        // As groundtruth hazards sums its residuals (the demo has no defined areas, which the dashboard leaves out).
        var open = land.Hazards.Where(h => h.Status is HazardStatus.Open or HazardStatus.WorkedOn && h.Classification is HazardClassification.Suspected or HazardClassification.Confirmed);
        var exact = LandReleaseAccounting.Residuals(open, land.Releases).Sum(r => r.ResidualM2);
        var total = Attribute(Regex.Match(html, "data-figure=\"remaining\".*?</section>", RegexOptions.Singleline).Value, "data-total-m2=\"(\\d+)\"");
        total.ShouldBe((long)Math.Round(exact));
    }

    [Fact]
    public async Task ComputedAt_IsWrittenDayMonthYear_InUtc_NotInTheUsOrder()
    {
        using var analyst = await host.Factory.ClientAsAsync(Roles.Analyst);
        var html = await DashboardComputed.HtmlAsync(analyst, "/");
        html.ShouldContain("Computed at 15 Jun 2026 12:00 UTC");
        html.ShouldNotContain("6/15/2026");
    }
}
