using Groundtruth.Analysis.Geodesy;

namespace Groundtruth.Analysis.Tests;

public sealed class ReferenceSystemsWktTests
{
    [Theory]
    [InlineData("EPSG:32726", "EPSG:32726", false)]
    [InlineData("4326", "EPSG:4326", true)]
    public void ParseSource_ReadsSupportedCodes(string text, string label, bool wgs84)
    {
        var s = ReferenceSystems.ParseSource(text);
        s.Label.ShouldBe(label);
        s.IsWgs84.ShouldBe(wgs84);
    }

    [Fact]
    public void ParseSource_OfAShapefilesWgs84Prj_IsWgs84_AndKeepsNoOriginal()
    {
        var prj = """GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]""";
        var s = ReferenceSystems.ParseSource(prj);
        s.IsWgs84.ShouldBeTrue();
        s.Label.ShouldBe("EPSG:4326");
    }

    [Fact]
    public void ParseSource_OfAnotherEllipsoid_IsNotWgs84()
    {
        var prj = """GEOGCS["International 1924",DATUM["Imaginary",SPHEROID["International 1924",6378388,297]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]]""";
        ReferenceSystems.ParseSource(prj).IsWgs84.ShouldBeFalse();
    }

    [Fact]
    public void ParseSource_LabelsAWktWithAnEpsgAuthorityByItsCode()
    {
        var wkt = """PROJCS["WGS 84 / UTM zone 26S",GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["latitude_of_origin",0],PARAMETER["central_meridian",-27],PARAMETER["scale_factor",0.9996],PARAMETER["false_easting",500000],PARAMETER["false_northing",10000000],UNIT["metre",1],AUTHORITY["EPSG","32726"]]""";
        ReferenceSystems.ParseSource(wkt).Label.ShouldBe("EPSG:32726");
    }

    [Theory]
    [InlineData("EPSG:2100", "unsupported reference system")]
    [InlineData("PROJCRS[\"x\",BASEGEOGCRS[\"WGS 84\"]]", "WKT 2 is not read")]
    [InlineData("PROJCS[\"broken\",GEOGCS[", "cannot be read")]
    public void ParseSource_RefusesWhatItCannotRead_SayingWhy(string text, string reason) =>
        Should.Throw<FormatException>(() => ReferenceSystems.ParseSource(text)).Message.ShouldContain(reason);
}
