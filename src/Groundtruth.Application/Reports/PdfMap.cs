using Groundtruth.Application.Maps;
using SkiaSharp;

namespace Groundtruth.Application.Reports;

/// <summary>A position in longitude and latitude (WGS 84).</summary>
public readonly record struct MapPosition(double Longitude, double Latitude);

/// <summary>A named place drawn as a label at <paramref name="At"/>.</summary>
public sealed record MapPlaceLabel(string Name, MapPosition At);

/// <summary>
/// The map of a report: hazardous areas as polygons (each a list of rings), accidents and finds as points, the
/// gazetteer's place names as labels. Drawn as vectors in an equirectangular projection scaled at the map's
/// middle latitude, with a scale bar and a legend.
/// </summary>
public sealed record ReportMap(
    IReadOnlyList<IReadOnlyList<IReadOnlyList<MapPosition>>> Hazards,
    IReadOnlyList<MapPosition> Accidents,
    IReadOnlyList<MapPosition> Finds,
    IReadOnlyList<MapPlaceLabel> Places) : ReportBlock
{
    public bool IsEmpty => Hazards.Count == 0 && Accidents.Count == 0 && Finds.Count == 0;
}

internal static class PdfMap
{
    public const float MinimumHeight = 230;
    private const float MaximumHeight = 470, LegendHeight = 18;

    private static readonly double[] NiceSteps = [1, 2, 5, 10];

    /// <summary>More dots than this (after one per cell) are drawn as an image of the frame, not as vectors.</summary>
    internal const int DenseDots = 5_000;
    private const float RasterScale = 4;

    private static SKColor Colour(string hex) => SKColor.Parse(hex);

    /// <summary>The first point in each square of <paramref name="cell"/> points on the page.</summary>
    private static IEnumerable<SKPoint> OnePerCell(IEnumerable<SKPoint> points, float cell)
    {
        var taken = new HashSet<(int, int)>();
        foreach (var p in points)
            if (taken.Add(((int)MathF.Floor(p.X / cell), (int)MathF.Floor(p.Y / cell)))) yield return p;
    }

    /// <summary>A ring's points on the page, each at least <paramref name="step"/> from the one kept before it.</summary>
    private static List<SKPoint> Decimated(IEnumerable<SKPoint> ring, float step)
    {
        var kept = new List<SKPoint>();
        foreach (var p in ring)
            if (kept.Count == 0 || SKPoint.Distance(kept[^1], p) >= step) kept.Add(p);
        return kept;
    }

    public static void Lay(PdfLayout page, ReportMap map)
    {
        var words = page.Words;
        var font = page.TextDrawer.Font(8);
        if (map.IsEmpty)
        {
            page.EnsureRoom(14);
            page.Label(words["MapEmpty"], ReportPdf.Margin, page.Y + 9, SKTextAlign.Left, font, SKColors.Black);
            page.Y += 16;
            return;
        }
        // The map takes the rest of the page when that is enough, so no half page stays blank before it.
        page.EnsureRoom(MinimumHeight + LegendHeight);
        var height = Math.Clamp(page.RoomLeft - LegendHeight - 6, MinimumHeight, MaximumHeight);
        var frame = new SKRect(ReportPdf.Margin, page.Y, ReportPdf.Margin + ReportPdf.ContentWidth, page.Y + height);

        var all = map.Hazards.SelectMany(p => p.SelectMany(r => r)).Concat(map.Accidents).Concat(map.Finds).ToList();
        var (minX, maxX) = (all.Min(p => p.Longitude), all.Max(p => p.Longitude));
        var (minY, maxY) = (all.Min(p => p.Latitude), all.Max(p => p.Latitude));
        var cos = Math.Cos((minY + maxY) / 2 * Math.PI / 180);
        const float pad = 14;
        var spanX = Math.Max((maxX - minX) * cos, 1e-4);
        var spanY = Math.Max(maxY - minY, 1e-4);
        var scale = Math.Min((frame.Width - 2 * pad) / spanX, (frame.Height - 2 * pad) / spanY); // points per degree of latitude
        var cx = (minX + maxX) / 2;
        var cy = (minY + maxY) / 2;
        SKPoint P(MapPosition p) => new(
            (float)(frame.MidX + (p.Longitude - cx) * cos * scale),
            (float)(frame.MidY - (p.Latitude - cy) * scale));

        var hazardColour = Colour(MapStyles.HazardClassificationColours["confirmed"]);
        var accidentColour = Colour(MapStyles.AccidentColour);
        var findColour = Colour(MapStyles.FindColour);
        var placeColour = Colour(MapStyles.PlaceColour);

        // Scale bar: a round length near a quarter of the frame's width.
        var metresPerPoint = 111_320.0 / scale;
        var target = metresPerPoint * frame.Width / 4 / 1000;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(target)));
        var km = NiceSteps.Select(f => f * magnitude).Last(v => v <= target || v == magnitude);
        var barLength = (float)(km * 1000 / metresPerPoint);
        var barLabel = words.Format("MapScale", km.ToString(km < 1 ? "0.##" : "N0", words.Culture));
        var barLeft = frame.Left + 10;
        var barY = frame.Bottom - 10;
        var occupied = new List<SKRect> { new(barLeft - 2, barY - 14, barLeft + Math.Max(barLength, page.TextDrawer.Measure(barLabel, font)) + 4, barY + 3) };

        var labels = new List<(string Name, SKPoint At)>();
        foreach (var place in map.Places.OrderBy(p => p.Name, StringComparer.Ordinal))
        {
            var at = P(place.At);
            var width = page.TextDrawer.Measure(place.Name, font);
            var box = new SKRect(at.X - width / 2 - 2, at.Y - 8, at.X + width / 2 + 2, at.Y + 3);
            if (!frame.Contains(box) || occupied.Any(o => o.IntersectsWith(box))) continue;
            occupied.Add(box);
            labels.Add((place.Name, at));
        }

        page.Draw(c =>
        {
            using var border = new SKPaint { Color = new SKColor(0x88, 0x88, 0x88), Style = SKPaintStyle.Stroke, StrokeWidth = 0.6f };
            using var sea = new SKPaint { Color = new SKColor(0xF4, 0xF7, 0xFA), Style = SKPaintStyle.Fill };
            c.DrawRect(frame, sea);
            c.Save();
            c.ClipRect(frame);
            using var fill = new SKPaint { Color = hazardColour.WithAlpha((byte)(255 * MapStyles.AreaFillOpacity)), Style = SKPaintStyle.Fill, IsAntialias = true };
            using var outline = new SKPaint { Color = hazardColour, Style = SKPaintStyle.Stroke, StrokeWidth = 0.7f, IsAntialias = true };
            // What the page can show decides what is drawn (issue 11: at 5 M finds and 100,000 areas the map drew every dot and
            // vertex, a 131 MB PDF): one marker or dot per cell of the page (two points for areas' markers, one and a half for
            // dots and two for accidents, less than a dot's width), and of an area's outline only vertices half a point or more from the last one.
            var marked = new HashSet<(int, int)>();
            foreach (var polygon in map.Hazards)
            {
                using var path = new SKPath { FillType = SKPathFillType.EvenOdd };
                foreach (var ring in polygon.Where(r => r.Count > 2))
                {
                    var kept = Decimated(ring.Select(P), 0.5f);
                    if (kept.Count > 2) path.AddPoly([.. kept], close: true);
                }
                var bounds = path.IsEmpty ? SKRect.Create(P(polygon[0][0]), SKSize.Empty) : path.Bounds;
                if (bounds.Width < 3 && bounds.Height < 3)
                {
                    // Too small to see at this scale: a marker of the legend's shape at its place.
                    var mid = new SKPoint(bounds.MidX, bounds.MidY);
                    if (!marked.Add(((int)MathF.Floor(mid.X / 2), (int)MathF.Floor(mid.Y / 2)))) continue;
                    c.DrawRect(mid.X - 2, mid.Y - 1.5f, 4, 3, fill);
                    c.DrawRect(mid.X - 2, mid.Y - 1.5f, 4, 3, outline);
                    continue;
                }
                c.DrawPath(path, fill);
                c.DrawPath(path, outline);
            }
            using var findPaint = new SKPaint { Color = findColour.WithAlpha((byte)(255 * MapStyles.PointFillOpacity)), IsAntialias = true };
            using var accidentPaint = new SKPaint { Color = accidentColour, IsAntialias = true };
            var finds = OnePerCell(map.Finds.Select(P), 1.5f).ToList();
            var accidents = OnePerCell(map.Accidents.Select(P), 2f).ToList();
            void Dots(SKCanvas on)
            {
                foreach (var f in finds) on.DrawCircle(f, 1.6f, findPaint);
                foreach (var a in accidents) on.DrawCircle(a, 2.2f, accidentPaint);
            }
            if (finds.Count + accidents.Count <= DenseDots)
            {
                Dots(c);
            }
            else
            {
                // Tens of thousands of dots cost some 250 bytes each as vectors: drawn once into an image of the frame at
                // RasterScale pixels per point (about 290 dpi) instead, which the PDF keeps losslessly compressed.
                using var bitmap = new SKBitmap((int)MathF.Ceiling(frame.Width * RasterScale), (int)MathF.Ceiling(frame.Height * RasterScale), SKColorType.Rgba8888, SKAlphaType.Premul);
                using (var raster = new SKCanvas(bitmap))
                {
                    raster.Clear(SKColors.Transparent);
                    raster.Scale(RasterScale);
                    raster.Translate(-frame.Left, -frame.Top);
                    Dots(raster);
                }
                using var image = SKImage.FromBitmap(bitmap);
                c.DrawImage(image, frame);
            }
            using var labelPaint = new SKPaint { Color = placeColour, IsAntialias = true };
            // A white halo under each name keeps it readable over dense dots.
            using var halo = new SKPaint { Color = SKColors.White.WithAlpha(220), IsAntialias = true, Style = SKPaintStyle.Stroke, StrokeWidth = 2.4f, StrokeJoin = SKStrokeJoin.Round };
            foreach (var (name, at) in labels)
            {
                page.TextDrawer.Draw(c, name, at.X, at.Y, SKTextAlign.Center, font, halo);
                page.TextDrawer.Draw(c, name, at.X, at.Y, SKTextAlign.Center, font, labelPaint);
            }
            using var bar = new SKPaint { Color = SKColors.Black, StrokeWidth = 1.2f, Style = SKPaintStyle.Stroke };
            c.DrawLine(barLeft, barY, barLeft + barLength, barY, bar);
            c.DrawLine(barLeft, barY - 3, barLeft, barY + 1, bar);
            c.DrawLine(barLeft + barLength, barY - 3, barLeft + barLength, barY + 1, bar);
            using var ink = new SKPaint { Color = SKColors.Black, IsAntialias = true };
            page.TextDrawer.Draw(c, barLabel, barLeft, barY - 5, SKTextAlign.Left, font, ink);
            c.Restore();
            c.DrawRect(frame, border);
        });
        page.Y = frame.Bottom + 6;

        // The legend, in reading order.
        var x = ReportPdf.Margin;
        foreach (var (label, colour, area) in new[] { (words["MapHazards"], hazardColour, true), (words["MapAccidents"], accidentColour, false), (words["MapFinds"], findColour, false) })
        {
            var swatchX = page.RightToLeft ? ReportPdf.PageWidth - x - 10 : x;
            var y = page.Y;
            page.Draw(c =>
            {
                using var paint = new SKPaint { Color = area ? colour.WithAlpha(140) : colour, IsAntialias = true };
                if (area) c.DrawRect(swatchX, y + 2, 10, 7, paint);
                else c.DrawCircle(swatchX + 5, y + 5.5f, 2.5f, paint);
            });
            page.Label(label, x + 14, y + 9, SKTextAlign.Left, font, SKColors.Black);
            x += 14 + page.TextDrawer.Measure(label, font) + 18;
        }
        page.Y += LegendHeight;
    }
}
