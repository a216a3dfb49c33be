using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Groundtruth.Application.Users;
using Microsoft.Data.Sqlite;

namespace Groundtruth.Web.Tests.Statistics;

/// <summary>
/// The dashboard's headline figures (issue 13 part 6) on the demo programme with a stopped clock (15 June 2026), each
/// checked against SQL over the same GeoPackage or GDAL's own spatial SQL; a bad date is named beside its field and
/// the rest of the page stays.
/// </summary>
public sealed partial class DashboardPageTests(DemoStatsHost host) : IClassFixture<DemoStatsHost>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<long> SqlAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={host.DatabasePath};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync(Ct);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToInt64(Math.Round(Convert.ToDouble(await cmd.ExecuteScalarAsync(Ct) ?? 0, CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
    }

    /// <summary>Runs GDAL's ogrinfo (gdal-bin, installed by .ci/run).</summary>
    private static (int Code, string Output) Ogrinfo(string arguments)
    {
        var psi = new System.Diagnostics.ProcessStartInfo("ogrinfo", arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = System.Diagnostics.Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        return (p.ExitCode, stdout.Result + stderr.Result);
    }

    private static long Attribute(string html, string pattern) =>
        long.Parse(Regex.Match(html, pattern).Groups[1].Value, CultureInfo.InvariantCulture);

    [Fact]
    public async Task DefaultPeriod_IsThisYear_AndEachFigureMatchesAnIndependentComputation()
    {
        using var analyst = await host.Factory.ClientAsAsync(Roles.Analyst);
        var html = await DashboardComputed.HtmlAsync(analyst, "/");
        html.ShouldContain("data-from=\"2026-01-01\" data-to=\"2026-12-31\"");

        // Land released this year and last year, by method: every release date of the year lies wholly in it.
        foreach (var method in new[] { "cancelled", "reduced", "cleared" })
        {
            var row = Regex.Match(html, $"<tr data-method=\"{method}\" data-m2=\"(\\d+)\" data-earlier-m2=\"(\\d+)\"");
            row.Success.ShouldBeTrue(method);
            ((double)long.Parse(row.Groups[1].Value, CultureInfo.InvariantCulture)).ShouldBe(await SqlAsync($"SELECT coalesce(sum(area_m2), 0) FROM land_release WHERE method = '{method}' AND substr(released_on, 1, 4) = '2026'"), 1.0, method);
            ((double)long.Parse(row.Groups[2].Value, CultureInfo.InvariantCulture)).ShouldBe(await SqlAsync($"SELECT coalesce(sum(area_m2), 0) FROM land_release WHERE method = '{method}' AND substr(released_on, 1, 4) = '2025'"), 1.0, method);
        }

        // Remaining: as many areas as SQL counts open or worked on; the m² between the stored area less every output and the stored area.
        foreach (var classification in new[] { "suspected", "confirmed" })
        {
            var row = Regex.Match(html, $"<tr data-classification=\"{classification}\" data-areas=\"(\\d+)\" data-m2=\"(\\d+)\"");
            row.Success.ShouldBeTrue(classification);
            var open = $"FROM hazards h WHERE h.status IN ('open', 'worked_on') AND h.classification = '{classification}'";
            long.Parse(row.Groups[1].Value, CultureInfo.InvariantCulture).ShouldBe(await SqlAsync("SELECT count(*) " + open));
            var m2 = long.Parse(row.Groups[2].Value, CultureInfo.InvariantCulture);
            m2.ShouldBeLessThanOrEqualTo(await SqlAsync("SELECT coalesce(sum(h.area_m2), 0) " + open) + 1);
            m2.ShouldBeGreaterThanOrEqualTo(await SqlAsync("SELECT coalesce(sum(h.area_m2 - coalesce((SELECT sum(r.area_m2) FROM land_release r WHERE r.hazard_id = h.id), 0)), 0) " + open) - 1);
        }

        // Casualties per month of 2026: the casualty's own date, or its accident's, known to the month.
        const string Dated = "FROM casualties c LEFT JOIN accidents a ON a.id = c.accident_id WHERE length(coalesce(c.occurred_on, a.occurred_on)) >= 7 AND substr(coalesce(c.occurred_on, a.occurred_on), 1, 4) = '2026'";
        var months = Regex.Matches(html, "<tr data-month=\"(\\d{4}-\\d{2})\" data-killed=\"(\\d+)\" data-injured=\"(\\d+)\" data-children=\"(\\d+)\"");
        months.Count.ShouldBe(12);
        foreach (Match m in months)
        {
            var month = $"{Dated} AND substr(coalesce(c.occurred_on, a.occurred_on), 1, 7) = '{m.Groups[1].Value}'";
            long.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture).ShouldBe(await SqlAsync($"SELECT count(*) {month} AND c.outcome = 'killed'"), m.Groups[1].Value);
            long.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture).ShouldBe(await SqlAsync($"SELECT count(*) {month} AND c.outcome = 'injured'"), m.Groups[1].Value);
            long.Parse(m.Groups[4].Value, CultureInfo.InvariantCulture).ShouldBe(await SqlAsync($"SELECT count(*) {month} AND c.age_group = 'child'"), m.Groups[1].Value);
        }
        Attribute(html, "data-killed=\"(\\d+)\">").ShouldBe(await SqlAsync("SELECT count(*) FROM casualties c LEFT JOIN accidents a ON a.id = c.accident_id WHERE substr(coalesce(c.occurred_on, a.occurred_on), 1, 4) = '2026' AND c.outcome = 'killed'"));
        (await SqlAsync($"SELECT count(*) {Dated}")).ShouldBeGreaterThan(0, "the demo has casualties this year: the comparison is not of zeros");
        (await SqlAsync("SELECT count(*) FROM land_release WHERE substr(released_on, 1, 4) IN ('2025', '2026')")).ShouldBeGreaterThan(0);
        html.ShouldContain("<svg viewBox=");
        html.ShouldContain("class=\"killed\"");

        // Accidents of 2026 outside every recorded hazardous area: GDAL's SpatiaLite SQL over the same file.
        var outside = Attribute(html, "data-outside=\"(\\d+)\"");
        var (code, output) = Ogrinfo($"-ro -q -dialect SQLite -sql \"SELECT count(*) AS n FROM accidents a WHERE substr(a.occurred_on, 1, 4) = '2026' AND NOT EXISTS (SELECT 1 FROM hazards h WHERE ST_Covers(h.geom, a.geom))\" \"{host.DatabasePath}\"");
        code.ShouldBe(0, output);
        outside.ShouldBe(long.Parse(Regex.Match(output, @"n \(Integer\) = (\d+)").Groups[1].Value, CultureInfo.InvariantCulture));
        Attribute(html, "data-accidents=\"(\\d+)\"").ShouldBe(await SqlAsync("SELECT count(*) FROM accidents WHERE substr(occurred_on, 1, 4) = '2026'"));
    }

    [Fact]
    public async Task BadDate_IsNamedBesideItsField_AndTheFiguresStay()
    {
        using var analyst = await host.Factory.ClientAsAsync(Roles.Analyst);
        using var response = await analyst.GetAsync("/?from=2026-13&to=2025", Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var html = await DashboardComputed.HtmlAsync(analyst, "/?from=2026-13&to=2025");
        Regex.Match(html, "<span id=\"from-error\" class=\"error field-error\" data-for=\"from\">([^<]*)</span>").Groups[1].Value
            .ShouldContain("2026-13");
        html.ShouldContain("aria-invalid=\"true\"");
        html.ShouldNotContain("--from");
        html.ShouldContain("data-from=\"2026-01-01\" data-to=\"2026-12-31\"", Case.Sensitive, "this year's figures meanwhile");
        html.ShouldContain("data-figure=\"released\"");
        html.ShouldContain("data-figure=\"casualties\"");

        var reversed = await analyst.GetStringAsync("/?from=2025&to=2024", Ct);
        reversed.ShouldContain("id=\"to-error\"");
    }
}
