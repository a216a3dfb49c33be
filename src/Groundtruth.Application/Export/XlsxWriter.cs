using System.Globalization;
using System.Text;
using System.Xml;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;

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
    private const string Main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    private const string Relationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    private const int DateStyle = 1;
    private const int BoldStyle = 2;
    private readonly SpreadsheetDocument _document;
    private readonly WorkbookPart _workbook;
    private readonly List<(string Name, string RelationshipId)> _sheets = [];
    private readonly bool _date1904;

    public XlsxWriter(string path, bool date1904 = false)
        : this(SpreadsheetDocument.Create(path, SpreadsheetDocumentType.Workbook), date1904)
    {
    }

    /// <summary>Writes the workbook into <paramref name="stream"/> (left open).</summary>
    public XlsxWriter(Stream stream, bool date1904 = false)
        : this(SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook), date1904)
    {
    }

    private XlsxWriter(SpreadsheetDocument document, bool date1904)
    {
        _date1904 = date1904;
        _document = document;
        _workbook = _document.AddWorkbookPart();
        // The parts are written as plain XML in the default namespace, as spreadsheet programs write them: GDAL's XLSX
        // driver (QGIS) does not read the SDK's "x:"-prefixed elements.
        var styles = _workbook.AddNewPart<WorkbookStylesPart>();
        using var stream = styles.GetStream(FileMode.Create);
        using var w = XmlWriter.Create(stream, new XmlWriterSettings { Encoding = new UTF8Encoding(false) });
        w.WriteStartElement("styleSheet", Main);
        w.WriteStartElement("fonts", Main);
        w.WriteAttributeString("count", "2");
        w.WriteStartElement("font", Main);
        w.WriteEndElement();
        w.WriteStartElement("font", Main);
        w.WriteElementString("b", Main, null);
        w.WriteEndElement();
        w.WriteEndElement();
        w.WriteRaw("<fills count=\"2\"><fill><patternFill patternType=\"none\"/></fill><fill><patternFill patternType=\"gray125\"/></fill></fills>");
        w.WriteRaw("<borders count=\"1\"><border/></borders>");
        w.WriteRaw("<cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/></cellStyleXfs>");
        w.WriteRaw("<cellXfs count=\"3\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\"/>" +
                   "<xf numFmtId=\"14\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyNumberFormat=\"1\"/>" +
                   "<xf numFmtId=\"0\" fontId=\"1\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyFont=\"1\"/></cellXfs>");
        w.WriteEndElement();
    }

    /// <summary>Adds a sheet holding <paramref name="rows"/>; the first row is bold when <paramref name="header"/>.</summary>
    /// <returns>The number of rows written.</returns>
    public int AddSheet(string name, IEnumerable<IReadOnlyList<object?>> rows, bool header = true)
    {
        var part = _workbook.AddNewPart<WorksheetPart>();
        var count = 0;
        using (var stream = part.GetStream(FileMode.Create))
        using (var w = XmlWriter.Create(stream, new XmlWriterSettings { Encoding = new UTF8Encoding(false) }))
        {
            w.WriteStartElement("worksheet", Main);
            w.WriteStartElement("sheetData", Main);
            foreach (var values in rows)
            {
                count++;
                w.WriteStartElement("row", Main);
                w.WriteAttributeString("r", count.ToString(CultureInfo.InvariantCulture));
                for (var i = 0; i < values.Count; i++)
                {
                    if (values[i] is not null) WriteCell(w, values[i]!, Reference(i, count), header && count == 1);
                }
                w.WriteEndElement();
            }
            w.WriteEndElement();
            w.WriteEndElement();
        }
        _sheets.Add((name, _workbook.GetIdOfPart(part)));
        return count;
    }

    private void WriteCell(XmlWriter w, object value, string reference, bool bold)
    {
        w.WriteStartElement("c", Main);
        w.WriteAttributeString("r", reference);
        var formula = value as XlsxFormula;
        var content = formula is null ? value : formula.CachedValue;
        var style = bold ? BoldStyle : content is DateOnly ? DateStyle : 0;
        if (style != 0) w.WriteAttributeString("s", style.ToString(CultureInfo.InvariantCulture));
        switch (content)
        {
            case string s when formula is not null:
                w.WriteAttributeString("t", "str");
                w.WriteElementString("f", Main, formula.Formula);
                w.WriteElementString("v", Main, s);
                break;
            case string s:
                w.WriteAttributeString("t", "inlineStr");
                w.WriteStartElement("is", Main);
                w.WriteStartElement("t", Main);
                w.WriteAttributeString("xml", "space", null, "preserve");
                w.WriteString(s);
                w.WriteEndElement();
                w.WriteEndElement();
                break;
            default:
                if (content is bool) w.WriteAttributeString("t", "b");
                if (formula is not null) w.WriteElementString("f", Main, formula.Formula);
                if (content is not null) w.WriteElementString("v", Main, Number(content));
                break;
        }
        w.WriteEndElement();
    }

    private string Number(object value) => value switch
    {
        bool b => b ? "1" : "0",
        DateOnly d => (d.ToDateTime(TimeOnly.MinValue).ToOADate() - (_date1904 ? 1462 : 0)).ToString(CultureInfo.InvariantCulture),
        IConvertible c => c.ToDouble(CultureInfo.InvariantCulture).ToString("R", CultureInfo.InvariantCulture),
        _ => throw new ArgumentException($"cannot write a {value.GetType().Name} in a cell"),
    };

    private static string Reference(int column, int row) =>
        Import.Readers.XlsxSourceReader.ColumnLetters(column) + row.ToString(CultureInfo.InvariantCulture);

    public void Dispose()
    {
        using (var stream = _workbook.GetStream(FileMode.Create))
        using (var w = XmlWriter.Create(stream, new XmlWriterSettings { Encoding = new UTF8Encoding(false) }))
        {
            w.WriteStartElement("workbook", Main);
            w.WriteAttributeString("xmlns", "r", null, Relationships);
            if (_date1904)
            {
                w.WriteStartElement("workbookPr", Main);
                w.WriteAttributeString("date1904", "1");
                w.WriteEndElement();
            }
            w.WriteStartElement("sheets", Main);
            for (var i = 0; i < _sheets.Count; i++)
            {
                w.WriteStartElement("sheet", Main);
                w.WriteAttributeString("name", _sheets[i].Name);
                w.WriteAttributeString("sheetId", (i + 1).ToString(CultureInfo.InvariantCulture));
                w.WriteAttributeString("id", Relationships, _sheets[i].RelationshipId);
                w.WriteEndElement();
            }
            w.WriteEndElement();
            w.WriteEndElement();
        }
        _document.Dispose();
    }
}
