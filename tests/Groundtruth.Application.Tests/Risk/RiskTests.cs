using Groundtruth.Application.Tests.Cli;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Groundtruth.Analysis.Risk;
using Groundtruth.Application.Demo;
using Groundtruth.Application.Risk;
using Groundtruth.Application.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Groundtruth.Application.Tests.Risk;

/// <summary>The demo programme (seed 3) made on a fixed day, once for the class.</summary>
public sealed class RiskDemoFixture : IAsyncLifetime
{
    public static readonly DateTimeOffset Now = new(2026, 11, 26, 7, 0, 0, TimeSpan.Zero);
    public TestDatabase Database { get; private set; } = null!;
    public TimeProvider Clock { get; } = new StoppedClock(Now);

    public async ValueTask InitializeAsync()
    {
        Database = await TestDatabase.CreateAsync(Backend.GeoPackage, initialise: false);
        await new DemoHandler(Database.Target, Clock).HandleAsync(new DemoRequest(Seed: 3));
    }

    public async ValueTask DisposeAsync() => await Database.DisposeAsync();

    private sealed class StoppedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}

public sealed partial class RiskTests(RiskDemoFixture demo) : IClassFixture<RiskDemoFixture>
{
    /// <remarks>
    /// The demo plants silent minefields (HazardPlan.Silent, docs/risk.md): laid along the old conflict's front
    /// line, spread over its whole length, never the scene of an accident, found only when survey reaches them after
    /// the recent hostilities (three in ten in the first year after them, the training window here). Before they are
    /// worked only the front lines and the minefield records point at them, so the baseline "distance to the nearest
    /// past event" cannot rank them and a model that reads the other layers can. Asserted on seed 3: the silent
    /// minefields hold a material share of the test finds, in at least five spatial blocks of the bootstrap; the
    /// baseline misses many of them; and the model the map would use captures more at 10%. Its 95% interval is NOT
    /// asserted here: on this demo (made on 2026-11-26) the map picks the boosted trees, whose interval reaches below
    /// zero, while the logistic model's excludes it (docs/risk.md gives the figures); seeds 1 and 2 assert it
    /// (<see cref="PositiveControlSeedsTests"/>).
    /// </remarks>
    [Fact]
    public async Task PositiveControl_Demo_SilentMinefieldsEscapeTheBaseline_AndTheMapModelCapturesMore()
    {
        var split = new DateOnly(2025, 1, 1);
        var result = await new RiskHandler(demo.Database.Target, demo.Clock).EvaluateAsync(
            new RiskEvaluateRequest(new RiskOptions(CellM: 50, BootstrapSamples: 100, Seed: 1), SplitDate: split));
        var events = result.TestFinds + result.TestAccidents;
        events.ShouldBeGreaterThan(500);

        // The planted structure, counted from the generator's own plan and the database, not from the risk code.
        var world = new DemoWorld(3, 1, DateOnly.FromDateTime(RiskDemoFixture.Now.UtcDateTime));
        var plans = Enumerable.Range(0, world.HazardCount).Select(i => new HazardPlan(world, i)).ToList();
        var silent = plans.Where(h => h.Silent).Select(h => h.Id).ToHashSet();
        // Five in every twenty hazards (HazardPlan's slots), whatever the seed's offset into them.
        silent.Count.ShouldBe(world.HazardCount / HazardPlan.SlotCount * 5);
        plans.Count(h => h.ReachedEarly).ShouldBe(3);
        await using var db = demo.Database.Target.CreateContext();
        var finds = (await db.Finds.AsNoTracking().Where(f => f.HazardId != null).Select(f => new { f.HazardId, f.FoundOn, f.Geometry }).ToListAsync())
            .Where(f => silent.Contains(f.HazardId!)).ToList();
        var later = finds.Where(f => f.FoundOn.Start >= split).ToList();
        ((double)later.Count / events).ShouldBeGreaterThan(0.1, "the silent minefields hold a material share of the test events");
        finds.Count(f => f.FoundOn.Start < split).ShouldBeGreaterThan(0, "some are worked in the training window, so the model can learn them");
        // In independent places: blocks of 14 km (the bootstrap's, about a tenth of the area's longer side), counted
        // here on longitude and latitude alone (1° of longitude is about 95 km at this latitude).
        later.Select(f => ((int)Math.Floor(f.Geometry!.X * 95 / 14), (int)Math.Floor(f.Geometry!.Y * 111 / 14))).Distinct().Count()
            .ShouldBeGreaterThanOrEqualTo(5);
        var json = RiskHandler.EvaluationJson(result, demo.Clock.GetUtcNow().UtcDateTime);
        // Most of them lie far from every earlier find and accident: the baseline's capture drops well below
        // the 96.6% it reached on the demo before they were planted (docs/risk.md).
        result.BaselineCapture["10"]!.Value.ShouldBeLessThan(0.9, json);
        var map = result.MapModelResult;
        result.MapModel!.Reason.ShouldContain("held out by spatial fold", customMessage: json);
        map.Capture["10"]!.Value.ShouldBeGreaterThan(map.BaselineCapture["10"]!.Value + 0.05, json);
        map.Verdict.ShouldNotContain("the baseline captures more", customMessage: json);
        // Both models beat the baseline by the point estimate; at least one with an interval excluding zero.
        result.Capture["10"]!.Value.ShouldBeGreaterThan(result.BaselineCapture["10"]!.Value, json);
        result.Challenger!.Capture["10"]!.Value.ShouldBeGreaterThan(result.BaselineCapture["10"]!.Value, json);
        Math.Max(result.CaptureDifferenceInterval["10"]![0], result.Challenger.CaptureDifferenceInterval["10"]![0]).ShouldBeGreaterThan(0, json);
        // The challenger is scored on the same split, beside the same baseline, with its importances.
        var challenger = JsonNode.Parse(json)!["boosted_trees"]!;
        challenger["capture"]!["10"]!.GetValue<double>().ShouldBeInRange(0, 1);
        challenger["importances"]![0]!.AsObject().Sum(kv => kv.Value!.GetValue<double>()).ShouldBe(1, 1e-3);

        var parsed = JsonNode.Parse(json)!;
        foreach (var key in new[] { "1", "5", "10", "20" })
        {
            parsed["capture"]![key]!.GetValue<double>().ShouldBeInRange(0, 1);
            parsed["baseline_capture"]![key]!.GetValue<double>().ShouldBeInRange(0, 1);
        }
        parsed["pr_auc"].ShouldNotBeNull();
        parsed["baseline_pr_auc"].ShouldNotBeNull();
        parsed["brier"].ShouldNotBeNull();
        parsed["scaling"]![0]!["calibrated"]!.GetValue<bool>().ShouldBeTrue();
        // The model the map would use at the split is named, and its figures are one of the two tables.
        parsed["map_model"]!["model"]!.GetValue<string>().ShouldBeOneOf("logistic", "boosted_trees");
        // With the held-out figures it was chosen on: the far events decide unless both models hold as many of them.
        var mapModel = parsed["map_model"]!;
        mapModel["held_out_events"]!.GetValue<int>().ShouldBe(result.MapModel!.Events);
        // The demo's training windows hold held-out events far from every earlier one (145–317 on the demos of docs/risk.md):
        // the far test is wired into training.
        mapModel["far_events"]!.GetValue<int>().ShouldBeGreaterThan(0, json);
        mapModel["far_events"]!.GetValue<int>().ShouldBe(result.MapModel.FarEvents!.Value);
        mapModel["decided_on"]!.GetValue<string>().ShouldBe(result.MapModel.DecidedOnFar ? "far_events" : "all_events");
        mapModel["difference_10_ci"]!.AsArray().Count.ShouldBe(2);
        var decidingCapture = mapModel[result.MapModel.DecidedOnFar ? "far_capture_10" : "held_out_capture_10"]!;
        var (logisticHeld, treesHeld) = (decidingCapture["logistic"]!.GetValue<double>(), decidingCapture["boosted_trees"]!.GetValue<double>());
        (result.MapModel.Chosen == "boosted_trees" ? treesHeld > logisticHeld : logisticHeld >= treesHeld).ShouldBeTrue(json);
        result.MapModelResult.ShouldBeOneOf(result, result.Challenger);
        // Rolling origins by default: the model trains on several windows, hundreds of processed cells.
        result.TrainingCells.ShouldBeGreaterThan(300, json);

        // The calibration table is honest arithmetic: deciles of the test's processed cells, shares with Wilson intervals.
        result.Calibration.Sum(b => b.Cells).ShouldBe(result.CalibrationCells);
        foreach (var b in result.Calibration)
        {
            b.MeanPredicted!.Value.ShouldBeInRange(b.From - 1e-9, b.To + 1e-9);
            b.ObservedInterval![0].ShouldBeLessThanOrEqualTo(b.Observed!.Value);
            b.ObservedInterval[1].ShouldBeGreaterThanOrEqualTo(b.Observed.Value);
        }
    }

    /// <summary>
    /// The model the map would use at the split (chosen on the training window alone, on land held out by spatial
    /// fold) captures more at 10% of the area than the baseline, with a 95% interval of the difference excluding zero.
    /// </summary>
    internal static void ShouldBeatTheBaseline(RiskEvaluationResult result, string json)
    {
        var map = result.MapModelResult;
        result.MapModel!.Reason.ShouldContain("held out by spatial fold", customMessage: json);
        map.Capture["10"]!.Value.ShouldBeGreaterThan(map.BaselineCapture["10"]!.Value, json);
        map.CaptureDifferenceInterval["10"]![0].ShouldBeGreaterThan(0, json);
        map.Verdict.ShouldContain("the model captures more", customMessage: json);
    }

    [Fact]
    public async Task Map_WritesAGeoTiffGdalReads_WithSizeGeotransformAndCrs_AndAuditsTheExport()
    {
        var output = Path.Combine(demo.Database.Directory, "risk", "map.tif");
        var report = await new RiskHandler(demo.Database.Target, demo.Clock).MapAsync(new RiskMapRequest(output, new RiskOptions(CellM: 200), Top: 10, Actor: "analyst"));
        var grid = report.Map.Scene.Grid;
        report.Files.ShouldContain(Path.ChangeExtension(output, ".png"));
        report.Files.ShouldContain(Path.ChangeExtension(output, ".status.tif"));

        var (code, info) = GdalTests.Run("gdalinfo", $"\"{output}\"");
        code.ShouldBe(0, info);
        info.ShouldContain($"Size is {grid.Columns}, {grid.Rows}");
        var zone = grid.Epsg - 32700;
        info.ShouldContain($"UTM zone {zone}S");
        info.ShouldContain($"ID[\"EPSG\",{grid.Epsg}]");
        var origin = OriginPattern().Match(info);
        origin.Success.ShouldBeTrue(info);
        double.Parse(origin.Groups[1].Value, CultureInfo.InvariantCulture).ShouldBe(grid.MinX, 1e-6);
        double.Parse(origin.Groups[2].Value, CultureInfo.InvariantCulture).ShouldBe(grid.MaxY, 1e-6);
        info.ShouldContain(string.Create(CultureInfo.InvariantCulture, $"Pixel Size = ({grid.Cell:0.000000000000000},-{grid.Cell:0.000000000000000})"));
        info.ShouldContain("Type=Float32");
        info.ShouldContain("NoData Value=-9999");
        info.ShouldContain("RESTRICTED");

        var (statusCode, statusInfo) = GdalTests.Run("gdalinfo", $"-stats \"{Path.ChangeExtension(output, ".status.tif")}\"");
        statusCode.ShouldBe(0, statusInfo);
        statusInfo.ShouldContain("Type=Byte");

        using (var png = SkiaSharp.SKBitmap.Decode(Path.ChangeExtension(output, ".png")))
        {
            png.Width.ShouldBeGreaterThan(400);
            // Never green: no pixel of the map or legend is predominantly green.
            var green = 0;
            for (var y = 0; y < png.Height; y += 2)
                for (var x = 0; x < png.Width; x += 2)
                {
                    var p = png.GetPixel(x, y);
                    if (p.Green > p.Red + 40 && p.Green > p.Blue + 40) green++;
                }
            green.ShouldBe(0);
        }

        // The legend's values: each ranked class's lower bound is the likelihood of the first cell past its share of the area,
        // read here from the GeoTIFF by GDAL (as text) and ranked from the highest; the words are what the PNG and the page show.
        var xyz = Path.Combine(demo.Database.Directory, "risk", "map.xyz");
        var (xyzCode, xyzOutput) = GdalTests.Run("gdal_translate", $"-q -of XYZ \"{output}\" \"{xyz}\"");
        xyzCode.ShouldBe(0, xyzOutput);
        var ranked = File.ReadLines(xyz).Select(l => double.Parse(l.Split(' ')[2], CultureInfo.InvariantCulture))
            .Where(v => v != -9999 && !double.IsNaN(v)).OrderByDescending(v => v).ToArray();
        double[] shares = [0.01, 0.05, 0.10, 0.20];
        var expected = shares.Select(share => ranked[(int)Math.Ceiling(share * ranked.Length)]).ToArray();
        report.Legend.Bounds!.Select(b => b!.Value).ShouldBe(expected);
        // Each value as written (three decimals or more) is the bound rounded.
        void Near(string text, double value)
        {
            var decimals = text.Length - text.IndexOf('.', StringComparison.Ordinal) - 1;
            decimals.ShouldBeGreaterThanOrEqualTo(3, text);
            Math.Abs(double.Parse(text, CultureInfo.InvariantCulture) - value).ShouldBeLessThanOrEqualTo(0.5 * Math.Pow(10, -decimals) + 1e-12, text);
        }
        var highest = RiskPreview.ClassValues(report.Legend, 0, CultureInfo.InvariantCulture)!;
        highest.ShouldStartWith("> ");
        Near(highest[2..], expected[0]);
        var middle = RiskPreview.ClassValues(report.Legend, 2, CultureInfo.InvariantCulture)!.Split('–');
        Near(middle[0], expected[2]);
        Near(middle[1], expected[1]);
        var rest = RiskPreview.ClassValues(report.Legend, 4, CultureInfo.InvariantCulture)!;
        rest.ShouldStartWith("≤ ");
        Near(rest[2..], expected[3]);
        RiskPreview.LegendEntries(CultureInfo.InvariantCulture, report.Legend)[1].Words.ShouldBe("top 1-5%: " + RiskPreview.ClassValues(report.Legend, 1, CultureInfo.InvariantCulture));
        RiskPreview.LegendEntries(CultureInfo.GetCultureInfo("fr"), report.Legend)[0].Words.ShouldEndWith("\u00a0: > " + highest[2..].Replace('.', ','));

        var top = JsonNode.Parse(await File.ReadAllTextAsync(Path.ChangeExtension(output, ".top.geojson")))!;
        top["restricted"]!.GetValue<bool>().ShouldBeTrue();
        top["features"]!.AsArray().Count.ShouldBe(10);
        top["features"]![0]!["properties"]!["contributions"]!.AsObject().Count.ShouldBe(EvidenceLayers.FeatureNames.Length);

        await using var db = demo.Database.Target.CreateContext();
        var audit = await db.AuditLog.AsNoTracking().Where(a => a.Action == "export_risk_map").ToListAsync();
        audit.ShouldContain(a => a.Actor == "analyst" && a.Detail!.Contains("map.tif"));
    }

    [GeneratedRegex(@"Origin = \(([-0-9.]+),([-0-9.]+)\)")]
    private static partial Regex OriginPattern();

    /// <summary>
    /// A map whose cell was not asked for (<c>risk map</c> without <c>--cell</c>) starts at the given cell and halves it
    /// while its training windows hold fewer than 300 processed cells: started at 1,600 m on the demo, the cell chosen
    /// trains on at least 300, the cell twice as large (mapped with that cell asked for) trains on fewer, and the output
    /// says how the cell was chosen; the GeoTIFF's description and the audit entry carry the cell used.
    /// </summary>
    [Fact]
    public async Task Map_WithoutACell_HalvesTheCellUntilTheTrainingWindowsHoldAFewHundredProcessedCells()
    {
        var handler = new RiskHandler(demo.Database.Target, demo.Clock);
        var output = Path.Combine(demo.Database.Directory, "risk-auto", "map.tif");
        var report = await handler.MapAsync(new RiskMapRequest(output, new RiskOptions(CellM: 1600), Actor: "analyst", AutomaticCell: true));
        var cell = report.Map.Scene.Grid.Cell;
        cell.ShouldBeLessThan(1600);
        report.Map.Trained.TrainingCells.ShouldBeGreaterThanOrEqualTo(RiskHandler.MinimumTrainingCells);
        report.CellChoice.ShouldNotBeNull();
        report.CellChoice.ShouldStartWith(string.Create(CultureInfo.InvariantCulture, $"{cell:0.#} m, chosen from the data"));
        report.CellChoice.ShouldContain("1600 m (");
        report.Legend.CellM.ShouldBe(cell);

        // The choice only picks the cell: the map of that cell asked for is the same map, cell for cell (the web's priorities
        // read the risk page's automatic map for their cell on this ground).
        var asked = await handler.MapAsync(new RiskMapRequest(Path.Combine(demo.Database.Directory, "risk-auto", "asked.tif"), new RiskOptions(CellM: cell), Actor: "analyst"));
        asked.Map.Likelihood.AsSpan().SequenceEqual(report.Map.Likelihood).ShouldBeTrue("the same likelihood in every cell");
        asked.Map.Status.AsSpan().SequenceEqual(report.Map.Status).ShouldBeTrue();

        var coarser = await handler.MapAsync(new RiskMapRequest(Path.Combine(demo.Database.Directory, "risk-auto", "coarser.tif"), new RiskOptions(CellM: cell * 2), Actor: "analyst"));
        coarser.CellChoice.ShouldBeNull();
        coarser.Map.Trained.TrainingCells.ShouldBeLessThan(RiskHandler.MinimumTrainingCells);

        await using var db = demo.Database.Target.CreateContext();
        var audit = await db.AuditLog.AsNoTracking().Where(a => a.Action == "export_risk_map" && a.Detail!.Contains("risk-auto") && a.Detail!.Contains("map.tif")).ToListAsync();
        audit.ShouldHaveSingleItem().Detail!.ShouldContain(string.Create(CultureInfo.InvariantCulture, $"\"cell_m\":{cell}"));
    }

    [Fact]
    public async Task Priorities_RankOpenAreasWithContributions_AndAuditAChangeOfWeights()
    {
        var handler = new PrioritiesHandler(demo.Database.Target, demo.Clock);
        var first = await handler.HandleAsync(new PrioritiesRequest(Format: "csv"));
        first.Rows.Count.ShouldBeGreaterThan(0);
        foreach (var row in first.Rows)
        {
            row.Score.ShouldBe(row.Criteria.Sum(c => c.Contribution), 1e-9);
            row.Criteria.Select(c => c.Criterion).ShouldBe(PriorityWeights.Criteria);
        }
        first.Rows.Select(r => r.Score).ShouldBeInOrder(SortDirection.Descending);
        PrioritiesHandler.Csv(first).ShouldStartWith("# RESTRICTED");

        var file = Path.Combine(demo.Database.Directory, "weights.json");
        await File.WriteAllTextAsync(file, """{ "owner": "National Mine Action Authority", "version": "2026-1", "people": 1, "roads": 0, "accidents": 0, "risk": 0, "residual_area": 0 }""");
        var changed = await handler.HandleAsync(new PrioritiesRequest(file, Actor: "authority"));
        changed.WeightsChanged.ShouldBeTrue();
        foreach (var row in changed.Rows) row.Score.ShouldBe(row.Criteria.Single(c => c.Criterion == "people").Normalised, 1e-9);
        var again = await handler.HandleAsync(new PrioritiesRequest(file, Actor: "authority"));
        again.WeightsChanged.ShouldBeFalse();

        await using var db = demo.Database.Target.CreateContext();
        var entries = await db.AuditLog.AsNoTracking().Where(a => a.Action == PrioritiesHandler.WeightsAction).OrderBy(a => a.Id).ToListAsync();
        entries.Count(e => e.Actor == "authority").ShouldBe(1);
        JsonNode.Parse(entries.Last().Detail!)!["after"]!["people"]!.GetValue<double>().ShouldBe(1);
        (await db.AuditLog.AsNoTracking().CountAsync(a => a.Action == "export_priorities")).ShouldBeGreaterThan(0);
    }

    private static string Figures(PriorityRow r) => string.Create(CultureInfo.InvariantCulture,
        $"{r.Rank} {r.Area.Id} {r.Score:R} {string.Join(' ', r.Criteria.Select(c => $"{c.Criterion}={c.Raw:R}/{c.Normalised:R}/{c.Contribution:R}"))}");

    /// <summary>
    /// A web host's ranking takes its risk map from the host's kept map of the same cell (<see cref="RiskMapOutputs"/>,
    /// what the risk page computes), read back from its <c>risk.tif</c>: the same figures, to the last bit, as the
    /// ranking that maps risk itself (the command line's).
    /// </summary>
    [Fact]
    public async Task Priorities_FromTheKeptMapOfTheirCell_AreTheSameFiguresToTheLastBit()
    {
        var cell = new PriorityWeights().RiskCellM;
        var output = await RiskMapOutputs.ComputeAsync(demo.Database.Target, demo.Clock, "test", Path.Combine(demo.Database.Directory, $"kept-{Guid.NewGuid():N}"), cell, null, 20);
        output.CellM.ShouldBe(cell);
        var asked = new List<double>();
        var progress = new List<Groundtruth.Application.Progress.WorkProgress>();
        var kept = await new PrioritiesHandler(demo.Database.Target, demo.Clock, (c, _) =>
        {
            asked.Add(c);
            return Task.FromResult<KeptMap?>(new KeptMap(RiskLikelihood.Read(Path.Combine(output.Folder, "risk.tif")), output.KnownBefore));
        }).HandleAsync(new PrioritiesRequest(), new Groundtruth.Application.Progress.InlineProgress(progress.Add));
        var own = await new PrioritiesHandler(demo.Database.Target, demo.Clock).HandleAsync(new PrioritiesRequest());

        asked.ShouldBe([cell]);
        kept.RiskNote.ShouldBeNull();
        own.Rows.ShouldContain(r => r.Criteria.Single(c => c.Criterion == "risk").Raw > 0, "the risk criterion counts");
        kept.Rows.Select(Figures).ShouldBe(own.Rows.Select(Figures));
        PrioritiesHandler.Csv(kept).ShouldBe(PrioritiesHandler.Csv(own));
        // It says what it does, and maps nothing itself: nor does it read what only the map learns from (the finds, the
        // activities), which the host's map has read already.
        progress.Select(p => p.Stage).ShouldContain("mean risk of each area");
        progress.Select(p => p.Stage).ShouldNotContain(s => s.StartsWith("evidence layers", StringComparison.Ordinal));
        progress.Select(p => p.Stage).ShouldContain("reading accidents");
        progress.Select(p => p.Stage).ShouldNotContain("reading finds and accidents");
        progress.Select(p => p.Stage).ShouldNotContain("reading activities");
    }

    /// <summary>A kept map that the data cannot support leaves risk out of the ranking with a note, as a map of the ranking's own does.</summary>
    [Fact]
    public async Task Priorities_WhenTheKeptMapFailed_LeaveRiskOutWithANote()
    {
        var report = await new PrioritiesHandler(demo.Database.Target, demo.Clock, (_, _) => throw new RiskDataException("no finds to learn from"))
            .HandleAsync(new PrioritiesRequest());
        report.RiskNote.ShouldBe("risk left out (contributes 0): no finds to learn from");
        report.Rows.ShouldNotBeEmpty();
        report.Rows.ShouldAllBe(r => r.Criteria.Single(c => c.Criterion == "risk").Contribution == 0);
    }

    /// <summary>A ranking of a past date maps risk from the data of that date: a kept map (of the current data) is not asked for.</summary>
    [Fact]
    public async Task Priorities_OfAPastDate_DoNotAskForTheKeptMap()
    {
        var asked = 0;
        var report = await new PrioritiesHandler(demo.Database.Target, demo.Clock, (_, _) =>
        {
            asked++;
            return Task.FromResult<KeptMap?>(null);
        }).HandleAsync(new PrioritiesRequest(At: new Groundtruth.Application.History.HistoryPoint(AsOf: new DateOnly(2025, 6, 30))));
        asked.ShouldBe(0);
        report.Rows.ShouldNotBeEmpty();
    }

    [Fact]
    public async Task BadWeightsFile_IsAnArgumentError()
    {
        var file = Path.Combine(demo.Database.Directory, "bad-weights.json");
        await File.WriteAllTextAsync(file, """{ "people": -1 }""");
        await Should.ThrowAsync<InvalidRequestException>(() => new PrioritiesHandler(demo.Database.Target, demo.Clock).HandleAsync(new PrioritiesRequest(file)));
        await File.WriteAllTextAsync(file, """{ "peple": 1 }""");
        await Should.ThrowAsync<InvalidRequestException>(() => new PrioritiesHandler(demo.Database.Target, demo.Clock).HandleAsync(new PrioritiesRequest(file)));
    }

    /// <summary>
    /// `risk evaluate`'s table ends with each model's verdict, named, and marks the one the map would use — the model the
    /// line "The map would use …" names (it printed only the logistic model's verdict under "Verdict:", even when the map
    /// uses the boosted trees).
    /// </summary>
    [Fact]
    public async Task EvaluateTable_NamesEachModelsVerdict_AndMarksTheMapsModel()
    {
        var (code, output, error) = await CliProcess.RunAsync("--db", demo.Database.FilePath!, "risk", "evaluate", "--split-date", "2025-01-01", "--cell", "200", "--bootstrap", "20");
        code.ShouldBe(0, error);
        var lines = output.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        var uses = lines.Single(l => l.StartsWith("The map would use the ", StringComparison.Ordinal));
        var mapModel = uses.StartsWith("The map would use the boosted trees", StringComparison.Ordinal) ? "boosted trees" : "logistic model";
        var verdicts = lines.Where(l => l.StartsWith("Verdict", StringComparison.Ordinal)).ToList();
        verdicts.Count.ShouldBe(2, output);
        verdicts[0].ShouldStartWith("Verdict, logistic model");
        verdicts[1].ShouldStartWith("Verdict, boosted trees");
        verdicts.Single(v => v.Contains("(the map's model)", StringComparison.Ordinal)).ShouldStartWith("Verdict, " + mapModel, customMessage: output);
    }
}

/// <summary>The loader reads the same inputs from both backends.</summary>
public sealed class RiskLoadingTests
{
    [Theory]
    [ClassData(typeof(Backends))]
    public async Task Loader_ReadsTheProgramme_AndPrioritiesRankIt(Backend backend)
    {
        await using var t = await TestDatabase.CreateAsync(backend);
        await t.ImportProgrammeAsync();
        await using (var db = t.Target.CreateContext())
        {
            var load = await RiskDataLoader.LoadAsync(db, History.HistoryPoint.Current, null, default);
            load.Data.Finds.Count.ShouldBe((int)await t.CountAsync("finds"));
            load.Data.Accidents.Count.ShouldBe((int)await t.CountAsync("accidents"));
            load.Data.Records.Count.ShouldBe((int)await t.CountAsync("minefield_records"));
            Should.Throw<InvalidRequestException>(() => RiskDataLoader.FindPlace("no such place", load.Places));
        }
        var report = await new PrioritiesHandler(t.Target, TimeProvider.System).HandleAsync(new PrioritiesRequest());
        foreach (var row in report.Rows) row.Score.ShouldBe(row.Criteria.Sum(c => c.Contribution), 1e-9);
    }
}
