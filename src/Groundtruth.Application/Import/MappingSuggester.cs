using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Groundtruth.Application.Datasets;
using Groundtruth.Domain;

namespace Groundtruth.Application.Import;

/// <summary>How one source column was matched: to a field, a geometry column, a date part (<c>occurred_on.year</c>), or nothing.</summary>
/// <param name="Target">The target, or null when the column is left out (listed under <c>ignore</c>).</param>
/// <param name="Sure">Matched on a whole word list entry (rather than a word inside a longer header).</param>
public sealed record ColumnMatch(string Source, string? Target, bool Sure);

/// <summary>
/// A draft mapping for a file: what <c>import --suggest-map</c> writes and the web upload's guided step shows. The user
/// confirms or edits the column matches and fills in the values it could not translate (<see cref="ImportMapping.Placeholder"/>).
/// </summary>
public sealed class MappingSuggestion
{
    public required DatasetSpec Dataset { get; init; }
    public required IReadOnlyList<string> Headers { get; init; }
    /// <summary>The first rows, in header order.</summary>
    public required IReadOnlyList<IReadOnlyList<string?>> Preview { get; init; }
    public required int RowsRead { get; init; }
    public required IReadOnlyList<ColumnMatch> Columns { get; init; }
    /// <summary>Field → source value → Groundtruth value, or <see cref="ImportMapping.Placeholder"/> when not known.</summary>
    public required IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Values { get; init; }
    public string? Encoding { get; init; }
    public bool EncodingDetected { get; init; }
    public string? Delimiter { get; init; }
    public NumberMapping Numbers { get; init; } = new();
    /// <summary>Date field → a .NET format recognised in its column.</summary>
    public IReadOnlyDictionary<string, string> DateFormats { get; init; } = new Dictionary<string, string>();
    public IdMapping? Id { get; init; }
    /// <summary>What the user should look at, one sentence each.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    public int Unfilled => Values.Values.Sum(v => v.Values.Count(x => x == ImportMapping.Placeholder));

    /// <summary>The targets a column may be matched to in this dataset (fields, geometry columns, date parts).</summary>
    public IReadOnlyList<string> Targets => MappingSuggester.TargetsOf(Dataset);

    /// <summary>The mapping with these matches, or with <paramref name="columns"/> and <paramref name="values"/> as a user confirmed them.</summary>
    public ImportMapping ToMapping(IReadOnlyDictionary<string, string?>? columns = null, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>? values = null)
    {
        var targets = columns ?? Columns.ToDictionary(c => c.Source, c => c.Target);
        values ??= Values;
        var twice = targets.Values.Where(t => !string.IsNullOrEmpty(t)).GroupBy(t => t).FirstOrDefault(g => g.Count() > 1);
        if (twice is not null) throw new InvalidRequestException("mapping", $"two columns are matched to '{twice.Key}': match one and leave the other out");
        var renames = new Dictionary<string, string>();
        var ignore = new List<string>();
        var parts = new Dictionary<string, Dictionary<string, string>>();
        foreach (var header in Headers)
        {
            var target = targets.GetValueOrDefault(header);
            if (string.IsNullOrEmpty(target)) { ignore.Add(header); continue; }
            if (target.Contains('.', StringComparison.Ordinal))
            {
                var (field, part) = (target[..target.IndexOf('.', StringComparison.Ordinal)], target[(target.IndexOf('.', StringComparison.Ordinal) + 1)..]);
                if (!parts.TryGetValue(field, out var p)) parts[field] = p = [];
                p[part] = header;
                continue;
            }
            if (!string.Equals(DatasetSpec.Key(header), target, StringComparison.Ordinal)) renames[header] = target;
        }
        var dates = new Dictionary<string, DateMapping>();
        foreach (var (field, format) in DateFormats)
        {
            if (targets.Values.Contains(field)) dates[field] = new DateMapping { Format = format };
        }
        foreach (var (field, p) in parts)
        {
            if (p.TryGetValue("year", out var year)) dates[field] = new DateMapping { Year = year, Month = p.GetValueOrDefault("month"), Day = p.GetValueOrDefault("day") };
            else ignore.AddRange(p.Values);
        }
        var hasId = targets.Values.Contains("id");
        return new ImportMapping
        {
            Encoding = Encoding,
            Delimiter = Delimiter,
            Id = hasId ? null : Id,
            Columns = renames,
            Ignore = ignore,
            Dates = dates,
            Numbers = Numbers,
            Values = values.Where(kv => kv.Value.Count > 0 && targets.Values.Contains(kv.Key))
                .ToDictionary(kv => kv.Key, kv => kv.Value.ToDictionary(x => x.Key, x => x.Value)),
        };
    }

    /// <summary>The mapping as a readable JSON file (non-ASCII letters kept as they are).</summary>
    public static string ToJson(ImportMapping mapping)
    {
        var o = new JsonObject();
        if (mapping.Encoding is not null) o["encoding"] = mapping.Encoding;
        if (mapping.Delimiter is not null) o["delimiter"] = mapping.Delimiter == "\t" ? "tab" : mapping.Delimiter;
        if (mapping.Crs is not null) o["crs"] = mapping.Crs;
        if (mapping.Id is { } id)
        {
            var idObject = new JsonObject();
            if (id.Generate) idObject["generate"] = true;
            idObject["columns"] = new JsonArray([.. id.Columns.Select(c => (JsonNode?)c)]);
            if (id.Prefix is not null) idObject["prefix"] = id.Prefix;
            if (id.Separator is not null) idObject["separator"] = id.Separator;
            o["id"] = idObject;
        }
        o["columns"] = new JsonObject(mapping.Columns.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value)));
        if (mapping.Ignore.Count > 0) o["ignore"] = new JsonArray([.. mapping.Ignore.Select(c => (JsonNode?)c)]);
        if (mapping.Dates.Count > 0)
        {
            o["dates"] = new JsonObject(mapping.Dates.Select(kv =>
            {
                var d = new JsonObject();
                if (kv.Value.Format is not null) d["format"] = kv.Value.Format;
                if (kv.Value.Year is not null) d["year"] = kv.Value.Year;
                if (kv.Value.Month is not null) d["month"] = kv.Value.Month;
                if (kv.Value.Day is not null) d["day"] = kv.Value.Day;
                return KeyValuePair.Create(kv.Key, (JsonNode?)d);
            }));
        }
        if (mapping.Numbers.ThousandsSeparator is not null || mapping.Numbers.DecimalSeparator is not null)
        {
            var n = new JsonObject();
            if (mapping.Numbers.ThousandsSeparator is not null) n["thousands_separator"] = mapping.Numbers.ThousandsSeparator;
            if (mapping.Numbers.DecimalSeparator is not null) n["decimal_separator"] = mapping.Numbers.DecimalSeparator;
            o["numbers"] = n;
        }
        if (mapping.Values.Count > 0)
        {
            o["values"] = new JsonObject(mapping.Values.Select(kv => KeyValuePair.Create(kv.Key,
                (JsonNode?)new JsonObject(kv.Value.Select(v => KeyValuePair.Create(v.Key, (JsonNode?)v.Value))))));
        }
        if (mapping.Constants.Count > 0) o["constants"] = new JsonObject(mapping.Constants.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value)));
        return o.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";
    }
}

/// <summary>
/// Reads a file (any format <see cref="SourceReader"/> opens) and drafts its mapping onto a dataset: headers matched to
/// fields ignoring case and accents and through <see cref="MappingVocabulary"/>, the encoding and delimiter read, number
/// separators and date formats recognised in the values, enum values translated where a word is known and listed with
/// a placeholder where not, and an id generated from the matched columns when the file has none. Nothing is imported.
/// </summary>
public static partial class MappingSuggester
{
    private const int PreviewRows = 5;
    private const int MaxDistinctValues = 200;

    /// <summary>What the importer reads as a boolean without a translation.</summary>
    private static readonly HashSet<string> ReadableBooleans = new(["true", "false", "yes", "no", "y", "n", "1", "0"], StringComparer.OrdinalIgnoreCase);

    private static readonly string[] DateFormatsTried =
        ["dd/MM/yyyy", "d/M/yyyy", "MM/dd/yyyy", "M/d/yyyy", "dd.MM.yyyy", "d.M.yyyy", "dd-MM-yyyy", "d-M-yyyy", "yyyy/MM/dd", "yyyy/M/d", "yyyy.MM.dd", "dd/MM/yy", "yyyyMMdd"];

    /// <summary>Field names, geometry columns and the date parts of the dataset's date fields.</summary>
    internal static IReadOnlyList<string> TargetsOf(DatasetSpec dataset)
    {
        var list = dataset.Fields.Where(f => !f.Computed).Select(f => f.Name).ToList();
        if (dataset.IsSpatial) list.AddRange(["lon", "lat", "x", "y", "wkt"]);
        foreach (var f in dataset.Fields.Where(f => f.Type == FieldType.Date && !f.Personal)) list.AddRange([f.Name + ".year", f.Name + ".month", f.Name + ".day"]);
        return list;
    }

    /// <param name="reading">Settings used to read the file (its encoding and delimiter), when the user states them.</param>
    public static MappingSuggestion Suggest(DatasetSpec dataset, string path, ReadOnlyMemory<byte>? content = null, ImportMapping? reading = null)
    {
        var readMapping = new ImportMapping { Encoding = reading?.Encoding, Delimiter = reading?.Delimiter };
        using var reader = SourceReader.Open(path, readMapping, content);
        var headers = new List<string>(reader.HeaderColumns);
        var samples = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var distinct = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        var rows = new List<IReadOnlyDictionary<string, string?>>();
        var read = 0;
        foreach (var record in reader.Records())
        {
            read++;
            foreach (var (column, value) in record.Values)
            {
                if (column.StartsWith('\u0000')) continue;
                if (!distinct.TryGetValue(column, out var set))
                {
                    if (!headers.Contains(column)) headers.Add(column);
                    distinct[column] = set = new HashSet<string>(StringComparer.Ordinal);
                    samples[column] = [];
                }
                if (value is not null && set.Count < MaxDistinctValues && set.Add(value)) samples[column].Add(value);
            }
            if (rows.Count < PreviewRows) rows.Add(record.Values.ToDictionary(kv => kv.Key, kv => kv.Value));
        }
        var notes = new List<string>();
        var matches = MatchColumns(dataset, headers);
        var targetOf = matches.Where(m => m.Target is not null).ToDictionary(m => m.Target!, m => m.Source);

        // A whole date column wins over year/month/day columns for the same field.
        foreach (var m in matches.ToList())
        {
            if (m.Target is { } t && t.Contains('.', StringComparison.Ordinal) && targetOf.ContainsKey(t[..t.IndexOf('.', StringComparison.Ordinal)]))
            {
                matches[matches.IndexOf(m)] = m with { Target = null };
                targetOf.Remove(t);
            }
        }
        foreach (var m in matches.Where(m => m.Target is null))
            notes.Add($"column '{m.Source}' matched no {dataset.Name} column: it is under \"ignore\"; map it under \"columns\" if it holds data");
        foreach (var m in matches.Where(m => m.Target is not null && !m.Sure))
            notes.Add($"column '{m.Source}' was taken for '{m.Target}' from a word in its name: check it");

        List<string> Sample(string? target) => target is not null && targetOf.TryGetValue(target, out var source) && samples.TryGetValue(source, out var s) ? s : [];

        var numbers = DetectNumbers(dataset, targetOf, samples, notes);
        var dateFormats = new Dictionary<string, string>();
        foreach (var field in dataset.Fields.Where(f => f.Type == FieldType.Date && targetOf.ContainsKey(f.Name)))
        {
            var values = Sample(field.Name);
            if (values.Count == 0 || values.All(v => PartialDate.TryParse(v, out _))) continue;
            var format = DateFormatsTried.FirstOrDefault(f => values.All(v => DateTime.TryParseExact(v, f, CultureInfo.InvariantCulture, DateTimeStyles.None, out _)));
            if (format is null)
            {
                notes.Add($"the dates in '{targetOf[field.Name]}' (e.g. '{values[0]}') are in no format recognised: give \"dates\": {{\"{field.Name}\": {{\"format\": …}}}}");
                continue;
            }
            dateFormats[field.Name] = format;
            if (format.StartsWith('d') && DateFormatsTried.Any(f => f.StartsWith('M') && f != format && values.All(v => DateTime.TryParseExact(v, f, CultureInfo.InvariantCulture, DateTimeStyles.None, out _))))
                notes.Add($"the dates in '{targetOf[field.Name]}' read as day first ({format}) or month first alike: check \"dates\"");
        }
        foreach (var field in dataset.Fields.Where(f => f.Type == FieldType.Date && targetOf.ContainsKey(f.Name + ".month")))
        {
            var unknown = Sample(field.Name + ".month").Where(v => !int.TryParse(numbers.Normalise(v), NumberStyles.None, CultureInfo.InvariantCulture, out _) && MonthNames.Parse(v) is null).ToList();
            if (unknown.Count > 0) notes.Add($"months not recognised in '{targetOf[field.Name + ".month"]}': {string.Join(", ", unknown.Take(5))}");
        }

        var translations = new Dictionary<string, IReadOnlyDictionary<string, string>>();
        foreach (var field in dataset.Fields.Where(f => f.Type is FieldType.Enum or FieldType.EnumList or FieldType.Boolean && targetOf.ContainsKey(f.Name)))
        {
            var table = new Dictionary<string, string>();
            var values = field.Type == FieldType.EnumList
                ? Sample(field.Name).SelectMany(v => v.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Distinct()
                : Sample(field.Name);
            foreach (var value in values)
            {
                if (field.Type == FieldType.Boolean ? ReadableBooleans.Contains(value) : SnakeCase.TryParse(field.EnumType!, value, out _)) continue;
                var words = field.Type == FieldType.Boolean ? MappingVocabulary.Booleans : MappingVocabulary.Values.GetValueOrDefault(field.EnumType!.Name);
                var known = field.Type == FieldType.Enum || field.Type == FieldType.EnumList ? MatchEnumName(field, value) : null;
                table[value] = known ?? (words is null ? null : Translate(words, value)) ?? ImportMapping.Placeholder;
            }
            if (table.Count > 0) translations[field.Name] = table;
            var unfilled = table.Where(kv => kv.Value == ImportMapping.Placeholder).Select(kv => kv.Key).ToList();
            if (unfilled.Count > 0)
            {
                var valid = field.Type == FieldType.Boolean ? "true, false" : string.Join(", ", field.EnumNames);
                notes.Add($"{unfilled.Count} value(s) of '{targetOf[field.Name]}' need a value for {field.Name} ({valid}): replace each \"{ImportMapping.Placeholder}\" under \"values\".\"{field.Name}\" ({string.Join(", ", unfilled.Take(5))})");
            }
        }

        IdMapping? id = null;
        if (!targetOf.ContainsKey("id"))
        {
            var key = matches.Where(m => m.Target is not null && m.Target is not ("lon" or "lat" or "x" or "y" or "wkt")
                                         && dataset.Field(m.Target)?.Personal != true).Select(m => m.Source).ToList();
            var prefix = new string([.. dataset.Name.Where(char.IsLetter).Take(3)]).ToUpperInvariant() + "-";
            id = new IdMapping { Generate = true, Columns = key, Prefix = prefix };
            notes.Add($"no id column: ids are generated from a hash of {string.Join(", ", key.Select(k => $"'{k}'"))}; keep under \"id\".\"columns\" only the columns that stay the same between deliveries of this register (see docs/import-mapping.md)");
        }

        var csv = reader as CsvSourceReader;
        return new MappingSuggestion
        {
            Dataset = dataset,
            Headers = headers,
            Preview = [.. rows.Select(r => (IReadOnlyList<string?>)[.. headers.Select(h => r.GetValueOrDefault(h))])],
            RowsRead = read,
            Columns = matches,
            Values = translations,
            Encoding = csv?.Format.Name,
            EncodingDetected = csv?.Format.EncodingDetected ?? false,
            Delimiter = csv?.Delimiter,
            Numbers = numbers,
            DateFormats = dateFormats,
            Id = id,
            Notes = notes,
        };
    }

    /// <summary>Each header to at most one target and each target to at most one header: exact word matches first, then longer words found inside headers.</summary>
    private static List<ColumnMatch> MatchColumns(DatasetSpec dataset, IReadOnlyList<string> headers)
    {
        var targets = TargetsOf(dataset);
        var dateField = dataset.InformationDateField is { } info && dataset.Field(info)?.Type == FieldType.Date
            ? info
            : dataset.Fields.FirstOrDefault(f => f.Type == FieldType.Date && !f.Personal)?.Name;
        var candidates = new List<(string Header, string Target, int Score, int Length)>();
        foreach (var header in headers)
        {
            var key = TextKeys.Fold(header);
            var padded = " " + key + " ";
            foreach (var target in targets)
            {
                var vocabularyKey = target.Contains('.', StringComparison.Ordinal) ? target[target.IndexOf('.', StringComparison.Ordinal)..] : target;
                if (vocabularyKey.StartsWith('.') && target[..target.IndexOf('.', StringComparison.Ordinal)] != dateField) continue;
                var words = new List<string> { TextKeys.Fold(target.Replace('_', ' ')) };
                if (MappingVocabulary.Columns.TryGetValue(vocabularyKey, out var synonyms)) words.AddRange(synonyms.Select(TextKeys.Fold));
                foreach (var word in words)
                {
                    if (word == key || key.Replace(" ", "", StringComparison.Ordinal) == target.Replace("_", "", StringComparison.Ordinal)) candidates.Add((header, target, 2, word.Length));
                    else if (word.Length >= 4 && padded.Contains(" " + word + " ", StringComparison.Ordinal)) candidates.Add((header, target, 1, word.Length));
                }
            }
        }
        var byHeader = new Dictionary<string, (string Target, bool Sure)>();
        var used = new HashSet<string>();
        foreach (var c in candidates.OrderByDescending(c => c.Score).ThenByDescending(c => c.Length))
        {
            if (byHeader.ContainsKey(c.Header) || used.Contains(c.Target)) continue;
            // lon/lat and x/y name the same coordinate: one pair only.
            if (c.Target is "lon" && used.Contains("x") || c.Target is "x" && used.Contains("lon") || c.Target is "lat" && used.Contains("y") || c.Target is "y" && used.Contains("lat")) continue;
            byHeader[c.Header] = (c.Target, c.Score == 2);
            used.Add(c.Target);
        }
        return [.. headers.Select(h => byHeader.TryGetValue(h, out var t) ? new ColumnMatch(h, t.Target, t.Sure) : new ColumnMatch(h, null, false))];
    }

    private static string? MatchEnumName(FieldSpec field, string value)
    {
        var key = TextKeys.Fold(value).Replace(' ', '_');
        return field.EnumNames.FirstOrDefault(n => n == key);
    }

    private static string? Translate(Dictionary<string, string[]> words, string value)
    {
        var key = TextKeys.Fold(value);
        foreach (var (target, list) in words)
        {
            if (list.Any(w => TextKeys.Fold(w) == key)) return target;
        }
        return null;
    }

    /// <summary>Separators from the numbers of numeric columns: a comma or full stop followed by other than three digits is a decimal mark; groups of three in a whole-number column are thousands.</summary>
    private static NumberMapping DetectNumbers(DatasetSpec dataset, Dictionary<string, string> targetOf, Dictionary<string, List<string>> samples, List<string> notes)
    {
        int decimalComma = 0, decimalPoint = 0;
        var thousands = new Dictionary<string, int>();
        foreach (var (target, source) in targetOf)
        {
            var whole = target.EndsWith(".year", StringComparison.Ordinal) || target.EndsWith(".day", StringComparison.Ordinal) || target.EndsWith(".month", StringComparison.Ordinal)
                        || dataset.Field(target)?.Type is FieldType.Integer or FieldType.Long;
            var real = target is "lon" or "lat" or "x" or "y" || dataset.Field(target)?.Type == FieldType.Real;
            if (!whole && !real) continue;
            foreach (var v in samples.GetValueOrDefault(source) ?? [])
            {
                if (!NumberLike().IsMatch(v)) continue;
                var s = v.TrimStart('+', '-');
                if (s.Contains(' ', StringComparison.Ordinal) || s.Contains('\u00a0', StringComparison.Ordinal)) Vote(thousands, " ");
                if (s.Contains('\'', StringComparison.Ordinal)) Vote(thousands, "'");
                var comma = s.LastIndexOf(',');
                var point = s.LastIndexOf('.');
                if (comma >= 0 && point >= 0)
                {
                    if (comma > point) { decimalComma++; Vote(thousands, "."); }
                    else { decimalPoint++; Vote(thousands, ","); }
                    continue;
                }
                var mark = comma >= 0 ? ',' : point >= 0 ? '.' : '\0';
                if (mark == '\0') continue;
                var groupsOfThree = ThousandGroups().IsMatch(s.Replace(mark, ','));
                if (whole && groupsOfThree) Vote(thousands, mark.ToString());
                else if (real && !groupsOfThree)
                {
                    if (mark == ',') decimalComma++;
                    else decimalPoint++;
                }
            }
        }
        var decimalSeparator = decimalComma > decimalPoint ? "," : decimalPoint > 0 ? "." : null;
        if (decimalComma > 0 && decimalPoint > 0) notes.Add($"numbers use both decimal marks ({decimalComma} with ',', {decimalPoint} with '.'): check \"numbers\"");
        var thousandsSeparator = thousands.Where(kv => kv.Key != decimalSeparator).OrderByDescending(kv => kv.Value).Select(kv => kv.Key).FirstOrDefault();
        if (thousands.ContainsKey(decimalSeparator ?? "\0")) notes.Add($"'{decimalSeparator}' is used both as the decimal mark and between thousands: check \"numbers\"");
        return new NumberMapping
        {
            DecimalSeparator = decimalSeparator == "," ? "," : null,
            ThousandsSeparator = thousandsSeparator,
        };
    }

    private static void Vote(Dictionary<string, int> votes, string key) => votes[key] = votes.GetValueOrDefault(key) + 1;

    [GeneratedRegex(@"^[+-]?\d[\d .,'\u00a0]*$")]
    private static partial Regex NumberLike();

    [GeneratedRegex(@"^\d{1,3}(,\d{3})+$")]
    private static partial Regex ThousandGroups();
}
