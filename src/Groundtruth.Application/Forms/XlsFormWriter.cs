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

    /// <summary>The survey, choices and settings sheets, as plain text cells (the workbook writer of the exports).</summary>
    public static void Write(FieldForm form, Stream stream)
    {
        using var workbook = new Export.XlsxWriter(stream);
        workbook.AddSheet("survey", Survey(form), header: false);
        workbook.AddSheet("choices", Choices(form), header: false);
        workbook.AddSheet("settings", Settings(form), header: false);
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
