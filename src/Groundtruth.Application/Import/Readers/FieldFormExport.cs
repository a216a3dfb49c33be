using System.Globalization;
using System.IO.Compression;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;
using Groundtruth.Application.Datasets;

namespace Groundtruth.Application.Import.Readers;

/// <summary>The two field-data servers whose exports are read.</summary>
internal enum FieldFormServer { KoboToolbox, OdkCentral }

/// <summary>One table of an export: the submissions, or the rows of one repeat group.</summary>
/// <param name="Name">The sheet (KoboToolbox) or the CSV file inside the zip (ODK Central).</param>
internal sealed record FieldFormTable(string Name, IReadOnlyList<string> Header, IReadOnlyList<FieldFormRow> Rows);

/// <param name="Line">The sheet's row number or the CSV file's line number.</param>
internal sealed record FieldFormRow(int Line, IReadOnlyDictionary<string, string?> Values);

/// <summary>
/// A field-form export as KoboToolbox (XLSX: the submissions on the first sheet, each repeat group on a sheet named
/// after it, linked by <c>_index</c>/<c>_parent_index</c>) or ODK Central (a zip of CSV files: <c>form.csv</c> and
/// <c>form-repeat.csv</c>, linked by <c>KEY</c>/<c>PARENT_KEY</c>) write it; recognised by those metadata columns.
/// </summary>
internal sealed class FieldFormExport
{
    /// <summary>A repeat group whose rows are records of another dataset, each referring to its submission.</summary>
    /// <param name="Repeat">The repeat group's name in the form, e.g. <c>casualties</c>.</param>
    /// <param name="Reference">The child's field that holds the parent submission's id.</param>
    internal sealed record ChildGroup(DatasetSpec Parent, string Repeat, DatasetSpec Child, string Reference);

    /// <summary>The repeat groups imported with their submissions: an accident form's casualties.</summary>
    public static readonly IReadOnlyList<ChildGroup> Children =
    [
        new(DatasetCatalog.Accidents, "casualties", DatasetCatalog.Casualties, "accident_id"),
    ];

    private FieldFormExport(string path, FieldFormServer server, FieldFormTable main, IReadOnlyDictionary<string, FieldFormTable> repeats)
    {
        Path = path;
        Server = server;
        Main = main;
        Repeats = repeats;
    }

    public string Path { get; }
    public FieldFormServer Server { get; }
    public FieldFormTable Main { get; }
    /// <summary>Repeat group name → its rows.</summary>
    public IReadOnlyDictionary<string, FieldFormTable> Repeats { get; }

    /// <summary>Reads <paramref name="path"/> as an export; null when it is a workbook or zip of another kind.</summary>
    /// <remarks>A damaged workbook or zip is not recognised as an export; the register's own reader then refuses it, naming the damage.</remarks>
    public static FieldFormExport? TryLoad(string path, ReadOnlyMemory<byte>? content)
    {
        try
        {
            return System.IO.Path.GetExtension(path).ToLowerInvariant() switch
            {
                ".xlsx" => TryLoadKobo(path, content),
                ".zip" => TryLoadOdk(path, content),
                _ => null,
            };
        }
        catch (Exception e) when (XlsxWorkbook.IsDamage(e))
        {
            return null;
        }
    }

    /// <summary>Names a line of <paramref name="table"/>: <c>casualties!4</c> in a workbook, <c>form-casualties.csv:4</c> in a zip.</summary>
    public string Locate(FieldFormTable table, int line) => Server == FieldFormServer.KoboToolbox
        ? XlsxSourceReader.Location(table.Name, line)
        : table.Name + ":" + line.ToString(CultureInfo.InvariantCulture);

    /// <summary>The submission's own id: an <c>id</c> question if the form has one, else its instance id without <c>uuid:</c>.</summary>
    public string? SubmissionId(FieldFormRow row)
    {
        var explicitId = row.Values.FirstOrDefault(kv => FieldFormNames.Strip(kv.Key, Server) == "id" && !FieldFormNames.IsMetadata(kv.Key)).Value;
        if (explicitId is not null) return explicitId;
        var uuid = Server == FieldFormServer.KoboToolbox
            ? row.Values.GetValueOrDefault("_uuid")
            : row.Values.GetValueOrDefault("KEY") ?? row.Values.GetValueOrDefault("meta-instanceID");
        return uuid is null ? null : uuid.StartsWith("uuid:", StringComparison.Ordinal) ? uuid[5..] : uuid;
    }

    /// <summary>The value a repeat row's parent link points at: <c>_index</c> (KoboToolbox) or <c>KEY</c> (ODK Central).</summary>
    public string? RowKey(FieldFormRow row) => row.Values.GetValueOrDefault(Server == FieldFormServer.KoboToolbox ? "_index" : "KEY");

    public string ParentColumn => Server == FieldFormServer.KoboToolbox ? "_parent_index" : "PARENT_KEY";

    /// <summary>
    /// Adds to <paramref name="requests"/>, after each field-form export of a dataset with child groups, a request for each
    /// child group the export holds — the casualties of an accident form — so they are stored in the same transaction.
    /// </summary>
    public static IReadOnlyList<ImportRequest> Expand(IReadOnlyList<ImportRequest> requests)
    {
        var expanded = new List<ImportRequest>();
        foreach (var request in requests)
        {
            expanded.Add(request);
            if (request.Part is not null) continue;
            var groups = Children.Where(c => c.Parent == request.Dataset).ToList();
            if (groups.Count == 0) continue;
            if (request.Content is null && !File.Exists(request.FilePath)) continue;
            var export = TryLoad(request.FilePath, request.Content);
            if (export is null) continue;
            foreach (var group in groups.Where(g => export.Repeats.ContainsKey(g.Repeat)))
            {
                var ids = export.Main.Rows.Select(export.SubmissionId).OfType<string>().ToHashSet(StringComparer.Ordinal);
                var enteredWith = new Dictionary<string, IReadOnlySet<string>>(request.EnteredWith ?? new Dictionary<string, IReadOnlySet<string>>())
                {
                    [group.Parent.Name] = ids,
                };
                expanded.Add(request with { Dataset = group.Child, Part = group.Repeat, MappingPath = null, EnteredWith = enteredWith });
            }
        }
        return expanded;
    }

    private static FieldFormExport? TryLoadKobo(string path, ReadOnlyMemory<byte>? content)
    {
        using var workbook = XlsxWorkbook.TryOpen(path, content);
        if (workbook is null || workbook.SheetNames.Count == 0) return null;
        // Only the first row decides: a register is not read twice to find it is not an export.
        var first = workbook.Rows(workbook.SheetNames[0]).FirstOrDefault()?.Cells.Values.Select(c => c.Text).ToHashSet() ?? [];
        if (!first.Contains("_uuid") || !(first.Contains("_index") || first.Contains("_submission_time"))) return null;
        FieldFormTable? Table(string sheet)
        {
            var rows = workbook.Rows(sheet).ToList();
            if (rows.Count == 0) return null;
            var header = rows[0].Cells.Where(c => c.Value.Text is not null).OrderBy(c => c.Key).ToList();
            var names = header.Select(c => c.Value.Text!).ToList();
            return new FieldFormTable(sheet, names, [.. rows.Skip(1).Select(r => new FieldFormRow(r.Number,
                header.ToDictionary(h => h.Value.Text!, h => r.Text(h.Key), StringComparer.Ordinal)))]);
        }
        var main = Table(workbook.SheetNames[0]);
        if (main is null || !main.Header.Contains("_uuid") || !(main.Header.Contains("_index") || main.Header.Contains("_submission_time"))) return null;
        var repeats = new Dictionary<string, FieldFormTable>(StringComparer.Ordinal);
        foreach (var sheet in workbook.SheetNames.Skip(1))
        {
            if (Table(sheet) is { } t && t.Header.Contains("_parent_index")) repeats[sheet] = t;
        }
        return new FieldFormExport(path, FieldFormServer.KoboToolbox, main, repeats);
    }

    private static FieldFormExport? TryLoadOdk(string path, ReadOnlyMemory<byte>? content)
    {
        using Stream stream = content is { } bytes ? new MemoryStream(bytes.ToArray(), writable: false) : File.OpenRead(path);
        ZipArchive zip;
        try
        {
            zip = new ZipArchive(stream, ZipArchiveMode.Read);
        }
        catch (InvalidDataException)
        {
            return null;
        }
        using (zip)
        {
            var tables = zip.Entries
                .Where(e => e.FullName.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
                .Select(e => ReadCsv(e))
                .ToList();
            var main = tables.FirstOrDefault(t => t.Header.Contains("KEY") && !t.Header.Contains("PARENT_KEY")
                                                  && (t.Header.Contains("SubmissionDate") || t.Header.Contains("meta-instanceID")));
            if (main is null) return null;
            var stem = main.Name[..^4] + "-";
            var repeats = tables.Where(t => t.Header.Contains("PARENT_KEY") && t.Name.StartsWith(stem, StringComparison.Ordinal))
                .ToDictionary(t => t.Name[stem.Length..^4], StringComparer.Ordinal);
            return new FieldFormExport(path, FieldFormServer.OdkCentral, main, repeats);
        }
    }

    private static FieldFormTable ReadCsv(ZipArchiveEntry entry)
    {
        using var reader = new StreamReader(entry.Open(), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        using var parser = new CsvParser(reader, new CsvConfiguration(CultureInfo.InvariantCulture) { BadDataFound = null, IgnoreBlankLines = true });
        if (!parser.Read()) return new FieldFormTable(entry.FullName, [], []);
        var header = parser.Record!.Select(h => h.Trim()).ToArray();
        var rows = new List<FieldFormRow>();
        var previousEnd = parser.RawRow;
        while (parser.Read())
        {
            var fields = parser.Record!;
            var line = previousEnd + 1;
            previousEnd = parser.RawRow;
            var values = new Dictionary<string, string?>(StringComparer.Ordinal);
            for (var i = 0; i < header.Length; i++)
                values[header[i]] = i < fields.Length && !string.IsNullOrWhiteSpace(fields[i]) ? fields[i].Trim() : null;
            rows.Add(new FieldFormRow(line, values));
        }
        return new FieldFormTable(entry.FullName, header, rows);
    }
}
