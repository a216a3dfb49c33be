using Groundtruth.Application.Caching;
using Groundtruth.Application.Export;

namespace Groundtruth.Application.Tests.Caching;

/// <summary>
/// <see cref="ExportCache"/>: one export file per question and dataset version, written once for concurrent requests,
/// replaced (and deleted) when the version moves on, never kept for an older version or after a failure, and the
/// least recently used files deleted beyond the budget.
/// </summary>
public sealed class ExportCacheTests
{
    private static readonly DataKey V1 = new("host:finds=1", 1);
    private static readonly DataKey V2 = new("host:finds=2", 2);

    /// <summary>A producer that writes <paramref name="text"/> and counts its calls, optionally waiting for a gate first.</summary>
    private sealed class Producer(string text, Task? gate = null)
    {
        public int Calls;
        public readonly List<string> Paths = [];

        public async Task<ExportResult> ProduceAsync(string path)
        {
            Interlocked.Increment(ref Calls);
            lock (Paths) Paths.Add(path);
            if (gate is not null) await gate;
            await File.WriteAllTextAsync(path, text);
            return new ExportResult("finds", path, text.Length);
        }
    }

    private static async Task<string> ReadAsync(FileStream stream)
    {
        await using (stream)
        using (var reader = new StreamReader(stream))
            return await reader.ReadToEndAsync();
    }

    [Fact]
    public async Task ConcurrentRequests_ForOneQuestion_WriteOneFile_AndLaterOnesReadIt()
    {
        using var cache = new ExportCache(maxBytes: 1 << 20);
        var gate = new TaskCompletionSource();
        var producer = new Producer("id\nF-1\n", gate.Task);
        var requests = Enumerable.Range(0, 5).Select(_ => cache.OpenAsync(V1, "finds|csv", "csv", producer.ProduceAsync)).ToList();
        gate.SetResult();
        foreach (var request in requests)
        {
            var (stream, result) = await request;
            (await ReadAsync(stream)).ShouldBe("id\nF-1\n");
            result.Records.ShouldBe(7);
        }
        var (again, _) = await cache.OpenAsync(V1, "finds|csv", "csv", producer.ProduceAsync);
        (await ReadAsync(again)).ShouldBe("id\nF-1\n");

        producer.Calls.ShouldBe(1);
        cache.Count.ShouldBe(1);
        File.Exists(producer.Paths.Single()).ShouldBeTrue("the kept file outlives the streams read from it");
    }

    [Fact]
    public async Task OtherQuestions_AreOtherFiles()
    {
        using var cache = new ExportCache(maxBytes: 1 << 20);
        var analyst = new Producer("analyst");
        var viewer = new Producer("viewer");
        (await ReadAsync((await cache.OpenAsync(V1, ExportCache.Question("finds", "csv", false, new ExportLimits(true, null)), "csv", analyst.ProduceAsync)).Stream)).ShouldBe("analyst");
        (await ReadAsync((await cache.OpenAsync(V1, ExportCache.Question("finds", "csv", false, new ExportLimits(true, 0.01)), "csv", viewer.ProduceAsync)).Stream)).ShouldBe("viewer");
        (await ReadAsync((await cache.OpenAsync(V1, ExportCache.Question("finds", "csv", false, new ExportLimits(true, null)), "csv", viewer.ProduceAsync)).Stream)).ShouldBe("analyst");
        ExportCache.Question("minefield-records", "csv", false, new ExportLimits(false, null))
            .ShouldNotBe(ExportCache.Question("minefield-records", "csv", false, new ExportLimits(true, null)));
        ExportCache.Question("finds", "csv", true, new ExportLimits(true, null)).ShouldNotBe(ExportCache.Question("finds", "csv", false, new ExportLimits(true, null)));
        ExportCache.Question("finds", "xlsx", false, new ExportLimits(true, null)).ShouldNotBe(ExportCache.Question("finds", "csv", false, new ExportLimits(true, null)));
        analyst.Calls.ShouldBe(1);
        viewer.Calls.ShouldBe(1);
    }

    [Fact]
    public async Task ANewVersion_WritesAgain_AndDeletesTheOldFile_WhileAnOpenDownloadKeepsReadingIt()
    {
        using var cache = new ExportCache(maxBytes: 1 << 20);
        var first = new Producer("before");
        var (download, _) = await cache.OpenAsync(V1, "q", "csv", first.ProduceAsync);

        var second = new Producer("after");
        (await ReadAsync((await cache.OpenAsync(V2, "q", "csv", second.ProduceAsync)).Stream)).ShouldBe("after");

        File.Exists(first.Paths.Single()).ShouldBeFalse("the old version's file is deleted");
        (await ReadAsync(download)).ShouldBe("before");
        cache.Count.ShouldBe(1);

        // A request that read the older version answers from a file of its own, deleted when it is read, and keeps nothing.
        var late = new Producer("late");
        (await ReadAsync((await cache.OpenAsync(V1, "q", "csv", late.ProduceAsync)).Stream)).ShouldBe("late");
        File.Exists(late.Paths.Single()).ShouldBeFalse();
        (await ReadAsync((await cache.OpenAsync(V2, "q", "csv", new Producer("never").ProduceAsync)).Stream)).ShouldBe("after");
    }

    [Fact]
    public async Task ASlotReplacedBeforeItsWriteBegan_LeavesNoFileBehind()
    {
        using var cache = new ExportCache(maxBytes: 1 << 20);
        var gate = new TaskCompletionSource();
        var slow = new Producer("old", gate.Task);
        // The first request writes (and waits at the gate); a newer version replaces its slot meanwhile.
        var first = cache.OpenAsync(V1, "q", "csv", slow.ProduceAsync);
        (await ReadAsync((await cache.OpenAsync(V2, "q", "csv", new Producer("new").ProduceAsync)).Stream)).ShouldBe("new");
        gate.SetResult();
        (await ReadAsync((await first).Stream)).ShouldBe("old", "the first request still reads what it wrote");
        slow.Paths.ShouldAllBe(path => !File.Exists(path), "and the replaced file is gone");
        cache.Count.ShouldBe(1);
    }

    [Fact]
    public async Task AFailure_IsNotKept_AndLeavesNoFile()
    {
        using var cache = new ExportCache(maxBytes: 1 << 20);
        string? failedPath = null;
        await Should.ThrowAsync<InvalidOperationException>(() => cache.OpenAsync(V1, "q", "csv", async path =>
        {
            failedPath = path;
            await File.WriteAllTextAsync(path + ".partial", "half");
            throw new InvalidOperationException("disk full");
        }));
        File.Exists(failedPath!).ShouldBeFalse();
        File.Exists(failedPath + ".partial").ShouldBeFalse();
        cache.Count.ShouldBe(0);
        var producer = new Producer("ok");
        (await ReadAsync((await cache.OpenAsync(V1, "q", "csv", producer.ProduceAsync)).Stream)).ShouldBe("ok");
        producer.Calls.ShouldBe(1);
    }

    [Fact]
    public async Task BeyondTheBudget_TheLeastRecentlyUsedFilesGo_NeverTheNewest()
    {
        using var cache = new ExportCache(maxBytes: 25);
        var a = new Producer(new string('a', 10));
        var b = new Producer(new string('b', 10));
        var c = new Producer(new string('c', 10));
        await (await cache.OpenAsync(V1, "a", "csv", a.ProduceAsync)).Stream.DisposeAsync();
        await (await cache.OpenAsync(V1, "b", "csv", b.ProduceAsync)).Stream.DisposeAsync();
        await (await cache.OpenAsync(V1, "a", "csv", a.ProduceAsync)).Stream.DisposeAsync(); // a used after b
        await (await cache.OpenAsync(V1, "c", "csv", c.ProduceAsync)).Stream.DisposeAsync();

        File.Exists(b.Paths.Single()).ShouldBeFalse("b was the least recently used");
        File.Exists(a.Paths.Single()).ShouldBeTrue();
        File.Exists(c.Paths.Single()).ShouldBeTrue();
        cache.Count.ShouldBe(2);

        // One file larger than the whole budget is still kept (the newest), the others go.
        var big = new Producer(new string('z', 100));
        await (await cache.OpenAsync(V1, "big", "csv", big.ProduceAsync)).Stream.DisposeAsync();
        await (await cache.OpenAsync(V1, "big", "csv", big.ProduceAsync)).Stream.DisposeAsync();
        big.Calls.ShouldBe(1);
        cache.Count.ShouldBe(1);
    }

    [Fact]
    public async Task Disabled_WritesEveryTime_AndKeepsNothing()
    {
        using var cache = new ExportCache(maxBytes: 1 << 20, enabled: false);
        var producer = new Producer("x");
        (await ReadAsync((await cache.OpenAsync(V1, "q", "csv", producer.ProduceAsync)).Stream)).ShouldBe("x");
        (await ReadAsync((await cache.OpenAsync(V1, "q", "csv", producer.ProduceAsync)).Stream)).ShouldBe("x");
        producer.Calls.ShouldBe(2);
        producer.Paths.ShouldAllBe(p => !File.Exists(p));
    }

    [Fact]
    public async Task Disposing_DeletesTheKeptFilesAndTheirFolder()
    {
        var cache = new ExportCache(maxBytes: 1 << 20);
        var producer = new Producer("x");
        await (await cache.OpenAsync(V1, "q", "csv", producer.ProduceAsync)).Stream.DisposeAsync();
        var folder = Path.GetDirectoryName(producer.Paths.Single())!;
        Directory.Exists(folder).ShouldBeTrue();
        cache.Dispose();
        Directory.Exists(folder).ShouldBeFalse();
    }
}
