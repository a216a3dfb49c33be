using System.Globalization;

namespace Groundtruth.Domain;

/// <summary>
/// Which of a record's versions is current: the one whose date of information starts latest, then the one recorded
/// latest, then the one written last. The bulk merge, the history reader and the approval path all follow this one
/// rule (decision 22).
/// </summary>
/// <remarks>
/// A partial date counts from the first day of the period it stands for (<see cref="PartialDate.Start"/>), so
/// <c>2024</c>, <c>2024-01</c> and <c>2024-01-01</c> are equally recent: between them the version recorded later is
/// current — a newer report dated only <c>2024</c> replaces an older one dated <c>2024-01-01</c>, and a back-dated
/// correction (<c>2023-06</c>) is kept in history without replacing either. Precision never decides: a vaguer date is
/// not older, only less exact. A version without a date of information counts as the earliest.
/// </remarks>
/// <param name="Information">The date of information (what was true in the field by then); null when unknown.</param>
/// <param name="RecordedAt">When the version was written to the database (UTC).</param>
/// <param name="VersionId">The version's id, increasing in the order versions are written.</param>
public readonly record struct VersionOrder(PartialDate? Information, DateTime RecordedAt, long VersionId) : IComparable<VersionOrder>
{
    /// <summary>The order of a stored version, whose date of information is kept as ISO text (<c>YYYY</c>, <c>YYYY-MM</c> or <c>YYYY-MM-DD</c>).</summary>
    public static VersionOrder Of(string? information, DateTime recordedAt, long versionId) =>
        new(string.IsNullOrEmpty(information) ? null : PartialDate.Parse(information), recordedAt, versionId);

    /// <summary>The day a date of information counts from; <see cref="DateOnly.MinValue"/> when unknown.</summary>
    public DateOnly Start => Information?.Start ?? DateOnly.MinValue;

    /// <summary>
    /// <see cref="Start"/> as text that sorts as the dates do (<c>2024-01-01</c> for <c>2024</c>; empty when unknown):
    /// the form a store compares in SQL, so its comparison and this one cannot differ.
    /// </summary>
    public static string StartKey(string? information) => string.IsNullOrEmpty(information)
        ? ""
        : PartialDate.Parse(information).Start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public int CompareTo(VersionOrder other)
    {
        var c = Start.CompareTo(other.Start);
        if (c != 0) return c;
        c = RecordedAt.CompareTo(other.RecordedAt);
        return c != 0 ? c : VersionId.CompareTo(other.VersionId);
    }

    /// <summary>The current one of <paramref name="versions"/> (the greatest by this order); default when there are none.</summary>
    public static T? Current<T>(IEnumerable<T> versions, Func<T, VersionOrder> order) =>
        versions.MaxBy(order);

    public static bool operator <(VersionOrder a, VersionOrder b) => a.CompareTo(b) < 0;
    public static bool operator >(VersionOrder a, VersionOrder b) => a.CompareTo(b) > 0;
    public static bool operator <=(VersionOrder a, VersionOrder b) => a.CompareTo(b) <= 0;
    public static bool operator >=(VersionOrder a, VersionOrder b) => a.CompareTo(b) >= 0;
}
