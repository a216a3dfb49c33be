using System.Collections;
using System.Globalization;
using System.Resources;
using Groundtruth.Application.Datasets;
using Groundtruth.Domain;

namespace Groundtruth.Application.Resources;

/// <summary>
/// The one catalogue of words people read for datasets, fields and values (Labels.resx and its translations):
/// a field's label and help, an enum value in words, yes/no, areas and shares rounded for reading.
/// Every call answers in <see cref="CultureInfo.CurrentUICulture"/> unless given a culture; files, JSON and the
/// database keep the snake_case names (<see cref="DatasetSpec"/>), which never change with the language.
/// </summary>
/// <remarks>
/// Keys: <c>dataset.TABLE</c> (plural), <c>record.TABLE</c> (one record), <c>description.TABLE</c>,
/// <c>field.TABLE.FIELD</c> falling back to <c>field.FIELD</c>, <c>help.TABLE.FIELD</c> falling back to
/// <c>help.FIELD</c>, <c>value.ENUMTYPE.MEMBER</c>, <c>value.verdict.VERDICT</c>, <c>yes</c>, <c>no</c>.
/// </remarks>
public static class Labels
{
    /// <summary>The languages every resource file of the solution is translated into (a test checks each key in each).</summary>
    public static readonly IReadOnlyList<string> Languages = ["en", "fr", "es", "pt", "ar", "uk", "ru"];

    private static readonly ResourceManager Resources = new("Groundtruth.Application.Resources.Labels", typeof(Labels).Assembly);

    /// <summary>The text of <paramref name="key"/>, or null when the catalogue has none.</summary>
    public static string? Find(string key, CultureInfo? culture = null) => Resources.GetString(key, culture ?? CultureInfo.CurrentUICulture);

    /// <summary>The dataset's name in words, plural: "Hazardous areas".</summary>
    public static string Dataset(DatasetSpec dataset, CultureInfo? culture = null) => Find("dataset." + dataset.Table, culture) ?? dataset.Name;

    /// <summary>One record of the dataset: "Hazardous area".</summary>
    public static string Record(DatasetSpec dataset, CultureInfo? culture = null) => Find("record." + dataset.Table, culture) ?? dataset.Name;

    /// <summary>What the dataset holds, one sentence.</summary>
    public static string Description(DatasetSpec dataset, CultureInfo? culture = null) => Find("description." + dataset.Table, culture) ?? dataset.Description;

    /// <summary>A field's label: the dataset's own word for it if it has one ("Kind of place"), else the field's ("Found on").</summary>
    public static string Field(DatasetSpec dataset, string field, CultureInfo? culture = null) =>
        Find($"field.{dataset.Table}.{field}", culture) ?? Field(field, culture);

    /// <summary>A field's label in any dataset; a name the catalogue lacks reads with spaces for underscores.</summary>
    public static string Field(string field, CultureInfo? culture = null) => Find("field." + field, culture) ?? Humanise(field);

    /// <summary>
    /// What to type in a field, in a sentence or two: its meaning, the date forms a date takes, the values a list takes,
    /// that personal data is encrypted. Empty when there is nothing to add to the label.
    /// </summary>
    public static string Help(DatasetSpec dataset, FieldSpec field, CultureInfo? culture = null)
    {
        var parts = new List<string>();
        if ((Find($"help.{dataset.Table}.{field.Name}", culture) ?? Find("help." + field.Name, culture)) is { } meaning) parts.Add(meaning);
        if (field.Personal) parts.Add(Find("help.personal", culture)!);
        if (field.Type == FieldType.Date) parts.Add(Find("help.date", culture)!);
        if (field.Type == FieldType.EnumList && field.EnumType is { } type)
            parts.Add(Find("help.list", culture) + " " + string.Join(", ", field.EnumNames.Select(n => $"{n} ({Value(type, n, culture)})")) + ".");
        return string.Join(" ", parts);
    }

    /// <summary>An enum value in words: <c>OrdnanceCategory.Uxo</c> is "Unexploded ordnance (UXO)".</summary>
    public static string Value(Enum value, CultureInfo? culture = null) =>
        Find($"value.{value.GetType().Name}.{value}", culture) ?? Humanise(SnakeCase.From(value.ToString()));

    /// <summary>A stored spelling of an enum value in words (<c>anti_personnel_mine</c>); text that is no value of the enum comes back as it is.</summary>
    public static string Value(Type enumType, string stored, CultureInfo? culture = null) =>
        SnakeCase.TryParse(enumType, stored, out var value) && value is Enum e ? Value(e, culture) : stored;

    /// <summary>
    /// A field's stored value as a person reads it: enum values (one or a ';' list) in words, booleans yes/no,
    /// areas in whole m², whole numbers grouped and other numbers to at most two decimals in the culture's format.
    /// </summary>
    public static string Show(FieldSpec field, object? value, CultureInfo? culture = null)
    {
        var format = culture ?? CultureInfo.CurrentCulture;
        switch (value)
        {
            case null: return "";
            case bool b: return YesNo(b, culture);
            case double d when field.Name == "area_m2": return Area(d, format);
            case double or float or decimal: return Convert.ToDouble(value, CultureInfo.InvariantCulture).ToString("#,0.##", format);
            case int or long: return Convert.ToInt64(value, CultureInfo.InvariantCulture).ToString(field.Name == "production_year" ? "0" : "N0", format);
        }
        var text = Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";
        if (field.Type == FieldType.Boolean && bool.TryParse(text, out var flag)) return YesNo(flag, culture);
        if (field.Type == FieldType.Date) return Date(text, format);
        if (field.EnumType is not { } type) return text;
        return field.Type == FieldType.EnumList
            ? string.Join(", ", text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(v => Value(type, v, culture)))
            : Value(type, text, culture);
    }

    /// <summary>
    /// A stored date (<c>2025-01-25</c>, <c>2025-01</c> or <c>2025</c>) as the culture writes it: the short date, the
    /// month and year, or the year; text that is no such date comes back as it is.
    /// </summary>
    public static string Date(string stored, CultureInfo? culture = null)
    {
        var format = culture ?? CultureInfo.CurrentCulture;
        string[] parts = stored.Split('-');
        if (parts.Length == 3 && DateOnly.TryParseExact(stored, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            return day.ToString("d", format);
        if (parts.Length == 2 && DateOnly.TryParseExact(stored + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var month))
            return month.ToString("Y", format);
        return stored;
    }

    /// <summary>A minefield record's accuracy verdict (<c>not_yet_processed</c>) in words.</summary>
    public static string Verdict(string verdict, CultureInfo? culture = null) => Find("value.verdict." + verdict, culture) ?? Humanise(verdict);

    public static string YesNo(bool value, CultureInfo? culture = null) => Find(value ? "yes" : "no", culture)!;

    /// <summary>An area for reading: whole square metres, grouped in the culture's way ("12 346 m²" in French).</summary>
    public static string Area(double squareMetres, CultureInfo? culture = null) =>
        Math.Round(squareMetres, MidpointRounding.AwayFromZero).ToString("N0", culture ?? CultureInfo.CurrentCulture) + " m²";

    /// <summary>A share (0–1) as a percentage with one decimal, in the culture's way ("12.5%", "12,5 %").</summary>
    public static string Percent(double share, CultureInfo? culture = null) => share.ToString("P1", culture ?? CultureInfo.CurrentCulture);

    /// <summary>Every key of the catalogue with its text in <paramref name="culture"/> (English where a translation lacked one).</summary>
    public static IReadOnlyDictionary<string, string> All(CultureInfo culture)
    {
        var keys = Resources.GetResourceSet(CultureInfo.InvariantCulture, createIfNotExists: true, tryParents: true)!
            .Cast<DictionaryEntry>().Select(e => (string)e.Key);
        return keys.Order(StringComparer.Ordinal).ToDictionary(k => k, k => Find(k, culture)!, StringComparer.Ordinal);
    }

    private static string Humanise(string name) =>
        name.Length == 0 ? name : char.ToUpperInvariant(name[0]) + name[1..].Replace('_', ' ');
}
