using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Groundtruth.Application.Statistics;
using Groundtruth.Application.Storage;
using Npgsql;

namespace Groundtruth.Benchmarks;

/// <summary>
/// The statistics use case at scale (issue 3): a filtered, grouped question over casualties and over finds,
/// and <c>--in</c> a district over all finds, in process — the first call (load) and the median of warm
/// calls (columns cached in memory) — on a GeoPackage and on PostgreSQL, and beside them the same
/// questions as SQL run by PostgreSQL/PostGIS itself (median of 3 warm runs after ANALYZE).
/// </summary>
/// <remarks>
/// The databases are made beforehand with <c>groundtruth demo --scale N</c> (2500: 5 M finds, 1.36 M
/// casualties); see docs/benchmarks.md. The CLI end to end is timed apart with hyperfine.
/// </remarks>
internal static class StatsBench
{
    private sealed record Question(string Name, StatsRequest Request, string Sql);

    public static async Task<int> RunAsync(string[] args)
    {
        string? gpkg = null, pg = null, district = "PL-D05";
        var warm = 7;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--gpkg": gpkg = args[++i]; break;
                case "--pg": pg = args[++i]; break;
                case "--warm": warm = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--district": district = args[++i]; break;
                default: throw new ArgumentException($"stats: unknown option {args[i]}; usage: stats [--gpkg FILE] [--pg CONNSTRING] [--warm N] [--district ID]");
            }
        }
        if (gpkg is null && pg is null) throw new ArgumentException("stats: give --gpkg FILE and/or --pg CONNSTRING (made with groundtruth demo --scale N)");
        var questions = Questions(district!);
        Emit(new Dictionary<string, object?>
        {
            ["bench"] = "machine", ["nproc"] = Environment.ProcessorCount, ["runtime"] = System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription,
            ["server_gc"] = System.Runtime.GCSettings.IsServerGC, ["utc"] = DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture),
        });
        foreach (var (backend, value) in new[] { ("gpkg", gpkg), ("pg", pg) })
        {
            if (value is null) continue;
            var target = backend == "gpkg" ? DatabaseTarget.ForFile(value) : DatabaseTarget.ForServer(value);
            var source = new StatsSource();
            var handler = new StatsHandler(target, TimeProvider.System, source);
            foreach (var q in questions)
            {
                var watch = Stopwatch.StartNew();
                var first = await handler.HandleAsync(q.Request);
                var cold = watch.Elapsed.TotalMilliseconds;
                var times = new List<double>();
                for (var k = 0; k < warm; k++)
                {
                    watch.Restart();
                    var again = await handler.HandleAsync(q.Request);
                    times.Add(watch.Elapsed.TotalMilliseconds);
                    if (again.Figures.Total != first.Figures.Total) throw new InvalidOperationException("warm answer differs");
                }
                Emit(new Dictionary<string, object?>
                {
                    ["bench"] = "stats", ["backend"] = backend, ["question"] = q.Name, ["total"] = first.Figures.Total, ["groups"] = first.Figures.Groups.Count,
                    ["first_call_ms"] = Math.Round(cold, 1), ["warm_median_ms"] = Math.Round(Median(times), 1), ["warm_min_ms"] = Math.Round(times.Min(), 1), ["warm_runs"] = warm,
                });
            }
        }
        if (pg is not null) await PostgisAsync(pg, questions);
        return 0;
    }

    private static List<Question> Questions(string district) =>
    [
        new("casualties_civilian_since_2020_by_age_group_sex",
            new StatsRequest("casualties", "2020-01-01", Where: ["status=civilian"], By: ["age_group", "sex"]),
            """
            SELECT CASE WHEN c.age IS NULL THEN c.age_group WHEN c.age < 18 THEN 'child' ELSE 'adult' END AS age_group, c.sex, count(*)
            FROM casualties c LEFT JOIN accidents a ON a.id = c.accident_id
            WHERE c.status = 'civilian' AND (CASE length(coalesce(c.occurred_on, a.occurred_on)) WHEN 4 THEN coalesce(c.occurred_on, a.occurred_on) || '-01-01'
                  WHEN 7 THEN coalesce(c.occurred_on, a.occurred_on) || '-01' ELSE coalesce(c.occurred_on, a.occurred_on) END) >= '2020-01-01'
            GROUP BY 1, 2
            """),
        new("finds_ap_mines_by_place_year",
            new StatsRequest("finds", Where: ["category=anti_personnel_mine"], By: ["place", "year"]),
            """
            WITH pl AS (SELECT id, geom, ST_Area(geom::geography) AS area FROM places WHERE ST_Dimension(geom) = 2)
            SELECT (SELECT pl.id FROM pl WHERE ST_Covers(pl.geom, f.geom) ORDER BY pl.area, pl.id LIMIT 1) AS place, left(f.found_on, 4) AS year, sum(f.quantity)
            FROM finds f WHERE f.category = 'anti_personnel_mine' GROUP BY 1, 2
            """),
        new($"finds_in_{district}_by_category",
            new StatsRequest("finds", In: district, By: ["category"]),
            $"""
            SELECT f.category, sum(f.quantity) FROM finds f JOIN places p ON p.id = '{district}'
            WHERE f.min_x BETWEEN ST_XMin(p.geom) AND ST_XMax(p.geom) AND f.min_y BETWEEN ST_YMin(p.geom) AND ST_YMax(p.geom) AND ST_Covers(p.geom, f.geom)
            GROUP BY 1
            """),
    ];

    private static async Task PostgisAsync(string connectionString, List<Question> questions)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using (var analyze = new NpgsqlCommand("ANALYZE", connection) { CommandTimeout = 0 }) await analyze.ExecuteNonQueryAsync();
        var settings = new Dictionary<string, object?> { ["bench"] = "postgis_settings" };
        foreach (var name in new[] { "server_version", "shared_buffers", "work_mem", "max_parallel_workers_per_gather", "jit", "effective_cache_size" })
        {
            await using var show = new NpgsqlCommand($"SHOW {name}", connection);
            settings[name] = await show.ExecuteScalarAsync();
        }
        await using (var postgis = new NpgsqlCommand("SELECT postgis_lib_version()", connection)) settings["postgis"] = await postgis.ExecuteScalarAsync();
        Emit(settings);
        foreach (var q in questions)
        {
            var times = new List<double>();
            long total = 0;
            for (var k = 0; k < 4; k++)
            {
                var watch = Stopwatch.StartNew();
                await using var cmd = new NpgsqlCommand(q.Sql, connection) { CommandTimeout = 0 };
                await using var reader = await cmd.ExecuteReaderAsync();
                total = 0;
                while (await reader.ReadAsync()) total += Convert.ToInt64(reader.GetValue(reader.FieldCount - 1), CultureInfo.InvariantCulture);
                if (k > 0) times.Add(watch.Elapsed.TotalMilliseconds);
            }
            Emit(new Dictionary<string, object?>
            {
                ["bench"] = "postgis_sql", ["question"] = q.Name, ["total"] = total, ["warm_median_ms"] = Math.Round(Median(times), 1), ["warm_runs"] = times.Count,
            });
        }
    }

    private static double Median(List<double> values)
    {
        var s = values.OrderBy(v => v).ToList();
        return s.Count % 2 == 1 ? s[s.Count / 2] : (s[s.Count / 2 - 1] + s[s.Count / 2]) / 2;
    }

    private static void Emit(Dictionary<string, object?> fields)
    {
        Console.Out.WriteLine(JsonSerializer.Serialize(fields));
        Console.Out.Flush();
    }
}
