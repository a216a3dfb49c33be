namespace Groundtruth.Application.Caching;

/// <summary>
/// When each question (a page's figures for one data version and one window) was first asked, so that a page waits for
/// figures still being computed once, not on every reload: the first request waits a moment, later ones only what is
/// left of it (they show "being computed" and the page asks again). Keeps the latest <paramref name="maxEntries"/>
/// questions; safe across threads.
/// </summary>
public sealed class FirstAsked(int maxEntries = 256)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, long> _at = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();

    /// <summary>How long ago <paramref name="question"/> was first asked; zero if it never was (and it is not recorded now).</summary>
    public TimeSpan Elapsed(string question)
    {
        lock (_lock) return _at.TryGetValue(question, out var at) ? System.Diagnostics.Stopwatch.GetElapsedTime(at) : TimeSpan.Zero;
    }

    /// <summary>How long ago <paramref name="question"/> was first asked; zero the first time (which records it).</summary>
    public TimeSpan Since(string question)
    {
        lock (_lock)
        {
            if (_at.TryGetValue(question, out var at)) return System.Diagnostics.Stopwatch.GetElapsedTime(at);
            _at[question] = System.Diagnostics.Stopwatch.GetTimestamp();
            _order.Enqueue(question);
            while (_order.Count > maxEntries) _at.Remove(_order.Dequeue());
            return TimeSpan.Zero;
        }
    }
}
