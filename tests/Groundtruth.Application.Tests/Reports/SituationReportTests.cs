using System.Globalization;
using System.Text.RegularExpressions;
using Groundtruth.Application.Reports;
using Groundtruth.Application.Tests.Demo;
using Groundtruth.Application.Tests.Statistics;
using Groundtruth.Application.Tests.Support;
using Groundtruth.Domain;
using UglyToad.PdfPig;

using FixedClock = Groundtruth.Application.Tests.Demo.FixedClock;

namespace Groundtruth.Application.Tests.Reports;

/// <summary>The situation report on the demo data: self-contained HTML, a PDF whose headline numbers read back right, tables that add up.</summary>
public sealed partial class SituationReportTests(DemoStatsFixture demo) : IClassFixture<DemoStatsFixture>
{
    private const string From = "2000-01-01";

    /// <summary>The headline figures computed from the plain records.</summary>
    private (long Casualties, long Killed, long Devices, long Accidents) Expected()
    {
        var p = demo.Programme;
        var from = new DateOnly(2000, 1, 1);
        bool In(PlainRecord r) => r.Date!.Value.LiesWithin(from, null);
        return (p.Casualties.Count(In), p.Casualties.Count(c => In(c) && c.Fields["outcome"] == "killed"), p.Finds.Where(In).Sum(f => (long)f.Weight), p.Accidents.Count(In));
    }

    private static string N(long v) => v.ToString("N0", CultureInfo.InvariantCulture);

    private async Task<(SituationReport Report, string Path)> WriteAsync(string extension)
    {
        var t = await demo.DatabaseAsync(Backend.GeoPackage);
        var path = Path.Combine(t.Directory, "situation" + extension);
        var report = await new SituationReportHandler(t.Target, FixedClock.AtToday).HandleAsync(new SituationReportRequest(path, From));
        return (report, path);
    }

    [Fact]
    public async Task Html_IsSelfContained_WithChartsAndHeadlineFigures()
    {
        var (report, path) = await WriteAsync(".html");
        var html = await File.ReadAllTextAsync(path);
        ExternalReference().IsMatch(html).ShouldBeFalse("no external assets");
        Regex.Count(html, "<svg").ShouldBe(2);
        var e = Expected();
        report.Headlines.Single(h => h.Label == "Casualties").Value.ShouldBe(N(e.Casualties));
        report.Headlines.Single(h => h.Label == "Killed").Value.ShouldBe(N(e.Killed));
        report.Headlines.Single(h => h.Label == "Devices found").Value.ShouldBe(N(e.Devices));
        report.Headlines.Single(h => h.Label == "Accidents").Value.ShouldBe(N(e.Accidents));
        html.ShouldContain($"<th>Casualties</th><td class=\"value\">{N(e.Casualties)}</td>");
        html.ShouldContain("Computed at 2026-06-15T12:00:00Z (recorded time)");
        foreach (var heading in new[] { "Casualties per year, by outcome", "Casualties by status", "Casualties by age group and sex", "Finds per month, by category", "Top device models", "By district" })
            html.ShouldContain($"<h2>{heading}</h2>");
    }

    [Fact]
    public async Task Map_DrawsEveryFindOfTheWindow_OncePerThousandthOfItsExtent()
    {
        var (report, _) = await WriteAsync(".html");
        var map = report.Blocks.OfType<ReportMap>().Single();
        var from = new DateOnly(2000, 1, 1);
        var finds = demo.Programme.Finds.Where(f => f.Point is not null && f.Date!.Value.LiesWithin(from, null)).Select(f => f.Point!).ToList();
        var accidents = demo.Programme.Accidents.Where(a => a.Point is not null && a.Date!.Value.LiesWithin(from, null)).ToList();
        // The extent the thinning uses: the open hazardous areas' outer rings and the place labels.
        var known = map.Hazards.SelectMany(p => p[0]).Concat(map.Places.Select(p => p.At)).ToList();
        var cell = Math.Max(known.Max(p => p.Longitude) - known.Min(p => p.Longitude), known.Max(p => p.Latitude) - known.Min(p => p.Latitude)) / SituationReportHandler.MapCells;
        (long, long) Cell(double x, double y) => ((long)Math.Floor(x / cell), (long)Math.Floor(y / cell));
        // Every kept point is a find of the window; no two share a cell; every find's cell has a kept point.
        var all = finds.Select(f => (f.X, f.Y)).ToHashSet();
        map.Finds.Where(p => !all.Contains((p.Longitude, p.Latitude))).ShouldBeEmpty();
        map.Finds.Select(p => Cell(p.Longitude, p.Latitude)).Distinct().Count().ShouldBe(map.Finds.Count);
        map.Finds.Select(p => Cell(p.Longitude, p.Latitude)).ToHashSet().SetEquals(finds.Select(f => Cell(f.X, f.Y))).ShouldBeTrue();
        map.Finds.Count.ShouldBeLessThan(finds.Count, "the demo's finds lie in clusters: some share a cell");
        map.Accidents.Select(p => Cell(p.Longitude, p.Latitude)).ToHashSet().SetEquals(accidents.Select(a => Cell(a.Point!.X, a.Point!.Y))).ShouldBeTrue();
    }

    [Fact]
    public async Task Tables_AddUpToTheirTotals()
    {
        var (report, _) = await WriteAsync(".html");
        var tables = report.Blocks.OfType<ReportTable>().Where(t => t.LastRowIsTotal).ToList();
        tables.Count.ShouldBe(3);
        foreach (var table in tables)
        {
            var body = table.Rows.Take(table.Rows.Count - 1).ToList();
            var numeric = table.Header.Count - (table.Header.Contains("share of known") ? 1 : 0);
            for (var c = 1; c < numeric; c++)
            {
                var sum = body.Sum(r => long.Parse(r[c], NumberStyles.AllowThousands, CultureInfo.InvariantCulture));
                long.Parse(table.Rows[^1][c], NumberStyles.AllowThousands, CultureInfo.InvariantCulture).ShouldBe(sum, table.Header[c]);
            }
        }
        var district = tables.Last();
        district.Rows[^1][1].ShouldBe(N(Expected().Casualties));
        district.Rows[^1][2].ShouldBe(N(Expected().Devices));
    }

    [Fact]
    public async Task Pdf_ReadsBack_WithTheHeadlineNumbers()
    {
        var (_, path) = await WriteAsync(".pdf");
        using var pdf = PdfDocument.Open(path);
        pdf.NumberOfPages.ShouldBeGreaterThan(1);
        var first = string.Join(" ", pdf.GetPage(1).GetWords().Select(w => w.Text));
        var e = Expected();
        first.ShouldContain("Situation report");
        first.ShouldContain($"Casualties {N(e.Casualties)}");
        first.ShouldContain($"Killed {N(e.Killed)}");
        first.ShouldContain($"Devices found {N(e.Devices)}");
        first.ShouldContain($"Accidents {N(e.Accidents)}");
        var all = string.Join(" ", pdf.GetPages().SelectMany(p => p.GetWords()).Select(w => w.Text));
        all.ShouldContain("Computed at 2026-06-15T12:00:00Z");
    }

    [Fact]
    public async Task OtherExtensions_AreBadArguments()
    {
        var t = await demo.DatabaseAsync(Backend.GeoPackage);
        await Should.ThrowAsync<InvalidRequestException>(() => new SituationReportHandler(t.Target, FixedClock.AtToday)
            .HandleAsync(new SituationReportRequest(Path.Combine(t.Directory, "x.docx"))));
    }

    [GeneratedRegex("""(src|href)\s*=\s*["']?(https?:|//)""", RegexOptions.IgnoreCase)]
    private static partial Regex ExternalReference();
}
