using System.Globalization;
using Groundtruth.Analysis.Risk;
using SkiaSharp;

namespace Groundtruth.Application.Risk;

/// <summary>
/// The PNG preview of a risk map with its legend. Cells are coloured by rank (top 1, 5, 10, 20% of the
/// area, then the rest), in reds and a pale cream — never green: no colour on this map means "safe".
/// Released land is hatched in blue (negative evidence, residual risk remains); land nobody surveyed is
/// hatched in grey (its likelihood is extrapolated). The preview is marked RESTRICTED.
/// </summary>
public static class RiskPreview
{
    public static readonly (string Label, SKColor Colour)[] Classes =
    [
        ("top 1% of the area", new SKColor(0x67, 0x00, 0x0d)),
        ("top 1-5%", new SKColor(0xcb, 0x18, 0x1d)),
        ("top 5-10%", new SKColor(0xfb, 0x6a, 0x4a)),
        ("top 10-20%", new SKColor(0xfc, 0xae, 0x91)),
        ("the other 80% (lower, not nil)", new SKColor(0xff, 0xf0, 0xd9)),
    ];

    private static readonly SKColor NotSurveyedHatch = new(0x55, 0x55, 0x55);
    private static readonly SKColor ReleasedHatch = new(0x21, 0x66, 0xac);

    public static void Write(string path, RiskMapResult map, string title, IReadOnlyList<string> notes)
    {
        var grid = map.Scene.Grid;
        var scale = Math.Min(1.0, 1400.0 / Math.Max(grid.Columns, grid.Rows));
        var w = Math.Max(1, (int)(grid.Columns * scale));
        var h = Math.Max(1, (int)(grid.Rows * scale));
        const int legendWidth = 420;
        var height = Math.Max(h, 460) + 40;

        var ranked = map.Likelihood.Where(v => !float.IsNaN(v)).ToArray();
        Array.Sort(ranked);
        Array.Reverse(ranked);
        float Threshold(double share) => ranked.Length == 0 ? float.PositiveInfinity : ranked[Math.Clamp((int)Math.Ceiling(share * ranked.Length) - 1, 0, ranked.Length - 1)];
        float[] thresholds = [Threshold(0.01), Threshold(0.05), Threshold(0.10), Threshold(0.20)];

        // The map's pixels are set in one array and handed to the bitmap at once (a call per pixel cost seconds at
        // national scale), then the legend is drawn over the white margin.
        var width = w + legendWidth;
        var pixels = new SKColor[width * height];
        Array.Fill(pixels, SKColors.White);
        Parallel.For(0, h, y =>
        {
            var r = Math.Min(grid.Rows - 1, (int)(y / scale));
            for (var x = 0; x < w; x++)
            {
                var c = r * grid.Columns + Math.Min(grid.Columns - 1, (int)(x / scale));
                var status = map.Status[c];
                if (status == CellStatus.Outside) continue;
                var v = map.Likelihood[c];
                var k = 0;
                while (k < thresholds.Length && v < thresholds[k]) k++;
                var colour = Classes[k].Colour;
                if (status == CellStatus.Released && (x - y) % 6 == 0) colour = ReleasedHatch;
                else if (status == CellStatus.NotSurveyed && (x + y) % 9 == 0) colour = NotSurveyedHatch;
                pixels[(y + 40) * width + x] = colour;
            }
        });
        using var bitmap = new SKBitmap(width, height);
        bitmap.Pixels = pixels;
        using var canvas = new SKCanvas(bitmap);

        using var font = new SKFont(SKTypeface.FromFamilyName("DejaVu Sans"), 14);
        using var bold = new SKFont(SKTypeface.FromFamilyName("DejaVu Sans", SKFontStyle.Bold), 16);
        using var ink = new SKPaint { Color = SKColors.Black, IsAntialias = true };
        using var red = new SKPaint { Color = new SKColor(0xb0, 0x00, 0x00), IsAntialias = true };
        canvas.DrawText("RESTRICTED — analysts and above; do not publish or share", 10, 26, SKTextAlign.Left, bold, red);
        var lx = w + 20f;
        var ly = 70f;
        canvas.DrawText(title, lx, ly, SKTextAlign.Left, bold, ink);
        ly += 28;
        canvas.DrawText("Likelihood of contamination, ranked:", lx, ly, SKTextAlign.Left, font, ink);
        ly += 10;
        foreach (var (label, colour) in Classes)
        {
            using var fill = new SKPaint { Color = colour };
            canvas.DrawRect(lx, ly, 28, 18, fill);
            canvas.DrawRect(lx, ly, 28, 18, new SKPaint { Color = SKColors.Gray, Style = SKPaintStyle.Stroke });
            canvas.DrawText(label, lx + 38, ly + 14, SKTextAlign.Left, font, ink);
            ly += 26;
        }
        ly += 6;
        Swatch(canvas, lx, ly, (x, y) => (x - y) % 6 == 0 ? ReleasedHatch : Classes[4].Colour);
        canvas.DrawText("released land: not safe, residual risk", lx + 38, ly + 14, SKTextAlign.Left, font, ink);
        ly += 26;
        Swatch(canvas, lx, ly, (x, y) => (x + y) % 9 == 0 ? NotSurveyedHatch : Classes[4].Colour);
        canvas.DrawText("not surveyed: likelihood extrapolated", lx + 38, ly + 14, SKTextAlign.Left, font, ink);
        ly += 26;
        canvas.DrawText("unhatched: surveyed (no evidence) or evidence", lx, ly + 14, SKTextAlign.Left, font, ink);
        ly += 34;
        foreach (var note in notes)
        {
            canvas.DrawText(note, lx, ly, SKTextAlign.Left, font, ink);
            ly += 20;
        }

        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        using var stream = File.Create(path);
        data.SaveTo(stream);
    }

    private static void Swatch(SKCanvas canvas, float x0, float y0, Func<int, int, SKColor> colour)
    {
        for (var y = 0; y < 18; y++)
            for (var x = 0; x < 28; x++)
            {
                using var p = new SKPaint { Color = colour(x, y) };
                canvas.DrawPoint(x0 + x, y0 + y, p);
            }
    }

    public static string Percent(double v) => v.ToString("0.0%", CultureInfo.InvariantCulture);
}
