using NetTopologySuite.Algorithm;
using NetTopologySuite.Geometries;

namespace Groundtruth.Analysis.Spatial;

/// <summary>
/// A flat, allocation-free index of polygons for point-in-polygon queries with covers semantics:
/// a point on a polygon's boundary (shell or hole) counts as inside, as everywhere in Groundtruth
/// (DESIGN section 4).
/// </summary>
/// <remarks>
/// Polygons are stored as flat coordinate arrays and registered in a uniform grid of cells by their
/// envelopes (compressed sparse rows), so a query reads a few candidates and runs the crossing-number
/// test on raw coordinates. The test mirrors NetTopologySuite's <c>RayCrossingCounter</c> with its
/// robust orientation predicate, so answers equal <c>Geometry.Covers</c> exactly (a property test
/// checks it). Coordinates are in the polygons' own system (WGS84 degrees in Groundtruth).
/// Thread-safe for concurrent queries once built.
/// </remarks>
public sealed class PolygonIndex
{
    // Polygon i has parts [_partStart[i], _partStart[i+1]); part j has rings [_ringStart[j], _ringStart[j+1]),
    // the first ring the shell; ring k has vertices [_coordStart[k], _coordStart[k+1]) in _x/_y (closed).
    private readonly int[] _partStart;
    private readonly int[] _ringStart;
    private readonly int[] _coordStart;
    private readonly double[] _x;
    private readonly double[] _y;
    private readonly double[] _envelopes; // 4 per polygon: minX, minY, maxX, maxY
    private readonly int[] _rank;

    // The grid: cell c holds polygons _cellItems[_cellStart[c] .. _cellStart[c+1]).
    private readonly double _gridMinX, _gridMinY, _gridMaxX, _gridMaxY, _cellWidth, _cellHeight;
    private readonly int _columns, _rows;
    private readonly int[] _cellStart;
    private readonly int[] _cellItems;

    private PolygonIndex(List<Polygon[]> polygons, int[] rank)
    {
        Count = polygons.Count;
        _rank = rank;
        var parts = new List<int> { 0 };
        var rings = new List<int> { 0 };
        var coords = new List<int> { 0 };
        var xs = new List<double>();
        var ys = new List<double>();
        _envelopes = new double[Count * 4];
        var partCount = 0;
        var ringCount = 0;
        var extent = new Envelope();
        _partStart = new int[Count + 1];
        for (var i = 0; i < Count; i++)
        {
            var env = new Envelope();
            foreach (var polygon in polygons[i])
            {
                AddRing(polygon.ExteriorRing, xs, ys, coords);
                ringCount++;
                foreach (var hole in polygon.InteriorRings)
                {
                    AddRing(hole, xs, ys, coords);
                    ringCount++;
                }
                rings.Add(ringCount);
                partCount++;
                env.ExpandToInclude(polygon.EnvelopeInternal);
            }
            _partStart[i + 1] = partCount;
            _envelopes[i * 4] = env.IsNull ? double.NaN : env.MinX;
            _envelopes[i * 4 + 1] = env.IsNull ? double.NaN : env.MinY;
            _envelopes[i * 4 + 2] = env.IsNull ? double.NaN : env.MaxX;
            _envelopes[i * 4 + 3] = env.IsNull ? double.NaN : env.MaxY;
            if (!env.IsNull) extent.ExpandToInclude(env);
        }
        _ringStart = [.. rings];
        _coordStart = [.. coords];
        _x = [.. xs];
        _y = [.. ys];

        if (extent.IsNull) extent = new Envelope(0, 1, 0, 1);
        var w = Math.Max(extent.Width, 1e-9);
        var h = Math.Max(extent.Height, 1e-9);
        var cells = Math.Clamp(Count * 2L, 1, 4_000_000);
        _columns = (int)Math.Clamp(Math.Round(Math.Sqrt(cells * w / h)), 1, 8192);
        _rows = (int)Math.Clamp(Math.Round(cells / (double)_columns), 1, 8192);
        _gridMinX = extent.MinX;
        _gridMinY = extent.MinY;
        _gridMaxX = extent.MaxX;
        _gridMaxY = extent.MaxY;
        _cellWidth = w / _columns;
        _cellHeight = h / _rows;
        (_cellStart, _cellItems) = BuildGrid();
    }

    /// <summary>The number of polygons.</summary>
    public int Count { get; }

    /// <summary>Indexes polygons and multipolygons; <paramref name="rank"/> orders them for <see cref="Best"/> (lower wins; default: their index).</summary>
    /// <exception cref="ArgumentException">A geometry is not polygonal.</exception>
    public static PolygonIndex Build(IReadOnlyList<Geometry> polygonal, IReadOnlyList<int>? rank = null)
    {
        var parts = new List<Polygon[]>(polygonal.Count);
        for (var i = 0; i < polygonal.Count; i++)
        {
            parts.Add(polygonal[i] switch
            {
                Polygon p => p.IsEmpty ? [] : [p],
                MultiPolygon mp => [.. Enumerable.Range(0, mp.NumGeometries).Select(k => (Polygon)mp.GetGeometryN(k)).Where(p => !p.IsEmpty)],
                _ => throw new ArgumentException($"geometry {i} is a {polygonal[i].GeometryType}, not a polygon", nameof(polygonal)),
            });
        }
        var ranks = rank is null ? Enumerable.Range(0, polygonal.Count).ToArray() : [.. rank];
        if (ranks.Length != polygonal.Count) throw new ArgumentException("one rank per polygon is needed", nameof(rank));
        return new PolygonIndex(parts, ranks);
    }

    /// <summary>True when some polygon covers the point.</summary>
    public bool CoversAny(double x, double y)
    {
        if (!Cell(x, y, out var cell)) return false;
        for (var k = _cellStart[cell]; k < _cellStart[cell + 1]; k++)
        {
            if (Covers(_cellItems[k], x, y)) return true;
        }
        return false;
    }

    /// <summary>The covering polygon of lowest rank (ties: lowest index), or -1.</summary>
    public int Best(double x, double y)
    {
        if (!Cell(x, y, out var cell)) return -1;
        var best = -1;
        for (var k = _cellStart[cell]; k < _cellStart[cell + 1]; k++)
        {
            var i = _cellItems[k];
            if (best >= 0 && (_rank[i] > _rank[best] || (_rank[i] == _rank[best] && i > best))) continue;
            if (Covers(i, x, y)) best = i;
        }
        return best;
    }

    /// <summary>Calls <paramref name="hit"/> for every polygon covering the point; returns how many.</summary>
    public int ForEachCovering<TState>(double x, double y, ref TState state, CoveringAction<TState> hit)
    {
        if (!Cell(x, y, out var cell)) return 0;
        var n = 0;
        for (var k = _cellStart[cell]; k < _cellStart[cell + 1]; k++)
        {
            var i = _cellItems[k];
            if (!Covers(i, x, y)) continue;
            hit(ref state, i);
            n++;
        }
        return n;
    }

    /// <summary>True when polygon <paramref name="polygon"/> covers the point (interior or boundary).</summary>
    public bool Covers(int polygon, double x, double y)
    {
        var e = polygon * 4;
        if (!(x >= _envelopes[e] && x <= _envelopes[e + 2] && y >= _envelopes[e + 1] && y <= _envelopes[e + 3])) return false;
        for (var part = _partStart[polygon]; part < _partStart[polygon + 1]; part++)
        {
            var shell = _ringStart[part];
            var location = Locate(shell, x, y);
            if (location == Location.Exterior) continue;
            if (location == Location.Boundary) return true;
            var insideHole = false;
            for (var ring = shell + 1; ring < _ringStart[part + 1]; ring++)
            {
                var inHole = Locate(ring, x, y);
                if (inHole == Location.Boundary) return true;
                if (inHole == Location.Interior) { insideHole = true; break; }
            }
            if (!insideHole) return true;
        }
        return false;
    }

    /// <summary>The envelope of polygon <paramref name="polygon"/>.</summary>
    public Envelope EnvelopeOf(int polygon) =>
        new(_envelopes[polygon * 4], _envelopes[polygon * 4 + 2], _envelopes[polygon * 4 + 1], _envelopes[polygon * 4 + 3]);

    /// <summary>Crossing-number location of a point in a closed ring, as NetTopologySuite's RayCrossingCounter.</summary>
    private Location Locate(int ring, double px, double py)
    {
        var crossings = 0;
        var end = _coordStart[ring + 1];
        for (var i = _coordStart[ring] + 1; i < end; i++)
        {
            double x1 = _x[i - 1], y1 = _y[i - 1], x2 = _x[i], y2 = _y[i];
            if (x1 < px && x2 < px) continue;
            if (px == x2 && py == y2) return Location.Boundary;
            if (y1 == py && y2 == py)
            {
                var minX = Math.Min(x1, x2);
                var maxX = Math.Max(x1, x2);
                if (minX <= px && px <= maxX) return Location.Boundary;
                continue;
            }
            if ((y1 > py && y2 <= py) || (y2 > py && y1 <= py))
            {
                var orient = CGAlgorithmsDD.OrientationIndex(x1, y1, x2, y2, px, py);
                if (orient == 0) return Location.Boundary;
                if (y2 < y1) orient = -orient;
                if (orient > 0) crossings++;
            }
        }
        return (crossings & 1) == 1 ? Location.Interior : Location.Exterior;
    }

    private bool Cell(double x, double y, out int cell)
    {
        cell = -1;
        if (!(x >= _gridMinX && x <= _gridMaxX && y >= _gridMinY && y <= _gridMaxY)) return false;
        cell = CellRow(y) * _columns + CellColumn(x);
        return true;
    }

    private (int[] Start, int[] Items) BuildGrid()
    {
        var counts = new int[_columns * _rows + 1];
        void Visit(int polygon, Action<int> action)
        {
            var e = polygon * 4;
            if (double.IsNaN(_envelopes[e])) return;
            var c0 = CellColumn(_envelopes[e]);
            var c1 = CellColumn(_envelopes[e + 2]);
            var r0 = CellRow(_envelopes[e + 1]);
            var r1 = CellRow(_envelopes[e + 3]);
            for (var r = r0; r <= r1; r++)
                for (var c = c0; c <= c1; c++) action(r * _columns + c);
        }
        for (var i = 0; i < Count; i++) Visit(i, c => counts[c + 1]++);
        for (var c = 1; c < counts.Length; c++) counts[c] += counts[c - 1];
        var items = new int[counts[^1]];
        var fill = (int[])counts.Clone();
        for (var i = 0; i < Count; i++)
        {
            var polygon = i;
            Visit(i, c => items[fill[c]++] = polygon);
        }
        return (counts, items);
    }

    // A point exactly on a cell edge is looked up in the cell above/right; an envelope on that edge is
    // registered in both, because the column of its max is computed the same way as a point's.
    private int CellColumn(double x) => Math.Clamp((int)((x - _gridMinX) / _cellWidth), 0, _columns - 1);
    private int CellRow(double y) => Math.Clamp((int)((y - _gridMinY) / _cellHeight), 0, _rows - 1);

    private static void AddRing(LineString ring, List<double> xs, List<double> ys, List<int> coords)
    {
        var seq = ring.CoordinateSequence;
        for (var i = 0; i < seq.Count; i++)
        {
            xs.Add(seq.GetX(i));
            ys.Add(seq.GetY(i));
        }
        coords.Add(xs.Count);
    }
}

/// <summary>Receives each polygon that covers a point.</summary>
public delegate void CoveringAction<TState>(ref TState state, int polygon);
