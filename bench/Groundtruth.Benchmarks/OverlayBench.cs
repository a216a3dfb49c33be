using System.Diagnostics;
using System.Globalization;
using Groundtruth.Analysis.LandReleases;
using Groundtruth.Analysis.Spatial;
using Groundtruth.Application.Demo;
using Groundtruth.Domain;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;
using Npgsql;

namespace Groundtruth.Benchmarks;

/// <summary>
/// Land release overlay (issue: hazardous areas and land release): release outputs intersected with
/// hazardous areas, the intersections' m² summed by method, in-process against the PostGIS equivalent
/// (ST_Intersection + ST_Area in the UTM zone of each output), same data, same run; sums must agree
/// to 1e-6 relative before any time counts.
/// </summary>
internal static class OverlayBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        var scale = 2500;
        var releasesWanted = 100_000;
        var profile = false;
        string? pg = Environment.GetEnvironmentVariable("GROUNDTRUTH_TEST_PG");
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--scale": scale = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--releases": releasesWanted = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--pg": pg = args[++i]; break;
                case "--profile": profile = true; break;
                default: throw new ArgumentException($"unknown option {args[i]}");
            }
        }
        var dir = Path.Combine(Path.GetTempPath(), "groundtruth-bench", $"overlay-{scale}");
        if (!File.Exists(Path.Combine(dir, "land-release.csv")))
        {
            Output.Note($"overlay: writing the demo at scale {scale} into {dir} (once)");
            var tmp = dir + ".tmp";
            if (Directory.Exists(tmp)) Directory.Delete(tmp, true);
            var files = DemoData.WriteFiles(tmp, 1, scale, new DateOnly(2026, 6, 15));
            foreach (var f in files.Where(f => f.Name is not ("hazards" or "land-release"))) File.Delete(f.Path);
            Directory.Move(tmp, dir);
        }
        var load = Stopwatch.StartNew();
        var hazards = ReadWkt(Path.Combine(dir, "hazards.csv"), int.MaxValue)
            .Select(r => new HazardInput(r.Id, null, HazardClassification.Confirmed, HazardStatus.Open, null, null, null, r.Geometry)).ToList();
        var releases = ReadWkt(Path.Combine(dir, "land-release.csv"), releasesWanted)
            .Select(r => new ReleaseInput(r.Id, "", "", SnakeCase.Parse<ReleaseMethod>(r.Method!), PartialDate.Parse("2020"), 0, r.Geometry)).ToList();
        var loadSeconds = load.Elapsed.TotalSeconds;
        Output.Note($"overlay: {hazards.Count} hazardous areas, {releases.Count} outputs loaded in {loadSeconds:F1} s");

        // A full warm-up run (tiered JIT), then the median of three.
        if (profile)
        {
            Profile(hazards, releases);
            return 0;
        }
        var first = Stopwatch.StartNew();
        var overlay = LandReleaseAccounting.Overlay(hazards, releases);
        var coldSeconds = first.Elapsed.TotalSeconds;
        var times = new List<double>();
        var cpu = new List<double>();
        using var process = Process.GetCurrentProcess();
        for (var run = 0; run < 3; run++)
        {
            process.Refresh();
            var cpuBefore = process.TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            overlay = LandReleaseAccounting.Overlay(hazards, releases);
            times.Add(watch.Elapsed.TotalSeconds);
            process.Refresh();
            cpu.Add((process.TotalProcessorTime - cpuBefore).TotalSeconds);
        }
        times.Sort();
        cpu.Sort();
        var seconds = times[1];
        var cpuSeconds = cpu[1];
        var ours = overlay.Areas;
        Output.Note($"overlay: in-process {seconds:F2} s, {cpuSeconds:F2} s of CPU (first run {coldSeconds:F2} s), {overlay.Pairs} pairs, {overlay.Fallbacks} left to NetTopologySuite: cancelled {ours.Cancelled:F0}, reduced {ours.Reduced:F0}, cleared {ours.Cleared:F0} m²");

        var result = new Dictionary<string, object?>
        {
            ["bench"] = "overlay", ["hazards"] = hazards.Count, ["releases"] = releases.Count, ["load_s"] = Output.R(loadSeconds),
            ["overlay_s"] = Output.R(seconds), ["overlay_cpu_s"] = Output.R(cpuSeconds), ["first_run_s"] = Output.R(coldSeconds), ["pairs"] = overlay.Pairs, ["fallbacks"] = overlay.Fallbacks, ["cancelled_m2"] = Output.R(ours.Cancelled, 1), ["reduced_m2"] = Output.R(ours.Reduced, 1), ["cleared_m2"] = Output.R(ours.Cleared, 1),
        };
        if (pg is not null)
        {
            var (postgis, settings, pgSeconds) = await PostGisAsync(pg, hazards, releases);
            Output.Note($"overlay: PostGIS {pgSeconds:F2} s: cancelled {postgis.Cancelled:F0}, reduced {postgis.Reduced:F0}, cleared {postgis.Cleared:F0} m²");
            foreach (var (name, a, b) in new[] { ("cancelled", ours.Cancelled, postgis.Cancelled), ("reduced", ours.Reduced, postgis.Reduced), ("cleared", ours.Cleared, postgis.Cleared) })
            {
                if (Math.Abs(a - b) > 1e-6 * Math.Max(Math.Abs(b), 1))
                {
                    Output.Note($"overlay: {name} differs: ours {a:R}, PostGIS {b:R} — no time counts");
                    return 1;
                }
            }
            result["postgis_s"] = Output.R(pgSeconds);
            result["ratio"] = Output.R(pgSeconds / seconds, 2);
            result["pg_settings"] = settings;
        }
        Output.Json(result);
        return 0;
    }

    /// <summary>Where the time goes, on one thread: the envelope grid and its queries, projections, the kernel, and NetTopologySuite's overlay on a sample of the same pairs.</summary>
    private static void Profile(List<HazardInput> hazards, List<ReleaseInput> releases)
    {
        var watch = Stopwatch.StartNew();
        var grid = new EnvelopeGrid([.. hazards.Select(h => h.Geometry.EnvelopeInternal)]);
        var build = watch.Elapsed.TotalSeconds;
        List<List<int>> Query() => [.. releases.Select(r => { var found = new List<int>(); grid.Query(r.Geometry.EnvelopeInternal, found); return found; })];
        var candidates = Query();
        watch.Restart();
        candidates = Query();
        var query = watch.Elapsed.TotalSeconds;
        var pairs = candidates.Sum(c => c.Count);
        var zones = releases.Select(r => Groundtruth.Analysis.Geodesy.ReferenceSystems.UtmEpsgFor(r.Geometry.EnvelopeInternal.Centre.X, r.Geometry.EnvelopeInternal.Centre.Y)).ToList();
        var projections = zones.Distinct().ToDictionary(z => z, z => new Groundtruth.Analysis.Geodesy.LocalProjection(z));
        _ = releases.Select((r, k) => AreaPolygon.Project(r.Geometry, projections[zones[k]])).ToList();
        watch.Restart();
        var metric = releases.Select((r, k) => AreaPolygon.Project(r.Geometry, projections[zones[k]])).ToList();
        var projectOutputs = watch.Elapsed.TotalSeconds;
        watch.Restart();
        var cache = projections.Keys.ToDictionary(z => z, _ => new AreaPolygon?[hazards.Count]);
        for (var k = 0; k < releases.Count; k++)
            foreach (var i in candidates[k]) cache[zones[k]][i] ??= AreaPolygon.Project(hazards[i].Geometry, projections[zones[k]]);
        var projectAreas = watch.Elapsed.TotalSeconds;
        var vertices = hazards.Sum(h => h.Geometry.NumPoints) + releases.Sum(r => r.Geometry.NumPoints);
        long undecided = 0;
        var sum = 0.0;
        for (var k = 0; k < releases.Count; k++)
            foreach (var i in candidates[k])
                IntersectionArea.TryCompute(metric[k], cache[zones[k]][i]!, out _);
        watch.Restart();
        for (var k = 0; k < releases.Count; k++)
            foreach (var i in candidates[k])
            {
                if (IntersectionArea.TryCompute(metric[k], cache[zones[k]][i]!, out var a)) sum += a;
                else undecided++;
            }
        var kernel = watch.Elapsed.TotalSeconds;
        // The same, split into pairs that share area and pairs whose envelopes meet but whose shapes share none.
        var meeting = new List<(AreaPolygon, AreaPolygon)>();
        var apart = new List<(AreaPolygon, AreaPolygon)>();
        for (var k = 0; k < releases.Count; k++)
            foreach (var i in candidates[k])
            {
                IntersectionArea.TryCompute(metric[k], cache[zones[k]][i]!, out var a);
                (a > 0 ? meeting : apart).Add((metric[k], cache[zones[k]][i]!));
            }
        watch.Restart();
        foreach (var (a, b) in meeting) IntersectionArea.TryCompute(a, b, out _);
        var meetingSeconds = watch.Elapsed.TotalSeconds;
        watch.Restart();
        foreach (var (a, b) in apart) IntersectionArea.TryCompute(a, b, out _);
        var apartSeconds = watch.Elapsed.TotalSeconds;
        Output.Note($"profile: kernel on {meeting.Count} pairs sharing area {1e6 * meetingSeconds / Math.Max(1, meeting.Count):F2} µs/pair, on {apart.Count} pairs sharing none {1e6 * apartSeconds / Math.Max(1, apart.Count):F2} µs/pair");
        // NetTopologySuite's overlay on the first 20,000 pairs, for the cost per pair.
        var factory = NetTopologySuite.NtsGeometryServices.Instance.CreateGeometryFactory();
        var sample = new List<(Geometry, Geometry)>();
        for (var k = 0; k < releases.Count && sample.Count < 20_000; k++)
            foreach (var i in candidates[k]) sample.Add((metric[k].ToGeometry(factory), cache[zones[k]][i]!.ToGeometry(factory)));
        watch.Restart();
        foreach (var (a, b) in sample) _ = a.Intersection(b).Area;
        var nts = watch.Elapsed.TotalSeconds;
        Output.Note($"profile (one thread): envelope grid build {build:F2} s; queries {query:F2} s ({pairs} pairs); projecting outputs {projectOutputs:F2} s, areas {projectAreas:F2} s ({vertices} vertices in all); kernel {kernel:F2} s ({1e6 * kernel / pairs:F2} µs/pair, {undecided} undecided, sum {sum:F0} m²); NetTopologySuite overlay {1e6 * nts / sample.Count:F1} µs/pair on {sample.Count} pairs");
    }

    private sealed record WktRow(string Id, string? Method, Geometry Geometry);

    /// <summary>The id, method (land release) and WKT of each row of a demo CSV.</summary>
    private static IEnumerable<WktRow> ReadWkt(string path, int limit)
    {
        using var reader = new StreamReader(path);
        using var csv = new CsvHelper.CsvReader(reader, CultureInfo.InvariantCulture);
        csv.Read();
        csv.ReadHeader();
        var wkt = new WKTReader(new NetTopologySuite.NtsGeometryServices(SpatialRules.Factory.PrecisionModel, 4326));
        var hasMethod = csv.HeaderRecord!.Contains("method");
        var n = 0;
        while (n++ < limit && csv.Read())
            yield return new WktRow(csv.GetField("id")!, hasMethod ? csv.GetField("method") : null, wkt.Read(csv.GetField("wkt")));
    }

    private static async Task<(MethodAreas Sums, Dictionary<string, object?> Settings, double Seconds)> PostGisAsync(string server, List<HazardInput> hazards, List<ReleaseInput> releases)
    {
        var name = $"gt_overlay_{Environment.ProcessId}";
        var admin = new NpgsqlConnectionStringBuilder(server) { Database = "postgres", Pooling = false }.ConnectionString;
        await using (var a = new NpgsqlConnection(admin))
        {
            await a.OpenAsync();
            await new NpgsqlCommand($"DROP DATABASE IF EXISTS {name}; ", a).ExecuteNonQueryAsync();
            await new NpgsqlCommand($"CREATE DATABASE {name}", a).ExecuteNonQueryAsync();
        }
        try
        {
            var cs = new NpgsqlConnectionStringBuilder(server) { Database = name, Pooling = false, CommandTimeout = 0 }.ConnectionString;
            var builder = new NpgsqlDataSourceBuilder(cs);
            builder.UseNetTopologySuite();
            await using var source = builder.Build();
            await using var conn = await source.OpenConnectionAsync();
            async Task Exec(string sql) { await using var c = new NpgsqlCommand(sql, conn); await c.ExecuteNonQueryAsync(); }
            await Exec("CREATE EXTENSION IF NOT EXISTS postgis");
            await conn.ReloadTypesAsync();
            await Exec("CREATE TABLE haz (id text, geom geometry(Geometry,4326)); CREATE TABLE rel (id text, method text, geom geometry(Geometry,4326))");
            await using (var copy = await conn.BeginBinaryImportAsync("COPY haz (id, geom) FROM STDIN (FORMAT BINARY)"))
            {
                foreach (var h in hazards) { await copy.StartRowAsync(); await copy.WriteAsync(h.Id); await copy.WriteAsync(h.Geometry); }
                await copy.CompleteAsync();
            }
            await using (var copy = await conn.BeginBinaryImportAsync("COPY rel (id, method, geom) FROM STDIN (FORMAT BINARY)"))
            {
                foreach (var r in releases) { await copy.StartRowAsync(); await copy.WriteAsync(r.Id); await copy.WriteAsync(SnakeCase.Of(r.Method)); await copy.WriteAsync(r.Geometry); }
                await copy.CompleteAsync();
            }
            await Exec("CREATE INDEX ON haz USING gist (geom); CREATE INDEX ON rel USING gist (geom); ANALYZE haz; ANALYZE rel;");
            const string sql = """
                SELECT r.method, sum(ST_Area(ST_Intersection(ST_Transform(r.geom, z.epsg), ST_Transform(h.geom, z.epsg))))
                FROM rel r
                CROSS JOIN LATERAL (SELECT (CASE WHEN (ST_YMin(r.geom) + ST_YMax(r.geom)) / 2 >= 0 THEN 32600 ELSE 32700 END
                                           + LEAST(60, GREATEST(1, floor(((ST_XMin(r.geom) + ST_XMax(r.geom)) / 2 + 180) / 6)::int + 1))) AS epsg) z
                JOIN haz h ON ST_Intersects(r.geom, h.geom)
                GROUP BY r.method
                """;
            // One warm-up run (caches, plans), then the median of three.
            var sums = new Dictionary<string, double>();
            var times = new List<double>();
            for (var run = 0; run < 4; run++)
            {
                var watch = Stopwatch.StartNew();
                await using (var c = new NpgsqlCommand(sql, conn))
                await using (var rd = await c.ExecuteReaderAsync())
                    while (await rd.ReadAsync()) sums[rd.GetString(0)] = rd.GetDouble(1);
                if (run > 0) times.Add(watch.Elapsed.TotalSeconds);
            }
            times.Sort();
            var seconds = times[1];
            var settings = new Dictionary<string, object?>();
            foreach (var s in new[] { "server_version", "max_parallel_workers_per_gather", "work_mem", "shared_buffers", "jit" })
            {
                await using var c = new NpgsqlCommand($"SHOW {s}", conn);
                settings[s] = await c.ExecuteScalarAsync();
            }
            await using (var c = new NpgsqlCommand("SELECT postgis_lib_version()", conn)) settings["postgis"] = await c.ExecuteScalarAsync();
            return (new MethodAreas(sums.GetValueOrDefault("cancelled"), sums.GetValueOrDefault("reduced"), sums.GetValueOrDefault("cleared")), settings, seconds);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await using var a = new NpgsqlConnection(admin);
            await a.OpenAsync();
            await new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", a).ExecuteNonQueryAsync();
        }
    }
}
