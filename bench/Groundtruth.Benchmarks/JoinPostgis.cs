using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Groundtruth.Benchmarks.Tiers;
using Groundtruth.Domain;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;
using Npgsql;

namespace Groundtruth.Benchmarks;

/// <summary>What EXPLAIN said about a query: the plan's shape and its parallel workers.</summary>
internal sealed record PgPlan(string Shape, int WorkersPlanned, int? WorkersLaunched);

/// <summary>
/// The PostGIS baseline of the join benchmark: the tier's polygons and points in a fresh database
/// (<c>polys(gid, geom geometry(MultiPolygon,4326))</c>, <c>pts(pid, geom geometry(Point,4326))</c>, loaded
/// with COPY, a GiST index on each, VACUUM ANALYZE), and the equivalent SQL with <c>ST_Covers</c>.
/// Polygon <c>gid</c> is the polygon's index in the tier, so per-polygon counts compare one to one.
/// </summary>
internal sealed class JoinPostgis(string serverConnectionString) : IAsyncDisposable
{
    public const string CountSql = "SELECT count(*) FROM pts p WHERE EXISTS (SELECT 1 FROM polys g WHERE ST_Covers(g.geom, p.geom))";
    public const string PerPolygonSql = "SELECT g.gid, count(*) FROM polys g JOIN pts p ON ST_Covers(g.geom, p.geom) GROUP BY g.gid";

    private static readonly string[] SettingNames =
    [
        "max_parallel_workers_per_gather", "max_parallel_workers", "max_worker_processes", "work_mem", "shared_buffers",
        "effective_cache_size", "maintenance_work_mem", "jit", "random_page_cost", "parallel_setup_cost", "parallel_tuple_cost",
    ];

    private readonly string _database = $"{new NpgsqlConnectionStringBuilder(serverConnectionString).Database ?? "groundtruth"}_join_{Environment.ProcessId}";
    private NpgsqlConnection? _conn;

    public bool Keep { get; set; }
    public string Database => _database;

    private string Admin => new NpgsqlConnectionStringBuilder(serverConnectionString) { Database = "postgres", Pooling = false }.ConnectionString;

    private NpgsqlConnection Conn => _conn ?? throw new InvalidOperationException("the database is not created yet");

    /// <summary>Creates the fresh database (dropping a leftover of the same name) with PostGIS.</summary>
    public async Task CreateAsync()
    {
        await AdminAsync($"DROP DATABASE IF EXISTS \"{_database}\" WITH (FORCE)");
        await AdminAsync($"CREATE DATABASE \"{_database}\"");
        var builder = new NpgsqlConnectionStringBuilder(serverConnectionString) { Database = _database, Pooling = false, CommandTimeout = 0 };
        _conn = new NpgsqlConnection(builder.ConnectionString);
        await _conn.OpenAsync();
        await ExecAsync("CREATE EXTENSION IF NOT EXISTS postgis");
    }

    /// <summary>Loads the tier; returns the seconds of each step (copy, index, vacuum analyze).</summary>
    public async Task<Dictionary<string, double>> LoadAsync(TierData data)
    {
        var steps = new Dictionary<string, double>();
        var watch = Stopwatch.StartNew();
        void Step(string name)
        {
            steps[name] = Output.R(watch.Elapsed.TotalSeconds);
            watch.Restart();
        }
        await ExecAsync("CREATE TABLE polys (gid integer NOT NULL, geom geometry(MultiPolygon, 4326) NOT NULL)");
        await ExecAsync("CREATE TABLE pts (pid integer NOT NULL, geom geometry(Point, 4326) NOT NULL)");
        watch.Restart();

        var wkb = new WKBWriter(ByteOrder.LittleEndian, handleSRID: true, emitZ: false);
        await using (var writer = await Conn.BeginTextImportAsync("COPY polys (gid, geom) FROM STDIN"))
        {
            for (var i = 0; i < data.Polygons.Length; i++)
            {
                var g = data.Polygons[i];
                var multi = g as MultiPolygon ?? SpatialRules.Factory.CreateMultiPolygon([(Polygon)g]);
                multi.SRID = SpatialRules.Wgs84;
                await writer.WriteAsync(i.ToString(CultureInfo.InvariantCulture));
                await writer.WriteAsync('\t');
                await writer.WriteAsync(Convert.ToHexString(wkb.Write(multi)));
                await writer.WriteAsync('\n');
            }
        }
        Step("copy_polys_s");

        // Points as hex EWKB (little endian, type Point with the SRID flag, SRID 4326, x, y): no Point objects.
        await using (var writer = await Conn.BeginTextImportAsync("COPY pts (pid, geom) FROM STDIN"))
        {
            const string prefix = "0101000020E6100000";
            var line = new char[16 + prefix.Length + 32 + 2];
            Span<byte> bytes = stackalloc byte[16];
            for (var i = 0; i < data.PointCount; i++)
            {
                i.TryFormat(line, out var n, default, CultureInfo.InvariantCulture);
                line[n++] = '\t';
                prefix.CopyTo(line.AsSpan(n));
                n += prefix.Length;
                BinaryPrimitives.WriteDoubleLittleEndian(bytes, data.Xs[i]);
                BinaryPrimitives.WriteDoubleLittleEndian(bytes[8..], data.Ys[i]);
                Convert.TryToHexString(bytes, line.AsSpan(n), out var written);
                n += written;
                line[n++] = '\n';
                writer.Write(line, 0, n);
            }
        }
        Step("copy_points_s");
        await ExecAsync("CREATE INDEX polys_geom_gist ON polys USING gist (geom)");
        Step("index_polys_s");
        await ExecAsync("CREATE INDEX pts_geom_gist ON pts USING gist (geom)");
        Step("index_points_s");
        await ExecAsync("VACUUM (ANALYZE) polys");
        await ExecAsync("VACUUM (ANALYZE) pts");
        Step("vacuum_analyze_s");
        return steps;
    }

    /// <summary>The server's version and the settings that decide how the join runs.</summary>
    public async Task<Dictionary<string, object?>> SettingsAsync()
    {
        var result = new Dictionary<string, object?>
        {
            ["version"] = await ScalarAsync<string>("SHOW server_version"),
            ["postgis"] = await ScalarAsync<string>("SELECT extversion FROM pg_extension WHERE extname = 'postgis'"),
            ["postgis_full"] = await ScalarAsync<string>("SELECT postgis_lib_version() || ' (GEOS ' || postgis_geos_version() || ')'"),
        };
        foreach (var name in SettingNames) result[name] = await ScalarAsync<string>($"SHOW {name}");
        return result;
    }

    /// <summary>Reads the tables once (sequential scans), so the first timed query does not pay for cold pages.</summary>
    public async Task WarmAsync()
    {
        await ScalarAsync<long>("SELECT count(*) FROM polys WHERE NOT ST_IsEmpty(geom)");
        await ScalarAsync<long>("SELECT count(*) FROM pts WHERE NOT ST_IsEmpty(geom)");
    }

    /// <summary>The semi-join count and its seconds.</summary>
    public async Task<(long Count, double Seconds)> CountCoveredAsync()
    {
        var watch = Stopwatch.StartNew();
        var count = await ScalarAsync<long>(CountSql);
        return (count, watch.Elapsed.TotalSeconds);
    }

    /// <summary>Per polygon, the points it covers (index = gid), and the seconds to run the query and read its rows.</summary>
    public async Task<(long[] PerPolygon, double Seconds)> PerPolygonAsync(int polygons)
    {
        var counts = new long[polygons];
        var watch = Stopwatch.StartNew();
        await using (var cmd = new NpgsqlCommand(PerPolygonSql, Conn))
        await using (var reader = await cmd.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync()) counts[reader.GetInt32(0)] = reader.GetInt64(1);
        }
        return (counts, watch.Elapsed.TotalSeconds);
    }

    /// <summary>EXPLAIN of <paramref name="sql"/>, with ANALYZE (TIMING OFF) when asked (that runs the query).</summary>
    public async Task<PgPlan> ExplainAsync(string sql, bool analyze)
    {
        var json = await ScalarAsync<string>($"EXPLAIN ({(analyze ? "ANALYZE, TIMING OFF, " : "")}FORMAT JSON) {sql}");
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement[0].GetProperty("Plan");
        int planned = 0, launched = 0;
        var any = false;
        void Walk(JsonElement node)
        {
            if (node.TryGetProperty("Workers Planned", out var p)) planned = Math.Max(planned, p.GetInt32());
            if (node.TryGetProperty("Workers Launched", out var l)) { launched = Math.Max(launched, l.GetInt32()); any = true; }
            if (node.TryGetProperty("Plans", out var children)) foreach (var c in children.EnumerateArray()) Walk(c);
        }
        Walk(root);
        return new PgPlan(Shape(root), planned, analyze && any ? launched : analyze ? 0 : null);
    }

    /// <summary>A plan on one line: "Aggregate(Gather[2](Nested Loop Semi(Parallel Seq Scan pts, Index Scan polys_geom_gist)))".</summary>
    private static string Shape(JsonElement node)
    {
        var name = node.GetProperty("Node Type").GetString()!;
        if (node.TryGetProperty("Strategy", out var s) && name == "Aggregate") name = $"{s.GetString()} {name}";
        if (node.TryGetProperty("Partial Mode", out var pm) && pm.GetString() != "Simple") name = $"{pm.GetString()} {name}";
        if (node.TryGetProperty("Parallel Aware", out var pa) && pa.GetBoolean() && !name.StartsWith("Parallel", StringComparison.Ordinal)) name = "Parallel " + name;
        if (node.TryGetProperty("Join Type", out var j) && j.GetString() != "Inner") name += " " + j.GetString();
        if (node.TryGetProperty("Workers Planned", out var w)) name += $"[{w.GetInt32()}]";
        if (node.TryGetProperty("Index Name", out var ix)) name += " " + ix.GetString();
        else if (node.TryGetProperty("Relation Name", out var rel)) name += " " + rel.GetString();
        if (!node.TryGetProperty("Plans", out var children)) return name;
        return $"{name}({string.Join(", ", children.EnumerateArray().Select(Shape))})";
    }

    public async ValueTask DisposeAsync()
    {
        if (_conn is not null) await _conn.DisposeAsync();
        _conn = null;
        if (!Keep) await AdminAsync($"DROP DATABASE IF EXISTS \"{_database}\" WITH (FORCE)");
    }

    private async Task ExecAsync(string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, Conn);
        await cmd.ExecuteNonQueryAsync();
    }

    private async Task<T> ScalarAsync<T>(string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, Conn);
        return (T)(await cmd.ExecuteScalarAsync())!;
    }

    private async Task AdminAsync(string sql)
    {
        await using var conn = new NpgsqlConnection(Admin);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }
}
