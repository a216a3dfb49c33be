using Groundtruth.Analysis.Risk;
using Groundtruth.Application.Demo;
using Groundtruth.Application.Risk;
using Groundtruth.Application.Tests.Support;

namespace Groundtruth.Application.Tests.Risk;

/// <summary>
/// The positive control on more fixed seeds than <see cref="RiskTests"/>' seed 3: on each demo with the planted
/// silent minefields (docs/risk.md) the model's capture of later finds and accidents in the top 10% of ranked area
/// is at least the baseline's ("distance to the nearest past event"). Point estimates on fixed seeds, as the issue
/// asks; the intervals are reported, not asserted (they reach 0: docs/risk.md says why).
/// </summary>
public sealed class PositiveControlSeedsTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task Model_CapturesAtLeastTheBaseline_AtTenPercent(int seed)
    {
        await using var database = await TestDatabase.CreateAsync(Backend.GeoPackage, initialise: false);
        var clock = new FixedClock(RiskDemoFixture.Now);
        await new DemoHandler(database.Target, clock).HandleAsync(new DemoRequest(Seed: seed));
        var result = await new RiskHandler(database.Target, clock).EvaluateAsync(
            new RiskEvaluateRequest(new RiskOptions(CellM: 50, BootstrapSamples: 100, Seed: 1), SplitDate: new DateOnly(2025, 1, 1)));
        var json = RiskHandler.EvaluationJson(result, RiskDemoFixture.Now.UtcDateTime);
        (result.TestFinds + result.TestAccidents).ShouldBeGreaterThan(300, json);
        result.Capture["10"]!.Value.ShouldBeGreaterThanOrEqualTo(result.BaselineCapture["10"]!.Value, json);
        result.Verdict.ShouldNotContain("the baseline captures more", customMessage: json);
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
