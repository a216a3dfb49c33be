using System.Globalization;
using System.Text;
using Groundtruth.Application.Datasets;
using Groundtruth.Application.Import;
using Groundtruth.Application.Tests.Support;
using Npgsql;

namespace Groundtruth.Application.Tests.Import;

/// <summary>
/// A first load into an empty PostgreSQL dataset, written straight into the versions table and the layer while the file
/// is read (<see cref="PostgresFirstLoad"/>): the same rows as the staged merges, and all or nothing.
/// </summary>
public sealed class FirstLoadImportTests
{
    private const int Rows = 25_000; // three of the writer's batches

    private static readonly DateTimeOffset Now = new(2026, 12, 5, 6, 0, 0, 123, TimeSpan.Zero);

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private static ImportHandler Importer(TestDatabase t, PostgresFirstLoadRoute route, Func<string, ulong>? idHash = null) =>
        new(t.Target, new FixedClock(Now)) { FirstLoads = new FirstLoadOptions(route, idHash) };

    /// <summary>
    /// Synthetic finds in the open South Atlantic: partial dates, empty optional fields, a quoted line break (so lines and
    /// records differ), text with commas, quotes and accents. <paramref name="edit"/> may change a record's fields by index.
    /// </summary>
    private static string WriteFinds(TestDatabase t, string name, int rows, Action<int, string[]>? edit = null)
    {
        string[] categories = ["anti_personnel_mine", "anti_vehicle_mine", "uxo", "cluster_munition_remnant", "axo", "booby_trap"];
        var text = new StringBuilder("id,found_on,category,model,quantity,production_year,depth_cm,booby_trapped,context,source,lon,lat\n");
        for (var i = 1; i <= rows; i++)
        {
            var day = new DateOnly(2016, 1, 1).AddDays(i % 3000);
            string[] fields =
            [
                $"FL-{i:D6}",
                (i % 14) switch { 0 => day.Year.ToString(CultureInfo.InvariantCulture), 7 => day.ToString("yyyy-MM", CultureInfo.InvariantCulture), _ => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) },
                categories[i % categories.Length],
                i % 7 == 0 ? "" : $"E-{i % 40:D3} M",
                (1 + i % 5).ToString(CultureInfo.InvariantCulture),
                i % 3 == 0 ? "" : (1970 + i % 45).ToString(CultureInfo.InvariantCulture),
                i % 4 == 0 ? "" : (i % 30 * 0.5).ToString(CultureInfo.InvariantCulture),
                i % 9 == 0 ? "true" : i % 2 == 0 ? "false" : "",
                i == 3 ? "\"north edge, by the \"\"old\"\" track\nsecond line\"" : i % 11 == 0 ? "\"área de pastoreo, borde sur\"" : "",
                "Fieldsafe Demining",
                (-25 + i % 1500 * 0.001).ToString("R", CultureInfo.InvariantCulture),
                (-32 + i % 1200 * 0.001).ToString("R", CultureInfo.InvariantCulture),
            ];
            edit?.Invoke(i, fields);
            text.Append(string.Join(',', fields)).Append('\n');
        }
        var path = Path.Combine(t.Directory, name);
        File.WriteAllText(path, text.ToString());
        return path;
    }

    /// <summary>The file line of record <paramref name="record"/> (1-based) in <see cref="WriteFinds"/>: the header is line 1, record 3 spans two lines.</summary>
    private static int LineOf(int record) => record + 1 + (record > 3 ? 1 : 0);

    /// <summary>
    /// Every stored row of the finds layer and its versions (every column but the generated row numbers, which the staged
    /// merges assign in their own order and a restaged load after its first attempt), the submissions and the import's
    /// audit entries (not their hashes, which chain from the init entry's time), as text in a fixed order.
    /// </summary>
    /// <param name="withSubmissionIds">False leaves out the submission ids, which a restaged load advanced in its first attempt.</param>
    private static async Task<Dictionary<string, List<string>>> ContentAsync(TestDatabase t, bool withSubmissionIds = true)
    {
        await using var conn = new NpgsqlConnection(t.Target.Value);
        await conn.OpenAsync();
        async Task<string> ColumnsAsync(string table, string except)
        {
            var submission = withSubmissionIds ? "" : " AND column_name <> 'submission_id'";
            await using var cmd = new NpgsqlCommand($"SELECT string_agg(quote_ident(column_name), ', ' ORDER BY ordinal_position) FROM information_schema.columns WHERE table_name = '{table}' AND table_schema = current_schema() AND column_name <> '{except}'{submission}", conn);
            return (string)(await cmd.ExecuteScalarAsync())!;
        }
        var queries = new Dictionary<string, string>
        {
            ["finds"] = $"SELECT ROW({await ColumnsAsync("finds", "fid")})::text FROM \"finds\" ORDER BY \"id\"",
            ["finds_versions"] = $"SELECT ROW({await ColumnsAsync("finds_versions", "version_id")})::text FROM \"finds_versions\" ORDER BY \"record_id\"",
            ["submissions"] = $"SELECT ROW({await ColumnsAsync("submissions", withSubmissionIds ? "" : "id")})::text FROM \"submissions\" ORDER BY \"id\"",
            ["audit_log"] = $"SELECT (\"at\", \"actor\", \"action\", \"dataset\", \"record_id\", {(withSubmissionIds ? "\"submission_id\"" : "NULL")}, \"detail\")::text FROM \"audit_log\" WHERE \"action\" <> 'init' ORDER BY \"id\"",
        };
        var content = new Dictionary<string, List<string>>();
        foreach (var (table, sql) in queries)
        {
            var rows = new List<string>();
            await using var cmd = new NpgsqlCommand(sql, conn);
            await using var r = await cmd.ExecuteReaderAsync();
            while (await r.ReadAsync()) rows.Add(r.GetString(0));
            content[table] = rows;
        }
        return content;
    }

    private static void ShouldBeSameRows(Dictionary<string, List<string>> actual, Dictionary<string, List<string>> expected)
    {
        foreach (var (table, rows) in expected)
        {
            actual[table].Count.ShouldBe(rows.Count, table);
            var first = Enumerable.Range(0, rows.Count).FirstOrDefault(i => actual[table][i] != rows[i], -1);
            first.ShouldBe(-1, first < 0 ? table : $"{table} row {first}: {actual[table][first]} instead of {rows[first]}");
        }
    }

    /// <summary>
    /// Watches the import from another connection each time it reports progress while reading: whether the layer was
    /// locked for the direct route then, and optionally an action of the test at a given count of records.
    /// </summary>
    private sealed class Watcher(TestDatabase t, long at = -1, Action<NpgsqlConnection>? action = null) : IProgress<ImportProgress>
    {
        public bool LayerLockedWhileReading { get; private set; }

        public void Report(ImportProgress value)
        {
            if (value.Phase != "validating" || value.Records == 0) return;
            using var conn = new NpgsqlConnection(t.Target.Value);
            conn.Open();
            using (var cmd = new NpgsqlCommand("""
                SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
                WHERE c.relname = 'finds' AND l.mode = 'ShareRowExclusiveLock' AND l.granted AND l.pid <> pg_backend_pid()
                """, conn))
            {
                if (Convert.ToInt64(cmd.ExecuteScalar(), CultureInfo.InvariantCulture) > 0) LayerLockedWhileReading = true;
            }
            if (value.Records == at) action?.Invoke(conn);
        }
    }

    [Theory]
    [InlineData(nameof(PostgresFirstLoadRoute.InsertSelect))]
    [InlineData(nameof(PostgresFirstLoadRoute.Staged))]
    public async Task FirstLoad_StoresTheSameRows_AsTheStagedMerge(string stagedRoute)
    {
        var staged = Enum.Parse<PostgresFirstLoadRoute>(stagedRoute);
        await using var direct = await TestDatabase.CreateAsync(Backend.Postgres);
        await using var other = await TestDatabase.CreateAsync(Backend.Postgres);
        var file = WriteFinds(direct, "finds.csv", Rows);

        var watcher = new Watcher(direct);
        var written = await Importer(direct, PostgresFirstLoadRoute.Direct).HandleAsync(new ImportRequest(DatasetCatalog.Finds, file, Actor: "test", Source: "survey 7"), watcher);
        var otherWatcher = new Watcher(other);
        var expected = await Importer(other, staged).HandleAsync(new ImportRequest(DatasetCatalog.Finds, file, Actor: "test", Source: "survey 7"), otherWatcher);

        watcher.LayerLockedWhileReading.ShouldBeTrue("the direct route writes while the file is read, under the lock");
        otherWatcher.LayerLockedWhileReading.ShouldBeFalse("a staged route touches the layer only at the merge");
        written.Inserted.ShouldBe(Rows);
        (written.Inserted, written.Updated, written.Unchanged, written.SubmissionId).ShouldBe((expected.Inserted, expected.Updated, expected.Unchanged, expected.SubmissionId));
        var content = await ContentAsync(direct);
        content["finds"].Count.ShouldBe(Rows);
        content["finds_versions"].Count.ShouldBe(Rows);
        ShouldBeSameRows(content, await ContentAsync(other));
        (await direct.ScalarTextAsync("SELECT \"data\" FROM \"finds_versions\" WHERE \"record_id\" = 'FL-000003'")).ShouldNotBeNull().ShouldContain("\"context\":\"north edge, by the \\u0022old\\u0022 track\\nsecond line\"", Case.Sensitive);
        (await direct.ScalarTextAsync("SELECT \"context\" FROM \"finds\" WHERE \"id\" = 'FL-000011'")).ShouldBe("\u00e1rea de pastoreo, borde sur");
        // The direct route numbers the layer's rows in the file's order.
        (await direct.ScalarTextAsync("SELECT \"id\" FROM \"finds\" WHERE \"fid\" = 77")).ShouldBe("FL-000077");
        // The audit chain still verifies after the direct route's entry.
        (await new Groundtruth.Application.Audit.AuditVerifier(direct.Target).VerifyAsync()).FirstBreak.ShouldBeNull();
    }

    [Fact]
    public async Task FirstLoad_DuplicateId_IsRefusedNamingBothLines_AndChangesNothing()
    {
        await using var t = await TestDatabase.CreateAsync(Backend.Postgres);
        var file = WriteFinds(t, "dup.csv", Rows, (i, f) =>
        {
            if (i == 24_000) f[0] = "FL-000005";
            if (i == 24_500) f[0] = "FL-020000";
        });
        var before = await t.FingerprintAsync();

        var e = await Should.ThrowAsync<ImportRejectedException>(() => Importer(t, PostgresFirstLoadRoute.Direct).HandleAsync(new ImportRequest(DatasetCatalog.Finds, file, Actor: "test")));

        e.Problems.Count.ShouldBe(2);
        e.Problems[0].ShouldBe(new ImportProblem(file, LineOf(24_000), "id", "FL-000005", $"duplicate id in the file (lines {LineOf(5)}, {LineOf(24_000)})"));
        e.Problems[1].ShouldBe(new ImportProblem(file, LineOf(24_500), "id", "FL-020000", $"duplicate id in the file (lines {LineOf(20_000)}, {LineOf(24_500)})"));
        (await t.FingerprintAsync()).ShouldBe(before);
        (await t.CountAsync("submissions")).ShouldBe(0);
        // The staged check names the same lines in the same words.
        var staged = await Should.ThrowAsync<ImportRejectedException>(() => Importer(t, PostgresFirstLoadRoute.InsertSelect).HandleAsync(new ImportRequest(DatasetCatalog.Finds, file, Actor: "test")));
        staged.Problems.ShouldBe(e.Problems);
    }

    [Fact]
    public async Task FirstLoad_BadValueLateInTheFile_ChangesNothing_AndTheFixedFileLoads()
    {
        await using var t = await TestDatabase.CreateAsync(Backend.Postgres);
        var bad = WriteFinds(t, "bad.csv", Rows, (i, f) =>
        {
            if (i == 24_900) f[2] = "landmine";
        });
        var before = await t.FingerprintAsync();

        var e = await Should.ThrowAsync<ImportRejectedException>(() => Importer(t, PostgresFirstLoadRoute.Direct).HandleAsync(new ImportRequest(DatasetCatalog.Finds, bad, Actor: "test")));

        var problem = e.Problems.ShouldHaveSingleItem();
        (problem.File, problem.Line, problem.Field, problem.Value).ShouldBe((bad, LineOf(24_900), "category", "landmine"));
        (await t.FingerprintAsync()).ShouldBe(before);
        (await t.CountAsync("submissions")).ShouldBe(0);

        var good = WriteFinds(t, "good.csv", Rows);
        var watcher = new Watcher(t);
        (await Importer(t, PostgresFirstLoadRoute.Direct).HandleAsync(new ImportRequest(DatasetCatalog.Finds, good, Actor: "test"), watcher)).Inserted.ShouldBe(Rows);
        watcher.LayerLockedWhileReading.ShouldBeTrue("still a first load: the rejected file left the tables empty");
        (await t.CountAsync("finds")).ShouldBe(Rows);
    }

    [Fact]
    public async Task FirstLoad_ConnectionKilledMidway_ChangesNothing()
    {
        await using var t = await TestDatabase.CreateAsync(Backend.Postgres);
        var file = WriteFinds(t, "finds.csv", Rows);
        var before = await t.FingerprintAsync();
        // At 20,000 records read, two batches have gone to the server: end the import's session from outside, as a killed client would.
        var watcher = new Watcher(t, at: 20_000, action: conn =>
        {
            using var cmd = new NpgsqlCommand("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()", conn);
            Convert.ToInt64(cmd.ExecuteScalar(), CultureInfo.InvariantCulture).ShouldBeGreaterThan(0);
        });

        Exception? failure = null;
        try
        {
            await Importer(t, PostgresFirstLoadRoute.Direct).HandleAsync(new ImportRequest(DatasetCatalog.Finds, file, Actor: "test"), watcher);
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException or IOException)
        {
            failure = e;
        }

        failure.ShouldNotBeNull("the import cannot finish once its session is gone");

        watcher.LayerLockedWhileReading.ShouldBeTrue();
        NpgsqlConnection.ClearAllPools();
        (await t.FingerprintAsync()).ShouldBe(before);
        (await t.CountAsync("submissions")).ShouldBe(0);
    }

    [Fact]
    public async Task FirstLoad_CancelledMidway_ChangesNothing()
    {
        await using var t = await TestDatabase.CreateAsync(Backend.Postgres);
        var file = WriteFinds(t, "finds.csv", Rows);
        var before = await t.FingerprintAsync();
        using var cancel = new CancellationTokenSource();
        var watcher = new Watcher(t, at: 20_000, action: _ => cancel.Cancel());

        await Should.ThrowAsync<OperationCanceledException>(() => Importer(t, PostgresFirstLoadRoute.Direct).HandleAsync(new ImportRequest(DatasetCatalog.Finds, file, Actor: "test"), watcher, cancel.Token));

        (await t.FingerprintAsync()).ShouldBe(before);
        (await t.CountAsync("submissions")).ShouldBe(0);
    }

    [Fact]
    public async Task FirstLoad_IdHashCollision_IsStagedAgain_AndStoresEveryRecord()
    {
        await using var t = await TestDatabase.CreateAsync(Backend.Postgres);
        await using var expected = await TestDatabase.CreateAsync(Backend.Postgres);
        var file = WriteFinds(t, "finds.csv", 3_000);

        // A hash with many collisions (ids of one length and last digit share it): different ids, no duplicate.
        var result = await Importer(t, PostgresFirstLoadRoute.Direct, id => (ulong)(id.Length * 10 + id[^1] - '0')).HandleAsync(new ImportRequest(DatasetCatalog.Finds, file, Actor: "test"));
        await Importer(expected, PostgresFirstLoadRoute.InsertSelect).HandleAsync(new ImportRequest(DatasetCatalog.Finds, file, Actor: "test"));

        result.Inserted.ShouldBe(3_000);
        ShouldBeSameRows(await ContentAsync(t, withSubmissionIds: false), await ContentAsync(expected, withSubmissionIds: false));
    }

    [Fact]
    public async Task FirstLoad_DuplicateAmongCollisions_IsStillNamedWithBothLines()
    {
        await using var t = await TestDatabase.CreateAsync(Backend.Postgres);
        var file = WriteFinds(t, "dup.csv", 3_000, (i, f) =>
        {
            if (i == 2_500) f[0] = "FL-000010";
        });
        var before = await t.FingerprintAsync();

        var e = await Should.ThrowAsync<ImportRejectedException>(() =>
            Importer(t, PostgresFirstLoadRoute.Direct, id => (ulong)id.Length).HandleAsync(new ImportRequest(DatasetCatalog.Finds, file, Actor: "test")));

        e.Problems.ShouldHaveSingleItem().ShouldBe(new ImportProblem(file, LineOf(2_500), "id", "FL-000010", $"duplicate id in the file (lines {LineOf(10)}, {LineOf(2_500)})"));
        (await t.FingerprintAsync()).ShouldBe(before);
    }

    [Fact]
    public async Task LaterLoad_IntoALayerWithRecords_IsMergedAsBefore()
    {
        await using var t = await TestDatabase.CreateAsync(Backend.Postgres);
        var first = WriteFinds(t, "first.csv", 100);
        await Importer(t, PostgresFirstLoadRoute.Direct).HandleAsync(new ImportRequest(DatasetCatalog.Finds, first, Actor: "test"));
        var second = WriteFinds(t, "second.csv", 150, (i, f) =>
        {
            if (i == 50) f[4] = "9";
        });

        var watcher = new Watcher(t);
        var result = await Importer(t, PostgresFirstLoadRoute.Direct).HandleAsync(new ImportRequest(DatasetCatalog.Finds, second, Actor: "test"), watcher);

        watcher.LayerLockedWhileReading.ShouldBeFalse();
        (result.Inserted, result.Updated, result.Unchanged).ShouldBe((50, 1, 99));
        (await t.CountAsync("finds")).ShouldBe(150);
        (await t.CountAsync("finds_versions")).ShouldBe(151);
    }
}
