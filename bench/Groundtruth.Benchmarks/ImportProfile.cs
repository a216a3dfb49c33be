using System.Collections;
using System.Diagnostics;
using System.Reflection;
using Groundtruth.Application.Datasets;
using Groundtruth.Application.Import;
using Groundtruth.Application.Storage;
using Groundtruth.Domain;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Groundtruth.Benchmarks;

/// <summary>
/// Where an import's time goes: a step-by-step replica of <see cref="ImportHandler.HandleAsync"/> for the
/// plain case (CSV, no mapping, WGS84, approved, not dry-run) that calls the importer's own internal
/// classes (RecordParser, DatasetRules, ReferenceChecker, StagingRowBuilder, BulkLoader) through
/// reflection, with a stopwatch around each step and a per-statement timer on the database connection
/// (sqlite3_profile for SQLite, the Npgsql ActivitySource for PostgreSQL).
/// Profiling only: it reads internals and fails loudly if they change; the timed figures come from the real handler.
/// </summary>
internal sealed class ImportProfile
{
    private static readonly Assembly App = typeof(ImportHandler).Assembly;
    private const BindingFlags All = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static;

    private static Type T(string name) => App.GetType("Groundtruth.Application.Import." + name, throwOnError: true)!;
    private static object New(string type, params object?[] args) =>
        Activator.CreateInstance(T(type), All, null, args, null) ?? throw new InvalidOperationException(type);
    private static MethodInfo M(Type type, string name) => type.GetMethod(name, All) ?? throw new MissingMethodException(type.Name, name);
    private static MethodInfo M(object target, string name) => M(target.GetType(), name);
    private static async Task<object?> Await(object? task)
    {
        var t = (Task)task!;
        await t;
        return t.GetType().GetProperty("Result")?.GetValue(t);
    }

    private readonly List<(string Sql, double Seconds)> _statements = [];
    private readonly object _gate = new();
    private volatile bool _listening;

    public async Task<Dictionary<string, object?>> RunAsync(DatabaseTarget target, string file, int rows, string backend)
    {
        var dataset = DatasetCatalog.Finds;
        var ct = CancellationToken.None;
        var total = Stopwatch.StartNew();
        var phases = new Dictionary<string, double>();
        var step = Stopwatch.StartNew();
        void Lap(string name)
        {
            phases[name] = phases.GetValueOrDefault(name) + step.Elapsed.TotalSeconds;
            step.Restart();
        }

        using var npgsql = backend == "pg" ? ListenToNpgsql() : null;
        var problems = New("ProblemList", file, 200);
        await using var db = target.CreateContext();
        await SchemaGuard.EnsureCurrentAsync(db, ct);
        var now = TimeProvider.System.GetUtcNow().UtcDateTime;
        var context = New("RuleContext");
        context.GetType().GetProperty("Today")!.SetValue(context, DateOnly.FromDateTime(now));
        var references = New("ReferenceChecker", dataset, problems);
        await Await(M(references, "LoadAsync").Invoke(references, [db, ct]));
        await db.Database.OpenConnectionAsync(ct);
        var connection = db.Database.GetDbConnection();
        var layout = New("StagingLayout", dataset);
        var loader = M(T("BulkLoader"), "Create").Invoke(null, [connection, layout])!;
        var builder = New("StagingRowBuilder", layout, null, PartialDate.FromDate(DateOnly.FromDateTime(now)).ToString());
        var parser = New("RecordParser", dataset, ImportMapping.Identity, null, false, problems);
        var total0 = problems.GetType().GetProperty("Total")!;
        int Problems() => (int)total0.GetValue(problems)!;
        Lap("setup");

        var reader = (IDisposable)M(T("SourceReader"), "Open").Invoke(null, [file, ImportMapping.Identity])!;
        var header = reader.GetType().GetProperty("HeaderColumns")!.GetValue(reader);
        var parse = M(parser, "Parse");
        M(parser, "CheckHeader").Invoke(parser, [header]);
        await Await(M(loader, "BeginStagingAsync").Invoke(loader, [ct]));
        Lap("setup");
        var apply = M(T("DatasetRules"), "Apply");
        var check = M(references, "Check");
        var build = M(builder, "Build");
        var stage = M(loader, "Stage");
        var geometryIndex = (int)layout.GetType().GetProperty("GeometryIndex")!.GetValue(layout)!;
        // The handler remembers every id of the file (RuleContext.FileIds) where the importer has that set.
        var fileIds = context.GetType().GetProperty("FileIds")?.GetValue(context) as HashSet<string>;
        var idOf = T("ParsedRecord").GetProperty("Id")!;
        var blobTicks = 0L;
        var read = 0;
        var records = ((IEnumerable)M(reader, "Records").Invoke(reader, null)!).GetEnumerator();
        while (true)
        {
            if (!records.MoveNext()) break;
            Lap("read_csv");
            read++;
            var record = parse.Invoke(parser, [records.Current]);
            Lap("parse_record");
            if (record is null) throw new InvalidOperationException("a record did not parse");
            apply.Invoke(null, [dataset, record, problems, context]);
            fileIds?.Add((string)idOf.GetValue(record)!);
            check.Invoke(references, [record]);
            Lap("rules_and_references");
            if (Problems() > 0) throw new InvalidOperationException("the file has problems");
            var row = (object?[])build.Invoke(builder, [record])!;
            Lap("build_staging_row");
            if (backend == "gpkg" && row[geometryIndex] is NetTopologySuite.Geometries.Geometry g)
            {
                // Measured apart: the same blob encoding Stage does again for this row.
                var b0 = Stopwatch.GetTimestamp();
                GeoPackageBlob.Write(g);
                blobTicks += Stopwatch.GetTimestamp() - b0;
                step.Restart();
            }
            stage.Invoke(loader, [row]);
            Lap("stage_row");
        }
        reader.Dispose();
        await Await(M(loader, "EndStagingAsync").Invoke(loader, [ct]));
        Lap("end_staging");
        M(references, "CheckDeferred").Invoke(references, null);
        Lap("deferred_references");
        // Per-statement timing from here on only: a hook on every staging INSERT would distort stage_row.
        if (connection is SqliteConnection sqlite) ProfileSqlite(sqlite);
        _listening = true;
        var duplicates = (ICollection)(await Await(M(loader, "DuplicatesAsync").Invoke(loader, [ct])))!;
        if (duplicates.Count > 0) throw new InvalidOperationException("duplicates");
        Lap("duplicate_check");
        var request = New("MergeRequest", "bench", Path.GetFileName(file), null, false, now);
        await Await(M(loader, "MergeAsync").Invoke(loader, [request, ct]));
        Lap("merge_and_commit");
        await ((IAsyncDisposable)loader).DisposeAsync();
        Lap("drop_staging");
        total.Stop();
        if (read != rows) throw new InvalidOperationException($"read {read} of {rows}");

        var blob = blobTicks / (double)Stopwatch.Frequency;
        List<(string Sql, double Seconds)> merge;
        lock (_gate) merge = [.. _statements];
        return new Dictionary<string, object?>
        {
            ["bench"] = "import-profile",
            ["backend"] = backend,
            ["rows"] = rows,
            ["seconds"] = Output.R(total.Elapsed.TotalSeconds),
            ["phases_s"] = phases.ToDictionary(kv => kv.Key, kv => (object?)Output.R(kv.Value)),
            ["gpkg_blob_encoding_in_stage_est_s"] = backend == "gpkg" ? Output.R(blob) : null,
            ["merge_statements"] = merge.Select(s => new Dictionary<string, object?> { ["sql"] = s.Sql, ["s"] = Output.R(s.Seconds) }).ToList(),
            ["note"] = "replica of ImportHandler via reflection, with a stopwatch per step (adds ~0.1-0.3 us per step per row)",
        };
    }

    /// <summary>Every statement's time on this connection, from SQLite itself.</summary>
    private void ProfileSqlite(SqliteConnection connection)
    {
        SQLitePCL.raw.sqlite3_profile(connection.Handle, (_, sql, ns) =>
        {
            lock (_gate) _statements.Add((Shorten(sql), ns / 1e9));
        }, null);
    }

    /// <summary>Every command's time on Npgsql connections (its ActivitySource), while the profile runs.</summary>
    private ActivityListener ListenToNpgsql()
    {
        var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name.StartsWith("Npgsql", StringComparison.Ordinal),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a =>
            {
                if (!_listening) return;
                var sql = a.GetTagItem("db.query.text") as string ?? a.GetTagItem("db.statement") as string ?? a.DisplayName;
                lock (_gate) _statements.Add((Shorten(sql), a.Duration.TotalSeconds));
            },
        };
        ActivitySource.AddActivityListener(listener);
        return listener;
    }

    private static string Shorten(string sql)
    {
        var flat = string.Join(' ', sql.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return flat.Length <= 110 ? flat : flat[..107] + "...";
    }
}
