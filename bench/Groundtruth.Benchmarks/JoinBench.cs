using System.Diagnostics;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Groundtruth.Analysis.Spatial;
using Groundtruth.Benchmarks.Tiers;

namespace Groundtruth.Benchmarks;

/// <summary>
/// The spatial join benchmark (record accuracy): points covered by polygons, our engine
/// (<see cref="PolygonIndex"/> + <see cref="SpatialJoin"/>) against PostGIS on the same data in the same run.
/// Loading, indexing and joining are timed apart; the counts of every path (and of every run) must agree
/// before any time is printed, on either stream: progress notes carry counts only, the profile runs after the
/// check. One JSON line on stdout; progress and a readable summary on stderr.
/// </summary>
internal sealed class JoinBench(JoinOptions options)
{
    // Targets of the record-accuracy issue, at tier M on the reference 2-core machine.
    public const double GoalJoinSeconds = 5.0;
    public const double AimJoinSeconds = 1.5;
    public const double GoalRatio = 10.0;
    public const double GoalPeakMb = 4096;
    public const double NtsBudgetSeconds = 60;

    public const int ExitCountsDiffer = 3;

    private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public async Task<int> RunAsync()
    {
        var tier = options.Tier;
        var cores = Environment.ProcessorCount;
        var line = new Dictionary<string, object?> { ["bench"] = "join", ["tier"] = tier.Name };

        var files = TierCache.Ensure(tier, options.Cache, Output.Note);
        Output.Note($"tier {tier.Name}: {files.Directory} ({(files.Generated ? "generated now" : "cached")})");
        var data = TierData.Load(files);
        Output.Note($"loaded {data.Polygons.Length} polygons ({data.VertexCount} vertices) and {data.PointCount} points");
        line["polygons"] = data.Polygons.Length;
        line["points"] = data.PointCount;

        // Index: the first build pays for JIT compilation; the median of the next three is the figure.
        var watch = Stopwatch.StartNew();
        var index = PolygonIndex.Build(data.Polygons);
        var indexColdSeconds = watch.Elapsed.TotalSeconds;
        await Idle("index");
        var (indexRuns, _) = Time(3, () => index = PolygonIndex.Build(data.Polygons));
        var indexSeconds = Median(indexRuns);

        // The semi-join count, warm: one untimed run, then the median of N.
        await Idle("join");
        var inside = SpatialJoin.CountCovered(index, data.Xs, data.Ys);
        var (joinRuns, joinForeign) = Time(options.Repeat, () =>
        {
            var n = SpatialJoin.CountCovered(index, data.Xs, data.Ys);
            if (n != inside) throw new InvalidOperationException($"CountCovered gave {n}, then {inside}");
        });
        var joinSeconds = Median(joinRuns);
        Output.Note($"engine: CountCovered {inside} points inside, {joinRuns.Count} timed runs");

        // The per-polygon counts (a point in two overlapping polygons counts for both).
        await Idle("per-polygon");
        var perPolygon = SpatialJoin.SumPerPolygon(index, data.Xs, data.Ys);
        var (perRuns, perForeign) = Time(options.Repeat, () =>
        {
            if (!SpatialJoin.SumPerPolygon(index, data.Xs, data.Ys).AsSpan().SequenceEqual(perPolygon)) throw new InvalidOperationException("SumPerPolygon changed from run to run");
        });
        var perSeconds = Median(perRuns);
        var pairs = perPolygon.Sum();
        Output.Note($"engine: SumPerPolygon {pairs} point-polygon pairs, {perPolygon.Count(c => c > 0)} polygons hold points");
        var peakEngineMb = Output.PeakWorkingSet() / 1048576.0;

        // Orientation: the straightforward NetTopologySuite path.
        var ntsCounts = new List<long>();
        double? ntsSeconds = null, ntsBuildSeconds = null, ntsEstimate = null;
        if (options.Nts != "off")
        {
            var nts = JoinNts.Build(data.Polygons);
            ntsBuildSeconds = nts.BuildSeconds;
            await Idle("nts");
            // The best of three estimates: the first ones run partly in unoptimised (tier-0) code.
            ntsEstimate = Enumerable.Range(0, 3).Min(_ => nts.EstimateSeconds(data.Xs, data.Ys, 0.01));
            if (options.Nts == "on" || ntsEstimate < NtsBudgetSeconds)
            {
                var ntsRepeat = tier == TierSpec.M ? 1 : options.Repeat;
                var (ntsRuns, _) = Time(ntsRepeat, () => ntsCounts.Add(nts.CountCovered(data.Xs, data.Ys)));
                ntsSeconds = Median(ntsRuns);
                Output.Note($"NetTopologySuite: {string.Join(", ", ntsCounts.Distinct())} points inside, {ntsRuns.Count} timed runs");
            }
            else
            {
                Output.Note($"NetTopologySuite: skipped, a 1 % sample predicts more than {NtsBudgetSeconds} s (--nts on runs it)");
            }
        }

        // The PostGIS baseline.
        Dictionary<string, object?>? pgSettings = null;
        Dictionary<string, double>? pgLoad = null;
        double? pgSeconds = null, pgPerSeconds = null;
        var pgCounts = new List<long>();
        var pgPerPolygons = new List<long[]>();
        PgPlan? countPlan = null, perPlan = null;
        List<double> pgRuns = [], pgPerRuns = [];
        if (options.Pg is { } cs)
        {
            await using var pg = new JoinPostgis(cs) { Keep = options.KeepDb };
            Output.Note($"PostGIS: loading into a fresh database {pg.Database}");
            await pg.CreateAsync();
            pgLoad = await pg.LoadAsync(data);
            Output.Note("PostGIS: loaded, indexed, analyzed");
            pgSettings = await pg.SettingsAsync();
            await pg.WarmAsync();
            countPlan = await pg.ExplainAsync(JoinPostgis.CountSql, analyze: false);
            perPlan = await pg.ExplainAsync(JoinPostgis.PerPolygonSql, analyze: false);
            Output.Note($"PostGIS: count plan {countPlan.Shape}");
            Output.Note($"PostGIS: per-polygon plan {perPlan.Shape}");
            if (tier != TierSpec.M)
            {
                // Cheap at small tiers: a warm-up run of each query.
                await pg.CountCoveredAsync();
                await pg.PerPolygonAsync(data.Polygons.Length);
            }
            for (var run = 0; run < options.PgRepeat; run++)
            {
                await Idle("postgis count");
                var (count, seconds) = await pg.CountCoveredAsync();
                pgRuns.Add(seconds);
                pgCounts.Add(count);
                Output.Note($"PostGIS: count {count}");
            }
            for (var run = 0; run < options.PgRepeat; run++)
            {
                await Idle("postgis per-polygon");
                var (counts, seconds) = await pg.PerPolygonAsync(data.Polygons.Length);
                pgPerRuns.Add(seconds);
                pgPerPolygons.Add(counts);
                Output.Note($"PostGIS: per-polygon {counts.Sum()} pairs");
            }
            pgSeconds = Median(pgRuns);
            pgPerSeconds = Median(pgPerRuns);
            if (options.PgAnalyze)
            {
                countPlan = await pg.ExplainAsync(JoinPostgis.CountSql, analyze: true);
                perPlan = await pg.ExplainAsync(JoinPostgis.PerPolygonSql, analyze: true);
            }
        }

        // Identical counts before any time counts.
        var problems = new List<string>();
        foreach (var ni in ntsCounts.Where(c => c != inside).Distinct()) problems.Add($"NetTopologySuite counts {ni} points inside, the engine {inside}");
        foreach (var pi in pgCounts.Where(c => c != inside).Distinct()) problems.Add($"PostGIS counts {pi} points inside, the engine {inside}");
        foreach (var pgPerPolygon in pgPerPolygons)
        {
            var differ = Enumerable.Range(0, perPolygon.Length).Where(i => perPolygon[i] != pgPerPolygon[i]).ToList();
            if (differ.Count > 0)
            {
                problems.Add($"per-polygon counts differ for {differ.Count} polygons (engine {pairs} pairs, PostGIS {pgPerPolygon.Sum()}); first: " +
                    string.Join(", ", differ.Take(5).Select(i => $"{data.PolygonIds[i]} engine {perPolygon[i]} PostGIS {pgPerPolygon[i]}")));
            }
        }
        if (problems.Count > 0)
        {
            foreach (var p in problems) Output.Note("COUNTS DIFFER: " + p);
            return ExitCountsDiffer;
        }
        Output.Note($"counts agree: {inside} points inside, {pairs} pairs ({string.Join(", ", new[] { "engine", ntsCounts.Count > 0 ? "NetTopologySuite" : null, pgCounts.Count > 0 ? "PostGIS" : null }.OfType<string>())})");

        JoinProfile.Report? profile = null;
        if (options.Profile)
        {
            await Idle("profile");
            profile = JoinProfile.Run(index, data, inside, perPolygon);
        }

        var peakMb = Output.PeakWorkingSet() / 1048576.0;
        var ratio = pgSeconds / joinSeconds;
        line["inside"] = inside;
        line["pairs"] = pairs;
        line["load_s"] = Output.R(data.LoadSeconds);
        line["load_polygons_s"] = Output.R(data.PolygonsSeconds);
        line["load_points_s"] = Output.R(data.PointsSeconds);
        line["index_s"] = Output.R(indexSeconds, 4);
        line["index_cold_s"] = Output.R(indexColdSeconds, 4);
        line["join_s"] = Output.R(joinSeconds, 4);
        line["join_best_s"] = Output.R(joinRuns.Min(), 4);
        line["join_runs_s"] = joinRuns.Select(r => Output.R(r, 4)).ToArray();
        line["join_foreign_cpu_s"] = Output.R(joinForeign, 2);
        line["cores"] = cores;
        line["points_per_s_per_core"] = Math.Round(data.PointCount / joinSeconds / cores);
        line["per_polygon_s"] = Output.R(perSeconds, 4);
        line["per_polygon_runs_s"] = perRuns.Select(r => Output.R(r, 4)).ToArray();
        line["per_polygon_foreign_cpu_s"] = Output.R(perForeign, 2);
        line["postgis_s"] = pgSeconds is { } ps ? Output.R(ps) : null;
        line["postgis_runs_s"] = pgRuns.Select(r => Output.R(r)).ToArray();
        line["ratio"] = ratio is { } r0 ? Output.R(r0, 1) : null;
        line["postgis_per_polygon_s"] = pgPerSeconds is { } pps ? Output.R(pps) : null;
        line["per_polygon_ratio"] = pgPerSeconds / perSeconds is { } r1 ? Output.R(r1, 1) : null;
        line["postgis_load"] = pgLoad;
        line["pg_plan"] = countPlan is null ? null : new Dictionary<string, object?>
        {
            ["count"] = countPlan.Shape,
            ["count_workers_planned"] = countPlan.WorkersPlanned,
            ["count_workers_launched"] = countPlan.WorkersLaunched,
            ["per_polygon"] = perPlan!.Shape,
            ["per_polygon_workers_planned"] = perPlan.WorkersPlanned,
            ["per_polygon_workers_launched"] = perPlan.WorkersLaunched,
        };
        line["nts_s"] = ntsSeconds is { } ns ? Output.R(ns) : null;
        line["nts_build_s"] = ntsBuildSeconds is { } nb ? Output.R(nb) : null;
        line["nts_estimate_s"] = ntsEstimate is { } ne ? Output.R(ne, 1) : null;
        line["nts_ratio"] = ntsSeconds / joinSeconds is { } r2 ? Output.R(r2, 1) : null;
        line["peak_mb"] = Output.R(peakEngineMb, 1);
        line["peak_mb_with_baselines"] = Output.R(peakMb, 1);
        line["pg_settings"] = pgSettings;
        line["profile"] = profile?.Fields;
        line["targets"] = new Dictionary<string, object?>
        {
            ["join_s_max"] = GoalJoinSeconds, ["join_s_aim"] = AimJoinSeconds, ["ratio_min"] = GoalRatio, ["peak_mb_max"] = GoalPeakMb,
            ["meets_join"] = joinSeconds <= GoalJoinSeconds, ["meets_aim"] = joinSeconds <= AimJoinSeconds,
            ["meets_ratio"] = ratio is { } r3 ? r3 >= GoalRatio : null, ["meets_memory"] = peakEngineMb <= GoalPeakMb,
            ["applies_to_tier"] = "M",
        };
        var machine = Output.Machine();
        machine.Remove("bench");
        line["machine"] = machine;
        line["tier_cache"] = files.Directory;
        line["demo"] = new Dictionary<string, object?>
        {
            ["seed"] = files.Manifest.Seed, ["scale"] = files.Manifest.Scale, ["today"] = files.Manifest.Today,
            ["point_stride"] = files.Manifest.PointStride, ["demo_finds"] = files.Manifest.DemoFinds, ["vertices"] = data.VertexCount,
        };
        Output.Note(string.Create(CultureInfo.InvariantCulture,
            $"tier {tier.Name}: load {data.PolygonsSeconds:F2} s + {data.PointsSeconds:F2} s, index {indexSeconds:F3} s (cold {indexColdSeconds:F3} s), join median {joinSeconds:F3} s of [{string.Join(" ", joinRuns.Select(r => r.ToString("F3", CultureInfo.InvariantCulture)))}] ({data.PointCount / joinSeconds / cores:N0} points/s/core)"));
        Output.Note(string.Create(CultureInfo.InvariantCulture,
            $"tier {tier.Name}: PostGIS {(pgSeconds is { } p0 ? $"{p0:F2} s" : "not run")}, ratio {(ratio is { } q0 ? $"{q0:F1}" : "-")}; per polygon {perSeconds:F3} s vs PostGIS {(pgPerSeconds is { } p1 ? $"{p1:F2} s" : "-")}; NetTopologySuite {(ntsSeconds is { } n0 ? $"{n0:F2} s" : "not run")}; peak {peakEngineMb:F0} MB"));
        if (pgLoad is not null) Output.Note($"tier {tier.Name}: PostGIS load {string.Join(", ", pgLoad.Select(kv => $"{kv.Key} {Output.F(kv.Value)}"))}");
        Console.Out.WriteLine(JsonSerializer.Serialize(line, Json));
        Console.Out.Flush();
        return 0;
    }

    private async Task Idle(string what)
    {
        if (options.WaitIdle <= 0) return;
        var waited = await CpuSample.WaitIdleAsync(options.WaitIdle);
        if (waited < 0) Output.Note($"{what}: the machine did not become idle within {options.WaitIdle} s (load {CpuSample.LoadAverage()}); measuring anyway");
    }

    /// <summary>Runs <paramref name="action"/> <paramref name="runs"/> times; the seconds of each and the CPU seconds other processes used meanwhile.</summary>
    private static (List<double> Seconds, double ForeignCpu) Time(int runs, Action action)
    {
        var seconds = new List<double>(runs);
        var before = CpuSample.Now();
        for (var i = 0; i < runs; i++)
        {
            var watch = Stopwatch.StartNew();
            action();
            seconds.Add(watch.Elapsed.TotalSeconds);
        }
        return (seconds, CpuSample.ForeignSeconds(before, CpuSample.Now()));
    }

    private static double Median(List<double> values)
    {
        if (values.Count == 0) return double.NaN;
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
