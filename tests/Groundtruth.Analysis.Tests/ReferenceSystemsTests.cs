using Groundtruth.Analysis.Geodesy;
using Groundtruth.Domain;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace Groundtruth.Analysis.Tests;

public sealed class ReferenceSystemsTests
{
    [Theory]
    [InlineData("EPSG:4326", 4326)]
    [InlineData("epsg:32634", 32634)]
    [InlineData("32726", 32726)]
    [InlineData("EPSG:3857", 3857)]
    public void ParseEpsg_AcceptsTheSupportedSystems(string text, int code) => ReferenceSystems.ParseEpsg(text).ShouldBe(code);

    [Theory]
    [InlineData("EPSG:2100")]
    [InlineData("EPSG:32661")]
    [InlineData("WGS84")]
    [InlineData("")]
    public void ParseEpsg_RefusesOthers(string text) => ReferenceSystems.ParseEpsg(text).ShouldBeNull();

    /// <summary>
    /// Reprojecting builds the geometry from its transformed coordinates (no copy first): the same structure, coordinates to the
    /// bit, SRID and emptiness as copying the geometry and transforming the copy in place, for every kind of geometry; one with
    /// a third ordinate is still copied and transformed, its z kept.
    /// </summary>
    [Fact]
    public void Reproject_IsTheCopyTransformedInPlace_ForEveryKindOfGeometry()
    {
        var reader = new WKTReader(new NetTopologySuite.NtsGeometryServices(new PrecisionModel(), 4326));
        string[] texts =
        [
            "POINT (-24.5 -31.1)", "POINT EMPTY", "LINESTRING (-24.5 -31.1, -24.4 -31.0, -24.41 -31.2)", "LINEARRING (-24.5 -31.1, -24.4 -31.0, -24.41 -31.2, -24.5 -31.1)",
            "POLYGON ((-24.5 -31.1, -24.4 -31.1, -24.4 -31.0, -24.5 -31.0, -24.5 -31.1), (-24.48 -31.08, -24.47 -31.08, -24.47 -31.07, -24.48 -31.08))", "POLYGON EMPTY",
            "MULTIPOLYGON (((-24.5 -31.1, -24.4 -31.1, -24.4 -31.0, -24.5 -31.1)), ((-24.3 -31.1, -24.2 -31.1, -24.2 -31.0, -24.3 -31.1)))", "MULTIPOLYGON EMPTY",
            "MULTILINESTRING ((-24.5 -31.1, -24.4 -31.0), (-24.3 -31.1, -24.2 -31.05))", "MULTIPOINT ((-24.5 -31.1), (-24.3 -31.0))",
            "GEOMETRYCOLLECTION (POINT (-24.5 -31.1), LINESTRING (-24.5 -31.1, -24.4 -31.0), POLYGON ((-24.5 -31.1, -24.4 -31.1, -24.4 -31.0, -24.5 -31.1)))",
            "POINT Z (-24.5 -31.1 12.5)", "LINESTRING Z (-24.5 -31.1 1, -24.4 -31.0 2)",
            // Far beyond the earth: the transform gives infinities, left to the copy (which keeps what it makes of them).
            "POLYGON ((-24.5 -31.1, 1e308 1e308, -24.4 -31.0, -24.5 -31.1))",
        ];
        var transform = ReferenceSystems.Transform(SpatialRules.Wgs84, 32726);
        foreach (var text in texts)
        {
            var geometry = reader.Read(text);
            var expected = geometry.Copy();
            expected.Apply(new InPlace(transform));
            expected.GeometryChanged();
            expected.SRID = 32726;
            var actual = ReferenceSystems.Reproject(geometry, transform, 32726);
            actual.GetType().ShouldBe(expected.GetType(), text);
            actual.EqualsExact(expected).ShouldBe(expected.EqualsExact(expected), text);
            actual.SRID.ShouldBe(32726, text);
            actual.IsEmpty.ShouldBe(expected.IsEmpty, text);
            actual.Coordinates.Select(c => (BitConverter.DoubleToInt64Bits(c.X), BitConverter.DoubleToInt64Bits(c.Y), BitConverter.DoubleToInt64Bits(c.Z)))
                .ShouldBe(expected.Coordinates.Select(c => (BitConverter.DoubleToInt64Bits(c.X), BitConverter.DoubleToInt64Bits(c.Y), BitConverter.DoubleToInt64Bits(c.Z))), text);
            geometry.SRID.ShouldBe(4326, "the input is left as it was");
        }
    }

    private sealed class InPlace(ProjNet.CoordinateSystems.Transformations.MathTransform transform) : ICoordinateSequenceFilter
    {
        public bool Done => false;
        public bool GeometryChanged => true;

        public void Filter(CoordinateSequence seq, int i)
        {
            var (x, y) = transform.Transform(seq.GetX(i), seq.GetY(i));
            seq.SetX(i, x);
            seq.SetY(i, y);
        }
    }

    /// <summary>Reference values from GDAL 3.6 (gdaltransform -s_srs EPSG:4326 -t_srs EPSG:32726), an independent implementation.</summary>
    [Theory]
    [InlineData(-24.565, -31.115, 732213.235587219, 6555102.22559024)]
    [InlineData(-24.01, -31.01, 785474.965538852, 6565450.10775213)]
    [InlineData(-24.3, -31.05, 757668.73077681, 6561723.91603302)]
    public void Utm_MatchesGdal(double lon, double lat, double x, double y)
    {
        var (ux, uy) = ReferenceSystems.Transform(4326, 32726).Transform(lon, lat);
        ux.ShouldBe(x, 1e-3);
        uy.ShouldBe(y, 1e-3);
        var (blon, blat) = ReferenceSystems.Transform(32726, 4326).Transform(x, y);
        blon.ShouldBe(lon, 1e-8);
        blat.ShouldBe(lat, 1e-8);
    }

    [Theory]
    [InlineData(-24.5, -31.1, 32726)]
    [InlineData(-23.9, -31.1, 32727)]
    [InlineData(21.0, 45.0, 32634)]
    [InlineData(180.0, 0.0, 32660)]
    public void UtmEpsgFor_PicksTheZone(double lon, double lat, int epsg) => ReferenceSystems.UtmEpsgFor(lon, lat).ShouldBe(epsg);

    [Theory]
    [InlineData(-31.1, 0.02)]
    [InlineData(0.0, 0.01)]
    [InlineData(60.0, 0.05)]
    public void MetricArea_AgreesWithTheEllipsoidalCellArea(double lat, double size)
    {
        var lon = -24.5;
        var square = new WKTReader().Read(string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"POLYGON(({lon} {lat},{lon + size} {lat},{lon + size} {lat + size},{lon} {lat + size},{lon} {lat}))"));
        var expected = size * Math.PI / 180 * Math.Abs(StripArea(lat + size) - StripArea(lat));
        MetricArea.SquareMetres(square).ShouldBe(expected, expected * 0.0025, "UTM scale error: up to about 0.2% in area 3° from the central meridian");
    }

    /// <summary>Area on the WGS84 ellipsoid between the equator and latitude φ, per radian of longitude (closed form with e).</summary>
    private static double StripArea(double latDegrees)
    {
        const double a = 6378137.0, f = 1 / 298.257223563;
        var e2 = f * (2 - f);
        var e = Math.Sqrt(e2);
        var s = Math.Sin(latDegrees * Math.PI / 180);
        return a * a * (1 - e2) / 2 * (s / (1 - e2 * s * s) + 1 / (2 * e) * Math.Log((1 + e * s) / (1 - e * s)));
    }

    [Fact]
    public void MetricArea_OfPointsAndLines_IsZero()
    {
        MetricArea.SquareMetres(SpatialRules.Factory.CreatePoint(new Coordinate(1, 1))).ShouldBe(0);
        MetricArea.SquareMetres(new WKTReader().Read("LINESTRING(0 0,1 1)")).ShouldBe(0);
    }
}
