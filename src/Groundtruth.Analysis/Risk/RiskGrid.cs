using NetTopologySuite.Geometries;

namespace Groundtruth.Analysis.Risk;

/// <summary>
/// A north-up grid of square cells in a metric projection (the UTM zone of the area's centre, EPSG
/// <see cref="Epsg"/>). Cell (column, row) covers x ∈ [MinX + column·Cell, MinX + (column+1)·Cell) and
/// y ∈ (MaxY − (row+1)·Cell, MaxY − row·Cell]; row 0 is the northern edge, as in a GeoTIFF. Cells are
/// indexed row-major: <c>row · Columns + column</c>. A cell is judged by its centre.
/// </summary>
public sealed class RiskGrid
{
    public RiskGrid(double minX, double maxY, double cell, int columns, int rows, int epsg)
    {
        if (!(cell > 0)) throw new ArgumentOutOfRangeException(nameof(cell), cell, "the cell size must be positive metres");
        if (columns < 1 || rows < 1) throw new ArgumentOutOfRangeException(nameof(columns), "the grid needs at least one cell");
        if ((long)columns * rows > 200_000_000) throw new ArgumentOutOfRangeException(nameof(cell), cell, $"{columns}×{rows} cells is too many; choose a larger cell");
        (MinX, MaxY, Cell, Columns, Rows, Epsg) = (minX, maxY, cell, columns, rows, epsg);
    }

    /// <summary>A grid that covers a metric envelope, its origin snapped to whole cells.</summary>
    public static RiskGrid Covering(Envelope metric, double cell, int epsg)
    {
        var minX = Math.Floor(metric.MinX / cell) * cell;
        var maxY = Math.Ceiling(metric.MaxY / cell) * cell;
        var columns = Math.Max(1, (int)Math.Ceiling((metric.MaxX - minX) / cell));
        var rows = Math.Max(1, (int)Math.Ceiling((maxY - metric.MinY) / cell));
        return new RiskGrid(minX, maxY, cell, columns, rows, epsg);
    }

    public double MinX { get; }
    public double MaxY { get; }
    public double Cell { get; }
    public int Columns { get; }
    public int Rows { get; }
    public int Epsg { get; }
    public int Count => Columns * Rows;
    public double MaxX => MinX + Columns * Cell;
    public double MinY => MaxY - Rows * Cell;

    public double CentreX(int column) => MinX + (column + 0.5) * Cell;
    public double CentreY(int row) => MaxY - (row + 0.5) * Cell;

    /// <summary>The cell that holds a metric point, or -1 outside the grid.</summary>
    public int CellOf(double x, double y)
    {
        var c = (int)Math.Floor((x - MinX) / Cell);
        var r = (int)Math.Floor((MaxY - y) / Cell);
        return c < 0 || r < 0 || c >= Columns || r >= Rows ? -1 : r * Columns + c;
    }

    /// <summary>Marks the cells whose centre lies in a polygon (even-odd over all its rings, so holes stay out); a polygon too small to hold a centre marks the cell of its interior point.</summary>
    public void FillPolygonal(Geometry metric, Action<int> mark)
    {
        for (var g = 0; g < metric.NumGeometries; g++)
        {
            if (metric.GetGeometryN(g) is not Polygon p || p.IsEmpty) continue;
            if (!FillPolygon(p, mark))
            {
                var inside = p.InteriorPoint;
                var cell = CellOf(inside.X, inside.Y);
                if (cell >= 0) mark(cell);
            }
        }
    }

    private bool FillPolygon(Polygon polygon, Action<int> mark)
    {
        var env = polygon.EnvelopeInternal;
        var r0 = Math.Max(0, (int)Math.Floor((MaxY - env.MaxY) / Cell - 0.5));
        var r1 = Math.Min(Rows - 1, (int)Math.Ceiling((MaxY - env.MinY) / Cell));
        var rings = new List<Coordinate[]> { polygon.ExteriorRing.Coordinates };
        rings.AddRange(polygon.InteriorRings.Select(h => h.Coordinates));
        var crossings = new List<double>();
        var any = false;
        for (var r = r0; r <= r1; r++)
        {
            var y = CentreY(r);
            crossings.Clear();
            foreach (var ring in rings)
            {
                for (var i = 1; i < ring.Length; i++)
                {
                    var (a, b) = (ring[i - 1], ring[i]);
                    if ((a.Y > y) == (b.Y > y)) continue;
                    crossings.Add(a.X + (y - a.Y) * (b.X - a.X) / (b.Y - a.Y));
                }
            }
            crossings.Sort();
            for (var k = 0; k + 1 < crossings.Count; k += 2)
            {
                var c0 = Math.Max(0, (int)Math.Ceiling((crossings[k] - MinX) / Cell - 0.5));
                var c1 = Math.Min(Columns - 1, (int)Math.Floor((crossings[k + 1] - MinX) / Cell - 0.5));
                for (var c = c0; c <= c1; c++)
                {
                    mark(r * Columns + c);
                    any = true;
                }
            }
        }
        return any;
    }

    /// <summary>Marks every cell a line passes through (sampled at a quarter of a cell).</summary>
    public void TraceLines(Geometry metric, Action<int> mark)
    {
        for (var g = 0; g < metric.NumGeometries; g++)
        {
            var part = metric.GetGeometryN(g);
            if (part is Point pt)
            {
                var cell = CellOf(pt.X, pt.Y);
                if (cell >= 0) mark(cell);
                continue;
            }
            if (part is Polygon poly)
            {
                TraceLines(poly.ExteriorRing, mark);
                continue;
            }
            var cs = part.Coordinates;
            for (var i = 0; i < cs.Length; i++)
            {
                if (i == 0)
                {
                    var cell = CellOf(cs[0].X, cs[0].Y);
                    if (cell >= 0) mark(cell);
                    continue;
                }
                var (a, b) = (cs[i - 1], cs[i]);
                var steps = Math.Max(1, (int)Math.Ceiling(a.Distance(b) / (Cell / 4)));
                for (var s = 1; s <= steps; s++)
                {
                    var t = s / (double)steps;
                    var cell = CellOf(a.X + t * (b.X - a.X), a.Y + t * (b.Y - a.Y));
                    if (cell >= 0) mark(cell);
                }
            }
        }
    }

    /// <summary>Marks the cells a footprint occupies: its area when polygonal, else the cells its lines or points touch.</summary>
    public void Burn(Geometry metric, Action<int> mark)
    {
        if (metric is IPolygonal) { FillPolygonal(metric, mark); TraceLines(metric, mark); return; }
        if (metric is GeometryCollection gc && metric is not MultiPoint && metric is not MultiLineString)
        {
            for (var i = 0; i < gc.NumGeometries; i++) Burn(gc.GetGeometryN(i), mark);
            return;
        }
        TraceLines(metric, mark);
    }
}
