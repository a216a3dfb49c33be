using System.Globalization;
using System.Resources;
using System.Text.RegularExpressions;

namespace Groundtruth.Application.Import;

/// <summary>
/// The importer's reasons (<see cref="ImportProblem.Reason"/>, always written in English: the command line, the API and
/// the tests read them) in the reader's language, for the pages. Each known reason is a pattern whose parts taken from
/// the file (a value, a column, the list of valid values) are carried over unchanged into the translated sentence
/// (<c>Resources/Messages.resx</c>, keys <c>reason.*</c>); a reason no pattern knows comes back as it is.
/// </summary>
public static partial class ImportReasons
{
    private static readonly ResourceManager Resources = new("Groundtruth.Application.Resources.Messages", typeof(ImportReasons).Assembly);

    /// <summary>Each reason the pages translate: its resource key and the pattern of its English text.</summary>
    public static IReadOnlyList<(string Key, Regex Pattern)> Known { get; } =
    [
        ("reason.required", Required()),
        ("reason.not_number", NotNumber()),
        ("reason.not_whole_number", NotWholeNumber()),
        ("reason.too_large", TooLarge()),
        ("reason.not_year", NotYear()),
        ("reason.not_month", NotMonth()),
        ("reason.not_day", NotDay()),
        ("reason.not_date", NotDate()),
        ("reason.not_date_format", NotDateFormat()),
        ("reason.not_boolean", NotBoolean()),
        ("reason.unknown_value", UnknownValue()),
        ("reason.at_least", AtLeast()),
        ("reason.at_most", AtMost()),
        ("reason.both_coordinates", BothCoordinates()),
        ("reason.missing_column", MissingColumn()),
        ("reason.unknown_column", UnknownColumn()),
        ("reason.duplicate_id", DuplicateId()),
        ("reason.no_such_record", NoSuchRecord()),
        ("reason.no_such_record_file", NoSuchRecordInFile()),
        ("reason.no_records", NoRecords()),
        ("reason.no_file", NoFile()),
        ("reason.geometry_required", GeometryRequired()),
        ("reason.not_wkt", NotWkt()),
        ("reason.not_convertible", NotConvertible()),
    ];

    /// <summary><paramref name="reason"/> in <paramref name="culture"/> (default: the current UI culture).</summary>
    public static string Localise(string reason, CultureInfo? culture = null)
    {
        var language = culture ?? CultureInfo.CurrentUICulture;
        // English is the reasons' own language: they come back word for word (the neutral resources hold them for the translators).
        if (language.TwoLetterISOLanguageName is "en" or "iv") return reason;
        // A file's or a rule's refusal (not a value's) is one of the application's messages.
        return ByPattern(Resources, Known, reason, language) ?? ErrorMessages.Translate(reason, language) ?? reason;
    }

    /// <summary>
    /// <paramref name="problem"/> as one line in <paramref name="culture"/> (default: the current UI culture), for the
    /// command line: the file, line (or <c>Sheet!row</c>), field and value as the file has them, the words around them
    /// and the reason translated. In English, <see cref="ImportProblem.ToString"/> word for word.
    /// </summary>
    public static string Describe(ImportProblem problem, CultureInfo? culture = null)
    {
        var language = culture ?? CultureInfo.CurrentUICulture;
        if (language.TwoLetterISOLanguageName is "en" or "iv") return problem.ToString();
        var p = problem;
        var where = p.Location is not null ? $"{p.File}:{p.Location}" : p.Line > 0 ? $"{p.File}:{p.Line}" : p.File;
        var reason = Localise(p.Reason, language);
        var value = p.Value is null ? null : p.Value.Length <= 60 ? p.Value : p.Value[..57] + "...";
        var (key, args) = (p.Field, value) switch
        {
            (null, null) => ("problem", new object[] { where, reason }),
            ({ } f, null) => ("problem.field", [where, f, reason]),
            (null, { } v) => ("problem.value", [where, v, reason]),
            ({ } f, { } v) => ("problem.field_value", [where, f, v, reason]),
        };
        return string.Format(language, Resources.GetString(key, language) ?? "{0}: {1}", args);
    }

    /// <summary>The sentence <paramref name="key"/> of the messages (<c>Resources/Messages.resx</c>) in <paramref name="culture"/> with its arguments.</summary>
    public static string Text(string key, CultureInfo? culture, params object[] args)
    {
        var language = culture ?? CultureInfo.CurrentUICulture;
        return string.Format(language, Resources.GetString(key, language) ?? key, args);
    }

    /// <summary>
    /// <paramref name="english"/> through the first of <paramref name="patterns"/> it matches: that key's sentence in
    /// <paramref name="language"/> with the pattern's groups carried over as <c>{0}</c>, <c>{1}</c>…; null when no
    /// pattern matches or the sentence is missing. Shared with the computations' stages (<see cref="Progress.WorkStages"/>).
    /// </summary>
    internal static string? ByPattern(ResourceManager resources, IEnumerable<(string Key, Regex Pattern)> patterns, string english, CultureInfo language)
    {
        foreach (var (key, pattern) in patterns)
        {
            var match = pattern.Match(english);
            if (!match.Success) continue;
            return resources.GetString(key, language) is { } text
                ? string.Format(language, text, [.. match.Groups.Cast<Group>().Skip(1).Select(g => (object)g.Value)])
                : null;
        }
        return null;
    }

    [GeneratedRegex("^a value is required$")] private static partial Regex Required();
    [GeneratedRegex("^not a number$")] private static partial Regex NotNumber();
    [GeneratedRegex("^not a whole number$")] private static partial Regex NotWholeNumber();
    [GeneratedRegex("^too large$")] private static partial Regex TooLarge();
    [GeneratedRegex("^not a year$")] private static partial Regex NotYear();
    [GeneratedRegex(@"^not a month \(")] private static partial Regex NotMonth();
    [GeneratedRegex("^not a day number$")] private static partial Regex NotDay();
    [GeneratedRegex(@"^not a date \(expected YYYY, YYYY-MM or YYYY-MM-DD\)$")] private static partial Regex NotDate();
    [GeneratedRegex("^not a date in the format '(.*)'$")] private static partial Regex NotDateFormat();
    [GeneratedRegex(@"^not true or false \((.*)\)$")] private static partial Regex NotBoolean();
    [GeneratedRegex("^unknown value; valid: (.*)$", RegexOptions.Singleline)] private static partial Regex UnknownValue();
    [GeneratedRegex("^must be at least (.*)$")] private static partial Regex AtLeast();
    [GeneratedRegex("^must be at most (.*)$")] private static partial Regex AtMost();
    [GeneratedRegex("^both coordinates are needed$")] private static partial Regex BothCoordinates();
    [GeneratedRegex("^required column '(.*)' is missing from the header$")] private static partial Regex MissingColumn();
    [GeneratedRegex(@"^unknown column for (\S+); valid columns: (.*) \(map or ignore it with --map\)$", RegexOptions.Singleline)] private static partial Regex UnknownColumn();
    [GeneratedRegex(@"^duplicate id in the file \(lines (.*)\)$")] private static partial Regex DuplicateId();
    [GeneratedRegex(@"^no (\S+) record has this id$")] private static partial Regex NoSuchRecord();
    [GeneratedRegex(@"^no (\S+) record has this id, in the database or the file$")] private static partial Regex NoSuchRecordInFile();
    [GeneratedRegex("^the file holds no records$")] private static partial Regex NoRecords();
    [GeneratedRegex("^the file does not exist$")] private static partial Regex NoFile();
    [GeneratedRegex(@"^a geometry is required \((.*)\)$")] private static partial Regex GeometryRequired();
    [GeneratedRegex("^not valid WKT: (.*)$", RegexOptions.Singleline)] private static partial Regex NotWkt();
    [GeneratedRegex("^the coordinates cannot be converted from (.+) to WGS 84$", RegexOptions.Singleline)] private static partial Regex NotConvertible();
}
