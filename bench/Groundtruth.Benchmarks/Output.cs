using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using Groundtruth.Application.Import;

namespace Groundtruth.Benchmarks;

/// <summary>Writes measurements as JSON lines to stdout and a readable note to stderr.</summary>
internal static class Output
{
    private static readonly JsonSerializerOptions Options = new() { WriteIndented = false };

    public static void Json(IReadOnlyDictionary<string, object?> fields)
    {
        Console.Out.WriteLine(JsonSerializer.Serialize(fields, Options));
        Console.Out.Flush();
    }

    public static void Note(string text) => Console.Error.WriteLine(text);

    public static double R(double value, int digits = 3) => Math.Round(value, digits, MidpointRounding.AwayFromZero);

    public static string F(double value, string format = "F2") => value.ToString(format, CultureInfo.InvariantCulture);

    /// <summary>The machine the figures belong to.</summary>
    public static Dictionary<string, object?> Machine()
    {
        var mem = ProcLine("/proc/meminfo", "MemTotal:");
        var cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        return new()
        {
            ["bench"] = "machine",
            ["nproc"] = Environment.ProcessorCount,
            ["memory_total_mb"] = mem is { } kb ? kb / 1024 : null,
            ["cpu"] = cpu,
            ["os"] = RuntimeInformation.OSDescription,
            ["runtime"] = RuntimeInformation.FrameworkDescription,
            ["server_gc"] = System.Runtime.GCSettings.IsServerGC,
            ["utc"] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
        };
    }

    /// <summary>The process's peak resident set (VmHWM); <see cref="Process.PeakWorkingSet64"/> where /proc is missing.</summary>
    public static long PeakWorkingSet() =>
        ProcLine("/proc/self/status", "VmHWM:") is { } kb ? kb * 1024 : Process.GetCurrentProcess().PeakWorkingSet64;

    /// <summary>The number of kB in a "Name:   123 kB" line of a /proc file.</summary>
    private static long? ProcLine(string file, string prefix)
    {
        if (!File.Exists(file)) return null;
        var line = File.ReadLines(file).FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal));
        var number = line?[prefix.Length..].Trim().Split(' ')[0];
        return long.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : null;
    }
}

/// <summary>
/// Times the phases of one import from its progress reports (the handler reports synchronously):
/// "validating" every 10,000 records and once at the end of the file, then "writing" when the merge starts.
/// </summary>
internal sealed class PhaseClock : IProgress<ImportProgress>
{
    private readonly Stopwatch _watch = Stopwatch.StartNew();
    private double? _first;
    private long _firstRecords;
    private double? _lastValidating;
    private long _records;
    private double? _writing;

    public void Report(ImportProgress value)
    {
        var t = _watch.Elapsed.TotalSeconds;
        if (value.Phase == "validating")
        {
            if (_first is null) { _first = t; _firstRecords = value.Records; }
            _lastValidating = t;
            _records = value.Records;
        }
        else if (value.Phase == "writing")
        {
            _writing = t;
        }
    }

    /// <summary>Phase durations in seconds, given the handler's total.</summary>
    public Dictionary<string, object?> Phases(double total)
    {
        var result = new Dictionary<string, object?>();
        if (_lastValidating is not { } read || _writing is not { } writing) return result;
        // Setup (schema check, reference ids, staging table) = time to the first report minus that many records at the loop's pace.
        double? setup = null;
        if (_first is { } first && _records > _firstRecords)
            setup = Math.Max(0, first - (read - first) / (_records - _firstRecords) * _firstRecords);
        result["setup_est_s"] = setup is { } s ? Output.R(s) : null;
        result["read_parse_validate_stage_s"] = Output.R(read - (setup ?? 0));
        result["end_staging_and_duplicate_check_s"] = Output.R(writing - read);
        result["merge_and_commit_s"] = Output.R(total - writing);
        return result;
    }
}

/// <summary>
/// How busy the machine is apart from this process: benchmarks on a shared 2-core machine are only
/// comparable when nothing else runs, so each measurement waits for an idle machine and records the
/// CPU time other processes used while it ran (for PostgreSQL that includes the server's own work).
/// </summary>
internal readonly record struct CpuSample(long TotalTicks, long IdleTicks, long SelfTicks)
{
    private const double TicksPerSecond = 100; // USER_HZ on Linux

    public static CpuSample Now()
    {
        if (!File.Exists("/proc/stat")) return default;
        var cpu = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..]
            .Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        var self = File.ReadAllText("/proc/self/stat");
        var fields = self[(self.LastIndexOf(')') + 2)..].Split(' ');
        // After "pid (comm) ", field 3 (state) is index 0: utime is field 14 → index 11, stime index 12.
        var selfTicks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        var total = cpu.Take(8).Sum();
        return new CpuSample(total, cpu[3] + cpu[4], selfTicks);
    }

    /// <summary>CPU seconds used by other processes between two samples.</summary>
    public static double ForeignSeconds(CpuSample before, CpuSample after) =>
        Math.Max(0, (after.TotalTicks - after.IdleTicks - (before.TotalTicks - before.IdleTicks) - (after.SelfTicks - before.SelfTicks)) / TicksPerSecond);

    public static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "";

    /// <summary>Waits (up to <paramref name="maxSeconds"/>) until a one-second window is at least 90 % idle; returns the seconds waited, negative when it gave up.</summary>
    public static async Task<double> WaitIdleAsync(double maxSeconds)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed.TotalSeconds < maxSeconds)
        {
            var a = Now();
            await Task.Delay(1000);
            var b = Now();
            var total = b.TotalTicks - a.TotalTicks;
            if (total <= 0 || (b.IdleTicks - a.IdleTicks) / (double)total >= 0.9) return Output.R(watch.Elapsed.TotalSeconds, 1);
        }
        return maxSeconds > 0 ? -Output.R(watch.Elapsed.TotalSeconds, 1) : 0;
    }
}
