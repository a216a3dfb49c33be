using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Groundtruth.Application.Import;

/// <summary>
/// How a foreign register maps onto a dataset, so it imports without editing: column renames, value
/// translations, dates composed from parts or read in a given format, number separators, fixed values.
/// docs/import-mapping.md documents the file with a worked example.
/// </summary>
public sealed class ImportMapping
{
    /// <summary>Source column → dataset field (or <c>lon</c>, <c>lat</c>, <c>x</c>, <c>y</c>, <c>wkt</c>).</summary>
    [JsonPropertyName("columns")] public Dictionary<string, string> Columns { get; init; } = [];

    /// <summary>Source columns to leave out on purpose.</summary>
    [JsonPropertyName("ignore")] public List<string> Ignore { get; init; } = [];

    /// <summary>Field → (source value → dataset value), matched ignoring case.</summary>
    [JsonPropertyName("values")] public Dictionary<string, Dictionary<string, string>> Values { get; init; } = [];

    /// <summary>Field → how its date is read: a format, or year/month/day source columns.</summary>
    [JsonPropertyName("dates")] public Dictionary<string, DateMapping> Dates { get; init; } = [];

    [JsonPropertyName("numbers")] public NumberMapping Numbers { get; init; } = new();

    /// <summary>Field → a fixed value used when the file has no value for it.</summary>
    [JsonPropertyName("constants")] public Dictionary<string, string> Constants { get; init; } = [];

    /// <summary>The coordinates' reference system: <c>EPSG:32634</c>, WKT 1 (a .prj's text) or the path of a .prj file
    /// (relative to the mapping file); <c>--crs</c> overrides it, and it overrides a Shapefile's .prj or a GeoPackage layer's srs.</summary>
    [JsonPropertyName("crs")] public string? Crs { get; init; }

    /// <summary>The CSV delimiter; a comma when not given.</summary>
    [JsonPropertyName("delimiter")] public string? Delimiter { get; init; }

    // import-core (issue 12): registers without ids, text encodings.

    /// <summary>How a register without an id column gets its ids: composed from columns or generated from a key.</summary>
    [JsonPropertyName("id")] public IdMapping? Id { get; init; }

    /// <summary>The text encoding of a CSV file (<c>utf-8</c>, <c>utf-16</c>, <c>windows-1252</c>, <c>latin-1</c>…); detected when not given.</summary>
    [JsonPropertyName("encoding")] public string? Encoding { get; init; }
    // Excel workbooks (.xlsx): which sheet, and which row holds the column names.
    /// <summary>The sheet of a workbook to read; the first when not given.</summary>
    [JsonPropertyName("sheet")] public string? Sheet { get; init; }
    /// <summary>The row (1 = the first) holding the column names; detected below any title rows when not given.</summary>
    [JsonPropertyName("header_row")] public int? HeaderRow { get; init; }
    // import-spatial: spatial files
    /// <summary>The layer to read when a file holds several: a GeoPackage table, a .shp inside a .zip, or a GPX's
    /// <c>waypoints</c>, <c>routes</c> or <c>tracks</c>.</summary>
    [JsonPropertyName("layer")] public string? Layer { get; init; }

    public static readonly ImportMapping Identity = new();

    private static readonly JsonSerializerOptions Options = new()
    {
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    /// <exception cref="ImportRejectedException">The mapping file cannot be read; the problem names it.</exception>
    public static ImportMapping Load(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            return JsonSerializer.Deserialize<ImportMapping>(stream, Options) ?? Identity;
        }
        catch (JsonException e)
        {
            var line = (int)(e.LineNumber ?? -1) + 1;
            throw new ImportRejectedException([new ImportProblem(path, line, null, null, "not a valid mapping file: " + e.Message)], 1);
        }
        catch (IOException e)
        {
            throw new ImportRejectedException([new ImportProblem(path, 0, null, null, e.Message)], 1);
        }
    }

    /// <summary>Source columns consumed by date composition (they are not fields themselves).</summary>
    public IEnumerable<string> DatePartColumns =>
        Dates.Values.SelectMany(d => new[] { d.Year, d.Month, d.Day }).OfType<string>();

    /// <summary>The value a user still has to fill in, written by <c>--suggest-map</c> for a value it could not translate.</summary>
    public const string Placeholder = "?";
}

/// <summary>How one date field is read.</summary>
public sealed class DateMapping
{
    /// <summary>A .NET date format such as <c>dd.MM.yyyy</c> or <c>M/d/yyyy</c>.</summary>
    [JsonPropertyName("format")] public string? Format { get; init; }
    /// <summary>Source column holding the year; with <see cref="Month"/> and <see cref="Day"/> composes a possibly partial date.</summary>
    [JsonPropertyName("year")] public string? Year { get; init; }
    [JsonPropertyName("month")] public string? Month { get; init; }
    [JsonPropertyName("day")] public string? Day { get; init; }

    public bool IsComposed => Year is not null;
}

/// <summary>
/// The id of a register that has none: <c>columns</c> alone compose it from their values (joined by <c>separator</c>,
/// after <c>prefix</c>); with <c>generate</c> it is <c>prefix</c> and a hash of the <c>columns</c>' values (every
/// column of the row when none is named), so a later delivery of the same register gives the same record the same id.
/// </summary>
public sealed class IdMapping
{
    [JsonPropertyName("columns")] public List<string> Columns { get; init; } = [];
    [JsonPropertyName("prefix")] public string? Prefix { get; init; }
    [JsonPropertyName("separator")] public string? Separator { get; init; }
    [JsonPropertyName("generate")] public bool Generate { get; init; }
}

/// <summary>Separators of numbers in the source, e.g. <c>1.234,5</c> has thousands "." and decimal ",".</summary>
public sealed class NumberMapping
{
    [JsonPropertyName("thousands_separator")] public string? ThousandsSeparator { get; init; }
    [JsonPropertyName("decimal_separator")] public string? DecimalSeparator { get; init; }

    public string Normalise(string text)
    {
        var s = text;
        if (!string.IsNullOrEmpty(ThousandsSeparator)) s = s.Replace(ThousandsSeparator, "", StringComparison.Ordinal);
        if (!string.IsNullOrEmpty(DecimalSeparator) && DecimalSeparator != ".") s = s.Replace(DecimalSeparator, ".", StringComparison.Ordinal);
        return s.Replace(" ", "", StringComparison.Ordinal).Replace("\u00a0", "", StringComparison.Ordinal);
    }

    public static bool TryParseDouble(string s, out double value) =>
        double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
}
