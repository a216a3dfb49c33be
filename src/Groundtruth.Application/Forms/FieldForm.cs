using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Groundtruth.Application.Datasets;
using Groundtruth.Domain;

namespace Groundtruth.Application.Forms;

/// <summary>
/// A field form for one dataset, derived from the dataset catalogue: what a team fills in on ODK Collect or
/// KoboCollect. Question names are the dataset's column names, so the form's exports and submissions import with
/// no mapping; a point is the <c>location</c> geopoint, a polygon the <c>perimeter</c> geoshape, the casualties of
/// an accident the <c>casualties</c> repeat. The record's id is the submission's instance id (<c>uuid:…</c> without
/// its prefix); personal data of casualties is left out (docs/forms.md, ADR 0019).
/// </summary>
public sealed record FieldForm(string FormId, string Title, string Version, DatasetSpec Dataset, IReadOnlyList<FormQuestion> Questions, FormRepeat? Repeat)
{
    /// <summary>The datasets that have a field form.</summary>
    public static readonly IReadOnlyList<DatasetSpec> Datasets =
        [DatasetCatalog.Hazards, DatasetCatalog.Finds, DatasetCatalog.Accidents, DatasetCatalog.LandRelease];

    public const string LocationQuestion = "location";
    public const string PerimeterQuestion = "perimeter";
    public const string CasualtiesRepeat = "casualties";

    /// <summary>Every choice list the form's questions use, by list name.</summary>
    public IReadOnlyList<FormChoiceList> ChoiceLists =>
        [.. Questions.Concat(Repeat?.Questions ?? []).Select(q => q.Choices).OfType<FormChoiceList>().DistinctBy(c => c.Name)];

    public static FieldForm For(DatasetSpec dataset)
    {
        if (!Datasets.Contains(dataset))
            throw new InvalidRequestException("dataset", $"no field form for {dataset.Name}; forms exist for: {string.Join(", ", Datasets.Select(d => d.Name))}");
        var questions = QuestionsOf(dataset, insideRepeat: false);
        FormRepeat? repeat = dataset == DatasetCatalog.Accidents
            ? new FormRepeat(CasualtiesRepeat, "Casualty", DatasetCatalog.Casualties, QuestionsOf(DatasetCatalog.Casualties, insideRepeat: true))
            : null;
        var formId = "groundtruth_" + dataset.Table;
        var title = "Groundtruth " + FormLabels.Title(dataset);
        var draft = new FieldForm(formId, title, "", dataset, questions, repeat);
        return draft with { Version = draft.Fingerprint() };
    }

    /// <summary>The form whose id is <paramref name="formId"/> (the <c>id</c> attribute of a submission's root).</summary>
    public static FieldForm? ByFormId(string? formId) =>
        Datasets.Select(For).FirstOrDefault(f => string.Equals(f.FormId, formId, StringComparison.Ordinal));

    /// <summary>The question that holds a repeat group or a dataset field, by name.</summary>
    public FormQuestion? Question(string name) => Questions.FirstOrDefault(q => q.Name == name);

    private static List<FormQuestion> QuestionsOf(DatasetSpec dataset, bool insideRepeat)
    {
        var list = new List<FormQuestion>();
        foreach (var field in dataset.Fields)
        {
            if (field.Name == "id" || field.Computed || field.Personal) continue;
            // Inside the accident form a casualty belongs to the accident: its id, date and place come from it.
            if (insideRepeat && field.Name is "accident_id" or "occurred_on") continue;
            if (field.Name == "location_accuracy_m") continue; // the geopoint's own accuracy
            list.Add(QuestionOf(dataset, field));
            if (field.Name == dataset.InformationDateField && dataset.IsSpatial && !insideRepeat) list.Add(GeometryQuestion(dataset));
        }
        if (dataset.IsSpatial && !insideRepeat && list.All(q => q.Field is not null)) list.Add(GeometryQuestion(dataset));
        return list;
    }

    private static FormQuestion GeometryQuestion(DatasetSpec dataset) => dataset.Shape == GeometryShape.Point
        ? new FormQuestion(LocationQuestion, FormQuestionType.Geopoint, "Location", "Stand at the place and record it; the GPS accuracy is kept.", dataset.GeometryRequired, Always(dataset.GeometryRequired), null, null, null, null, null)
        : new FormQuestion(PerimeterQuestion, FormQuestionType.Geoshape, "Perimeter", "Walk or draw the perimeter; the first and last points close it.", dataset.GeometryRequired, Always(dataset.GeometryRequired), null, null, null, null, null);

    private static string? Always(bool required) => required ? "true()" : null;

    private static FormQuestion QuestionOf(DatasetSpec dataset, FieldSpec field)
    {
        var label = FormLabels.Field(field);
        var hint = field.Description.Length == 0 ? null : char.ToUpperInvariant(field.Description[0]) + field.Description[1..] + ".";
        string? constraint = null, message = null, relevant = null;
        FormChoiceList? choices = null;
        FormQuestionType type;
        switch (field.Type)
        {
            case FieldType.Integer or FieldType.Long:
                type = FormQuestionType.Integer;
                (constraint, message) = Range(field);
                break;
            case FieldType.Real:
                type = FormQuestionType.Decimal;
                (constraint, message) = Range(field);
                break;
            case FieldType.Date:
                type = FormQuestionType.Date;
                (constraint, message) = (". <= today()", "The date cannot be in the future.");
                break;
            case FieldType.Boolean:
                type = FormQuestionType.SelectOne;
                choices = FormChoiceList.YesNo;
                break;
            case FieldType.Enum:
                type = FormQuestionType.SelectOne;
                choices = FormChoiceList.Of(field.EnumType!);
                break;
            case FieldType.EnumList:
                type = FormQuestionType.SelectMultiple;
                choices = FormChoiceList.Of(field.EnumType!);
                break;
            default:
                type = FormQuestionType.Text;
                break;
        }
        var requiredWhen = field.Required ? "true()" : null;
        // The import checks mirrored where the form can check them offline (DatasetRules).
        switch (dataset.Name, field.Name)
        {
            case ("hazards", "handover_certificate"):
                requiredWhen = "${status} = 'handed_over'";
                relevant = "${status} = 'handed_over'";
                hint = "A handed-over area needs its handover certificate.";
                break;
            case ("hazards", "handed_over_to" or "residual_risk_owner" or "handed_over_on"):
                relevant = "${status} = 'handed_over'";
                break;
            case ("hazards", "derived_from"):
                hint = "Ids of the areas it was split or merged from, separated by ';'.";
                break;
            case ("finds", "production_year"):
                constraint = ". >= 1900 and . <= 2100 and (${found_on} = '' or . <= number(format-date(${found_on}, '%Y')))";
                message = "A year from 1900 to 2100, and not after the year it was found.";
                break;
            case ("land-release", "depth_cm"):
                relevant = "${method} != 'cancelled'";
                break;
            case ("hazards", "status"):
                label = "Status of the area";
                break;
            case ("casualties", "status"):
                label = "Civilian, military or deminer";
                break;
            case ("casualties", "age_group"):
                relevant = "${age} = ''";
                hint = "Only when the age is not known; otherwise it follows from the age (a child is under " +
                       CasualtyAge.AdultAge.ToString(CultureInfo.InvariantCulture) + ").";
                break;
        }
        return new FormQuestion(field.Name, type, label, hint, field.Required, requiredWhen, constraint, message, relevant, field.DefaultValue, choices) { Field = field };
    }

    private static (string?, string?) Range(FieldSpec field)
    {
        static string N(double v) => v.ToString(CultureInfo.InvariantCulture);
        return (field.Min, field.Max) switch
        {
            ({ } min, { } max) => ($". >= {N(min)} and . <= {N(max)}", $"A value from {N(min)} to {N(max)}."),
            ({ } min, null) => ($". >= {N(min)}", $"A value of at least {N(min)}."),
            (null, { } max) => ($". <= {N(max)}", $"A value of at most {N(max)}."),
            _ => (null, null),
        };
    }

    private string Fingerprint()
    {
        var text = new StringBuilder(FormId);
        foreach (var q in Questions.Concat(Repeat?.Questions ?? [])) text.Append('|').Append(q);
        foreach (var c in ChoiceLists) text.Append('|').Append(c.Name).Append(string.Join(",", c.Choices));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..10];
    }
}

public enum FormQuestionType { Text, Integer, Decimal, Date, SelectOne, SelectMultiple, Geopoint, Geoshape }

/// <summary>One question. Expressions use XLSForm's <c>${name}</c> references; <c>.</c> is the question's own value.</summary>
/// <param name="Required">Whether the import requires the value (the form may still require it only in some cases: <paramref name="RequiredWhen"/>).</param>
/// <param name="RequiredWhen">An XPath condition under which an answer is required, <c>true()</c> for always; null when optional.</param>
public sealed record FormQuestion(
    string Name,
    FormQuestionType Type,
    string Label,
    string? Hint,
    bool Required,
    string? RequiredWhen,
    string? Constraint,
    string? ConstraintMessage,
    string? Relevant,
    string? Default,
    FormChoiceList? Choices)
{
    /// <summary>The dataset field the question answers; null for the geometry.</summary>
    public FieldSpec? Field { get; init; }

    public override string ToString() =>
        $"{Name}:{Type}:{Label}:{Hint}:{RequiredWhen}:{Constraint}:{ConstraintMessage}:{Relevant}:{Default}:{Choices?.Name}";
}

/// <summary>A repeat group: several records of another dataset entered in one submission (the casualties of an accident).</summary>
public sealed record FormRepeat(string Name, string Label, DatasetSpec Dataset, IReadOnlyList<FormQuestion> Questions);

public sealed record FormChoice(string Name, string Label);

public sealed record FormChoiceList(string Name, IReadOnlyList<FormChoice> Choices)
{
    /// <summary>Booleans as a yes/no choice; the importer reads <c>yes</c> and <c>no</c>.</summary>
    public static readonly FormChoiceList YesNo = new("yes_no", [new("yes", "Yes"), new("no", "No")]);

    public static FormChoiceList Of(Type enumType) =>
        new(SnakeCase.From(enumType.Name), [.. SnakeCase.Names(enumType).Select(n => new FormChoice(n, FormLabels.Value(n)))]);
}

/// <summary>The human labels of datasets, fields and enum values as a field team reads them.</summary>
public static class FormLabels
{
    private static readonly Dictionary<string, string> Values = new(StringComparer.Ordinal)
    {
        ["anti_personnel_mine"] = "Anti-personnel mine",
        ["anti_vehicle_mine"] = "Anti-vehicle mine",
        ["improvised_mine"] = "Improvised mine (victim-activated IED)",
        ["improvised_explosive_device"] = "Improvised explosive device (IED, not victim-activated)",
        ["uxo"] = "Unexploded ordnance (UXO)",
        ["axo"] = "Abandoned explosive ordnance (AXO)",
        ["mine_erw"] = "Mine/ERW accident",
        ["demining"] = "Demining accident",
        ["worked_on"] = "Being worked on",
        ["eod_spot_task"] = "EOD spot task",
        ["cached"] = "Cached (stored, not laid)",
        ["emplaced"] = "Emplaced (laid to act)",
        ["cancelled"] = "Cancelled (non-technical survey)",
        ["reduced"] = "Reduced (technical survey)",
        ["unknown"] = "Unknown",
    };

    private static readonly Dictionary<string, string> Fields = new(StringComparer.Ordinal)
    {
        ["recorded_on"] = "Date recorded",
        ["found_on"] = "Date found",
        ["occurred_on"] = "Date of the accident",
        ["released_on"] = "Date released",
        ["handed_over_on"] = "Date handed over",
        ["depth_cm"] = "Depth (cm)",
        ["hazard_id"] = "Hazardous area id",
        ["activity_id"] = "Activity id",
        ["status_reason"] = "Reason for the status",
        ["device_category"] = "Device category",
        ["device_model"] = "Device model",
        ["device_handled"] = "Was the person handling the device?",
        ["booby_trapped"] = "Booby-trapped?",
        ["age"] = "Age (years)",
        ["method"] = "Release method",
        ["kind"] = "Kind of accident",
        ["outcome"] = "Killed or injured",
        ["status"] = "Status",
    };

    /// <summary>"anti_personnel_mine" → "Anti-personnel mine"; others spelled out from their snake_case name.</summary>
    public static string Value(string snake) => Values.TryGetValue(snake, out var label) ? label : Sentence(snake);

    public static string Field(FieldSpec field) => Fields.TryGetValue(field.Name, out var label) ? label : Sentence(field.Name);

    public static string Title(DatasetSpec dataset) => dataset.Name switch
    {
        "hazards" => "hazardous area",
        "finds" => "find",
        "accidents" => "accident and casualties",
        "land-release" => "land release",
        _ => dataset.Name,
    };

    private static string Sentence(string snake)
    {
        var words = snake.Replace('_', ' ');
        return char.ToUpperInvariant(words[0]) + words[1..];
    }
}
