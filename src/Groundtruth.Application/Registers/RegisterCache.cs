using System.Globalization;
using System.Text.Json;
using Groundtruth.Application.Caching;
using Groundtruth.Application.Features;

namespace Groundtruth.Application.Registers;

/// <summary>
/// Register pages a host has read, kept for one data version (issue 11: a search and sort over a million finds took
/// seconds on every request). Keyed by everything the page depends on besides the data — the dataset, filters, search,
/// sort, paging and what the caller's role generalises — never by user; the audit of labelled reads happens per request
/// outside it. At most <see cref="MaxPages"/> pages per version; beyond that pages are read and not kept.
/// </summary>
public sealed class RegisterCache(DataVersion versions)
{
    public const int MaxPages = 512;

    private readonly PerVersion<FeaturePage> _pages = new(MaxPages);

    /// <summary>The page for <paramref name="request"/> under the current data version, read by <paramref name="read"/> if not kept.</summary>
    public async Task<FeaturePage> GetOrReadAsync(FeatureRequest request, Func<Task<FeaturePage>> read, CancellationToken ct) =>
        await _pages.GetAsync(await versions.KeyAsync(ct), Key(request), read, ct);

    private static string Key(FeatureRequest r) => JsonSerializer.Serialize(new object?[]
    {
        r.Dataset.Name,
        r.Box is null ? null : string.Create(CultureInfo.InvariantCulture, $"{r.Box.MinX:R},{r.Box.MinY:R},{r.Box.MaxX:R},{r.Box.MaxY:R}"),
        r.From?.ToString(), r.To?.ToString(),
        r.Where?.Select(w => w.Field + "=" + w.Value).ToArray(),
        r.Offset, r.Limit, r.Generalise, r.Search, r.Sort, r.Descending, r.IncludePending, r.GeneraliseLabelled,
    });
}
