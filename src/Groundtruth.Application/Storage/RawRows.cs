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

    public T this[string text]
    {
        get
        {
            if (!_known.TryGetValue(text, out var value)) _known[text] = value = parse(text);
            return value;
        }
    }
}
