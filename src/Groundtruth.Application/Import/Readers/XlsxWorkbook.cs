using System.Globalization;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Groundtruth.Application.Import.Readers;

/// <summary>One row of a worksheet as text: its row number and its cells by column (0 = A).</summary>
internal sealed record XlsxRow(int Number, IReadOnlyDictionary<int, XlsxCell> Cells)
{
    public string? Text(int column) => Cells.TryGetValue(column, out var c) ? c.Text : null;
}

/// <summary>A cell read as the importer wants it: numbers in plain invariant notation, dates as ISO text.</summary>
/// <param name="IsText">The cell holds text (a header cell does), not a number, date or true/false.</param>
/// <param name="Problem">Why the cell cannot be read (an error value, a formula never calculated).</param>
internal sealed record XlsxCell(string? Text, bool IsText, string? Problem = null);

/// <summary>
/// Reads an Office Open XML workbook (ECMA-376) through the Open XML SDK: sheet names, and rows of cells whose
/// values are what Excel shows — shared strings resolved, numbers without exponent notation, serial dates in the
/// workbook's 1900 or 1904 date system turned into ISO dates, formulas as their cached results.
/// </summary>
internal sealed class XlsxWorkbook : IDisposable
{
    private readonly Stream _stream;
    private readonly SpreadsheetDocument _document;
    private readonly WorkbookPart _workbook;
    private readonly string[] _sharedStrings;
    private readonly bool[] _dateStyles;
    private readonly bool[] _timeStyles;
    private readonly bool _date1904;

    private XlsxWorkbook(Stream stream, SpreadsheetDocument document)
    {
        _stream = stream;
        _document = document;
        _workbook = document.WorkbookPart ?? throw new InvalidDataException("the workbook has no workbook part");
        _sharedStrings = _workbook.SharedStringTablePart?.SharedStringTable?.Elements<SharedStringItem>().Select(s => s.InnerText).ToArray() ?? [];
        _date1904 = _workbook.Workbook.WorkbookProperties?.Date1904?.Value == true;
        var custom = _workbook.WorkbookStylesPart?.Stylesheet?.NumberingFormats?.Elements<NumberingFormat>()
            .Where(f => f.NumberFormatId is not null)
            .ToDictionary(f => f.NumberFormatId!.Value, f => f.FormatCode?.Value ?? "") ?? [];
        var formats = _workbook.WorkbookStylesPart?.Stylesheet?.CellFormats?.Elements<CellFormat>().Select(f => f.NumberFormatId?.Value ?? 0).ToArray() ?? [];
        _dateStyles = [.. formats.Select(id => IsDateFormat(id, custom))];
        _timeStyles = [.. formats.Select(id => IsTimeFormat(id, custom))];
    }

    /// <summary>Opens the workbook at <paramref name="path"/> or in <paramref name="content"/>; null when it is not a workbook.</summary>
    public static XlsxWorkbook? TryOpen(string path, ReadOnlyMemory<byte>? content)
    {
        Stream stream = content is { } bytes
            ? new MemoryStream(bytes.ToArray(), writable: false)
            : new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        try
        {
            return new XlsxWorkbook(stream, SpreadsheetDocument.Open(stream, isEditable: false));
        }
        catch (Exception e) when (e is OpenXmlPackageException or FileFormatException or InvalidDataException or IOException || IsDamage(e))
        {
            stream.Dispose();
            return null;
        }
    }

    /// <summary>
    /// An exception the Open XML SDK or the XML reader throws on a damaged workbook (malformed XML, a part missing or of
    /// the wrong type): thrown from their code, not ours, so a fault of Groundtruth's still surfaces as one.
    /// </summary>
    public static bool IsDamage(Exception e) =>
        e is System.Xml.XmlException or OpenXmlPackageException or InvalidDataException
        || (e is InvalidOperationException or InvalidCastException or ArgumentException or FormatException
            && e.TargetSite?.Module.Assembly is { } thrower && thrower != typeof(XlsxWorkbook).Assembly);

    /// <summary>Opens the workbook or refuses the file naming it.</summary>
    public static XlsxWorkbook Open(string path, ReadOnlyMemory<byte>? content) =>
        TryOpen(path, content) ?? throw new ImportRejectedException([new ImportProblem(path, 0, null, null, "not an Excel workbook (.xlsx): the file cannot be opened as one")], 1);

    public IReadOnlyList<string> SheetNames =>
        [.. _workbook.Workbook.Sheets?.Elements<Sheet>().Select(s => s.Name?.Value ?? "") ?? []];

    /// <summary>The rows of <paramref name="sheet"/> that hold at least one value, in order.</summary>
    public IEnumerable<XlsxRow> Rows(string sheet)
    {
        var entry = _workbook.Workbook.Sheets?.Elements<Sheet>().FirstOrDefault(s => s.Name?.Value == sheet)
                    ?? throw new ArgumentException($"no sheet named '{sheet}'", nameof(sheet));
        // A damaged workbook may name no part, or a part that is not a worksheet: refused as damage (IsDamage).
        if (entry.Id?.Value is not { } id || _workbook.GetPartById(id) is not WorksheetPart part)
            throw new InvalidDataException($"the sheet '{sheet}' has no worksheet in the workbook");
        using var reader = OpenXmlReader.Create(part);
        var implicitRow = 0;
        while (reader.Read())
        {
            if (reader.ElementType != typeof(Row) || !reader.IsStartElement) continue;
            var row = (Row)reader.LoadCurrentElement()!;
            var number = SdkValue(() => (int?)row.RowIndex?.Value, "a row's number") ?? implicitRow + 1;
            implicitRow = number;
            var cells = new Dictionary<int, XlsxCell>();
            var implicitColumn = -1;
            foreach (var c in row.Elements<Cell>())
            {
                var column = c.CellReference?.Value is { } reference ? ColumnIndex(reference) : implicitColumn + 1;
                implicitColumn = column;
                var cell = Read(c);
                if (cell.Text is not null || cell.Problem is not null) cells[column] = cell;
            }
            if (cells.Count > 0) yield return new XlsxRow(number, cells);
        }
    }

    /// <summary>
    /// A typed attribute read through the SDK, whose FormatException on text of the wrong type becomes damage here: left
    /// to <see cref="IsDamage"/> it was told apart by the method that threw, and once the JIT inlines the SDK's getter into
    /// ours that is our method (afl-fuzz found such a workbook escaping in a long-running process).
    /// </summary>
    private static T SdkValue<T>(Func<T> read, string what)
    {
        try
        {
            return read();
        }
        catch (FormatException e)
        {
            throw new InvalidDataException($"{what}: {e.Message}", e);
        }
    }

    private XlsxCell Read(Cell c) => SdkValue(() => ReadTyped(c), $"cell {c.CellReference?.InnerText}");

    private XlsxCell ReadTyped(Cell c)
    {
        var raw = c.CellValue?.Text;
        var type = c.DataType?.Value;
        if (type == CellValues.InlineString) return TextCell(c.InlineString?.InnerText);
        if (raw is null)
        {
            return c.CellFormula is not null
                ? new XlsxCell(null, false, "a formula without a calculated value; open and save the workbook in a spreadsheet program first")
                : new XlsxCell(null, false);
        }
        if (type == CellValues.SharedString)
        {
            return int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < _sharedStrings.Length
                ? TextCell(_sharedStrings[i])
                : new XlsxCell(null, false, "a shared string the workbook does not hold");
        }
        if (type == CellValues.String) return TextCell(raw);
        if (type == CellValues.Boolean) return new XlsxCell(raw == "1" ? "true" : "false", false);
        if (type == CellValues.Error) return new XlsxCell(null, false, $"an error value {raw}");
        if (type == CellValues.Date) return new XlsxCell(raw.Length >= 10 ? raw[..10] : raw, false);
        if (!double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
            return new XlsxCell(null, false, $"not a number: '{raw}'");
        var style = (int)(c.StyleIndex?.Value ?? 0);
        if (style < _dateStyles.Length && _dateStyles[style]) return new XlsxCell(SerialDate(number, style < _timeStyles.Length && _timeStyles[style]), false);
        return new XlsxCell(PlainNumber(number), false);
    }

    private static XlsxCell TextCell(string? text) =>
        string.IsNullOrWhiteSpace(text) ? new XlsxCell(null, true) : new XlsxCell(text.Trim(), true);

    /// <summary>A serial day number as an ISO date (with the time when the cell's format shows one).</summary>
    /// <remarks>The 1900 system counts from 1899-12-30 once past Excel's phantom 29 February 1900 (serial 60), as OLE
    /// Automation dates do; the 1904 system counts from 1904-01-01, 1462 days later.</remarks>
    private string SerialDate(double serial, bool withTime)
    {
        var date = DateTime.FromOADate(_date1904 ? serial + 1462 : serial < 61 ? serial + 1 : serial);
        return withTime && date.TimeOfDay != TimeSpan.Zero
            ? date.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture)
            : date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    }

    /// <summary>A number as plain text: whole numbers without a decimal point or exponent, others round-trip exact.</summary>
    public static string PlainNumber(double d) =>
        d == Math.Floor(d) && Math.Abs(d) < 1e15
            ? ((long)d).ToString(CultureInfo.InvariantCulture)
            : d.ToString("0.###############", CultureInfo.InvariantCulture) is var s && double.Parse(s, CultureInfo.InvariantCulture) == d
                ? s
                : d.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Column A → 0, Z → 25, AA → 26, from a reference such as <c>AB12</c>.</summary>
    public static int ColumnIndex(string reference)
    {
        var n = 0;
        foreach (var ch in reference)
        {
            if (ch is < 'A' or > 'Z') break;
            n = n * 26 + (ch - 'A' + 1);
        }
        return n - 1;
    }

    /// <summary>Built-in number formats 14–22 and 45–47 are dates or times (ECMA-376 part 1, 18.8.30); a custom format is
    /// one when it has a day, month, year or hour code outside quotes and brackets — "General" spelled as a custom format
    /// (GDAL and LibreOffice write it so) is not, although it holds an 'e'.</summary>
    private static bool IsDateFormat(uint id, Dictionary<uint, string> custom) =>
        id is >= 14 and <= 22 or >= 45 and <= 47 or >= 27 and <= 36 or >= 50 and <= 58
        || (custom.TryGetValue(id, out var code) && !code.Equals("General", StringComparison.OrdinalIgnoreCase)
            && Codes(code).Any(ch => ch is 'd' or 'm' or 'y' or 'h' or 'e'));

    private static bool IsTimeFormat(uint id, Dictionary<uint, string> custom) =>
        id is >= 18 and <= 22 or >= 45 and <= 47
        || (custom.TryGetValue(id, out var code) && Codes(code).Any(ch => ch is 'h' or 's'));

    /// <summary>The format codes of a number format, lower case, without quoted text, escapes, brackets and colours.</summary>
    private static IEnumerable<char> Codes(string format)
    {
        var quoted = false;
        var bracket = false;
        for (var i = 0; i < format.Length; i++)
        {
            var ch = format[i];
            if (ch == '"') { quoted = !quoted; continue; }
            if (quoted) continue;
            if (ch == '\\' || ch == '_' || ch == '*') { i++; continue; }
            if (ch == '[') { bracket = true; continue; }
            if (ch == ']') { bracket = false; continue; }
            if (!bracket) yield return char.ToLowerInvariant(ch);
        }
    }

    public long Length => _stream.Length;

    public void Dispose()
    {
        _document.Dispose();
        _stream.Dispose();
    }
}
