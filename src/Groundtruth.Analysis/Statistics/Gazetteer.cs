using Groundtruth.Analysis.Spatial;
using NetTopologySuite.Geometries;

namespace Groundtruth.Analysis.Statistics;

/// <summary>A gazetteer place with a boundary: what a record can be located in.</summary>
/// <param name="AreaM2">Its area in square metres (computed in a metric projection).</param>
public sealed record GazetteerPlace(string Id, string Name, string Kind, string? ParentId, Geometry Geometry, double AreaM2);

/// <summary>
/// The places with a boundary polygon, indexed once, to locate records: every record is assigned one
/// location, the smallest place (by area in m², ties to the lowest id) whose polygon covers its point
/// (DESIGN section 5), so per-place tables add up to the total. A point on a boundary is inside both
/// neighbours and goes to the smaller. Selection by place (<c>--in</c>) uses the same engine.
/// </summary>
public sealed class Gazetteer
{
    private readonly PolygonIndex _index;

    public Gazetteer(IEnumerable<GazetteerPlace> places)
    {
        Places = [.. places.Where(p => p.Geometry is Polygon or MultiPolygon && !p.Geometry.IsEmpty)];
        var order = Enumerable.Range(0, Places.Count)
            .OrderBy(i => Places[i].AreaM2)
            .ThenBy(i => Places[i].Id, StringComparer.Ordinal)
            .ToArray();
        var rank = new int[Places.Count];
        for (var r = 0; r < order.Length; r++) rank[order[r]] = r;
        _index = PolygonIndex.Build([.. Places.Select(p => p.Geometry)], rank);
    }

    /// <summary>The places with a polygon.</summary>
    public IReadOnlyList<GazetteerPlace> Places { get; }

    /// <summary>For each point, the index in <see cref="Places"/> of its assigned location, or -1 (outside every place, or no point).</summary>
    public int[] Assign(double[] xs, double[] ys) => SpatialJoin.Assign(_index, xs, ys);

    /// <summary>The <c>place</c> column: each record's assigned location's id (unknown when none), labelled with the place's name.</summary>
    public StatsColumn PlaceColumn(double[] xs, double[] ys)
    {
        var assigned = Assign(xs, ys);
        var builder = new StatsColumnBuilder("place", StatsValueKind.Place, assigned.Length);
        foreach (var a in assigned) builder.Add(a < 0 ? null : Places[a].Id);
        var names = Places.ToDictionary(p => p.Id, p => p.Name, StringComparer.Ordinal);
        return builder.Build(id => names.GetValueOrDefault(id));
    }

    /// <summary>For each point, whether <paramref name="place"/>'s polygon covers it (a point on the boundary is inside).</summary>
    public static bool[] Inside(GazetteerPlace place, double[] xs, double[] ys) =>
        SpatialJoin.SemiJoin(PolygonIndex.Build([place.Geometry]), xs, ys);

    /// <summary>For each point, whether some place covers it.</summary>
    public bool[] Covered(double[] xs, double[] ys) => SpatialJoin.SemiJoin(_index, xs, ys);
}
