using System.Globalization;

namespace Groundtruth.Domain;

/// <summary>How much of a <see cref="PartialDate"/> is known.</summary>
public enum DatePrecision
{
    Year = 1,
    Month = 2,
    Day = 3,
}

/// <summary>
/// A calendar date that may be known only to the year or the month, as field reports often are
/// ("an explosion in spring 2006" is recorded as <c>2006</c> or <c>2006-03</c>).
/// </summary>
/// <remarks>
/// A partial date stands for a period: <c>2006-03</c> is 1 to 31 March 2006. Figures count a record
/// in a window only when its whole period lies inside it (DESIGN section 5, "straddling").
/// The ISO 8601 text form is the storage and exchange form.
/// </remarks>
public readonly record struct PartialDate : IComparable<PartialDate>
{
    public int Year { get; }
    public int? Month { get; }
    public int? Day { get; }

    public PartialDate(int year, int? month = null, int? day = null)
    {
        if (year is < 1 or > 9999) throw new ArgumentOutOfRangeException(nameof(year), year, "year must be between 1 and 9999");
        if (month is null && day is not null) throw new ArgumentException("a day needs a month", nameof(day));
        if (month is < 1 or > 12) throw new ArgumentOutOfRangeException(nameof(month), month, "month must be between 1 and 12");
        if (day is not null && (day < 1 || day > DateTime.DaysInMonth(year, month!.Value)))
            throw new ArgumentOutOfRangeException(nameof(day), day, $"day must be between 1 and {DateTime.DaysInMonth(year, month!.Value)}");
        Year = year;
        Month = month;
        Day = day;
    }

    public static PartialDate FromDate(DateOnly date) => new(date.Year, date.Month, date.Day);

    public DatePrecision Precision => Day is not null ? DatePrecision.Day : Month is not null ? DatePrecision.Month : DatePrecision.Year;

    /// <summary>The first day of the period this date stands for.</summary>
    public DateOnly Start => new(Year, Month ?? 1, Day ?? 1);

    /// <summary>The last day of the period this date stands for.</summary>
    public DateOnly End => Precision switch
    {
        DatePrecision.Day => new DateOnly(Year, Month!.Value, Day!.Value),
        DatePrecision.Month => new DateOnly(Year, Month!.Value, DateTime.DaysInMonth(Year, Month!.Value)),
        _ => new DateOnly(Year, 12, 31),
    };

    /// <summary>True when the whole period lies within <paramref name="from"/>..<paramref name="to"/> (both inclusive, either open).</summary>
    public bool LiesWithin(DateOnly? from, DateOnly? to) => (from is null || Start >= from) && (to is null || End <= to);

    /// <summary>True when the period lies partly inside and partly outside the window.</summary>
    public bool Straddles(DateOnly? from, DateOnly? to)
    {
        var overlaps = (from is null || End >= from) && (to is null || Start <= to);
        return overlaps && !LiesWithin(from, to);
    }

    public static bool TryParse(string? text, out PartialDate date)
    {
        date = default;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var s = text.Trim();
        // Accept a full timestamp by keeping its date part: field exports often carry "2006-03-04T00:00:00".
        var t = s.IndexOfAny(['T', ' ']);
        if (t == 10) s = s[..10];
        var parts = s.Split('-');
        if (parts.Length is < 1 or > 3) return false;
        if (parts[0].Length != 4 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var y) || y < 1) return false;
        int? m = null, d = null;
        if (parts.Length >= 2)
        {
            if (parts[1].Length != 2 || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var mm) || mm is < 1 or > 12) return false;
            m = mm;
        }
        if (parts.Length == 3)
        {
            if (parts[2].Length != 2 || !int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var dd) || dd < 1 || dd > DateTime.DaysInMonth(y, m!.Value)) return false;
            d = dd;
        }
        date = new PartialDate(y, m, d);
        return true;
    }

    /// <summary>Parses <c>YYYY</c>, <c>YYYY-MM</c> or <c>YYYY-MM-DD</c>.</summary>
    /// <exception cref="FormatException">The text is not one of those forms or not a real date.</exception>
    public static PartialDate Parse(string text) =>
        TryParse(text, out var d) ? d : throw new FormatException($"'{text}' is not a date (expected YYYY, YYYY-MM or YYYY-MM-DD)");

    public override string ToString() => Precision switch
    {
        DatePrecision.Day => string.Create(CultureInfo.InvariantCulture, $"{Year:D4}-{Month:D2}-{Day:D2}"),
        DatePrecision.Month => string.Create(CultureInfo.InvariantCulture, $"{Year:D4}-{Month:D2}"),
        _ => Year.ToString("D4", CultureInfo.InvariantCulture),
    };

    /// <summary>Orders by the start of the period, then the less precise first.</summary>
    public int CompareTo(PartialDate other)
    {
        var c = Start.CompareTo(other.Start);
        return c != 0 ? c : Precision.CompareTo(other.Precision);
    }

    public static bool operator <(PartialDate a, PartialDate b) => a.CompareTo(b) < 0;
    public static bool operator >(PartialDate a, PartialDate b) => a.CompareTo(b) > 0;
    public static bool operator <=(PartialDate a, PartialDate b) => a.CompareTo(b) <= 0;
    public static bool operator >=(PartialDate a, PartialDate b) => a.CompareTo(b) >= 0;
}
