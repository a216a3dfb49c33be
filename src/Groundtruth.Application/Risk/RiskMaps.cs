using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Groundtruth.Application.Progress;
using Groundtruth.Application.Storage;

namespace Groundtruth.Application.Risk;

/// <summary>
/// How many risk maps the host keeps and computes at once (<c>Groundtruth:Risk:MaxMaps</c>, default 8;
/// <c>Groundtruth:Risk:MaxComputations</c>, default 1). A map at the web's cell sizes takes seconds and about
/// 1.3 GB while it is computed, and a few MB of files once it is kept.
/// </summary>
/// <param name="Root">The folder that holds every host's maps; by default each host makes its own private folder
/// <c>groundtruth-risk-{process id}-{random}</c> in the temporary folder (no fixed name another local user could create first).</param>
public sealed record RiskMapLimits(int MaxMaps = 8, int MaxComputations = 1, string? Root = null)
{
    public const string MaxMapsKey = "Groundtruth:Risk:MaxMaps";
    public const string MaxComputationsKey = "Groundtruth:Risk:MaxComputations";
}

/// <summary>
/// The risk maps this host computed, one per cell size and place, each kept under the data version it was
/// computed from (RESTRICTED: the files sit in a folder only the host's user can open, removed when the host
/// stops; folders left by hosts that died are removed when a host starts).
/// </summary>
/// <remarks>
/// Bounded: at most <see cref="RiskMapLimits.MaxComputations"/> computations run at once (other requests wait,
/// each until its own cancellation) and at most <see cref="RiskMapLimits.MaxMaps"/> computed maps are kept — the
/// least recently used goes first. A map is replaced only by one of a newer data version; a request that read an
/// older version is served the newer map. A replaced or evicted map's folder is deleted once no request holds a
/// <see cref="Lease"/> on it, so a file that is being opened is never deleted under it (and once a file is open
/// its bytes outlive the deletion).
/// </remarks>
public sealed partial class RiskMaps : IDisposable
{
    /// <summary>rwx for the owner only (0700).</summary>
    public const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private readonly Lock _lock = new();
    private readonly Dictionary<(double Cell, string Place), Entry> _entries = [];
    private readonly Dictionary<(double Cell, string Place), (long Version, string Message)> _failures = [];
    private readonly SemaphoreSlim _gate;
    private readonly RiskMapLimits _limits;
    private long _uses;
    private int _computed;

    public RiskMaps(RiskMapLimits limits)
    {
        _limits = limits;
        if (limits.Root is { } root)
        {
            CreatePrivate(root);
            RemoveStale(root, HostFolder());
            Folder = Path.Combine(root, string.Create(CultureInfo.InvariantCulture, $"{Environment.ProcessId}-{Guid.NewGuid():N}"));
            CreatePrivate(Folder);
        }
        else
        {
            RemoveStale(Path.GetTempPath(), TemporaryHostFolder(), onlyMatching: true);
            Folder = PrivateFiles.CreateTemporaryFolder(string.Create(CultureInfo.InvariantCulture, $"groundtruth-risk-{Environment.ProcessId}-"));
        }
        _gate = new SemaphoreSlim(limits.MaxComputations, limits.MaxComputations);
    }

    /// <summary>This host's folder: one sub-folder per kept map.</summary>
    public string Folder { get; }

    /// <summary>How many maps this host has computed so far.</summary>
    public int Computed => Volatile.Read(ref _computed);

    /// <summary>The folders of the maps kept now.</summary>
    public IReadOnlyList<string> Kept
    {
        get
        {
            lock (_lock) return [.. _entries.Values.Where(e => e.Computed).Select(e => e.Folder)];
        }
    }

    /// <summary>A map computed under <paramref name="version"/> or later, held until the lease is disposed.</summary>
    /// <param name="version">The data version the request read (<see cref="Groundtruth.Application.Caching.DataVersion.CurrentAsync"/>) before any data.</param>
    /// <exception cref="ArgumentException">An unknown place.</exception>
    /// <exception cref="Groundtruth.Analysis.Risk.RiskDataException">The data cannot support a model.</exception>
    public async Task<Lease> LeaseAsync(DatabaseTarget target, TimeProvider clock, string actor, long version, double cell, string? place, CancellationToken ct)
    {
        var key = (cell, place ?? "");
        Entry entry;
        lock (_lock)
        {
            entry = Current(key, version, target, clock, actor);
            entry.Readers++;
            entry.LastUsed = ++_uses;
        }
        try
        {
            return new Lease(this, entry, await entry.Output.WaitAsync(ct));
        }
        catch
        {
            Release(entry);
            throw;
        }
    }

    /// <summary>
    /// Starts the map for a cell size and place in the background when this host has none under
    /// <paramref name="version"/>, without waiting for it (the pages show its progress and poll <see cref="Status"/>).
    /// A map whose computation failed under this version is not started again until the data change.
    /// </summary>
    public RiskMapStatus Begin(DatabaseTarget target, TimeProvider clock, string actor, long version, double cell, string? place)
    {
        var key = (cell, place ?? "");
        lock (_lock)
        {
            if (_failures.TryGetValue(key, out var failure) && failure.Version >= version) return new RiskMapStatus("failed", null, null, failure.Message);
            return StatusOf(Current(key, version, target, clock, actor));
        }
    }

    /// <summary>
    /// The map that answers for <paramref name="key"/> under <paramref name="version"/> (under the lock): the one kept, unless
    /// it is of an older version or failed (then retired); else the automatic map when it chose this cell
    /// (<see cref="SameAsAutomatic"/>); else a fresh computation, started.
    /// </summary>
    private Entry Current((double Cell, string Place) key, long version, DatabaseTarget target, TimeProvider clock, string actor)
    {
        if (_entries.TryGetValue(key, out var entry) && entry.Version >= version && !entry.Output.IsFaulted && !entry.Output.IsCanceled) return entry;
        if (entry is not null) Retire(entry);
        if (SameAsAutomatic(key, version) is { } same)
        {
            same.LastUsed = ++_uses;
            return same;
        }
        var fresh = new Entry(key, version, Path.Combine(Folder, Guid.NewGuid().ToString("N")));
        fresh.Output = Task.Run(() => ComputeAsync(fresh, target, clock, actor), CancellationToken.None);
        return _entries[key] = fresh;
    }

    /// <summary>How long ago the map for a cell size and place was first asked for (zero when there is none).</summary>
    public TimeSpan AskedFor(double cell, string? place)
    {
        lock (_lock)
            return _entries.TryGetValue((cell, place ?? ""), out var entry) ? System.Diagnostics.Stopwatch.GetElapsedTime(entry.Created) : TimeSpan.Zero;
    }

    /// <summary>How far the map for a cell size and place has come: ready, computing (stage and share done), waiting its turn, failed, or none.</summary>
    public RiskMapStatus Status(double cell, string? place)
    {
        var key = (cell, place ?? "");
        lock (_lock)
        {
            if (_entries.TryGetValue(key, out var entry)) return StatusOf(entry);
            var failed = _failures.TryGetValue(key, out var failure);
            // The automatic map answers for this cell only when it is newer than this cell's own failure, if there was one.
            if (SameAsAutomatic(key, failed ? failure.Version + 1 : null) is { } same) return StatusOf(same);
            return failed ? new RiskMapStatus("failed", null, null, failure.Message) : new RiskMapStatus("none", null, null, null);
        }
    }

    /// <summary>
    /// The map of the same place with no cell asked for, when it is ready (under <paramref name="version"/> or later, when one
    /// is given) and chose <paramref name="key"/>'s cell: it is that cell's map — the same data, options and cutoff; the choice
    /// only picks the cell (a test compares the two maps' pixels) — so a page that asks for the cell the automatic map chose
    /// (<c>/risk?cell=100</c> after the priorities or <c>/risk</c>) is served it, not a second computation. Null otherwise
    /// (under the lock).
    /// </summary>
    private Entry? SameAsAutomatic((double Cell, string Place) key, long? version) =>
        key.Cell != RiskMapOutputs.AutomaticCell
        && _entries.TryGetValue((RiskMapOutputs.AutomaticCell, key.Place), out var automatic)
        && (version is null || automatic.Version >= version)
        && automatic.Output.IsCompletedSuccessfully && automatic.Output.Result.CellM == key.Cell
            ? automatic : null;

    private static RiskMapStatus StatusOf(Entry entry) =>
        entry.Output.IsCompletedSuccessfully ? new RiskMapStatus("ready", "done", 1, null)
        : entry.Output.IsFaulted ? new RiskMapStatus("failed", null, null, entry.Output.Exception?.InnerException?.Message)
        : entry.Started ? new RiskMapStatus("computing", entry.Progress?.Stage ?? "starting", entry.Progress?.Fraction, null)
        : new RiskMapStatus("waiting", "waiting for another computation to finish", 0, null);

    /// <summary>Runs <paramref name="work"/> as one of the at most <see cref="RiskMapLimits.MaxComputations"/> computations.</summary>
    public async Task<T> ExclusiveAsync<T>(Func<Task<T>> work, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            return await work();
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<RiskMapOutput> ComputeAsync(Entry entry, DatabaseTarget target, TimeProvider clock, string actor)
    {
        await _gate.WaitAsync(entry.Abandoned.Token);
        try
        {
            lock (_lock)
            {
                entry.Abandoned.Token.ThrowIfCancellationRequested();
                entry.Started = true;
            }
            CreatePrivate(entry.Folder);
            var output = await RiskMapOutputs.ComputeAsync(target, clock, actor, entry.Folder, entry.Key.Cell, entry.Key.Place.Length == 0 ? null : entry.Key.Place, RiskMapOutputs.MaxTop,
                new InlineProgress(p => entry.Progress = p));
            Interlocked.Increment(ref _computed);
            lock (_lock)
            {
                entry.Computed = true;
                Trim();
            }
            return output;
        }
        catch (Exception e)
        {
            lock (_lock)
            {
                if (e is Groundtruth.Application.InvalidRequestException or Groundtruth.Analysis.Risk.RiskDataException) _failures[entry.Key] = (entry.Version, e is Groundtruth.Application.InvalidRequestException ? e.Message : "The data cannot support a risk model: " + e.Message);
                if (!entry.Retired) Retire(entry);
            }
            throw;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Evicts the least recently used computed maps beyond the limit.</summary>
    private void Trim()
    {
        var kept = _entries.Values.Where(e => e.Computed).OrderBy(e => e.LastUsed).ToList();
        foreach (var old in kept.Take(kept.Count - _limits.MaxMaps)) Retire(old);
    }

    private void Retire(Entry entry)
    {
        if (_entries.TryGetValue(entry.Key, out var current) && ReferenceEquals(current, entry)) _entries.Remove(entry.Key);
        entry.Retired = true;
        DeleteIfUnread(entry);
    }

    private void Release(Entry entry)
    {
        lock (_lock)
        {
            entry.Readers--;
            if (entry.Readers == 0 && !entry.Started && !entry.Output.IsCompleted)
            {
                // Nobody waits for it any more: it never starts, and a later request starts afresh.
                entry.Abandoned.Cancel();
                Retire(entry);
            }
            DeleteIfUnread(entry);
        }
    }

    private static void DeleteIfUnread(Entry entry)
    {
        if (!entry.Retired || entry.Readers > 0 || entry.Deleted) return;
        entry.Deleted = true;
        var folder = entry.Folder;
        if (entry.Output.IsCompleted) TryDelete(folder);
        else entry.Output.ContinueWith(_ => TryDelete(folder), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
    }

    /// <summary>Creates a folder only its owner can open (0700 on Unix), or narrows one that exists.</summary>
    public static void CreatePrivate(string folder)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(folder);
            return;
        }
        if (!Directory.Exists(folder)) Directory.CreateDirectory(folder, OwnerOnly);
        if (File.GetUnixFileMode(folder) != OwnerOnly) File.SetUnixFileMode(folder, OwnerOnly);
    }

    /// <summary>Removes the folders of hosts that no longer run (and of versions that kept maps elsewhere).</summary>
    private static void RemoveStale(string root, Regex hostFolder, bool onlyMatching = false)
    {
        foreach (var folder in Directory.EnumerateDirectories(root))
        {
            var match = hostFolder.Match(Path.GetFileName(folder));
            if (match.Success && Running(int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture))) continue;
            if (match.Success || !onlyMatching) TryDelete(folder);
        }
    }

    private static bool Running(int processId)
    {
        try
        {
            using var process = Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    [GeneratedRegex("^([0-9]+)-[0-9a-f]{32}$")]
    private static partial Regex HostFolder();

    [GeneratedRegex("^groundtruth-risk-([0-9]+)-[A-Za-z0-9]+$")]
    private static partial Regex TemporaryHostFolder();

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }

    /// <summary>Deletes this host's folder. The gate is left to the collector: a computation still running must be able to release it.</summary>
    public void Dispose() => TryDelete(Folder);

    internal sealed class Entry((double Cell, string Place) key, long version, string folder)
    {
        public (double Cell, string Place) Key { get; } = key;
        public long Version { get; } = version;
        public string Folder { get; } = folder;
        public Task<RiskMapOutput> Output { get; set; } = null!;
        public CancellationTokenSource Abandoned { get; } = new();
        public int Readers { get; set; }
        public long LastUsed { get; set; }
        public bool Started { get; set; }
        /// <summary>When the computation was first asked for (a page waits for it once, not on every reload).</summary>
        public long Created { get; } = System.Diagnostics.Stopwatch.GetTimestamp();
        /// <summary>The last stage the computation reported.</summary>
        public volatile WorkProgress? Progress;
        public bool Computed { get; set; }
        public bool Retired { get; set; }
        public bool Deleted { get; set; }
    }

    /// <summary>A computed map whose folder stays until the lease is disposed.</summary>
    public sealed class Lease : IDisposable
    {
        private readonly RiskMaps _maps;
        private readonly Entry _entry;
        private int _disposed;

        internal Lease(RiskMaps maps, Entry entry, RiskMapOutput output)
        {
            _maps = maps;
            _entry = entry;
            Output = output;
        }

        public RiskMapOutput Output { get; }

        /// <summary>The data version the map was computed from.</summary>
        public long Version => _entry.Version;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) _maps.Release(_entry);
        }
    }
}

/// <summary>Where a risk map's computation stands (<c>GET /api/risk/map/status</c>).</summary>
/// <param name="State">ready, computing, waiting, failed or none.</param>
/// <param name="Stage">What is being done now, in the user's words.</param>
/// <param name="Fraction">Share of the work done, 0 to 1 (null when the stage cannot tell).</param>
/// <param name="Error">Why it failed (the data cannot support a model, an unknown place).</param>
public sealed record RiskMapStatus(string State, string? Stage, double? Fraction, string? Error);
