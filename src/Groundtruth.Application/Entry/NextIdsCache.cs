using System.Collections.Concurrent;
using System.Globalization;
using Groundtruth.Application.Caching;
using Groundtruth.Application.Datasets;
using Groundtruth.Application.Storage;

namespace Groundtruth.Application.Entry;

/// <summary>
/// The ids an entry form shows before saving, kept per version of their dataset for the host (issue 11: on PostgreSQL
/// the highest id of a pattern is read by scanning every version's id — the ids' index follows the database's
/// collation, the pattern's range is compared in code-point order — 0.2–0.5 s over a million finds on every form
/// opened). Every write appends a version and so moves the key: a form never shows an id taken by a write this host
/// knows of; a write by another process is seen within the data version's check interval, and saving takes the next
/// free id whatever the form showed (<see cref="RecordEntryHandler"/>).
/// </summary>
public sealed class NextIdsCache(DataVersion versions, DatabaseTarget target, IdPatterns patterns)
{
    private readonly ConcurrentDictionary<string, PerVersion<IReadOnlyList<string>>> _byDataset = new(StringComparer.Ordinal);

    /// <summary>The next <paramref name="count"/> ids <paramref name="dataset"/>'s pattern gives on <paramref name="day"/>; empty when its ids are typed.</summary>
    public async Task<IReadOnlyList<string>> NextAsync(DatasetSpec dataset, DateOnly day, int count, CancellationToken ct = default)
    {
        if (patterns.Of(dataset) is null || count <= 0) return [];
        var kept = _byDataset.GetOrAdd(dataset.Name, _ => new PerVersion<IReadOnlyList<string>>(maxEntries: 64));
        // Not cancelled by this caller: another request may be waiting for the same read.
        return await kept.GetAsync(await versions.KeyAsync([dataset], ct), string.Create(CultureInfo.InvariantCulture, $"{day:yyyy-MM-dd}|{count}"),
            () => patterns.NextAsync(target, dataset, day, count, ct: CancellationToken.None), ct);
    }
}
