namespace Groundtruth.Benchmarks.Tests;

/// <summary>
/// The short crash loop CI runs (the long one is <c>Groundtruth.Benchmarks crash</c>, docs/reliability.md): a few
/// SIGKILLed imports, entries and approvals per backend, each leaving an intact database that holds exactly the
/// state before or after the operation, with its audit chain unbroken.
/// </summary>
public sealed class CrashLoopTests
{
    private const int Iterations = 5;

    [Theory]
    [InlineData("gpkg")]
    [InlineData("pg")]
    public async Task ShortLoop_EveryKillLeavesTheStateBeforeOrAfter(string backend)
    {
        var pg = Environment.GetEnvironmentVariable("GROUNDTRUTH_TEST_PG");
        if (backend == "pg" && string.IsNullOrWhiteSpace(pg))
        {
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
                Assert.Fail("GROUNDTRUTH_TEST_PG is not set under CI: .ci/run must start PostgreSQL");
            Assert.Skip("GROUNDTRUTH_TEST_PG is not set");
        }
        var dir = Path.Combine(Path.GetTempPath(), "groundtruth-tests", "crash-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            var options = new CrashOptions(Iterations, Seed: 14, [backend], pg, dir, Keep: false);
            var summary = await CrashLoop.RunBackendAsync(backend, options, dir, _ => { });
            summary.Failures.ShouldBeEmpty();
            (summary.FoundBefore + summary.FoundAfter).ShouldBe(Iterations, "every iteration was checked");
            (summary.Imports + summary.Entries + summary.Approvals).ShouldBe(Iterations);
            (summary.Killed + summary.FinishedBeforeKill).ShouldBe(Iterations);
        }
        finally
        {
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        }
    }
}
