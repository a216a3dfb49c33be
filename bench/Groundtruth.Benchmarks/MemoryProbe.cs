using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using Groundtruth.Application.Datasets;
using Groundtruth.Application.Import;
using Groundtruth.Application.Storage;

namespace Groundtruth.Benchmarks;

/// <summary>
/// Peak memory of an import: the parent writes the CSV and creates the database, then a fresh child
/// process runs only the ImportHandler and reports its peak resident set (VmHWM). The goal: the peak at
/// 1 M rows is at most the peak at 100 k rows + 64 MB, i.e. the import streams.
/// </summary>
internal static class MemoryProbe
{
    public const string ChildCommand = "import-memory-child";
    public const double GoalDeltaMb = 64;

    public static async Task<int> RunAsync(ImportOptions options, IReadOnlyList<IBackend> backends, string dir)
    {
        var peaks = new Dictionary<(string Backend, int Rows), double>();
        foreach (var rows in options.Rows)
        {
            var csv = ImportBench.Csv(dir, rows);
            foreach (var backend in backends)
            {
                var target = await backend.CreateAsync($"memory-{rows}");
                Output.Note($"memory: {backend.Name}, {rows} rows, in a child process");
                var child = await RunChildProcessAsync(csv, target, backend.Name);
                if (!options.Keep) await backend.DropAsync(target);
                var peakMb = child.GetProperty("peak_working_set_bytes").GetInt64() / 1048576.0;
                peaks[(backend.Name, rows)] = peakMb;
                Output.Note($"  peak working set {peakMb:F1} MB (runtime start-up {child.GetProperty("startup_peak_bytes").GetInt64() / 1048576.0:F1} MB)");
                Output.Json(new Dictionary<string, object?>
                {
                    ["bench"] = "import-memory",
                    ["backend"] = backend.Name,
                    ["rows"] = rows,
                    ["peak_working_set_mb"] = Output.R(peakMb, 1),
                    ["startup_peak_mb"] = Output.R(child.GetProperty("startup_peak_bytes").GetInt64() / 1048576.0, 1),
                    ["seconds"] = child.GetProperty("seconds").GetDouble(),
                    ["allocated_mb"] = Output.R(child.GetProperty("allocated_bytes").GetInt64() / 1048576.0, 1),
                    ["gc_collections"] = child.GetProperty("gc_collections").GetString(),
                });
            }
            if (!options.Keep) File.Delete(csv);
        }
        foreach (var backend in backends)
        {
            var sizes = options.Rows.Distinct().Order().ToList();
            if (sizes.Count < 2) continue;
            double small = peaks[(backend.Name, sizes[0])], large = peaks[(backend.Name, sizes[^1])];
            Output.Json(new Dictionary<string, object?>
            {
                ["bench"] = "import-memory-growth",
                ["backend"] = backend.Name,
                ["rows_small"] = sizes[0],
                ["rows_large"] = sizes[^1],
                ["peak_small_mb"] = Output.R(small, 1),
                ["peak_large_mb"] = Output.R(large, 1),
                ["delta_mb"] = Output.R(large - small, 1),
                ["goal_delta_mb"] = GoalDeltaMb,
                ["meets_goal"] = large - small <= GoalDeltaMb,
            });
        }
        return 0;
    }

    private static async Task<JsonElement> RunChildProcessAsync(string csv, DatabaseTarget target, string backend)
    {
        var exe = Environment.ProcessPath!;
        var start = new ProcessStartInfo(exe) { RedirectStandardOutput = true, UseShellExecute = false };
        // Under "dotnet Groundtruth.Benchmarks.dll" the process is the host: name the assembly.
        if (Path.GetFileNameWithoutExtension(exe) == "dotnet") start.ArgumentList.Add(Assembly.GetEntryAssembly()!.Location);
        foreach (var a in new[] { ChildCommand, "--csv", csv, "--backend", backend, "--db", target.Value }) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"the memory child failed ({process.ExitCode}): {stdout}");
        var last = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1];
        return JsonDocument.Parse(last).RootElement.Clone();
    }

    /// <summary>The child: nothing but the import, then its peak resident set on stdout.</summary>
    public static async Task<int> RunChildAsync(string[] args)
    {
        string Arg(string name) => args[Array.IndexOf(args, name) + 1];
        var startup = Output.PeakWorkingSet();
        var target = Arg("--backend") == "pg" ? DatabaseTarget.ForServer(Arg("--db")) : DatabaseTarget.ForFile(Arg("--db"));
        var watch = Stopwatch.StartNew();
        var result = await new ImportHandler(target, TimeProvider.System).HandleAsync(new ImportRequest(DatasetCatalog.Finds, Arg("--csv")));
        watch.Stop();
        var peak = Output.PeakWorkingSet();
        Console.Out.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["rows"] = result.Inserted,
            ["seconds"] = Output.R(watch.Elapsed.TotalSeconds),
            ["startup_peak_bytes"] = startup,
            ["peak_working_set_bytes"] = peak,
            ["allocated_bytes"] = GC.GetTotalAllocatedBytes(),
            ["gc_collections"] = string.Join('/', Enumerable.Range(0, 3).Select(g => GC.CollectionCount(g).ToString(CultureInfo.InvariantCulture))),
        }));
        return 0;
    }
}
