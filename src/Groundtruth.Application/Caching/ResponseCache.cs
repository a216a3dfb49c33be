using System.Collections.Concurrent;

namespace Groundtruth.Application.Caching;

/// <summary>
/// Finished answers (serialised bytes) keyed by the question, kept for one <see cref="DataVersion"/>: when
/// the version moves on, every answer is dropped at once. Concurrent requests for the same question wait
/// for one computation. Answers beyond <paramref name="maxBytes"/> in one version are computed, not kept.
/// </summary>
/// <remarks>
/// The key must hold everything the answer depends on besides the data: the normalised question and what
/// the caller's role changes in the answer (viewer mode, pending data). Nothing else is shared between
/// users, so one role never receives an answer made for another.
/// </remarks>
public sealed class ResponseCache(long maxBytes, bool enabled = true)
{
    private sealed class Generation(long version)
    {
        public long Version { get; } = version;
        public ConcurrentDictionary<string, Lazy<Task<byte[]>>> Answers { get; } = new(StringComparer.Ordinal);
        public long Bytes;
    }

    private Generation _current = new(long.MinValue);

    public bool Enabled => enabled;

    /// <summary>The answers kept for the current version (for tests and diagnostics).</summary>
    public int Count => Volatile.Read(ref _current).Answers.Count;

    /// <summary>
    /// The answer to <paramref name="key"/> at <paramref name="version"/>: kept, or made by <paramref name="produce"/>
    /// (which must not depend on the caller's cancellation, as other callers may wait for it). A failure is not kept.
    /// </summary>
    public async Task<byte[]> GetOrAddAsync(long version, string key, Func<Task<byte[]>> produce)
    {
        if (!enabled) return await produce();
        var generation = Volatile.Read(ref _current);
        if (generation.Version != version)
        {
            // A request that read an older version answers from what it reads, and keeps nothing.
            if (version < generation.Version) return await produce();
            var fresh = new Generation(version);
            var seen = Interlocked.CompareExchange(ref _current, fresh, generation);
            generation = ReferenceEquals(seen, generation) ? fresh : seen;
            if (generation.Version != version) return await produce();
        }
        var tooBig = false;
        var entry = generation.Answers.GetOrAdd(key, _ => new Lazy<Task<byte[]>>(async () =>
        {
            var bytes = await produce();
            var size = bytes.Length + key.Length * sizeof(char);
            if (Interlocked.Add(ref generation.Bytes, size) > maxBytes)
            {
                Interlocked.Add(ref generation.Bytes, -size);
                tooBig = true;
            }
            return bytes;
        }));
        try
        {
            var answer = await entry.Value;
            if (tooBig) generation.Answers.TryRemove(KeyValuePair.Create(key, entry));
            return answer;
        }
        catch
        {
            generation.Answers.TryRemove(KeyValuePair.Create(key, entry));
            throw;
        }
    }
}
