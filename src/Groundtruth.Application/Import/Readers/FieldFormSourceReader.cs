using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Groundtruth.Application.Datasets;

namespace Groundtruth.Application.Import.Readers;

/// <summary>
/// How field-form exports name their columns (docs/import-mapping.md, "Field forms"): questions carry the dataset's
/// column names, perhaps under group paths (<c>group/field</c> in KoboToolbox, <c>group-field</c> in ODK Central); the
/// servers add metadata columns, which are not data.
/// </summary>
internal static partial class FieldFormNames
{
    /// <summary>The point question of every form.</summary>
    public const string Point = "location";
    /// <summary>The polygon (geoshape) question of the hazardous area form.</summary>
    public const string Shape = "perimeter";

    private static readonly HashSet<string> Metadata = new(StringComparer.Ordinal)
    {
        "start", "end", "today", "deviceid", "subscriberid", "simserial", "phonenumber", "username", "audit", "instanceID",
        "SubmissionDate", "SubmitterID", "SubmitterName", "AttachmentsPresent", "AttachmentsExpected", "Status",
        "ReviewState", "DeviceID", "Edits", "FormVersion", "KEY", "PARENT_KEY",
    };

    /// <summary>Server and form metadata: start/end times, device and submitter, KoboToolbox's <c>_…</c> columns, <c>meta/…</c>.</summary>
    public static bool IsMetadata(string column) =>
        Metadata.Contains(column) || column.StartsWith('_')
        || column.StartsWith("meta/", StringComparison.Ordinal) || column.StartsWith("meta-", StringComparison.Ordinal)
        || column.StartsWith("formhub/", StringComparison.Ordinal);

    /// <summary>The question's name without the groups around it.</summary>
    public static string Strip(string column, FieldFormServer server)
    {
        var i = column.LastIndexOf(server == FieldFormServer.KoboToolbox ? '/' : '-');
        return i < 0 ? column : column[(i + 1)..];
    }

    /// <summary>A geopoint's split column: <c>_location_latitude</c> (KoboToolbox) or <c>location-Latitude</c> (ODK Central).</summary>
    /// <param name="part">0 latitude, 1 longitude, 2 altitude, 3 accuracy.</param>
    public static bool IsSplitPoint(string column, FieldFormServer server, out string question, out int part)
    {
        var m = server == FieldFormServer.KoboToolbox ? KoboSplit().Match(column) : OdkSplit().Match(column);
        question = m.Success ? Strip(m.Groups[1].Value, server) : "";
        part = m.Success ? m.Groups[2].Value.ToLowerInvariant() switch { "latitude" => 0, "longitude" => 1, "altitude" => 2, _ => 3 } : -1;
        return m.Success;
    }

    [GeneratedRegex("^_(.+)_(latitude|longitude|altitude|precision)$")]
    private static partial Regex KoboSplit();

    [GeneratedRegex("^(.+)-(Latitude|Longitude|Altitude|Accuracy)$")]
    private static partial Regex OdkSplit();
}

/// <summary>
/// Reads the submissions of a field-form export, or the rows of one of its repeat groups, as records of a dataset with
/// no mapping: questions by name, a <c>location</c> geopoint as lon/lat with its stated accuracy, a <c>perimeter</c>
/// geoshape as a polygon, select_multiple answers as a list, the submission's instance id as the record id; a repeat
/// row refers to its submission by that id and is numbered within it (<c>uuid-1</c>, <c>uuid-2</c>).
/// </summary>
internal sealed class FieldFormSourceReader : ISourceReader
{
    private readonly FieldFormExport _export;
    private readonly FieldFormTable _table;
    private readonly List<(int Line, Dictionary<string, string?> Values)> _records = [];
    private int _read;

    private FieldFormSourceReader(FieldFormExport export, FieldFormTable table, DatasetSpec? dataset, FieldFormExport.ChildGroup? group)
    {
        _export = export;
        _table = table;
        var problems = new List<ImportProblem>();
        void Problem(int line, string? field, string? value, string reason) =>
            problems.Add(new ImportProblem(export.Path, line, field, value, reason, export.Locate(table, line)));

        Dictionary<string, (string? Id, int Count)>? parents = null;
        if (group is not null)
        {
            parents = new(StringComparer.Ordinal);
            foreach (var row in export.Main.Rows)
            {
                if (export.RowKey(row) is { } key) parents[key] = (export.SubmissionId(row), 0);
            }
        }
        var optionColumns = table.Header.Where(h => export.Server == FieldFormServer.KoboToolbox && h.Contains('/')
                                                    && table.Header.Contains(h[..h.LastIndexOf('/')])).ToHashSet(StringComparer.Ordinal);
        var lists = dataset?.Fields.Where(f => f.Type == FieldType.EnumList).Select(f => f.Name).ToHashSet(StringComparer.Ordinal) ?? [];
        var keepsAccuracy = dataset?.IndexOf("location_accuracy_m") >= 0;
        var columns = new List<string>();

        foreach (var row in table.Rows)
        {
            var values = new Dictionary<string, string?>(StringComparer.Ordinal);
            var point = new string?[4];
            string? pointText = null, shapeText = null;
            foreach (var (column, text) in row.Values)
            {
                if (FieldFormNames.IsSplitPoint(column, export.Server, out var question, out var part) && question == FieldFormNames.Point)
                {
                    point[part] = text;
                    continue;
                }
                if (FieldFormNames.IsMetadata(column) || optionColumns.Contains(column)) continue;
                var name = FieldFormNames.Strip(column, export.Server);
                if (name == FieldFormNames.Point) { pointText = text; continue; }
                if (name == FieldFormNames.Shape) { shapeText = text; continue; }
                values[name] = text is not null && lists.Contains(name) ? string.Join(';', text.Split(' ', StringSplitOptions.RemoveEmptyEntries)) : text;
            }

            if (pointText is not null)
            {
                var parts = pointText.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length is < 2 or > 4 || !parts.All(p => double.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out _)))
                    Problem(row.Line, FieldFormNames.Point, pointText, "not a geopoint: 'latitude longitude altitude accuracy' is expected");
                else
                    for (var i = 0; i < parts.Length; i++) point[i] ??= parts[i];
            }
            if (point[0] is not null || point[1] is not null || pointText is not null || table.Header.Any(h => FieldFormNames.IsSplitPoint(h, export.Server, out var q, out _) && q == FieldFormNames.Point))
            {
                values["lat"] = point[0];
                values["lon"] = point[1];
                if (keepsAccuracy) values["location_accuracy_m"] = values.GetValueOrDefault("location_accuracy_m") ?? point[3];
            }
            if (shapeText is not null || table.Header.Any(h => FieldFormNames.Strip(h, export.Server) == FieldFormNames.Shape))
                values["wkt"] = shapeText is null ? null : Polygon(shapeText, row.Line, Problem);

            if (group is null)
            {
                var id = export.SubmissionId(row);
                if (id is null) Problem(row.Line, export.Server == FieldFormServer.KoboToolbox ? "_uuid" : "KEY", null, "the submission has no instance id");
                values["id"] = id;
            }
            else
            {
                var parentKey = row.Values.GetValueOrDefault(export.ParentColumn);
                if (parentKey is null || !parents!.TryGetValue(parentKey, out var parent) || parent.Id is null)
                {
                    Problem(row.Line, export.ParentColumn, parentKey, $"no submission in {export.Main.Name} has this {(export.Server == FieldFormServer.KoboToolbox ? "_index" : "KEY")}");
                    continue;
                }
                parents[parentKey] = parent with { Count = parent.Count + 1 };
                values[group.Reference] = parent.Id;
                values["id"] = values.GetValueOrDefault("id") ?? parent.Id + "-" + (parent.Count + 1).ToString(CultureInfo.InvariantCulture);
            }
            foreach (var k in values.Keys) if (!columns.Contains(k)) columns.Add(k);
            _records.Add((row.Line, values));
        }
        if (problems.Count > 0) throw new ImportRejectedException([.. problems.Take(200)], problems.Count);
        HeaderColumns = columns;
    }

    public IReadOnlyList<string> HeaderColumns { get; }
    public long BytesRead => _read;
    public long BytesTotal => _records.Count;

    /// <summary>
    /// Opens <paramref name="path"/> as a field-form export — its submissions, or the repeat group <paramref name="part"/>
    /// (the group whose rows are <paramref name="dataset"/>'s records when not given) — or returns null when it is not one.
    /// </summary>
    public static ISourceReader? TryOpen(string path, ReadOnlyMemory<byte>? content, DatasetSpec? dataset, string? part)
    {
        var export = FieldFormExport.TryLoad(path, content);
        if (export is null) return null;
        var group = FieldFormExport.Children.FirstOrDefault(c => part is null ? c.Child == dataset && export.Repeats.ContainsKey(c.Repeat) : c.Repeat == part);
        if (part is not null && !export.Repeats.ContainsKey(part))
        {
            var where = export.Server == FieldFormServer.KoboToolbox ? "sheet" : "file";
            throw new ImportRejectedException([new ImportProblem(path, 0, part, null,
                $"the export has no repeat group '{part}' ({where}s: {string.Join(", ", export.Repeats.Values.Select(t => t.Name).DefaultIfEmpty("none"))})")], 1);
        }
        var table = group is null ? export.Main : export.Repeats[group.Repeat];
        return new FieldFormSourceReader(export, table, dataset, group);
    }

    public static ImportRejectedException NotAnExport(string path) =>
        new([new ImportProblem(path, 0, null, null, "not an ODK Central export: no CSV file in the zip has the KEY and SubmissionDate columns")], 1);

    public IEnumerable<SourceRecord> Records()
    {
        foreach (var (line, values) in _records)
        {
            _read++;
            yield return new SourceRecord(line, values, null, false);
        }
    }

    public string? Locate(int line) => line <= 0 ? null : _export.Locate(_table, line);

    /// <summary>A geoshape answer, "lat lon alt acc;lat lon alt acc;…", as WKT with the ring closed.</summary>
    private static string? Polygon(string text, int line, Action<int, string?, string?, string> problem)
    {
        var points = new List<(string Lon, string Lat)>();
        foreach (var vertex in text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = vertex.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length < 2 || !parts.All(p => double.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out _)))
            {
                problem(line, FieldFormNames.Shape, vertex, "not a geoshape vertex: 'latitude longitude altitude accuracy' is expected");
                return null;
            }
            points.Add((parts[1], parts[0]));
        }
        if (points.Count > 0 && points[0] != points[^1]) points.Add(points[0]);
        if (points.Count < 4)
        {
            problem(line, FieldFormNames.Shape, text, "a geoshape needs at least three distinct vertices");
            return null;
        }
        var wkt = new StringBuilder("POLYGON ((");
        wkt.AppendJoin(", ", points.Select(p => p.Lon + " " + p.Lat));
        return wkt.Append("))").ToString();
    }

    public void Dispose() { }
}
