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
    [InlineData("PROJCS[\"half", "a quoted name is not closed")] // ProjNET alone never returns on this
    [InlineData("PROJCS[\"x\",GEOGCS[\"y\"]]]", "text after the end")]
    [InlineData("PROJCS[\"x\"] trailing", "text after the end")]
    public void ParseSource_RefusesWhatItCannotRead_SayingWhy(string text, string reason) =>
        Should.Throw<FormatException>(() => ReferenceSystems.ParseSource(text)).Message.ShouldContain(reason);

    /// <summary>
    /// Every prefix of a real grid's WKT, and the WKT with any one character deleted, is either read or refused with a
    /// FormatException — never another exception, never a hang (ProjNET alone loops on an unterminated quote).
    /// </summary>
    [Fact]
    public void ParseSource_OnDamagedWkt_ReadsOrRefuses_AndAlwaysReturns()
    {
        const string wkt = """PROJCS["Veloria National Grid",GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["latitude_of_origin",-31],PARAMETER["central_meridian",-24.25],PARAMETER["scale_factor",0.9999],PARAMETER["false_easting",300000],PARAMETER["false_northing",700000],UNIT["metre",1]]""";
        var damaged = Enumerable.Range(1, wkt.Length - 1).Select(n => wkt[..n])
            .Concat(Enumerable.Range(0, wkt.Length).Select(i => wkt.Remove(i, 1)));
        var refused = 0;
        foreach (var text in damaged)
        {
            try
            {
                ReferenceSystems.ParseSource(text);
            }
            catch (FormatException)
            {
                refused++;
            }
        }
        refused.ShouldBeGreaterThan(wkt.Length - 1, "at least every prefix is refused");
    }
}

