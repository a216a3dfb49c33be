using Microsoft.EntityFrameworkCore;

namespace Groundtruth.Application.Storage;

/// <summary>
/// Every row of a SQL query as an array of values — a string, a long, a double, a byte array or null per cell, as the
/// ADO.NET reader gives them — for the commands that read whole tables at national scale (<c>check</c>). Read through
/// <see cref="RowCells"/>: on the GeoPackage straight from SQLite's statement, a repeated text one string.
/// </summary>
public static class SqlRows
{
    /// <param name="parameters">Named values (<c>@name</c> in the SQL): text, whole numbers or reals.</param>
    public static async Task<List<object?[]>> ReadAsync(GroundtruthDbContext db, string sql, CancellationToken ct, params (string Name, object Value)[] parameters)
    {
        await db.Database.OpenConnectionAsync(ct);
        await using var cmd = db.Database.GetDbConnection().CreateCommand();
        cmd.CommandText = sql;
        var rows = new List<object?[]>();
        await RowCells.ReadAsync(cmd, parameters, cells =>
        {
            var row = new object?[cells.FieldCount];
            for (var i = 0; i < row.Length; i++) row[i] = cells.GetValue(i);
            rows.Add(row);
        }, ct);
        return rows;
    }

    /// <summary>The ADO.NET reader's rows, whatever the backend: what the GeoPackage's direct path is compared against.</summary>
    public static async Task<List<object?[]>> ReadAdoAsync(GroundtruthDbContext db, string sql, (string Name, object Value)[] parameters, CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct);
        await using var cmd = db.Database.GetDbConnection().CreateCommand();
        cmd.CommandText = sql;
        RowCells.AddParameters(cmd, parameters);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var rows = new List<object?[]>();
        while (await r.ReadAsync(ct))
        {
            var row = new object?[r.FieldCount];
            for (var i = 0; i < row.Length; i++) row[i] = r.GetValue(i) is var v && v is not DBNull ? v : null;
            rows.Add(row);
        }
        return rows;
    }
}
