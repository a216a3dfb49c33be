using Groundtruth.Analysis.Spatial;
using NetTopologySuite.Geometries;

namespace Groundtruth.Analysis.Tests;

/// <summary><see cref="FacetDistance"/> gives exactly what <c>geometry.Distance(point)</c> gives for point and line records, on, near and far from them.</summary>
public sealed class FacetDistanceTests
{
    private static readonly GeometryFactory Metric = new(new PrecisionModel(), 32726);

    private static IEnumerable<Geometry> Facets(Random random)
    {
        var x0 = 500_000 + random.NextDouble() * 1000;
        var y0 = 6_000_000 + random.NextDouble() * 1000;
        Coordinate Near() => new(x0 + random.NextDouble() * 400, y0 + random.NextDouble() * 300);
        yield return Metric.CreatePoint(Near());
        yield return Metric.CreateMultiPoint([Metric.CreatePoint(Near()), Metric.CreatePoint(Near()), Metric.CreatePoint(Near())]);
        yield return Metric.CreateLineString([Near(), Near(), Near(), Near()]);
        // A line that doubles back on itself, a closed one and a line of many short segments (a track).
        var a = Near();
        var b = Near();
        yield return Metric.CreateLineString([a, b, new Coordinate(a.X, a.Y)]);
        var ring = Metric.CreateLinearRing([new(x0, y0), new(x0 + 200, y0), new(x0 + 200, y0 + 100), new(x0, y0)]);
        yield return Metric.CreateMultiLineString([Metric.CreateLineString(ring.Coordinates), Metric.CreateLineString([Near(), Near()])]);
        yield return Metric.CreateLineString([.. Enumerable.Range(0, 60).Select(i => new Coordinate(x0 + i * 7.5, y0 + Math.Sin(i / 4.0) * 40))]);
        yield return Metric.CreateMultiLineString();
        yield return Metric.CreateMultiPoint();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void To_EqualsGeometryDistance(int seed)
    {
        var random = new Random(seed);
        var compared = 0;
        foreach (var facets in Facets(random))
        {
            var measured = new FacetDistance(facets);
            var e = facets.IsEmpty ? new Envelope(500_000, 501_000, 6_000_000, 6_001_000) : facets.EnvelopeInternal;
            var (w, h) = (Math.Max(e.Width, 50), Math.Max(e.Height, 50));
            var points = new List<Coordinate>();
            for (var i = 0; i < 400; i++)
                points.Add(new(e.MinX - w + random.NextDouble() * w * 3, e.MinY - h + random.NextDouble() * h * 3));
            points.AddRange(facets.Coordinates.Take(50)); // on the geometry: its vertices
            var coordinates = facets.Coordinates;
            for (var i = 0; i + 1 < Math.Min(coordinates.Length, 20); i++)  // on its segments, as near as doubles get
                points.Add(new((coordinates[i].X + coordinates[i + 1].X) / 2, (coordinates[i].Y + coordinates[i + 1].Y) / 2));
            foreach (var p in points)
            {
                measured.To(p.X, p.Y).ShouldBe(facets.Distance(Metric.CreatePoint(p)), $"{facets.GeometryType} at {p}");
                compared++;
            }
        }
        compared.ShouldBeGreaterThan(3000);
    }

    [Fact]
    public void AnArea_IsRefused()
    {
        var square = Metric.CreatePolygon([new(0, 0), new(1, 0), new(1, 1), new(0, 0)]);
        FacetDistance.Measures(square).ShouldBeFalse();
        Should.Throw<ArgumentException>(() => new FacetDistance(square));
    }
}
