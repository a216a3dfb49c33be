using System.Diagnostics;
using System.Globalization;

namespace Groundtruth.Benchmarks.E2e;

/// <summary>How one child process ended.</summary>
/// <param name="PeakMb">Maximum resident set of the child (GNU time's %M), in MB; null when it was stopped.</param>
internal sealed record ChildResult(double WallSeconds, double? PeakMb, int ExitCode, bool TimedOut, string StderrTail)
{
    public bool Ok => !TimedOut && ExitCode == 0;
}

/// <summary>
/// Runs a command as a separate process under GNU <c>/usr/bin/time</c>, which reports the child's peak resident set
/// (from wait4's rusage), with a timeout after which the whole process tree is killed. Standard output goes to a
/// file, so a large answer costs what writing it costs and nothing is drawn (the CLI sees redirected output).
/// </summary>
internal static class ChildRunner
{
    public const string Time = "/usr/bin/time";

    public static async Task<ChildResult> RunAsync(string file, IReadOnlyList<string> args, string stdoutPath, TimeSpan timeout,
        IReadOnlyDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        if (!File.Exists(Time)) throw new InvalidOperationException($"{Time} (GNU time, Debian package 'time') is needed for the peak memory of each child");
        var rusage = Path.GetTempFileName();
        var info = new ProcessStartInfo(Time)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Path.GetDirectoryName(stdoutPath)!,
        };
        foreach (var a in (string[])["-f", "%e %M", "-o", rusage, file, .. args]) info.ArgumentList.Add(a);
        if (environment is not null)
        {
            foreach (var (k, v) in environment) info.Environment[k] = v;
        }
        var stopwatch = Stopwatch.StartNew();
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {file}");
        await using var stdout = File.Create(stdoutPath);
        var copy = process.StandardOutput.BaseStream.CopyToAsync(stdout);
        var stderr = process.StandardError.ReadToEndAsync();
        var timedOut = false;
        using (var cts = new CancellationTokenSource(timeout))
        {
            try
            {
                await process.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                timedOut = true;
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }
        var wall = stopwatch.Elapsed.TotalSeconds;
        await copy;
        var err = await stderr;
        double? peak = null;
        var exit = process.ExitCode;
        if (!timedOut)
        {
            // GNU time writes "Command exited with non-zero status N" before the format line when the child fails.
            var line = File.ReadLines(rusage).LastOrDefault(l => l.Length > 0)?.Split(' ');
            if (line is { Length: 2 } && long.TryParse(line[1], NumberStyles.None, CultureInfo.InvariantCulture, out var kb)) peak = kb / 1024.0;
        }
        File.Delete(rusage);
        return new ChildResult(wall, peak, exit, timedOut, Tail(err));
    }

    private static string Tail(string text)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return string.Join(" | ", lines.TakeLast(3));
    }
}
