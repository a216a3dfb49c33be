using System.Globalization;
using System.Text.Json;
using Groundtruth.Application.Datasets;
using Groundtruth.Application.Storage;
using Groundtruth.Domain;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Geometries;

namespace Groundtruth.Application.History;

/// <summary>
/// A point on the two clocks of history (DESIGN section 6): <see cref="AsOf"/> is the date of
/// information (what was true in the field by then), <see cref="RecordedBefore"/> the recorded time
/// (what the database held then). Both null means the current approved state.
/// <see cref="IncludePending"/> counts the versions of submissions still waiting for approval as if they
/// had been approved as submitted (under the ids they came with), for a user who asks to see them.
/// </summary>
public sealed record HistoryPoint(DateOnly? AsOf = null, DateTime? RecordedBefore = null, bool IncludePending = false)
{
    public static readonly HistoryPoint Current = new();

    /// <summary>The current approved state, which the layer tables hold.</summary>
    public bool IsCurrent => AsOf is null && RecordedBefore is null && !IncludePending;

    public override string ToString() =>
        IsCurrent ? "current"
        : string.Join(", ", new[]
        {
            AsOf is { } a ? $"as of {a:yyyy-MM-dd}" : null,
            RecordedBefore is { } r ? $"recorded before {r:yyyy-MM-ddTHH:mm:ssZ}" : null,
            IncludePending ? "including pending submissions" : null,
        }.Where(s => s is not null));
}

/// <summary>One record as a version holds it: its fields (by their snake_case names) and its geometry.</summary>
public sealed class VersionRow(string id, JsonElement data, Geometry? geometry)
{
    public string Id { get; } = id;
    public Geometry? Geometry { get; } = geometry;

    public string? Text(string field) => data.TryGetProperty(field, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    public double? Number(string field) => data.TryGetProperty(field, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;

    public bool? Flag(string field) => data.TryGetProperty(field, out var v) && v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean() : null;

    public PartialDate? Date(string field) => Text(field) is { } s ? PartialDate.Parse(s) : null;

    public TEnum? Enum<TEnum>(string field) where TEnum : struct, System.Enum => Text(field) is { } s ? SnakeCase.Parse<TEnum>(s) : null;

    /// <summary>The value as the exporter writes it, typed by the field.</summary>
    public object? Value(FieldSpec field) => field.Type switch
    {
        FieldType.Integer or FieldType.Long => Number(field.Name) is { } n ? (long)n : null,
        FieldType.Real => Number(field.Name),
        FieldType.Boolean => Flag(field.Name),
        _ => Text(field.Name),
    };
}

/// <summary>
/// Reads a dataset as it stood at a <see cref="HistoryPoint"/>, from its append-only versions table:
/// for each record, of the approved (and, when the point includes them, pending) versions recorded
/// before the recorded time, the one with the latest date of information on or before the as-of date
/// (then the latest recorded); a tombstone removes the record.
/// </summary>
public static class VersionReader
{
    /// <summary>The submission states whose versions count at <paramref name="point"/>, as SQL.</summary>
    internal static string CountedStates(HistoryPoint point) => point.IncludePending ? "('approved', 'submitted')" : "('approved')";

    public static Task<List<VersionRow>> ReadAsync(GroundtruthDbContext db, DatasetSpec dataset, HistoryPoint point, CancellationToken ct = default) =>
        ReadAsync(db, dataset, point, onlyPendingRecords: false, ct);

    /// <param name="onlyPendingRecords">Only the records that a pending submission touches (their pending and approved versions).</param>
    public static async Task<List<VersionRow>> ReadAsync(GroundtruthDbContext db, DatasetSpec dataset, HistoryPoint point, bool onlyPendingRecords, CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct);
        await using var cmd = db.Database.GetDbConnection().CreateCommand();
        var geometry = dataset.IsSpatial ? $", v.\"{StorageNames.Geometry}\"" : ", NULL";
        var only = onlyPendingRecords ? $" AND v.\"record_id\" IN ({PendingRecordIds(dataset)})" : "";
        cmd.CommandText = $"""
            SELECT v."record_id", v."date_of_information", v."recorded_at", v."version_id", v."tombstone", v."data"{geometry}
            FROM "{dataset.VersionsTable}" v JOIN "submissions" s ON s."id" = v."submission_id"
            WHERE s."state" IN {CountedStates(point)} AND (@before IS NULL OR v."recorded_at" < @before){only}
            ORDER BY v."record_id", v."version_id"
            """;
        var p = cmd.CreateParameter();
        p.ParameterName = "before";
        p.Value = point.RecordedBefore is { } before ? DateTime.SpecifyKind(before, DateTimeKind.Utc) : DBNull.Value;
        if (point.RecordedBefore is null) p.DbType = System.Data.DbType.DateTime;
        cmd.Parameters.Add(p);
        var best = new Dictionary<string, (VersionOrder Order, bool Tombstone, string Data, Geometry? Geometry)>(StringComparer.Ordinal);
        await using (var r = await cmd.ExecuteReaderAsync(ct))
        {
            while (await r.ReadAsync(ct))
            {
                var id = r.GetString(0);
                var recorded = DateTime.SpecifyKind(Convert.ToDateTime(r.GetValue(2), CultureInfo.InvariantCulture), DateTimeKind.Utc);
                var order = VersionOrder.Of(r.IsDBNull(1) ? null : r.GetString(1), recorded, Convert.ToInt64(r.GetValue(3), CultureInfo.InvariantCulture));
                if (point.AsOf is { } asOf && order.Start > asOf) continue;
                if (best.TryGetValue(id, out var b) && b.Order > order) continue;
                var tombstone = Convert.ToBoolean(r.GetValue(4), CultureInfo.InvariantCulture);
                Geometry? g = null;
                if (dataset.IsSpatial && !r.IsDBNull(6)) g = db.IsSqlite ? GeoPackageBlob.Read((byte[])r.GetValue(6)) : r.GetFieldValue<Geometry>(6);
                best[id] = (order, tombstone, r.GetString(5), g);
            }
        }
        return [.. best.Where(kv => !kv.Value.Tombstone).OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => new VersionRow(kv.Key, JsonDocument.Parse(kv.Value.Data).RootElement.Clone(), kv.Value.Geometry))];
    }

    /// <summary>SQL for the ids of the records that a submission waiting for approval touches.</summary>
    internal static string PendingRecordIds(DatasetSpec dataset) => $"""
        SELECT p."record_id" FROM "{dataset.VersionsTable}" p JOIN "submissions" ps ON ps."id" = p."submission_id" WHERE ps."state" = 'submitted'
        """;
}
