using NetTopologySuite.Geometries;

namespace Groundtruth.Analysis.Spatial;

/// <summary>Says how far point <paramref name="point"/> is from what is being searched for; +∞ when the point does not qualify.</summary>
public delegate double PointDistance<TState>(ref TState state, int point);

/// <summary>
/// A uniform grid of square cells over points in projected coordinates (metres), for "the nearest point
/// that qualifies" searches around a shape: cells are read in rings outward from the shape's envelope, and
/// the search stops once no point in the next ring can be nearer than the best found. Thread-safe for
/// concurrent queries once built.
/// </summary>
/// <remarks>
/// The answer is exact: every point is either measured or provably no nearer than the best, because a
/// point's distance to a shape is at least its distance to the shape's envelope. Points are stored in
/// compressed sparse rows (cell c holds <c>_items[_cellStart[c] .. _cellStart[c+1])</c>).
/// </remarks>
public sealed class PointGrid
{
    private readonly double[] _x;
    private readonly double[] _y;
    private readonly double _minX, _minY, _cell;
    private readonly int _columns, _rows;
    private readonly int[] _cellStart;
    private readonly int[] _items;

    /// <param name="xs">The points' x; points with a NaN coordinate are left out.</param>
    /// <param name="ys">The points' y.</param>
    /// <param name="pointsPerCell">About how many points a cell should hold were they spread evenly.</param>
    public PointGrid(double[] xs, double[] ys, double pointsPerCell = 4)
    {
        if (xs.Length != ys.Length) throw new ArgumentException("xs and ys must have the same length");
        _x = xs;
        _y = ys;
        double minX = double.PositiveInfinity, minY = double.PositiveInfinity, maxX = double.NegativeInfinity, maxY = double.NegativeInfinity;
        var present = 0;
        for (var i = 0; i < xs.Length; i++)
        {
            if (double.IsNaN(xs[i]) || double.IsNaN(ys[i])) continue;
            present++;
            minX = Math.Min(minX, xs[i]);
            maxX = Math.Max(maxX, xs[i]);
            minY = Math.Min(minY, ys[i]);
            maxY = Math.Max(maxY, ys[i]);
        }
        Count = present;
        if (present == 0) (minX, minY, maxX, maxY) = (0, 0, 1, 1);
        var w = Math.Max(maxX - minX, 1e-9);
        var h = Math.Max(maxY - minY, 1e-9);
        var cells = Math.Clamp(present / Math.Max(pointsPerCell, 1), 1, 4_000_000);
        _cell = Math.Max(Math.Sqrt(w * h / cells), Math.Max(w, h) / 4096);
        _columns = (int)Math.Clamp(Math.Floor(w / _cell) + 1, 1, 8192);
        _rows = (int)Math.Clamp(Math.Floor(h / _cell) + 1, 1, 8192);
        _minX = minX;
        _minY = minY;

        _cellStart = new int[_columns * _rows + 1];
        for (var i = 0; i < xs.Length; i++)
            if (!double.IsNaN(xs[i]) && !double.IsNaN(ys[i])) _cellStart[CellOf(xs[i], ys[i]) + 1]++;
        for (var c = 1; c < _cellStart.Length; c++) _cellStart[c] += _cellStart[c - 1];
        _items = new int[present];
        var fill = (int[])_cellStart.Clone();
        for (var i = 0; i < xs.Length; i++)
            if (!double.IsNaN(xs[i]) && !double.IsNaN(ys[i])) _items[fill[CellOf(xs[i], ys[i])]++] = i;
    }

    /// <summary>The number of points indexed.</summary>
    public int Count { get; }

    /// <summary>
    /// The least <paramref name="distance"/> over all points, measured only where it could beat the best so
    /// far; <paramref name="distance"/> must never be less than the point's distance to <paramref name="around"/>
    /// (the envelope of the shape measured to). Null when no point qualifies.
    /// </summary>
    public double? Nearest<TState>(Envelope around, ref TState state, PointDistance<TState> distance)
    {
        if (Count == 0 || around.IsNull) return null;
        var c0 = Column(around.MinX);
        var c1 = Column(around.MaxX);
        var r0 = Row(around.MinY);
        var r1 = Row(around.MaxY);
        var best = double.PositiveInfinity;
        for (var ring = 0; ; ring++)
        {
            // Every point in ring k lies at least (k − 1) cells from the envelope; one more ring of slack
            // absorbs rounding in the cell arithmetic.
            if ((ring - 2) * _cell > best) break;
            int left = c0 - ring, right = c1 + ring, bottom = r0 - ring, top = r1 + ring;
            if (left < 0 && bottom < 0 && right >= _columns && top >= _rows) break;
            for (var row = Math.Max(bottom, 0); row <= Math.Min(top, _rows - 1); row++)
            {
                var edgeRow = ring == 0 || row == bottom || row == top;
                for (var column = Math.Max(left, 0); column <= Math.Min(right, _columns - 1); column++)
                {
                    if (!edgeRow && column != left && column != right)
                    {
                        // Inside the ring: jump to its right edge.
                        if (right >= _columns) break;
                        column = right;
                    }
                    var cell = row * _columns + column;
                    for (var k = _cellStart[cell]; k < _cellStart[cell + 1]; k++)
                    {
                        var i = _items[k];
                        var dx = Math.Max(Math.Max(around.MinX - _x[i], _x[i] - around.MaxX), 0);
                        var dy = Math.Max(Math.Max(around.MinY - _y[i], _y[i] - around.MaxY), 0);
                        // The bound is shaved by a relative 1e-12 so rounding never discards a point that ties or wins.
                        if (Math.Sqrt(dx * dx + dy * dy) * (1 - 1e-12) > best) continue;
                        var d = distance(ref state, i);
                        if (d < best) best = d;
                    }
                }
            }
        }
        return double.IsPositiveInfinity(best) ? null : best;
    }

    /// <summary>Adds to <paramref name="into"/> every point inside <paramref name="box"/>, edges included (as an envelope query of a tree of the points).</summary>
    public void Within(Envelope box, List<int> into)
    {
        if (Count == 0 || box.IsNull) return;
        int c0 = Column(box.MinX), c1 = Column(box.MaxX), r0 = Row(box.MinY), r1 = Row(box.MaxY);
        for (var row = r0; row <= r1; row++)
            for (var column = c0; column <= c1; column++)
            {
                var cell = row * _columns + column;
                for (var k = _cellStart[cell]; k < _cellStart[cell + 1]; k++)
                {
                    var i = _items[k];
                    if (_x[i] >= box.MinX && _x[i] <= box.MaxX && _y[i] >= box.MinY && _y[i] <= box.MaxY) into.Add(i);
                }
            }
    }

    private int CellOf(double x, double y) => Row(y) * _columns + Column(x);
    private int Column(double x) => (int)Math.Clamp(Math.Floor((x - _minX) / _cell), 0, _columns - 1);
    private int Row(double y) => (int)Math.Clamp(Math.Floor((y - _minY) / _cell), 0, _rows - 1);
}
