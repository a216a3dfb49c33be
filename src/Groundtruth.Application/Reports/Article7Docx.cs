using System.Globalization;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using Groundtruth.Application.Resources;
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
    /// <summary>The report in English.</summary>
    public static void Write(Article7Report r, string path) => Write(r, path, ReportText.English);

    /// <summary>The report in <paramref name="text"/>'s language, figures in its culture's format; ids and places as recorded.</summary>
    public static void Write(Article7Report r, string path, ReportText text)
    {
        using var document = WordprocessingDocument.Create(path, WordprocessingDocumentType.Document);
        var main = document.AddMainDocumentPart();
        var body = new Body();
        main.Document = new Document(body);
        var rtl = text.RightToLeft;
        string M2(double v) => text.Number(v);
        string N(long v) => text.Count(v);
        string Known(HazardClassification c) =>
            c == HazardClassification.Suspected ? text["A7DocxSuspected"] : text.Format("A7DocxKnown", Labels.Value(c, text.Culture));
        string Words(OrdnanceCategory c) => Labels.Value(c, text.Culture);
        var start = text.Date(new DateOnly(r.Year, 1, 1));
        var end = text.Date(new DateOnly(r.Year, 12, 31));

        body.Append(Heading(text.Format("A7DocxTitle", r.Year), 1, rtl));
        body.Append(Text(text["A7DocxIntro"], rtl));

        body.Append(Heading(text["A7DocxFormC"], 2, rtl));
        foreach (var (day, areas) in new[] { (start, r.AtStart), (end, r.AtEnd) })
        {
            body.Append(Heading(text.Format("A7DocxOn", day), 3, rtl));
            var byPlace = areas.GroupBy(a => a.Place ?? text["A7DocxNoPlace"]).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
            var rows = byPlace.Select(g => new[]
            {
                g.Key,
                Count(g, HazardClassification.Confirmed, HazardClassification.Defined), M2(Sum(g, HazardClassification.Confirmed, HazardClassification.Defined)),
                Count(g, HazardClassification.Suspected), M2(Sum(g, HazardClassification.Suspected)),
            }).ToList();
            rows.Add([text["A7DocxTotal"], Count(areas, HazardClassification.Confirmed, HazardClassification.Defined), M2(Sum(areas, HazardClassification.Confirmed, HazardClassification.Defined)),
                Count(areas, HazardClassification.Suspected), M2(Sum(areas, HazardClassification.Suspected))]);
            body.Append(Table([text["A7DocxProvince"], text["A7DocxConfirmedAreas"], text["A7DocxConfirmedM2"], text["A7DocxSuspectedAreas"], text["A7DocxSuspectedM2"]], rows, totalRow: true, rtl));
            body.Append(Table([text["A7DocxProvince"], text["A7DocxArea"], text["A7DocxName"], text["A7DocxKnownOrSuspected"], text["A7DocxMineTypes"], text["A7DocxRemainingM2"]],
                [.. areas.OrderBy(a => a.Place, StringComparer.Ordinal).ThenBy(a => a.Id, StringComparer.Ordinal).Select(a => new[]
                {
                    a.Place ?? "", a.Id, a.Name ?? "", Known(a.Classification),
                    string.Join(", ", (a.Contamination ?? "").Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                        .Select(c => Labels.Value(typeof(OrdnanceCategory), c, text.Culture))),
                    M2(a.ResidualM2),
                })], totalRow: false, rtl));
        }

        body.Append(Heading(text.Format("A7DocxFormF", r.Year), 2, rtl));
        body.Append(Text(text["A7ReleasedNote"], rtl));
        var methods = new (string Name, double All, double Mined)[]
        {
            (text["A7DocxCancelled"], r.Released.Cancelled, r.ReleasedInMinedAreas.Cancelled),
            (text["A7DocxReduced"], r.Released.Reduced, r.ReleasedInMinedAreas.Reduced),
            (text["A7DocxCleared"], r.Released.Cleared, r.ReleasedInMinedAreas.Cleared),
        };
        body.Append(Table([text["A7DocxMethod"], text["A7DocxAllLandM2"], text["A7DocxInMinedM2"]],
            [.. methods.Select(m => new[] { m.Name, M2(m.All), M2(m.Mined) }), [text["A7DocxTotal"], M2(r.Released.Total), M2(r.ReleasedInMinedAreas.Total)]], totalRow: true, rtl));
        body.Append(Heading(text["A7DocxAreasCompleted"], 3, rtl));
        body.Append(Text(r.Completed.Count == 0 ? text["A7DocxNoneCompleted"] : text["A7CompletedNote"], rtl));
        if (r.Completed.Count > 0)
            body.Append(Table([text["A7DocxProvince"], text["A7DocxArea"], text["A7DocxName"], text["A7DocxKnownOrSuspected"], text.Format("A7DocxM2On", start), text["A7DocxWhy"]],
                [.. r.Completed.Select(c => new[] { c.Area.Place ?? "", c.Area.Id, c.Area.Name ?? "", Known(c.Area.Classification), c.M2AtStart is { } m2 ? M2(m2) : text["A7DuringYear"], c.Why(text) }),
                 [text["A7DocxTotal"], text.Format("A7DocxAreas", r.Completed.Count), "", "", M2(r.Completed.Sum(c => c.M2AtStart ?? 0)), ""]], totalRow: true, rtl));
        body.Append(Heading(text["A7DocxDestroyed"], 3, rtl));
        body.Append(Table([text["A7DocxCategory"], text["A7DocxDevices"], text["A7DocxFinds"]],
            [.. r.Destroyed.Select(d => new[] { Words(d.Category), N(d.Devices), N(d.Records) }),
             [text["A7DocxTotal"], N(r.Destroyed.Sum(d => d.Devices)), N(r.Destroyed.Sum(d => d.Records))]], totalRow: true, rtl));

        body.Append(Heading(text["A7DocxAnnex"], 2, rtl));
        var annex = new List<string[]>();
        void Line(string figure, IEnumerable<string> ids) => annex.Add([figure, string.Join(", ", ids) is { Length: > 0 } s ? s : text["A7DocxNone"]]);
        Line(text.Format("A7DocxAnnexMined", start), r.AtStart.Select(a => a.Id));
        Line(text.Format("A7DocxAnnexMinedReleased", start), r.AtStart.SelectMany(a => a.ReleaseIds).Distinct().Order(StringComparer.Ordinal));
        Line(text.Format("A7DocxAnnexMined", end), r.AtEnd.Select(a => a.Id));
        Line(text.Format("A7DocxAnnexMinedReleased", end), r.AtEnd.SelectMany(a => a.ReleaseIds).Distinct().Order(StringComparer.Ordinal));
        Line(text["A7DocxAnnexCompleted"], r.Completed.Select(c => c.Area.Id));
        Line(text["A7DocxAnnexCompletedReleases"], r.Completed.SelectMany(c => c.ReleaseIds).Distinct().Order(StringComparer.Ordinal));
        foreach (var (name, method) in new[] { (methods[0].Name, ReleaseMethod.Cancelled), (methods[1].Name, ReleaseMethod.Reduced), (methods[2].Name, ReleaseMethod.Cleared) })
        {
            Line(text.Format("A7DocxAnnexMethodAll", name), r.ReleaseRecords.Where(x => x.Method == method).Select(x => x.Id));
            Line(text.Format("A7DocxAnnexMethodMined", name), r.ReleaseRecords.Where(x => x.Method == method && x.InMinedArea).Select(x => x.Id));
        }
        foreach (var (category, _, _) in r.Destroyed) Line(text.Format("A7DocxAnnexDestroyed", Words(category)), r.FindIds.GetValueOrDefault(category, []));
        body.Append(Table([text["A7DocxFigure"], text["A7DocxRecordIds"]], annex, totalRow: false, rtl));
        body.Append(Text(text.Format("Computed", Statistics.StatsOutput.Timestamp(r.ComputedAt)), rtl));
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

    private static Paragraph Heading(string text, int level, bool rtl)
    {
        var size = level switch { 1 => "32", 2 => "28", _ => "24" };
        var properties = new ParagraphProperties(new KeepNext());
        if (rtl) properties.Append(new BiDi());
        properties.Append(new SpacingBetweenLines { Before = level == 1 ? "0" : "240", After = "120" });
        return new Paragraph(properties, new Run(Font(rtl, size, bold: true), new Text(text)));
    }

    private static Paragraph Text(string text, bool rtl)
    {
        var properties = new ParagraphProperties();
        if (rtl) properties.Append(new BiDi());
        properties.Append(new SpacingBetweenLines { After = "120" });
        return new(properties, new Run(Font(rtl, "20", bold: false), new Text(text) { Space = SpaceProcessingModeValues.Preserve }));
    }

    /// <summary>A run's look; right to left the run is marked so (Word then orders and shapes it as Arabic), its size set for complex scripts too.</summary>
    private static RunProperties Font(bool rtl, string size, bool bold)
    {
        var properties = new RunProperties();
        if (bold) properties.Append(new Bold(), new BoldComplexScript());
        properties.Append(new FontSize { Val = size }, new FontSizeComplexScript { Val = size });
        if (rtl) properties.Append(new RightToLeftText());
        return properties;
    }

    private static Table Table(string[] header, List<string[]> rows, bool totalRow, bool rtl)
    {
        var border = new Func<OpenXmlElement>[]
        {
            // In the schema's order: top, left, bottom, right, inside.
            () => new TopBorder { Val = BorderValues.Single, Size = 4 }, () => new LeftBorder { Val = BorderValues.Single, Size = 4 },
            () => new BottomBorder { Val = BorderValues.Single, Size = 4 }, () => new RightBorder { Val = BorderValues.Single, Size = 4 },
            () => new InsideHorizontalBorder { Val = BorderValues.Single, Size = 4 }, () => new InsideVerticalBorder { Val = BorderValues.Single, Size = 4 },
        };
        var tableProperties = new TableProperties();
        // In the schema's order: bidiVisual comes before the width; right to left the first column is at the right.
        if (rtl) tableProperties.Append(new BiDiVisual());
        tableProperties.Append(new TableWidth { Type = TableWidthUnitValues.Pct, Width = "5000" }, new TableBorders(border.Select(b => b())), new TableLayout { Type = TableLayoutValues.Autofit });
        var table = new Table(tableProperties);
        // The grid Word requires: the landscape page's text width shared equally, refined by autofit.
        table.Append(new TableGrid(header.Select(_ => new GridColumn { Width = (TextWidthTwips / header.Length).ToString(CultureInfo.InvariantCulture) })));
        table.Append(Row(header, bold: true, isHeader: true, rtl));
        for (var i = 0; i < rows.Count; i++) table.Append(Row(rows[i], bold: totalRow && i == rows.Count - 1, isHeader: false, rtl));
        return table;
    }

    private static TableRow Row(string[] cells, bool bold, bool isHeader, bool rtl)
    {
        var row = new TableRow();
        if (isHeader) row.Append(new TableRowProperties(new TableHeader()));
        foreach (var cell in cells)
        {
            // A figure in any culture's format: digits with its group and decimal separators (a space, a no-break space…).
            var numeric = cell.Length > 0 && (char.IsDigit(cell[0]) || cell[0] == '-') && cell.All(c => char.IsDigit(c) || c is ',' or '.' or '-' or ' ' or '\u00a0' or '\u202f' or '\u066b' or '\u066c');
            var run = new Run(Font(rtl, "18", bold), new Text(cell) { Space = SpaceProcessingModeValues.Preserve });
            var properties = new ParagraphProperties();
            if (rtl) properties.Append(new BiDi());
            // Start and end follow the paragraph's direction: text at its start, figures at its end.
            properties.Append(new SpacingBetweenLines { After = "0" }, new Justification { Val = numeric ? JustificationValues.End : JustificationValues.Start });
            row.Append(new TableCell(new Paragraph(properties, run)));
        }
        return row;
    }
}
