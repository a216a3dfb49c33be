using Groundtruth.Analysis.Geodesy;
using Groundtruth.Analysis.LandReleases;
using Groundtruth.Analysis.Spatial;
using Groundtruth.Domain;
using NetTopologySuite.Geometries;
using NetTopologySuite.Operation.Union;

namespace Groundtruth.Analysis.Tests.LandReleases;

/// <summary>
/// <see cref="LandReleaseAccounting.Residuals"/> computes the areas in parallel, one projection per zone and thread:
/// every figure and residual polygon must be the bits of the plain loop (a projection per area, one area after
/// another), on areas in two UTM zones of the open South Atlantic with overlapping releases.
/// </summary>
public sealed class ResidualsTests
{
    private static readonly GeometryFactory Wgs84 = new(new PrecisionModel(), 4326);
    private const double Degree = 1.0 / 111_000;

    [Fact]
    public void Residuals_InParallel_AreThePlainLoopsBits()
    {
        var random = new Random(11);
        var hazards = new List<HazardInput>();
        var releases = new List<ReleaseInput>();
        for (var i = 0; i < 400; i++)
        {
            // Either side of the boundary of UTM zones 26 and 27 (24° W).
            var (x, y) = (-24.3 + random.NextDouble() * 0.6, -31.2 + random.NextDouble() * 0.3);
            var size = (100 + random.NextDouble() * 900) * Degree;
            var area = Square(x, y, size);
            hazards.Add(new HazardInput($"HA-{i:D4}", null, HazardClassification.Confirmed, HazardStatus.Open, null, null, null, area));
            var parts = random.Next(4);
            for (var k = 0; k < parts; k++)
            {
                var s = size * (0.2 + random.NextDouble() * 0.6);
                var (rx, ry) = (x + random.NextDouble() * (size - s * 0.5), y + random.NextDouble() * (size - s * 0.5));
                releases.Add(new ReleaseInput($"LR-{i:D4}-{k}", "A-1", $"HA-{i:D4}", ReleaseMethod.Cleared, PartialDate.Parse("2024-05-01"), 0, Square(rx, ry, s)));
            }
        }

        var fast = LandReleaseAccounting.Residuals(hazards, releases);

        fast.Select(r => r.Hazard.Id).ShouldBe(hazards.Select(h => h.Id), "in the order of the areas");
        var zones = hazards.Select(h => LocalProjection.ZoneOf(h.Geometry.EnvelopeInternal)).Distinct().Count();
        zones.ShouldBe(2, "areas in two zones");
        var released = 0;
        for (var i = 0; i < hazards.Count; i++)
        {
            var (h, r) = (hazards[i], fast[i]);
            var projection = new LocalProjection(h.Geometry.EnvelopeInternal);
            var metric = projection.Project(h.Geometry);
            var own = releases.Where(x => x.HazardId == h.Id).Select(x => projection.Project(x.Geometry)).ToList();
            var union = own.Count == 0 ? null : UnaryUnionOp.Union(own);
            var residual = union is null ? metric : metric.Difference(union);
            r.AreaM2.ShouldBe(metric.Area, h.Id);
            r.ReleasedM2.ShouldBe(union is null ? 0 : IntersectionArea.Of(metric, union), h.Id);
            r.ResidualM2.ShouldBe(residual.Area, h.Id);
            r.Residual.EqualsExact(residual.IsEmpty ? h.Geometry.Factory.CreateMultiPolygon() : projection.Unproject(residual)).ShouldBeTrue(h.Id);
            if (r.ReleasedM2 > 0) released++;
        }
        released.ShouldBeGreaterThan(200);
    }

    private static Polygon Square(double x, double y, double size) =>
        Wgs84.CreatePolygon([new(x, y), new(x + size, y), new(x + size, y + size), new(x, y + size), new(x, y)]);
}
