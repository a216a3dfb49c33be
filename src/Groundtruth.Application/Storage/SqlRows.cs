using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using SQLitePCL;

namespace Groundtruth.Application.Storage;

/// <summary>
/// Every row of a SQL query as an array of values — a string, a long, a double, a byte array or null per cell, as the
/// ADO.NET reader gives them — for the commands that read whole tables at national scale (issue 11: a million finds,
/// 272,000 casualties). On the GeoPackage the rows are stepped straight from SQLite's statement, without the ADO.NET
/// reader's per-cell type query and handle checks, and a text repeated in a column (a category, a source, a date) is
/// one string however many rows hold it: the same values, about three times faster and in less memory
/// (docs/benchmarks.md, eleventh round). Tests compare both paths cell by cell.
/// </summary>
public static class SqlRows
{
    /// <summary>Texts up to this many bytes are shared between the rows of a column.</summary>
    private const int ShareBytes = 48;

    /// <summary>After this many distinct texts a column is taken to hold names or identifiers and is no longer shared.</summary>
    private const int ShareDistinct = 4096;

    /// <summary>Small whole numbers (a quantity, an age) boxed once, shared by every row that holds them.</summary>
    private static readonly object[] SmallNumbers = [.. Enumerable.Range(0, 1024).Select(n => (object)(long)n)];

    /// <param name="parameters">Named values (<c>@name</c> in the SQL): text, whole numbers or reals.</param>
    public static async Task<List<object?[]>> ReadAsync(GroundtruthDbContext db, string sql, CancellationToken ct, params (string Name, object Value)[] parameters)
    {
        await db.Database.OpenConnectionAsync(ct);
        var connection = db.Database.GetDbConnection();
        if (connection is SqliteConnection { Handle: { } handle }) return ReadSqlite(handle, sql, parameters, ct);
        return await ReadAdoAsync(db, sql, parameters, ct);
    }

    /// <summary>The ADO.NET reader's rows (PostgreSQL; and the GeoPackage's, to compare the fast path against).</summary>
    public static async Task<List<object?[]>> ReadAdoAsync(GroundtruthDbContext db, string sql, (string Name, object Value)[] parameters, CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct);
        await using var cmd = db.Database.GetDbConnection().CreateCommand();
        cmd.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var p = cmd.CreateParameter();
            p.ParameterName = name;
            p.Value = value;
            cmd.Parameters.Add(p);
        }
        cmd.CommandTimeout = 0;
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var rows = new List<object?[]>();
        var columns = r.FieldCount;
        while (await r.ReadAsync(ct))
        {
            var row = new object?[columns];
            // GetValue gives DBNull for a NULL (the ADO.NET contract): one call per cell instead of IsDBNull and GetValue.
            for (var i = 0; i < row.Length; i++) row[i] = r.GetValue(i) is var v && v is not DBNull ? v : null;
            rows.Add(row);
        }
        return rows;
    }

    private static List<object?[]> ReadSqlite(sqlite3 handle, string sql, (string Name, object Value)[] parameters, CancellationToken ct)
    {
        var rc = raw.sqlite3_prepare_v2(handle, sql, out var stmt, out var tail);
        if (rc != raw.SQLITE_OK) SqliteException.ThrowExceptionForRC(rc, handle);
        if (!string.IsNullOrWhiteSpace(tail)) throw new ArgumentException("One SQL statement is read at a time.", nameof(sql));
        using (stmt)
        {
            foreach (var (name, value) in parameters) Bind(handle, stmt, name, value);
            var columns = raw.sqlite3_column_count(stmt);
            var shared = new Dictionary<string, string>?[columns];
            for (var i = 0; i < columns; i++) shared[i] = new Dictionary<string, string>(StringComparer.Ordinal);
            var rows = new List<object?[]>();
            Span<char> chars = stackalloc char[ShareBytes];
            var busySince = 0L;
            while (true)
            {
                rc = raw.sqlite3_step(stmt);
                if (rc == raw.SQLITE_DONE) break;
                if (rc is raw.SQLITE_BUSY or raw.SQLITE_LOCKED)
                {
                    // Another writer holds the file for a moment (as the ADO.NET reader does, wait for it, here up to 30 s).
                    if (busySince == 0) busySince = Environment.TickCount64;
                    else if (Environment.TickCount64 - busySince > 30_000) SqliteException.ThrowExceptionForRC(rc, handle);
                    Thread.Sleep(10);
                    continue;
                }
                if (rc != raw.SQLITE_ROW) SqliteException.ThrowExceptionForRC(rc, handle);
                busySince = 0;
                if ((rows.Count & 4095) == 0) ct.ThrowIfCancellationRequested();
                var row = new object?[columns];
                for (var i = 0; i < columns; i++)
                {
                    switch (raw.sqlite3_column_type(stmt, i))
                    {
                        case raw.SQLITE_INTEGER:
                            var n = raw.sqlite3_column_int64(stmt, i);
                            row[i] = n is >= 0 and < 1024 ? SmallNumbers[n] : n;
                            break;
                        case raw.SQLITE_FLOAT: row[i] = raw.sqlite3_column_double(stmt, i); break;
                        case raw.SQLITE_TEXT: row[i] = Text(raw.sqlite3_column_blob(stmt, i), ref shared[i], chars); break;
                        case raw.SQLITE_BLOB: row[i] = raw.sqlite3_column_blob(stmt, i).ToArray(); break;
                        default: row[i] = null; break;
                    }
                }
                rows.Add(row);
            }
            return rows;
        }
    }

    /// <summary>A cell's text, the column's earlier string when it held the same bytes.</summary>
    private static string Text(ReadOnlySpan<byte> utf8, ref Dictionary<string, string>? shared, Span<char> chars)
    {
        if (shared is null || utf8.Length > ShareBytes) return Encoding.UTF8.GetString(utf8);
        var text = chars[..Encoding.UTF8.GetChars(utf8, chars)];
        var lookup = shared.GetAlternateLookup<ReadOnlySpan<char>>();
        if (lookup.TryGetValue(text, out var known)) return known;
        var made = new string(text);
        if (shared.Count < ShareDistinct) shared.Add(made, made);
        else shared = null;
        return made;
    }

    private static void Bind(sqlite3 handle, sqlite3_stmt stmt, string name, object value)
    {
        var index = raw.sqlite3_bind_parameter_index(stmt, name.StartsWith('@') ? name : "@" + name);
        if (index == 0) throw new ArgumentException($"The SQL has no parameter @{name.TrimStart('@')}.", nameof(name));
        var rc = value switch
        {
            string s => raw.sqlite3_bind_text(stmt, index, s),
            int n => raw.sqlite3_bind_int64(stmt, index, n),
            long n => raw.sqlite3_bind_int64(stmt, index, n),
            double d => raw.sqlite3_bind_double(stmt, index, d),
            _ => throw new ArgumentException($"Parameter @{name}: {value.GetType().Name} values are not read by this path.", nameof(value)),
        };
        if (rc != raw.SQLITE_OK) SqliteException.ThrowExceptionForRC(rc, handle);
    }
}
