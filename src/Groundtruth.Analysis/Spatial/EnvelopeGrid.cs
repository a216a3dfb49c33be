using NetTopologySuite.Geometries;

namespace Groundtruth.Analysis.Spatial;

/// <summary>
/// A uniform grid over rectangles (geometry envelopes) answering "which rectangles meet this one" (closed:
/// touching counts), each answer once, without allocating. Thread-safe for concurrent queries once built.
/// </summary>
/// <remarks>
/// Each rectangle is registered in every cell it covers (compressed sparse rows); a query reads the cells its
/// rectangle covers and reports a rectangle only from the cell holding the lower-left corner of the two
/// rectangles' overlap, which both cover — so nothing is reported twice and no set is needed. Cells are
/// about twice the mean rectangle's size, at most four per rectangle in all.
/// </remarks>
public sealed class EnvelopeGrid
{
    private readonly double[] _boxes; // minX, minY, maxX, maxY per rectangle
    private readonly double _minX, _minY, _cellWidth, _cellHeight;
    private readonly int _columns, _rows;
    private readonly int[] _cellStart;
    private readonly int[] _cellItems;

    public EnvelopeGrid(IReadOnlyList<Envelope> envelopes)
    {
        Count = envelopes.Count;
        _boxes = new double[Count * 4];
        double minX = double.PositiveInfinity, minY = double.PositiveInfinity, maxX = double.NegativeInfinity, maxY = double.NegativeInfinity;
        double widths = 0, heights = 0;
        var present = 0;
        for (var i = 0; i < Count; i++)
        {
            var e = envelopes[i];
            if (e.IsNull)
            {
                // Never meets anything.
                _boxes[4 * i] = _boxes[4 * i + 1] = double.PositiveInfinity;
                _boxes[4 * i + 2] = _boxes[4 * i + 3] = double.NegativeInfinity;
                continue;
            }
            (_boxes[4 * i], _boxes[4 * i + 1], _boxes[4 * i + 2], _boxes[4 * i + 3]) = (e.MinX, e.MinY, e.MaxX, e.MaxY);
            minX = Math.Min(minX, e.MinX);
            minY = Math.Min(minY, e.MinY);
            maxX = Math.Max(maxX, e.MaxX);
            maxY = Math.Max(maxY, e.MaxY);
            widths += e.Width;
            heights += e.Height;
            present++;
        }
        if (present == 0) (minX, minY, maxX, maxY) = (0, 0, 0, 0);
        _minX = minX;
        _minY = minY;
        var spanX = Math.Max(maxX - minX, 1e-12);
        var spanY = Math.Max(maxY - minY, 1e-12);
        var cell = 2 * Math.Max(widths, heights) / Math.Max(present, 1);
        cell = Math.Max(cell, Math.Sqrt(spanX * spanY / Math.Max(4.0 * present, 1)));
        _columns = (int)Math.Clamp(Math.Ceiling(spanX / Math.Max(cell, 1e-300)), 1, 4096);
        _rows = (int)Math.Clamp(Math.Ceiling(spanY / Math.Max(cell, 1e-300)), 1, 4096);
        _cellWidth = spanX / _columns;
        _cellHeight = spanY / _rows;

        _cellStart = new int[_columns * _rows + 1];
        for (var i = 0; i < Count; i++)
        {
            if (envelopes[i].IsNull) continue;
            var (c0, r0, c1, r1) = Cells(_boxes[4 * i], _boxes[4 * i + 1], _boxes[4 * i + 2], _boxes[4 * i + 3]);
            for (var r = r0; r <= r1; r++)
                for (var c = c0; c <= c1; c++) _cellStart[r * _columns + c + 1]++;
        }
        for (var k = 0; k < _columns * _rows; k++) _cellStart[k + 1] += _cellStart[k];
        _cellItems = new int[_cellStart[^1]];
        var fill = (int[])_cellStart.Clone();
        for (var i = 0; i < Count; i++)
        {
            if (envelopes[i].IsNull) continue;
            var (c0, r0, c1, r1) = Cells(_boxes[4 * i], _boxes[4 * i + 1], _boxes[4 * i + 2], _boxes[4 * i + 3]);
            for (var r = r0; r <= r1; r++)
                for (var c = c0; c <= c1; c++) _cellItems[fill[r * _columns + c]++] = i;
        }
    }

    public int Count { get; }

    private int Column(double x) => Math.Clamp((int)Math.Floor((x - _minX) / _cellWidth), 0, _columns - 1);

    private int Row(double y) => Math.Clamp((int)Math.Floor((y - _minY) / _cellHeight), 0, _rows - 1);

    private (int C0, int R0, int C1, int R1) Cells(double minX, double minY, double maxX, double maxY) =>
        (Column(minX), Row(minY), Column(maxX), Row(maxY));

    /// <summary>Adds to <paramref name="results"/> the index of every rectangle that meets <paramref name="query"/>.</summary>
    public void Query(Envelope query, List<int> results)
    {
        if (query.IsNull) return;
        double qMinX = query.MinX, qMinY = query.MinY, qMaxX = query.MaxX, qMaxY = query.MaxY;
        var (c0, r0, c1, r1) = Cells(qMinX, qMinY, qMaxX, qMaxY);
        var boxes = _boxes;
        for (var r = r0; r <= r1; r++)
            for (var c = c0; c <= c1; c++)
            {
                var cell = r * _columns + c;
                for (var k = _cellStart[cell]; k < _cellStart[cell + 1]; k++)
                {
                    var i = _cellItems[k];
                    double minX = boxes[4 * i], minY = boxes[4 * i + 1];
                    if (minX > qMaxX || minY > qMaxY || boxes[4 * i + 2] < qMinX || boxes[4 * i + 3] < qMinY) continue;
                    if (Column(Math.Max(minX, qMinX)) != c || Row(Math.Max(minY, qMinY)) != r) continue;
                    results.Add(i);
                }
            }
    }
}
