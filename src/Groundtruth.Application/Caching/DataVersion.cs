using Groundtruth.Application.Datasets;
using Groundtruth.Application.Statistics;
using Groundtruth.Application.Storage;
using Microsoft.EntityFrameworkCore;

namespace Groundtruth.Application.Caching;

/// <summary>
/// A number that grows whenever the data may have changed, for caches that must never answer from old data
/// for longer than a stated bound. A write made by this process raises it at once (<see cref="Invalidate"/>);
/// a write made by another process (the CLI, a second web host on the same PostgreSQL server) is seen at
/// the next read of the database's change stamp, which happens at most once per <see cref="CheckInterval"/>.
/// </summary>
/// <remarks>
/// The stamp is the newest version of every dataset (every write appends one), the number of submissions
/// and the newest decision on one (<see cref="StatsSource.StampAsync(System.Data.Common.DbConnection, IEnumerable{DatasetSpec}, CancellationToken)"/>).
/// A request reads the version before it reads any data, and a cache keeps an answer under that version
/// only: an answer computed while a write was landing is never served after the write is known.
/// </remarks>
public sealed class DataVersion(DatabaseTarget target, TimeProvider clock, TimeSpan checkInterval) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Guid _instance = Guid.NewGuid();
    private long _version;
    private long _checkedAt;
    private int _mustCheck = 1;
    private string? _stamp;
    // Per dataset: its part of the stamp and a counter that grows whenever that part changes (replaced whole, under the gate).
    private IReadOnlyDictionary<string, (string Part, long Counter)> _datasets = new Dictionary<string, (string, long)>(StringComparer.Ordinal);

    /// <summary>The longest time a change made by another process can go unseen.</summary>
    public TimeSpan CheckInterval => checkInterval;

    /// <summary>This process has just changed (or is changing) the data: every answer cached so far is old.</summary>
    public void Invalidate()
    {
        Interlocked.Increment(ref _version);
        Volatile.Write(ref _mustCheck, 1);
    }

    /// <summary>The current version: from memory when the stamp was read less than <see cref="CheckInterval"/> ago and nothing was written since.</summary>
    public async ValueTask<long> CurrentAsync(CancellationToken ct = default)
    {
        if (Volatile.Read(ref _mustCheck) == 0 && clock.GetElapsedTime(Volatile.Read(ref _checkedAt)) < checkInterval)
            return Volatile.Read(ref _version);
        await _gate.WaitAsync(ct);
        try
        {
            if (Volatile.Read(ref _mustCheck) == 1 || clock.GetElapsedTime(Volatile.Read(ref _checkedAt)) >= checkInterval)
            {
                // Cleared before reading: an Invalidate during the read sets it again, so the next request reads again.
                Volatile.Write(ref _mustCheck, 0);
                IReadOnlyList<KeyValuePair<string, string>> parts;
                try
                {
                    parts = await ReadStampAsync(ct);
                }
                catch
                {
                    // Not read (the caller left, the server failed): the next request must read it, an Invalidate included.
                    Volatile.Write(ref _mustCheck, 1);
                    throw;
                }
                var stamp = string.Join('|', parts.Select(p => p.Value));
                if (!string.Equals(stamp, _stamp, StringComparison.Ordinal))
                {
                    var datasets = new Dictionary<string, (string, long)>(StringComparer.Ordinal);
                    foreach (var (name, part) in parts)
                    {
                        var (was, counter) = _datasets.TryGetValue(name, out var kept) ? kept : (null, 0);
                        datasets[name] = (part, string.Equals(was, part, StringComparison.Ordinal) ? counter : counter + 1);
                    }
                    Volatile.Write(ref _datasets, datasets);
                    _stamp = stamp;
                    Interlocked.Increment(ref _version);
                }
                Volatile.Write(ref _checkedAt, clock.GetTimestamp());
            }
            return Volatile.Read(ref _version);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// The current version as a key that is unique across instances, for caches that outlive one host or are shared
    /// between hosts in one process (two hosts' counters may hold the same number for different data).
    /// </summary>
    public async ValueTask<DataKey> KeyAsync(CancellationToken ct = default)
    {
        var version = await CurrentAsync(ct);
        return new DataKey($"{_instance:N}:{version}", version);
    }

    /// <summary>
    /// The version of <paramref name="datasets"/> only, for an answer read from them and nothing else: it moves on when
    /// their data or their submissions change, not when another dataset's do (issue 11: a new find made the dashboard
    /// compute the remaining areas of every hazardous area again). Unique across instances, like <see cref="KeyAsync(CancellationToken)"/>.
    /// </summary>
    public async ValueTask<DataKey> KeyAsync(IEnumerable<DatasetSpec> datasets, CancellationToken ct = default)
    {
        await CurrentAsync(ct);
        var kept = Volatile.Read(ref _datasets);
        var counters = datasets.Select(d => d.Name).Distinct().Order(StringComparer.Ordinal)
            .Select(name => (Name: name, Counter: kept.TryGetValue(name, out var k) ? k.Counter : 0)).ToList();
        return new DataKey($"{_instance:N}:{string.Join(',', counters.Select(c => $"{c.Name}={c.Counter}"))}", counters.Sum(c => c.Counter));
    }

    public void Dispose() => _gate.Dispose();

    private async Task<IReadOnlyList<KeyValuePair<string, string>>> ReadStampAsync(CancellationToken ct)
    {
        await using var db = target.CreateContext();
        await db.Database.OpenConnectionAsync(ct);
        return await StatsSource.StampPartsAsync(db.Database.GetDbConnection(), DatasetCatalog.All, ct);
    }
}

/// <summary>
/// A version of some datasets' data (<see cref="DataVersion.KeyAsync(IEnumerable{DatasetSpec}, CancellationToken)"/>):
/// <see cref="Text"/> tells versions apart; <see cref="Order"/> grows with every change of those datasets, so an answer
/// kept for a newer version is never replaced by one read at an older.
/// </summary>
public readonly record struct DataKey(string Text, long Order)
{
    public override string ToString() => Text;
}
