using Microsoft.EntityFrameworkCore;

namespace Groundtruth.Application.Storage;

/// <summary>
/// The rows of a typed query read without EF's per-row materialisation (issue 11: a million finds at national scale):
/// the SQL is EF's own for the query (<c>ToQueryString</c>), so the plan, the row order and a history shadow table
/// created on the connection answer as the typed query would; each row is handed to a mapping of the caller's, its
/// cells read through <see cref="RowCells"/> (on the GeoPackage, SQLite's statement itself).
/// <see cref="FindPoints"/> and <see cref="AccidentPoints"/> read through it; tests compare their rows with the typed
/// queries' on both backends.
/// </summary>
public static class RawRows
{
    /// <param name="map">One row to a value, or null to leave the row out.</param>
    public static async Task<List<T>> ReadAsync<T>(GroundtruthDbContext db, IQueryable query, Func<RowCells, T?> map, CancellationToken ct) where T : class
    {
        var sql = query.ToQueryString();
        await db.Database.OpenConnectionAsync(ct);
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = sql;
        var rows = new List<T>();
        await RowCells.ReadAsync(command, [], r =>
        {
            if (map(r) is { } row) rows.Add(row);
        }, ct);
        return rows;
    }
}

/// <summary>Text of a few distinct values (a category, a date) parsed once each, however many rows repeat it.</summary>
public sealed class ParsedText<T>(Func<string, T> parse)
{
    private readonly Dictionary<string, T> _known = new(StringComparer.Ordinal);

    /// <summary>The bytes of the text last parsed through <see cref="RowCells.GetParsed{T}"/> (its first <see cref="_lastLength"/>), and its value.</summary>
    private byte[] _last = new byte[64];
    private int _lastLength = -1;
    private T _lastValue = default!;

    /// <summary>Whether <paramref name="utf8"/> is the text last remembered, and its value.</summary>
    internal bool IsLast(ReadOnlySpan<byte> utf8, out T value)
    {
        value = _lastValue;
        return _lastLength == utf8.Length && utf8.SequenceEqual(_last.AsSpan(0, _lastLength));
    }

    /// <summary>Remembers <paramref name="utf8"/>'s value for the next row.</summary>
    internal void Remember(ReadOnlySpan<byte> utf8, T value)
    {
        if (utf8.Length > _last.Length) _last = new byte[utf8.Length];
        utf8.CopyTo(_last);
        (_lastLength, _lastValue) = (utf8.Length, value);
    }

    /// <summary>The cache of <see cref="this[string]"/> read by a text's characters, no string made for a text seen before.</summary>
    private Dictionary<string, T>.AlternateLookup<ReadOnlySpan<char>>? _byChars;

    /// <summary>Texts up to this many bytes are looked up without a string.</summary>
    private const int ShortBytes = 64;

    /// <summary>The value of a cell's UTF-8 text (<see cref="RowCells.GetParsed{T}"/>): a text seen before is looked up without making a string (issue 16: a million finds' dates, thousands of them distinct).</summary>
    internal T Parse(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > ShortBytes) return this[System.Text.Encoding.UTF8.GetString(utf8)];
        Span<char> chars = stackalloc char[ShortBytes];
        var text = chars[..System.Text.Encoding.UTF8.GetChars(utf8, chars)];
        _byChars ??= _known.GetAlternateLookup<ReadOnlySpan<char>>();
        return _byChars.Value.TryGetValue(text, out var value) ? value : this[new string(text)];
    }

    public T this[string text]
    {
        get
        {
            if (!_known.TryGetValue(text, out var value)) _known[text] = value = parse(text);
            return value;
        }
    }
}
