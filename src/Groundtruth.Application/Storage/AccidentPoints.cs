using Groundtruth.Analysis.Records;
using Groundtruth.Domain;
using Microsoft.EntityFrameworkCore;

namespace Groundtruth.Application.Storage;

/// <summary>
/// Every accident with a point, as the analyses take them (<see cref="AccidentInput"/>): 272,000 rows at scale 500,
/// read as <see cref="FindPoints"/> reads the finds (<see cref="RawRows"/>: EF's own SQL for the typed query
/// <see cref="Query"/>, without EF's per-row materialisation); each distinct kind, device category and date text
/// parsed once. A test compares the rows with the typed query's on both backends.
/// </summary>
public static class AccidentPoints
{
    public static Task<List<AccidentInput>> ReadAsync(GroundtruthDbContext db, CancellationToken ct)
    {
        var kinds = new ParsedText<AccidentKind>(SnakeCase.Parse<AccidentKind>);
        var categories = new ParsedText<OrdnanceCategory>(SnakeCase.Parse<OrdnanceCategory>);
        var dates = new ParsedText<PartialDate>(PartialDate.Parse);
        return RawRows.ReadAsync(db, Query(db), r => r.IsDBNull(1) || r.IsDBNull(2) ? null
            : new AccidentInput(r.GetString(0), r.GetDouble(1), r.GetDouble(2), r.GetParsed(3, kinds), r.IsDBNull(4) ? null : r.GetParsed(4, categories),
                r.GetParsed(5, dates), r.IsDBNull(6) ? null : r.GetDouble(6)), ct);
    }

    /// <summary>The typed query whose SQL <see cref="ReadAsync"/> runs, in its column order: id, lon, lat, kind, device category, occurred on, location accuracy.</summary>
    public static IQueryable<AccidentRow> Query(GroundtruthDbContext db) => db.Accidents.AsNoTracking()
        .Select(x => new AccidentRow(x.Id, EF.Property<double?>(x, "min_x"), EF.Property<double?>(x, "min_y"), x.Kind, x.DeviceCategory, x.OccurredOn, x.LocationAccuracyM));

    /// <summary>One row of <see cref="Query"/>.</summary>
    public sealed record AccidentRow(string Id, double? Lon, double? Lat, AccidentKind Kind, OrdnanceCategory? DeviceCategory, PartialDate OccurredOn, double? LocationAccuracyM);
}
