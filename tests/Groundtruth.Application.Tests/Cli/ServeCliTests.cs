using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Groundtruth.Application.Tests.Cli;

/// <summary><c>groundtruth serve</c>: its help and refusals, and the published single-file executable run as a user installs it.</summary>
public sealed class ServeCliTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Serve_Help_NamesItsOptions()
    {
        var (code, output, err) = await CliProcess.RunAsync("serve", "--help");

        code.ShouldBe(0, err);
        foreach (var option in new[] { "--demo", "--urls", "--db", "Ctrl-C" }) output.ShouldContain(option);
    }

    [Fact]
    public async Task Serve_DemoWithDb_ExitsTwo_NamingTheOption()
    {
        var (code, _, err) = await CliProcess.RunAsync("serve", "--demo", "--db", "elsewhere.gpkg");

        code.ShouldBe(2);
        err.ShouldBe("error: --db: cannot be given with --demo, which serves a database of its own" + Environment.NewLine);
    }

    [Fact]
    public async Task Serve_MissingDatabase_ExitsOne_NamingTheFile_AndCreatesNothing()
    {
        var folder = Directory.CreateTempSubdirectory("groundtruth-serve-");
        try
        {
            var missing = Path.Combine(folder.FullName, "missing.gpkg");
            var (code, _, err) = await CliProcess.RunAsync("serve", "--db", missing, "--urls", "http://127.0.0.1:0");

            code.ShouldBe(1);
            err.ShouldContain($"error: {missing} does not exist; create it with 'groundtruth init'");
            File.Exists(missing).ShouldBeFalse();
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>
    /// The pages, not only the API, under <c>groundtruth serve</c>: the sign-in page answers with its form, a user of the demo
    /// signs in and the dashboard and the risk page answer (the pages live in the web assembly, not in the command line's,
    /// which is the process's entry here; before they were found, every page went round in redirects to the sign-in page).
    /// </summary>
    [Fact]
    public async Task Serve_ServesThePages_SignInThenDashboard()
    {
        var url = $"http://127.0.0.1:{FreePort()}";
        const string password = "Serve-test-pass-1234";
        using var server = CliProcess.Start("serve", "--demo", "--urls", url, "--Groundtruth:DemoPassword", password);
        var log = Capture(server);
        try
        {
            var cookies = new CookieContainer();
            using var handler = new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false };
            using var client = new HttpClient(handler) { BaseAddress = new Uri(url) };
            (await WaitForHealthAsync(client, server)).ShouldBe(HttpStatusCode.OK, log.ToString());

            using var login = await client.GetAsync("/login", Ct);
            login.StatusCode.ShouldBe(HttpStatusCode.OK, log.ToString());
            var form = await login.Content.ReadAsStringAsync(Ct);
            form.ShouldContain("name=\"Password\"");
            var token = System.Text.RegularExpressions.Regex.Match(form, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
            token.ShouldNotBeEmpty();

            using var anonymous = await client.GetAsync("/", Ct);
            anonymous.StatusCode.ShouldBe(HttpStatusCode.Redirect);
            new Uri(client.BaseAddress!, anonymous.Headers.Location!).AbsolutePath.ShouldBe("/login");

            using var signIn = await client.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["Name"] = "analyst", ["Password"] = password, ["__RequestVerificationToken"] = token,
            }), Ct);
            signIn.StatusCode.ShouldBe(HttpStatusCode.Redirect, await signIn.Content.ReadAsStringAsync(Ct));
            new Uri(client.BaseAddress!, signIn.Headers.Location!).AbsolutePath.ShouldNotBe("/login", "signed in, not sent back to the sign-in page");

            foreach (var page in new[] { "/", "/risk" })
            {
                using var answer = await client.GetAsync(page, Ct);
                answer.StatusCode.ShouldBe(HttpStatusCode.OK, $"{page}: {log}");
                (await answer.Content.ReadAsStringAsync(Ct)).ShouldContain("<main");
            }
        }
        finally
        {
            if (!server.HasExited) server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync(Ct);
        }
    }

    /// <summary>
    /// SLOW (a few minutes; one <c>dotnet publish</c> of the composite image, ADR 0051): the linux-x64 single-file build, copied alone into an empty
    /// folder and run with no .NET on the PATH and no DOTNET_ROOT, makes the demo database and serves it.
    /// </summary>
    [Fact]
    public async Task PublishedSingleFile_RunsFromAnEmptyFolder_WithoutDotnet_DemoThenServe()
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.OSArchitecture != Architecture.X64)
            Assert.Skip("the linux-x64 build runs on linux-x64 only");
        var work = Directory.CreateTempSubdirectory("groundtruth-publish-");
        try
        {
            var published = Path.Combine(work.FullName, "publish");
            var (code, output) = await RunAsync(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet", work.FullName, null,
                "publish", Path.Combine(RepositoryRoot(), "src", "Groundtruth.Cli"), "-p:PublishProfile=linux-x64", $"-p:PublishDir={published}/", "-nologo");
            code.ShouldBe(0, output);
            Directory.GetFiles(published).Select(Path.GetFileName).ShouldBe(["groundtruth"], "the build is one file");

            var install = Directory.CreateDirectory(Path.Combine(work.FullName, "install")).FullName;
            var executable = Path.Combine(install, "groundtruth");
            File.Copy(Path.Combine(published, "groundtruth"), executable);
            var environment = new Dictionary<string, string>
            {
                ["PATH"] = Path.Combine(work.FullName, "no-dotnet-here"),
                ["HOME"] = install,
                ["TMPDIR"] = work.FullName,
            };

            (code, output) = await RunAsync(executable, install, environment, "demo");
            code.ShouldBe(0, output);
            output.ShouldContain("demo programme imported");
            File.Exists(Path.Combine(install, "groundtruth.gpkg")).ShouldBeTrue();

            var url = $"http://127.0.0.1:{FreePort()}";
            using var server = Start(executable, install, environment, "serve", "--urls", url);
            var log = Capture(server);
            try
            {
                using var client = new HttpClient { BaseAddress = new Uri(url) };
                (await WaitForHealthAsync(client, server)).ShouldBe(HttpStatusCode.OK, log.ToString());
                using (var css = await client.GetAsync("/css/site.css", Ct))
                    css.StatusCode.ShouldBe(HttpStatusCode.OK, "the pages' files are served from inside the executable");
                using (var login = await client.GetAsync("/login", Ct))
                {
                    login.StatusCode.ShouldBe(HttpStatusCode.OK, "the pages are found in the single file too");
                    (await login.Content.ReadAsStringAsync(Ct)).ShouldContain("name=\"Password\"");
                }
                Directory.Exists(Path.Combine(install, "wwwroot")).ShouldBeFalse("nothing is created beside the executable");
                var maps = await File.ReadAllTextAsync($"/proc/{server.Id}/maps", Ct);
                maps.ShouldNotContain(DotnetRoot(), customMessage: "no file of the installed .NET is loaded");
                maps.ShouldContain("libe_sqlite3.so", customMessage: "SQLite's native library came out of the file");

                // A service manager's stop (SIGTERM; Ctrl-C's SIGINT is the same stop, but a shell that starts the tests in the
                // background makes its children ignore SIGINT, which the server then inherits): a clean stop with exit code 0.
                using (var interrupt = Process.Start("kill", ["-TERM", server.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
                    await interrupt.WaitForExitAsync(Ct);
                using var stopped = CancellationTokenSource.CreateLinkedTokenSource(Ct);
                stopped.CancelAfter(TimeSpan.FromSeconds(30));
                await server.WaitForExitAsync(stopped.Token);
                server.ExitCode.ShouldBe(0, log.ToString());
            }
            finally
            {
                if (!server.HasExited) server.Kill(entireProcessTree: true);
            }
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static async Task<HttpStatusCode?> WaitForHealthAsync(HttpClient client, Process server)
    {
        for (var i = 0; i < 120 && !server.HasExited; i++)
        {
            try
            {
                using var health = await client.GetAsync("/health", Ct);
                return health.StatusCode;
            }
            catch (HttpRequestException)
            {
                await Task.Delay(500, Ct);
            }
        }
        return null;
    }

    /// <summary>The server's output and errors as they come, for the assertions' messages.</summary>
    private static System.Text.StringBuilder Capture(Process server)
    {
        var log = new System.Text.StringBuilder();
        server.OutputDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        server.ErrorDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();
        return log;
    }

    private static Process Start(string file, string directory, Dictionary<string, string>? environment, params string[] args)
    {
        var info = new ProcessStartInfo(file, args)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (environment is not null)
        {
            info.Environment.Clear();
            foreach (var (name, value) in environment) info.Environment[name] = value;
        }
        return Process.Start(info)!;
    }

    private static async Task<(int Code, string Output)> RunAsync(string file, string directory, Dictionary<string, string>? environment, params string[] args)
    {
        using var p = Start(file, directory, environment, args);
        var stdout = p.StandardOutput.ReadToEndAsync(Ct);
        var stderr = p.StandardError.ReadToEndAsync(Ct);
        await p.WaitForExitAsync(Ct);
        return (p.ExitCode, await stdout + await stderr);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The folder of the .NET installation running the tests (…/shared/Microsoft.NETCore.App/10.x/ up three).</summary>
    private static string DotnetRoot() =>
        Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));

    private static string RepositoryRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "Groundtruth.slnx"))) return d.FullName;
        throw new InvalidOperationException("Groundtruth.slnx not found above " + AppContext.BaseDirectory);
    }
}
