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
                var stamp = await ReadStampAsync(ct);
                if (!string.Equals(stamp, _stamp, StringComparison.Ordinal))
                {
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
    public async ValueTask<string> KeyAsync(CancellationToken ct = default) => $"{_instance:N}:{await CurrentAsync(ct)}";

    public void Dispose() => _gate.Dispose();

    private async Task<string> ReadStampAsync(CancellationToken ct)
    {
        await using var db = target.CreateContext();
        await db.Database.OpenConnectionAsync(ct);
        return await StatsSource.StampAsync(db.Database.GetDbConnection(), DatasetCatalog.All, ct);
    }
}
