using System.Globalization;
using System.Resources;
using System.Text.Json;
using Groundtruth.Analysis.Risk;
using Groundtruth.Application.Reports;
using Groundtruth.Application.Resources;
using SkiaSharp;

namespace Groundtruth.Application.Risk;

/// <summary>
/// What a risk map's legend says besides its classes: the area, the data's date, the grid, the model. Kept beside the
/// web's map (<c>risk.legend.json</c>) so its PNG's legend can be drawn again in each reader's language.
/// </summary>
/// <param name="Model"><c>boosted_trees</c> or <c>logistic</c>.</param>
/// <param name="Default">True when the model is the default one (no window to compare them on), false when it ranked land held out by spatial fold better (docs/risk.md, "The challenger").</param>
public sealed record RiskLegend(string Area, DateOnly KnownBefore, double CellM, int Epsg, int TrainingCells, int Positives, string Model, bool Default, bool Calibrated, DateTime ComputedAt)
{
    /// <summary>The models held as many of the held-out events: the logistic model maps because ties go to it (the legend says so, not "best").</summary>
    public bool Tie { get; init; }

    /// <summary>
    /// The likelihood a cell must exceed to be in each ranked class (top 1%, 5%, 10%, 20%: <see cref="RiskPreview.ClassBounds"/>);
    /// null for a class the grid is too small to hold, and no list at all for a legend kept before the values were shown.
    /// </summary>
    public IReadOnlyList<double?>? Bounds { get; init; }

    /// <summary>Metres of the grid's zone across one pixel of the preview's map (<see cref="RiskPreview.MetresPerPixel"/>), for its scale bar; null for a legend kept before the bar was drawn.</summary>
    public double? MetresPerPixel { get; init; }
}

/// <summary>
/// The PNG preview of a risk map with its legend. Cells are coloured by rank (top 1, 5, 10, 20% of the
/// area, then the rest), in reds and a pale cream — never green: no colour on this map means "safe".
/// Released land is hatched in blue (negative evidence, residual risk remains); land nobody surveyed is
/// hatched in grey (its likelihood is extrapolated). The preview is marked RESTRICTED.
/// </summary>
/// <remarks>
/// The map's pixels fill the left part below a 40-pixel band; the marking (in that band) and the legend (in the
/// <see cref="LegendWidth"/> pixels on the right) are in the reader's language (<c>Resources/Messages.resx</c>, keys
/// <c>legend.*</c>), Arabic shaped and right to left by the PDF report's text drawer (<see cref="PdfText"/>).
/// <see cref="Relabel"/> draws another language's words over a preview without touching the map's pixels.
/// </remarks>
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

    /// <summary>Pixels on the right kept for the legend.</summary>
    public const int LegendWidth = 420;

    /// <summary>Rows at the top kept for the marking.</summary>
    public const int MarkingHeight = 40;

    /// <summary>The legend of the web's map, beside its files.</summary>
    public const string LegendFile = "risk.legend.json";

    private static readonly ResourceManager Resources = new("Groundtruth.Application.Resources.Messages", typeof(RiskPreview).Assembly);

    private static readonly string[] ClassKeys = ["legend.top1", "legend.top5", "legend.top10", "legend.top20", "legend.rest"];

    private static readonly JsonSerializerOptions LegendJson = new(JsonSerializerDefaults.Web);

    /// <summary>The marking's (and the legend title's) bold type size, and the marking's distance from the preview's left (right to left: right) edge.</summary>
    private const float MarkingSize = 16, MarkingMargin = 10;

    /// <summary>The narrowest preview that holds the marking on one line, with its margin on both sides, in each of the application's languages.</summary>
    public static readonly Lazy<int> MinimumWidth = new(() =>
        Labels.Languages.Max(language =>
        {
            var culture = CultureInfo.GetCultureInfo(language);
            using var text = new PdfText(culture.TextInfo.IsRightToLeft);
            using var bold = text.Font(MarkingSize, bold: true);
            return (int)Math.Ceiling(text.Measure(Resources.GetString("legend.marking", culture) ?? "", bold) + 2 * MarkingMargin);
        }));

    /// <summary>Writes the preview of <paramref name="map"/> to <paramref name="path"/>, its legend in <paramref name="culture"/> (default: the current UI culture).</summary>
    public static void Write(string path, RiskMapResult map, RiskLegend legend, CultureInfo? culture = null)
    {
        var grid = map.Scene.Grid;
        var (scale, w, h) = Size(grid);
        var language = culture ?? CultureInfo.CurrentUICulture;
        // As tall as the map or the legend in this language, whichever is taller.
        var height = Math.Max(Math.Max(h, 460) + MarkingHeight, LegendBottom(legend, language));

        var bounds = legend.Bounds is { Count: 4 } kept ? [.. kept.Select(b => b is { } v ? (float)v : float.NegativeInfinity)] : ClassBounds(map.Likelihood);

        // The map's pixels are set in one array and handed to the bitmap at once (a call per pixel cost seconds at
        // national scale), then the legend is drawn over the white margin. A small map is widened with white on its
        // right so the marking fits on one line in every language (the width does not depend on the reader's).
        var width = Math.Max(w + LegendWidth, MinimumWidth.Value);
        var pixels = new uint[width * height];
        Array.Fill(pixels, (uint)SKColors.White);
        Parallel.For(0, h, y =>
        {
            var r = Math.Min(grid.Rows - 1, (int)(y / scale));
            for (var x = 0; x < w; x++)
            {
                var c = r * grid.Columns + Math.Min(grid.Columns - 1, (int)(x / scale));
                var status = map.Status[c];
                if (status == CellStatus.Outside) continue;
                var colour = Classes[ClassOf(map.Likelihood[c], bounds)].Colour;
                if (status == CellStatus.Released && (x - y) % 6 == 0) colour = ReleasedHatch;
                else if (status == CellStatus.NotSurveyed && (x + y) % 9 == 0) colour = NotSurveyedHatch;
                pixels[(y + MarkingHeight) * width + x] = (uint)colour;
            }
        });
        // Copied into the bitmap's memory as they are: BGRA bytes are an SKColor's 0xAARRGGBB read little-endian, and the
        // colours are opaque, so premultiplying changes nothing (setting SKBitmap.Pixels converted them one by one).
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Bgra8888, SKAlphaType.Premul));
        var memory = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, uint>(bitmap.GetPixelSpan());
        if (!BitConverter.IsLittleEndian || memory.Length != pixels.Length) throw new PlatformNotSupportedException("the preview needs a little-endian BGRA bitmap");
        pixels.CopyTo(memory);
        DrawLegend(bitmap, legend, language);
        Save(bitmap, path);
    }

    /// <summary>
    /// The preview's map for <paramref name="grid"/>: pixels per cell, and the map's width and height in pixels. A large grid
    /// is shrunk to 1,400 pixels; a small one (a coarse cell) is drawn with each cell a square of whole pixels, at least about
    /// 460 pixels across, so its cells can be told apart.
    /// </summary>
    private static (double Scale, int Width, int Height) Size(RiskGrid grid)
    {
        var longest = Math.Max(grid.Columns, grid.Rows);
        var scale = longest > 1400 ? 1400.0 / longest : Math.Max(1, Math.Floor(460.0 / longest));
        return (scale, Math.Max(1, (int)(grid.Columns * scale)), Math.Max(1, (int)(grid.Rows * scale)));
    }

    /// <summary>Metres across one pixel of the preview's map of <paramref name="grid"/> (a cell over the pixels it is drawn across), for the legend's scale bar.</summary>
    public static double MetresPerPixel(RiskGrid grid) => grid.Cell / Size(grid).Scale;

    private static readonly int[] BarSteps = [5, 2, 1];

    /// <summary>The longest bar the legend draws, in pixels.</summary>
    private const float LongestBar = 220;

    /// <summary>
    /// The scale bar's length: the longest of 1, 2 or 5 times a power of ten metres that <see cref="LongestBar"/> pixels hold at
    /// <paramref name="metresPerPixel"/>, and its length in pixels.
    /// </summary>
    public static (double Metres, float Pixels) ScaleBar(double metresPerPixel)
    {
        var most = LongestBar * metresPerPixel;
        var power = Math.Pow(10, Math.Floor(Math.Log10(most)));
        var metres = BarSteps.Select(m => m * power).First(m => m <= most * (1 + 1e-12));
        return (metres, (float)(metres / metresPerPixel));
    }

    /// <summary>A scale bar's length in words: metres below a kilometre, else kilometres (SI symbols in every language).</summary>
    public static string Distance(double metres, CultureInfo culture) =>
        metres < 1000 ? string.Format(culture, "{0:0.###}\u00a0m", metres) : string.Format(culture, "{0:0.###}\u00a0km", metres / 1000);

    /// <summary>The shares of the area the ranked classes hold: the top 1%, 5%, 10% and 20%.</summary>
    private static readonly double[] ClassShares = [0.01, 0.05, 0.10, 0.20];

    /// <summary>
    /// For each ranked class (top 1%, 5%, 10%, 20%), the likelihood a cell must exceed to be in it: the value of the
    /// first cell beyond the class's share when the cells are ranked from the highest. Cells tied at the class's edge
    /// fall to the class below, so no class holds more than its share of the area: a model that gives most of the land
    /// one score (boosted trees far from every past event) drew it all as "top 10-20%" when ties went up.
    /// </summary>
    /// <remarks>
    /// Each bound is the value of one rank, found without sorting (a national map's 1.9 million cells took 0.2 s to sort):
    /// <see cref="ValuesAtRanks"/>. A test holds the bounds to the sorted list's on scores with and without ties.
    /// </remarks>
    internal static float[] ClassBounds(IReadOnlyList<float> likelihood)
    {
        var values = likelihood is float[] array ? Array.FindAll(array, v => !float.IsNaN(v)) : [.. likelihood.Where(v => !float.IsNaN(v))];
        // The quota-th value from the top (0-based) is the (n − 1 − quota)-th from the bottom.
        var quotas = ClassShares.Select(share => (int)Math.Ceiling(share * values.Length)).ToArray();
        var found = ValuesAtRanks(values, [.. quotas.Where(q => q < values.Length).Select(q => values.Length - 1 - q)]);
        return [.. quotas.Select(q => q < values.Length ? found[values.Length - 1 - q] : float.NegativeInfinity)];
    }

    /// <summary>
    /// The value each of <paramref name="ranks"/> holds from the smallest (0-based) in <paramref name="values"/> (no NaN), as an
    /// ascending sort would put it: the values' bits as keys that order as the numbers do, counted by their upper half, then
    /// by their lower half within the upper halves holding the ranks (two passes over the values, whatever the ranks).
    /// </summary>
    internal static Dictionary<int, float> ValuesAtRanks(float[] values, IReadOnlyCollection<int> ranks)
    {
        foreach (var rank in ranks)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(rank);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(rank, values.Length);
        }
        var found = new Dictionary<int, float>();
        if (ranks.Count == 0) return found;
        var upper = new int[1 << 16];
        foreach (var v in values) upper[Key(v) >> 16]++;
        // Each rank's upper half, and a count of the lower halves for each distinct upper half.
        var where = ranks.Distinct().Select(rank => (Rank: rank, Bucket: Bucket(upper, rank))).ToList();
        var lower = where.Select(w => w.Bucket.Index).Distinct().ToDictionary(b => b, _ => new int[1 << 16]);
        foreach (var v in values)
        {
            var key = Key(v);
            if (lower.TryGetValue(key >> 16, out var counts)) counts[key & 0xFFFF]++;
        }
        foreach (var (rank, (high, below)) in where)
        {
            var (low, _) = Bucket(lower[high], rank - below);
            var bits = (high << 16) | low;
            // Back from the key: non-negative numbers had their sign bit set, negative ones all their bits flipped.
            found[rank] = BitConverter.UInt32BitsToSingle((bits & 0x8000_0000u) != 0 ? bits & 0x7FFF_FFFFu : ~bits);
        }
        return found;
    }

    /// <summary>A float's bits as an unsigned key in the order of the numbers (−0 and +0 apart, next to each other).</summary>
    private static uint Key(float v)
    {
        var bits = BitConverter.SingleToUInt32Bits(v);
        return (bits & 0x8000_0000u) != 0 ? ~bits : bits | 0x8000_0000u;
    }

    /// <summary>The bucket the <paramref name="rank"/>-th smallest falls in, and how many lie in the buckets before it.</summary>
    private static (uint Index, int Below) Bucket(int[] counts, int rank)
    {
        var below = 0;
        for (var b = 0; b < counts.Length; b++)
        {
            if (rank < below + counts[b]) return ((uint)b, below);
            below += counts[b];
        }
        throw new InvalidOperationException("rank beyond the values counted");
    }

    /// <summary>The bounds as a legend keeps them (<see cref="RiskLegend.Bounds"/>): null where a class is empty for want of cells.</summary>
    public static IReadOnlyList<double?> LegendBounds(IReadOnlyList<float> likelihood) =>
        [.. ClassBounds(likelihood).Select(b => float.IsNegativeInfinity(b) ? (double?)null : b)];

    /// <summary>
    /// The values a ranked class holds, in <paramref name="culture"/>'s digits: "&gt; 0.421" for the top 1%, "0.213–0.421" for a
    /// class between two bounds, "≤ 0.050" for the other 80%; null when the legend has no values (kept before they were shown) or
    /// the class holds no cell.
    /// </summary>
    public static string? ClassValues(RiskLegend legend, int k, CultureInfo culture)
    {
        if (legend.Bounds is not { Count: 4 } b) return null;
        var numbers = culture.TwoLetterISOLanguageName is "en" or "iv" ? CultureInfo.InvariantCulture : culture;
        // Three decimals, or as many more (up to six) as it takes to keep a bound below 1 from reading "1.000" and two
        // different bounds from reading alike (a coarse map's top classes: 0.9999 and 0.9441).
        var known = b.OfType<double>().ToList();
        var decimals = 3;
        string Fixed(double v, int d) => Math.Abs(v) >= 0.01 || v == 0 ? v.ToString("0." + new string('0', d), numbers) : v.ToString("G" + (d - 1), numbers);
        bool Clear(int d) =>
            known.All(v => v >= 1 || Fixed(v, d) != Fixed(1, d))
            && known.Distinct().Select(v => Fixed(v, d)).Distinct().Count() == known.Distinct().Count();
        while (decimals < 6 && !Clear(decimals)) decimals++;
        string V(double v) => Fixed(v, decimals);
        return k switch
        {
            0 => b[0] is { } top ? "> " + V(top) : null,
            4 => b[3] is { } low ? "≤ " + V(low) : null,
            _ => b[k] is { } from && b[k - 1] is { } to ? V(from) + "–" + V(to) : null,
        };
    }

    /// <summary>The class of a cell of likelihood <paramref name="value"/>: 0 for the top 1% … 4 for the other 80%.</summary>
    internal static int ClassOf(float value, float[] bounds)
    {
        var k = 0;
        while (k < bounds.Length && !(value > bounds[k])) k++;
        return k;
    }

    /// <summary>
    /// The preview at <paramref name="png"/> with its marking and legend drawn again in <paramref name="culture"/>:
    /// the map's pixels are the same, byte for byte.
    /// </summary>
    public static void Relabel(string png, RiskLegend legend, CultureInfo culture, string path)
    {
        using var original = SKBitmap.Decode(png) ?? throw new InvalidDataException($"{png}: not a PNG");
        // A longer legend makes the image taller: white rows under the map, the map where it was.
        using var bitmap = new SKBitmap(original.Width, Math.Max(original.Height, LegendBottom(legend, culture)));
        using (var canvas = new SKCanvas(bitmap))
        using (var white = new SKPaint { Color = SKColors.White })
        {
            canvas.Clear(SKColors.White);
            canvas.DrawBitmap(original, 0, 0);
            canvas.DrawRect(0, 0, bitmap.Width, MarkingHeight, white);
            canvas.DrawRect(bitmap.Width - LegendWidth, MarkingHeight, LegendWidth, bitmap.Height - MarkingHeight, white);
        }
        DrawLegend(bitmap, legend, culture);
        Save(bitmap, path);
    }

    /// <summary>
    /// The web map's preview in <paramref name="culture"/>: <c>risk.png</c> itself in English, else a copy with the
    /// legend in that language, drawn once beside it (<c>risk.fr.png</c>…) from <see cref="LegendFile"/>.
    /// </summary>
    public static string InLanguage(string folder, CultureInfo culture)
    {
        var english = Path.Combine(folder, "risk.png");
        var language = culture.TwoLetterISOLanguageName;
        var legendFile = Path.Combine(folder, LegendFile);
        if (language is "en" or "iv" || !File.Exists(legendFile)) return english;
        var path = Path.Combine(folder, $"risk.{language}.png");
        if (File.Exists(path)) return path;
        var legend = JsonSerializer.Deserialize<RiskLegend>(File.ReadAllText(legendFile), LegendJson)!;
        // Two readers may draw it at once: each writes its own file, and the last rename wins with the same bytes.
        var temporary = Path.Combine(folder, $"risk.{language}.{Guid.NewGuid():N}.tmp");
        Relabel(english, legend, CultureInfo.GetCultureInfo(language), temporary);
        File.Move(temporary, path, overwrite: true);
        return path;
    }

    /// <summary>Writes <paramref name="legend"/> as the web keeps it beside its map.</summary>
    public static void SaveLegend(string folder, RiskLegend legend) =>
        File.WriteAllText(Path.Combine(folder, LegendFile), JsonSerializer.Serialize(legend, LegendJson));

    /// <summary>The text of <paramref name="key"/> in <paramref name="culture"/> (the key itself where none is written), filled with <paramref name="args"/>.</summary>
    private static string Text(CultureInfo culture, string key, params object[] args) => string.Format(culture, Resources.GetString(key, culture) ?? key, args);

    /// <summary>
    /// Which model maps and why, in <paramref name="culture"/>'s words: "Model: boosted trees (held more finds and accidents on held-out land)", or on a tie
    /// "Model: logistic regression (as good as the other on held-out land; ties go to it)" (the legend's line, and the web page's).
    /// </summary>
    public static string ModelNote(RiskLegend legend, CultureInfo culture) =>
        Text(culture, legend.Default ? "legend.model_default" : legend.Tie ? "legend.model_tie" : "legend.model_won", Text(culture, legend.Model == "boosted_trees" ? "legend.boosted_trees" : "legend.logistic"));

    /// <summary>
    /// The legend's classes and hatches for a page to draw beside the preview (a phone shrinks the PNG's own legend
    /// past reading; a screen reader cannot read it at all): each entry's words in <paramref name="culture"/> and its CSS
    /// background, the same colours as the PNG, and the values a ranked class holds (null for the hatches, or a legend
    /// without values), which the words contain.
    /// </summary>
    public static IReadOnlyList<(string Words, string Background, string? Values)> LegendEntries(CultureInfo culture, RiskLegend? legend = null)
    {
        static string Css(SKColor c) => $"#{c.Red:x2}{c.Green:x2}{c.Blue:x2}";
        var rest = Css(Classes[4].Colour);
        return
        [
            .. Classes.Select((c, k) => legend is null ? null : ClassValues(legend, k, culture))
                .Select((values, k) => (ClassWords(k, values, culture), Css(Classes[k].Colour), values)),
            (Text(culture, "legend.released"), $"repeating-linear-gradient(45deg, {Css(ReleasedHatch)} 0 1px, {rest} 1px 6px)", null),
            (Text(culture, "legend.not_surveyed"), $"repeating-linear-gradient(-45deg, {Css(NotSurveyedHatch)} 0 1px, {rest} 1px 9px)", null),
        ];
    }

    /// <summary>A ranked class's words with the values it holds when the legend knows them: "top 1-5%: 0.213–0.421".</summary>
    private static string ClassWords(int k, string? values, CultureInfo culture) =>
        values is not null ? Text(culture, "legend.class_values", Text(culture, ClassKeys[k]), values) : Text(culture, ClassKeys[k]);

    /// <summary>The legend's lines of notes under the classes, in <paramref name="culture"/>.</summary>
    public static IReadOnlyList<string> Notes(RiskLegend legend, CultureInfo culture)
    {
        string T(string key, params object[] args) => Text(culture, key, args);
        var inv = CultureInfo.InvariantCulture;
        var english = culture.TwoLetterISOLanguageName is "en" or "iv";
        var numbers = english ? inv : culture;
        return
        [
            T("legend.known_before", legend.KnownBefore.ToString("yyyy-MM-dd", inv), legend.CellM.ToString("0.#", numbers), legend.Epsg.ToString(inv)),
            T("legend.trained", legend.TrainingCells.ToString("N0", numbers), legend.Positives.ToString(numbers)),
            // As the command line and the risk page warn: a model of a few hundred processed cells or fewer rests on a handful of hazards.
            .. legend.TrainingCells < RiskHandler.MinimumTrainingCells ? [T("legend.few_cells", RiskHandler.MinimumTrainingCells.ToString(numbers))] : Array.Empty<string>(),
            ModelNote(legend, culture),
            T(legend.Calibrated ? "legend.calibrated" : "legend.relative"),
            T("legend.validate"),
            T("legend.computed", legend.ComputedAt.ToString("yyyy-MM-ddTHH:mm:ssZ", inv)),
        ];
    }

    /// <summary>
    /// The marking across the top band and the legend in the right-hand band, in <paramref name="culture"/>; each
    /// line wrapped to its band and clipped to it, so no word ever lands on the map.
    /// </summary>
    private static void DrawLegend(SKBitmap bitmap, RiskLegend legend, CultureInfo culture)
    {
        using var canvas = new SKCanvas(bitmap);
        Layout(canvas, bitmap.Width, bitmap.Height, legend, culture);
    }

    /// <summary>The row under the legend's last line in <paramref name="culture"/> (its lines wrap, so a language may need more rows).</summary>
    private static int LegendBottom(RiskLegend legend, CultureInfo culture) => (int)Math.Ceiling(Layout(null, LegendWidth, 0, legend, culture)) + 10;

    /// <summary>Lays the marking and the legend out, drawing them on <paramref name="canvas"/> unless it is null; the legend's bottom.</summary>
    private static float Layout(SKCanvas? canvas, int width, int height, RiskLegend legend, CultureInfo culture)
    {
        string T(string key, params object[] args) => Text(culture, key, args);
        var rtl = culture.TextInfo.IsRightToLeft;
        var band = width - LegendWidth;
        using var text = new PdfText(rtl);
        using var font = text.Font(14);
        using var bold = text.Font(MarkingSize, bold: true);
        using var ink = new SKPaint { Color = SKColors.Black, IsAntialias = true };
        using var red = new SKPaint { Color = new SKColor(0xb0, 0x00, 0x00), IsAntialias = true };
        using var outline = new SKPaint { Color = SKColors.Gray, Style = SKPaintStyle.Stroke };

        if (canvas is not null)
        {
            canvas.Save();
            canvas.ClipRect(new SKRect(0, 0, width, MarkingHeight));
            text.Draw(canvas, T("legend.marking"), rtl ? width - MarkingMargin : MarkingMargin, 26, rtl ? SKTextAlign.Right : SKTextAlign.Left, bold, red);
            canvas.Restore();
            canvas.Save();
            canvas.ClipRect(new SKRect(band, MarkingHeight, width, height));
        }
        // Left to right: swatches at the band's start, words after them; right to left, mirrored.
        var start = rtl ? width - 20f : band + 20f;
        float SwatchAt(float offset) => rtl ? start - offset - 28 : start + offset;
        float After(float offset) => rtl ? start - offset : start + offset;
        var align = rtl ? SKTextAlign.Right : SKTextAlign.Left;
        var full = LegendWidth - 40f;
        var y = 70f;
        void Lines(string words, SKFont f, float indent, float lineHeight)
        {
            foreach (var line in text.Wrap(words, f, full - indent))
            {
                if (canvas is not null) text.Draw(canvas, line, After(indent), y, align, f, ink);
                y += lineHeight;
            }
        }
        Lines(T("legend.title", legend.Area), bold, 0, 20);
        y += 8;
        Lines(T("legend.ranked"), font, 0, 18);
        y -= 8;
        void Entry(string words, Action<float, float> swatch)
        {
            if (canvas is not null) swatch(SwatchAt(0), y);
            var top = y;
            y += 14;
            Lines(words, font, 38, 17);
            y = Math.Max(y - 17 + 12, top + 26);
        }
        for (var k = 0; k < Classes.Length; k++)
        {
            var colour = Classes[k].Colour;
            Entry(ClassWords(k, ClassValues(legend, k, culture), culture), (x, top) =>
            {
                using var fill = new SKPaint { Color = colour };
                canvas!.DrawRect(x, top, 28, 18, fill);
                canvas.DrawRect(x, top, 28, 18, outline);
            });
        }
        y += 6;
        Entry(T("legend.released"), (x, top) => Swatch(canvas!, x, top, (sx, sy) => (sx - sy) % 6 == 0 ? ReleasedHatch : Classes[4].Colour));
        Entry(T("legend.not_surveyed"), (x, top) => Swatch(canvas!, x, top, (sx, sy) => (sx + sy) % 9 == 0 ? NotSurveyedHatch : Classes[4].Colour));
        y += 14;
        Lines(T("legend.unhatched"), font, 0, 18);
        y += 16;
        if (legend.MetresPerPixel is > 0 and var metresPerPixel && double.IsFinite(metresPerPixel))
        {
            // The scale bar: a black half and a white one, 0 under the end it starts from and the distance under the other (right
            // to left, it starts from the right); read across the map, which is drawn in the grid's UTM zone (its cells are
            // square metres there).
            var (metres, pixels) = ScaleBar(metresPerPixel);
            var (zero, end) = (start, rtl ? start - pixels : start + pixels);
            var left = Math.Min(zero, end);
            if (canvas is not null)
            {
                using var white = new SKPaint { Color = SKColors.White };
                canvas.DrawRect(left, y, pixels, 8, white);
                canvas.DrawRect(rtl ? zero - pixels / 2 : zero, y, pixels / 2, 8, ink);
                canvas.DrawRect(left, y, pixels, 8, outline);
                text.Draw(canvas, "0", zero, y + 24, SKTextAlign.Center, font, ink);
                text.Draw(canvas, Distance(metres, culture), end, y + 24, SKTextAlign.Center, font, ink);
            }
            y += 46;
        }
        foreach (var note in Notes(legend, culture)) Lines(note, font, 0, 20);
        canvas?.Restore();
        return y;
    }

    /// <summary>
    /// Writes <paramref name="bitmap"/> as a PNG, each row filtered against its left neighbour only: large flat runs of a
    /// class's colour compress as well (a national preview 363 KB against 420 KB with every filter tried) in less than half
    /// the time (65 ms against 152 ms); the pixels are the same.
    /// </summary>
    private static void Save(SKBitmap bitmap, string path)
    {
        using var pixels = bitmap.PeekPixels();
        using var data = pixels.Encode(new SKPngEncoderOptions(SKPngEncoderFilterFlags.Sub, 6))
            ?? throw new InvalidOperationException($"{path}: the preview could not be encoded as a PNG");
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
