using System.Diagnostics;
using Groundtruth.Application.Datasets;
using Groundtruth.Application.Import;
using Groundtruth.Application.Storage;

namespace Groundtruth.Benchmarks;

/// <summary>
/// Import of N finds from CSV, against a baseline in the same process: the same rows parsed and written
/// raw (prepared INSERT into the GeoPackage, binary COPY into PostGIS) into a fresh database of the same
/// schema. Targets are ratios, so the figures hold on any machine: rows/s ≥ 100,000 on the reference
/// 2-core machine, import ≤ 2× the raw write.
/// </summary>
internal sealed class ImportBench(ImportOptions options)
{
    public const double GoalRowsPerSecond = 100_000;
    public const double GoalRatio = 2.0;

    public async Task<int> RunAsync()
    {
        if (options.PgFirstLoad != "direct")
        {
            // A first load written as an earlier version of the importer wrote it, for a before/after in the same session.
            var assembly = typeof(ImportHandler).Assembly;
            var route = Enum.Parse(assembly.GetType("Groundtruth.Application.Import.PostgresFirstLoadRoute", throwOnError: true)!,
                options.PgFirstLoad.Replace("-", "", StringComparison.Ordinal), ignoreCase: true);
            var firstLoads = Activator.CreateInstance(assembly.GetType("Groundtruth.Application.Import.FirstLoadOptions", throwOnError: true)!, route, null);
            typeof(ImportHandler).GetProperty("DefaultFirstLoads", System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.NonPublic)!.SetValue(null, firstLoads);
            Output.Note($"PostgreSQL first loads: {options.PgFirstLoad} (--pg-first-load)");
        }
        var dir = options.Dir ?? Path.Combine(Path.GetTempPath(), $"groundtruth-bench-{Environment.ProcessId}");
        Directory.CreateDirectory(dir);
        var backends = new List<IBackend>();
        if (options.Gpkg) backends.Add(new GeoPackageBackend(dir));
        if (options.Pg is { } pg) backends.Add(new PostgresBackend(pg));
        try
        {
            Output.Json(Output.Machine());
            foreach (var p in backends.OfType<PostgresBackend>())
            {
                var settings = await p.SettingsAsync();
                Output.Json(new Dictionary<string, object?> { ["bench"] = "pg_settings" }.Concat(settings.Select(kv => KeyValuePair.Create(kv.Key, (object?)kv.Value))).ToDictionary());
            }
            if (options.Memory) return await MemoryProbe.RunAsync(options, backends, dir);
            if (options.Profile) return await ProfileAsync(backends, dir);

            if (options.Warmup > 0)
            {
                var warm = Csv(dir, options.Warmup);
                foreach (var backend in backends)
                {
                    Output.Note($"warm-up: {backend.Name}, {options.Warmup} rows");
                    await MeasureAsync(backend, warm, options.Warmup, run: 0, warmup: true);
                }
                File.Delete(warm);
            }
            foreach (var rows in options.Rows)
            {
                var csv = Csv(dir, rows);
                var runs = backends.ToDictionary(b => b.Name, _ => new List<Dictionary<string, object?>>());
                for (var run = 1; run <= options.Repeat; run++)
                {
                    foreach (var backend in backends)
                    {
                        Output.Note($"measuring: {backend.Name}, {rows} rows, run {run}");
                        var line = await MeasureAsync(backend, csv, rows, run, warmup: false);
                        runs[backend.Name].Add(line);
                        Output.Json(line);
                    }
                }
                if (options.Repeat > 1)
                {
                    foreach (var (name, lines) in runs) Output.Json(Summary(name, rows, lines));
                }
                if (!options.Keep) File.Delete(csv);
            }
            return 0;
        }
        finally
        {
            if (!options.Keep && options.Dir is null) Directory.Delete(dir, recursive: true);
        }
    }

    private async Task<int> ProfileAsync(IReadOnlyList<IBackend> backends, string dir)
    {
        var sizes = options.Warmup > 0 ? options.Rows.Prepend(options.Warmup) : options.Rows;
        var first = options.Warmup > 0;
        foreach (var rows in sizes)
        {
            var csv = Csv(dir, rows);
            foreach (var backend in backends)
            {
                var target = await backend.CreateAsync($"profile-{rows}");
                Collect();
                Output.Note($"profile: {backend.Name}, {rows} rows{(first ? " (warm-up)" : "")}");
                var waited = first ? 0 : await CpuSample.WaitIdleAsync(options.WaitIdle);
                var cpu = CpuSample.Now();
                var line = await new ImportProfile().RunAsync(target, csv, rows, backend.Name);
                line["foreign_cpu_s"] = Output.R(CpuSample.ForeignSeconds(cpu, CpuSample.Now()), 2);
                line["waited_for_idle_s"] = waited;
                if (first) line["bench"] = "import-profile-warmup";
                Output.Json(line);
                if (!options.Keep || first) await backend.DropAsync(target);
            }
            if (!options.Keep || first) File.Delete(csv);
            first = false;
        }
        return 0;
    }

    /// <summary>Writes the CSV (not timed) and returns its path.</summary>
    public static string Csv(string dir, int rows)
    {
        var path = Path.Combine(dir, $"finds-{rows}.csv");
        var watch = Stopwatch.StartNew();
        FindsCsv.Write(path, rows);
        Output.Note($"generated {path} ({new FileInfo(path).Length / 1e6:F1} MB) in {watch.Elapsed.TotalSeconds:F1} s");
        return path;
    }

    private async Task<Dictionary<string, object?>> MeasureAsync(IBackend backend, string csv, int rows, int run, bool warmup)
    {
        // 1. The real import into a fresh database made by InitHandler.
        var importTarget = await backend.CreateAsync($"import-{rows}-{run}{(warmup ? "-warmup" : "")}");
        Collect();
        var waitedImport = warmup ? 0 : await CpuSample.WaitIdleAsync(options.WaitIdle);
        var load = CpuSample.LoadAverage();
        var cpu0 = CpuSample.Now();
        var clock = new PhaseClock();
        var watch = Stopwatch.StartNew();
        var result = await new ImportHandler(importTarget, TimeProvider.System).HandleAsync(new ImportRequest(DatasetCatalog.Finds, csv), clock);
        watch.Stop();
        var foreignImport = CpuSample.ForeignSeconds(cpu0, CpuSample.Now());
        var importSeconds = watch.Elapsed.TotalSeconds;
        if (result.Inserted != rows) throw new InvalidOperationException($"import inserted {result.Inserted} of {rows} rows");
        var importSize = await backend.SizeAsync(importTarget);
        if (!options.Keep || warmup) await backend.DropAsync(importTarget);
        Collect();

        // 2. Baseline: parse the same file into typed rows (timed apart), then only the raw write, timed.
        var waitedParse = warmup ? 0 : await CpuSample.WaitIdleAsync(options.WaitIdle);
        var cpu1 = CpuSample.Now();
        watch.Restart();
        var parsed = Baseline.Parse(csv, backend.NeedsBlobs);
        var parseSeconds = watch.Elapsed.TotalSeconds;
        var foreignParse = CpuSample.ForeignSeconds(cpu1, CpuSample.Now());
        var baseTarget = await backend.CreateAsync($"baseline-{rows}-{run}{(warmup ? "-warmup" : "")}");
        Collect();
        var waitedWrite = warmup ? 0 : await CpuSample.WaitIdleAsync(options.WaitIdle);
        var cpu2 = CpuSample.Now();
        var writeSeconds = await backend.BaselineWriteAsync(baseTarget, parsed);
        var foreignWrite = CpuSample.ForeignSeconds(cpu2, CpuSample.Now());
        parsed = null;
        var baseCount = await backend.CountFindsAsync(baseTarget);
        if (baseCount != rows) throw new InvalidOperationException($"baseline wrote {baseCount} of {rows} rows");
        var baseSize = await backend.SizeAsync(baseTarget);
        if (!options.Keep || warmup) await backend.DropAsync(baseTarget);
        Collect();

        var ratio = importSeconds / writeSeconds;
        var strictRatio = importSeconds / (parseSeconds + writeSeconds);
        var rowsPerSecond = rows / importSeconds;
        Output.Note($"  import {importSeconds:F2} s ({rowsPerSecond:F0} rows/s); baseline parse {parseSeconds:F2} s + {backend.BaselineDescription} {writeSeconds:F2} s; "
                    + $"ratio import/write {ratio:F2}, import/(parse+write) {strictRatio:F2}");
        var line = new Dictionary<string, object?>
        {
            ["bench"] = warmup ? "import-warmup" : "import",
            ["backend"] = backend.Name,
            ["rows"] = rows,
            ["run"] = run,
            ["seconds"] = Output.R(importSeconds),
            ["rows_per_s"] = Math.Round(rowsPerSecond),
            // ratio: import time / the baseline's raw write only (INSERT or COPY of already parsed rows): the issue's "ratio to a raw write".
            ["baseline_seconds"] = Output.R(writeSeconds),
            ["baseline_rows_per_s"] = Math.Round(rows / writeSeconds),
            ["ratio"] = Output.R(ratio),
            // ratio_vs_parse_and_write: import time / (baseline parse + raw write): what a minimal loader would take end to end.
            ["baseline_parse_seconds"] = Output.R(parseSeconds),
            ["ratio_vs_parse_and_write"] = Output.R(strictRatio),
            ["baseline"] = backend.BaselineDescription + (backend is GeoPackageBackend g ? $" ({g.Pragmas})" : ""),
            // The issue states the 100,000 rows/s reference for the GeoPackage; PostGIS is held to the same figure.
            ["goal_rows_per_s"] = GoalRowsPerSecond,
            ["goal_ratio"] = GoalRatio,
            ["meets_rows_per_s"] = rowsPerSecond >= GoalRowsPerSecond,
            ["meets_ratio"] = ratio <= GoalRatio,
            ["db_bytes_import"] = importSize,
            ["db_bytes_baseline"] = baseSize,
            ["phases"] = clock.Phases(importSeconds),
            // Noise: other processes' CPU seconds during each timed section (PostgreSQL's server is one of them).
            ["load_average_before"] = load,
            ["foreign_cpu_s"] = new Dictionary<string, object?>
            {
                ["import"] = Output.R(foreignImport, 2), ["baseline_parse"] = Output.R(foreignParse, 2), ["baseline_write"] = Output.R(foreignWrite, 2),
            },
            ["waited_for_idle_s"] = new[] { waitedImport, waitedParse, waitedWrite },
        };
        return line;
    }

    /// <summary>Medians (and the spread of the import time) over the runs of one size and backend.</summary>
    private static Dictionary<string, object?> Summary(string backend, int rows, List<Dictionary<string, object?>> lines)
    {
        double Median(string key)
        {
            var v = lines.Select(l => Convert.ToDouble(l[key], System.Globalization.CultureInfo.InvariantCulture)).Order().ToList();
            return v.Count % 2 == 1 ? v[v.Count / 2] : (v[v.Count / 2 - 1] + v[v.Count / 2]) / 2;
        }
        var seconds = lines.Select(l => (double)l["seconds"]!).ToList();
        var ratio = Median("ratio");
        var rowsPerSecond = Median("rows_per_s");
        return new Dictionary<string, object?>
        {
            ["bench"] = "import-summary",
            ["backend"] = backend,
            ["rows"] = rows,
            ["runs"] = lines.Count,
            ["seconds_median"] = Output.R(Median("seconds")),
            ["seconds_min"] = Output.R(seconds.Min()),
            ["seconds_max"] = Output.R(seconds.Max()),
            ["rows_per_s_median"] = Math.Round(rowsPerSecond),
            // Best of N: the least disturbed run of each, for a machine shared with other work.
            ["rows_per_s_best"] = Math.Round(rows / seconds.Min()),
            ["baseline_seconds_best"] = Output.R(lines.Min(l => (double)l["baseline_seconds"]!)),
            ["ratio_of_bests"] = Output.R(seconds.Min() / lines.Min(l => (double)l["baseline_seconds"]!)),
            ["ratio_vs_parse_and_write_of_bests"] = Output.R(seconds.Min()
                / (lines.Min(l => (double)l["baseline_parse_seconds"]!) + lines.Min(l => (double)l["baseline_seconds"]!))),
            ["baseline_seconds_median"] = Output.R(Median("baseline_seconds")),
            ["baseline_parse_seconds_median"] = Output.R(Median("baseline_parse_seconds")),
            ["ratio_median"] = Output.R(ratio),
            ["ratio_vs_parse_and_write_median"] = Output.R(Median("ratio_vs_parse_and_write")),
            ["meets_rows_per_s"] = rowsPerSecond >= GoalRowsPerSecond,
            ["meets_ratio"] = ratio <= GoalRatio,
        };
    }

    public static void Collect()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
    }
}
