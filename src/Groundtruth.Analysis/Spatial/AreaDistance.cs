using NetTopologySuite.Algorithm;
using NetTopologySuite.Algorithm.Locate;
using NetTopologySuite.Geometries;

namespace Groundtruth.Analysis.Spatial;

/// <summary>
/// The distance from points to one polygonal geometry, equal to <c>point.Distance(area)</c>: 0 when the point is
/// inside or on the area, otherwise the least distance to its edges — with the area and its edges indexed once,
/// for a geometry measured against many points (issue 11: record accuracy's offsets and nearest finds).
/// </summary>
/// <remarks>
/// <c>Geometry.Distance</c> locates the point with the ray-crossing test and then takes the minimum of the
/// point–segment distances over every edge, each a full pass over the vertices. Here the location uses
/// NetTopologySuite's <see cref="IndexedPointInAreaLocator"/> (the same ray-crossing test), and the edges are cut
/// into runs of <see cref="Run"/> segments with their bounding boxes, so a run whose box lies farther than the best
/// distance so far is skipped; the rest take the same <see cref="DistanceComputer.PointToSegment"/> distance, so
/// the minimum is the same number (a test compares the two on every kind of record). Nothing is allocated per
/// point beyond one coordinate, and once built an instance may be shared between threads.
/// </remarks>
public sealed class AreaDistance
{
    private const int Run = 16;
    // Built on first use (a thread-safe Lazy, its tree built inside the factory, before any sharing): Within rarely needs it.
    private readonly Lazy<IndexedPointInAreaLocator>? _locator;
    private readonly Envelope _envelope = new();
    private readonly Coordinate[][] _rings = [];
    // Per run: its ring, first segment and the box of its segments (minX, minY, maxX, maxY).
    private readonly int[] _runRing = [];
    private readonly int[] _runStart = [];
    private readonly double[] _runBox = [];

    public AreaDistance(Geometry area)
    {
        if (area.IsEmpty) return;
        _envelope = area.EnvelopeInternal;
        _locator = new Lazy<IndexedPointInAreaLocator>(() =>
        {
            var locator = new IndexedPointInAreaLocator(area);
            // The locator builds its tree on first use: build it here, before any sharing.
            locator.Locate(new Coordinate(area.EnvelopeInternal.MinX, area.EnvelopeInternal.MinY));
            return locator;
        }, LazyThreadSafetyMode.ExecutionAndPublication);
        var rings = new List<Coordinate[]>();
        for (var g = 0; g < area.NumGeometries; g++)
            if (area.GetGeometryN(g) is Polygon polygon)
            {
                rings.Add(polygon.ExteriorRing.Coordinates);
                for (var h = 0; h < polygon.NumInteriorRings; h++) rings.Add(polygon.GetInteriorRingN(h).Coordinates);
            }
        _rings = [.. rings];
        var runRing = new List<int>();
        var runStart = new List<int>();
        var runBox = new List<double>();
        for (var r = 0; r < _rings.Length; r++)
        {
            var ring = _rings[r];
            for (var start = 0; start < ring.Length - 1; start += Run)
            {
                var end = Math.Min(start + Run, ring.Length - 1);
                double minX = double.PositiveInfinity, minY = double.PositiveInfinity, maxX = double.NegativeInfinity, maxY = double.NegativeInfinity;
                for (var i = start; i <= end; i++)
                {
                    minX = Math.Min(minX, ring[i].X); maxX = Math.Max(maxX, ring[i].X);
                    minY = Math.Min(minY, ring[i].Y); maxY = Math.Max(maxY, ring[i].Y);
                }
                runRing.Add(r);
                runStart.Add(start);
                runBox.AddRange([minX, minY, maxX, maxY]);
            }
        }
        (_runRing, _runStart, _runBox) = ([.. runRing], [.. runStart], [.. runBox]);
    }

    /// <summary>The distance from (<paramref name="x"/>, <paramref name="y"/>) to the area; 0 for an empty area, as NetTopologySuite gives.</summary>
    public double To(double x, double y)
    {
        if (_locator is null) return 0;
        var point = new Coordinate(x, y);
        if (_locator.Value.Locate(point) != Location.Exterior) return 0;
        var best = double.PositiveInfinity;
        for (var run = 0; run < _runRing.Length; run++)
        {
            var dx = Math.Max(0, Math.Max(_runBox[4 * run] - x, x - _runBox[4 * run + 2]));
            var dy = Math.Max(0, Math.Max(_runBox[4 * run + 1] - y, y - _runBox[4 * run + 3]));
            // A run's box lies no farther than any of its segments; skip it only when clearly beyond the best (rounding aside).
            if (dx * dx + dy * dy > best * best * (1 + 1e-9)) continue;
            var ring = _rings[_runRing[run]];
            var end = Math.Min(_runStart[run] + Run, ring.Length - 1);
            for (var i = _runStart[run]; i < end; i++)
                best = Math.Min(best, DistanceComputer.PointToSegment(point, ring[i], ring[i + 1]));
        }
        return best;
    }

    /// <summary>
    /// Whether (<paramref name="x"/>, <paramref name="y"/>) lies within <paramref name="distance"/> of the area: the
    /// same answer as <c>To(x, y) &lt;= distance</c>, with less work (issue 11: the priorities' accidents near each
    /// area). A point is within the distance exactly when it is inside or on the area, or one segment lies within the
    /// distance of it; so the segments are tried first, and the search stops at the first within the distance (a run
    /// whose box lies clearly beyond it is skipped: its segments are all beyond, the same margin as <see cref="To"/>'s).
    /// Only a point no segment reaches is located, and one outside the area's envelope is outside without the locator
    /// (most points near a small area: issue 11, eighth round). A test compares the two answers, at the distance itself too.
    /// </summary>
    public bool Within(double x, double y, double distance)
    {
        if (!(distance >= 0)) return false;
        if (_locator is null) return true;
        var limit = distance * distance * (1 + 1e-9);
        // Two answers from the area's envelope alone, each the one the segments below would give. Clearly farther from
        // the envelope than the distance: every run's box lies inside it, so every run would be skipped, and a point
        // beyond the envelope is outside. Clearly nearer to the envelope's farthest corner than the distance: every
        // point of the area is, so the first segment tried would be within it. (Points near a small area, most of the
        // candidates the priorities test: issue 11, eighth round.)
        var ex = Math.Max(0, Math.Max(_envelope.MinX - x, x - _envelope.MaxX));
        var ey = Math.Max(0, Math.Max(_envelope.MinY - y, y - _envelope.MaxY));
        if (ex * ex + ey * ey > limit) return false;
        var fx = Math.Max(x - _envelope.MinX, _envelope.MaxX - x);
        var fy = Math.Max(y - _envelope.MinY, _envelope.MaxY - y);
        if (fx * fx + fy * fy < distance * distance * (1 - 1e-9)) return true;
        var point = new Coordinate(x, y);
        for (var run = 0; run < _runRing.Length; run++)
        {
            var dx = Math.Max(0, Math.Max(_runBox[4 * run] - x, x - _runBox[4 * run + 2]));
            var dy = Math.Max(0, Math.Max(_runBox[4 * run + 1] - y, y - _runBox[4 * run + 3]));
            if (dx * dx + dy * dy > limit) continue;
            var ring = _rings[_runRing[run]];
            var end = Math.Min(_runStart[run] + Run, ring.Length - 1);
            for (var i = _runStart[run]; i < end; i++)
                if (DistanceComputer.PointToSegment(point, ring[i], ring[i + 1]) <= distance) return true;
        }
        // No edge within the distance: within only when inside (a point beyond the envelope is not).
        if (x < _envelope.MinX || x > _envelope.MaxX || y < _envelope.MinY || y > _envelope.MaxY) return false;
        return _locator.Value.Locate(point) != Location.Exterior;
    }
}
