using Groundtruth.Application.Caching;

namespace Groundtruth.Application.Tests.Caching;

/// <summary><see cref="FirstAsked"/>: zero the first time a question is asked, the time since then afterwards; the oldest questions forgotten.</summary>
public sealed class FirstAskedTests
{
    [Fact]
    public async Task AQuestion_IsNewOnce_ThenAgesFromItsFirstAsking_AndTheOldestAreForgotten()
    {
        var asked = new FirstAsked(maxEntries: 2);
        asked.Elapsed("v1|2026").ShouldBe(TimeSpan.Zero, "never asked: zero, and not recorded by looking");
        asked.Since("v1|2026").ShouldBe(TimeSpan.Zero);
        await Task.Delay(30, TestContext.Current.CancellationToken);
        var later = asked.Since("v1|2026");
        later.ShouldBeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(25), "the same question ages from when it was first asked");
        asked.Since("v2|2026").ShouldBe(TimeSpan.Zero, "a new data version is a new question");
        asked.Since("v1|2026").ShouldBeGreaterThanOrEqualTo(later);
        asked.Elapsed("v1|2026").ShouldBeGreaterThanOrEqualTo(later);
        asked.Since("v3|2026").ShouldBe(TimeSpan.Zero);
        asked.Since("v1|2026").ShouldBe(TimeSpan.Zero, "two questions kept: the oldest was forgotten and is new again");
    }
}
