namespace Groundtruth.Application.Import.Readers;

/// <summary>
/// Reads one sheet of an Excel workbook as a register: the sheet the mapping names (the first by default), its header
/// on the mapping's <c>header_row</c> or on the first row that looks like one below any title rows, and one record per
/// row below it. Problems are named <c>file.xlsx:Sheet!row</c>.
/// </summary>
internal sealed class XlsxSourceReader : ISourceReader
{
    /// <summary>How far down a header is looked for when the mapping does not say.</summary>
    public const int HeaderSearchRows = 30;

    private readonly List<XlsxRow> _rows;
    private readonly Dictionary<int, string> _columns;
    private readonly int _headerRow;
    private int _read;

    public XlsxSourceReader(string path, ReadOnlyMemory<byte>? content, ImportMapping mapping)
    {
        try
        {
            (Sheet, _rows, _columns, _headerRow, HeaderColumns) = Read(path, content, mapping);
        }
        catch (Exception e) when (XlsxWorkbook.IsDamage(e))
        {
            throw new ImportRejectedException([new ImportProblem(path, 0, null, null, "a damaged Excel workbook (.xlsx): " + e.Message)], 1);
        }
    }

    /// <summary>The sheet, its rows below the header, the header's columns and row, and the column names in order.</summary>
    private static (string, List<XlsxRow>, Dictionary<int, string>, int, IReadOnlyList<string>) Read(string path, ReadOnlyMemory<byte>? content, ImportMapping mapping)
    {
        using var workbook = XlsxWorkbook.Open(path, content);
        var names = workbook.SheetNames;
        if (names.Count == 0) throw Rejected(path, null, "sheet", "the workbook has no sheet");
        var sheet = mapping.Sheet ?? names[0];
        if (!names.Contains(sheet))
            throw Rejected(path, null, "sheet", $"the workbook has no sheet '{sheet}'; its sheets: {string.Join(", ", names)}");
        var rows = workbook.Rows(sheet).ToList();
        var header = mapping.HeaderRow is { } given ? rows.FirstOrDefault(r => r.Number == given) : DetectHeader(rows);
        if (header is null)
        {
            throw Rejected(path, Location(sheet, mapping.HeaderRow ?? 1), "header_row", mapping.HeaderRow is null
                ? "the sheet is empty: a header row is expected"
                : $"row {mapping.HeaderRow} is empty: 'header_row' must name the row of column names");
        }
        var headerRow = header.Number;
        var kept = new List<XlsxRow>(rows.Where(r => r.Number > headerRow));
        var columns = header.Cells.Where(c => c.Value.Text is not null).ToDictionary(c => c.Key, c => c.Value.Text!);

        var problems = new List<ImportProblem>();
        foreach (var dupe in columns.Values.GroupBy(h => h, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
            problems.Add(new ImportProblem(path, headerRow, dupe.Key, null, "the column appears twice in the header", Location(sheet, headerRow)));
        foreach (var row in rows.Where(r => r.Number >= headerRow))
        {
            foreach (var (column, cell) in row.Cells)
            {
                var name = columns.GetValueOrDefault(column) ?? $"column {ColumnLetters(column)}";
                if (cell.Problem is not null) problems.Add(new ImportProblem(path, row.Number, name, null, cell.Problem, Location(sheet, row.Number)));
                else if (row.Number > headerRow && !columns.ContainsKey(column))
                    problems.Add(new ImportProblem(path, row.Number, name, cell.Text, "a value in a column without a header", Location(sheet, row.Number)));
            }
        }
        if (problems.Count > 0) throw new ImportRejectedException([.. problems.Take(200)], problems.Count);
        return (sheet, kept, columns, headerRow, [.. columns.OrderBy(c => c.Key).Select(c => c.Value)]);
    }

    public string Sheet { get; }
    public IReadOnlyList<string> HeaderColumns { get; }
    public long BytesRead => _read;
    public long BytesTotal => _rows.Count;

    public IEnumerable<SourceRecord> Records()
    {
        foreach (var row in _rows)
        {
            _read++;
            var values = new Dictionary<string, string?>(StringComparer.Ordinal);
            foreach (var (column, name) in _columns) values[name] = row.Text(column);
            yield return new SourceRecord(row.Number, values, null, false);
        }
    }

    /// <summary>Rows are named by their row number; the header checks of the importer (made on "line 1") name the header row.</summary>
    public string? Locate(int line) => line <= 0 ? null : Location(Sheet, line == 1 ? _headerRow : line);

    /// <summary>
    /// The header is the first row with at least two cells, every one of them text and none repeated, whose width is at
    /// least half the widest row below it: title rows above a table hold one cell, or fewer than the table is wide.
    /// </summary>
    internal static XlsxRow? DetectHeader(IReadOnlyList<XlsxRow> rows)
    {
        for (var i = 0; i < rows.Count && i < HeaderSearchRows; i++)
        {
            var row = rows[i];
            var texts = row.Cells.Values.ToList();
            if (texts.Count < 2 || !texts.All(c => c.IsText)) continue;
            if (texts.Select(c => c.Text!).Distinct(StringComparer.OrdinalIgnoreCase).Count() != texts.Count) continue;
            var widest = rows.Skip(i + 1).Take(HeaderSearchRows).Select(r => r.Cells.Count).DefaultIfEmpty(0).Max();
            if (texts.Count * 2 >= widest) return row;
        }
        return rows.Count > 0 ? rows[0] : null;
    }

    /// <summary>A sheet and row as Excel writes a reference: <c>Finds!12</c>, <c>'Field data'!12</c>.</summary>
    public static string Location(string sheet, int row) =>
        (sheet.All(ch => char.IsLetterOrDigit(ch) || ch == '_') ? sheet : "'" + sheet.Replace("'", "''", StringComparison.Ordinal) + "'")
        + "!" + row.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static string ColumnLetters(int column)
    {
        var s = "";
        for (var n = column + 1; n > 0; n = (n - 1) / 26) s = (char)('A' + (n - 1) % 26) + s;
        return s;
    }

    private static ImportRejectedException Rejected(string path, string? location, string field, string reason) =>
        new([new ImportProblem(path, 0, field, null, reason, location)], 1);

    public void Dispose() { }
}
