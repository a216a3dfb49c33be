using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Groundtruth.Application.Admin;
using Groundtruth.Application.Audit;
using Groundtruth.Application.Datasets;
using Groundtruth.Application.Entry;
using Groundtruth.Application.Import;
using Groundtruth.Application.Storage;
using Groundtruth.Application.Workbench;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Groundtruth.Benchmarks;

/// <summary>What <c>crash</c> is asked to do.</summary>
internal sealed record CrashOptions(int Iterations, int Seed, IReadOnlyList<string> Backends, string? Pg, string? Dir, bool Keep)
{
    public const string Usage = """

               Groundtruth.Benchmarks crash [--iterations N] [--seed S] [--backend gpkg|pg|all] [--pg CONNSTRING] [--dir DIR] [--keep]
                 kill imports, record entries and approvals (child processes) with SIGKILL at seeded random moments, N times
                 per backend (default 200, seed 1); after each: integrity, content exactly before or after, audit chain intact

        """;

    public static CrashOptions Parse(string[] args)
    {
        int iterations = 200, seed = 1;
        string backend = "all";
        string? pg = Environment.GetEnvironmentVariable("GROUNDTRUTH_TEST_PG"), dir = null;
        var keep = false;
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--iterations": iterations = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--seed": seed = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--backend": backend = Next(); break;
                case "--pg": pg = Next(); break;
                case "--dir": dir = Next(); break;
                case "--keep": keep = true; break;
                default: throw new ArgumentException($"unknown option {args[i]}");
            }
        }
        if (iterations < 1) throw new ArgumentException("--iterations must be at least 1");
        string[] backends = backend switch
        {
            "gpkg" => ["gpkg"],
            "pg" => ["pg"],
            "all" => string.IsNullOrWhiteSpace(pg) ? ["gpkg"] : ["gpkg", "pg"],
            _ => throw new ArgumentException("--backend is gpkg, pg or all"),
        };
        if (backends.Contains("pg") && string.IsNullOrWhiteSpace(pg)) throw new ArgumentException("--backend pg needs --pg or $GROUNDTRUTH_TEST_PG");
        return new CrashOptions(iterations, seed, backends, pg, dir, keep);
    }
}

/// <summary>The counts of one backend's loop.</summary>
internal sealed record CrashSummary(string Backend, int Iterations, int Imports, int Entries, int Approvals,
    int Killed, int KilledInWriteTransaction, int FoundBefore, int FoundAfter, int FinishedBeforeKill, IReadOnlyList<string> Failures);

/// <summary>
/// Crash loop (issue 14): each iteration picks an operation (a bulk import of finds, one record entered, or the
/// approval of a pending submission), computes the state it leads to on a copy of the database, then runs it in a
/// child process on the real database and SIGKILLs the child at a seeded random moment. After each kill: SQLite's
/// integrity check (or the server answering every query), the content exactly the state before or the state after,
/// and the audit chain intact. A fixed clock per iteration makes the two runs write identical rows.
/// </summary>
internal static class CrashLoop
{
    public const string WorkerCommand = "crash-worker";
    private static readonly DateTime Epoch = new(2026, 1, 1, 8, 0, 0, DateTimeKind.Utc);
    private const int FreshEvery = 25;

    public static async Task<int> RunAsync(CrashOptions options)
    {
        var dir = options.Dir ?? Path.Combine(Path.GetTempPath(), "groundtruth-crash-" + Environment.ProcessId);
        Directory.CreateDirectory(dir);
        var failed = false;
        foreach (var backend in options.Backends)
        {
            var summary = await RunBackendAsync(backend, options, dir, Output.Note);
            Output.Json(new Dictionary<string, object?>
            {
                ["bench"] = "crash-loop", ["backend"] = summary.Backend, ["seed"] = options.Seed, ["iterations"] = summary.Iterations,
                ["imports"] = summary.Imports, ["entries"] = summary.Entries, ["approvals"] = summary.Approvals,
                ["killed"] = summary.Killed, ["killed_in_write_transaction"] = summary.KilledInWriteTransaction,
                ["found_before"] = summary.FoundBefore, ["found_after"] = summary.FoundAfter,
                ["finished_before_kill"] = summary.FinishedBeforeKill, ["failures"] = summary.Failures.Count,
            });
            foreach (var f in summary.Failures) Output.Note("FAILURE " + f);
            failed |= summary.Failures.Count > 0;
        }
        if (!options.Keep && failed is false) Directory.Delete(dir, recursive: true);
        return failed ? 1 : 0;
    }

    public static async Task<CrashSummary> RunBackendAsync(string backend, CrashOptions options, string dir, Action<string> note)
    {
        var random = new Random(HashCode.Combine(options.Seed, backend == "pg" ? 2 : 1) & int.MaxValue);
        var store = backend == "pg" ? (CrashStore)new PostgresCrashStore(options.Pg!, $"gt_crash_{Environment.ProcessId}") : new GeoPackageCrashStore(dir);
        var target = await store.CreateAsync();
        var clock = new FixedClock(Epoch);
        var seedCsv = FindsCsv(dir, "seed", random, 2000, newIds: true, first: 0);
        await new ImportHandler(target, clock).HandleAsync(new ImportRequest(DatasetCatalog.Finds, seedCsv, Actor: "crash-loop"));
        var nextId = 2000;
        note($"crash loop on {backend}: {options.Iterations} iterations, seed {options.Seed}");
        var coldFactor = new Dictionary<string, double> { ["import"] = 2, ["entry"] = 3, ["approve"] = 2 };

        int imports = 0, entries = 0, approvals = 0, killed = 0, inWrite = 0, before = 0, after = 0, finished = 0;
        var failures = new List<string>();
        for (var i = 0; i < options.Iterations && failures.Count == 0; i++)
        {
            // A fresh database every so often keeps every iteration's copies and fingerprints small.
            if (i > 0 && i % FreshEvery == 0)
            {
                await store.DropAsync(target);
                target = await store.CreateAsync();
                await new ImportHandler(target, clock).HandleAsync(new ImportRequest(DatasetCatalog.Finds, seedCsv, Actor: "crash-loop"));
                nextId = 2000;
            }
            var now = Epoch.AddMinutes(i + 1);
            clock.Now = now;
            var pick = random.NextDouble();
            string op, arg;
            if (pick < 0.5)
            {
                var rows = random.Next(200, 8_000);
                arg = FindsCsv(dir, $"import-{i}", random, rows, newIds: false, first: nextId);
                nextId += rows;
                op = "import";
                imports++;
            }
            else if (pick < 0.75)
            {
                arg = new JsonObject
                {
                    ["id"] = random.Next(3) == 0 ? $"F{random.Next(nextId)}" : $"F{nextId++}",
                    ["found_on"] = $"2025-{1 + random.Next(12):D2}-{1 + random.Next(28):D2}",
                    ["category"] = "anti_personnel_mine",
                    ["quantity"] = 1 + random.Next(9),
                    ["lon"] = Math.Round(-25 + random.NextDouble(), 6),
                    ["lat"] = Math.Round(-32 + random.NextDouble(), 6),
                }.ToJsonString();
                op = "entry";
                entries++;
            }
            else
            {
                var rows = random.Next(10, 2_000);
                var csv = FindsCsv(dir, $"pending-{i}", random, rows, newIds: false, first: nextId);
                nextId += rows;
                var pending = await new ImportHandler(target, clock).HandleAsync(new ImportRequest(DatasetCatalog.Finds, csv, Pending: true, Actor: "crash-loop"));
                arg = pending.SubmissionId!.Value.ToString(CultureInfo.InvariantCulture);
                op = "approve";
                approvals++;
            }

            var fingerprintBefore = await store.FingerprintAsync(target);
            var scratch = await store.CopyAsync(target);
            var watch = Stopwatch.StartNew();
            await PerformAsync(scratch, op, arg, new FixedClock(now));
            var duration = watch.Elapsed;
            var fingerprintAfter = await store.FingerprintAsync(scratch);
            await store.DropAsync(scratch);

            // The child builds its model and connects first, then says "ready"; the kill falls in the operation itself,
            // drawn over the time it is expected to take in a fresh process (learned from the children that finished).
            var expected = duration * coldFactor[op];
            var delay = TimeSpan.FromMilliseconds(random.NextDouble() * expected.TotalMilliseconds * 1.2);
            using var child = StartWorker(target, backend, now, op, arg);
            var ready = await child.StandardOutput.ReadLineAsync();
            if (ready != "ready") failures.Add($"iteration {i} ({op}): the child did not start: {ready} {await child.StandardError.ReadToEndAsync()}");
            var started = Stopwatch.StartNew();
            await Task.WhenAny(child.WaitForExitAsync(), Task.Delay(delay));
            var exited = child.HasExited;
            if (exited && ready == "ready") coldFactor[op] = Math.Max(1, (coldFactor[op] + started.Elapsed / duration) / 2);
            var wasWriting = false;
            if (!exited)
            {
                wasWriting = await store.InWriteTransactionAsync(target);
                child.Kill(entireProcessTree: true);
                killed++;
            }
            await child.WaitForExitAsync();
            if (exited)
            {
                finished++;
                if (child.ExitCode != 0) failures.Add($"iteration {i} ({op}): the child failed on its own with exit code {child.ExitCode}: {await child.StandardError.ReadToEndAsync()}");
            }
            if (wasWriting) inWrite++;
            await store.SettleAsync(target);

            var problem = await store.IntegrityProblemAsync(target);
            var state = await store.FingerprintAsync(target);
            var audit = await new AuditVerifier(target).VerifyAsync();
            var label = $"iteration {i} ({op}, kill after {delay.TotalMilliseconds:F0} ms of ~{expected.TotalMilliseconds:F0})";
            if (problem is not null) failures.Add($"{label}: integrity: {problem}");
            // A kill that found nothing written came early: draw later next time, until the children finish about half the time.
            if (state == fingerprintBefore && !exited) coldFactor[op] *= 1.1;
            if (state == fingerprintBefore) before++;
            else if (state == fingerprintAfter) after++;
            else failures.Add($"{label}: the content is neither the state before nor the state after");
            if (state == fingerprintBefore && exited) failures.Add($"{label}: the child finished but its change is missing");
            if (!audit.Intact) failures.Add($"{label}: audit chain broken at {audit.FirstBreak}");
            if ((i + 1) % 10 == 0 || failures.Count > 0)
                note($"  {backend} {i + 1}/{options.Iterations}: killed {killed} ({inWrite} inside the write transaction), found before {before}, after {after}, finished first {finished}");
            foreach (var f in Directory.GetFiles(dir, "*.csv")) if (f != seedCsv) File.Delete(f);
        }
        if (!options.Keep && failures.Count == 0) await store.DropAsync(target);
        else note($"  {backend} database kept: {target}");
        return new CrashSummary(backend, options.Iterations, imports, entries, approvals, killed, inWrite, before, after, finished, failures);
    }

    /// <summary>The operation itself, the same in the child and in the in-process run that computes the state after.</summary>
    private static async Task PerformAsync(DatabaseTarget target, string op, string arg, TimeProvider clock)
    {
        switch (op)
        {
            case "noop":
                await using (var db = target.CreateContext()) await SchemaGuard.EnsureCurrentAsync(db);
                break;
            case "import":
                await new ImportHandler(target, clock).HandleAsync(new ImportRequest(DatasetCatalog.Finds, arg, Actor: "crash-loop"));
                break;
            case "entry":
                await new RecordEntryHandler(target, clock).HandleAsync(new EntryRequest(DatasetCatalog.Finds, JsonNode.Parse(arg)!.AsObject(), [], false, Groundtruth.Application.Security.Access.Full("crash-loop")));
                break;
            case "approve":
                var decisions = new SubmissionDecisions(target, clock);
                var id = long.Parse(arg, CultureInfo.InvariantCulture);
                var (_, items) = (await decisions.ReadAsync(id))!.Value;
                await decisions.ApproveAsync(id, [.. items.Select(x => new ItemDecision(x.LocalId, x.ExistingId is null ? ItemAction.New : ItemAction.Update))], "crash-loop", null);
                break;
            default:
                throw new ArgumentException($"unknown operation {op}");
        }
    }

    /// <summary>The child: one operation at a fixed time, nothing else.</summary>
    public static async Task<int> RunWorkerAsync(string[] args)
    {
        string Arg(string name) => args[Array.IndexOf(args, name) + 1];
        var target = Arg("--backend") == "pg" ? DatabaseTarget.ForServer(Arg("--db")) : DatabaseTarget.ForFile(Arg("--db"));
        var now = new DateTime(long.Parse(Arg("--now"), CultureInfo.InvariantCulture), DateTimeKind.Utc);
        await PerformAsync(target, "noop", "-", new FixedClock(now));
        Console.Out.WriteLine("ready");
        Console.Out.Flush();
        await PerformAsync(target, Arg("--op"), Arg("--arg"), new FixedClock(now));
        return 0;
    }

    private static Process StartWorker(DatabaseTarget target, string backend, DateTime now, string op, string arg)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Assembly.GetExecutingAssembly().Location);
        foreach (var a in new[] { WorkerCommand, "--backend", backend, "--db", target.Value, "--now", now.Ticks.ToString(CultureInfo.InvariantCulture), "--op", op, "--arg", arg })
            start.ArgumentList.Add(a);
        return Process.Start(start)!;
    }

    /// <summary>A CSV of finds: new ids from <paramref name="first"/>, or a third of them updates of earlier ids.</summary>
    private static string FindsCsv(string dir, string name, Random random, int rows, bool newIds, int first)
    {
        var path = Path.Combine(dir, name + ".csv");
        var sb = new StringBuilder("id,found_on,category,quantity,lon,lat\n");
        var ids = new HashSet<int>();
        for (var r = 0; r < rows; r++)
        {
            var id = !newIds && first > 0 && random.Next(3) == 0 ? random.Next(first) : first + r;
            if (!ids.Add(id)) continue;
            sb.Append(CultureInfo.InvariantCulture,
                $"F{id},2024-{1 + random.Next(12):D2}-{1 + random.Next(28):D2},anti_personnel_mine,{1 + random.Next(9)},{-25 + random.NextDouble():F6},{-32 + random.NextDouble():F6}\n");
        }
        File.WriteAllText(path, sb.ToString());
        return path;
    }
}

/// <summary>A clock that says what it is told: the child and the in-process run write the same times.</summary>
internal sealed class FixedClock(DateTime now) : TimeProvider
{
    public DateTime Now { get; set; } = now;
    public override DateTimeOffset GetUtcNow() => new(Now, TimeSpan.Zero);
}

/// <summary>What the loop needs of a store: databases to copy and drop, a content fingerprint, integrity.</summary>
internal abstract class CrashStore
{
    public abstract Task<DatabaseTarget> CreateAsync();
    public abstract Task<DatabaseTarget> CopyAsync(DatabaseTarget target);
    public abstract Task DropAsync(DatabaseTarget target);
    /// <summary>True when the child holds an open write transaction at this moment.</summary>
    public abstract Task<bool> InWriteTransactionAsync(DatabaseTarget target);
    /// <summary>Waits until the killed child is gone from the store (its server session ended).</summary>
    public virtual Task SettleAsync(DatabaseTarget target) => Task.CompletedTask;
    public abstract Task<string?> IntegrityProblemAsync(DatabaseTarget target);
    protected abstract DbConnection Open(DatabaseTarget target);
    protected abstract Task<List<(string Table, List<string> Columns)>> TablesAsync(DbConnection connection);
    protected abstract string Column(string name);

    /// <summary>SHA-256 over every row of every table (all columns but a GeoPackage's wall-clock <c>last_change</c>), in order.</summary>
    public async Task<string> FingerprintAsync(DatabaseTarget target)
    {
        await using var connection = Open(target);
        await connection.OpenAsync();
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (table, columns) in await TablesAsync(connection))
        {
            var kept = columns.Where(c => !(table == "gpkg_contents" && c == "last_change")).ToList();
            await using var cmd = connection.CreateCommand();
            cmd.CommandText = $"SELECT {string.Join(", ", kept.Select(Column))} FROM \"{table}\" ORDER BY {string.Join(", ", Enumerable.Range(1, kept.Count))}";
            sha.AppendData(Encoding.UTF8.GetBytes("\u0001" + table));
            await using var reader = await cmd.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                for (var c = 0; c < reader.FieldCount; c++)
                {
                    var text = reader.IsDBNull(c) ? "\u0000" : reader.GetValue(c) switch
                    {
                        byte[] b => Convert.ToHexString(b),
                        double d => d.ToString("R", CultureInfo.InvariantCulture),
                        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                        var v => v.ToString(),
                    };
                    sha.AppendData(Encoding.UTF8.GetBytes("\u0002" + text));
                }
            }
        }
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }
}

internal sealed class GeoPackageCrashStore(string dir) : CrashStore
{
    private int _copies;

    public override async Task<DatabaseTarget> CreateAsync()
    {
        var path = Path.Combine(dir, "crash.gpkg");
        foreach (var f in new[] { path, path + "-journal" }) File.Delete(f);
        var target = DatabaseTarget.ForFile(path);
        await new InitHandler(target, new FixedClock(new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc))).HandleAsync("crash-loop");
        return target;
    }

    public override Task<DatabaseTarget> CopyAsync(DatabaseTarget target)
    {
        var copy = Path.Combine(dir, $"scratch-{_copies++}.gpkg");
        File.Copy(target.FilePath!, copy, overwrite: true);
        return Task.FromResult(DatabaseTarget.ForFile(copy));
    }

    public override Task DropAsync(DatabaseTarget target)
    {
        foreach (var f in new[] { target.FilePath!, target.FilePath + "-journal" }) File.Delete(f);
        return Task.CompletedTask;
    }

    public override Task<bool> InWriteTransactionAsync(DatabaseTarget target) => Task.FromResult(File.Exists(target.FilePath + "-journal"));

    public override async Task<string?> IntegrityProblemAsync(DatabaseTarget target)
    {
        await using var connection = Open(target);
        await connection.OpenAsync();
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "PRAGMA integrity_check";
        var result = (string?)await cmd.ExecuteScalarAsync();
        return result == "ok" ? null : result;
    }

    protected override DbConnection Open(DatabaseTarget target) => new SqliteConnection(target.SqliteConnectionString);

    protected override string Column(string name) => "\"" + name + "\"";

    protected override async Task<List<(string Table, List<string> Columns)>> TablesAsync(DbConnection connection)
    {
        var tables = new List<string>();
        await using (var cmd = connection.CreateCommand())
        {
            cmd.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY name";
            await using var r = await cmd.ExecuteReaderAsync();
            while (await r.ReadAsync()) tables.Add(r.GetString(0));
        }
        var result = new List<(string, List<string>)>();
        foreach (var table in tables)
        {
            var columns = new List<string>();
            await using var cmd = connection.CreateCommand();
            cmd.CommandText = $"SELECT name FROM pragma_table_info('{table}') ORDER BY cid";
            await using var r = await cmd.ExecuteReaderAsync();
            while (await r.ReadAsync()) columns.Add(r.GetString(0));
            result.Add((table, columns));
        }
        return result;
    }
}

internal sealed class PostgresCrashStore(string connectionString, string name) : CrashStore
{
    private int _copies;

    private string ConnectionTo(string database) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Database = database, Pooling = false, Timeout = 60 }.ConnectionString;

    private async Task AdminAsync(string sql)
    {
        await using var conn = new NpgsqlConnection(ConnectionTo("postgres"));
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }

    public override async Task<DatabaseTarget> CreateAsync()
    {
        await AdminAsync($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
        var target = DatabaseTarget.ForServer(ConnectionTo(name));
        await new InitHandler(target, new FixedClock(new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc))).HandleAsync("crash-loop");
        return target;
    }

    public override async Task<DatabaseTarget> CopyAsync(DatabaseTarget target)
    {
        var source = new NpgsqlConnectionStringBuilder(target.Value).Database!;
        var copy = $"{name}_scratch_{_copies++}";
        await SettleAsync(target);
        await AdminAsync($"CREATE DATABASE \"{copy}\" TEMPLATE \"{source}\"");
        return DatabaseTarget.ForServer(ConnectionTo(copy));
    }

    public override Task DropAsync(DatabaseTarget target) =>
        AdminAsync($"DROP DATABASE IF EXISTS \"{new NpgsqlConnectionStringBuilder(target.Value).Database}\" WITH (FORCE)");

    public override async Task<bool> InWriteTransactionAsync(DatabaseTarget target) =>
        await ActivityAsync(target, "backend_xid IS NOT NULL") > 0;

    public override async Task SettleAsync(DatabaseTarget target)
    {
        for (var i = 0; i < 500 && await ActivityAsync(target, "true") > 0; i++) await Task.Delay(10);
    }

    private async Task<long> ActivityAsync(DatabaseTarget target, string condition)
    {
        await using var conn = new NpgsqlConnection(ConnectionTo("postgres"));
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand($"SELECT count(*) FROM pg_stat_activity WHERE datname = @db AND pid <> pg_backend_pid() AND {condition}", conn);
        cmd.Parameters.AddWithValue("db", new NpgsqlConnectionStringBuilder(target.Value).Database!);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    /// <summary>The server recovers a killed session by itself; what is checked is that every table still reads (fingerprint) and has no unfinished transaction left.</summary>
    public override async Task<string?> IntegrityProblemAsync(DatabaseTarget target)
    {
        await using var conn = new NpgsqlConnection(ConnectionTo("postgres"));
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT count(*) FROM pg_prepared_xacts WHERE database = @db", conn);
        cmd.Parameters.AddWithValue("db", new NpgsqlConnectionStringBuilder(target.Value).Database!);
        var prepared = (long)(await cmd.ExecuteScalarAsync())!;
        return prepared == 0 ? null : $"{prepared} prepared transaction(s) left behind";
    }

    protected override DbConnection Open(DatabaseTarget target) => new NpgsqlConnection(target.Value);

    protected override string Column(string name) => "\"" + name + "\"::text";

    protected override async Task<List<(string Table, List<string> Columns)>> TablesAsync(DbConnection connection)
    {
        var result = new List<(string Table, List<string> Columns)>();
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = """
            SELECT c.table_name, c.column_name FROM information_schema.columns c
            JOIN pg_tables t ON t.tablename = c.table_name AND t.schemaname = c.table_schema
            WHERE c.table_schema = 'public' AND c.table_name <> 'spatial_ref_sys'
            ORDER BY c.table_name, c.ordinal_position
            """;
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync())
        {
            var table = r.GetString(0);
            if (result.Count == 0 || result[^1].Table != table) result.Add((table, []));
            result[^1].Columns.Add(r.GetString(1));
        }
        return result;
    }
}
