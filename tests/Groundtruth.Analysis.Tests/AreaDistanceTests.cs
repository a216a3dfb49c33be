using Groundtruth.Analysis.Spatial;
using NetTopologySuite.Geometries;

namespace Groundtruth.Analysis.Tests;

/// <summary><see cref="AreaDistance"/> gives exactly what <c>point.Distance(area)</c> gives, inside, on and outside every kind of area.</summary>
public sealed class AreaDistanceTests
{
    private static readonly GeometryFactory Metric = new(new PrecisionModel(), 32726);

    private static IEnumerable<Geometry> Areas(Random random)
    {
        var x0 = 500_000 + random.NextDouble() * 1000;
        var y0 = 6_000_000 + random.NextDouble() * 1000;
        var square = Metric.CreatePolygon([new(x0, y0), new(x0 + 300, y0), new(x0 + 300, y0 + 200), new(x0, y0 + 200), new(x0, y0)]);
        yield return square;
        // Buffered point and line (the arcs of a record's stated uncertainty).
        yield return Metric.CreatePoint(new Coordinate(x0, y0)).Buffer(10 + random.NextDouble() * 40);
        yield return Metric.CreateLineString([new(x0, y0), new(x0 + 150, y0 + 80), new(x0 + 400, y0 - 20)]).Buffer(25);
        // A polygon with a hole, and a multipolygon.
        var hole = Metric.CreateLinearRing([new(x0 + 100, y0 + 50), new(x0 + 200, y0 + 50), new(x0 + 200, y0 + 150), new(x0 + 100, y0 + 150), new(x0 + 100, y0 + 50)]);
        yield return Metric.CreatePolygon(square.Shell, [hole]);
        yield return Metric.CreateMultiPolygon([square, (Polygon)Metric.CreatePoint(new Coordinate(x0 + 700, y0 + 300)).Buffer(60)]);
        yield return Metric.CreateMultiPolygon();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void To_EqualsGeometryDistance(int seed)
    {
        var random = new Random(seed);
        var compared = 0;
        foreach (var area in Areas(random))
        {
            var measured = new AreaDistance(area);
            var points = new List<Coordinate>();
            var e = area.IsEmpty ? new Envelope(500_000, 501_000, 6_000_000, 6_001_000) : area.EnvelopeInternal;
            for (var i = 0; i < 400; i++)
                points.Add(new(e.MinX - e.Width + random.NextDouble() * e.Width * 3, e.MinY - e.Height + random.NextDouble() * e.Height * 3));
            points.AddRange(area.Coordinates.Take(50)); // on the boundary: vertices
            foreach (var p in points)
            {
                measured.To(p.X, p.Y).ShouldBe(Metric.CreatePoint(p).Distance(area), $"{area.GeometryType} at {p}");
                compared++;
            }
        }
        compared.ShouldBeGreaterThan(2000);
    }

    /// <summary>Within(x, y, d) is To(x, y) &lt;= d: for distances below, at and above each point's own distance, and fixed ones.</summary>
    [Theory]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    public void Within_IsToAtMostTheDistance(int seed)
    {
        var random = new Random(seed);
        var compared = 0;
        var within = 0;
        foreach (var area in Areas(random))
        {
            var measured = new AreaDistance(area);
            var e = area.IsEmpty ? new Envelope(500_000, 501_000, 6_000_000, 6_001_000) : area.EnvelopeInternal;
            var points = Enumerable.Range(0, 300).Select(_ => new Coordinate(e.MinX - e.Width + random.NextDouble() * e.Width * 3, e.MinY - e.Height + random.NextDouble() * e.Height * 3)).ToList();
            points.AddRange(area.Coordinates.Take(30));
            foreach (var p in points)
            {
                var own = measured.To(p.X, p.Y);
                foreach (var d in new[] { own, Math.BitDecrement(own), Math.BitIncrement(own), own * 0.5, own * 2, 0, 1, 50, 1000 })
                {
                    var expected = own <= d;
                    measured.Within(p.X, p.Y, d).ShouldBe(expected, $"{area.GeometryType} at {p}, distance {d:R}, own {own:R}");
                    if (expected) within++;
                    compared++;
                }
            }
        }
        compared.ShouldBeGreaterThan(10_000);
        within.ShouldBeGreaterThan(compared / 4);
        (compared - within).ShouldBeGreaterThan(compared / 10);
    }
}
