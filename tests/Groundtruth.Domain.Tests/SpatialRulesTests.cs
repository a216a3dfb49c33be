using Groundtruth.Domain;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace Groundtruth.Domain.Tests;

public sealed class SpatialRulesTests
{
    private static Geometry Wkt(string wkt) => new WKTReader().Read(wkt);

    [Theory]
    [InlineData("POLYGON((0 0,1 0,1 1,0 1,0 0))", GeometryShape.MultiPolygon, "MultiPolygon")]
    [InlineData("LINESTRING(0 0,1 1)", GeometryShape.MultiLineString, "MultiLineString")]
    [InlineData("POINT(1 1)", GeometryShape.PointOrMultiPolygon, "Point")]
    [InlineData("POLYGON((0 0,1 0,1 1,0 1,0 0))", GeometryShape.PointOrMultiPolygon, "MultiPolygon")]
    [InlineData("LINESTRING(0 0,1 1)", GeometryShape.AnyMulti, "MultiLineString")]
    [InlineData("POINT(1 1)", GeometryShape.AnyMulti, "MultiPoint")]
    public void Normalise_MakesTheStoredShape(string wkt, GeometryShape shape, string type)
    {
        var g = SpatialRules.Normalise(Wkt(wkt), shape, repair: false, out var problem);
        problem.ShouldBeNull();
        g!.GeometryType.ShouldBe(type);
        g.SRID.ShouldBe(4326);
    }

    [Theory]
    [InlineData("POINT(1 1)", GeometryShape.MultiPolygon, "polygon")]
    [InlineData("POLYGON EMPTY", GeometryShape.MultiPolygon, "empty")]
    [InlineData("POINT(181 0)", GeometryShape.Point, "longitude")]
    [InlineData("POINT(0 -91)", GeometryShape.Point, "latitude")]
    [InlineData("POLYGON((0 0,1 1,1 0,0 1,0 0))", GeometryShape.MultiPolygon, "invalid")]
    public void Normalise_ReportsWhatItCannotStore(string wkt, GeometryShape shape, string reason)
    {
        SpatialRules.Normalise(Wkt(wkt), shape, repair: false, out var problem).ShouldBeNull();
        problem.ShouldNotBeNull().ShouldContain(reason);
    }

    [Fact]
    public void Normalise_RepairsABowtie_WhenAsked()
    {
        var g = SpatialRules.Normalise(Wkt("POLYGON((0 0,1 1,1 0,0 1,0 0))"), GeometryShape.MultiPolygon, repair: true, out var problem);
        problem.ShouldBeNull();
        g!.IsValid.ShouldBeTrue();
        g.Area.ShouldBe(0.5, 1e-12);
    }
}
