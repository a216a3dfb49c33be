using Groundtruth.Analysis.Tests.Support;
using CsCheck;
using Groundtruth.Analysis.Spatial;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;
using NetTopologySuite.Operation.Overlay;
using NetTopologySuite.Operation.OverlayNG;

namespace Groundtruth.Analysis.Tests;

/// <summary>
/// The intersection-area kernel against NetTopologySuite's robust overlay (<c>OverlayNGRobust</c>, an
/// independent implementation that builds the intersection, run on the pair moved to a local origin): the kernel's own answers (not its fallback)
/// must agree to 1e-9 of the smaller input's area.
/// </summary>
public sealed class IntersectionAreaTests
{
    private static readonly GeometryFactory Factory = new();

    // Metric coordinates of the size UTM gives (easting ~500 km, northing ~3,500 km).
    private const double East = 500_000;
    private const double North = 3_500_000;

    [Theory]
    [InlineData("half-overlapping squares", "POLYGON((0 0,2 0,2 2,0 2,0 0))", "POLYGON((1 0,3 0,3 2,1 2,1 0))", 2)]
    [InlineData("identical squares (every edge shared, same direction)", "POLYGON((0 0,2 0,2 2,0 2,0 0))", "POLYGON((0 2,0 0,2 0,2 2,0 2))", 4)]
    [InlineData("adjacent squares (one edge shared, opposite directions)", "POLYGON((0 0,2 0,2 2,0 2,0 0))", "POLYGON((2 0,4 0,4 2,2 2,2 0))", 0)]
    [InlineData("touching at a vertex", "POLYGON((0 0,2 0,2 2,0 2,0 0))", "POLYGON((2 2,4 2,4 4,2 4,2 2))", 0)]
    [InlineData("square inside a square", "POLYGON((0 0,4 0,4 4,0 4,0 0))", "POLYGON((1 1,2 1,2 2,1 2,1 1))", 1)]
    [InlineData("square over a hole", "POLYGON((0 0,4 0,4 4,0 4,0 0),(1 1,3 1,3 3,1 3,1 1))", "POLYGON((0 0,2 0,2 2,0 2,0 0))", 3)]
    [InlineData("hole exactly filled (shared edges, opposite directions)", "POLYGON((0 0,4 0,4 4,0 4,0 0),(1 1,3 1,3 3,1 3,1 1))", "POLYGON((1 1,3 1,3 3,1 3,1 1))", 0)]
    [InlineData("multipolygon across two parts", "MULTIPOLYGON(((0 0,1 0,1 1,0 1,0 0)),((2 0,3 0,3 1,2 1,2 0)))", "POLYGON((0.5 0,2.5 0,2.5 1,0.5 1,0.5 0))", 1)]
    [InlineData("part of an edge shared, same direction", "POLYGON((0 0,4 0,4 4,0 4,0 0))", "POLYGON((1 0,2 0,2 1,1 1,1 0))", 1)]
    [InlineData("vertex of one on the edge of the other", "POLYGON((0 0,4 0,4 4,0 4,0 0))", "POLYGON((2 0,6 2,2 4,-2 2,2 0))", 12)]
    public void KnownCases(string description, string wktA, string wktB, double expected)
    {
        var reader = new WKTReader();
        Geometry Shift(string wkt)
        {
            var g = reader.Read(wkt);
            g.Apply(new Translate(East, North));
            return g;
        }
        var a = AreaPolygon.Create(Shift(wktA));
        var b = AreaPolygon.Create(Shift(wktB));
        IntersectionArea.TryCompute(a, b, out var ab).ShouldBeTrue(description);
        IntersectionArea.TryCompute(b, a, out var ba).ShouldBeTrue(description);
        ab.ShouldBe(expected, 1e-9, description);
        ba.ShouldBe(expected, 1e-9, description);
    }

    [Fact]
    public void Orient_EqualsNetTopologySuite_OnNearlyCollinearPoints()
    {
        FixedSeeds.Check(Gen.Select(Gen.Double[-1000, 1000], Gen.Double[-1000, 1000], Gen.Double[-1000, 1000], Gen.Double[-1000, 1000], Gen.Double[0, 1], Gen.Int[-4, 4]), s =>
            {
                var (x0, y0, x1, y1, t, ulps) = s;
                // A point on (or a few units in the last place off) the segment's line.
                var x = East + x0 + t * (x1 - x0);
                var y = North + y0 + t * (y1 - y0);
                for (var k = 0; k < Math.Abs(ulps); k++) y = ulps > 0 ? Math.BitIncrement(y) : Math.BitDecrement(y);
                var expected = NetTopologySuite.Algorithm.Orientation.Index(new Coordinate(East + x0, North + y0), new Coordinate(East + x1, North + y1), new Coordinate(x, y));
                return IntersectionArea.Orient(East + x0, North + y0, East + x1, North + y1, x, y) == (int)expected;
            }, iter: 20_000);
    }

    /// <summary>A star-shaped polygon (optionally with a hole), its vertices snapped to a grid so that vertices and edges of different polygons often coincide.</summary>
    private static Polygon? Star(double cx, double cy, double radius, int vertices, double[] jitter, bool hole, double grid)
    {
        double Snap(double v) => grid > 0 ? Math.Round(v / grid) * grid : v;
        Coordinate[] Ring(double r0, double r1, bool reverse)
        {
            var pts = new Coordinate[vertices + 1];
            for (var k = 0; k < vertices; k++)
            {
                var angle = 2 * Math.PI * k / vertices * (reverse ? -1 : 1);
                var r = r0 + (r1 - r0) * jitter[k % jitter.Length];
                pts[k] = new Coordinate(East + Snap(cx + r * Math.Cos(angle)), North + Snap(cy + r * Math.Sin(angle)));
            }
            pts[vertices] = pts[0].Copy();
            return pts;
        }
        var shell = Factory.CreateLinearRing(Ring(radius * 0.6, radius, false));
        var holes = hole ? [Factory.CreateLinearRing(Ring(radius * 0.1, radius * 0.3, true))] : Array.Empty<LinearRing>();
        var polygon = Factory.CreatePolygon(shell, holes);
        return polygon.IsValid ? polygon : null;
    }

    private static Gen<Polygon?> Stars(int maxVertices) =>
        Gen.Select(Gen.Double[0, 40], Gen.Double[0, 40], Gen.Double[2, 25], Gen.Int[3, maxVertices], Gen.Double[0, 1].Array[14], Gen.Bool, Gen.Int[0, 2])
           .Select((x, y, r, n, j, h, grid) => Star(x, y, r, n, j, h, grid * 0.25));

    private static readonly Gen<Polygon?> StarGen = Stars(14);

    /// <summary>A polygon, or a multipolygon of two disjoint polygons.</summary>
    private static readonly Gen<Geometry?> ShapeGen =
        Gen.Select(StarGen, StarGen, Gen.Bool).Select<Polygon?, Polygon?, bool, Geometry?>((p, q, multi) =>
            p is null ? null : multi && q is not null && !p.Intersects(q) ? Factory.CreateMultiPolygon([p, q]) : p);

    /// <summary>A fan of consecutive vertices of a polygon's shell from a point inside it: shares edges with it the way released land shares them with its hazardous area.</summary>
    private static Polygon? Sector(Polygon p, int from, int length, bool reverse)
    {
        var ring = p.ExteriorRing.Coordinates;
        var n = ring.Length - 1;
        length = Math.Clamp(length, 1, n);
        var centre = p.InteriorPoint.Coordinate;
        var pts = new List<Coordinate> { centre };
        for (var k = 0; k <= length; k++) pts.Add(ring[(from + k) % n]);
        pts.Add(centre);
        if (reverse) pts.Reverse();
        var sector = Factory.CreatePolygon([.. pts]);
        return sector.IsValid ? sector : null;
    }

    private static Geometry Perturb(Geometry g, double scale, int seed)
    {
        var copy = g.Copy();
        var rng = new Random(seed);
        copy.Apply(new Jitter(rng, scale));
        copy.GeometryChanged();
        return copy;
    }

    /// <summary>Pairs of every kind the overlay meets: random, sectors of each other, identical, nested, touching, nearly collinear.</summary>
    private static readonly Gen<(string Kind, Geometry A, Geometry B)?> PairGen =
        Gen.Select(ShapeGen, ShapeGen, Gen.Int[0, 8], Gen.Int[0, 13], Gen.Int[1, 13], Gen.Int[0, 1000])
           .Select<Geometry?, Geometry?, int, int, int, int, (string, Geometry, Geometry)?>((a, b, kind, from, length, seed) =>
           {
               if (a is null || b is null) return null;
               var first = (Polygon)a.GetGeometryN(0);
               Geometry? other = kind switch
               {
                   0 => b,
                   1 => Sector(first, from, length, reverse: false),
                   2 => Sector(first, from, length, reverse: true),
                   3 => a.Copy(),
                   4 => Factory.CreatePolygon(first.Shell.Coordinates.Reverse().ToArray()),
                   5 => Scale(first, 0.5),
                   6 => Perturb(a, 1e-9, seed),
                   7 => Perturb(a, 1e-5, seed),
                   _ => Reflect(first, first.Shell.Coordinates[from % (first.Shell.NumPoints - 1)]),
               };
               if (other is null || !other.IsValid) return null;
               return (kind.ToString(System.Globalization.CultureInfo.InvariantCulture), a, other);
           });

    private static Polygon Scale(Polygon p, double factor)
    {
        var c = p.Centroid.Coordinate;
        var copy = (Polygon)p.Copy();
        copy.Apply(new Affine(x => c.X + factor * (x - c.X), y => c.Y + factor * (y - c.Y)));
        return copy;
    }

    /// <summary>The polygon turned half a turn about one of its vertices: the two touch at that vertex.</summary>
    private static Polygon Reflect(Polygon p, Coordinate v)
    {
        var copy = (Polygon)p.Copy();
        copy.Apply(new Affine(x => 2 * v.X - x, y => 2 * v.Y - y));
        return copy;
    }

    /// <summary>
    /// The reference: NetTopologySuite's robust overlay of the pair moved to a local origin. Overlaid where they lie
    /// (eastings of 500 km), two near-identical polygons lose digits in the overlay's own noding: seed 1k_7Ec0ZzOA3 gave
    /// 133.881491 m² there, against 133.881464 m² from the same overlay at the origin, from a fixed-precision (1e-9 m)
    /// overlay and from the kernel — the reference, not the kernel, was off by 2e-7.
    /// </summary>
    private static double ReferenceArea(Geometry a, Geometry b)
    {
        var dx = -a.EnvelopeInternal.MinX;
        var dy = -a.EnvelopeInternal.MinY;
        var la = a.Copy();
        var lb = b.Copy();
        la.Apply(new Translate(dx, dy));
        lb.Apply(new Translate(dx, dy));
        return OverlayNGRobust.Overlay(la, lb, SpatialFunction.Intersection).Area;
    }

    /// <summary>Seeds that failed once, replayed on every run.</summary>
    private static readonly string[] FailedOnce = ["1k_7Ec0ZzOA3"];

    [Fact]
    public void Area_EqualsTheOverlaysArea_OnPairsOfEveryKind()
    {
        var decided = 0;
        var total = 0;
        var undecided = new Dictionary<string, int>();
        FixedSeeds.Check(PairGen, pair =>
        {
            if (pair is not var (kind, a, b)) return true;
            var expected = ReferenceArea(a, b);
            var tolerance = 1e-9 * Math.Max(expected, Math.Min(a.Area, b.Area));
            var pa = AreaPolygon.Create(a);
            var pb = AreaPolygon.Create(b);
            if (kind != "6") Interlocked.Increment(ref total);
            var okAb = IntersectionArea.TryCompute(pa, pb, out var ab);
            var okBa = IntersectionArea.TryCompute(pb, pa, out var ba);
            if (kind == "6") { }
            else if (okAb && okBa) Interlocked.Increment(ref decided);
            else lock (undecided) undecided[kind] = undecided.GetValueOrDefault(kind) + 1;
            if (okAb && Math.Abs(ab - expected) > tolerance) return false;
            if (okBa && Math.Abs(ba - expected) > tolerance) return false;
            return Math.Abs(IntersectionArea.Of(pa, pb, out _) - expected) <= tolerance;
        }, iter: 20_000, print: p => p is var (k, a, b) ? $"kind {k}: {a.AsText()} ∩ {b.AsText()}" : "none", replay: FailedOnce);
        // The kernel decides nearly every case itself; the fallback is for the undecidable few — and for a
        // polygon against a copy of itself moved by a few units in the last place (kind 6), where every
        // edge nearly coincides with one of the other and the crossings cannot be placed in order.
        decided.ShouldBeGreaterThan((int)(0.95 * total), $"decided {decided} of {total}; undecided by kind: {string.Join(", ", undecided.OrderBy(k => k.Key).Select(k => $"{k.Key}: {k.Value}"))}");
    }

    [Fact]
    public void Area_OfAPolygonWithItself_IsItsArea_AndOfItsSectors_TheirAreas()
    {
        var undecided = 0;
        FixedSeeds.Check(StarGen, p =>
        {
            if (p is null) return true;
            var a = AreaPolygon.Create(p);
            if (!IntersectionArea.TryCompute(a, a, out var self) || Math.Abs(self - p.Area) > 1e-9 * p.Area) return false;
            var n = p.Shell.NumPoints - 1;
            for (var from = 0; from < n; from += 3)
            {
                if (Sector(p, from, 3, reverse: false) is not { } s) continue;
                var expected = ReferenceArea(p, s);
                var area = IntersectionArea.Of(a, AreaPolygon.Create(s), out var fellBack);
                if (fellBack) Interlocked.Increment(ref undecided);
                if (Math.Abs(area - expected) > 1e-9 * s.Area) return false;
            }
            return true;
        }, iter: 5_000, print: p => p?.AsText() ?? "none");
        undecided.ShouldBeLessThan(100, "a sector's spoke passing within 1e-12 of a vertex of the hole is rare");
    }

    [Fact]
    public void Area_EqualsTheOverlaysArea_OnPolygonsWithManyVertices()
    {
        // Enough edges that candidate edges are matched by the sorted sweep, not pair by pair.
        var decided = 0;
        FixedSeeds.Check(Gen.Select(Stars(300), Stars(300)), pair =>
        {
            var (a, b) = pair;
            if (a is null || b is null) return true;
            var expected = ReferenceArea(a, b);
            var area = IntersectionArea.Of(AreaPolygon.Create(a), AreaPolygon.Create(b), out var fellBack);
            if (!fellBack && a.NumPoints * b.NumPoints > 4096) Interlocked.Increment(ref decided);
            return Math.Abs(area - expected) <= 1e-9 * Math.Max(expected, Math.Min(a.Area, b.Area));
        }, iter: 2_000, print: p => $"{p.Item1?.AsText()} ∩ {p.Item2?.AsText()}");
        decided.ShouldBeGreaterThan(200, "pairs of large polygons decided by the kernel");
    }

    private sealed class Translate(double dx, double dy) : IEntireCoordinateSequenceFilter
    {
        public bool Done => false;
        public bool GeometryChanged => true;

        public void Filter(CoordinateSequence seq)
        {
            for (var i = 0; i < seq.Count; i++)
            {
                seq.SetX(i, seq.GetX(i) + dx);
                seq.SetY(i, seq.GetY(i) + dy);
            }
        }
    }

    private sealed class Affine(Func<double, double> fx, Func<double, double> fy) : IEntireCoordinateSequenceFilter
    {
        public bool Done => false;
        public bool GeometryChanged => true;

        public void Filter(CoordinateSequence seq)
        {
            for (var i = 0; i < seq.Count; i++)
            {
                seq.SetX(i, fx(seq.GetX(i)));
                seq.SetY(i, fy(seq.GetY(i)));
            }
        }
    }

    /// <summary>Moves every vertex (the closing one with the first) by up to <c>scale</c> metres.</summary>
    private sealed class Jitter(Random rng, double scale) : IEntireCoordinateSequenceFilter
    {
        public bool Done => false;
        public bool GeometryChanged => true;

        public void Filter(CoordinateSequence seq)
        {
            for (var i = 0; i < seq.Count - 1; i++)
            {
                seq.SetX(i, seq.GetX(i) + scale * (rng.NextDouble() - 0.5));
                seq.SetY(i, seq.GetY(i) + scale * (rng.NextDouble() - 0.5));
            }
            seq.SetX(seq.Count - 1, seq.GetX(0));
            seq.SetY(seq.Count - 1, seq.GetY(0));
        }
    }
}
