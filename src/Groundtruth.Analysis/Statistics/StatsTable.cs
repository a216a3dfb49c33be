using System.Collections.Concurrent;
using System.Globalization;
using Groundtruth.Domain;

namespace Groundtruth.Analysis.Statistics;

/// <summary>
/// The records of one dataset as columns, ready to be counted: each record's date as the period it
/// stands for, its point, its weight (devices, for finds) and any number of dictionary-encoded fields.
/// Fields are added as queries need them; the derived <c>year</c> and <c>month</c> come from the dates.
/// </summary>
/// <remarks>Thread-safe for concurrent queries; columns may be added while others read.</remarks>
public sealed class StatsTable
{
    /// <summary>The day number of an undated record.</summary>
    public const int Undated = int.MinValue;

    private readonly ConcurrentDictionary<string, StatsColumn> _columns = new(StringComparer.Ordinal);
    private readonly Lock _derive = new();

    /// <param name="dateStart">First day of each record's date (<see cref="DateOnly.DayNumber"/>), or <see cref="Undated"/>.</param>
    /// <param name="dateEnd">Last day of each record's date (a partial date stands for a period).</param>
    /// <param name="x">Longitude of each record's point; NaN when it has none.</param>
    /// <param name="y">Latitude of each record's point; NaN when it has none.</param>
    /// <param name="weight">What each record counts for (a find's quantity of devices); null: every record counts 1.</param>
    /// <param name="rows">
    /// How many stored rows each entry stands for, when entries are groups of rows alike in every loaded column (a
    /// one-shot reading grouped in SQL); null: each entry is one row. <paramref name="weight"/> is then the group's sum.
    /// </param>
    public StatsTable(string dataset, int[] dateStart, int[] dateEnd, double[] x, double[] y, int[]? weight, int[]? rows = null)
    {
        var n = dateStart.Length;
        if (dateEnd.Length != n || x.Length != n || y.Length != n || (weight is not null && weight.Length != n) || (rows is not null && rows.Length != n))
            throw new ArgumentException("every column needs one value per record");
        if (rows is not null && weight is null) throw new ArgumentException("grouped entries need their weight (the rows' sum)", nameof(weight));
        Dataset = dataset;
        DateStart = dateStart;
        DateEnd = dateEnd;
        X = x;
        Y = y;
        Weight = weight;
        Rows = rows;
    }

    public string Dataset { get; }
    public int Count => DateStart.Length;
    public int[] DateStart { get; }
    public int[] DateEnd { get; }
    public double[] X { get; }
    public double[] Y { get; }
    public int[]? Weight { get; }
    /// <summary>Stored rows behind each entry; null: one each.</summary>
    public int[]? Rows { get; }

    /// <summary>Whether a field is loaded (or derivable).</summary>
    public bool Has(string field) => _columns.ContainsKey(field) || field is "year" or "month";

    public void Add(StatsColumn column)
    {
        if (column.Codes.Length != Count) throw new ArgumentException($"column {column.Name} has {column.Codes.Length} values for {Count} records", nameof(column));
        _columns[column.Name] = column;
    }

    /// <summary>The column of a field; <c>year</c> and <c>month</c> are derived from the dates on first use.</summary>
    public StatsColumn Column(string field)
    {
        if (_columns.TryGetValue(field, out var column)) return column;
        if (field is not ("year" or "month")) throw new KeyNotFoundException($"field {field} is not loaded");
        lock (_derive)
        {
            if (_columns.TryGetValue(field, out column)) return column;
            column = field == "year" ? Derive("year", StatsValueKind.Year, Year) : Derive("month", StatsValueKind.Month, Month);
            _columns[field] = column;
            return column;
        }
    }

    /// <summary>The year of a record's date (every partial date has one).</summary>
    private static string? Year(int start, int end) =>
        start == Undated ? null : DateOnly.FromDayNumber(start).Year.ToString("D4", CultureInfo.InvariantCulture);

    /// <summary>The month of a record's date; unknown when the date is known to the year only.</summary>
    private static string? Month(int start, int end)
    {
        if (start == Undated) return null;
        var s = DateOnly.FromDayNumber(start);
        var e = DateOnly.FromDayNumber(end);
        if (s.Year != e.Year || s.Month != e.Month) return null;
        return string.Create(CultureInfo.InvariantCulture, $"{s.Year:D4}-{s.Month:D2}");
    }

    private StatsColumn Derive(string name, StatsValueKind kind, Func<int, int, string?> value)
    {
        var builder = new StatsColumnBuilder(name, kind, Count);
        // Dates repeat: derive each distinct period once.
        var memo = new Dictionary<(int, int), string?>();
        for (var i = 0; i < Count; i++)
        {
            var key = (DateStart[i], DateEnd[i]);
            if (!memo.TryGetValue(key, out var v)) memo[key] = v = value(key.Item1, key.Item2);
            builder.Add(v);
        }
        return builder.Build();
    }

    /// <summary>Encodes a partial date as the day numbers of its first and last day.</summary>
    public static (int Start, int End) Period(PartialDate? date) =>
        date is { } d ? (d.Start.DayNumber, d.End.DayNumber) : (Undated, Undated);
}
