using Groundtruth.Application.Caching;

namespace Groundtruth.Application.Tests.Caching;

/// <summary>The one per-version cache the host's caches share: once per key and version, never older data kept under a newer version.</summary>
public sealed class PerVersionTests
{
    private static readonly DataKey V1 = new("a:1", 1), V2 = new("a:2", 2);

    [Fact]
    public async Task ConcurrentRequests_ShareOneComputation_UntilTheVersionMovesOn()
    {
        var cache = new PerVersion<int>();
        var calls = 0;
        var gate = new TaskCompletionSource();
        async Task<int> Produce()
        {
            Interlocked.Increment(ref calls);
            await gate.Task;
            return calls;
        }
        var waiting = Enumerable.Range(0, 8).Select(_ => cache.GetAsync(V1, "q", Produce)).ToList();
        gate.SetResult();
        (await Task.WhenAll(waiting)).ShouldAllBe(v => v == 1);
        calls.ShouldBe(1);
        (await cache.GetAsync(V1, "other", Produce)).ShouldBe(2);
        (await cache.GetAsync(V2, "q", Produce)).ShouldBe(3);
        cache.Count.ShouldBe(1);
    }

    [Fact]
    public async Task ARequestAtAnOlderVersion_ComputesAndKeepsNothing()
    {
        var cache = new PerVersion<string>();
        (await cache.GetAsync(V2, "q", () => Task.FromResult("new"))).ShouldBe("new");
        (await cache.GetAsync(V1, "q", () => Task.FromResult("old"))).ShouldBe("old");
        (await cache.GetAsync(V2, "q", () => Task.FromResult("again"))).ShouldBe("new");
    }

    [Fact]
    public async Task AFailure_IsNotKept_AndTheCapIsHeld()
    {
        var cache = new PerVersion<int>(maxEntries: 2);
        await Should.ThrowAsync<InvalidOperationException>(() => cache.GetAsync(V1, "q", () => Task.FromException<int>(new InvalidOperationException("boom"))));
        (await cache.GetAsync(V1, "q", () => Task.FromResult(7))).ShouldBe(7);
        (await cache.GetAsync(V1, "r", () => Task.FromResult(8))).ShouldBe(8);
        (await cache.GetAsync(V1, "s", () => Task.FromResult(9))).ShouldBe(9);
        cache.Count.ShouldBe(2);
        (await cache.GetAsync(V1, "s", () => Task.FromResult(10))).ShouldBe(10, "beyond the cap a value is computed, not kept");
    }
}
