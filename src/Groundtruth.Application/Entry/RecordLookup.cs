using System.Collections.Concurrent;
using Groundtruth.Application.Datasets;
using Groundtruth.Application.Resources;
using Groundtruth.Application.Storage;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Geometries;
using NetTopologySuite.Operation.Distance;

namespace Groundtruth.Application.Entry;

/// <summary>One record offered for a reference field: its id, a few words that say which it is, and how far it lies from the point asked about.</summary>
public sealed record LookupItem(string Id, string Label, double? DistanceM);

/// <summary>
/// Finds the records a reference field may name (<c>hazard_id</c>, <c>activity_id</c>, <c>accident_id</c>, …): by the
/// text typed (in the id or the name) or, for hazardous areas, activities and accidents, nearest first to a point. The
/// records of a dataset are read once per data version and kept (a few columns and the geometry), so typing in the
/// field does not read the table on every key.
/// </summary>
public sealed class RecordLookup(DatabaseTarget target)
{
    /// <summary>The most records one answer lists.</summary>
    public const int MaxItems = 20;

    private sealed record Row(string Id, string Label, string Search, Geometry? Geometry);

    private readonly ConcurrentDictionary<string, (long Version, Lazy<Task<Row[]>> Rows)> _rows = new(StringComparer.Ordinal);

    /// <summary>The datasets a reference field may point to that can be searched here.</summary>
    public static readonly IReadOnlySet<string> Searchable = new HashSet<string>(StringComparer.Ordinal)
    {
        DatasetCatalog.Hazards.Name, DatasetCatalog.Activities.Name, DatasetCatalog.Accidents.Name, DatasetCatalog.Organisations.Name, DatasetCatalog.Places.Name,
    };

    /// <summary>
    /// Up to <paramref name="limit"/> records of <paramref name="dataset"/>: those whose id or label holds
    /// <paramref name="text"/> (ids starting with it first), nearest first to <paramref name="near"/> when given.
    /// </summary>
    public async Task<IReadOnlyList<LookupItem>> SearchAsync(DatasetSpec dataset, string? text, Point? near, long version, int limit = 10, CancellationToken ct = default)
    {
        if (!Searchable.Contains(dataset.Name)) throw new InvalidRequestException("dataset", $"{dataset.Name} cannot be searched; searchable: {string.Join(", ", Searchable.Order(StringComparer.Ordinal))}");
        limit = Math.Clamp(limit, 1, MaxItems);
        var rows = await RowsAsync(dataset, version, ct);
        var needle = text?.Trim() ?? "";
        IEnumerable<Row> matching = needle.Length == 0 ? rows : rows.Where(r => r.Search.Contains(needle, StringComparison.OrdinalIgnoreCase));
        if (near is not null)
        {
            return [.. matching.Where(r => r.Geometry is not null)
                .Select(r => (Row: r, Distance: Metres(r.Geometry!, near)))
                .OrderBy(x => x.Distance).ThenBy(x => x.Row.Id, StringComparer.Ordinal)
                .Take(limit).Select(x => new LookupItem(x.Row.Id, x.Row.Label, Math.Round(x.Distance)))];
        }
        return [.. matching
            .OrderBy(r => r.Id.StartsWith(needle, StringComparison.OrdinalIgnoreCase) ? 0 : 1).ThenBy(r => r.Id, StringComparer.Ordinal)
            .Take(limit).Select(r => new LookupItem(r.Id, r.Label, null))];
    }

    /// <summary>The distance in metres from <paramref name="point"/> to the nearest point of <paramref name="geometry"/> (0 inside it), on the sphere.</summary>
    public static double Metres(Geometry geometry, Point point)
    {
        if (geometry is Polygon or MultiPolygon && geometry.Covers(point)) return 0;
        var nearest = DistanceOp.NearestPoints(geometry, point);
        return Haversine(nearest[0], nearest[1]);
    }

    private static double Haversine(Coordinate a, Coordinate b)
    {
        const double R = 6_371_008.8;
        double Rad(double d) => d * Math.PI / 180;
        var dLat = Rad(b.Y - a.Y);
        var dLon = Rad(b.X - a.X);
        var h = Math.Pow(Math.Sin(dLat / 2), 2) + Math.Cos(Rad(a.Y)) * Math.Cos(Rad(b.Y)) * Math.Pow(Math.Sin(dLon / 2), 2);
        return 2 * R * Math.Asin(Math.Min(1, Math.Sqrt(h)));
    }

    private async Task<Row[]> RowsAsync(DatasetSpec dataset, long version, CancellationToken ct)
    {
        var entry = _rows.AddOrUpdate(dataset.Name,
            _ => (version, new Lazy<Task<Row[]>>(() => ReadAsync(dataset))),
            (_, old) => old.Version == version ? old : (version, new Lazy<Task<Row[]>>(() => ReadAsync(dataset))));
        return await entry.Rows.Value.WaitAsync(ct);
    }

    private async Task<Row[]> ReadAsync(DatasetSpec dataset)
    {
        await using var db = target.CreateContext();
        static string Words(params string?[] parts) => string.Join(" · ", parts.Where(p => !string.IsNullOrWhiteSpace(p)));
        static Row Make(string id, string label, Geometry? g) => new(id, label, id + " " + label, g);
        switch (dataset.Name)
        {
            case "hazards":
                return [.. (await db.Hazards.AsNoTracking().Select(h => new { h.Id, h.Name, h.Status, h.Geometry }).ToListAsync())
                    .Select(h => Make(h.Id, Words(h.Name, Labels.Value(h.Status)), h.Geometry))];
            case "activities":
                return [.. (await db.Activities.AsNoTracking().Select(a => new { a.Id, a.Type, a.Organisation, a.StartedOn, a.Geometry }).ToListAsync())
                    .Select(a => Make(a.Id, Words(Labels.Value(a.Type), a.Organisation, a.StartedOn?.ToString()), a.Geometry))];
            case "accidents":
                return [.. (await db.Accidents.AsNoTracking().Select(a => new { a.Id, a.OccurredOn, a.Kind, a.Geometry }).ToListAsync())
                    .Select(a => Make(a.Id, Words(a.OccurredOn.ToString(), Labels.Value(a.Kind)), a.Geometry))];
            case "organisations":
                return [.. (await db.Organisations.AsNoTracking().Select(o => new { o.Id, o.Name }).ToListAsync()).Select(o => Make(o.Id, o.Name, null))];
            default:
                return [.. (await db.Places.AsNoTracking().Select(p => new { p.Id, p.Name }).ToListAsync()).Select(p => Make(p.Id, p.Name, null))];
        }
    }
}
