using Groundtruth.Application.Demo;
using Groundtruth.Application.Storage;
using Groundtruth.Application.Tests.Demo;
using Groundtruth.Application.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Groundtruth.Application.Tests.Storage;

/// <summary>
/// <see cref="SqlRows.ReadAsync"/> steps SQLite's statement itself (on PostgreSQL, the ADO.NET reader) and shares repeated
/// texts and small numbers: every cell must equal, in value and type, what the plain ADO.NET reader gives for the same query — texts short and long, repeated and distinct,
/// accented and empty; whole numbers small and large; reals; blobs; nulls — and parameters bind as the reader's do.
/// </summary>
public sealed class SqlRowsTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task EveryKindOfCell_EqualsTheAdoReadersCell()
    {
        await using var database = await TestDatabase.CreateAsync(Backend.GeoPackage);
        var ct = TestContext.Current.CancellationToken;
        await using var db = database.Target.CreateContext();
        await db.Database.OpenConnectionAsync(ct);
        await db.Database.ExecuteSqlRawAsync("CREATE TEMP TABLE cells (k INTEGER, t TEXT, n INTEGER, r REAL, b BLOB)", ct);
        // 35,000 rows: a few repeated texts, more distinct ones than are shared (4,096), texts longer than are shared,
        // accents and an empty text; numbers inside and outside the boxed-once range, negative ones; a blob; nulls.
        var random = new Random(11);
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            await using var insert = db.Database.GetDbConnection().CreateCommand();
            insert.CommandText = "INSERT INTO cells VALUES (@k, @t, @n, @r, @b)";
            foreach (var name in new[] { "k", "t", "n", "r", "b" })
            {
                var p = insert.CreateParameter();
                p.ParameterName = name;
                insert.Parameters.Add(p);
            }
            for (var k = 0; k < 35000; k++)
            {
                object? text = (k % 7) switch
                {
                    0 => null,
                    1 => "cluster_munition_remnant",
                    2 => $"FND-{k:0000000}",
                    3 => "Ŝtaefaesul — défense, «brigade» " + new string('x', k % 40),
                    4 => "",
                    5 => new string('é', 30 + k % 30),
                    _ => (k % 3).ToString(System.Globalization.CultureInfo.InvariantCulture),
                };
                insert.Parameters[0].Value = k;
                insert.Parameters[1].Value = text ?? DBNull.Value;
                insert.Parameters[2].Value = k % 5 == 0 ? DBNull.Value : k % 3 == 0 ? random.NextInt64(-5_000_000_000, 5_000_000_000) : random.Next(0, 1100);
                insert.Parameters[3].Value = k % 4 == 0 ? DBNull.Value : random.NextDouble() * 1e6 - 5e5;
                insert.Parameters[4].Value = k % 9 == 0 ? new byte[] { 1, 2, (byte)k, 0, 255 } : DBNull.Value;
                await insert.ExecuteNonQueryAsync(ct);
            }
            await tx.CommitAsync(ct);
        }
        const string sql = "SELECT k, t, n, r, b, t || '' FROM cells WHERE k >= @from ORDER BY k";

        var fast = await SqlRows.ReadAsync(db, sql, ct, ("from", 2L));
        var ado = await SqlRows.ReadAdoAsync(db, sql, [("from", 2L)], ct);

        fast.Count.ShouldBe(34998);
        ShouldEqualCellByCell(fast, ado, "cells");
        fast.Select(r => r[1]).OfType<string>().Distinct().Count().ShouldBeGreaterThan(4096, "more distinct texts than are shared");
        // k = 8 and k = 15 hold the same category: one string for both.
        fast[6][1].ShouldBe("cluster_munition_remnant");
        ReferenceEquals(fast[6][1], fast[13][1]).ShouldBeTrue();
    }

    [Theory]
    [ClassData(typeof(Backends))]
    public async Task TheDemosTables_ReadAsTheAdoReaderReadsThem(Backend backend)
    {
        await using var database = await TestDatabase.CreateAsync(backend, initialise: false);
        await new DemoHandler(database.Target, new FixedClock(Now)).HandleAsync(new DemoRequest(Seed: 3, Scale: 1));
        var ct = TestContext.Current.CancellationToken;
        await using var db = database.Target.CreateContext();
        foreach (var sql in new[]
                 {
                     """SELECT c.*, a."occurred_on", a."min_x" FROM "casualties" c LEFT JOIN "accidents" a ON a."id" = c."accident_id" ORDER BY c."id" """,
                     """SELECT * FROM "finds" ORDER BY "id" """,
                     """SELECT * FROM "hazards" ORDER BY "id" """,
                 })
        {
            var fast = await SqlRows.ReadAsync(db, sql, ct);
            var ado = await SqlRows.ReadAdoAsync(db, sql, [], ct);
            fast.Count.ShouldBeGreaterThan(20, sql);
            // Repeated texts are one string (a source, a category): fewer distinct objects than cells holding them.
            var texts = fast.SelectMany(r => r).OfType<string>().ToList();
            texts.Distinct(ReferenceEqualityComparer.Instance).Count().ShouldBeLessThan(texts.Count, sql);
            ShouldEqualCellByCell(fast, ado, sql);
        }
    }

    /// <summary>The same rows, each cell of the same type and value (byte arrays by content).</summary>
    private static void ShouldEqualCellByCell(List<object?[]> fast, List<object?[]> ado, string what)
    {
        fast.Count.ShouldBe(ado.Count, what);
        for (var i = 0; i < fast.Count; i++)
        {
            fast[i].Length.ShouldBe(ado[i].Length, what);
            for (var c = 0; c < fast[i].Length; c++)
            {
                var (f, a) = (fast[i][c], ado[i][c]);
                (f?.GetType()).ShouldBe(a?.GetType(), $"{what}: row {i} column {c}");
                if (f is byte[] bytes) bytes.ShouldBe((byte[])a!, $"{what}: row {i} column {c}");
                else f.ShouldBe(a, $"{what}: row {i} column {c}");
            }
        }
    }

    [Fact]
    public async Task BadSql_IsSqlitesOwnError_AndTwoStatementsAreRefused()
    {
        await using var database = await TestDatabase.CreateAsync(Backend.GeoPackage);
        var ct = TestContext.Current.CancellationToken;
        await using var db = database.Target.CreateContext();

        var error = await Should.ThrowAsync<SqliteException>(() => SqlRows.ReadAsync(db, "SELECT x FROM nowhere", ct));
        error.Message.ShouldContain("no such table: nowhere");
        await Should.ThrowAsync<ArgumentException>(() => SqlRows.ReadAsync(db, "SELECT 1; SELECT 2", ct));
        (await Should.ThrowAsync<ArgumentException>(() => SqlRows.ReadAsync(db, "SELECT @a", ct, ("b", 1L)))).Message.ShouldContain("@b");
        (await SqlRows.ReadAsync(db, "SELECT @a, @b", ct, ("a", "x"), ("b", 2.5)))[0].ShouldBe(new object?[] { "x", 2.5 });
    }

    [Theory]
    [ClassData(typeof(Backends))]
    public async Task TypedCells_RefuseWhatTheAdoReaderRefuses_WithItsExceptions_AndReadTheirValues(Backend backend)
    {
        await using var database = await TestDatabase.CreateAsync(backend);
        var ct = TestContext.Current.CancellationToken;
        await using var db = database.Target.CreateContext();
        await db.Database.OpenConnectionAsync(ct);
        const string sql = "SELECT CAST(NULL AS TEXT), CAST(NULL AS DOUBLE PRECISION), CAST(NULL AS BIGINT), 'é', CAST(2.5 AS DOUBLE PRECISION), CAST(7 AS BIGINT), CAST(@big AS BIGINT)";
        static string Thrown(Action read)
        {
            try
            {
                read();
                return "nothing";
            }
            catch (Exception e)
            {
                return e.GetType().Name;
            }
        }
        // The same reads through the plain ADO.NET reader, whose exceptions the cells must throw.
        List<string> expected;
        await using (var plain = db.Database.GetDbConnection().CreateCommand())
        {
            plain.CommandText = sql;
            var p = plain.CreateParameter();
            p.ParameterName = "big";
            p.Value = 5_000_000_000L;
            plain.Parameters.Add(p);
            await using var reader = await plain.ExecuteReaderAsync(ct);
            (await reader.ReadAsync(ct)).ShouldBeTrue();
            expected = [Thrown(() => reader.GetString(0)), Thrown(() => reader.GetDouble(1)), Thrown(() => reader.GetInt64(2)), Thrown(() => reader.GetInt32(6)),
                Thrown(() => reader.GetValue(7)), Thrown(() => reader.IsDBNull(-1))];
        }
        expected.ShouldNotContain("nothing");

        await using var cmd = db.Database.GetDbConnection().CreateCommand();
        cmd.CommandText = sql;
        var seen = new List<string>();
        await RowCells.ReadAsync(cmd, [("big", 5_000_000_000L)], cells =>
        {
            (cells.IsDBNull(0), cells.IsDBNull(1), cells.IsDBNull(2), cells.IsDBNull(3)).ShouldBe((true, true, true, false));
            List<string> thrown = [Thrown(() => cells.GetString(0)), Thrown(() => cells.GetDouble(1)), Thrown(() => cells.GetInt64(2)), Thrown(() => cells.GetInt32(6)),
                Thrown(() => cells.GetValue(7)), Thrown(() => cells.IsDBNull(-1))];
            thrown.ShouldBe(expected);
            (cells.GetString(3), cells.GetDouble(4), cells.GetInt32(5), cells.GetInt64(6), cells.GetValue(0)).ShouldBe(("é", 2.5, 7, 5_000_000_000L, (object?)null));
            seen.Add(cells.GetString(3));
        }, ct);
        seen.ShouldBe(["é"]);
    }

    [Theory]
    [ClassData(typeof(Backends))]
    public async Task ParsedCells_ReadEmptyLongAndRepeatedTexts_AsTheirStrings_AndRefuseNull(Backend backend)
    {
        await using var database = await TestDatabase.CreateAsync(backend);
        var ct = TestContext.Current.CancellationToken;
        await using var db = database.Target.CreateContext();
        await db.Database.OpenConnectionAsync(ct);
        // An empty text (on SQLite its bytes are as empty as a NULL's), a text longer than the lookup without a string, accented
        // texts, one text repeated and one seen again after another: each parsed as its string is.
        var long1 = string.Concat(Enumerable.Repeat("é-long ", 20));
        string?[] texts = ["", "b", "b", "é", "", long1, "b", long1, "2024-01", null];
        var sql = string.Join(" UNION ALL ", texts.Select((t, i) => $"SELECT {i} AS n, {(t is null ? "CAST(NULL AS TEXT)" : $"'{t}'")} AS t")) + " ORDER BY n";
        var parsed = new ParsedText<string>(t => $"[{t}]");
        var seen = new List<string>();
        await using var cmd = db.Database.GetDbConnection().CreateCommand();
        cmd.CommandText = sql;
        await RowCells.ReadAsync(cmd, [], cells =>
        {
            // A NULL is refused as the ADO.NET reader refuses it on each store (InvalidOperationException, InvalidCastException).
            if (cells.IsDBNull(1)) seen.Add(Should.Throw<Exception>(() => cells.GetParsed(1, parsed)) is InvalidOperationException or InvalidCastException ? "refused" : "other");
            else seen.Add(cells.GetParsed(1, parsed));
        }, ct);
        seen.ShouldBe([.. texts.Take(texts.Length - 1).Select(t => $"[{t}]"), "refused"]);
    }

    [Fact]
    public async Task TextInNumberColumns_InvalidUtf8_AndNumbersReadAsText_AreTheAdoReadersValues()
    {
        await using var database = await TestDatabase.CreateAsync(Backend.GeoPackage);
        var ct = TestContext.Current.CancellationToken;
        await using var db = database.Target.CreateContext();
        const string sql = "SELECT CAST(x'ff41' AS TEXT), 'abc' + 0, CAST('12.5' AS REAL), CAST(3 AS TEXT), 'a' || char(0) || 'b', CAST(x'00ff' AS BLOB), 1e308 * 10";
        ShouldEqualCellByCell(await SqlRows.ReadAsync(db, sql, ct), await SqlRows.ReadAdoAsync(db, sql, [], ct), sql);
    }
}
