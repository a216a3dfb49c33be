using System.Data.Common;
using Groundtruth.Application.Datasets;
using Groundtruth.Application.Storage;
using Microsoft.EntityFrameworkCore;

namespace Groundtruth.Application.History;

/// <summary>
/// Makes one connection see the past: each dataset's layer table is shadowed by a temporary table of
/// the same name holding the records as they stood at a <see cref="HistoryPoint"/> (read from the
/// versions). Unqualified table names resolve to temporary tables first on both SQLite and
/// PostgreSQL, so every query of a use case — EF or SQL — answers about that point without a second
/// code path. The shadow disappears with the connection.
/// </summary>
public static class HistoryScope
{
    public static async Task ShadowAsync(GroundtruthDbContext db, HistoryPoint point, IEnumerable<DatasetSpec> datasets, CancellationToken ct = default)
    {
        if (point.IsCurrent) return;
        await db.Database.OpenConnectionAsync(ct);
        var connection = db.Database.GetDbConnection();
        foreach (var dataset in datasets.Distinct())
        {
            var rows = await VersionReader.ReadAsync(db, dataset, point, ct);
            var fields = dataset.StoredFields.ToList();
            var columns = new List<string> { StorageNames.Fid, StorageNames.RowHash };
            columns.AddRange(fields.Select(f => f.Name));
            if (dataset.IsSpatial) columns.AddRange([StorageNames.OriginalCrs, StorageNames.OriginalWkt, .. StorageNames.BoundingBox, StorageNames.Geometry]);
            await ExecAsync(connection, null, db.IsSqlite
                ? $"DROP TABLE IF EXISTS temp.\"{dataset.Table}\"; CREATE TEMP TABLE \"{dataset.Table}\" AS SELECT * FROM main.\"{dataset.Table}\" WHERE 0"
                : $"DROP TABLE IF EXISTS pg_temp.\"{dataset.Table}\"; CREATE TEMP TABLE \"{dataset.Table}\" (LIKE public.\"{dataset.Table}\")", ct);
            await using var tx = await connection.BeginTransactionAsync(ct);
            await using var insert = connection.CreateCommand();
            insert.Transaction = tx;
            insert.CommandText = $"INSERT INTO \"{dataset.Table}\" ({string.Join(", ", columns.Select(c => $"\"{c}\""))}) VALUES ({string.Join(", ", columns.Select((_, i) => "@p" + i))})";
            var parameters = columns.Select((_, i) => { var p = insert.CreateParameter(); p.ParameterName = "p" + i; insert.Parameters.Add(p); return p; }).ToArray();
            var fid = 0L;
            foreach (var row in rows)
            {
                var k = 0;
                parameters[k++].Value = ++fid;
                parameters[k++].Value = 0L;
                foreach (var f in fields) parameters[k++].Value = Typed(f, row.Value(f)) ?? DBNull.Value;
                if (dataset.IsSpatial)
                {
                    parameters[k++].Value = (object?)row.Text(StorageNames.OriginalCrs) ?? DBNull.Value;
                    parameters[k++].Value = (object?)row.Text(StorageNames.OriginalWkt) ?? DBNull.Value;
                    var e = row.Geometry?.EnvelopeInternal;
                    foreach (var v in new double?[] { e?.MinX, e?.MinY, e?.MaxX, e?.MaxY }) parameters[k++].Value = (object?)v ?? DBNull.Value;
                    parameters[k].Value = row.Geometry is null ? DBNull.Value : db.IsSqlite ? GeoPackageBlob.Write(row.Geometry) : row.Geometry;
                }
                await insert.ExecuteNonQueryAsync(ct);
            }
            await tx.CommitAsync(ct);
        }
    }

    /// <summary>The CLR type each column holds (the versions' JSON carries numbers as doubles).</summary>
    private static object? Typed(FieldSpec field, object? value) => value switch
    {
        null => null,
        long n when field.Type == FieldType.Integer => (int)n,
        _ => value,
    };

    private static async Task ExecAsync(DbConnection connection, DbTransaction? tx, string sql, CancellationToken ct)
    {
        await using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
