namespace Groundtruth.Application.Caching;

/// <summary>
/// Values computed once per data version (<see cref="DataKey"/>) and kept until the version moves on, for the host's
/// caches of expensive answers (register pages, the record accuracy behind the verdicts, the dashboard's programme
/// figures, the badge's count). Concurrent requests for the same key wait for one computation; a failure is not kept;
/// a request that read an older version than the kept one computes its answer and keeps nothing, so an answer is
/// never served under a version newer than the data it was read from. At most <paramref name="maxEntries"/> values per
/// version are kept; beyond that they are computed and not kept.
/// </summary>
/// <remarks>
/// The key must hold everything the value depends on besides the data (the question, what the caller's role changes in
/// the answer); the producer must not depend on the caller's cancellation, as other callers may wait for it.
/// </remarks>
public sealed class PerVersion<T>(int maxEntries = int.MaxValue)
{
    private readonly Lock _lock = new();
    private DataKey? _version;
    private Dictionary<string, Lazy<Task<T>>> _values = new(StringComparer.Ordinal);

    /// <summary>The values kept for the current version (for tests and diagnostics).</summary>
    public int Count
    {
        get { lock (_lock) return _values.Count; }
    }

    /// <summary>The value of <paramref name="key"/> at <paramref name="version"/>: kept, or made by <paramref name="produce"/>.</summary>
    public async Task<T> GetAsync(DataKey version, string key, Func<Task<T>> produce, CancellationToken ct = default)
    {
        Lazy<Task<T>> entry;
        lock (_lock)
        {
            if (_version is not { } kept || version.Order > kept.Order || (version.Order == kept.Order && version.Text != kept.Text))
            {
                _version = version;
                _values = new(StringComparer.Ordinal);
            }
            if (version.Text != _version.Value.Text)
            {
                entry = new(produce);
            }
            else if (!_values.TryGetValue(key, out entry!))
            {
                entry = new(produce);
                if (_values.Count < maxEntries) _values[key] = entry;
            }
        }
        try
        {
            return await entry.Value.WaitAsync(ct);
        }
        catch (Exception) when (entry.Value.IsFaulted)
        {
            lock (_lock) if (_values.TryGetValue(key, out var kept) && ReferenceEquals(kept, entry)) _values.Remove(key);
            throw;
        }
    }
}
