using Groundtruth.Application.Resources;
using System.Diagnostics;
using System.Globalization;
using System.Resources;
using System.Text;
using Groundtruth.Application.Reports;
using Groundtruth.Application.Tests.Demo;
using Groundtruth.Application.Tests.Statistics;
using Groundtruth.Application.Tests.Support;
using Groundtruth.Domain;
using UglyToad.PdfPig;
using UglyToad.PdfPig.Content;

using FixedClock = Groundtruth.Application.Tests.Demo.FixedClock;

namespace Groundtruth.Application.Tests.Reports;

/// <summary>
/// The situation report's PDF in every language, read back: headings and figures (computed from the plain demo
/// records) in its text, no two words overlapping, page numbers, charts as vectors, every page rendered by poppler
/// and none but the last (and the one before the annex) left more than 40 % blank.
/// </summary>
public sealed class ReportPdfTests(DemoStatsFixture demo) : IClassFixture<DemoStatsFixture>
{
    private static readonly DateOnly From = new(2015, 1, 1), To = new(2024, 12, 31);

    private async Task<(SituationReport Report, string Path)> WriteAsync(string language, ReportBranding? branding = null, string name = "situation")
    {
        var t = await demo.DatabaseAsync(Backend.GeoPackage);
        var path = Path.Combine(t.Directory, $"{name}-{language}.pdf");
        var report = await new SituationReportHandler(t.Target, FixedClock.AtToday)
            .HandleAsync(new SituationReportRequest(path, "2015", "2024", language, branding));
        return (report, path);
    }

    private static string Flat(string s) => s.Replace('\u202f', ' ').Replace('\u00a0', ' ');

    private static string Words(Page page) => Flat(string.Join(" ", page.GetWords().Select(w => w.Text)));

    [Theory]
    [InlineData("en")]
    [InlineData("fr")]
    [InlineData("es")]
    [InlineData("pt")]
    [InlineData("ar")]
    [InlineData("uk")]
    [InlineData("ru")]
    public async Task EveryLanguage_HasItsHeadingsFiguresAndPageNumbers_AndNoOverlappingText(string language)
    {
        var (report, path) = await WriteAsync(language, new ReportBranding("South Atlantic Demining Centre (fictional)"));
        var text = ReportText.For(language);
        using var pdf = PdfDocument.Open(path);
        var pages = pdf.GetPages().ToList();
        pages.Count.ShouldBeGreaterThan(2);

        // Figures computed from the plain records, formatted in the language's culture.
        bool In(PlainRecord r) => r.Date!.Value.LiesWithin(From, To);
        var casualties = demo.Programme.Casualties.Count(In);
        var devices = demo.Programme.Finds.Where(In).Sum(f => (long)f.Weight);
        var accidents = demo.Programme.Accidents.Count(In);
        var all = string.Join(" ", pages.Select(Words));
        foreach (var figure in new long[] { casualties, devices, accidents })
            Flat(all).ShouldContain(Flat(text.Count(figure)), customMessage: $"{language}: {figure}");
        report.Headlines[0].Value.ShouldBe(text.Count(casualties));

        if (!text.RightToLeft)
        {
            // Headings as the contents list and the pages show them; the period in words.
            foreach (var heading in report.Blocks.OfType<ReportHeading>())
                WordSet(heading.Text).ShouldBeSubsetOf(WordSet(all), heading.Text);
            Words(pages[0]).ShouldContain(Flat(text.Period(From, To)));
            Words(pages[0]).ShouldContain("South Atlantic Demining Centre (fictional)");
        }
        // Grouping values in words of the language (the label catalogue), never their stored spelling.
        all.ShouldNotContain("anti_personnel_mine", customMessage: language);
        all.ShouldNotContain("_mine", customMessage: language);
        if (!text.RightToLeft)
            WordSet(Labels.Value(OrdnanceCategory.AntiPersonnelMine, text.Culture)).ShouldBeSubsetOf(WordSet(all), language);
        if (text.RightToLeft)
            all.Count(c => c is >= '\u0600' and <= '\u06FF' or >= '\uFE70' and <= '\uFEFF').ShouldBeGreaterThan(500, "Arabic text, shaped");
        if (!text.RightToLeft)
            for (var p = 0; p < pages.Count; p++) Words(pages[p]).ShouldContain(Flat(text.Format("PageOf", p + 1, pages.Count)));
        if (language == "en")
        {
            Words(pages[0]).ShouldContain("1 January 2015 to 31 December 2024");
            Words(pages[^1]).ShouldContain($"page {pages.Count} of {pages.Count}");
            all.ShouldNotContain("--", customMessage: "no CLI flag in the text");
            // Axis labels drawn into each other read back as one word: "2015-012016-01".
            System.Text.RegularExpressions.Regex.IsMatch(all, @"\d{4}(-\d{2})?\d{4}").ShouldBeFalse("chart labels run into each other");
        }

        foreach (var page in pages)
        {
            page.GetImages().ShouldBeEmpty($"page {page.Number}: charts and map are vectors, no image");
            // Arabic vowel marks sit on their letters by design; ScottPlot draws its legend's labels twice on the same
            // spot (reads as one): neither is text over other text.
            var words = page.GetWords()
                .Where(w => !string.IsNullOrWhiteSpace(w.Text) && !w.Text.All(c => CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark))
                .DistinctBy(w => (w.Text, Math.Round(w.BoundingBox.Left, 1), Math.Round(w.BoundingBox.Bottom, 1)))
                .ToList();
            for (var i = 0; i < words.Count; i++)
                for (var j = i + 1; j < words.Count; j++)
                {
                    var (a, b) = (words[i].BoundingBox, words[j].BoundingBox);
                    var overlapX = Math.Min(a.Right, b.Right) - Math.Max(a.Left, b.Left);
                    var overlapY = Math.Min(a.Top, b.Top) - Math.Max(a.Bottom, b.Bottom);
                    (overlapX > 0.5 && overlapY > 0.5).ShouldBeFalse($"{language} page {page.Number}: '{words[i].Text}' overlaps '{words[j].Text}'");
                }
        }
    }

    /// <summary>Word order inside a line can differ from the string's (PdfPig joins by position): compare the words as a set.</summary>
    private static HashSet<string> WordSet(string s) => [.. Flat(s).Split(' ', StringSplitOptions.RemoveEmptyEntries)];

    [Fact]
    public async Task EveryPage_RendersWithPoppler_AndNoneButTheLastIsHalfEmpty()
    {
        var (_, path) = await WriteAsync("en");
        using var pdf = PdfDocument.Open(path);
        var annexPage = pdf.GetPages().First(p => Words(p).Contains("Annex: technical definitions", StringComparison.Ordinal)
            && p.Number > 1).Number;
        var prefix = Path.Combine(Path.GetDirectoryName(path)!, "page");
        Run("pdftoppm", "-r", "40", "-gray", path, prefix);
        Run("pdftoppm", "-r", "60", "-png", path, prefix);
        var rendered = Directory.GetFiles(Path.GetDirectoryName(path)!, "page-*.pgm").Order(StringComparer.Ordinal).ToList();
        rendered.Count.ShouldBe(pdf.NumberOfPages);
        Directory.GetFiles(Path.GetDirectoryName(path)!, "page-*.png").Length.ShouldBe(pdf.NumberOfPages);
        for (var p = 1; p <= rendered.Count; p++)
        {
            var (width, height, pixels) = ReadPgm(rendered[p - 1]);
            var lowest = Enumerable.Range(0, height).Last(y => Enumerable.Range(0, width).Any(x => pixels[y * width + x] < 200));
            // The body runs from 78 pt to 780 pt of 842 pt; the footer lies below it.
            var bodyTop = height * 78 / 842.0;
            var bodyBottom = height * 780 / 842.0;
            var lowestInBody = Enumerable.Range(0, height).Where(y => y < bodyBottom).Last(y => Enumerable.Range(0, width).Any(x => pixels[y * width + x] < 200));
            lowest.ShouldBeGreaterThan((int)bodyBottom, $"page {p}: its number at the foot");
            if (p == rendered.Count || p == annexPage - 1) continue;
            var filled = (lowestInBody - bodyTop) / (bodyBottom - bodyTop);
            filled.ShouldBeGreaterThan(0.6, $"page {p} is filled to {filled:P0} only");
        }
    }

    [Fact]
    public async Task FindsPerMonth_ShowsEveryMonthOfThePeriod_EmptyOnesAsZero()
    {
        var (report, _) = await WriteAsync("en");
        var chart = report.Blocks.OfType<ReportChart>().Single(c => c.Title == "Finds per month, by category");
        chart.Periods.Count.ShouldBe(120);
        chart.Periods[0].ShouldBe("2015-01");
        chart.Periods[^1].ShouldBe("2024-12");
        var expected = demo.Programme.Finds
            .Where(f => f.Date!.Value.LiesWithin(From, To) && f.Date.Value.Precision != DatePrecision.Year)
            .GroupBy(f => f.Date!.Value.Start.ToString("yyyy-MM", CultureInfo.InvariantCulture))
            .ToDictionary(g => g.Key, g => (long)g.Sum(f => f.Weight));
        for (var i = 0; i < chart.Periods.Count; i++)
            chart.Totals[i].ShouldBe(expected.GetValueOrDefault(chart.Periods[i]), chart.Periods[i]);
        chart.Totals.ShouldContain(0L, "the demo has months without finds; they are shown, as zero");
    }

    [Fact]
    public void AllPeriods_FillsTheGaps_AndCoversTheWindow()
    {
        SituationReportHandler.AllPeriods(["2020-01", "2020-04", "unknown"], null, null, yearly: false).ShouldBe(["2020-01", "2020-02", "2020-03", "2020-04"]);
        SituationReportHandler.AllPeriods(["2020-03"], new DateOnly(2019, 11, 5), new DateOnly(2020, 4, 30), yearly: false)
            .ShouldBe(["2019-11", "2019-12", "2020-01", "2020-02", "2020-03", "2020-04"]);
        SituationReportHandler.AllPeriods(["2018", "2021"], null, null, yearly: true).ShouldBe(["2018", "2019", "2020", "2021"]);
        SituationReportHandler.AllPeriods(["unknown"], null, null, yearly: true).ShouldBeEmpty();
    }

    [Fact]
    public async Task Logo_IsDrawnOnEveryPage_AndAMissingOneIsABadArgument()
    {
        var t = await demo.DatabaseAsync(Backend.GeoPackage);
        var logo = Path.Combine(t.Directory, "logo.png");
        using (var bitmap = new SkiaSharp.SKBitmap(40, 20))
        {
            bitmap.Erase(new SkiaSharp.SKColor(0x1b, 0x78, 0x37));
            using var data = bitmap.Encode(SkiaSharp.SKEncodedImageFormat.Png, 100);
            await File.WriteAllBytesAsync(logo, data.ToArray());
        }
        var (_, path) = await WriteAsync("fr", new ReportBranding("Centre fictif de l’Atlantique Sud", logo), "logo");
        using (var pdf = PdfDocument.Open(path))
            foreach (var page in pdf.GetPages())
            {
                page.GetImages().Count().ShouldBe(1, $"page {page.Number}: the logo");
                Words(page).ShouldContain("Centre fictif de l’Atlantique Sud");
            }
        var missing = Path.Combine(t.Directory, "absent.png");
        var error = await Should.ThrowAsync<InvalidRequestException>(() => WriteAsync("en", new ReportBranding(null, missing), "missing"));
        error.Message.ShouldContain("absent.png");
    }

    [Fact]
    public void UnknownLanguage_IsABadArgument() =>
        Should.Throw<InvalidRequestException>(() => ReportText.For("de")).Message.ShouldContain("en, fr, es, pt, ar, uk, ru");

    [Fact]
    public void EveryReportText_IsTranslatedIntoEveryLanguage()
    {
        var resources = new ResourceManager("Groundtruth.Application.Resources.Reports", typeof(ReportText).Assembly);
        var keys = resources.GetResourceSet(CultureInfo.InvariantCulture, true, false)!.Cast<System.Collections.DictionaryEntry>().Select(e => (string)e.Key).ToList();
        keys.Count.ShouldBeGreaterThan(50);
        foreach (var language in ReportText.Languages.Where(l => l != "en"))
        {
            var set = resources.GetResourceSet(CultureInfo.GetCultureInfo(language), true, false).ShouldNotBeNull(language);
            foreach (var key in keys)
            {
                var value = set.GetString(key);
                string.IsNullOrWhiteSpace(value).ShouldBeFalse($"{language}: {key}");
                // The same placeholders as the English text.
                Placeholders(value!).ShouldBe(Placeholders(resources.GetString(key, CultureInfo.InvariantCulture)!), $"{language}: {key}");
            }
        }
        static string Placeholders(string s) => string.Concat(System.Text.RegularExpressions.Regex.Matches(s, @"\{\d\}").Select(m => m.Value).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void PeriodInWords_InEachLanguage()
    {
        var (from, to) = (new DateOnly(2024, 1, 1), new DateOnly(2024, 12, 31));
        ReportText.For("en").Period(from, to).ShouldBe("1 January 2024 to 31 December 2024");
        ReportText.For("fr").Period(from, to).ShouldBe("du 1 janvier 2024 au 31 décembre 2024");
        ReportText.For("es").Period(from, to).ShouldBe("del 1 de enero de 2024 al 31 de diciembre de 2024");
        ReportText.For("ru").Period(from, to).ShouldBe("с 1 января 2024 по 31 декабря 2024");
        ReportText.For("ar").Period(from, to).ShouldContain("2024");
        ReportText.For("en").Period(null, null).ShouldBe("all records");
        ReportText.For("en").Period(from, null).ShouldBe("from 1 January 2024");
    }

    private static void Run(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        process.ExitCode.ShouldBe(0, error);
    }

    /// <summary>A binary greyscale netpbm file (P5, 8 bits): width, height, pixels.</summary>
    private static (int Width, int Height, byte[] Pixels) ReadPgm(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var fields = new List<string>();
        var i = 0;
        while (fields.Count < 4)
        {
            while (char.IsWhiteSpace((char)bytes[i])) i++;
            if (bytes[i] == '#') { while (bytes[i] != '\n') i++; continue; }
            var sb = new StringBuilder();
            while (!char.IsWhiteSpace((char)bytes[i])) sb.Append((char)bytes[i++]);
            fields.Add(sb.ToString());
        }
        i++;
        fields[0].ShouldBe("P5");
        var (w, h) = (int.Parse(fields[1], CultureInfo.InvariantCulture), int.Parse(fields[2], CultureInfo.InvariantCulture));
        return (w, h, bytes[i..(i + w * h)]);
    }
    [Fact]
    public void Map_OfADenseProgramme_DrawsWhatThePageCanShow_NotEveryPoint()
    {
        // A national programme's map: ten times the points gives a PDF barely larger once the page is full of dots
        // (drawing every dot, as before issue 11's fix, grows it tenfold: 131 MB at 5 M finds).
        var random = new Random(11);
        MapPosition Near() => new(-24.5 + random.NextDouble() * 0.4, -31.2 + random.NextDouble() * 0.4);
        IReadOnlyList<IReadOnlyList<MapPosition>> Square()
        {
            var c = Near();
            return [[c, c with { Longitude = c.Longitude + 0.0005 }, new(c.Longitude + 0.0005, c.Latitude + 0.0005), c with { Latitude = c.Latitude + 0.0005 }, c]];
        }
        var hazards = Enumerable.Range(0, 20_000).Select(_ => Square()).ToList();
        var many = Enumerable.Range(0, 300_000).Select(_ => Near()).ToList();
        long Size(int finds)
        {
            var map = new ReportMap(hazards, many.Take(finds / 3).ToList(), many.Take(finds).ToList(), [new MapPlaceLabel("Truvroudum", new MapPosition(-24.3, -31.0))]);
            var path = Path.Combine(TestDatabase.NewDirectory(), "map.pdf");
            ReportPdf.Write(new ReportDocument("Map", "all records", [new ReportHeading("Map of the period"), map], ReportText.English, ReportBranding.None), path);
            using var pdf = PdfDocument.Open(path);
            string.Join(" ", pdf.GetPages().Select(p => p.Text)).ShouldContain("Finds");
            return new FileInfo(path).Length;
        }
        var tenth = Size(30_000);
        var all = Size(300_000);
        all.ShouldBeLessThan(tenth * 2, $"{tenth:N0} bytes at 30,000 finds, {all:N0} at 300,000");
        all.ShouldBeLessThan(4_000_000);
    }
}
