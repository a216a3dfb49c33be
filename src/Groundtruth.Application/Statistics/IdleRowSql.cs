using System.Globalization;
using Groundtruth.Analysis.Statistics;

namespace Groundtruth.Application.Statistics;

/// <summary>
/// PostgreSQL conditions that a row of a grouped statistics read surely counts nowhere (<see cref="StatsIdleRows"/>),
/// each built by its own function so that each can be tested alone against rows; <see cref="Build"/> joins them. A
/// condition is true only when the answer is certain: a NULL, an empty or an unknown value, a date the parser might read
/// otherwise, or text whose case PostgreSQL's C collation cannot fold, keeps the row (and its point).
/// </summary>
public static class IdleRowSql
{
    /// <summary>A date of YYYY, YYYY-MM or YYYY-MM-DD (days to 28 only: surely real).</summary>
    public const string CertainDate = "'^[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|1[0-9]|2[0-8]))?)?$'";

    /// <summary>
    /// The whole condition for <paramref name="idle"/> on a row whose date is <paramref name="dateKey"/> and whose columns
    /// are <c>c."name"</c>, or null when nothing tells idle rows; <paramref name="parameter"/> adds each value it compares
    /// with as a text parameter (names start <c>idle_</c>).
    /// </summary>
    public static string? Build(string dateKey, StatsIdleRows idle, Action<string, string> parameter)
    {
        var dead = new List<string>();
        for (var k = 0; k < idle.Known.Count; k++)
        {
            var (column, value) = idle.Known[k];
            var name = "idle_" + k.ToString(CultureInfo.InvariantCulture);
            parameter(name, value);
            dead.Add(KnownDiffers(Column(column), name));
        }
        for (var k = 0; k < idle.Text.Count; k++)
        {
            var (column, value) = idle.Text[k];
            if (TextDiffers(Column(column), "idle_text_" + k.ToString(CultureInfo.InvariantCulture), value) is not { } differs) continue;
            parameter("idle_text_" + k.ToString(CultureInfo.InvariantCulture), value);
            dead.Add(differs);
        }
        // Last, and the pattern after the cheap comparison: a condition is evaluated per row, and the cheap ones decide most rows.
        if (idle.From is { } from) parameter("idle_from", from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        if (idle.To is { } to) parameter("idle_to", to.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        if (DateOutside(dateKey, idle.From is not null ? "idle_from" : null, idle.To is not null ? "idle_to" : null) is { } outside) dead.Add(outside);
        return dead.Count == 0 ? null : string.Join(" OR ", dead);
    }

    /// <summary>A stored enum column holds a known value other than the one asked for (parameter <paramref name="name"/>).</summary>
    public static string KnownDiffers(string column, string name) =>
        $"({column} IS NOT NULL AND {column} <> '' AND {column} <> '{StatsColumn.Unknown}' AND {column} <> @{name})";

    /// <summary>
    /// A free-text column matches the value asked for neither exactly nor ignoring case: only decided for an ASCII value
    /// and ASCII text, whose upper case the C collation gives (letters A–Z only); null (never idle) for a value with
    /// other characters.
    /// </summary>
    public static string? TextDiffers(string column, string name, string value) => !value.All(char.IsAscii) ? null
        : $"({column} IS NOT NULL AND {column} <> '' AND lower({column}) <> '{StatsColumn.Unknown}' AND octet_length({column}) = length({column}) AND upper({column} COLLATE \"C\") <> upper(@{name} COLLATE \"C\"))";

    /// <summary>
    /// A certain date wholly before the window's first day (parameter <paramref name="from"/>) or after its last
    /// (<paramref name="to"/>), compared as text with the edge cut to the date's length (a year or month that straddles
    /// the edge is not outside); null when the window has neither edge.
    /// </summary>
    public static string? DateOutside(string dateKey, string? from, string? to)
    {
        var outside = new List<string>();
        if (from is not null) outside.Add($"{dateKey} COLLATE \"C\" < left(@{from}, length({dateKey})) COLLATE \"C\"");
        if (to is not null) outside.Add($"{dateKey} COLLATE \"C\" > left(@{to}, length({dateKey})) COLLATE \"C\"");
        return outside.Count == 0 ? null : $"(({string.Join(" OR ", outside)}) AND {dateKey} ~ {CertainDate} AND substr({dateKey}, 1, 4) <> '0000')";
    }

    private static string Column(string name) => "c.\"" + name + "\"";
}
