using ScottPlot;
using SkiaSharp;

namespace Groundtruth.Application.Reports;

/// <summary>The report as a PDF (A4), drawn with SkiaSharp's PDF backend; charts are the same ScottPlot plots as in the HTML.</summary>
public static class ReportPdf
{
    private const float PageWidth = 595, PageHeight = 842, Margin = 48;
    private const float ContentWidth = PageWidth - 2 * Margin;

    public static void Write(SituationReport report, string path)
    {
        using var stream = File.Create(path);
        using var document = SKDocument.CreatePdf(stream, new SKDocumentPdfMetadata { Title = report.Title, Creator = "Groundtruth", RasterDpi = 150 });
        var typeface = SKTypeface.FromFamilyName("DejaVu Sans") ?? SKTypeface.Default;
        var bold = SKTypeface.FromFamilyName("DejaVu Sans", SKFontStyle.Bold) ?? typeface;
        using var ink = new SKPaint { Color = SKColors.Black, IsAntialias = true };
        using var grey = new SKPaint { Color = new SKColor(0x55, 0x55, 0x55), IsAntialias = true };
        using var rule = new SKPaint { Color = new SKColor(0xBB, 0xBB, 0xBB), StrokeWidth = 0.5f };
        var page = new Page(document);
        try
        {
            page.Text(report.Title, new SKFont(bold, 18), ink);
            page.Y += 6;
            foreach (var block in report.Blocks)
            {
                switch (block)
                {
                    case ReportHeading h:
                        page.Need(40);
                        page.Y += 8;
                        page.Text(h.Text, new SKFont(bold, 13), ink);
                        page.Canvas.DrawLine(Margin, page.Y - 8, PageWidth - Margin, page.Y - 8, rule);
                        break;
                    case ReportParagraph p:
                        page.Wrapped(p.Text, new SKFont(typeface, 9), grey, Margin, ContentWidth);
                        page.Y += 4;
                        break;
                    case ReportHeadlines hs:
                        foreach (var f in hs.Figures)
                        {
                            page.Need(36);
                            var top = page.Y;
                            page.Canvas.DrawText(f.Label, Margin, page.Y + 11, SKTextAlign.Left, new SKFont(bold, 10), ink);
                            page.Canvas.DrawText(f.Value, Margin + 210, page.Y + 11, SKTextAlign.Right, new SKFont(bold, 11), ink);
                            page.Wrapped(f.Definition, new SKFont(typeface, 8), grey, Margin + 222, ContentWidth - 222);
                            page.Y = Math.Max(page.Y, top + 16) + 4;
                        }
                        break;
                    case ReportTable t:
                        Table(page, t, new SKFont(typeface, 8.5f), new SKFont(bold, 8.5f), ink, rule);
                        break;
                    case ReportChart c:
                        var height = ContentWidth * c.Height / c.Width;
                        page.Need(height + 6);
                        var png = c.Plot.GetImageBytes(c.Width, c.Height, ImageFormat.Png);
                        using (var bitmap = SKBitmap.Decode(png))
                            page.Canvas.DrawBitmap(bitmap, new SKRect(Margin, page.Y, Margin + ContentWidth, page.Y + height));
                        page.Y += height + 6;
                        break;
                }
            }
        }
        finally
        {
            page.End();
            document.Close();
        }
    }

    private static void Table(Page page, ReportTable table, SKFont font, SKFont boldFont, SKPaint ink, SKPaint rule)
    {
        const float rowHeight = 12;
        var columns = table.Header.Count;
        var widths = new float[columns];
        for (var c = 0; c < columns; c++)
            widths[c] = Math.Max(boldFont.MeasureText(table.Header[c]), table.Rows.Count == 0 ? 0 : table.Rows.Max(r => font.MeasureText(r[c]))) + 14;
        var scale = Math.Min(1, ContentWidth / widths.Sum());
        for (var c = 0; c < columns; c++) widths[c] *= scale;
        void Row(IReadOnlyList<string> cells, SKFont f)
        {
            page.Need(rowHeight);
            var x = Margin;
            for (var c = 0; c < columns; c++)
            {
                if (c == 0) page.Canvas.DrawText(cells[c], x, page.Y + 9, SKTextAlign.Left, f, ink);
                else page.Canvas.DrawText(cells[c], x + widths[c] - 4, page.Y + 9, SKTextAlign.Right, f, ink);
                x += widths[c];
            }
            page.Y += rowHeight;
        }
        Row(table.Header, boldFont);
        page.Canvas.DrawLine(Margin, page.Y, Margin + widths.Sum(), page.Y, rule);
        for (var r = 0; r < table.Rows.Count; r++)
        {
            var total = table.LastRowIsTotal && r == table.Rows.Count - 1;
            if (total) page.Canvas.DrawLine(Margin, page.Y, Margin + widths.Sum(), page.Y, rule);
            Row(table.Rows[r], total ? boldFont : font);
        }
        page.Y += 6;
    }

    /// <summary>The current page and the vertical position on it; a new page begins when a block does not fit.</summary>
    private sealed class Page(SKDocument document)
    {
        public SKCanvas Canvas { get; private set; } = document.BeginPage(PageWidth, PageHeight);
        public float Y { get; set; } = Margin;

        public void Need(float height)
        {
            if (Y + height <= PageHeight - Margin) return;
            document.EndPage();
            Canvas = document.BeginPage(PageWidth, PageHeight);
            Y = Margin;
        }

        public void Text(string text, SKFont font, SKPaint paint)
        {
            Need(font.Size + 4);
            Canvas.DrawText(text, Margin, Y + font.Size, SKTextAlign.Left, font, paint);
            Y += font.Size + 6;
        }

        public void Wrapped(string text, SKFont font, SKPaint paint, float x, float width)
        {
            var line = "";
            foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                var candidate = line.Length == 0 ? word : line + " " + word;
                if (line.Length > 0 && font.MeasureText(candidate) > width)
                {
                    Line(line);
                    line = word;
                }
                else
                {
                    line = candidate;
                }
            }
            if (line.Length > 0) Line(line);

            void Line(string s)
            {
                Need(font.Size + 3);
                Canvas.DrawText(s, x, Y + font.Size, SKTextAlign.Left, font, paint);
                Y += font.Size + 3;
            }
        }

        public void End() => document.EndPage();
    }
}
