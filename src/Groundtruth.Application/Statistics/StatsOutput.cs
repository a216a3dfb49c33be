using System.Globalization;
using System.Text;
using System.Text.Json;
using Groundtruth.Analysis.Statistics;

namespace Groundtruth.Application.Statistics;

/// <summary>
/// Renders a <see cref="StatsReport"/> as JSON (the contract of DESIGN section 5, identical from the CLI and
/// the HTTP API), as a table with the definition in words under the figures, or as CSV.
/// </summary>
public static class StatsOutput
{
    public const string JsonMediaType = "application/json";

    /// <summary>Shares are given to six decimals.</summary>
    public static double? Share(double? share) => share is { } s ? Math.Round(s, 6, MidpointRounding.AwayFromZero) : null;

    public static string Timestamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string Json(StatsReport report)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            var f = report.Figures;
            w.WriteStartObject();
            w.WriteString("dataset", report.Dataset.Name);
            if (report.IncludesPending) w.WriteBoolean("includes_pending", true);
            w.WritePropertyName("filters");
            w.WriteStartObject();
            WriteDate(w, "from", report.From);
            WriteDate(w, "to", report.To);
            w.WritePropertyName("where");
            w.WriteStartArray();
            foreach (var x in report.Where)
            {
                w.WriteStartObject();
                w.WriteString("field", x.Field);
                w.WriteString("value", x.Value);
                WriteNumber(w, "unknown_left_out", x.UnknownLeftOut);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WritePropertyName("in");
            if (report.In is { } p)
            {
                w.WriteStartObject();
                w.WriteString("id", p.Id);
                w.WriteString("name", p.Name);
                w.WriteString("kind", p.Kind);
                w.WriteEndObject();
            }
            else
            {
                w.WriteNullValue();
            }
            w.WritePropertyName("by");
            w.WriteStartArray();
            foreach (var b in report.By) w.WriteStringValue(b);
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteString("definition", report.Definition);
            WriteNumber(w, "total", f.Total);
            if (report.CountsDevices) WriteNumber(w, "records", f.Records);
            w.WritePropertyName("known");
            w.WriteStartObject();
            foreach (var t in f.Fields) WriteNumber(w, t.Field, t.Known);
            w.WriteEndObject();
            w.WritePropertyName("unknown");
            w.WriteStartObject();
            foreach (var t in f.Fields) WriteNumber(w, t.Field, t.Unknown);
            w.WriteEndObject();
            if (f.Fields.Count > 1) WriteNumber(w, "known_on_every_field", f.KnownOnEveryField);
            WriteNumber(w, "straddling", f.Straddling);
            if (report.CountsDevices) WriteNumber(w, "straddling_records", f.StraddlingRecords);
            if (f.Undated is not 0) WriteNumber(w, "undated", f.Undated);
            w.WritePropertyName("groups");
            w.WriteStartArray();
            foreach (var g in f.Groups)
            {
                w.WriteStartObject();
                for (var k = 0; k < report.By.Count; k++)
                {
                    w.WriteString(report.By[k], g.Values[k]);
                    if (report.By[k] == "place") w.WriteString("place_name", g.Labels[k] is { } l && g.Values[k] != StatsColumn.Unknown ? l : null);
                }
                WriteNumber(w, "count", g.Count);
                if (report.CountsDevices) WriteNumber(w, "records", g.Records);
                w.WritePropertyName("share_of_known");
                if (Share(g.ShareOfKnown) is { } s) w.WriteNumberValue(s);
                else w.WriteNullValue();
                if (g.Suppressed) w.WriteBoolean("suppressed", true);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            if (f.SmallCellsSuppressed)
            {
                w.WriteBoolean("small_cells_suppressed", true);
                w.WriteNumber("small_cell_threshold", StatsEngine.SmallCell);
            }
            w.WriteString("computed_at", Timestamp(report.ComputedAt));
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    private static void WriteDate(Utf8JsonWriter w, string name, DateOnly? date)
    {
        if (date is { } d) w.WriteString(name, d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        else w.WriteNull(name);
    }

    private static void WriteNumber(Utf8JsonWriter w, string name, long? value)
    {
        if (value is { } v) w.WriteNumber(name, v);
        else w.WriteNull(name);
    }

    /// <summary>The figures as an aligned table, then the exclusions, the definition in words and the time of computation.</summary>
    public static string Table(StatsReport report, int width = 100)
    {
        var f = report.Figures;
        var sb = new StringBuilder();
        sb.AppendLine(Title(report));
        sb.AppendLine();
        var unit = report.CountsDevices ? "devices" : "count";
        var headers = new List<string>();
        // Without grouping the one group is the total: the table is a single "total" row under an empty label column.
        if (report.By.Count == 0) headers.Add("");
        foreach (var b in report.By)
        {
            headers.Add(b);
            if (b == "place") headers.Add("place_name");
        }
        headers.Add(unit);
        if (report.CountsDevices) headers.Add("records");
        if (report.By.Count > 0) headers.Add("share of known");
        var rows = new List<string[]>();
        foreach (var g in report.By.Count == 0 ? [] : f.Groups)
        {
            var row = new List<string>();
            for (var k = 0; k < report.By.Count; k++)
            {
                row.Add(g.Values[k]);
                if (report.By[k] == "place") row.Add(g.Values[k] == StatsColumn.Unknown ? "(outside every place or no point)" : g.Labels[k] ?? "");
            }
            row.Add(Count(g.Count));
            if (report.CountsDevices) row.Add(Count(g.Records));
            row.Add(g.Suppressed ? "suppressed" : g.ShareOfKnown is { } s ? Percent(s) : "–");
            rows.Add([.. row]);
        }
        var totalRow = new List<string>();
        var labelColumns = headers.Count - (report.CountsDevices ? 2 : 1) - (report.By.Count > 0 ? 1 : 0);
        totalRow.Add("total");
        for (var k = 1; k < labelColumns; k++) totalRow.Add("");
        totalRow.Add(Count(f.Total));
        if (report.CountsDevices) totalRow.Add(Count(f.Records));
        if (report.By.Count > 0) totalRow.Add("");
        rows.Add([.. totalRow]);
        var widths = headers.Select((h, c) => Math.Max(h.Length, rows.Max(r => r[c].Length))).ToArray();
        bool Numeric(int c) => c >= labelColumns;
        string Line(IReadOnlyList<string> cells) => string.Join("  ", cells.Select((x, c) => Numeric(c) ? x.PadLeft(widths[c]) : x.PadRight(widths[c]))).TrimEnd();
        sb.AppendLine(Line(headers));
        sb.AppendLine(string.Join("  ", widths.Select(x => new string('-', x))));
        for (var r = 0; r < rows.Count; r++)
        {
            if (r == rows.Count - 1 && rows.Count > 1) sb.AppendLine(string.Join("  ", widths.Select(x => new string('-', x))));
            sb.AppendLine(Line(rows[r]));
        }
        sb.AppendLine();
        foreach (var t in f.Fields)
            sb.AppendLine(CultureInfo.InvariantCulture, $"{t.Field}: known {Count(t.Known)}, unknown {Count(t.Unknown)}");
        if (f.Fields.Count > 1) sb.AppendLine(CultureInfo.InvariantCulture, $"known on every field: {Count(f.KnownOnEveryField)}");
        if (report.From is not null || report.To is not null)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"straddling the window (counted beside, not in): {Count(f.Straddling)}{(report.CountsDevices ? $" devices in {Count(f.StraddlingRecords)} records" : "")}");
            if (f.Undated is not 0) sb.AppendLine(CultureInfo.InvariantCulture, $"undated (counted beside, not in): {Count(f.Undated)}");
        }
        foreach (var w in report.Where.Where(w => w.Value != StatsColumn.Unknown))
            sb.AppendLine(CultureInfo.InvariantCulture, $"--where {w.Field}={w.Value} left out {Count(w.UnknownLeftOut)} {(report.CountsDevices ? "devices" : "records")} whose {w.Field} is unknown");
        sb.AppendLine();
        sb.AppendLine("Definition:");
        foreach (var line in Wrap(report.Definition, width)) sb.AppendLine("  " + line);
        sb.AppendLine();
        if (report.IncludesPending) sb.AppendLine("Includes pending data (submissions not yet approved).");
        sb.AppendLine(CultureInfo.InvariantCulture, $"Computed at {Timestamp(report.ComputedAt)} (recorded time).");
        return sb.ToString();
    }

    /// <summary>One line naming the question: dataset, window, conditions, place, grouping.</summary>
    public static string Title(StatsReport report)
    {
        var parts = new List<string> { report.Dataset.Name };
        if (report.From is not null || report.To is not null) parts.Add(StatsDefinitions.Window(report.From, report.To, CultureInfo.InvariantCulture));
        parts.AddRange(report.Where.Select(w => $"{w.Field} = {w.Value}"));
        if (report.In is { } p) parts.Add($"in {p.Name} ({p.Id})");
        if (report.By.Count > 0) parts.Add("by " + string.Join(", ", report.By));
        return string.Join(" · ", parts);
    }

    /// <summary>One row per group (the by fields, count, records for finds, share_of_known), or one row of the total.</summary>
    public static string Csv(StatsReport report)
    {
        var sb = new StringBuilder();
        var header = new List<string>();
        foreach (var b in report.By)
        {
            header.Add(b);
            if (b == "place") header.Add("place_name");
        }
        header.Add("count");
        if (report.CountsDevices) header.Add("records");
        header.Add("share_of_known");
        header.Add("suppressed");
        sb.AppendLine(string.Join(',', header.Select(CsvField)));
        foreach (var g in report.By.Count == 0 ? [] : report.Figures.Groups)
        {
            var row = new List<string>();
            for (var k = 0; k < report.By.Count; k++)
            {
                row.Add(g.Values[k]);
                if (report.By[k] == "place") row.Add(g.Values[k] == StatsColumn.Unknown ? "" : g.Labels[k] ?? "");
            }
            var cells = row.Select(CsvField).ToList();
            cells.Add(Raw(g.Count));
            if (report.CountsDevices) cells.Add(Raw(g.Records));
            cells.Add(Share(g.ShareOfKnown)?.ToString("R", CultureInfo.InvariantCulture) ?? "");
            cells.Add(g.Suppressed ? "true" : "false");
            sb.AppendLine(string.Join(',', cells));
        }
        if (report.By.Count == 0)
        {
            var row = new List<string> { Raw(report.Figures.Total) };
            if (report.CountsDevices) row.Add(Raw(report.Figures.Records));
            row.Add("");
            row.Add(report.Figures.Total is null ? "true" : "false");
            sb.AppendLine(string.Join(',', row));
        }
        return sb.ToString();
    }

    private static string Raw(long? v) => v?.ToString(CultureInfo.InvariantCulture) ?? "";

    private static string CsvField(string s) => Export.CsvCell.Text(s);

    public static string Count(long? v) => v?.ToString("N0", CultureInfo.InvariantCulture) ?? $"<{StatsEngine.SmallCell}";

    public static string Percent(double share) => (share * 100).ToString("F1", CultureInfo.InvariantCulture) + " %";

    public static IEnumerable<string> Wrap(string text, int width)
    {
        var line = new StringBuilder();
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.Length > 0 && line.Length + 1 + word.Length > width)
            {
                yield return line.ToString();
                line.Clear();
            }
            if (line.Length > 0) line.Append(' ');
            line.Append(word);
        }
        if (line.Length > 0) yield return line.ToString();
    }
}
