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

    private readonly Lock _lock = new();
    private long _version = -1;
    private Dictionary<string, Lazy<Task<FeaturePage>>> _pages = new(StringComparer.Ordinal);

    /// <summary>The page for <paramref name="request"/> under the current data version, read by <paramref name="read"/> if not kept.</summary>
    public async Task<FeaturePage> GetOrReadAsync(FeatureRequest request, Func<Task<FeaturePage>> read, CancellationToken ct)
    {
        var version = await versions.CurrentAsync(ct);
        var key = Key(request);
        Lazy<Task<FeaturePage>> entry;
        lock (_lock)
        {
            if (version > _version)
            {
                _version = version;
                _pages = new(StringComparer.Ordinal);
            }
            if (version < _version)
            {
                // A request that read an older version than the kept one: read, and keep nothing.
                entry = new(read);
            }
            else if (!_pages.TryGetValue(key, out entry!))
            {
                entry = new(read);
                if (_pages.Count < MaxPages) _pages[key] = entry;
            }
        }
        try
        {
            return await entry.Value.WaitAsync(ct);
        }
        catch (Exception) when (entry.Value.IsFaulted)
        {
            lock (_lock) if (_pages.TryGetValue(key, out var kept) && ReferenceEquals(kept, entry)) _pages.Remove(key);
            throw;
        }
    }

    private static string Key(FeatureRequest r) => JsonSerializer.Serialize(new object?[]
    {
        r.Dataset.Name,
        r.Box is null ? null : string.Create(CultureInfo.InvariantCulture, $"{r.Box.MinX:R},{r.Box.MinY:R},{r.Box.MaxX:R},{r.Box.MaxY:R}"),
        r.From?.ToString(), r.To?.ToString(),
        r.Where?.Select(w => w.Field + "=" + w.Value).ToArray(),
        r.Offset, r.Limit, r.Generalise, r.Search, r.Sort, r.Descending, r.IncludePending, r.GeneraliseLabelled,
    });
}
