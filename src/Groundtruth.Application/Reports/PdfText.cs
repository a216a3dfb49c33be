using System.Text;
using SkiaSharp;
using SkiaSharp.HarfBuzz;

namespace Groundtruth.Application.Reports;

/// <summary>
/// Measures and draws a line of text on a PDF page. Left-to-right text without Arabic or Hebrew letters is drawn as is;
/// text with them is cut into runs of one direction (a simple bidirectional ordering: letters decide, spaces and
/// punctuation follow their neighbours or the paragraph), each run shaped by HarfBuzz (joined Arabic letters), and the
/// runs placed right to left in a right-to-left paragraph.
/// </summary>
internal sealed class PdfText : IDisposable
{
    private readonly Dictionary<SKTypeface, SKShaper> _shapers = [];

    public PdfText(bool rightToLeft)
    {
        RightToLeft = rightToLeft;
        Regular = SKTypeface.FromFamilyName("DejaVu Sans") ?? SKTypeface.Default;
        Bold = SKTypeface.FromFamilyName("DejaVu Sans", SKFontStyle.Bold) ?? Regular;
    }

    public bool RightToLeft { get; }
    public SKTypeface Regular { get; }
    public SKTypeface Bold { get; }

    public SKFont Font(float size, bool bold = false) => new(bold ? Bold : Regular, size) { Subpixel = true };

    private SKShaper Shaper(SKTypeface typeface)
    {
        if (!_shapers.TryGetValue(typeface, out var shaper)) _shapers[typeface] = shaper = new SKShaper(typeface);
        return shaper;
    }

    /// <summary>Arabic-Indic digits and the Arabic decimal and thousands separators belong to numbers, which read left to right.</summary>
    private static bool IsNumberPart(char c) => char.IsDigit(c) || c is >= '\u0660' and <= '\u066C' or >= '\u06F0' and <= '\u06F9';

    private static bool IsRtl(char c) => !IsNumberPart(c) && c is >= '\u0590' and <= '\u08FF' or >= '\uFB1D' and <= '\uFDFF' or >= '\uFE70' and <= '\uFEFF';

    private static bool NeedsShaping(string text) => text.Any(IsRtl);

    /// <summary>The runs of one direction in visual order (left to right on the page).</summary>
    private List<(string Text, bool Rtl)> Runs(string text)
    {
        // 1 = right to left, 0 = left to right, -1 = neutral (space, punctuation)
        var dirs = text.Select(c => IsRtl(c) ? 1 : char.IsLetter(c) || IsNumberPart(c) ? 0 : -1).ToArray();
        // A number's separators and its percent sign stay with it ("42,5 %").
        for (var i = 1; i < dirs.Length; i++)
            if (dirs[i] == -1 && text[i] is '%' or '.' or ',' or '\u00a0' or '\u202f' && IsNumberPart(text[i - 1]))
                dirs[i] = 0;
        for (var i = dirs.Length - 2; i >= 0; i--)
            if (dirs[i] == -1 && text[i] is '\u00a0' or '\u202f' && text[i + 1] == '%')
                dirs[i] = 0;
        // Text without a right-to-left letter reads left to right (a Latin name in an Arabic report).
        var first = Array.FindIndex(dirs, d => d != -1);
        var paragraph = !text.Any(IsRtl) ? 0 : RightToLeft || first < 0 ? 1 : dirs[first];
        for (var i = 0; i < dirs.Length; i++)
        {
            if (dirs[i] != -1) continue;
            var before = -1;
            for (var j = i - 1; j >= 0 && before == -1; j--) before = dirs[j];
            var after = -1;
            for (var j = i + 1; j < dirs.Length && after == -1; j++) after = dirs[j];
            dirs[i] = before == after && before != -1 ? before : paragraph;
        }
        var runs = new List<(string, bool)>();
        var sb = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            if (i > 0 && dirs[i] != dirs[i - 1])
            {
                runs.Add((sb.ToString(), dirs[i - 1] == 1));
                sb.Clear();
            }
            sb.Append(text[i]);
        }
        if (sb.Length > 0) runs.Add((sb.ToString(), dirs[^1] == 1));
        if (paragraph == 1) runs.Reverse();
        return runs;
    }

    private float RunWidth(string run, bool rtl, SKFont font) =>
        rtl ? Shaper(font.Typeface).Shape(run, font).Width : font.MeasureText(run);

    public float Measure(string text, SKFont font) =>
        !NeedsShaping(text) ? font.MeasureText(text) : Runs(text).Sum(r => RunWidth(r.Text, r.Rtl, font));

    /// <summary>Draws one line at a position on the page (not mirrored: the caller mirrors).</summary>
    public void Draw(SKCanvas canvas, string text, float x, float baseline, SKTextAlign align, SKFont font, SKPaint paint)
    {
        if (!NeedsShaping(text))
        {
            canvas.DrawText(text, x, baseline, align, font, paint);
            return;
        }
        var runs = Runs(text);
        var widths = runs.Select(r => RunWidth(r.Text, r.Rtl, font)).ToList();
        var total = widths.Sum();
        var left = align switch { SKTextAlign.Right => x - total, SKTextAlign.Center => x - total / 2, _ => x };
        for (var i = 0; i < runs.Count; i++)
        {
            if (runs[i].Rtl) canvas.DrawShapedText(Shaper(font.Typeface), runs[i].Text, left, baseline, SKTextAlign.Left, font, paint);
            else canvas.DrawText(runs[i].Text, left, baseline, SKTextAlign.Left, font, paint);
            left += widths[i];
        }
    }

    /// <summary>The words of <paramref name="text"/> in lines no wider than <paramref name="width"/> (a longer word gets a line of its own).</summary>
    public List<string> Wrap(string text, SKFont font, float width)
    {
        var lines = new List<string>();
        var line = "";
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = line.Length == 0 ? word : line + " " + word;
            if (line.Length > 0 && Measure(candidate, font) > width)
            {
                lines.Add(line);
                line = word;
            }
            else
            {
                line = candidate;
            }
        }
        if (line.Length > 0 || lines.Count == 0) lines.Add(line);
        return lines;
    }

    public void Dispose()
    {
        foreach (var s in _shapers.Values) s.Dispose();
    }
}
