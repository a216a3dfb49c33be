using Groundtruth.Analysis.Tests.Support;
using CsCheck;
using Groundtruth.Analysis.Spatial;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace Groundtruth.Analysis.Tests;

public sealed class SpatialJoinTests
{
    private static readonly GeometryFactory Factory = new();

    /// <summary>A star-shaped polygon with coordinates snapped to a 1/8 grid, so sampled points hit vertices and edges exactly.</summary>
    private static Polygon? Star(double cx, double cy, double radius, int vertices, double[] jitter, bool hole)
    {
        static double Snap(double v) => Math.Round(v * 8) / 8;
        Coordinate[] Ring(double r0, double r1)
        {
            var pts = new Coordinate[vertices + 1];
            for (var k = 0; k < vertices; k++)
            {
                var a = 2 * Math.PI * k / vertices;
                var r = r0 + (r1 - r0) * jitter[k % jitter.Length];
                pts[k] = new Coordinate(Snap(cx + r * Math.Cos(a)), Snap(cy + r * Math.Sin(a)));
            }
            pts[vertices] = pts[0].Copy();
            return pts;
        }
        var shell = Factory.CreateLinearRing(Ring(radius * 0.6, radius));
        var holes = hole ? [Factory.CreateLinearRing(Ring(radius * 0.1, radius * 0.3))] : Array.Empty<LinearRing>();
        var polygon = Factory.CreatePolygon(shell, holes);
        return polygon.IsValid ? polygon : null;
    }

    private static readonly Gen<Polygon?> PolygonGen =
        Gen.Select(Gen.Double[0, 40], Gen.Double[0, 40], Gen.Double[1, 8], Gen.Int[3, 12], Gen.Double[0, 1].Array[12], Gen.Bool)
           .Select((x, y, r, n, j, h) => Star(x, y, r, n, j, h));

    private static readonly Gen<(List<Geometry> Polygons, double[] Xs, double[] Ys)> Case =
        Gen.Select(PolygonGen.List[1, 30], Gen.Int[0, 320].Array[200], Gen.Int[0, 320].Array[200])
           .Select((ps, xi, yi) =>
           {
               var polygons = new List<Geometry>();
               for (var i = 0; i + 1 < ps.Count; i += 2)
               {
                   if (ps[i] is null) continue;
                   // Every other case is a multipolygon of two parts when they do not overlap.
                   if (ps[i + 1] is { } q && !ps[i]!.Intersects(q)) polygons.Add(Factory.CreateMultiPolygon([ps[i]!, q]));
                   else polygons.Add(ps[i]!);
               }
               var xs = xi.Select(v => v / 8.0).ToList();
               var ys = yi.Select(v => v / 8.0).ToList();
               // Vertices are boundary points: include some of them exactly.
               foreach (var p in polygons.Take(5)) foreach (var c in p.Coordinates.Take(3)) { xs.Add(c.X); ys.Add(c.Y); }
               return (polygons, xs.ToArray(), ys.ToArray());
           });

    [Fact]
    public void SemiJoin_EqualsBruteForceCovers_OnRandomPolygonsAndPoints()
    {
        FixedSeeds.Check(Case, c =>
        {
            var index = PolygonIndex.Build(c.Polygons);
            var semi = SpatialJoin.SemiJoin(index, c.Xs, c.Ys);
            for (var i = 0; i < c.Xs.Length; i++)
            {
                var point = Factory.CreatePoint(new Coordinate(c.Xs[i], c.Ys[i]));
                var expected = c.Polygons.Any(p => p.Covers(point));
                if (semi[i] != expected) return false;
            }
            return true;
        }, iter: 300);
    }

    [Fact]
    public void InsidePlusOutside_IsTheTotal_AndCountsAgree()
    {
        FixedSeeds.Check(Case, c =>
        {
            var index = PolygonIndex.Build(c.Polygons);
            var semi = SpatialJoin.SemiJoin(index, c.Xs, c.Ys);
            var inside = SpatialJoin.CountCovered(index, c.Xs, c.Ys);
            var outside = semi.Count(s => !s);
            return inside + outside == c.Xs.Length && inside == semi.Count(s => s);
        }, iter: 100);
    }

    [Fact]
    public void SumPerPolygon_CountsEveryCoveringPolygon_AndAssignPicksTheLowestRank()
    {
        FixedSeeds.Check(Case, c =>
        {
            var rank = c.Polygons.Select(p => (int)Math.Round(p.Area * 1000)).ToArray();
            var index = PolygonIndex.Build(c.Polygons, rank);
            var sums = SpatialJoin.SumPerPolygon(index, c.Xs, c.Ys);
            var assigned = SpatialJoin.Assign(index, c.Xs, c.Ys);
            for (var p = 0; p < c.Polygons.Count; p++)
            {
                var expected = Enumerable.Range(0, c.Xs.Length).Count(i => c.Polygons[p].Covers(Factory.CreatePoint(new Coordinate(c.Xs[i], c.Ys[i]))));
                if (sums[p] != expected) return false;
            }
            for (var i = 0; i < c.Xs.Length; i++)
            {
                var point = Factory.CreatePoint(new Coordinate(c.Xs[i], c.Ys[i]));
                var best = Enumerable.Range(0, c.Polygons.Count).Where(p => c.Polygons[p].Covers(point))
                    .OrderBy(p => rank[p]).ThenBy(p => p).DefaultIfEmpty(-1).First();
                if (assigned[i] != best) return false;
            }
            return true;
        }, iter: 100);
    }

    [Theory]
    [InlineData(0.0, 0.0, true, "a shell vertex")]
    [InlineData(5.0, 0.0, true, "on the bottom edge")]
    [InlineData(10.0, 7.0, true, "on the right edge")]
    [InlineData(5.0, 5.0, false, "inside the hole")]
    [InlineData(4.0, 5.0, true, "on the hole's edge")]
    [InlineData(2.0, 2.0, true, "in the interior")]
    [InlineData(10.000001, 5.0, false, "just outside")]
    [InlineData(25.0, 25.0, true, "in the second part")]
    public void Covers_CountsBoundariesAsInside(double x, double y, bool inside, string why)
    {
        var g = new WKTReader().Read("MULTIPOLYGON(((0 0,10 0,10 10,0 10,0 0),(4 4,6 4,6 6,4 6,4 4)),((20 20,30 20,30 30,20 30,20 20)))");
        var index = PolygonIndex.Build([g]);
        index.CoversAny(x, y).ShouldBe(inside, why);
        g.Covers(g.Factory.CreatePoint(new Coordinate(x, y))).ShouldBe(inside, "NetTopologySuite agrees: " + why);
    }

    [Fact]
    public void Build_RefusesWhatIsNotPolygonal() =>
        Should.Throw<ArgumentException>(() => PolygonIndex.Build([new WKTReader().Read("LINESTRING(0 0,1 1)")]));

    [Fact]
    public void EmptyIndex_CoversNothing()
    {
        var index = PolygonIndex.Build([]);
        index.CoversAny(0, 0).ShouldBeFalse();
        SpatialJoin.Assign(index, [0.0], [0.0]).ShouldBe([-1]);
    }
}
