using System.Globalization;
using Groundtruth.Analysis.Geodesy;
using Groundtruth.Application.Datasets;
using Groundtruth.Application.Import.Readers;
using Groundtruth.Domain;
using NetTopologySuite;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace Groundtruth.Application.Import;

/// <summary>A record parsed, typed and checked: ready to stage.</summary>
internal sealed class ParsedRecord(int line, object?[] values)
{
    public int Line { get; } = line;
    /// <summary>Typed values in the order of the dataset's fields: string, int, long, double, bool; dates and enums as their canonical text.</summary>
    public object?[] Values { get; } = values;
    public Geometry? Geometry { get; set; }
    public string? OriginalCrs { get; set; }
    public string? OriginalWkt { get; set; }
    public string Id => (string)Values[0]!;
}

/// <summary>The problems of one import, kept up to a cap but all counted.</summary>
internal sealed class ProblemList(string file, int cap = 200)
{
    private readonly List<ImportProblem> _items = [];
    public string File { get; } = file;
    public int Total { get; private set; }
    public IReadOnlyList<ImportProblem> Items => _items;
    /// <summary>Names a record's place in words for formats without lines (<see cref="ISourceReader.Locate"/>).</summary>
    public Func<int, string?>? Locate { get; set; }

    public void Add(int line, string? field, string? value, string reason)
    {
        Total++;
        if (_items.Count < cap) _items.Add(new ImportProblem(File, line, field, value, reason, line > 0 ? Locate?.Invoke(line) : null));
    }

    public ImportRejectedException ToException() => new(_items, Total);
}

/// <summary>Maps source columns onto a dataset's fields and parses their text into typed, checked values.</summary>
internal sealed class RecordParser
{
    private readonly DatasetSpec _dataset;
    private readonly ImportMapping _mapping;
    private readonly ProblemList _problems;
    private readonly bool _repair;
    private readonly SourceReferenceSystem? _source;
    private readonly ProjNet.CoordinateSystems.Transformations.MathTransform? _toWgs84;
    private readonly Dictionary<string, Target> _bindings = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, string>> _values;
    private readonly HashSet<string> _reportedColumns = new(StringComparer.OrdinalIgnoreCase);
    /// <summary>What WKT is written with: printable ASCII, spaces, tabs and line breaks.</summary>
    private static readonly System.Buffers.SearchValues<char> WktCharacters =
        System.Buffers.SearchValues.Create([.. Enumerable.Range(0x20, 0x7F - 0x20).Select(c => (char)c), '\t', '\n', '\r']);

    private readonly WKTReader _wktReader = new(new NtsGeometryServices(SpatialRules.Factory.PrecisionModel, SpatialRules.Wgs84));
    private readonly WKTWriter _wktWriter = new();
    private readonly IdComposer? _ids;

    private enum TargetKind { Field, Lon, Lat, Wkt, OriginalCrs, OriginalWkt, Ignored, Unknown }

    private readonly record struct Target(TargetKind Kind, int FieldIndex = -1);

    public RecordParser(DatasetSpec dataset, ImportMapping mapping, SourceReferenceSystem? source, bool repair, ProblemList problems)
    {
        _dataset = dataset;
        _mapping = mapping;
        _problems = problems;
        _repair = repair;
        _source = source is { IsWgs84: false } ? source : null;
        if (_source is not null) _toWgs84 = ReferenceSystems.ToWgs84(_source);
        _values = mapping.Values.ToDictionary(kv => kv.Key, kv => new Dictionary<string, string>(kv.Value, StringComparer.OrdinalIgnoreCase));
        if (mapping.Id is { } id) _ids = new IdComposer(id, mapping);
    }

    /// <summary>Checks a header once: unknown columns and required fields nobody supplies are reported on line 1.</summary>
    public void CheckHeader(IReadOnlyList<string> columns)
    {
        if (columns.Count == 0) return;
        if (_ids is not null)
        {
            foreach (var missing in _ids.Columns.Where(c => !columns.Contains(c, StringComparer.OrdinalIgnoreCase)))
                _problems.Add(1, missing, null, "the mapping's \"id\" names this column but the header has no such column");
        }
        foreach (var c in columns) Bind(c, line: 1);
        var bound = columns.Select(c => Bind(c, 1)).Where(t => t.Kind == TargetKind.Field).Select(t => t.FieldIndex).ToHashSet();
        foreach (var (field, i) in _dataset.Fields.Select((f, i) => (f, i)))
        {
            if (!field.Required || bound.Contains(i) || _mapping.Constants.ContainsKey(field.Name) || _mapping.Dates.ContainsKey(field.Name)) continue;
            if (i == 0 && _ids is not null) continue;
            _problems.Add(1, field.Name, null, $"required column '{field.Name}' is missing from the header");
        }
        if (_dataset.IsSpatial && _dataset.GeometryRequired)
        {
            var kinds = columns.Select(c => Bind(c, 1).Kind).ToHashSet();
            if (!kinds.Contains(TargetKind.Wkt) && !(kinds.Contains(TargetKind.Lon) && kinds.Contains(TargetKind.Lat)))
                _problems.Add(1, "wkt", null, $"no geometry columns: give 'lon' and 'lat' (or 'x' and 'y') for points, or 'wkt' for {SpatialRules.Describe(_dataset.Shape)}");
        }
    }

    /// <summary>The day of the import: a date after it is refused (no date of a record lies in the future); not checked when null.</summary>
    public DateOnly? Today { get; init; }

    public ParsedRecord? Parse(SourceRecord source)
    {
        var before = _problems.Total;
        var line = source.Line;
        if (source.Values is CsvRow { WidthProblem: { } width }) _problems.Add(line, null, null, width);
        foreach (var (f, v, reason) in source.Problems) _problems.Add(line, f, v, reason);
        var texts = new string?[_dataset.Fields.Count];
        string? lon = null, lat = null, wkt = null, originalCrs = null, originalWkt = null;
        var readerProblem = false;
        foreach (var (column, value) in source.Values)
        {
            if (column == "\u0000geometry_error") { _problems.Add(line, "geometry", null, "unreadable GeoJSON geometry: " + value); readerProblem = true; continue; }
            if (SourceProblem.TryRead(column, value, out var problemField, out var problemReason)) { _problems.Add(line, problemField, null, problemReason); readerProblem = true; continue; }
            var target = Bind(column, line);
            switch (target.Kind)
            {
                case TargetKind.Field: texts[target.FieldIndex] = value; break;
                case TargetKind.Lon: lon = value; break;
                case TargetKind.Lat: lat = value; break;
                case TargetKind.Wkt: wkt = value; break;
                case TargetKind.OriginalCrs: originalCrs = value; break;
                case TargetKind.OriginalWkt: originalWkt = value; break;
            }
        }
        var values = new object?[_dataset.Fields.Count];
        for (var i = 0; i < values.Length; i++)
        {
            var field = _dataset.Fields[i];
            if (field.Computed) continue;
            var text = texts[i];
            if (_mapping.Dates.TryGetValue(field.Name, out var dm) && dm.IsComposed)
            {
                var composing = _problems.Total;
                text = Compose(source, dm, line, field.Name);
                if (_problems.Total > composing) continue; // its part is named; "a value is required" would only repeat it
            }
            if (i == 0 && _ids is not null)
            {
                if (text is not null) { _problems.Add(line, field.Name, text, "the file has an id column and the mapping composes ids: map or ignore one of them"); continue; }
                text = _ids.Compose(source, line, _problems);
                if (text is null) continue;
            }
            text ??= _mapping.Constants.GetValueOrDefault(field.Name) ?? field.DefaultValue;
            if (text is not null && _values.TryGetValue(field.Name, out var translate) && translate.TryGetValue(text, out var translated))
            {
                if (translated == ImportMapping.Placeholder)
                {
                    _problems.Add(line, field.Name, text, $"the mapping leaves this value to be filled in (\"{ImportMapping.Placeholder}\" under \"values\"); valid: {string.Join(", ", field.EnumNames)}");
                    continue;
                }
                text = translated;
            }
            if (text is null)
            {
                if (field.Required) _problems.Add(line, field.Name, null, "a value is required");
                continue;
            }
            if (i == 0 && RecordIds.Problem(text) is { } badId)
            {
                _problems.Add(line, field.Name, RecordIds.Shown(text), badId);
                continue;
            }
            values[i] = ParseValue(field, text, line);
        }
        if (Today is { } today)
        {
            // Checked here, field by field, and not with the rules that span a record: a future date is named in the same
            // round as a bad coordinate or a missing value (issue 13).
            for (var i = 0; i < values.Length; i++)
            {
                var field = _dataset.Fields[i];
                if (field.Type == FieldType.Date && !field.Personal && values[i] is string s && PartialDate.Parse(s).Start > today)
                    _problems.Add(line, field.Name, s, "the date is in the future");
            }
        }
        var record = new ParsedRecord(line, values);
        if (_dataset.IsSpatial && !readerProblem) ReadGeometry(record, source, lon, lat, wkt, originalCrs, originalWkt);
        return _problems.Total == before ? record : null;
    }

    private string? Compose(SourceRecord source, DateMapping dm, int line, string field)
    {
        string? Part(string? column) => column is not null && source.Values.TryGetValue(column, out var v) ? v : null;
        var y = Part(dm.Year);
        var m = Part(dm.Month);
        var d = Part(dm.Day);
        if (y is null) return null;
        if (!TryWhole(y, out var year)) { _problems.Add(line, dm.Year, y, "not a year"); return null; }
        int? month = null, day = null;
        if (m is not null)
        {
            if (TryWhole(m, out var mm)) month = mm;
            else if (MonthNames.Parse(m) is { } named) month = named;
            else { _problems.Add(line, dm.Month, m, "not a month (a number 1-12 or a month's name in English, French, Spanish, Portuguese, Ukrainian, Russian or Arabic)"); return null; }
        }
        if (d is not null && month is not null)
        {
            if (!TryWhole(d, out var dd)) { _problems.Add(line, dm.Day, d, "not a day number"); return null; }
            day = dd;
        }
        try
        {
            return new PartialDate(year, month, day).ToString();
        }
        catch (ArgumentException e)
        {
            _problems.Add(line, field, $"{y}-{m}-{d}", "not a real date: " + e.Message.Split('(')[0].Trim());
            return null;
        }
    }

    /// <summary>A whole number written with the mapping's number settings (a year written <c>2,006</c> or <c>2.006</c>).</summary>
    private bool TryWhole(string text, out int value)
    {
        var s = _mapping.Numbers.Normalise(text);
        if (int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out value)) return true;
        if (NumberMapping.TryParseDouble(s, out var d) && d == Math.Floor(d) && d is >= 0 and < int.MaxValue)
        {
            value = (int)d;
            return true;
        }
        return false;
    }

    private object? ParseValue(FieldSpec field, string text, int line)
    {
        switch (field.Type)
        {
            case FieldType.Text:
                return text;
            case FieldType.Integer:
            case FieldType.Long:
            {
                var s = _mapping.Numbers.Normalise(text);
                if (!long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n)
                    && !(NumberMapping.TryParseDouble(s, out var whole) && whole == Math.Floor(whole) && Math.Abs(whole) < 1e15 && (n = (long)whole) == whole))
                {
                    _problems.Add(line, field.Name, text, "not a whole number");
                    return null;
                }
                if (!InRange(field, n, text, line)) return null;
                if (field.Type == FieldType.Integer)
                {
                    if (n is < int.MinValue or > int.MaxValue) { _problems.Add(line, field.Name, text, "too large"); return null; }
                    return (int)n;
                }
                return n;
            }
            case FieldType.Real:
            {
                if (!NumberMapping.TryParseDouble(_mapping.Numbers.Normalise(text), out var d) || !double.IsFinite(d))
                {
                    _problems.Add(line, field.Name, text, "not a number");
                    return null;
                }
                return InRange(field, d, text, line) ? d : null;
            }
            case FieldType.Date:
            {
                if (_mapping.Dates.TryGetValue(field.Name, out var dm) && dm.Format is { } format)
                {
                    if (DateTime.TryParseExact(text, format, CultureInfo.InvariantCulture, DateTimeStyles.None, out var exact))
                        return PartialDate.FromDate(DateOnly.FromDateTime(exact)).ToString();
                    _problems.Add(line, field.Name, text, $"not a date in the format '{format}'");
                    return null;
                }
                if (PartialDate.TryParse(text, out var date)) return date.ToString();
                _problems.Add(line, field.Name, text, "not a date (expected YYYY, YYYY-MM or YYYY-MM-DD)");
                return null;
            }
            case FieldType.Boolean:
                switch (text.ToLowerInvariant())
                {
                    case "true" or "yes" or "y" or "1": return true;
                    case "false" or "no" or "n" or "0": return false;
                    default:
                        _problems.Add(line, field.Name, text, "not true or false (true, false, yes, no, 1, 0)");
                        return null;
                }
            case FieldType.Enum:
                if (SnakeCase.TryParse(field.EnumType!, text, out var e)) return SnakeCase.From(e!.ToString()!);
                _problems.Add(line, field.Name, text, "unknown value; valid: " + string.Join(", ", field.EnumNames));
                return null;
            case FieldType.EnumList:
            {
                var parts = new List<string>();
                foreach (var part in text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    var p = _values.TryGetValue(field.Name, out var tr) && tr.TryGetValue(part, out var t) ? t : part;
                    if (SnakeCase.TryParse(field.EnumType!, p, out var v)) parts.Add(SnakeCase.From(v!.ToString()!));
                    else { _problems.Add(line, field.Name, part, "unknown value; valid: " + string.Join(", ", field.EnumNames)); return null; }
                }
                return parts.Count == 0 ? null : string.Join(';', parts.Distinct());
            }
            default:
                throw new InvalidOperationException($"unhandled field type {field.Type}");
        }
    }

    private bool InRange(FieldSpec field, double value, string text, int line)
    {
        if (field.Min is { } min && value < min) { _problems.Add(line, field.Name, text, $"must be at least {min.ToString(CultureInfo.InvariantCulture)}"); return false; }
        if (field.Max is { } max && value > max) { _problems.Add(line, field.Name, text, $"must be at most {max.ToString(CultureInfo.InvariantCulture)}"); return false; }
        return true;
    }

    private void ReadGeometry(ParsedRecord record, SourceRecord source, string? lon, string? lat, string? wkt, string? originalCrs, string? originalWkt)
    {
        var line = source.Line;
        Geometry? g = source.Geometry;
        string field = "geometry";
        if ((g is not null || wkt is not null) && (lon is not null || lat is not null))
        {
            _problems.Add(line, g is not null ? "geometry" : "wkt", null,
                $"both {(g is not null ? "a geometry" : "'wkt'")} and lon/lat coordinates are given: keep one (leave the other empty, or list its column under \"ignore\" in the mapping)");
            return;
        }
        if (g is null && wkt is not null)
        {
            field = "wkt";
            // WKT is ASCII; NetTopologySuite's tokenizer indexes a 256-entry table by the character and throws
            // IndexOutOfRangeException beyond it (found by afl-fuzz: a windows-1252 file's 'ž' inside a polygon).
            var bad = wkt.AsSpan().IndexOfAnyExcept(WktCharacters);
            if (bad >= 0)
            {
                _problems.Add(line, "wkt", wkt, string.Create(CultureInfo.InvariantCulture,
                    $"not valid WKT: character '{wkt[bad]}' (U+{(int)wkt[bad]:X4}) at position {bad + 1} is not an ASCII letter, digit or sign"));
                return;
            }
            try
            {
                g = _wktReader.Read(wkt);
            }
            catch (Exception e) when (e is ParseException or ArgumentException or FormatException or InvalidOperationException)
            {
                _problems.Add(line, "wkt", wkt, "not valid WKT: " + e.Message);
                return;
            }
        }
        else if (g is null && (lon is not null || lat is not null))
        {
            var xName = _source is null ? "lon" : "x";
            var yName = _source is null ? "lat" : "y";
            if (lon is null || lat is null) { _problems.Add(line, lon is null ? xName : yName, null, "both coordinates are needed"); return; }
            var okX = NumberMapping.TryParseDouble(_mapping.Numbers.Normalise(lon), out var x);
            var okY = NumberMapping.TryParseDouble(_mapping.Numbers.Normalise(lat), out var y);
            if (!okX) _problems.Add(line, xName, lon, "not a number");
            if (!okY) _problems.Add(line, yName, lat, "not a number");
            if (!okX || !okY) return;
            field = xName;
            g = SpatialRules.Factory.CreatePoint(new Coordinate(x, y));
        }
        if (g is null)
        {
            if (_dataset.GeometryRequired) _problems.Add(line, "geometry", null, $"a geometry is required ({SpatialRules.Describe(_dataset.Shape)})");
            return;
        }
        if (_toWgs84 is not null)
        {
            record.OriginalCrs = _source!.Label;
            record.OriginalWkt = _wktWriter.Write(g);
            try
            {
                g = ReferenceSystems.Reproject(g, _toWgs84, SpatialRules.Wgs84);
            }
            catch (InvalidOperationException)
            {
                // ProjNet's inverse projections iterate and throw "No convergence" for coordinates far outside the
                // system's area (found by afl-fuzz in a mutated Shapefile); the reprojection is arithmetic only.
                _problems.Add(line, field, record.OriginalWkt, $"the coordinates cannot be converted from {_source.Label} to WGS 84");
                return;
            }
        }
        else
        {
            record.OriginalCrs = originalCrs;
            record.OriginalWkt = originalWkt;
        }
        var normalised = SpatialRules.Normalise(g, _dataset.Shape, _repair, out var problem);
        if (normalised is null)
        {
            _problems.Add(line, field, Describe(g), problem!);
            return;
        }
        record.Geometry = normalised;
    }

    private static string Describe(Geometry g) => g is Point p
        ? string.Create(CultureInfo.InvariantCulture, $"{p.X} {p.Y}")
        : g.GeometryType;

    private Target Bind(string column, int line)
    {
        if (_bindings.TryGetValue(column, out var t)) return t;
        var name = _mapping.Columns.TryGetValue(column, out var renamed) ? renamed : column;
        var key = DatasetSpec.Key(name);
        t = key switch
        {
            _ when _mapping.Ignore.Contains(column, StringComparer.OrdinalIgnoreCase) => new Target(TargetKind.Ignored),
            _ when _mapping.DatePartColumns.Contains(column, StringComparer.Ordinal) => new Target(TargetKind.Ignored),
            "lon" or "longitude" or "x" when _dataset.IsSpatial => new Target(TargetKind.Lon),
            "lat" or "latitude" or "y" when _dataset.IsSpatial => new Target(TargetKind.Lat),
            "wkt" or "geometry" when _dataset.IsSpatial => new Target(TargetKind.Wkt),
            "original_crs" when _dataset.IsSpatial => new Target(TargetKind.OriginalCrs),
            "original_wkt" when _dataset.IsSpatial => new Target(TargetKind.OriginalWkt),
            _ => _dataset.IndexOf(key) is var i and >= 0
                ? (_dataset.Fields[i].Computed ? new Target(TargetKind.Ignored) : new Target(TargetKind.Field, i))
                : new Target(TargetKind.Unknown),
        };
        if (t.Kind == TargetKind.Unknown && _ids is not null && _ids.Columns.Contains(column, StringComparer.OrdinalIgnoreCase)) t = new Target(TargetKind.Ignored);
        if (t.Kind == TargetKind.Unknown && _reportedColumns.Add(column))
        {
            var valid = _dataset.Fields.Select(f => f.Name).Concat(_dataset.IsSpatial ? ["lon", "lat", "wkt"] : []);
            _problems.Add(line, column, null, $"unknown column for {_dataset.Name}; valid columns: {string.Join(", ", valid)} (map or ignore it with --map)");
        }
        _bindings[column] = t;
        return t;
    }
}
