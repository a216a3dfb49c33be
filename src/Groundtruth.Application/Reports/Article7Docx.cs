using System.Globalization;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using Groundtruth.Domain;

namespace Groundtruth.Application.Reports;

/// <summary>
/// The Article 7 report as a Word document (<c>.docx</c>, Office Open XML) in the layout of the Convention's
/// reporting forms: form C (areas containing or suspected to contain anti-personnel mines, at the start and end
/// of the year, by place, then each area), form F (land released and areas completed in the year, devices
/// destroyed), and an annex naming the records behind every figure. A State Party copies the tables into its report.
/// </summary>
public static class Article7Docx
{
    public static void Write(Article7Report r, string path)
    {
        using var document = WordprocessingDocument.Create(path, WordprocessingDocumentType.Document);
        var main = document.AddMainDocumentPart();
        var body = new Body();
        main.Document = new Document(body);
        var inv = CultureInfo.InvariantCulture;
        string M2(double v) => v.ToString("N0", inv);

        body.Append(Heading($"Anti-Personnel Mine Ban Convention — Article 7 report for the calendar year {r.Year}", 1));
        body.Append(Text("Figures from the national mine action database (Groundtruth). Areas are those whose contamination lists anti-personnel or improvised (victim-activated) mines and whose status is open or worked on; their size is what remains of them (the area minus its released land) in square metres. \"1 January\" and \"31 December\" are the state by date of information on those days. An area with 0 m² remaining is reported as completed, not as mined. The annex lists the records behind each figure."));

        body.Append(Heading("Form C — Location of mined areas", 2));
        foreach (var (title, areas) in new[] { ($"On 1 January {r.Year}", r.AtStart), ($"On 31 December {r.Year}", r.AtEnd) })
        {
            body.Append(Heading(title, 3));
            var byPlace = areas.GroupBy(a => a.Place ?? "(no place)").OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
            var rows = byPlace.Select(g => new[]
            {
                g.Key,
                Count(g, HazardClassification.Confirmed, HazardClassification.Defined), M2(Sum(g, HazardClassification.Confirmed, HazardClassification.Defined)),
                Count(g, HazardClassification.Suspected), M2(Sum(g, HazardClassification.Suspected)),
            }).ToList();
            rows.Add(["Total", Count(areas, HazardClassification.Confirmed, HazardClassification.Defined), M2(Sum(areas, HazardClassification.Confirmed, HazardClassification.Defined)),
                Count(areas, HazardClassification.Suspected), M2(Sum(areas, HazardClassification.Suspected))]);
            body.Append(Table(["Province / district", "Confirmed areas", "Confirmed m²", "Suspected areas", "Suspected m²"], rows, totalRow: true));
            body.Append(Table(["Province / district", "Area", "Name", "Known or suspected", "Mine types", "Remaining m²"],
                [.. areas.OrderBy(a => a.Place, StringComparer.Ordinal).ThenBy(a => a.Id, StringComparer.Ordinal).Select(a => new[]
                {
                    a.Place ?? "", a.Id, a.Name ?? "", Known(a.Classification), (a.Contamination ?? "").Replace(";", ", ", StringComparison.Ordinal), M2(a.ResidualM2),
                })], totalRow: false));
        }

        body.Append(Heading($"Form F — Land released and areas completed in {r.Year}", 2));
        body.Append(Text("Cancelled by non-technical survey, reduced by technical survey, cleared (IMAS 07.11); outputs dated within the year."));
        var methods = new (string Name, double All, double Mined)[]
        {
            ("Cancelled", r.Released.Cancelled, r.ReleasedInMinedAreas.Cancelled),
            ("Reduced", r.Released.Reduced, r.ReleasedInMinedAreas.Reduced),
            ("Cleared", r.Released.Cleared, r.ReleasedInMinedAreas.Cleared),
        };
        body.Append(Table(["Method", "All land, m²", "In areas with anti-personnel mines, m²"],
            [.. methods.Select(m => new[] { m.Name, M2(m.All), M2(m.Mined) }), ["Total", M2(r.Released.Total), M2(r.ReleasedInMinedAreas.Total)]], totalRow: true));
        body.Append(Heading("Areas completed", 3));
        body.Append(Text(r.Completed.Count == 0 ? "No area was completed during the year." : "Mined on 1 January (or recorded during the year) and not on 31 December. An area with 0 m² remaining is completed even while its status still reads open or worked on."));
        if (r.Completed.Count > 0)
            body.Append(Table(["Province / district", "Area", "Name", "Known or suspected", "m² on 1 January", "Why"],
                [.. r.Completed.Select(c => new[] { c.Area.Place ?? "", c.Area.Id, c.Area.Name ?? "", Known(c.Area.Classification), c.M2AtStart is { } m2 ? M2(m2) : "recorded during the year", c.Reason }),
                 ["Total", r.Completed.Count.ToString(inv) + " area(s)", "", "", M2(r.Completed.Sum(c => c.M2AtStart ?? 0)), ""]], totalRow: true));
        body.Append(Heading("Anti-personnel mines and other devices destroyed", 3));
        body.Append(Table(["Category", "Devices", "Finds"],
            [.. r.Destroyed.Select(d => new[] { Words(d.Category), d.Devices.ToString("N0", inv), d.Records.ToString("N0", inv) }),
             ["Total", r.Destroyed.Sum(d => d.Devices).ToString("N0", inv), r.Destroyed.Sum(d => d.Records).ToString("N0", inv)]], totalRow: true));

        body.Append(Heading("Annex — the records behind each figure", 2));
        var annex = new List<string[]>();
        void Line(string figure, IEnumerable<string> ids) => annex.Add([figure, string.Join(", ", ids) is { Length: > 0 } s ? s : "none"]);
        Line($"Mined areas on 1 January {r.Year} (hazardous areas)", r.AtStart.Select(a => a.Id));
        Line($"… on 1 January, their released land subtracted (land release outputs)", r.AtStart.SelectMany(a => a.ReleaseIds).Distinct().Order(StringComparer.Ordinal));
        Line($"Mined areas on 31 December {r.Year} (hazardous areas)", r.AtEnd.Select(a => a.Id));
        Line($"… on 31 December, their released land subtracted (land release outputs)", r.AtEnd.SelectMany(a => a.ReleaseIds).Distinct().Order(StringComparer.Ordinal));
        Line("Areas completed (hazardous areas)", r.Completed.Select(c => c.Area.Id));
        Line("… the land release outputs that completed them", r.Completed.SelectMany(c => c.ReleaseIds).Distinct().Order(StringComparer.Ordinal));
        foreach (var (name, method) in new[] { ("Cancelled", ReleaseMethod.Cancelled), ("Reduced", ReleaseMethod.Reduced), ("Cleared", ReleaseMethod.Cleared) })
        {
            Line($"{name}, all land (land release outputs)", r.ReleaseRecords.Where(x => x.Method == method).Select(x => x.Id));
            Line($"{name}, in areas with anti-personnel mines (land release outputs)", r.ReleaseRecords.Where(x => x.Method == method && x.InMinedArea).Select(x => x.Id));
        }
        foreach (var (category, _, _) in r.Destroyed) Line($"Destroyed: {Words(category)} (finds)", r.FindIds.GetValueOrDefault(category, []));
        body.Append(Table(["Figure", "Record ids"], annex, totalRow: false));
        body.Append(Text($"Computed at {r.ComputedAt.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ} (recorded time) by Groundtruth."));
        body.Append(new SectionProperties(new PageSize { Width = 16838, Height = 11906, Orient = PageOrientationValues.Landscape },
            new PageMargin { Top = 1000, Bottom = 1000, Left = 1000, Right = 1000, Header = 500, Footer = 500, Gutter = 0 }));
        main.Document.Save();
    }

    /// <summary>A4 landscape (16,838 twips) less two 1,000-twip margins.</summary>
    private const int TextWidthTwips = 16838 - 2 * 1000;

    private static string Count(IEnumerable<Article7Area> areas, params HazardClassification[] classes) =>
        areas.Count(a => classes.Contains(a.Classification)).ToString("N0", CultureInfo.InvariantCulture);

    private static double Sum(IEnumerable<Article7Area> areas, params HazardClassification[] classes) =>
        areas.Where(a => classes.Contains(a.Classification)).Sum(a => a.ResidualM2);

    /// <summary>The form's "known or suspected": a defined area (IMAS 04.10) is a known one.</summary>
    private static string Known(HazardClassification c) => c == HazardClassification.Suspected ? "suspected" : $"known ({SnakeCase.Of(c)})";

    private static string Words(OrdnanceCategory c) => SnakeCase.Of(c).Replace('_', ' ');

    private static Paragraph Heading(string text, int level)
    {
        var size = level switch { 1 => "32", 2 => "28", _ => "24" };
        return new Paragraph(
            new ParagraphProperties(new KeepNext(), new SpacingBetweenLines { Before = level == 1 ? "0" : "240", After = "120" }),
            new Run(new RunProperties(new Bold(), new FontSize { Val = size }), new Text(text)));
    }

    private static Paragraph Text(string text) =>
        new(new ParagraphProperties(new SpacingBetweenLines { After = "120" }), new Run(new RunProperties(new FontSize { Val = "20" }), new Text(text) { Space = SpaceProcessingModeValues.Preserve }));

    private static Table Table(string[] header, List<string[]> rows, bool totalRow)
    {
        var border = new Func<OpenXmlElement>[]
        {
            // In the schema's order: top, left, bottom, right, inside.
            () => new TopBorder { Val = BorderValues.Single, Size = 4 }, () => new LeftBorder { Val = BorderValues.Single, Size = 4 },
            () => new BottomBorder { Val = BorderValues.Single, Size = 4 }, () => new RightBorder { Val = BorderValues.Single, Size = 4 },
            () => new InsideHorizontalBorder { Val = BorderValues.Single, Size = 4 }, () => new InsideVerticalBorder { Val = BorderValues.Single, Size = 4 },
        };
        var table = new Table(new TableProperties(
            new TableWidth { Type = TableWidthUnitValues.Pct, Width = "5000" },
            new TableBorders(border.Select(b => b())),
            new TableLayout { Type = TableLayoutValues.Autofit }));
        // The grid Word requires: the landscape page's text width shared equally, refined by autofit.
        table.Append(new TableGrid(header.Select(_ => new GridColumn { Width = (TextWidthTwips / header.Length).ToString(CultureInfo.InvariantCulture) })));
        table.Append(Row(header, bold: true, isHeader: true));
        for (var i = 0; i < rows.Count; i++) table.Append(Row(rows[i], bold: totalRow && i == rows.Count - 1, isHeader: false));
        return table;
    }

    private static TableRow Row(string[] cells, bool bold, bool isHeader)
    {
        var row = new TableRow();
        if (isHeader) row.Append(new TableRowProperties(new TableHeader()));
        foreach (var cell in cells)
        {
            var numeric = cell.Length > 0 && (char.IsAsciiDigit(cell[0]) || cell[0] == '-') && cell.All(c => char.IsAsciiDigit(c) || c is ',' or '.' or '-');
            var run = new Run(new RunProperties(new FontSize { Val = "18" }), new Text(cell) { Space = SpaceProcessingModeValues.Preserve });
            if (bold) run.RunProperties!.PrependChild(new Bold());
            row.Append(new TableCell(new Paragraph(
                new ParagraphProperties(new SpacingBetweenLines { After = "0" }, new Justification { Val = numeric ? JustificationValues.Right : JustificationValues.Left }),
                run)));
        }
        return row;
    }
}
