using Groundtruth.Application.Caching;
using Groundtruth.Application.Datasets;

namespace Groundtruth.Application.Statistics;

/// <summary>
/// The dashboard's counts (devices by category, accidents by kind, casualties by month, outcome and age group) for one
/// window, kept per version of the datasets they are read from (<see cref="ReadFrom"/>): a reload counts nothing again
/// (issue 11: six counts over a million finds and 272,000 casualties took 0.3 s on every reload at scale 500, more while
/// the areas of a new version were computed beside them). The question must hold the window, pending data and whether
/// small cells are suppressed for the caller's role.
/// </summary>
public sealed class DashboardCounts
{
    /// <summary>The datasets the counts are read from: the finds, accidents and casualties, with what their tables read (<see cref="StatsSource.ReadFrom"/>).</summary>
    public static readonly IReadOnlyList<DatasetSpec> ReadFrom =
        [.. new[] { DatasetCatalog.Finds, DatasetCatalog.Accidents, DatasetCatalog.Casualties }.SelectMany(StatsSource.ReadFrom).Distinct()];

    private readonly PerVersion<StatsReport[]> _counts = new(maxEntries: 64);

    /// <summary>The counts answering <paramref name="question"/> at <paramref name="version"/>: kept, or counted by <paramref name="count"/> (which must not depend on a caller's cancellation).</summary>
    public Task<StatsReport[]> GetAsync(DataKey version, string question, Func<Task<StatsReport[]>> count) => _counts.GetAsync(version, question, count);

    /// <summary>The questions kept for the current version (for tests).</summary>
    public int Count => _counts.Count;
}
