using System.Globalization;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Groundtruth.Application.Export;

/// <summary>A formula and the value a spreadsheet program last calculated for it (what readers show).</summary>
internal sealed record XlsxFormula(string Formula, object? CachedValue);

/// <summary>
/// Writes an Office Open XML workbook sheet by sheet, streaming rows (ECMA-376): text as inline strings, numbers as
/// numbers, true/false as booleans, <see cref="DateOnly"/> as a serial date with a date format, in the 1900 date system
/// unless <c>date1904</c> asks for the other one.
/// </summary>
internal sealed class XlsxWriter : IDisposable
{
    private const uint DateStyle = 1;
    private const uint BoldStyle = 2;
    private readonly SpreadsheetDocument _document;
    private readonly Sheets _sheets;
    private readonly bool _date1904;
    private uint _nextSheetId = 1;

    public XlsxWriter(string path, bool date1904 = false)
    {
        _date1904 = date1904;
        _document = SpreadsheetDocument.Create(path, SpreadsheetDocumentType.Workbook);
        var workbook = _document.AddWorkbookPart();
        workbook.Workbook = new Workbook();
        if (date1904) workbook.Workbook.AppendChild(new WorkbookProperties { Date1904 = true });
        _sheets = workbook.Workbook.AppendChild(new Sheets());
        var styles = workbook.AddNewPart<WorkbookStylesPart>();
        styles.Stylesheet = new Stylesheet(
            new Fonts(new Font(), new Font(new Bold())) { Count = 2 },
            new Fills(new Fill(new PatternFill { PatternType = PatternValues.None }), new Fill(new PatternFill { PatternType = PatternValues.Gray125 })) { Count = 2 },
            new Borders(new Border()) { Count = 1 },
            new CellFormats(
                new CellFormat(),
                new CellFormat { NumberFormatId = 14, ApplyNumberFormat = true },
                new CellFormat { FontId = 1, ApplyFont = true }) { Count = 3 });
    }

    /// <summary>Adds a sheet holding <paramref name="rows"/>; the first row is bold when <paramref name="header"/>.</summary>
    /// <returns>The number of rows written.</returns>
    public int AddSheet(string name, IEnumerable<IReadOnlyList<object?>> rows, bool header = true)
    {
        var workbook = _document.WorkbookPart!;
        var part = workbook.AddNewPart<WorksheetPart>();
        var count = 0;
        using (var writer = OpenXmlWriter.Create(part))
        {
            writer.WriteStartElement(new Worksheet());
            writer.WriteStartElement(new SheetData());
            foreach (var values in rows)
            {
                count++;
                writer.WriteStartElement(new Row { RowIndex = (uint)count });
                for (var i = 0; i < values.Count; i++)
                {
                    if (Cell(values[i], Reference(i, count), header && count == 1) is { } cell) writer.WriteElement(cell);
                }
                writer.WriteEndElement();
            }
            writer.WriteEndElement();
            writer.WriteEndElement();
        }
        _sheets.AppendChild(new Sheet { Id = workbook.GetIdOfPart(part), SheetId = _nextSheetId++, Name = name });
        return count;
    }

    private Cell? Cell(object? value, string reference, bool bold)
    {
        var cell = new Cell { CellReference = reference };
        if (bold) cell.StyleIndex = BoldStyle;
        switch (value)
        {
            case null:
                return null;
            case XlsxFormula f:
                cell.CellFormula = new CellFormula(f.Formula);
                if (f.CachedValue is string cached) { cell.DataType = CellValues.String; cell.CellValue = new CellValue(cached); }
                else if (f.CachedValue is not null) Fill(cell, f.CachedValue);
                return cell;
            case string s:
                cell.DataType = CellValues.InlineString;
                cell.InlineString = new InlineString(new Text(s) { Space = SpaceProcessingModeValues.Preserve });
                return cell;
            default:
                Fill(cell, value);
                return cell;
        }
    }

    private void Fill(Cell cell, object value)
    {
        switch (value)
        {
            case bool b:
                cell.DataType = CellValues.Boolean;
                cell.CellValue = new CellValue(b ? "1" : "0");
                break;
            case DateOnly d:
                var serial = d.ToDateTime(TimeOnly.MinValue).ToOADate() - (_date1904 ? 1462 : 0);
                cell.StyleIndex = DateStyle;
                cell.CellValue = new CellValue(serial.ToString(CultureInfo.InvariantCulture));
                break;
            case IConvertible c when value is int or long or double or float or decimal:
                cell.CellValue = new CellValue(c.ToDouble(CultureInfo.InvariantCulture).ToString("R", CultureInfo.InvariantCulture));
                break;
            default:
                cell.DataType = CellValues.InlineString;
                cell.InlineString = new InlineString(new Text(Convert.ToString(value, CultureInfo.InvariantCulture) ?? ""));
                break;
        }
    }

    private static string Reference(int column, int row) =>
        Import.Readers.XlsxSourceReader.ColumnLetters(column) + row.ToString(CultureInfo.InvariantCulture);

    public void Dispose() => _document.Dispose();
}
