using System.Diagnostics;
using Groundtruth.Application.Progress;

namespace Groundtruth.Cli;

/// <summary>
/// With <c>GROUNDTRUTH_PROFILE=1</c> in the environment, writes each new stage a use case reports, with the
/// seconds since the start and the processor seconds the process has used (all threads; steadier than the wall clock
/// on a busy machine), the time the garbage collector has paused the program and its full collections so far, the resident memory, its peak, the managed heap and the bytes allocated so far, and the time spent compiling code at run time (all threads), to standard error (also when output is redirected): a profile of where the time goes.
/// </summary>
internal static class StageTimes
{
    public static bool Enabled => Environment.GetEnvironmentVariable("GROUNDTRUTH_PROFILE") is "1" or "true";

    /// <summary>The progress to hand the use case: <paramref name="inner"/>, timed when profiling.</summary>
    public static IProgress<WorkProgress>? Wrap(IProgress<WorkProgress>? inner, TextWriter error)
    {
        if (!Enabled) return inner;
        var clock = Stopwatch.StartNew();
        string? last = null;
        return new Timed(p =>
        {
            if (p.Stage != last)
            {
                last = p.Stage;
                using var process = Process.GetCurrentProcess();
                var cpu = process.TotalProcessorTime.TotalSeconds;
                var gc = GC.GetTotalPauseDuration().TotalSeconds;
                // The resident memory now and its peak so far (MiB), and the managed heap after the last collection.
                var heap = GC.GetGCMemoryInfo().HeapSizeBytes >> 20;
                error.WriteLine($"[{clock.Elapsed.TotalSeconds,7:0.00} s {(p.Fraction is { } f ? $"{f,4:P0}" : "    ")} cpu {cpu,7:0.00} s gc {gc,6:0.00} s {GC.CollectionCount(2),4} full jit {System.Runtime.JitInfo.GetCompilationTime().TotalSeconds,5:0.00} s {System.Runtime.JitInfo.GetCompiledMethodCount(),5} methods " +
                    $"rss {process.WorkingSet64 >> 20,6} peak {process.PeakWorkingSet64 >> 20,6} heap {heap,6} alloc {GC.GetTotalAllocatedBytes() >> 20,6} MiB] {p.Stage}");
            }
            inner?.Report(p);
        });
    }

    private sealed class Timed(Action<WorkProgress> report) : IProgress<WorkProgress>
    {
        public void Report(WorkProgress value) => report(value);
    }
}
