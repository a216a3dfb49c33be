using System.Globalization;
using Groundtruth.Analysis.Risk;
using Groundtruth.Application.Risk;
using SkiaSharp;

namespace Groundtruth.Application.Tests.Risk;

/// <summary>
/// The risk map's preview carries a scale bar in its legend: a round distance (1, 2 or 5 times a power of ten metres) as
/// long, in the preview's pixels, as that distance is on its map, labelled in metres or kilometres.
/// </summary>
public sealed class RiskPreviewScaleBarTests(RiskDemoFixture demo) : IClassFixture<RiskDemoFixture>
{
    [Theory]
    [InlineData(1.0, 200)]
    [InlineData(2.5, 500)]
    [InlineData(105, 20_000)]
    [InlineData(104.9, 20_000)]
    [InlineData(227.3, 50_000)]
    [InlineData(4.4, 500)]
    [InlineData(4.6, 1000)]
    public void The_bar_is_the_longest_round_distance_the_band_holds(double metresPerPixel, double expected)
    {
        var (metres, pixels) = RiskPreview.ScaleBar(metresPerPixel);
        metres.ShouldBe(expected);
        pixels.ShouldBe((float)(expected / metresPerPixel), 1e-3f);
        pixels.ShouldBeLessThanOrEqualTo(220f);
        // The next round distance up would not fit.
        var next = expected * (expected.ToString(CultureInfo.InvariantCulture)[0] == '2' ? 2.5 : 2);
        (next / metresPerPixel).ShouldBeGreaterThan(220);
    }

    [Fact]
    public void The_distance_is_in_metres_below_a_kilometre_and_in_kilometres_above()
    {
        RiskPreview.Distance(500, CultureInfo.InvariantCulture).ShouldBe("500\u00a0m");
        RiskPreview.Distance(20_000, CultureInfo.InvariantCulture).ShouldBe("20\u00a0km");
        RiskPreview.Distance(2_000, CultureInfo.GetCultureInfo("fr")).ShouldBe("2\u00a0km");
    }

    /// <summary>
    /// The bar a map's preview draws: its black half is as many pixels as half the distance it is labelled with covers on
    /// the map, the map's width in metres (its grid) over its width in pixels (the map left of the legend).
    /// </summary>
    [Theory]
    [InlineData("en")]
    [InlineData("ar")]
    public async Task The_bar_on_the_preview_is_as_long_as_its_distance_on_the_map(string language)
    {
        var output = Path.Combine(demo.Database.Directory, $"scale-{language}", "map.tif");
        var report = await new RiskHandler(demo.Database.Target, demo.Clock).MapAsync(
            new RiskMapRequest(output, new RiskOptions(CellM: 500), Language: CultureInfo.GetCultureInfo(language)));
        using var png = SKBitmap.Decode(Path.ChangeExtension(output, ".png"));
        var grid = report.Map.Scene.Grid;
        var mapWidth = png.Width - RiskPreview.LegendWidth;
        // Independently of the code under test: the map is drawn across (columns × cell) metres in the pixels left of the
        // legend that hold a cell (from its left edge to the last column with any coloured or hatched pixel).
        var drawn = 0;
        for (var x = 0; x < mapWidth; x++)
            for (var y = RiskPreview.MarkingHeight; y < png.Height; y++)
                if (png.GetPixel(x, y) != SKColors.White) { drawn = x + 1; break; }
        var metresPerPixel = grid.Columns * grid.Cell / drawn;
        report.Legend.MetresPerPixel!.Value.ShouldBe(metresPerPixel, metresPerPixel * 0.02);

        var run = LongestBlackRun(png);
        var kept = report.Legend.MetresPerPixel.Value;
        var (metres, _) = RiskPreview.ScaleBar(kept);
        run.ShouldBeInRange((int)Math.Round(metres / kept / 2) - 2, (int)Math.Round(metres / kept / 2) + 2);
        // A 1, 2 or 5 followed by zeros.
        metres.ToString(CultureInfo.InvariantCulture).TrimEnd('0').ShouldBeOneOf("1", "2", "5");
    }

    /// <summary>The web keeps the legend beside its map and draws each reader's language from it: the bar comes back with it.</summary>
    [Fact]
    public async Task The_web_s_redrawn_preview_keeps_the_bar()
    {
        var folder = Path.Combine(demo.Database.Directory, $"scale-kept-{Guid.NewGuid():N}");
        var output = await RiskMapOutputs.ComputeAsync(demo.Database.Target, demo.Clock, "test", folder, 500, null, 5);
        output.Legend.MetresPerPixel.ShouldNotBeNull();
        var french = RiskPreview.InLanguage(folder, CultureInfo.GetCultureInfo("fr"));
        using var english = SKBitmap.Decode(Path.Combine(folder, "risk.png"));
        using var redrawn = SKBitmap.Decode(french);
        // The bar's black half, in English and in the French drawn from the kept legend file; none from a legend kept before the bar.
        var (_, pixels) = RiskPreview.ScaleBar(output.Legend.MetresPerPixel!.Value);
        LongestBlackRun(english).ShouldBeInRange((int)Math.Round(pixels / 2) - 2, (int)Math.Round(pixels / 2) + 2);
        LongestBlackRun(redrawn).ShouldBeInRange((int)Math.Round(pixels / 2) - 2, (int)Math.Round(pixels / 2) + 2);
        var before = Path.Combine(folder, "before-the-bar.png");
        RiskPreview.Relabel(Path.Combine(folder, "risk.png"), output.Legend with { MetresPerPixel = null }, CultureInfo.GetCultureInfo("fr"), before);
        using var withoutBar = SKBitmap.Decode(before);
        LongestBlackRun(withoutBar).ShouldBeLessThan(20, "text alone holds no long black run");
    }

    /// <summary>The longest run of pure black pixels on any row of the legend's band (the scale bar's black half; antialiased text holds only short ones).</summary>
    private static int LongestBlackRun(SKBitmap png)
    {
        var run = 0;
        for (var y = RiskPreview.MarkingHeight; y < png.Height; y++)
        {
            var current = 0;
            for (var x = png.Width - RiskPreview.LegendWidth; x < png.Width; x++)
            {
                current = png.GetPixel(x, y) == SKColors.Black ? current + 1 : 0;
                run = Math.Max(run, current);
            }
        }
        return run;
    }
}
