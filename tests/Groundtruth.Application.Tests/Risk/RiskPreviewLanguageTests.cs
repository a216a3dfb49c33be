using System.Globalization;
using Groundtruth.Analysis.Risk;
using Groundtruth.Application.Risk;
using SkiaSharp;

namespace Groundtruth.Application.Tests.Risk;

/// <summary>
/// The risk map's PNG preview speaks the reader's language in its marking and legend only: the map's pixels are the
/// same in every language, the legend's title is the translated sentence, and the web's redrawing of an English
/// preview gives the very image the command line writes in that language.
/// </summary>
public sealed class RiskPreviewLanguageTests(RiskDemoFixture demo) : IClassFixture<RiskDemoFixture>
{
    private async Task<(SKBitmap Png, RiskMapReport Report, string Path)> MapAsync(string language, double cellM = 1000)
    {
        var output = Path.Combine(demo.Database.Directory, $"preview-{language}-{cellM}", "map.tif");
        var report = await new RiskHandler(demo.Database.Target, demo.Clock).MapAsync(
            new RiskMapRequest(output, new RiskOptions(CellM: cellM), Language: CultureInfo.GetCultureInfo(language)));
        var png = Path.ChangeExtension(output, ".png");
        return (SKBitmap.Decode(png), report, png);
    }

    /// <summary>The title line as the legend draws it for a left-to-right language, drawn here on its own.</summary>
    private static SKBitmap TitleAlone(int width, int height, string title)
    {
        var bitmap = new SKBitmap(width, height);
        using var canvas = new SKCanvas(bitmap);
        canvas.Clear(SKColors.White);
        using var font = new SKFont(SKTypeface.FromFamilyName("DejaVu Sans", SKFontStyle.Bold), 16) { Subpixel = true };
        using var ink = new SKPaint { Color = SKColors.Black, IsAntialias = true };
        canvas.DrawText(title, width - RiskPreview.LegendWidth + 20, 70, SKTextAlign.Left, font, ink);
        return bitmap;
    }

    [Fact]
    public async Task The_legend_is_in_Ukrainian_and_the_map_is_the_same_pixels()
    {
        var (english, report, englishPath) = await MapAsync("en");
        var (ukrainian, _, ukrainianPath) = await MapAsync("uk");
        using (english)
        using (ukrainian)
        {
            var mapWidth = english.Width - RiskPreview.LegendWidth;
            ukrainian.Width.ShouldBe(english.Width);
            var differences = 0;
            for (var y = RiskPreview.MarkingHeight; y < Math.Min(english.Height, ukrainian.Height); y++)
                for (var x = 0; x < mapWidth; x++)
                    if (english.GetPixel(x, y) != ukrainian.GetPixel(x, y)) differences++;
            differences.ShouldBe(0);

            // The title's row of the legend holds exactly "Ризик забруднення: AREA" (and not the English one).
            var title = "Ризик забруднення: " + report.AreaName;
            using var alone = TitleAlone(ukrainian.Width, ukrainian.Height, title);
            using var englishAlone = TitleAlone(english.Width, english.Height, "Contamination risk: " + report.AreaName);
            int Mismatch(SKBitmap image, SKBitmap expected)
            {
                var n = 0;
                for (var y = 50; y < 76; y++)
                    for (var x = mapWidth; x < image.Width; x++)
                        if (image.GetPixel(x, y) != expected.GetPixel(x, y)) n++;
                return n;
            }
            Mismatch(ukrainian, alone).ShouldBe(0, title);
            Mismatch(english, englishAlone).ShouldBe(0);
            Mismatch(ukrainian, englishAlone).ShouldBeGreaterThan(100);
        }

        // The web keeps the English preview and draws a reader's language over it: the same image the CLI wrote.
        var redrawn = Path.Combine(Path.GetDirectoryName(englishPath)!, "redrawn-uk.png");
        RiskPreview.Relabel(englishPath, report.Legend, CultureInfo.GetCultureInfo("uk"), redrawn);
        using var fromCli = SKBitmap.Decode(ukrainianPath);
        using var fromWeb = SKBitmap.Decode(redrawn);
        fromWeb.Height.ShouldBe(fromCli.Height);
        fromWeb.Pixels.SequenceEqual(fromCli.Pixels).ShouldBeTrue();
    }

    [Fact]
    public void The_legend_says_best_only_when_the_model_held_more()
    {
        var won = new RiskLegend("Area", new DateOnly(2026, 1, 1), 100, 32633, 500, 40, "logistic", Default: false, Calibrated: true, DateTime.UnixEpoch);
        var tie = won with { Tie = true };
        var none = won with { Default = true };
        var en = CultureInfo.GetCultureInfo("en");
        RiskPreview.ModelNote(won, en).ShouldBe("Model: logistic regression (held more finds and accidents on held-out land)");
        RiskPreview.ModelNote(tie, en).ShouldBe("Model: logistic regression (as good as the other on held-out land; ties go to it)");
        RiskPreview.ModelNote(none, en).ShouldBe("Model: logistic regression (default)");
        RiskPreview.Notes(tie, en).ShouldContain(RiskPreview.ModelNote(tie, en));
        // Every language has its own words for a tie, not the English ones nor those of a win.
        foreach (var language in new[] { "ar", "es", "fr", "pt", "ru", "uk" })
        {
            var culture = CultureInfo.GetCultureInfo(language);
            RiskPreview.ModelNote(tie, culture).ShouldNotBe(RiskPreview.ModelNote(tie, en), language);
            RiskPreview.ModelNote(tie, culture).ShouldNotBe(RiskPreview.ModelNote(won, culture), language);
        }
    }

    [Fact]
    public void The_legends_values_keep_a_bound_below_one_and_different_bounds_apart()
    {
        var legend = new RiskLegend("Area", new DateOnly(2026, 1, 1), 5000, 32633, 11, 4, "logistic", Default: false, Calibrated: true, DateTime.UnixEpoch)
        {
            Bounds = [0.99991, 0.94412, 0.5, 0.0042],
        };
        var en = CultureInfo.InvariantCulture;
        // Three decimals would read "> 1.000": four say what the bound is, and every class takes as many.
        RiskPreview.ClassValues(legend, 0, en).ShouldBe("> 0.9999");
        RiskPreview.ClassValues(legend, 1, en).ShouldBe("0.9441–0.9999");
        RiskPreview.ClassValues(legend, 2, en).ShouldBe("0.5000–0.9441");
        RiskPreview.ClassValues(legend, 4, en).ShouldBe("≤ 0.0042");
        var plain = legend with { Bounds = [0.42, 0.21, 0.2, 0.1] };
        RiskPreview.ClassValues(plain, 1, en).ShouldBe("0.210–0.420");
        RiskPreview.ClassValues(plain with { Bounds = [0.42, null, null, null] }, 1, en).ShouldBeNull("a class the grid is too small to hold");
        // Arabic joins the class and its values with its own comma, which keeps them in reading order in the preview's text.
        RiskPreview.LegendEntries(CultureInfo.GetCultureInfo("ar"), plain)[1].Words.ShouldContain("، ");
    }

    [Fact]
    public void The_legend_warns_of_few_cells_to_learn_from_as_the_page_and_the_command_line_do()
    {
        var enough = new RiskLegend("Area", new DateOnly(2026, 1, 1), 100, 32633, RiskHandler.MinimumTrainingCells, 40, "logistic", Default: false, Calibrated: true, DateTime.UnixEpoch);
        var few = enough with { TrainingCells = RiskHandler.MinimumTrainingCells - 1 };
        var en = CultureInfo.GetCultureInfo("en");
        RiskPreview.Notes(enough, en).ShouldNotContain(n => n.StartsWith("Few cells", StringComparison.Ordinal));
        var warning = "Few cells to learn from (fewer than 300): the model rests on a handful of hazards; a smaller cell gives it more";
        RiskPreview.Notes(few, en).ShouldContain(warning);
        RiskPreview.Notes(few, en).Count.ShouldBe(RiskPreview.Notes(enough, en).Count + 1);
        foreach (var language in new[] { "ar", "es", "fr", "pt", "ru", "uk" })
        {
            var culture = CultureInfo.GetCultureInfo(language);
            RiskPreview.Notes(few, culture).Count.ShouldBe(RiskPreview.Notes(enough, culture).Count + 1, language);
            RiskPreview.Notes(few, culture).ShouldNotContain(warning, language);
        }
    }

    [Fact]
    public async Task The_Arabic_legend_is_set_from_the_right()
    {
        var (arabic, report, _) = await MapAsync("ar");
        using (arabic)
        {
            report.Legend.Area.ShouldNotBeNullOrEmpty();
            // Right to left: the ink of the ranked line ("احتمال التلوث، مرتّبًا:") ends at the band's right margin and
            // starts well inside it (in English it starts at the band's left margin).
            var ink = new List<int>();
            for (var y = 84; y < 100; y++)
                for (var x = arabic.Width - RiskPreview.LegendWidth; x < arabic.Width; x++)
                    if (arabic.GetPixel(x, y).Red < 128) ink.Add(x);
            ink.ShouldNotBeEmpty();
            ink.Max().ShouldBeInRange(arabic.Width - 24, arabic.Width - 16);
            ink.Min().ShouldBeGreaterThan(arabic.Width - RiskPreview.LegendWidth + 100);
        }
    }

    /// <summary>
    /// A coarse map holds a few cells: they are drawn large, and the preview is at least wide enough for the
    /// RESTRICTED marking to be whole in every language (it was cut off after "do not publis"): its ink ends before
    /// the image's right edge, and the marking drawn alone on a wide canvas has the same extent.
    /// </summary>
    [Theory]
    [InlineData("en")]
    [InlineData("fr")]
    [InlineData("uk")]
    [InlineData("ar")]
    public async Task The_marking_is_whole_on_a_small_map(string language)
    {
        var (png, report, _) = await MapAsync(language, cellM: 5000);
        using (png)
        {
            png.Width.ShouldBeGreaterThanOrEqualTo(RiskPreview.MinimumWidth.Value);
            // The 5 km grid holds a handful of cells: they are drawn large (they were a 30-pixel speck).
            var (mapLeft, mapTop, mapRight, mapBottom) = (int.MaxValue, int.MaxValue, -1, -1);
            for (var y = RiskPreview.MarkingHeight; y < png.Height; y++)
                for (var x = 0; x < png.Width - RiskPreview.LegendWidth; x++)
                    if (png.GetPixel(x, y) != SKColors.White)
                        (mapLeft, mapTop, mapRight, mapBottom) = (Math.Min(mapLeft, x), Math.Min(mapTop, y), Math.Max(mapRight, x), Math.Max(mapBottom, y));
            Math.Max(mapRight - mapLeft, mapBottom - mapTop).ShouldBeGreaterThan(300);
            var (left, right) = InkColumns(png);
            right.ShouldBeLessThan(png.Width - 5);

            // The same words drawn with nothing to clip them: the same columns of ink.
            var culture = CultureInfo.GetCultureInfo(language);
            var rtl = culture.TextInfo.IsRightToLeft;
            using var wide = new SKBitmap(png.Width + 600, RiskPreview.MarkingHeight);
            using (var canvas = new SKCanvas(wide))
            using (var text = new Groundtruth.Application.Reports.PdfText(rtl))
            using (var bold = text.Font(16, bold: true))
            using (var red = new SKPaint { Color = new SKColor(0xb0, 0x00, 0x00), IsAntialias = true })
            {
                canvas.Clear(SKColors.White);
                var words = new System.Resources.ResourceManager("Groundtruth.Application.Resources.Messages", typeof(RiskPreview).Assembly).GetString("legend.marking", culture)!;
                text.Draw(canvas, words, rtl ? png.Width - 10 : 10, 26, rtl ? SKTextAlign.Right : SKTextAlign.Left, bold, red);
            }
            InkColumns(wide).ShouldBe((left, right));
            report.Legend.ShouldNotBeNull();
        }
    }

    private static (int Left, int Right) InkColumns(SKBitmap image)
    {
        var left = int.MaxValue;
        var right = -1;
        for (var y = 0; y < RiskPreview.MarkingHeight; y++)
            for (var x = 0; x < image.Width; x++)
                if (image.GetPixel(x, y).Green < 128)
                {
                    left = Math.Min(left, x);
                    right = Math.Max(right, x);
                }
        return (left, right);
    }
}
