using NetTopologySuite.Algorithm;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Utilities;

namespace Groundtruth.Analysis.Spatial;

/// <summary>
/// The distance from points to one geometry of points or lines (a record recorded as a point or a line), equal to
/// <c>geometry.Distance(point)</c>, with the geometry's parts taken apart once for a geometry measured against many
/// points (issue 11: record accuracy's coverage over buffers measured every find near a point or line record through
/// NetTopologySuite's <c>DistanceOp</c>, which extracts the parts again and allocates on every call).
/// </summary>
/// <remarks>
/// The same steps as <c>DistanceOp</c> for a point: each line (in <see cref="LinearComponentExtracter"/>'s order) is
/// skipped when its envelope lies farther than the best distance so far, otherwise each of its segments gives
/// <see cref="DistanceComputer.PointToSegment"/>; then each of the geometry's points gives
/// <see cref="Coordinate.Distance"/>; the least is kept and a distance of 0 ends the search. So the result is the
/// same number; a test compares the two. Once built an instance may be shared between threads.
/// </remarks>
public sealed class FacetDistance
{
    private readonly bool _empty;
    private readonly Coordinate[][] _lines;
    private readonly Envelope[] _lineEnvelopes;
    private readonly Coordinate[] _points;

    /// <summary>Whether <paramref name="geometry"/> is made of points or of lines only (what this class measures).</summary>
    public static bool Measures(Geometry geometry) => geometry is IPuntal or ILineal;

    public FacetDistance(Geometry geometry)
    {
        if (!Measures(geometry)) throw new ArgumentException($"a {geometry.GeometryType} is neither points nor lines", nameof(geometry));
        _empty = geometry.IsEmpty;
        var lines = LinearComponentExtracter.GetLines(geometry).Cast<LineString>().ToList();
        _lines = [.. lines.Select(l => l.Coordinates)];
        _lineEnvelopes = [.. lines.Select(l => l.EnvelopeInternal)];
        _points = [.. PointExtracter.GetPoints(geometry).Cast<Point>().Where(p => !p.IsEmpty).Select(p => p.Coordinate)];
    }

    /// <summary>The distance from (<paramref name="x"/>, <paramref name="y"/>); 0 for an empty geometry, as NetTopologySuite gives.</summary>
    public double To(double x, double y)
    {
        if (_empty) return 0;
        var point = new Coordinate(x, y);
        var at = new Envelope(point);
        var best = double.MaxValue;
        for (var l = 0; l < _lines.Length; l++)
        {
            if (_lineEnvelopes[l].Distance(at) > best) continue;
            var line = _lines[l];
            for (var i = 0; i < line.Length - 1; i++)
            {
                var d = DistanceComputer.PointToSegment(point, line[i], line[i + 1]);
                if (d < best) best = d;
                if (best <= 0) return best;
            }
        }
        foreach (var p in _points)
        {
            var d = p.Distance(point);
            if (d < best) best = d;
            if (best <= 0) return best;
        }
        return best;
    }
}
