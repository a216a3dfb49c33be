using System.Globalization;
using System.Text;
using System.Text.Json;
using CsvHelper;
using CsvHelper.Configuration;
using Groundtruth.Application.Datasets;
using Groundtruth.Analysis.Geodesy;
using Groundtruth.Application.Import.Readers;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO.Converters;

namespace Groundtruth.Application.Import;

/// <summary>One record as it stands in the source file, before mapping and parsing.</summary>
/// <param name="Line">The file's own line number where the record starts.</param>
/// <param name="Values">Source column name → text (null when empty or absent).</param>
/// <param name="Geometry">The feature's geometry when the format carries one (GeoJSON).</param>
internal sealed record SourceRecord(int Line, IReadOnlyDictionary<string, string?> Values, Geometry? Geometry, bool HasGeometryMember)
{
    /// <summary>Problems the reader found in the record itself (field, value, reason); the parser reports them on its line.</summary>
    public IReadOnlyList<(string? Field, string? Value, string Reason)> Problems { get; init; } = [];
}

/// <summary>Streams the records of an input file.</summary>
internal interface ISourceReader : IDisposable
{
    /// <summary>The column names known before the first record (a CSV header); empty for formats without a header.</summary>
    IReadOnlyList<string> HeaderColumns { get; }
    long BytesRead { get; }
    long BytesTotal { get; }
    IEnumerable<SourceRecord> Records();

    /// <summary>The reference system the file itself states (a Shapefile's .prj, a GeoPackage layer's srs); null when it states none.</summary>
    SourceReferenceSystem? ReferenceSystem => null;

    /// <summary>Where the record numbered <paramref name="line"/> is, in words, for formats whose records are not lines of one file; null prints the number.</summary>
    string? Locate(int line) => null;
}

internal static class SourceReader
{
    public static readonly string[] Extensions = [".csv", ".tsv", ".txt", ".geojson", ".json", ".xlsx", ".xml",
        // import-spatial: Shapefile (.shp set or .zip), KML/KMZ, GPX, a GeoPackage layer
        ".shp", ".zip", ".kml", ".kmz", ".gpx", ".gpkg"];

    /// <summary>Opens <paramref name="path"/>, or reads <paramref name="content"/> as the file so named (nothing on disk).</summary>
    /// <param name="dataset">The dataset read into, for formats that shape their values by it (field forms).</param>
    /// <param name="part">The repeat group of a field-form export to read instead of its submissions.</param>
    public static ISourceReader Open(string path, ImportMapping mapping, ReadOnlyMemory<byte>? content = null, DatasetSpec? dataset = null, string? part = null)
    {
        var ext = Path.GetExtension(path).ToLowerInvariant();
        return ext switch
        {
            ".csv" or ".txt" or ".tsv" => new CsvSourceReader(path, content, mapping),
            ".geojson" or ".json" => new GeoJsonSourceReader(path, content),
            ".xlsx" => Readers.FieldFormSourceReader.TryOpen(path, content, dataset, part) ?? new Readers.XlsxSourceReader(path, content, mapping),
            ".zip" when ShapefileSourceReader.IsShapefileZip(path, content) => ShapefileSourceReader.Open(path, mapping, content),
            ".zip" => Readers.FieldFormSourceReader.TryOpen(path, content, dataset, part) ?? throw Readers.FieldFormSourceReader.NotAnExport(path),
            ".xml" => new Readers.XFormInstanceSourceReader(path, content, part),
            ".shp" => ShapefileSourceReader.Open(path, mapping, content),
            ".kml" or ".kmz" => new KmlSourceReader(path, content),
            ".gpx" => new GpxSourceReader(path, mapping, content),
            ".gpkg" => new GeoPackageLayerSourceReader(path, mapping, content),
            _ => throw new ImportRejectedException([new ImportProblem(path, 0, null, null,
                $"unsupported file type '{ext}'; use .csv or .tsv (lon/lat or wkt columns), .geojson, .xlsx, a field-form export (.xlsx, .zip), a form submission (.xml), a Shapefile (.shp or .zip), .kml, .kmz, .gpx or .gpkg")], 1),
        };
    }
}

/// <summary>Reads a delimited text file: encoding and delimiter as the mapping states them, or detected (<see cref="TextDecoding"/>).</summary>
internal sealed class CsvSourceReader : ISourceReader
{
    private readonly Stream _stream;
    private readonly StrictTextReader _reader;
    private readonly CsvParser _parser;

    public CsvSourceReader(string path, ReadOnlyMemory<byte>? content, ImportMapping mapping)
    {
        _stream = content is { } bytes
            ? new MemoryStream(bytes.ToArray(), writable: false)
            : new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        try
        {
            Format = TextDecoding.Detect(_stream, mapping.Encoding, path);
            DelimiterDetected = mapping.Delimiter is null;
            Delimiter = mapping.Delimiter is "tab" or "\\t" ? "\t" : mapping.Delimiter ?? (Path.GetExtension(path).Equals(".tsv", StringComparison.OrdinalIgnoreCase) ? "\t" : TextDecoding.DetectDelimiter(_stream, Format));
        }
        catch
        {
            _stream.Dispose();
            throw;
        }
        _reader = new StrictTextReader(_stream, Format, path);
        _parser = new CsvParser(_reader, new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            Delimiter = Delimiter,
            BadDataFound = null,
            IgnoreBlankLines = true,
        });
        if (!_parser.Read()) throw new ImportRejectedException([new ImportProblem(path, 1, null, null, "the file is empty: a header line is expected")], 1);
        HeaderColumns = [.. _parser.Record!.Select(h => h.Trim())];
        var dupes = HeaderColumns.GroupBy(h => h, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (dupes.Count > 0) throw new ImportRejectedException([new ImportProblem(path, 1, dupes[0], null, "the column appears twice in the header")], 1);
    }

    /// <summary>The encoding read, stated or detected.</summary>
    public TextFormat Format { get; }
    /// <summary>The delimiter read, stated or detected.</summary>
    public string Delimiter { get; }
    public bool DelimiterDetected { get; }
    public IReadOnlyList<string> HeaderColumns { get; }
    public long BytesRead => _stream.Position;
    public long BytesTotal => _stream.Length;

    public IEnumerable<SourceRecord> Records()
    {
        var previousEnd = _parser.RawRow;
        while (_parser.Read())
        {
            var fields = _parser.Record!;
            // A cell an export neutralised against spreadsheet formulas ('=…) reads back as it was (Export.CsvCell).
            for (var i = 0; i < fields.Length; i++) fields[i] = Export.CsvCell.Restore(fields[i]);
            var line = previousEnd + 1;
            previousEnd = _parser.RawRow;
            var values = new CsvRow(HeaderColumns, fields);
            if (fields.Length != HeaderColumns.Count && !(fields.Length == 1 && fields[0].Length == 0))
                values.WidthProblem = $"the line has {fields.Length} field(s), the header {HeaderColumns.Count}";
            yield return new SourceRecord(line, values, null, false);
        }
    }

    public void Dispose()
    {
        _parser.Dispose();
        _reader.Dispose();
        _stream.Dispose();
    }
}

/// <summary>A CSV line viewed as column → text without building a dictionary per line.</summary>
internal sealed class CsvRow(IReadOnlyList<string> header, string[] fields) : IReadOnlyDictionary<string, string?>
{
    public string? WidthProblem { get; set; }

    public string? this[string key] => TryGetValue(key, out var v) ? v : throw new KeyNotFoundException(key);
    public IEnumerable<string> Keys => header;
    public IEnumerable<string?> Values => header.Select((_, i) => Get(i));
    public int Count => header.Count;
    public bool ContainsKey(string key) => IndexOf(key) >= 0;

    public string? Get(int index)
    {
        if (index >= fields.Length) return null;
        var s = fields[index];
        return string.IsNullOrWhiteSpace(s) ? null : s.Trim();
    }

    public bool TryGetValue(string key, out string? value)
    {
        var i = IndexOf(key);
        value = i >= 0 ? Get(i) : null;
        return i >= 0;
    }

    public IEnumerator<KeyValuePair<string, string?>> GetEnumerator()
    {
        for (var i = 0; i < header.Count; i++) yield return new(header[i], Get(i));
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    private int IndexOf(string key)
    {
        for (var i = 0; i < header.Count; i++) if (header[i] == key) return i;
        return -1;
    }
}

/// <summary>Reads a GeoJSON FeatureCollection (RFC 7946) feature by feature, tracking line numbers.</summary>
internal sealed class GeoJsonSourceReader(string path, ReadOnlyMemory<byte>? content = null) : ISourceReader
{
    private static readonly JsonSerializerOptions Options = new() { Converters = { new GeoJsonConverterFactory(Domain.SpatialRules.Factory) } };
    private long _bytesRead;

    public IReadOnlyList<string> HeaderColumns => [];
    public long BytesRead => _bytesRead;
    public long BytesTotal { get; } = content?.Length ?? new FileInfo(path).Length;

    private readonly List<(int Line, int Start, int Length)> _features = [];
    private bool _keyedByFeature;

    public IEnumerable<SourceRecord> Records()
    {
        var bytes = content ?? File.ReadAllBytes(path);
        if (InvalidUtf8At(bytes.Span) is { } bad)
            throw Rejected(1 + bytes.Span[..bad].Count((byte)'\n'), "not UTF-8 text: GeoJSON is UTF-8 (RFC 8259 section 8.1); save the file as UTF-8");
        try
        {
            FindFeatures(bytes, _features);
        }
        catch (JsonException e)
        {
            throw new ImportRejectedException([new ImportProblem(path, (int)(e.LineNumber ?? 0) + 1, null, null, "not valid JSON: " + e.Message)], 1);
        }
        // A record is known by its line while every feature starts on a line of its own; in a minified file (many
        // features on one line) by its feature number instead, and Locate names both.
        _keyedByFeature = _features.Select(f => f.Line).Distinct().Count() < _features.Count;
        for (var i = 0; i < _features.Count; i++)
        {
            var (line, start, length) = _features[i];
            _bytesRead = start + length;
            yield return ReadFeature(bytes.Slice(start, length), _keyedByFeature ? i + 1 : line);
        }
    }

    /// <summary>The index of the first byte that is not part of valid UTF-8, or null when all of it is.</summary>
    private static int? InvalidUtf8At(ReadOnlySpan<byte> bytes)
    {
        if (System.Text.Unicode.Utf8.IsValid(bytes)) return null;
        var chars = new char[4096];
        var at = 0;
        while (at < bytes.Length)
        {
            var status = System.Text.Unicode.Utf8.ToUtf16(bytes[at..], chars, out var read, out _, replaceInvalidSequences: false);
            at += read;
            if (status == System.Buffers.OperationStatus.InvalidData || status == System.Buffers.OperationStatus.NeedMoreData) return at;
        }
        return null;
    }

    /// <summary>The line and the feature's number in the collection (1-based): <c>1 (feature 3)</c>.</summary>
    public string? Locate(int key)
    {
        var index = _keyedByFeature ? key - 1 : _features.FindIndex(f => f.Line == key);
        if (index < 0 || index >= _features.Count) return null;
        return string.Create(CultureInfo.InvariantCulture, $"{_features[index].Line} (feature {index + 1})");
    }

    private void FindFeatures(ReadOnlyMemory<byte> memory, List<(int, int, int)> features)
    {
        var reader = new Utf8JsonReader(memory.Span, new JsonReaderOptions { CommentHandling = Leniency.CommentHandling, AllowTrailingCommas = Leniency.AllowTrailingCommas });
        var line = 1;
        var counted = 0;
        int LineAt(long index)
        {
            var bytes = memory.Span;
            for (var i = counted; i < index; i++) if (bytes[i] == (byte)'\n') line++;
            counted = (int)index;
            return line;
        }
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) throw Rejected(1, "a GeoJSON FeatureCollection object is expected");
        var sawFeatures = false;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var name = reader.GetString();
            reader.Read();
            if (name == "type" && reader.TokenType == JsonTokenType.String && reader.GetString() != "FeatureCollection")
                throw Rejected(LineAt(reader.TokenStartIndex), $"a FeatureCollection is expected, not a {reader.GetString()}");
            if (name == "crs")
                throw Rejected(LineAt(reader.TokenStartIndex), "GeoJSON 'crs' members are not read (RFC 7946 coordinates are WGS84); remove it and pass --crs instead");
            if (name != "features") { reader.Skip(); continue; }
            sawFeatures = true;
            if (reader.TokenType != JsonTokenType.StartArray) throw Rejected(LineAt(reader.TokenStartIndex), "'features' must be an array");
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                var start = (int)reader.TokenStartIndex;
                var featureLine = LineAt(start);
                reader.Skip();
                features.Add((featureLine, start, (int)reader.BytesConsumed - start));
            }
        }
        if (!sawFeatures) throw Rejected(1, "the FeatureCollection has no 'features' array");
    }

    /// <summary>
    /// Comments and trailing commas are taken, by the pass that finds the features and by the one that reads each of them
    /// alike (afl-fuzz found a trailing comma inside a feature passing the first and escaping the second as JsonException).
    /// </summary>
    private static readonly JsonDocumentOptions Leniency = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    private SourceRecord ReadFeature(ReadOnlyMemory<byte> json, int line)
    {
        using var doc = JsonDocument.Parse(json, Leniency);
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object) throw Rejected(line, "a feature must be an object");
        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        var problems = new List<(string?, string?, string)>();
        string? featureId = null;
        if (root.TryGetProperty("id", out var id) && id.ValueKind is JsonValueKind.String or JsonValueKind.Number)
            values["id"] = featureId = id.ValueKind == JsonValueKind.String ? id.GetString() : id.GetRawText();
        else if (id.ValueKind is JsonValueKind.Array or JsonValueKind.Object)
            problems.Add(("id", null, "the feature's id must be a string or a number (RFC 7946 section 3.2), not a list or an object"));
        if (root.TryGetProperty("properties", out var props) && props.ValueKind == JsonValueKind.Object)
        {
            var seen = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var p in props.EnumerateObject())
            {
                // Columns bind ignoring case, so "id" and "ID" would silently overwrite each other.
                if (seen.TryGetValue(p.Name.Trim(), out var other))
                {
                    problems.Add((p.Name, null, $"the properties '{other}' and '{p.Name}' differ only in case; rename or remove one"));
                    continue;
                }
                seen[p.Name.Trim()] = p.Name;
                var text = p.Value.ValueKind switch
                {
                    JsonValueKind.Null or JsonValueKind.Undefined => null,
                    JsonValueKind.String => string.IsNullOrWhiteSpace(p.Value.GetString()) ? null : p.Value.GetString()!.Trim(),
                    JsonValueKind.True => "true",
                    JsonValueKind.False => "false",
                    _ => p.Value.GetRawText(),
                };
                if (p.Name.Trim().Equals("id", StringComparison.OrdinalIgnoreCase) && p.Value.ValueKind is JsonValueKind.Array or JsonValueKind.Object)
                {
                    problems.Add((p.Name, null, "an id must be a string or a number, not a list or an object"));
                    continue;
                }
                if (featureId is not null && p.Name.Trim().Equals("id", StringComparison.OrdinalIgnoreCase) && text != featureId)
                {
                    problems.Add((p.Name, text, $"the feature's id '{featureId}' and its property '{p.Name}' disagree; keep one"));
                    continue;
                }
                values[p.Name] = text;
            }
        }
        Geometry? geometry = null;
        var hasGeometry = root.TryGetProperty("geometry", out var g) && g.ValueKind == JsonValueKind.Object;
        if (hasGeometry)
        {
            try
            {
                geometry = g.Deserialize<Geometry>(Options);
            }
            catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException or FormatException)
            {
                values["\u0000geometry_error"] = e.Message;
            }
        }
        return new SourceRecord(line, values, geometry, hasGeometry) { Problems = problems };
    }

    private ImportRejectedException Rejected(int line, string reason) => new([new ImportProblem(path, line, null, null, reason)], 1);

    public void Dispose() { }
}
