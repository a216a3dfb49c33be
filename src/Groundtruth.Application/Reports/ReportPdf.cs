using SkiaSharp;

namespace Groundtruth.Application.Reports;

/// <summary>Who the report is from: the programme's name and logo (a PNG or JPEG file), from the settings; none gives a plain header.</summary>
public sealed record ReportBranding(string? ProgrammeName = null, string? LogoPath = null)
{
    public static ReportBranding None { get; } = new();

    /// <summary>The environment variable naming the programme, when no name is given.</summary>
    public const string ProgrammeVariable = "GROUNDTRUTH_PROGRAMME";

    /// <summary>The environment variable naming the logo file, when none is given.</summary>
    public const string LogoVariable = "GROUNDTRUTH_LOGO";

    /// <summary>The name and logo given, else those of the environment variables; blanks are none.</summary>
    public static ReportBranding FromSettings(string? programmeName, string? logoPath) => new(
        Blank(programmeName) ?? Blank(Environment.GetEnvironmentVariable(ProgrammeVariable)),
        Blank(logoPath) ?? Blank(Environment.GetEnvironmentVariable(LogoVariable)));

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}

/// <summary>What the PDF writer lays out: a title, the period in words, the blocks, in one language.</summary>
public sealed record ReportDocument(string Title, string Period, IReadOnlyList<ReportBlock> Blocks, ReportText Text, ReportBranding Branding, string? Footnote = null);

/// <summary>
/// A report as an A4 PDF drawn with SkiaSharp's PDF backend (ADR 0029): a header with the programme's name and logo on
/// every page, "page 2 of 5" at the foot, the title, period and a contents list on the first page; charts drawn as
/// vectors (the ScottPlot plot rendered straight onto the page's canvas), tables that repeat their header on a new page,
/// a map drawn as vectors. Blocks are kept together (a heading with what follows it, a chart, a table row) and moved to
/// the next page when they do not fit; a table longer than the rest of a page is split instead. Right-to-left languages
/// mirror the layout (charts and the map stay as they are).
/// </summary>
public static class ReportPdf
{
    internal const float PageWidth = 595, PageHeight = 842, Margin = 48;
    internal const float ContentWidth = PageWidth - 2 * Margin;
    internal const float Top = Margin + 30, Bottom = PageHeight - Margin - 14;

    /// <summary>Writes the situation report (title, period and blocks as built) to <paramref name="path"/>.</summary>
    public static void Write(SituationReport report, string path, ReportBranding? branding = null) =>
        Write(new ReportDocument(report.Title, report.Period, report.Blocks, report.Text, branding ?? ReportBranding.None), path);

    public static void Write(ReportDocument document, string path)
    {
        using var text = new PdfText(document.Text.RightToLeft);
        using var logo = LoadLogo(document.Branding.LogoPath);
        var layout = new PdfLayout(text, document);
        layout.Lay();
        using var stream = File.Create(path);
        using var pdf = SKDocument.CreatePdf(stream, new SKDocumentPdfMetadata
        {
            Title = document.Title,
            Subject = document.Period,
            Creator = "Groundtruth",
            Author = document.Branding.ProgrammeName ?? "",
            RasterDpi = 300,
        });
        var count = layout.Pages.Count;
        for (var p = 0; p < count; p++)
        {
            var canvas = pdf.BeginPage(PageWidth, PageHeight);
            layout.Header(canvas, logo);
            foreach (var draw in layout.Pages[p]) draw(canvas);
            layout.Footer(canvas, p + 1, count);
            pdf.EndPage();
        }
        pdf.Close();
    }

    private static SKBitmap? LoadLogo(string? path)
    {
        if (string.IsNullOrWhiteSpace(path)) return null;
        if (!File.Exists(path)) throw new InvalidRequestException("logo", $"{path}: no such file");
        return SKBitmap.Decode(path) ?? throw new InvalidRequestException("logo", $"{path}: not a PNG or JPEG image");
    }
}

/// <summary>Lays the blocks out on pages, as lists of drawing steps run once the page count is known.</summary>
internal sealed class PdfLayout(PdfText text, ReportDocument document)
{
    private const float W = ReportPdf.PageWidth, M = ReportPdf.Margin, CW = ReportPdf.ContentWidth;
    private const float Top = ReportPdf.Top, Bottom = ReportPdf.Bottom;

    private static readonly SKColor Ink = SKColors.Black, Grey = new(0x44, 0x44, 0x44), RuleColour = new(0xB0, 0xB0, 0xB0);

    private readonly ReportText _words = document.Text;
    private readonly Dictionary<int, int> _headingPages = [];

    public List<List<Action<SKCanvas>>> Pages { get; } = [];
    private float _y;
    private List<Action<SKCanvas>> Current => Pages[^1];
    private float Room => Bottom - _y;
    private bool Rtl => text.RightToLeft;

    private void NewPage()
    {
        Pages.Add([]);
        _y = Top;
    }

    private void Ensure(float height)
    {
        if (height > Room && _y > Top + 0.5f) NewPage();
    }

    /// <summary>A logical x (measured from the left margin in reading order) on the page.</summary>
    private static float X(float logical, bool rtl) => rtl ? W - logical : logical;

    private static SKTextAlign Align(SKTextAlign align, bool rtl) => !rtl ? align : align switch
    {
        SKTextAlign.Left => SKTextAlign.Right,
        SKTextAlign.Right => SKTextAlign.Left,
        _ => align,
    };

    private void Text(string s, float logicalX, float baseline, SKTextAlign align, SKFont font, SKColor colour)
    {
        var x = X(logicalX, Rtl);
        var a = Align(align, Rtl);
        Current.Add(c =>
        {
            using var paint = new SKPaint { Color = colour, IsAntialias = true };
            text.Draw(c, s, x, baseline, a, font, paint);
        });
    }

    private void Rule(float logicalX1, float logicalX2, float y, float width = 0.6f, SKColor? colour = null)
    {
        var (x1, x2) = (X(logicalX1, Rtl), X(logicalX2, Rtl));
        var col = colour ?? RuleColour;
        Current.Add(c =>
        {
            using var paint = new SKPaint { Color = col, StrokeWidth = width, IsAntialias = true, Style = SKPaintStyle.Stroke };
            c.DrawLine(x1, y, x2, y, paint);
        });
    }

    private readonly SKFont _title = text.Font(20, bold: true), _period = text.Font(11), _heading = text.Font(13, bold: true);
    private readonly SKFont _body = text.Font(9), _small = text.Font(8), _label = text.Font(9.5f, bold: true), _value = text.Font(12, bold: true);
    private readonly SKFont _cell = text.Font(8), _cellBold = text.Font(8, bold: true), _header = text.Font(10, bold: true), _footer = text.Font(8);

    public void Lay()
    {
        NewPage();
        foreach (var line in text.Wrap(document.Title, _title, CW))
        {
            Text(line, M, _y + 20, SKTextAlign.Left, _title, Ink);
            _y += 26;
        }
        Text(_words.Format("PeriodLine", document.Period), M, _y + 11, SKTextAlign.Left, _period, Grey);
        _y += 24;
        Contents();
        var blocks = document.Blocks;
        for (var i = 0; i < blocks.Count; i++)
        {
            switch (blocks[i])
            {
                case ReportHeading h:
                    var next = i + 1 < blocks.Count ? MinimumHeight(blocks[i + 1]) : 0;
                    var headingLines = text.Wrap(h.Text, _heading, CW);
                    Ensure(28 + (headingLines.Count - 1) * 16 + next);
                    _headingPages[i] = Pages.Count;
                    foreach (var line in headingLines)
                    {
                        Text(line, M, _y + 13, SKTextAlign.Left, _heading, Ink);
                        _y += 16;
                    }
                    Rule(M, M + CW, _y + 3);
                    _y += 11;
                    break;
                case ReportParagraph p:
                    Paragraph(p.Text, _body, Grey, 12);
                    _y += 5;
                    break;
                case ReportHeadlines hs:
                    Headlines(hs);
                    break;
                case ReportTable t:
                    Table(t);
                    break;
                case ReportChart c:
                    Chart(c);
                    break;
                case ReportMap m:
                    PdfMap.Lay(this, m);
                    break;
                case ReportPageBreak:
                    if (_y > Top + 0.5f) NewPage();
                    break;
            }
        }
        if (document.Footnote is { } note)
        {
            _y += 6;
            Paragraph(note, _small, Grey, 10.5f);
        }
    }

    private float MinimumHeight(ReportBlock block) => block switch
    {
        ReportParagraph => 2 * 12,
        ReportHeadlines => 40,
        // As Table places it: a small table whole, a long one its header and first rows (a heading stays with either).
        ReportTable t => TableHeight(t, t.Rows.Count) is var whole && whole <= (Bottom - Top) * 0.3f ? whole : TableHeight(t, Math.Min(t.Rows.Count, 3)),
        ReportChart c => ChartHeight(c) + 6 + (c.Legend is { Count: > 0 } ? 13 : 0),
        ReportMap => PdfMap.MinimumHeight,
        _ => 0,
    };

    private void Contents()
    {
        var headings = document.Blocks.Select((b, i) => (Block: b, Index: i)).Where(x => x.Block is ReportHeading).ToList();
        if (headings.Count == 0) return;
        Text(_words["Contents"], M, _y + 12, SKTextAlign.Left, _header, Ink);
        _y += 20;
        foreach (var (block, index) in headings)
        {
            var lines = text.Wrap(((ReportHeading)block).Text, _body, CW - 60);
            for (var l = 0; l < lines.Count - 1; l++)
            {
                Text(lines[l], M + 8, _y + 10, SKTextAlign.Left, _body, Ink);
                _y += 12;
            }
            var heading = lines[^1];
            var baseline = _y + 10;
            var x = X(M + 8, Rtl);
            var a = Align(SKTextAlign.Left, Rtl);
            var xr = X(M + CW, Rtl);
            var ar = Align(SKTextAlign.Right, Rtl);
            var width = text.Measure(heading, _body);
            var (d1, d2) = (X(M + 8 + width + 6, Rtl), X(M + CW - 24, Rtl));
            Current.Add(c =>
            {
                using var paint = new SKPaint { Color = Ink, IsAntialias = true };
                using var dots = new SKPaint { Color = RuleColour, StrokeWidth = 0.6f, PathEffect = SKPathEffect.CreateDash([1, 2.5f], 0) };
                text.Draw(c, heading, x, baseline, a, _body, paint);
                c.DrawLine(d1, baseline - 1, d2, baseline - 1, dots);
                text.Draw(c, _headingPages.GetValueOrDefault(index).ToString(_words.Culture), xr, baseline, ar, _body, paint);
            });
            _y += 14;
        }
        _y += 12;
    }

    private void Paragraph(string s, SKFont font, SKColor colour, float lineHeight, float indent = 0, float? width = null)
    {
        var lines = text.Wrap(s, font, width ?? CW - indent);
        if (lines.Count <= 5) Ensure(lines.Count * lineHeight); // a short paragraph is not split
        foreach (var line in lines)
        {
            Ensure(lineHeight);
            Text(line, M + indent, _y + font.Size, SKTextAlign.Left, font, colour);
            _y += lineHeight;
        }
    }

    private void Headlines(ReportHeadlines hs)
    {
        const float labelWidth = 150, valueRight = 236, definitionX = 248;
        foreach (var f in hs.Figures)
        {
            var label = text.Wrap(f.Label, _label, labelWidth);
            var definition = text.Wrap(f.Definition, _small, CW - definitionX);
            var height = Math.Max(Math.Max(label.Count * 12.5f, 16), definition.Count * 10.5f) + 7;
            Ensure(height);
            for (var l = 0; l < label.Count; l++) Text(label[l], M, _y + 10 + l * 12.5f, SKTextAlign.Left, _label, Ink);
            Text(f.Value, M + valueRight, _y + 12, SKTextAlign.Right, _value, Ink);
            for (var l = 0; l < definition.Count; l++) Text(definition[l], M + definitionX, _y + 8.5f + l * 10.5f, SKTextAlign.Left, _small, Grey);
            _y += height;
            Rule(M, M + CW, _y - 3.5f, 0.3f, new SKColor(0xDD, 0xDD, 0xDD));
        }
        _y += 6;
    }

    private const float CellPad = 4, CellLine = 10.5f;

    /// <summary>Column widths: numbers at their natural width, text columns share the rest and wrap.</summary>
    private float[] Widths(ReportTable t)
    {
        var n = t.Header.Count;
        var natural = new float[n];
        for (var c = 0; c < n; c++)
            natural[c] = Math.Max(text.Measure(t.Header[c], _cellBold), t.Rows.Count == 0 ? 0 : t.Rows.Max(r => text.Measure(r[c], _cellBold))) + 2 * CellPad + 2;
        var total = natural.Sum();
        if (total <= CW) return natural;
        var textColumns = Enumerable.Range(0, n).Where(c => c < t.TextColumns).ToList();
        var fixedWidth = Enumerable.Range(0, n).Where(c => c >= t.TextColumns).Sum(c => Math.Min(natural[c], CW * 0.3f));
        var widths = new float[n];
        for (var c = 0; c < n; c++) widths[c] = c >= t.TextColumns ? Math.Min(natural[c], CW * 0.3f) : 0;
        var rest = CW - fixedWidth;
        var textTotal = textColumns.Sum(c => natural[c]);
        foreach (var c in textColumns) widths[c] = Math.Max(28, rest * natural[c] / textTotal);
        return widths;
    }

    private List<string>[] Cells(IReadOnlyList<string> row, float[] widths, SKFont font) =>
        [.. row.Select((cell, c) => text.Wrap(cell, font, widths[c] - 2 * CellPad))];

    private static float RowHeight(List<string>[] cells) => cells.Max(l => l.Count) * CellLine + 3;

    private float TableHeight(ReportTable t, int rows)
    {
        var widths = Widths(t);
        return RowHeight(Cells(t.Header, widths, _cellBold)) + t.Rows.Take(rows).Sum(r => RowHeight(Cells(r, widths, _cell))) + 2;
    }

    private void Table(ReportTable t)
    {
        var widths = Widths(t);
        var tableWidth = widths.Sum();
        var header = Cells(t.Header, widths, _cellBold);
        var headerHeight = RowHeight(header);
        var whole = TableHeight(t, t.Rows.Count);
        // Small tables are kept together; long ones start here and continue on the next page.
        if (whole <= (Bottom - Top) * 0.3f) Ensure(whole);
        else Ensure(headerHeight + Math.Min(whole - headerHeight, 3 * (CellLine + 3)));

        void Row(List<string>[] cells, SKFont font, float height)
        {
            var x = M;
            for (var c = 0; c < cells.Length; c++)
            {
                var left = c < t.TextColumns;
                for (var l = 0; l < cells[c].Count; l++)
                    Text(cells[c][l], left ? x + CellPad : x + widths[c] - CellPad, _y + 8 + l * CellLine, left ? SKTextAlign.Left : SKTextAlign.Right, font, Ink);
                x += widths[c];
            }
            _y += height;
        }
        void Header()
        {
            Row(header, _cellBold, headerHeight);
            Rule(M, M + tableWidth, _y - 1, 0.8f, Grey);
        }
        Header();
        for (var r = 0; r < t.Rows.Count; r++)
        {
            var total = t.LastRowIsTotal && r == t.Rows.Count - 1;
            var font = total ? _cellBold : _cell;
            var cells = Cells(t.Rows[r], widths, font);
            var height = RowHeight(cells);
            if (height > Room)
            {
                NewPage();
                Header();
            }
            if (total) Rule(M, M + tableWidth, _y, 0.8f, Grey);
            Row(cells, font, height);
            if (!total) Rule(M, M + tableWidth, _y - 1, 0.3f, new SKColor(0xE0, 0xE0, 0xE0));
        }
        _y += 8;
    }

    private static float ChartHeight(ReportChart c) => CW * c.Height / c.Width;

    private void Chart(ReportChart chart)
    {
        var height = ChartHeight(chart);
        var legend = chart.Legend ?? [];
        const float legendRow = 13;
        Ensure(height + 6 + (legend.Count > 0 ? legendRow : 0));
        var top = _y;
        var scale = CW / chart.Width;
        Current.Add(c =>
        {
            c.Save();
            c.Translate(M, top);
            c.Scale(scale);
            c.ClipRect(new SKRect(0, 0, chart.Width, chart.Height));
            // The plot has no legend of its own: it is drawn below with the report's text (shaped, right to left where the language is).
            chart.Plot.Render(c, chart.Width, chart.Height);
            c.Restore();
        });
        _y += height + 2;
        if (legend.Count > 0)
        {
            var x = M;
            var baseline = _y + 9;
            foreach (var (label, colour) in legend)
            {
                var width = 10 + text.Measure(label, _small) + 14;
                if (x + width > M + CW && x > M)
                {
                    x = M;
                    baseline += legendRow;
                    _y += legendRow;
                }
                var (left, right) = (X(x, Rtl), X(x + 7, Rtl));
                var square = new SKRect(Math.Min(left, right), baseline - 7, Math.Max(left, right), baseline);
                var fill = new SKColor(colour.R, colour.G, colour.B, colour.A);
                Current.Add(c =>
                {
                    using var paint = new SKPaint { Color = fill, Style = SKPaintStyle.Fill };
                    c.DrawRect(square, paint);
                });
                Text(label, x + 10, baseline, SKTextAlign.Left, _small, Ink);
                x += width;
            }
            _y += legendRow;
        }
        _y += 4;
    }

    /// <summary>Map drawing needs the page's state: the current page, the room left, text drawing.</summary>
    internal float Y { get => _y; set => _y = value; }
    internal float RoomLeft => Room;
    internal void EnsureRoom(float height) => Ensure(height);
    internal void Draw(Action<SKCanvas> step) => Current.Add(step);
    internal PdfText TextDrawer => text;
    internal bool RightToLeft => Rtl;
    internal ReportText Words => _words;
    internal void Label(string s, float logicalX, float baseline, SKTextAlign align, SKFont font, SKColor colour) => Text(s, logicalX, baseline, align, font, colour);

    public void Header(SKCanvas canvas, SKBitmap? logo)
    {
        using var ink = new SKPaint { Color = Ink, IsAntialias = true };
        using var grey = new SKPaint { Color = Grey, IsAntialias = true };
        using var rule = new SKPaint { Color = RuleColour, StrokeWidth = 0.6f };
        var x = M;
        const float logoHeight = 22;
        if (logo is not null)
        {
            var width = logoHeight * logo.Width / logo.Height;
            var left = Rtl ? W - M - width : M;
            using var image = SKImage.FromBitmap(logo);
            canvas.DrawImage(image, new SKRect(left, M - 4, left + width, M - 4 + logoHeight), new SKSamplingOptions(SKFilterMode.Linear));
            x += width + 8;
        }
        var name = document.Branding.ProgrammeName ?? _words["DefaultHeader"];
        var nameFont = _header;
        var titleWidth = text.Measure(document.Title, _footer);
        var room = CW - (x - M) - titleWidth - 16;
        using var shrunk = text.Font(Math.Max(6, 10 * Math.Min(1, room / Math.Max(1, text.Measure(name, _header)))), bold: true);
        if (text.Measure(name, _header) > room) nameFont = shrunk;
        text.Draw(canvas, name, X(x, Rtl), M + 10, Align(SKTextAlign.Left, Rtl), nameFont, ink);
        text.Draw(canvas, document.Title, X(M + CW, Rtl), M + 10, Align(SKTextAlign.Right, Rtl), _footer, grey);
        canvas.DrawLine(M, M + 20, M + CW, M + 20, rule);
    }

    public void Footer(SKCanvas canvas, int page, int count)
    {
        using var grey = new SKPaint { Color = Grey, IsAntialias = true };
        text.Draw(canvas, _words.Format("PageOf", page, count), W / 2, ReportPdf.PageHeight - M + 6, SKTextAlign.Center, _footer, grey);
    }
}
