using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Groundtruth.Application.Security;
using Npgsql;

namespace Groundtruth.Benchmarks.E2e;

/// <summary>
/// <c>e2e</c>: the whole product as a user meets it. Per scale, a cached demo on each store; every CLI verb in its README
/// forms as a child process (wall, peak RSS, exit code, timeout); optionally the web host; and PostGIS answering the
/// same questions in SQL. Writes one markdown table per scale (docs/benchmarks.md, "End to end").
/// </summary>
internal sealed class E2eBench(E2eOptions options)
{
    private const string WebUser = "e2e-bench";
    private readonly TimeSpan _timeout = TimeSpan.FromSeconds(options.TimeoutSeconds);
    private string _root = "";
    private string _cli = "";
    private string _web = "";

    public async Task<int> RunAsync()
    {
        _root = RepositoryRoot();
        _cli = Path.Combine(_root, "src", "Groundtruth.Cli", "bin", "Release", "net10.0", "groundtruth.dll");
        _web = Path.Combine(_root, "src", "Groundtruth.Web", "bin", "Release", "net10.0", "Groundtruth.Web.dll");
        if (!options.NoBuild)
        {
            await BuildAsync("src/Groundtruth.Cli/Groundtruth.Cli.csproj");
            if (options.Web) await BuildAsync("src/Groundtruth.Web/Groundtruth.Web.csproj");
        }
        if (!File.Exists(_cli)) throw new InvalidOperationException($"{_cli} is missing: build src/Groundtruth.Cli in Release (or drop --no-build)");
        if (options.Web && !File.Exists(_web)) throw new InvalidOperationException($"{_web} is missing: build src/Groundtruth.Web in Release (or drop --no-build)");
        Directory.CreateDirectory(options.DataDir);
        var finds = Path.Combine(options.DataDir, string.Create(CultureInfo.InvariantCulture, $"finds-{options.ImportRows}.csv"));
        if (!File.Exists(finds))
        {
            Output.Note($"writing {finds}");
            var part = string.Create(CultureInfo.InvariantCulture, $"{finds}.{Environment.ProcessId}.part");
            FindsCsv.Write(part, options.ImportRows);
            File.Move(part, finds, overwrite: true);
        }
        var pgKey = Path.Combine(options.DataDir, "pg.key");
        if (!File.Exists(pgKey)) PersonalDataProtector.WriteKeyFile(pgKey);

        var markdown = new StringBuilder();
        markdown.Append(CultureInfo.InvariantCulture, $"Run {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, load average {LoadAverage()}, runs {options.Runs}, timeout {options.TimeoutSeconds:0} s.\n\n");
        var byScale = new List<(int Scale, List<VerbRow> Rows)>();
        foreach (var scale in options.Scales)
        {
            var rows = new List<VerbRow>();
            var web = new List<WebRow>();
            var stores = new List<(string Backend, string Db, Dictionary<string, string> Env, VerbRow Demo)>();
            if (options.Gpkg)
            {
                var (db, demo) = await GeoPackageAsync(scale);
                stores.Add(("gpkg", db, [], demo));
            }
            if (options.Pg is not null)
            {
                var env = new Dictionary<string, string> { [PersonalDataProtector.KeyFileVariable] = pgKey };
                var (db, demo) = await PostgresAsync(scale, env);
                stores.Add(("pg", db, env, demo));
            }
            var sql = new Dictionary<string, SqlTime>();
            var verbs = E2eVerbs.Select(options.Verbs);
            if (options.Pg is not null)
            {
                Output.Note($"scale {scale}: PostGIS SQL");
                sql = await E2eSql.TimeAsync(options.PgDatabase(DemoDatabase(scale)), verbs.Where(v => v.Sql is not null).Select(v => v.Sql!), options.Runs, _timeout);
            }
            foreach (var (backend, db, env, demo) in stores)
            {
                rows.Add(demo);
                var outDir = Path.Combine(options.DataDir, "out", string.Create(CultureInfo.InvariantCulture, $"s{scale}-{backend}"));
                Directory.CreateDirectory(outDir);
                var tomorrow = DateTime.UtcNow.Date.AddDays(1).ToString("yyyy-MM-ddT00:00:00Z", CultureInfo.InvariantCulture);
                foreach (var verb in verbs)
                {
                    var runs = new List<ChildResult>();
                    for (var run = 0; run < options.Runs; run++)
                    {
                        var target = verb.Target == VerbTarget.FreshDatabase ? await FreshDatabaseAsync(backend, env) : db;
                        var args = (string[])["--db", target, .. verb.Expand(outDir, finds, tomorrow)];
                        var stdout = Path.Combine(outDir, Slug(verb.Form) + ".out");
                        var result = await ChildRunner.RunAsync("dotnet", [_cli, .. args], stdout, _timeout, env, outDir);
                        runs.Add(result);
                        Output.Note(string.Create(CultureInfo.InvariantCulture,
                            $"  s{scale} {backend} {verb.Form}: {(result.TimedOut ? "timeout" : $"exit {result.ExitCode}")} {result.WallSeconds:0.00} s {result.PeakMb:0} MB{(result.ExitCode != 0 && !result.TimedOut ? " — " + result.StderrTail : "")}"));
                        if (result.TimedOut) break;
                    }
                    rows.Add(new VerbRow(verb.Form, backend, runs, verb.Sql is { } key && sql.TryGetValue(key, out var s) ? s : null));
                }
                if (WebAt(scale)) web.AddRange(await WebAsync(scale, backend, db, env, outDir, rows));
            }
            var table = E2eReport.VerbTable(scale, rows) + (WebAt(scale) ? "\n" + E2eReport.WebTable(scale, web) : "");
            markdown.Append(table).Append('\n');
            Console.Out.WriteLine(table);
            byScale.Add((scale, rows));
            if (options.Out is not null) await File.WriteAllTextAsync(options.Out, markdown.ToString());
        }
        if (byScale.Count > 1)
        {
            var growth = E2eReport.GrowthTable(byScale[0].Scale, byScale[0].Rows, byScale[^1].Scale, byScale[^1].Rows);
            markdown.Append(growth);
            Console.Out.WriteLine(growth);
        }
        if (options.Out is not null) await File.WriteAllTextAsync(options.Out, markdown.ToString());
        return 0;
    }

    private async Task<List<WebRow>> WebAsync(int scale, string backend, string db, Dictionary<string, string> env, string outDir, List<VerbRow> rows)
    {
        var password = "e2e-" + Convert.ToHexString(Guid.NewGuid().ToByteArray());
        var add = await ChildRunner.RunAsync("dotnet", [_cli, "--db", db, "users", "add", WebUser, "--role", "administrator", "--role", "personal_data", "--password", password],
            Path.Combine(outDir, "users-add.out"), _timeout, env, outDir);
        rows.Add(new VerbRow("users add NAME --role administrator --role personal_data", backend, [add], null));
        if (!add.Ok) return [new WebRow("users add", backend, null, 0, [], 0, "users add failed: " + add.StderrTail)];
        Output.Note($"scale {scale}: web host on {backend}");
        return await new E2eWeb(_web, db, env, _timeout, Path.Combine(outDir, "web.log")).RunAsync(backend, WebUser, password);
    }

    /// <summary>The web host is timed at the first (smallest) scale only: the issue sets its targets there.</summary>
    private bool WebAt(int scale) => options.Web && scale == options.Scales[0];

    private string DemoDatabase(int scale) => string.Create(CultureInfo.InvariantCulture, $"gt_e2e_{scale}");

    /// <summary>The cached GeoPackage demo of <paramref name="scale"/>, generated (and timed) if missing.</summary>
    private async Task<(string, VerbRow)> GeoPackageAsync(int scale)
    {
        var db = Path.Combine(options.DataDir, string.Create(CultureInfo.InvariantCulture, $"s{scale}.gpkg"));
        var timing = db + ".demo.json";
        if (!File.Exists(db) && options.SeedGpkg is { } seed && scale == options.Scales[0])
        {
            Output.Note($"copying {seed} to {db}");
            File.Copy(seed, db + ".part", overwrite: true);
            if (File.Exists(seed + ".key")) File.Copy(seed + ".key", db + ".key", overwrite: true);
            File.Move(db + ".part", db, overwrite: true);
        }
        if (!File.Exists(db))
        {
            foreach (var f in (string[])[db, db + ".key", timing]) File.Delete(f);
            Output.Note($"scale {scale}: groundtruth demo into {db}");
            var result = await ChildRunner.RunAsync("dotnet", [_cli, "--db", db, "demo", "--scale", scale.ToString(CultureInfo.InvariantCulture)],
                db + ".demo.out", TimeSpan.FromHours(2));
            if (!result.Ok) throw new InvalidOperationException($"demo --scale {scale} failed: {result.StderrTail}");
            await File.WriteAllTextAsync(timing, JsonSerializer.Serialize(result));
        }
        return (db, DemoRow(scale, "gpkg", timing));
    }

    /// <summary>The cached PostgreSQL demo (database gt_e2e_&lt;scale&gt;), generated (and timed) if missing or incomplete.</summary>
    private async Task<(string, VerbRow)> PostgresAsync(int scale, Dictionary<string, string> env)
    {
        var name = DemoDatabase(scale);
        var db = options.PgDatabase(name);
        var timing = Path.Combine(options.DataDir, name + ".demo.json");
        if (!File.Exists(timing) || !await HasCasualtiesAsync(db))
        {
            File.Delete(timing);
            await DropDatabaseAsync(name);
            Output.Note($"scale {scale}: groundtruth demo into PostgreSQL database {name}");
            var result = await ChildRunner.RunAsync("dotnet", [_cli, "--db", db, "demo", "--scale", scale.ToString(CultureInfo.InvariantCulture)],
                Path.Combine(options.DataDir, name + ".demo.out"), TimeSpan.FromHours(2), env, options.DataDir);
            if (!result.Ok) throw new InvalidOperationException($"demo --scale {scale} on PostgreSQL failed: {result.StderrTail}");
            await File.WriteAllTextAsync(timing, JsonSerializer.Serialize(result));
        }
        return (db, DemoRow(scale, "pg", timing));
    }

    private static VerbRow DemoRow(int scale, string backend, string timing)
    {
        var form = string.Create(CultureInfo.InvariantCulture, $"demo --scale {scale}");
        return File.Exists(timing) && JsonSerializer.Deserialize<ChildResult>(File.ReadAllText(timing)) is { } r
            ? new VerbRow(form + " (when the cache was made)", backend, [r], null)
            : new VerbRow(form + " (copied, not timed)", backend, [], null);
    }

    /// <summary>An empty, initialised database for a verb that writes (the import), made before the clock starts.</summary>
    private async Task<string> FreshDatabaseAsync(string backend, Dictionary<string, string> env)
    {
        string db;
        if (backend == "gpkg")
        {
            db = Path.Combine(options.DataDir, "import.gpkg");
            foreach (var f in (string[])[db, db + "-journal", db + ".key"]) File.Delete(f);
        }
        else
        {
            const string name = "gt_e2e_import";
            await DropDatabaseAsync(name);
            db = options.PgDatabase(name);
        }
        var init = await ChildRunner.RunAsync("dotnet", [_cli, "--db", db, "init"], Path.Combine(options.DataDir, "import-init.out"), _timeout, env, options.DataDir);
        if (!init.Ok) throw new InvalidOperationException($"init of {(backend == "gpkg" ? db : "gt_e2e_import")} failed: {init.StderrTail}");
        return db;
    }

    private async Task<bool> HasCasualtiesAsync(string connectionString)
    {
        try
        {
            await using var c = new NpgsqlConnection(connectionString);
            await c.OpenAsync();
            await using var cmd = new NpgsqlCommand("SELECT count(*) FROM casualties", c);
            return Convert.ToInt64(await cmd.ExecuteScalarAsync(), CultureInfo.InvariantCulture) > 0;
        }
        catch (PostgresException)
        {
            return false;
        }
    }

    private async Task DropDatabaseAsync(string name)
    {
        await using var c = new NpgsqlConnection(options.PgDatabase("postgres"));
        await c.OpenAsync();
        await using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", c);
        await cmd.ExecuteNonQueryAsync();
    }

    private async Task BuildAsync(string project)
    {
        Output.Note($"dotnet build -c Release {project}");
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = _root, UseShellExecute = false };
        foreach (var a in (string[])["build", "-c", "Release", "--nologo", "-v", "q", project]) info.ArgumentList.Add(a);
        using var p = Process.Start(info)!;
        await p.WaitForExitAsync();
        if (p.ExitCode != 0) throw new InvalidOperationException($"dotnet build {project} failed");
    }

    private static string RepositoryRoot()
    {
        foreach (var start in (string[])[Environment.CurrentDirectory, AppContext.BaseDirectory])
        {
            for (var d = new DirectoryInfo(start); d is not null; d = d.Parent)
            {
                if (File.Exists(Path.Combine(d.FullName, "Groundtruth.slnx"))) return d.FullName;
            }
        }
        throw new InvalidOperationException("run from inside the repository (Groundtruth.slnx not found)");
    }

    public static string Slug(string form)
    {
        var sb = new StringBuilder();
        foreach (var ch in form)
        {
            if (char.IsAsciiLetterOrDigit(ch)) sb.Append(ch);
            else if (sb.Length > 0 && sb[^1] != '-') sb.Append('-');
        }
        return sb.ToString().Trim('-');
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";
}
