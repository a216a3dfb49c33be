using System.Globalization;

namespace Groundtruth.Analysis.Statistics;

/// <summary>How a field's values are read, compared and ordered.</summary>
public enum StatsValueKind
{
    /// <summary>One value of a closed list (an enum): the list is the set of valid values, in declaration order.</summary>
    Enum,
    /// <summary>Free text: the valid values are those the data holds, ordered alphabetically.</summary>
    Text,
    /// <summary>A whole or decimal number, ordered numerically.</summary>
    Number,
    /// <summary><c>true</c> or <c>false</c>.</summary>
    Boolean,
    /// <summary>An ISO 8601 date that may be partial, compared as written.</summary>
    Date,
    /// <summary>A gazetteer place id (the record's assigned location).</summary>
    Place,
    /// <summary>A calendar year, <c>YYYY</c>.</summary>
    Year,
    /// <summary>A calendar month, <c>YYYY-MM</c>.</summary>
    Month,
}

/// <summary>
/// One field of every record of a dataset, dictionary-encoded: <see cref="Codes"/>[i] is the index of
/// record i's value in <see cref="Values"/>, and code 0 is always "unknown" (no value recorded, or the
/// enum's own <c>unknown</c>). Codes follow the display order of the values, so grouping by code sorts too.
/// </summary>
public sealed class StatsColumn
{
    public const string Unknown = "unknown";

    private readonly Dictionary<string, int> _lookup;

    public StatsColumn(string name, StatsValueKind kind, int[] codes, string[] values, string[]? labels = null)
    {
        if (values.Length == 0 || values[0] != Unknown) throw new ArgumentException("values[0] must be \"unknown\"", nameof(values));
        Name = name;
        Kind = kind;
        Codes = codes;
        Values = values;
        Labels = labels;
        _lookup = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var k = 0; k < values.Length; k++) _lookup.TryAdd(values[k], k);
    }

    public string Name { get; }
    public StatsValueKind Kind { get; }
    public int[] Codes { get; }
    /// <summary>The value of each code; <c>Values[0]</c> is <c>unknown</c>.</summary>
    public string[] Values { get; }
    /// <summary>A human label per code, where the value is an id (a place's name); null otherwise.</summary>
    public string[]? Labels { get; }

    /// <summary>The code of a value as stored (exact spelling), or -1 when no record has it.</summary>
    public int CodeOf(string value) => _lookup.TryGetValue(value, out var k) ? k : -1;

    /// <summary>The values records hold (or, for an enum, may hold), unknown excluded.</summary>
    public IEnumerable<string> KnownValues => Values.Skip(1);
}

/// <summary>Builds a <see cref="StatsColumn"/> from values as they are read, then orders the codes for display.</summary>
public sealed class StatsColumnBuilder
{
    private readonly string _name;
    private readonly StatsValueKind _kind;
    private readonly Dictionary<string, int> _codes = new(StringComparer.Ordinal);
    private readonly List<string> _values = [StatsColumn.Unknown];
    private readonly int[] _data;
    private readonly int _seeded;
    private int _count;

    /// <param name="enumNames">For an enum: every spelling in declaration order (its <c>unknown</c> maps to code 0).</param>
    public StatsColumnBuilder(string name, StatsValueKind kind, int capacity, IEnumerable<string>? enumNames = null)
    {
        _name = name;
        _kind = kind;
        _data = new int[capacity];
        _codes[StatsColumn.Unknown] = 0;
        foreach (var n in enumNames ?? [])
        {
            if (_codes.ContainsKey(n)) continue;
            _codes[n] = _values.Count;
            _values.Add(n);
        }
        _seeded = _values.Count;
    }

    public int Count => _count;

    /// <summary>Appends the next record's value; null or empty is unknown.</summary>
    public void Add(string? value) => _data[_count++] = Code(value);

    /// <summary>Sets record <paramref name="index"/>'s value.</summary>
    public void Set(int index, string? value) => _data[index] = Code(value);

    private int Code(string? value)
    {
        if (string.IsNullOrEmpty(value)) return 0;
        if (_codes.TryGetValue(value, out var code)) return code;
        code = _values.Count;
        _codes[value] = code;
        _values.Add(value);
        return code;
    }

    /// <summary>The column, its codes renumbered in display order: enum order (then other spellings alphabetically), numbers ascending, text alphabetically.</summary>
    public StatsColumn Build(Func<string, string?>? label = null)
    {
        var order = Enumerable.Range(1, _values.Count - 1).ToList();
        Comparison<int> compare = _kind switch
        {
            StatsValueKind.Enum => (a, b) => a < _seeded && b < _seeded ? a.CompareTo(b)
                : a < _seeded ? -1 : b < _seeded ? 1 : string.CompareOrdinal(_values[a], _values[b]),
            StatsValueKind.Number => (a, b) => Number(_values[a]).CompareTo(Number(_values[b])),
            _ => (a, b) =>
            {
                var c = string.Compare(_values[a], _values[b], StringComparison.OrdinalIgnoreCase);
                return c != 0 ? c : string.CompareOrdinal(_values[a], _values[b]);
            },
        };
        order.Sort(compare);
        var remap = new int[_values.Count];
        var values = new string[_values.Count];
        values[0] = StatsColumn.Unknown;
        for (var k = 0; k < order.Count; k++)
        {
            remap[order[k]] = k + 1;
            values[k + 1] = _values[order[k]];
        }
        var codes = new int[_count];
        for (var i = 0; i < _count; i++) codes[i] = remap[_data[i]];
        string[]? labels = null;
        if (label is not null)
        {
            labels = new string[values.Length];
            labels[0] = StatsColumn.Unknown;
            for (var k = 1; k < values.Length; k++) labels[k] = label(values[k]) ?? values[k];
        }
        return new StatsColumn(_name, _kind, codes, values, labels);
    }

    private static double Number(string s) => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : double.MaxValue;
}
