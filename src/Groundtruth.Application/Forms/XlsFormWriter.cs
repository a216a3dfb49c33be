using System.Globalization;
using System.Text;
using System.Xml;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;

namespace Groundtruth.Application.Forms;

/// <summary>
/// Writes a <see cref="FieldForm"/> as an XLSForm workbook: the <c>survey</c>, <c>choices</c> and <c>settings</c>
/// sheets that pyxform, KoboToolbox and ODK Central read (https://xlsform.org).
/// </summary>
public static class XlsFormWriter
{
    public static readonly string[] SurveyColumns =
        ["type", "name", "label", "hint", "required", "required_message", "constraint", "constraint_message", "relevant", "default"];

    public static readonly string[] ChoiceColumns = ["list_name", "name", "label"];

    public static readonly string[] SettingsColumns = ["form_title", "form_id", "version", "default_language"];

    /// <summary>The survey sheet's rows, header first.</summary>
    public static IReadOnlyList<string?[]> Survey(FieldForm form)
    {
        var rows = new List<string?[]> { SurveyColumns };
        foreach (var q in form.Questions) rows.Add(Row(q));
        if (form.Repeat is { } repeat)
        {
            rows.Add(["begin_repeat", repeat.Name, repeat.Label, null, null, null, null, null, null, null]);
            foreach (var q in repeat.Questions) rows.Add(Row(q));
            rows.Add(["end_repeat", repeat.Name, null, null, null, null, null, null, null, null]);
        }
        return rows;
    }

    public static IReadOnlyList<string?[]> Choices(FieldForm form) =>
        [ChoiceColumns, .. form.ChoiceLists.SelectMany(l => l.Choices.Select(c => new string?[] { l.Name, c.Name, c.Label }))];

    public static IReadOnlyList<string?[]> Settings(FieldForm form) =>
        [SettingsColumns, [form.Title, form.FormId, form.Version, "English (en)"]];

    public static void Write(FieldForm form, Stream stream)
    {
        using var document = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook);
        var workbook = document.AddWorkbookPart();
        var sheets = new List<(string Name, string RelationshipId)>
        {
            AddSheet(workbook, "survey", Survey(form)),
            AddSheet(workbook, "choices", Choices(form)),
            AddSheet(workbook, "settings", Settings(form)),
        };
        // The parts' XML is written with SpreadsheetML as the default namespace (no "x:" prefix): the SDK's typed
        // classes prefix every element, which some readers (GDAL's XLSX driver among them) do not accept.
        using var xml = Writer(workbook.GetStream(FileMode.Create));
        xml.WriteStartElement("workbook", Main);
        xml.WriteAttributeString("xmlns", "r", null, Relationships);
        xml.WriteStartElement("sheets", Main);
        for (var i = 0; i < sheets.Count; i++)
        {
            xml.WriteStartElement("sheet", Main);
            xml.WriteAttributeString("name", sheets[i].Name);
            xml.WriteAttributeString("sheetId", (i + 1).ToString(CultureInfo.InvariantCulture));
            xml.WriteAttributeString("id", Relationships, sheets[i].RelationshipId);
            xml.WriteEndElement();
        }
        xml.WriteEndElement();
        xml.WriteEndElement();
    }

    private static string?[] Row(FormQuestion q) =>
    [
        q.Type switch
        {
            FormQuestionType.SelectOne => "select_one " + q.Choices!.Name,
            FormQuestionType.SelectMultiple => "select_multiple " + q.Choices!.Name,
            FormQuestionType.Integer => "integer",
            FormQuestionType.Decimal => "decimal",
            FormQuestionType.Date => "date",
            FormQuestionType.Geopoint => "geopoint",
            FormQuestionType.Geoshape => "geoshape",
            _ => "text",
        },
        q.Name,
        q.Label,
        q.Hint,
        q.RequiredWhen switch { null => null, "true()" => "yes", var condition => condition },
        q.RequiredWhen is null ? null : "An answer is required.",
        q.Constraint,
        q.ConstraintMessage,
        q.Relevant,
        q.Default,
    ];

    private const string Main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    private const string Relationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

    private static XmlWriter Writer(Stream stream) =>
        XmlWriter.Create(stream, new XmlWriterSettings { Encoding = new UTF8Encoding(false), CloseOutput = true });

    private static (string Name, string RelationshipId) AddSheet(WorkbookPart workbook, string name, IReadOnlyList<string?[]> rows)
    {
        var part = workbook.AddNewPart<WorksheetPart>();
        using var xml = Writer(part.GetStream(FileMode.Create));
        xml.WriteStartElement("worksheet", Main);
        xml.WriteStartElement("sheetData", Main);
        for (var r = 0; r < rows.Count; r++)
        {
            var rowNumber = (r + 1).ToString(CultureInfo.InvariantCulture);
            xml.WriteStartElement("row", Main);
            xml.WriteAttributeString("r", rowNumber);
            for (var c = 0; c < rows[r].Length; c++)
            {
                if (rows[r][c] is not { } text) continue;
                xml.WriteStartElement("c", Main);
                xml.WriteAttributeString("r", ColumnName(c) + rowNumber);
                xml.WriteAttributeString("t", "inlineStr");
                xml.WriteStartElement("is", Main);
                xml.WriteStartElement("t", Main);
                xml.WriteAttributeString("xml", "space", null, "preserve");
                xml.WriteString(text);
                xml.WriteEndElement();
                xml.WriteEndElement();
                xml.WriteEndElement();
            }
            xml.WriteEndElement();
        }
        xml.WriteEndElement();
        xml.WriteEndElement();
        return (name, workbook.GetIdOfPart(part));
    }

    private static string ColumnName(int index)
    {
        var name = "";
        for (var i = index + 1; i > 0; i = (i - 1) / 26) name = (char)('A' + (i - 1) % 26) + name;
        return name;
    }
}

/// <summary>Writes a dataset's field form as both files, named after the form id, into a folder.</summary>
public static class FieldFormFiles
{
    /// <returns>The XLSForm workbook and the XForm written.</returns>
    public static (string XlsForm, string XForm) Write(FieldForm form, string directory)
    {
        Directory.CreateDirectory(directory);
        var xlsx = Path.Combine(directory, form.FormId + ".xlsx");
        var xml = Path.Combine(directory, form.FormId + ".xml");
        using (var stream = File.Create(xlsx)) XlsFormWriter.Write(form, stream);
        using (var stream = File.Create(xml)) XFormWriter.Write(form, stream);
        return (xlsx, xml);
    }
}
