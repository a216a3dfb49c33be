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
            if (point is { AsOf: null, RecordedBefore: null, IncludePending: true })
            {
                await OverlayPendingAsync(db, dataset, ct);
                continue;
            }
            var rows = await VersionReader.ReadAsync(db, dataset, point, ct);
            await ExecAsync(connection, null, db.IsSqlite
                ? $"DROP TABLE IF EXISTS temp.\"{dataset.Table}\"; CREATE TEMP TABLE \"{dataset.Table}\" AS SELECT * FROM main.\"{dataset.Table}\" WHERE 0"
                : $"DROP TABLE IF EXISTS pg_temp.\"{dataset.Table}\"; CREATE TEMP TABLE \"{dataset.Table}\" (LIKE public.\"{dataset.Table}\")", ct);
            await InsertAsync(db, dataset, rows, 0, ct);
        }
    }

    /// <summary>
    /// The current approved state with the pending submissions on top: the layer table is copied, and each
    /// record a pending submission touches is replaced by its latest version among the approved and pending
    /// ones (by the same rule as approval), or removed when that is a tombstone. Cheap when little is pending.
    /// </summary>
    private static async Task OverlayPendingAsync(GroundtruthDbContext db, DatasetSpec dataset, CancellationToken ct)
    {
        var connection = db.Database.GetDbConnection();
        var pending = VersionReader.PendingRecordIds(dataset);
        await ExecAsync(connection, null, db.IsSqlite
            ? $"DROP TABLE IF EXISTS temp.\"{dataset.Table}\"; CREATE TEMP TABLE \"{dataset.Table}\" AS SELECT * FROM main.\"{dataset.Table}\"; " +
              $"DELETE FROM temp.\"{dataset.Table}\" WHERE \"id\" IN ({pending})"
            : $"DROP TABLE IF EXISTS pg_temp.\"{dataset.Table}\"; CREATE TEMP TABLE \"{dataset.Table}\" (LIKE public.\"{dataset.Table}\"); " +
              $"INSERT INTO pg_temp.\"{dataset.Table}\" SELECT * FROM public.\"{dataset.Table}\" WHERE \"id\" NOT IN ({pending})", ct);
        var rows = await VersionReader.ReadAsync(db, dataset, new HistoryPoint(IncludePending: true), onlyPendingRecords: true, ct);
        if (rows.Count == 0) return;
        await using var max = connection.CreateCommand();
        max.CommandText = $"SELECT coalesce(max(\"{StorageNames.Fid}\"), 0) FROM {(db.IsSqlite ? "main" : "public")}.\"{dataset.Table}\"";
        var fid = Convert.ToInt64(await max.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
        await InsertAsync(db, dataset, rows, fid, ct);
    }

    /// <summary>Writes <paramref name="rows"/> into the shadow table, numbering them after <paramref name="lastFid"/>.</summary>
    private static async Task InsertAsync(GroundtruthDbContext db, DatasetSpec dataset, IReadOnlyList<VersionRow> rows, long lastFid, CancellationToken ct)
    {
        var connection = db.Database.GetDbConnection();
        var fields = dataset.StoredFields.ToList();
        var columns = new List<string> { StorageNames.Fid, StorageNames.RowHash };
        columns.AddRange(fields.Select(f => f.Name));
        if (dataset.IsSpatial) columns.AddRange([StorageNames.OriginalCrs, StorageNames.OriginalWkt, .. StorageNames.BoundingBox, StorageNames.Geometry]);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await using var insert = connection.CreateCommand();
        insert.Transaction = tx;
        insert.CommandText = $"INSERT INTO \"{dataset.Table}\" ({string.Join(", ", columns.Select(c => $"\"{c}\""))}) VALUES ({string.Join(", ", columns.Select((_, i) => "@p" + i))})";
        var parameters = columns.Select((_, i) => { var p = insert.CreateParameter(); p.ParameterName = "p" + i; insert.Parameters.Add(p); return p; }).ToArray();
        var fid = lastFid;
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
