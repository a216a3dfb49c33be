using Groundtruth.Analysis.Spatial;
using NetTopologySuite.Geometries;

namespace Groundtruth.Analysis.Tests;

public sealed class PointGridTests
{
    private static readonly GeometryFactory Factory = new();

    /// <summary>Points in clusters (many in one cell), on a coarse lattice (ties and points on cell edges) and scattered.</summary>
    private static (double[] X, double[] Y) Points(Random random, int count)
    {
        var xs = new double[count];
        var ys = new double[count];
        for (var i = 0; i < count; i++)
        {
            (xs[i], ys[i]) = (i % 3) switch
            {
                0 => (500 + random.NextDouble() * 20, 500 + random.NextDouble() * 20),
                1 => (random.Next(0, 40) * 25.0, random.Next(0, 40) * 25.0),
                _ => (random.NextDouble() * 1000, random.NextDouble() * 1000),
            };
        }
        return (xs, ys);
    }

    private static Polygon Square(double x, double y, double size) =>
        Factory.CreatePolygon([new(x, y), new(x + size, y), new(x + size, y + size), new(x, y + size), new(x, y)]);

    private record struct Search(Polygon Shape, double[] X, double[] Y);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Nearest_OutsideAShape_EqualsTheMinimumOverEveryPoint(int seed)
    {
        var random = new Random(seed);
        var (xs, ys) = Points(random, 3_000);
        var grid = new PointGrid(xs, ys);
        for (var q = 0; q < 200; q++)
        {
            // Shapes inside, around and far outside the points' extent.
            var shape = Square(random.NextDouble() * 1600 - 300, random.NextDouble() * 1600 - 300, random.NextDouble() * 200);
            var search = new Search(shape, xs, ys);
            var found = grid.Nearest(shape.EnvelopeInternal, ref search, static (ref Search s, int i) =>
            {
                var point = Factory.CreatePoint(new Coordinate(s.X[i], s.Y[i]));
                return s.Shape.Covers(point) ? double.PositiveInfinity : point.Distance(s.Shape);
            });
            var expected = Enumerable.Range(0, xs.Length)
                .Select(i => Factory.CreatePoint(new Coordinate(xs[i], ys[i])))
                .Where(p => !shape.Covers(p))
                .Select(p => p.Distance(shape))
                .DefaultIfEmpty(double.NaN)
                .Min();
            found.ShouldBe(double.IsNaN(expected) ? null : expected, $"seed {seed}, query {q}");
        }
    }

    [Fact]
    public void Nearest_IsNull_WhenNoPointQualifies_OrThereAreNone()
    {
        var grid = new PointGrid([1, 2, 3], [1, 2, 3]);
        var nothing = 0;
        grid.Nearest(new Envelope(0, 1, 0, 1), ref nothing, static (ref int _, int _) => double.PositiveInfinity).ShouldBeNull();
        new PointGrid([], []).Nearest(new Envelope(0, 1, 0, 1), ref nothing, static (ref int _, int _) => 0).ShouldBeNull();
        grid.Nearest(new Envelope(10, 11, 10, 11), ref nothing, static (ref int _, int i) => i == 0 ? 20 : double.PositiveInfinity).ShouldBe(20, "point (1, 1) is 12.7 from the envelope");
    }
}
