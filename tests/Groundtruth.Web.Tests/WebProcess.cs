using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Groundtruth.Web.Tests;

/// <summary>The web host as a user starts it: its own process on Kestrel, with the test's arguments.</summary>
public sealed partial class WebProcess : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _output = [];
    private readonly List<string> _errors = [];
    private readonly TaskCompletionSource<(Uri Url, string Database)> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private bool _disposed;

    private WebProcess(Process process) => _process = process;

    /// <summary>Starts <c>Groundtruth.Web.dll</c> in <paramref name="workingDirectory"/>, with no database or URL from this machine's environment.</summary>
    public static WebProcess Start(string workingDirectory, params string[] args)
    {
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(typeof(Program).Assembly.Location);
        foreach (var a in args) info.ArgumentList.Add(a);
        foreach (var name in new[] { "GROUNDTRUTH_DB", "ASPNETCORE_URLS", "DOTNET_URLS", "ASPNETCORE_HTTP_PORTS", "DOTNET_HTTP_PORTS", "ASPNETCORE_ENVIRONMENT", "DOTNET_ENVIRONMENT" })
            info.Environment.Remove(name);
        var web = new WebProcess(new Process { StartInfo = info });
        web._process.OutputDataReceived += (_, e) => web.Received(e.Data, web._output);
        web._process.ErrorDataReceived += (_, e) => web.Received(e.Data, web._errors);
        web._process.Start();
        web._process.BeginOutputReadLine();
        web._process.BeginErrorReadLine();
        return web;
    }

    public int Id => _process.Id;

    public IReadOnlyList<string> Errors
    {
        get { lock (_errors) return [.. _errors]; }
    }

    public string Output
    {
        get { lock (_output) return string.Join('\n', _output); }
    }

    /// <summary>The URL and database the host says it serves, once it listens.</summary>
    public async Task<(Uri Url, string Database)> ListeningAsync(TimeSpan timeout)
    {
        var exited = _process.WaitForExitAsync();
        var first = await Task.WhenAny(_listening.Task, exited, Task.Delay(timeout));
        if (first == _listening.Task) return await _listening.Task;
        throw new TimeoutException($"the host did not report listening (exited: {_process.HasExited}); output:\n{Output}\n{string.Join('\n', Errors)}");
    }

    public async Task<int> ExitCodeAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        _process.WaitForExit();
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
        _process.Dispose();
    }

    private void Received(string? line, List<string> lines)
    {
        if (line is null) return;
        lock (lines) lines.Add(line);
        var match = ListeningLine().Match(line);
        if (match.Success) _listening.TrySetResult((new Uri(match.Groups["url"].Value), match.Groups["database"].Value));
    }

    [GeneratedRegex(@"Groundtruth is listening on (?<url>\S+) with the database (?<database>.+)$")]
    private static partial Regex ListeningLine();
}
