using CsCheck;
using Groundtruth.Analysis.Spatial;
using Groundtruth.Analysis.Tests.Support;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace Groundtruth.Analysis.Tests;

/// <summary>
/// The plain validity check against NetTopologySuite's own (<see cref="Geometry.IsValid"/>): on shapes drawn with vertices on a
/// small lattice (so edges often touch, cross at a vertex, run along one another or fold back), whatever the check clears must be
/// valid to NetTopologySuite, and <see cref="Validity.IsValid"/> must always give NetTopologySuite's answer.
/// </summary>
public sealed class ValidityTests
{
    private static readonly GeometryFactory Factory = new();

    [Theory]
    [InlineData("square", "POLYGON((0 0,2 0,2 2,0 2,0 0))", true)]
    [InlineData("square with a repeated vertex", "POLYGON((0 0,2 0,2 0,2 2,0 2,0 0))", true)]
    [InlineData("collinear vertex on an edge", "POLYGON((0 0,1 0,2 0,2 2,0 2,0 0))", true)]
    [InlineData("bow-tie", "POLYGON((0 0,2 2,2 0,0 2,0 0))", false)]
    [InlineData("spike folding back", "POLYGON((0 0,2 0,2 2,1 2,1 3,1 2,0 2,0 0))", false)]
    [InlineData("ring touching itself at a vertex", "POLYGON((0 0,4 0,4 4,2 0,0 4,0 0))", false)]
    [InlineData("all vertices on one line", "POLYGON((0 0,1 0,2 0,0 0))", false)]
    [InlineData("two vertices only", "POLYGON((0 0,1 0,0 0,1 0,0 0))", false)]
    [InlineData("two squares apart", "MULTIPOLYGON(((0 0,1 0,1 1,0 1,0 0)),((2 0,3 0,3 1,2 1,2 0)))", true)]
    [InlineData("two squares overlapping", "MULTIPOLYGON(((0 0,2 0,2 2,0 2,0 0)),((1 0,3 0,3 1,1 1,1 0)))", false)]
    [InlineData("two squares sharing an edge", "MULTIPOLYGON(((0 0,1 0,1 1,0 1,0 0)),((1 0,2 0,2 1,1 1,1 0)))", false)]
    [InlineData("square with a hole", "POLYGON((0 0,4 0,4 4,0 4,0 0),(1 1,2 1,2 2,1 2,1 1))", true)]
    [InlineData("line", "LINESTRING(0 0,1 1)", true)]
    [InlineData("line of one point repeated", "LINESTRING(0 0,0 0)", false)]
    [InlineData("points", "MULTIPOINT((0 0),(1 1))", true)]
    [InlineData("lines", "MULTILINESTRING((0 0,1 1),(0 1,1 0))", true)]
    public void KnownShapes_GiveNetTopologySuitesAnswer(string description, string wkt, bool valid)
    {
        var g = new WKTReader().Read(wkt);
        g.IsValid.ShouldBe(valid, description);
        Validity.IsValid(g).ShouldBe(valid, description);
        if (!valid) Validity.IsPlainlyValid(g).ShouldBeFalse(description);
    }

    [Fact]
    public void NonFiniteCoordinates_AreLeftToNetTopologySuite()
    {
        var point = Factory.CreatePoint(new Coordinate(double.NaN, 1));
        Validity.IsPlainlyValid(point).ShouldBeFalse();
        Validity.IsValid(point).ShouldBe(point.IsValid);
        var ring = Factory.CreatePolygon([new(0, 0), new(double.PositiveInfinity, 0), new(1, 1), new(0, 0)]);
        Validity.IsPlainlyValid(ring).ShouldBeFalse();
        Validity.IsValid(ring).ShouldBe(ring.IsValid);
    }

    [Fact]
    public void GeneratedRings_AgreeWithNetTopologySuite()
    {
        // Rings of 3-9 vertices on a 5 x 5 lattice, with a vertex sometimes repeated: about half are invalid.
        var gen = Gen.Int[3, 9].SelectMany(n => Gen.Select(Gen.Int[0, 4], Gen.Int[0, 4], Gen.Int[0, 5]).Array[n]);
        var counts = new int[3];
        FixedSeeds.Check(gen, vertices =>
        {
            var ring = new List<Coordinate>();
            foreach (var (x, y, repeat) in vertices)
            {
                ring.Add(new Coordinate(500_000 + x, 3_500_000 + y));
                if (repeat == 0) ring.Add(new Coordinate(500_000 + x, 3_500_000 + y));
            }
            ring.Add(ring[0].Copy());
            var polygon = Factory.CreatePolygon([.. ring]);
            var expected = polygon.IsValid;
            var plain = Validity.IsPlainlyValid(polygon);
            lock (counts)
            {
                counts[expected ? 1 : 0]++;
                if (plain) counts[2]++;
            }
            return Validity.IsValid(polygon) == expected && (!plain || expected);
        }, 4000, v => string.Join(",", v.Select(p => $"{p.Item1} {p.Item2}{(p.Item3 == 0 ? "*" : "")}")));
        // Both answers were met often enough for the comparison to mean something.
        counts[0].ShouldBeGreaterThan(500);
        counts[1].ShouldBeGreaterThan(500);
        // Every valid ring here (no holes, few edges) is cleared by the plain check itself, not handed on.
        counts[2].ShouldBe(counts[1]);
    }

    [Theory]
    // Found by a review: edges 0 and 3 cross, but the orientation test, not exact at these sizes, calls one end of edge 3
    // on edge 0's line; NetTopologySuite's intersector still finds the crossing, and so must the check.
    [InlineData("POLYGON((2.481541837659083E-24 1.6543612251060553E-24,1 1,1 1.2676506002282294E+30,1.2676506002282294E+30 1.2676506002282294E+30,1.6543612251060553E-24 8.271806125530277E-25,2.481541837659083E-24 1.6543612251060553E-24))")]
    // Differences that overflow to infinity: the orientation test answers "on the line".
    [InlineData("POLYGON((-1E+308 1E-300,1.7E+308 0,-1.7E+308 2,1.152921504606847E+18 5E-324,-1E+308 1E-300))")]
    public void RingsWhoseOrientationTestsAreWrong_GiveNetTopologySuitesAnswer(string wkt)
    {
        var g = new WKTReader().Read(wkt);
        g.IsValid.ShouldBeFalse();
        Validity.IsPlainlyValid(g).ShouldBeFalse();
        Validity.IsValid(g).ShouldBeFalse();
    }

    [Fact]
    public void GeneratedRingsOfWildlyDifferentSizes_AgreeWithNetTopologySuite()
    {
        // Coordinates drawn from a few magnitudes at once (tiny, unit, huge, near a double's limit), where the orientation
        // test is not exact: whatever the check clears, NetTopologySuite must find valid.
        double[] scales = [1e-300, 1e-24, 1, 1e6, 1e30, 1e300, 1.7e308];
        var coordinate = Gen.Select(Gen.Int[0, scales.Length - 1], Gen.Int[-3, 3], Gen.Int[0, scales.Length - 1], Gen.Int[-3, 3])
            .Select(t => new Coordinate(scales[t.Item1] * t.Item2, scales[t.Item3] * t.Item4));
        var gen = Gen.Int[3, 7].SelectMany(n => coordinate.Array[n]);
        FixedSeeds.Check(gen, vertices =>
        {
            var ring = vertices.Select(c => c.Copy()).Append(vertices[0].Copy()).ToArray();
            var polygon = Factory.CreatePolygon(ring);
            var expected = polygon.IsValid;
            return Validity.IsValid(polygon) == expected && (!Validity.IsPlainlyValid(polygon) || expected);
        }, 4000, v => string.Join(",", v.Select(c => $"{c.X:R} {c.Y:R}")));
    }

    [Fact]
    public void GeneratedMultiPolygons_AgreeWithNetTopologySuite()
    {
        // Two or three small squares or triangles on a lattice: apart, touching, overlapping.
        var part = Gen.Select(Gen.Int[0, 6], Gen.Int[0, 6], Gen.Int[1, 3], Gen.Bool);
        var gen = Gen.Int[2, 3].SelectMany(n => part.Array[n]);
        FixedSeeds.Check(gen, parts =>
        {
            var polygons = parts.Select(p =>
            {
                var (x, y, size, triangle) = p;
                Coordinate[] shell = triangle
                    ? [new(x, y), new(x + size, y), new(x, y + size), new(x, y)]
                    : [new(x, y), new(x + size, y), new(x + size, y + size), new(x, y + size), new(x, y)];
                return Factory.CreatePolygon(shell);
            }).ToArray();
            var multi = Factory.CreateMultiPolygon(polygons);
            var expected = multi.IsValid;
            return Validity.IsValid(multi) == expected && (!Validity.IsPlainlyValid(multi) || expected);
        }, 2000);
    }

    [Fact]
    public void PlainShapes_AreClearedWithoutNetTopologySuite()
    {
        // What the check is for: the common shapes are cleared by it, not handed on.
        Validity.IsPlainlyValid(new WKTReader().Read("MULTIPOLYGON(((0 0,10 0,10 5,0 5,0 0)))")).ShouldBeTrue();
        Validity.IsPlainlyValid(new WKTReader().Read("MULTIPOINT((0 0),(0 0),(3 4))")).ShouldBeTrue();
        Validity.IsPlainlyValid(new WKTReader().Read("MULTILINESTRING((0 0,10 0),(0 5,10 5))")).ShouldBeTrue();
    }
}
