using System.Globalization;
using System.Net;
using System.Text;

namespace Groundtruth.Application.Reports;

/// <summary>The report as one self-contained HTML file: inline style, charts as inline SVG, no external asset.</summary>
public static class ReportHtml
{
    private const string Style = """
        body{font-family:"DejaVu Sans",Arial,sans-serif;max-width:960px;margin:2em auto;color:#222;line-height:1.4}
        h1{font-size:1.6em;margin-bottom:.2em}h2{font-size:1.2em;margin-top:1.6em;border-bottom:1px solid #ccc}
        table{border-collapse:collapse;margin:.6em 0}td,th{padding:.2em .7em;border-bottom:1px solid #e4e4e4;text-align:right}
        td:first-child,th:first-child{text-align:start}[dir=rtl] td,[dir=rtl] th{text-align:left}tr.total td{font-weight:bold;border-top:2px solid #888}
        .headlines td.value{font-size:1.2em;font-weight:bold}.headlines td.definition{text-align:left;color:#444;font-size:.9em}
        p{font-size:.92em}figure{margin:.5em 0}svg{max-width:100%;height:auto}
        """;

    public static string Render(SituationReport report) => Render(new ReportDocument(report.Title, report.Period, report.Blocks, report.Text, ReportBranding.None));

    /// <summary>Any report the PDF writer takes (the Article 7 report too), in its language, its footnote last.</summary>
    public static string Render(ReportDocument report)
    {
        var sb = new StringBuilder();
        sb.AppendLine("<!DOCTYPE html>");
        var text = report.Text;
        sb.AppendLine(CultureInfo.InvariantCulture, $"<html lang=\"{text.Culture.Name}\" dir=\"{(text.RightToLeft ? "rtl" : "ltr")}\"><head><meta charset=\"utf-8\">");
        sb.AppendLine(CultureInfo.InvariantCulture, $"<title>{E(report.Title)}</title><style>{Style}</style></head><body>");
        if (report.Branding.ProgrammeName is { Length: > 0 } programme) sb.AppendLine(CultureInfo.InvariantCulture, $"<p class=\"programme\">{E(programme)}</p>");
        sb.AppendLine(CultureInfo.InvariantCulture, $"<h1>{E(report.Title)}</h1>");
        sb.AppendLine(CultureInfo.InvariantCulture, $"<p class=\"period\">{E(text.Format("PeriodLine", report.Period))}</p>");
        foreach (var block in report.Blocks)
        {
            switch (block)
            {
                case ReportHeading h:
                    sb.AppendLine(CultureInfo.InvariantCulture, $"<h2>{E(h.Text)}</h2>");
                    break;
                case ReportParagraph p:
                    sb.AppendLine(CultureInfo.InvariantCulture, $"<p>{E(p.Text)}</p>");
                    break;
                case ReportHeadlines hs:
                    sb.AppendLine("<table class=\"headlines\">");
                    foreach (var f in hs.Figures)
                        sb.AppendLine(CultureInfo.InvariantCulture, $"<tr><th>{E(f.Label)}</th><td class=\"value\">{E(f.Value)}</td><td class=\"definition\">{E(f.Definition)}</td></tr>");
                    sb.AppendLine("</table>");
                    break;
                case ReportTable t:
                    sb.AppendLine("<table><thead><tr>" + string.Concat(t.Header.Select(x => $"<th>{E(x)}</th>")) + "</tr></thead><tbody>");
                    for (var r = 0; r < t.Rows.Count; r++)
                    {
                        var total = t.LastRowIsTotal && r == t.Rows.Count - 1 ? " class=\"total\"" : "";
                        sb.AppendLine("<tr" + total + ">" + string.Concat(t.Rows[r].Select(x => $"<td>{E(x)}</td>")) + "</tr>");
                    }
                    sb.AppendLine("</tbody></table>");
                    break;
                case ReportChart c:
                    sb.AppendLine(CultureInfo.InvariantCulture, $"<figure aria-label=\"{E(c.Title)}\">");
                    if (c.Legend is { Count: > 0 })
                    {
                        // The browser shapes every script, so the HTML keeps ScottPlot's legend beside the chart.
                        var panel = c.Plot.ShowLegend(ScottPlot.Edge.Right);
                        sb.AppendLine(c.Plot.GetSvgXml(c.Width, c.Height));
                        c.Plot.Axes.Remove(panel);
                        c.Plot.HideLegend();
                    }
                    else sb.AppendLine(c.Plot.GetSvgXml(c.Width, c.Height));
                    sb.AppendLine("</figure>");
                    break;
            }
        }
        if (report.Footnote is { Length: > 0 } footnote) sb.AppendLine(CultureInfo.InvariantCulture, $"<p class=\"footnote\">{E(footnote)}</p>");
        sb.AppendLine("</body></html>");
        return sb.ToString();
    }

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
