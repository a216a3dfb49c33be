using System.Data.Common;
using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Groundtruth.Application.Storage;

/// <summary>
/// The cells of the current row of a query read at national scale (issue 11: a million finds, 272,000 casualties), by
/// column index, with the ADO.NET reader's names and meanings. On the GeoPackage the row is SQLite's statement itself,
/// read without the ADO.NET reader's per-cell type query and checks, and a short text repeated in a column (a category,
/// a source, a date) is one string however many rows hold it; elsewhere (PostgreSQL) it is the ADO.NET reader, whose
/// repeated texts and small numbers <see cref="GetValue"/> also keeps once.
/// <see cref="RawRows"/> and <see cref="SqlRows"/> read through it; tests compare both paths cell by cell.
/// </summary>
public sealed class RowCells
{
    /// <summary>Texts up to this many bytes are shared between the rows of a column.</summary>
    private const int ShareBytes = 48;

    /// <summary>After this many distinct texts a column is taken to hold names or identifiers and is no longer shared.</summary>
    private const int ShareDistinct = 4096;

    /// <summary>Small whole numbers (a quantity, an age) boxed once, shared by every row that holds them.</summary>
    private static readonly object[] SmallNumbers = [.. Enumerable.Range(0, 1024).Select(n => (object)(long)n)];

    private static readonly object[] SmallInts = [.. Enumerable.Range(0, 1024).Select(n => (object)n)];

    private readonly DbDataReader? _reader;
    private readonly sqlite3_stmt? _statement;

    /// <summary>The statement's raw handle for <see cref="SqliteColumns"/> while <see cref="ReadSqlite"/> holds it (0: SQLitePCL's calls).</summary>
    private readonly nint _handle;
    private readonly Dictionary<string, string>?[] _shared = [];
    private readonly char[] _chars = new char[ShareBytes];

    private RowCells(DbDataReader reader) : this(reader.FieldCount) => _reader = reader;

    private RowCells(sqlite3_stmt statement, nint handle) : this(raw.sqlite3_column_count(statement)) => (_statement, _handle) = (statement, handle);

    private RowCells(int fieldCount)
    {
        FieldCount = fieldCount;
        _shared = new Dictionary<string, string>?[FieldCount];
        for (var i = 0; i < FieldCount; i++) _shared[i] = new Dictionary<string, string>(StringComparer.Ordinal);
    }

    public int FieldCount { get; }

    public bool IsDBNull(int i) => Statement(i) is { } s ? Type(s, i) == raw.SQLITE_NULL : _reader!.IsDBNull(i);

    public double GetDouble(int i) => Statement(i) is { } s ? NotNull(s, i, _handle != 0 ? SqliteColumns.Double(_handle, i) : raw.sqlite3_column_double(s, i)) : _reader!.GetDouble(i);

    public long GetInt64(int i) => Statement(i) is { } s ? NotNull(s, i, _handle != 0 ? SqliteColumns.Int64(_handle, i) : raw.sqlite3_column_int64(s, i)) : _reader!.GetInt64(i);

    public int GetInt32(int i) => _statement is not null ? checked((int)GetInt64(i)) : _reader!.GetInt32(i);

    public string GetString(int i)
    {
        if (Statement(i) is not { } s) return _reader!.GetString(i);
        if (Type(s, i) == raw.SQLITE_NULL) throw Null(i);
        return Text(Bytes(s, i), ref _shared[i]);
    }

    /// <summary>
    /// Cell <paramref name="i"/>'s text as <paramref name="parsed"/> parses it. On the GeoPackage's raw reader the cell's bytes
    /// are compared with the previous row's first: a column that repeats from row to row (the finds' dates, categories and
    /// emplacements, written in order) is neither decoded nor looked up again (issue 16: three such columns were a third of
    /// the time of reading a million finds).
    /// </summary>
    public T GetParsed<T>(int i, ParsedText<T> parsed)
    {
        if (Statement(i) is not { } s) return parsed[_reader!.GetString(i)];
        var utf8 = Bytes(s, i);
        // An empty cell may be NULL: only then is the type asked for.
        if (utf8.IsEmpty && Type(s, i) == raw.SQLITE_NULL) throw Null(i);
        if (parsed.IsLast(utf8, out var same)) return same;
        var value = parsed.Parse(utf8);
        parsed.Remember(utf8, value);
        return value;
    }

    /// <summary>A geometry cell as EF reads it: on SQLite a GeoPackage blob (<see cref="GeoPackageBlob.Read"/>), on PostgreSQL the provider's geometry.</summary>
    public NetTopologySuite.Geometries.Geometry GetGeometry(int i)
    {
        if (Statement(i) is not { } s)
            return _reader is SqliteDataReader sqlite ? GeoPackageBlob.Read(sqlite.IsDBNull(i) ? throw Null(i) : (byte[])sqlite.GetValue(i)) : _reader!.GetFieldValue<NetTopologySuite.Geometries.Geometry>(i);
        if (Type(s, i) == raw.SQLITE_NULL) throw Null(i);
        return GeoPackageBlob.Read(Bytes(s, i).ToArray());
    }

    /// <summary>The cell as the ADO.NET reader's <c>GetValue</c> gives it — a long, double, string or byte array — or null for NULL.</summary>
    public object? GetValue(int i)
    {
        if (Statement(i) is not { } s)
        {
            // The reader made this cell's object already; a repeated text or a small number is kept as the column's
            // earlier one, so a million rows hold a few thousand strings, not millions (less to keep, less to collect).
            return _reader!.GetValue(i) switch
            {
                DBNull => null,
                string text when text.Length <= ShareBytes / 2 => Shared(text, ref _shared[i]),
                int n when n is >= 0 and < 1024 => SmallInts[n],
                long n when n is >= 0 and < 1024 => SmallNumbers[n],
                var v => v,
            };
        }
        switch (Type(s, i))
        {
            case raw.SQLITE_INTEGER:
                var n = _handle != 0 ? SqliteColumns.Int64(_handle, i) : raw.sqlite3_column_int64(s, i);
                return n is >= 0 and < 1024 ? SmallNumbers[n] : n;
            case raw.SQLITE_FLOAT: return _handle != 0 ? SqliteColumns.Double(_handle, i) : raw.sqlite3_column_double(s, i);
            case raw.SQLITE_TEXT: return Text(Bytes(s, i), ref _shared[i]);
            case raw.SQLITE_BLOB: return Bytes(s, i).ToArray();
            default: return null;
        }
    }

    /// <summary>Every row of <paramref name="command"/>'s SQL, each handed to <paramref name="row"/> while it is current.</summary>
    /// <param name="parameters">Named values (<c>@name</c> in the SQL): text, whole numbers or reals.</param>
    public static async Task ReadAsync(DbCommand command, (string Name, object Value)[] parameters, Action<RowCells> row, CancellationToken ct)
    {
        // A whole table at national scale: no time limit, on either store (the token stops it).
        command.CommandTimeout = 0;
        if (command.Connection is SqliteConnection { Handle: { } handle } && IsUtf8(handle))
        {
            ReadSqlite(handle, command.CommandText, parameters, command.CommandTimeout, row, ct);
            return;
        }
        AddParameters(command, parameters);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var cells = new RowCells(reader);
        while (await reader.ReadAsync(ct)) row(cells);
    }

    /// <summary>Named values (<c>@name</c> in the SQL) as the ADO.NET command's parameters.</summary>
    internal static void AddParameters(DbCommand command, (string Name, object Value)[] parameters)
    {
        foreach (var (name, value) in parameters)
        {
            var p = command.CreateParameter();
            p.ParameterName = name;
            p.Value = value;
            command.Parameters.Add(p);
        }
    }

    /// <summary>Texts are read as their stored bytes: only from a database whose text is UTF-8 (a GeoPackage's always is; another file's may not be).</summary>
    private static bool IsUtf8(sqlite3 handle)
    {
        if (raw.sqlite3_prepare_v2(handle, "PRAGMA encoding", out var pragma) != raw.SQLITE_OK) return false;
        using (pragma)
            return raw.sqlite3_step(pragma) == raw.SQLITE_ROW && raw.sqlite3_column_blob(pragma, 0).SequenceEqual("UTF-8"u8);
    }

    /// <param name="timeout">Seconds to wait for a file another connection holds, before the first row (0: as long as it takes), as the ADO.NET command waits.</param>
    private static void ReadSqlite(sqlite3 handle, string sql, (string Name, object Value)[] parameters, int timeout, Action<RowCells> row, CancellationToken ct)
    {
        var rc = raw.sqlite3_prepare_v2(handle, sql, out var statement, out var tail);
        if (rc != raw.SQLITE_OK) SqliteException.ThrowExceptionForRC(rc, handle);
        using (statement)
        {
            if (!string.IsNullOrWhiteSpace(tail)) throw new ArgumentException("One SQL statement is read at a time.", nameof(sql));
            foreach (var (name, value) in parameters) Bind(handle, statement, name, value);
            // The statement's raw handle is used only while the safe handle is held here.
            var held = false;
            statement.DangerousAddRef(ref held);
            try
            {
                var native = statement.DangerousGetHandle();
                Step(statement, SqliteColumns.Reads(native, handle.DangerousGetHandle()) ? native : 0, handle, timeout, row, ct);
            }
            finally
            {
                if (held) statement.DangerousRelease();
            }
        }
    }

    /// <summary>Steps <paramref name="statement"/> to its end, each row handed to <paramref name="row"/>; through <paramref name="native"/>, its raw handle, when not 0.</summary>
    private static void Step(sqlite3_stmt statement, nint native, sqlite3 handle, int timeout, Action<RowCells> row, CancellationToken ct)
    {
        var cells = new RowCells(statement, native);
        var busySince = 0L;
        for (var count = 0L; ; count++)
        {
            var rc = native != 0 ? SqliteColumns.Step(native) : raw.sqlite3_step(statement);
            if (rc == raw.SQLITE_DONE) return;
            if (rc is raw.SQLITE_BUSY or raw.SQLITE_LOCKED && count == 0)
            {
                // Another connection holds the file: wait for it before the first row, as the ADO.NET reader does (after
                // rows were read, a retry would read them again: the error is the caller's, as from the reader).
                if (busySince == 0) busySince = Environment.TickCount64;
                else if (timeout > 0 && Environment.TickCount64 - busySince > timeout * 1000L) SqliteException.ThrowExceptionForRC(rc, handle);
                ct.ThrowIfCancellationRequested();
                raw.sqlite3_reset(statement);
                Thread.Sleep(10);
                count--;
                continue;
            }
            if (rc != raw.SQLITE_ROW) SqliteException.ThrowExceptionForRC(rc, handle);
            busySince = 0;
            // Stepped directly, without a task per row; the token checked every few thousand rows.
            if ((count & 4095) == 0) ct.ThrowIfCancellationRequested();
            row(cells);
        }
    }

    /// <summary>A cell's text, the column's earlier string when it held the same bytes.</summary>
    private string Text(ReadOnlySpan<byte> utf8, ref Dictionary<string, string>? shared)
    {
        if (shared is null || utf8.Length > ShareBytes) return Encoding.UTF8.GetString(utf8);
        var text = _chars.AsSpan(0, Encoding.UTF8.GetChars(utf8, _chars));
        var lookup = shared.GetAlternateLookup<ReadOnlySpan<char>>();
        if (lookup.TryGetValue(text, out var known)) return known;
        var made = new string(text);
        if (shared.Count < ShareDistinct) shared.Add(made, made);
        else shared = null;
        return made;
    }

    /// <summary>A text the reader decoded, the column's earlier string when it was the same.</summary>
    private static string Shared(string text, ref Dictionary<string, string>? shared)
    {
        if (shared is null) return text;
        if (shared.TryGetValue(text, out var known)) return known;
        if (shared.Count < ShareDistinct) shared.Add(text, text);
        else shared = null;
        return text;
    }

    /// <summary>The statement (null: the ADO.NET reader), a column outside the row refused as the reader refuses it.</summary>
    private sqlite3_stmt? Statement(int i) =>
        _statement is null ? null : (uint)i < (uint)FieldCount ? _statement : throw new ArgumentOutOfRangeException(nameof(i), i, $"the row has {FieldCount} columns");

    private T NotNull<T>(sqlite3_stmt s, int i, T value) =>
        value is 0L or 0.0 && Type(s, i) == raw.SQLITE_NULL ? throw Null(i) : value;

    private int Type(sqlite3_stmt s, int i) => _handle != 0 ? SqliteColumns.Type(_handle, i) : raw.sqlite3_column_type(s, i);

    private ReadOnlySpan<byte> Bytes(sqlite3_stmt s, int i) => _handle != 0 ? SqliteColumns.Bytes(_handle, i) : raw.sqlite3_column_blob(s, i);

    /// <summary>What Microsoft.Data.Sqlite's reader throws for a NULL read as a value.</summary>
    private static InvalidOperationException Null(int i) => new($"The data is NULL at ordinal {i}: test it with IsDBNull first.");

    private static void Bind(sqlite3 handle, sqlite3_stmt statement, string name, object value)
    {
        var index = raw.sqlite3_bind_parameter_index(statement, name.StartsWith('@') ? name : "@" + name);
        if (index == 0) throw new ArgumentException($"The SQL has no parameter @{name.TrimStart('@')}.", nameof(name));
        var rc = value switch
        {
            string s => raw.sqlite3_bind_text(statement, index, s),
            int n => raw.sqlite3_bind_int64(statement, index, n),
            long n => raw.sqlite3_bind_int64(statement, index, n),
            double d => raw.sqlite3_bind_double(statement, index, d),
            _ => throw new ArgumentException($"Parameter @{name}: {value.GetType().Name} values are not read by this path.", nameof(value)),
        };
        if (rc != raw.SQLITE_OK) SqliteException.ThrowExceptionForRC(rc, handle);
    }
}
