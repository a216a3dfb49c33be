using Groundtruth.Analysis.Records;
using Groundtruth.Domain;
using Microsoft.EntityFrameworkCore;

namespace Groundtruth.Application.Storage;

/// <summary>
/// Every accident with a point, as the analyses take them (<see cref="AccidentInput"/>): 272,000 rows at scale 500,
/// read as <see cref="FindPoints"/> reads the finds — EF's own SQL for the typed query (<see cref="Query"/>), so the
/// plan, the row order and a history shadow answer alike, without EF's per-row materialisation; each distinct kind,
/// device category and date text parsed once. A test compares the rows with the typed query's on both backends.
/// </summary>
public static class AccidentPoints
{
    public static async Task<List<AccidentInput>> ReadAsync(GroundtruthDbContext db, CancellationToken ct)
    {
        var query = Query(db);
        await db.Database.OpenConnectionAsync(ct);
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = query.ToQueryString();
        command.CommandTimeout = 0;
        var kinds = new Dictionary<string, AccidentKind>(StringComparer.Ordinal);
        var categories = new Dictionary<string, OrdnanceCategory>(StringComparer.Ordinal);
        var dates = new Dictionary<string, PartialDate>(StringComparer.Ordinal);
        var accidents = new List<AccidentInput>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            if (reader.IsDBNull(1) || reader.IsDBNull(2)) continue;
            var kind = reader.GetString(3);
            if (!kinds.TryGetValue(kind, out var k)) kinds[kind] = k = SnakeCase.Parse<AccidentKind>(kind);
            OrdnanceCategory? category = null;
            if (!reader.IsDBNull(4))
            {
                var text = reader.GetString(4);
                if (!categories.TryGetValue(text, out var c)) categories[text] = c = SnakeCase.Parse<OrdnanceCategory>(text);
                category = c;
            }
            var occurred = reader.GetString(5);
            if (!dates.TryGetValue(occurred, out var d)) dates[occurred] = d = PartialDate.Parse(occurred);
            double? accuracy = reader.IsDBNull(6) ? null : reader.GetDouble(6);
            accidents.Add(new AccidentInput(reader.GetString(0), reader.GetDouble(1), reader.GetDouble(2), k, category, d, accuracy));
        }
        return accidents;
    }

    /// <summary>The typed query whose SQL <see cref="ReadAsync"/> runs, in its column order: id, lon, lat, kind, device category, occurred on, location accuracy.</summary>
    public static IQueryable<AccidentRow> Query(GroundtruthDbContext db) => db.Accidents.AsNoTracking()
        .Select(x => new AccidentRow(x.Id, EF.Property<double?>(x, "min_x"), EF.Property<double?>(x, "min_y"), x.Kind, x.DeviceCategory, x.OccurredOn, x.LocationAccuracyM));

    /// <summary>One row of <see cref="Query"/>.</summary>
    public sealed record AccidentRow(string Id, double? Lon, double? Lat, AccidentKind Kind, OrdnanceCategory? DeviceCategory, PartialDate OccurredOn, double? LocationAccuracyM);
}
