using Groundtruth.Application.Datasets;
using Groundtruth.Application.Export;
using Groundtruth.Application.Progress;
using Groundtruth.Application.Reports;
using Groundtruth.Application.Statistics;
using Groundtruth.Application.Tests.Statistics;
using Groundtruth.Application.Tests.Support;

using FixedClock = Groundtruth.Application.Tests.Demo.FixedClock;

namespace Groundtruth.Application.Tests.Reports;

/// <summary>
/// The progress the long read-only use cases report for the CLI's progress bar: stages in order, fractions that only
/// grow and end at the last step, and the same answer as without a listener.
/// </summary>
public sealed class ProgressReportingTests(DemoStatsFixture demo) : IClassFixture<DemoStatsFixture>
{
    /// <summary>Records reports on the reporting thread, in order (Progress&lt;T&gt; would post them to the pool).</summary>
    private sealed class Recorder : IProgress<WorkProgress>
    {
        public List<WorkProgress> Reports { get; } = [];
        public void Report(WorkProgress value) => Reports.Add(value);
    }

    private static void ShouldGrow(List<WorkProgress> reports)
    {
        reports.ShouldNotBeEmpty();
        var fractions = reports.Where(r => r.Fraction is not null).Select(r => r.Fraction!.Value).ToList();
        fractions.ShouldAllBe(f => f >= 0 && f <= 1);
        for (var i = 1; i < fractions.Count; i++) fractions[i].ShouldBeGreaterThanOrEqualTo(fractions[i - 1]);
    }

    [Fact]
    public async Task Export_ReportsTheShareWritten_EndingAtOne_AndWritesTheSameFile()
    {
        var t = await demo.DatabaseAsync(Backend.GeoPackage);
        var plain = Path.Combine(t.Directory, "progress-plain.csv");
        var watched = Path.Combine(t.Directory, "progress-watched.csv");
        var recorder = new Recorder();
        await new ExportHandler(t.Target, TimeProvider.System).HandleAsync(new ExportRequest(DatasetCatalog.Finds, plain));
        var result = await new ExportHandler(t.Target, TimeProvider.System).HandleAsync(new ExportRequest(DatasetCatalog.Finds, watched), recorder);

        ShouldGrow(recorder.Reports);
        recorder.Reports.ShouldAllBe(r => r.Stage == "writing finds");
        recorder.Reports[0].Fraction.ShouldBe(0);
        recorder.Reports[^1].Fraction.ShouldBe(1);
        // One report at the start, one per 10,000 records, one at the end.
        recorder.Reports.Count.ShouldBe(2 + result.Records / 10_000);
        (await File.ReadAllTextAsync(watched)).ShouldBe(await File.ReadAllTextAsync(plain));
    }

    [Fact]
    public async Task SituationReport_ReportsEachQuestion_ThenTheWriting()
    {
        var t = await demo.DatabaseAsync(Backend.GeoPackage);
        var recorder = new Recorder();
        await new SituationReportHandler(t.Target, FixedClock.AtToday)
            .HandleAsync(new SituationReportRequest(Path.Combine(t.Directory, "progress.html"), "2000-01-01"), recorder);

        ShouldGrow(recorder.Reports);
        // Twelve statistics questions, each a step, the map as the thirteenth and the writing as the fourteenth: 0/14 … 13/14.
        recorder.Reports.Select(r => r.Fraction!.Value).ShouldBe([.. Enumerable.Range(0, 14).Select(i => i / 14.0)], tolerance: 1e-12);
        recorder.Reports[0].Stage.ShouldBe("casualties by outcome");
        recorder.Reports[^1].Stage.ShouldBe("writing the HTML");
    }

    [Fact]
    public async Task Stats_ReportsReadingThenCounting_WithTheSameFigures()
    {
        var t = await demo.DatabaseAsync(Backend.GeoPackage);
        var request = new StatsRequest("finds", "2000", null, [], null, ["category"]);
        var recorder = new Recorder();
        var plain = await new StatsHandler(t.Target, TimeProvider.System).HandleAsync(request);
        var watched = await new StatsHandler(t.Target, TimeProvider.System).HandleAsync(request, recorder);

        recorder.Reports.ShouldBe([new WorkProgress("reading finds", 0), new WorkProgress("counting", 0.5)]);
        watched.Figures.Total.ShouldBe(plain.Figures.Total);
        watched.Figures.Groups.Select(g => (g.Values[0], g.Count)).ShouldBe(plain.Figures.Groups.Select(g => (g.Values[0], g.Count)));
    }
}
