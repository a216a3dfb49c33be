using Groundtruth.Application.Caching;
using Groundtruth.Application.Storage;

namespace Groundtruth.Application.Export;

/// <summary>
/// Finished export files, one per question (dataset, format, header row, what the caller's role may take away), kept
/// for the version of the dataset they were read from (<see cref="DataVersion.KeyAsync(IEnumerable{Datasets.DatasetSpec}, CancellationToken)"/>):
/// a second export of a million finds by the same role streams the file the first one wrote instead of reading and
/// writing it again (issue 11). Concurrent requests for the same question wait for one export. When the dataset
/// changes, the next request writes a new file and the old one is deleted (a download already under way keeps
/// reading it). Files beyond <paramref name="maxBytes"/> on disk are deleted, least recently used first; the newest is
/// always kept until another replaces it. The files live in a private folder of this host, deleted when it stops.
/// </summary>
/// <remarks>
/// The question must hold everything the file depends on besides the data (<see cref="Question"/>); the role's limits
/// are part of it, so one role is never handed a file written for another. Every request is still audited by its caller.
/// </remarks>
public sealed class ExportCache(long maxBytes, bool enabled = true) : IDisposable
{
    /// <summary>A finished export on disk and what it holds.</summary>
    public sealed record ExportFile(string Path, ExportResult Result, long Bytes);

    private sealed class Slot(DataKey version, Lazy<Task<ExportFile>> file)
    {
        public DataKey Version { get; } = version;
        public Lazy<Task<ExportFile>> File { get; } = file;
        public long LastUsed;

        /// <summary>Replaced or evicted: its file, once written and opened by whoever started it, is deleted.</summary>
        public volatile bool Forgotten;
    }

    private readonly Lock _lock = new();
    private readonly Dictionary<string, Slot> _slots = new(StringComparer.Ordinal);
    private readonly Lazy<string> _folder = new(() => PrivateFiles.CreateTemporaryFolder("groundtruth-export-"));
    private long _uses;
    private bool _disposed;

    public bool Enabled => enabled;

    /// <summary>The files kept (for tests and diagnostics).</summary>
    public int Count
    {
        get { lock (_lock) return _slots.Values.Count(s => s.File.IsValueCreated && s.File.Value.IsCompletedSuccessfully); }
    }

    /// <summary>The question an export answers, as a cache key: everything the file depends on besides the data.</summary>
    public static string Question(string dataset, string format, bool humanHeaders, ExportLimits limits) =>
        string.Join('|', dataset, format, humanHeaders ? "human:" + System.Globalization.CultureInfo.CurrentUICulture.Name : "machine",
            limits.WithholdLabelledRecords ? "withhold" : "all",
            limits.GeneraliseToDegrees is { } cell ? cell.ToString("R", System.Globalization.CultureInfo.InvariantCulture) : "exact");

    /// <summary>
    /// The export answering <paramref name="question"/> at <paramref name="version"/>, opened for reading: a kept file,
    /// or one <paramref name="produce"/> writes to the path it is given (it must not depend on the caller's cancellation,
    /// as other callers may wait for it). A request that read an older version than the kept one writes its own file,
    /// deleted when the stream is closed. A failure is not kept.
    /// </summary>
    public async Task<(FileStream Stream, ExportResult Result)> OpenAsync(DataKey version, string question, string extension, Func<string, Task<ExportResult>> produce, CancellationToken ct = default)
    {
        Slot? slot = null;
        Slot? replaced = null;
        if (enabled)
        {
            lock (_lock)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                if (_slots.TryGetValue(question, out var kept) && kept.Version.Text == version.Text) slot = kept;
                else if (kept is null || version.Order >= kept.Version.Order)
                {
                    replaced = kept;
                    slot = new Slot(version, new Lazy<Task<ExportFile>>(() => Write(extension, produce)));
                    _slots[question] = slot;
                }
                if (slot is not null) slot.LastUsed = ++_uses;
            }
        }
        if (replaced is not null) Forget(replaced);
        if (slot is null)
        {
            // Not kept: written for this request alone, gone when its stream closes.
            var own = await Write(extension, produce);
            return (Open(own.Path, FileOptions.DeleteOnClose), own.Result);
        }
        ExportFile file;
        try
        {
            file = await slot.File.Value.WaitAsync(ct);
        }
        catch (Exception) when (slot.File.Value.IsFaulted)
        {
            lock (_lock) if (_slots.TryGetValue(question, out var kept) && ReferenceEquals(kept, slot)) _slots.Remove(question);
            throw;
        }
        Trim(slot);
        try
        {
            var stream = Open(file.Path, FileOptions.None);
            // Replaced before its write began (Forget could not see a file to delete): this request still reads it.
            if (slot.Forgotten) TryDelete(file.Path);
            return (stream, file.Result);
        }
        catch (FileNotFoundException)
        {
            // Replaced and deleted between finishing and opening (the dataset changed meanwhile): answer from a file of its own.
            var own = await Write(extension, produce);
            return (Open(own.Path, FileOptions.DeleteOnClose), own.Result);
        }
    }

    private async Task<ExportFile> Write(string extension, Func<string, Task<ExportResult>> produce)
    {
        var path = Path.Combine(_folder.Value, $"{Guid.NewGuid():N}.{extension}");
        try
        {
            var result = await produce(path);
            return new ExportFile(path, result, new FileInfo(path).Length);
        }
        catch
        {
            File.Delete(path);
            File.Delete(path + ".partial");
            throw;
        }
    }

    private static FileStream Open(string path, FileOptions options) =>
        new(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 64 * 1024, options | FileOptions.Asynchronous);

    /// <summary>Deletes the kept files beyond the budget, least recently used first, never <paramref name="newest"/>.</summary>
    private void Trim(Slot newest)
    {
        List<Slot> evicted = [];
        lock (_lock)
        {
            var done = _slots.Where(kv => kv.Value.File.IsValueCreated && kv.Value.File.Value.IsCompletedSuccessfully).ToList();
            var bytes = done.Sum(kv => kv.Value.File.Value.Result.Bytes);
            foreach (var (key, slot) in done.OrderBy(kv => kv.Value.LastUsed))
            {
                if (bytes <= maxBytes) break;
                if (ReferenceEquals(slot, newest)) continue;
                _slots.Remove(key);
                bytes -= slot.File.Value.Result.Bytes;
                evicted.Add(slot);
            }
        }
        foreach (var slot in evicted) Forget(slot);
    }

    /// <summary>Deletes a slot's file once it is written (a download already reading it keeps its open handle).</summary>
    private static void Forget(Slot slot)
    {
        slot.Forgotten = true;
        if (!slot.File.IsValueCreated) return;
        _ = slot.File.Value.ContinueWith(t =>
        {
            if (t.IsCompletedSuccessfully) TryDelete(t.Result.Path);
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Still open without sharing deletion on some platform: the folder goes when the host stops.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>Deletes every kept file and the folder.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed) return;
            _disposed = true;
            _slots.Clear();
        }
        if (!_folder.IsValueCreated) return;
        try
        {
            Directory.Delete(_folder.Value, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
