using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Groundtruth.Analysis.Statistics;
using Groundtruth.Application.Statistics;
using Groundtruth.Domain;

namespace Groundtruth.Application.Quality;

/// <summary>The data-quality report as text (each check, its findings, the records named) or JSON.</summary>
public static class CheckOutput
{
    public static string Table(QualityReport report, int listed = 10)
    {
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"Data-quality report: {report.Errors} error(s), {report.Warnings} warning(s). Nothing was changed.");
        foreach (var check in report.Checks)
        {
            sb.AppendLine();
            var mark = check.Findings.Count == 0 ? "ok" : SnakeCase.Of(check.Severity);
            sb.AppendLine(CultureInfo.InvariantCulture, $"[{mark}] {check.Name}: {check.Findings.Count} finding(s)");
            foreach (var line in StatsOutput.Wrap(check.Description, 96)) sb.AppendLine("    " + line);
            foreach (var f in check.Findings.Take(listed))
            {
                var ids = string.Join(", ", f.RecordIds.Take(8)) + (f.RecordIds.Count > 8 ? $", … ({f.RecordIds.Count} records)" : "");
                sb.AppendLine(CultureInfo.InvariantCulture, $"  - {f.Dataset} {ids}: {f.Message}");
            }
            if (check.Findings.Count > listed) sb.AppendLine(CultureInfo.InvariantCulture, $"  … and {check.Findings.Count - listed} more (--format json lists all)");
        }
        sb.AppendLine();
        sb.AppendLine(CultureInfo.InvariantCulture, $"Computed at {StatsOutput.Timestamp(report.ComputedAt)} (recorded time).");
        return sb.ToString();
    }

    public static string Json(QualityReport report)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteNumber("errors", report.Errors);
            w.WriteNumber("warnings", report.Warnings);
            w.WritePropertyName("checks");
            w.WriteStartArray();
            foreach (var c in report.Checks)
            {
                w.WriteStartObject();
                w.WriteString("check", c.Name);
                w.WriteString("severity", SnakeCase.Of(c.Severity));
                w.WriteString("description", c.Description);
                w.WritePropertyName("findings");
                w.WriteStartArray();
                foreach (var f in c.Findings)
                {
                    w.WriteStartObject();
                    w.WriteString("dataset", f.Dataset);
                    w.WritePropertyName("records");
                    w.WriteStartArray();
                    foreach (var id in f.RecordIds) w.WriteStringValue(id);
                    w.WriteEndArray();
                    w.WriteString("message", f.Message);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteString("computed_at", StatsOutput.Timestamp(report.ComputedAt));
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }
}
