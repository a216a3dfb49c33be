using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace Groundtruth.Benchmarks.E2e;

/// <summary>
/// The same questions as the verbs, written as SQL and answered by PostgreSQL/PostGIS itself on the demo database.
/// Dates are stored as ISO text of 1–3 parts, so <c>d &gt;= '2023-11-01'</c> keeps what lies wholly on or after
/// the day (a year or month that straddles it sorts before it), as the statistics do. The bench gives PostGIS
/// its best shot: GiST indexes on the geometries it joins and a btree on land_release.hazard_id (bench-only,
/// created if missing), then ANALYZE.
/// </summary>
internal static class E2eSql
{
    private const string CasualtyDate = "coalesce(c.occurred_on, a.occurred_on)";
    private const string Casualties = "casualties c LEFT JOIN accidents a ON a.id = c.accident_id";

    public static readonly IReadOnlyDictionary<string, string> Questions = new Dictionary<string, string>
    {
        ["casualties_by_outcome"] = $"SELECT c.outcome, count(*) FROM {Casualties} WHERE {CasualtyDate} >= '1996-11-27' GROUP BY 1",
        ["casualties_by_outcome_status"] = $"SELECT c.outcome, c.status, count(*) FROM {Casualties} WHERE {CasualtyDate} >= '2023-11-01' GROUP BY 1, 2",
        ["casualties_journalists"] = $"SELECT c.outcome, count(*) FROM {Casualties} WHERE {CasualtyDate} >= '1996-11-27' AND c.occupation = 'journalist' GROUP BY 1",
        ["casualties_women"] = $"SELECT c.outcome, count(*) FROM {Casualties} WHERE {CasualtyDate} >= '1996-11-27' AND c.sex = 'female' AND c.age_group = 'adult' GROUP BY 1",
        ["casualties_civilian_age"] = $"SELECT c.age_group, count(*) FROM {Casualties} WHERE {CasualtyDate} >= '1996-11-27' AND c.status = 'civilian' GROUP BY 1",
        ["finds_model_in_district"] = """
            SELECT f.production_year, sum(f.quantity), count(*) FROM finds f JOIN places p ON p.name = 'Truvroudum' AND ST_Covers(p.geom, f.geom)
            WHERE f.model = 'E-001 M' AND f.category = 'anti_personnel_mine' AND f.found_on >= '2023-11-01' GROUP BY 1
            """,
        ["finds_booby_traps"] = """
            SELECT f.context, p.id, sum(f.quantity), count(*) FROM finds f
            LEFT JOIN LATERAL (SELECT p.id FROM places p WHERE ST_Covers(p.geom, f.geom) AND ST_Dimension(p.geom) = 2 ORDER BY ST_Area(p.geom) LIMIT 1) p ON true
            WHERE f.category = 'booby_trap' AND f.found_on = '2023-12-16' GROUP BY 1, 2
            """,
        ["accidents_by_kind"] = "SELECT kind, count(*) FROM accidents WHERE occurred_on >= '2023-11-01' GROUP BY 1",
        ["duplicates"] = """
            SELECT (SELECT count(*) FROM (SELECT 1 FROM casualties WHERE accident_id IS NOT NULL GROUP BY accident_id, sex, age_group, outcome HAVING count(*) > 1) d),
                   (SELECT count(*) FROM (SELECT 1 FROM finds GROUP BY found_on, category, model, geom HAVING count(*) > 1) e)
            """,
        ["residual_hazards"] = """
            SELECT h.id, ST_Area(geography(CASE WHEN u.geom IS NULL THEN h.geom ELSE ST_Difference(h.geom, u.geom) END))
            FROM hazards h LEFT JOIN LATERAL (SELECT ST_Union(r.geom) AS geom FROM land_release r WHERE r.hazard_id = h.id) u ON true
            WHERE h.status IN ('open', 'worked_on')
            """,
        ["land_release_by_method"] = """
            SELECT r.method, sum(ST_Area(geography(ST_Intersection(r.geom, h.geom)))) FROM land_release r JOIN hazards h ON h.id = r.hazard_id
            WHERE r.released_on >= '2023' AND r.released_on < '2024' GROUP BY 1
            """,
        ["record_accuracy"] = """
            SELECT (SELECT count(*) FROM minefield_records m WHERE EXISTS (SELECT 1 FROM finds f WHERE ST_DWithin(m.geom, f.geom, 0.00045))),
                   (SELECT count(*) FROM finds f WHERE EXISTS (SELECT 1 FROM minefield_records m WHERE ST_DWithin(m.geom, f.geom, 0.00045))),
                   (SELECT count(*) FROM accidents a WHERE NOT EXISTS (SELECT 1 FROM minefield_records m WHERE ST_DWithin(m.geom, a.geom, 0.00045)))
            """,
    };

    private static readonly string[] Prepare =
    [
        "CREATE INDEX IF NOT EXISTS e2e_finds_geom ON finds USING gist (geom)",
        "CREATE INDEX IF NOT EXISTS e2e_accidents_geom ON accidents USING gist (geom)",
        "CREATE INDEX IF NOT EXISTS e2e_places_geom ON places USING gist (geom)",
        "CREATE INDEX IF NOT EXISTS e2e_records_geom ON minefield_records USING gist (geom)",
        "CREATE INDEX IF NOT EXISTS e2e_release_hazard ON land_release (hazard_id)",
        "ANALYZE",
    ];

    /// <summary>Times every question <paramref name="runs"/> times (median); a statement past the timeout is recorded as such.</summary>
    public static async Task<Dictionary<string, SqlTime>> TimeAsync(string connectionString, IEnumerable<string> keys, int runs, TimeSpan timeout)
    {
        var result = new Dictionary<string, SqlTime>();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        foreach (var sql in Prepare)
        {
            await using var cmd = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
            await cmd.ExecuteNonQueryAsync();
        }
        await using (var set = new NpgsqlCommand(string.Create(CultureInfo.InvariantCulture, $"SET statement_timeout = {(long)timeout.TotalMilliseconds}"), connection))
            await set.ExecuteNonQueryAsync();
        foreach (var key in keys.Distinct())
        {
            var times = new List<double>();
            SqlTime? failed = null;
            for (var i = 0; i < runs && failed is null; i++)
            {
                var sw = Stopwatch.StartNew();
                try
                {
                    await using var cmd = new NpgsqlCommand(Questions[key], connection) { CommandTimeout = 0 };
                    await using var reader = await cmd.ExecuteReaderAsync();
                    var rows = 0;
                    while (await reader.ReadAsync()) rows++;
                    times.Add(sw.Elapsed.TotalSeconds);
                }
                catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.QueryCanceled)
                {
                    failed = SqlTime.Timeout;
                }
                catch (PostgresException e)
                {
                    failed = new SqlTime(null, "error " + e.SqlState);
                    Output.Note($"  SQL {key}: {e.MessageText}");
                }
            }
            result[key] = failed ?? new SqlTime(VerbRow.Median(times));
            Output.Note($"  SQL {key}: {(result[key].Seconds is { } s ? E2eReport.Seconds(s) : result[key].Note)}");
        }
        return result;
    }
}
