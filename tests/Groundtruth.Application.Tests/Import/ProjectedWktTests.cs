using System.Globalization;
using Groundtruth.Analysis.Geodesy;

namespace Groundtruth.Application.Tests.Import;

/// <summary>
/// Any projected system given as WKT 1 — not only UTM and web mercator — is read: for each family a fictional grid
/// over Veloria, GDAL/PROJ projects a WGS84 point into it, and ProjNET (what the importer uses) brings it back.
/// </summary>
public sealed class ProjectedWktTests
{
    private const string Wgs84 = """GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]]""";

    public static TheoryData<string, string> Grids => new()
    {
        { "Transverse Mercator", $"""PROJCS["Veloria TM",{Wgs84},PROJECTION["Transverse_Mercator"],PARAMETER["latitude_of_origin",-31],PARAMETER["central_meridian",-24.25],PARAMETER["scale_factor",0.9999],PARAMETER["false_easting",300000],PARAMETER["false_northing",700000],UNIT["metre",1]]""" },
        { "Lambert Conformal Conic 2SP", $"""PROJCS["Veloria Lambert",{Wgs84},PROJECTION["Lambert_Conformal_Conic_2SP"],PARAMETER["standard_parallel_1",-30.5],PARAMETER["standard_parallel_2",-31.8],PARAMETER["latitude_of_origin",-31],PARAMETER["central_meridian",-24],PARAMETER["false_easting",500000],PARAMETER["false_northing",1000000],UNIT["metre",1]]""" },
        { "Lambert Conformal Conic (ESRI .prj)", """PROJCS["Veloria_Lambert",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Lambert_Conformal_Conic"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",1000000.0],PARAMETER["Central_Meridian",-24.0],PARAMETER["Standard_Parallel_1",-30.5],PARAMETER["Standard_Parallel_2",-31.8],PARAMETER["Latitude_Of_Origin",-31.0],UNIT["Meter",1.0]]""" },
        { "Albers Equal Area", $"""PROJCS["Veloria Albers",{Wgs84},PROJECTION["Albers_Conic_Equal_Area"],PARAMETER["standard_parallel_1",-30.5],PARAMETER["standard_parallel_2",-31.8],PARAMETER["latitude_of_center",-31],PARAMETER["longitude_of_center",-24],PARAMETER["false_easting",0],PARAMETER["false_northing",0],UNIT["metre",1]]""" },
        { "Oblique Stereographic", $"""PROJCS["Veloria stereographic",{Wgs84},PROJECTION["Oblique_Stereographic"],PARAMETER["latitude_of_origin",-31.2],PARAMETER["central_meridian",-24.2],PARAMETER["scale_factor",0.99995],PARAMETER["false_easting",155000],PARAMETER["false_northing",463000],UNIT["metre",1]]""" },
        { "Cassini-Soldner", $"""PROJCS["Veloria Cassini",{Wgs84},PROJECTION["Cassini_Soldner"],PARAMETER["latitude_of_origin",-31],PARAMETER["central_meridian",-24.3],PARAMETER["false_easting",100000],PARAMETER["false_northing",100000],UNIT["metre",1]]""" },
    };

    [Theory]
    [MemberData(nameof(Grids))]
    public void ProjNet_BringsBackWhatGdalProjected(string family, string wkt)
    {
        var dir = Support.TestDatabase.NewDirectory();
        try
        {
            var prj = Path.Combine(dir, "grid.prj");
            File.WriteAllText(prj, wkt);
            var csv = Path.Combine(dir, "points.csv");
            File.WriteAllText(csv, "id,lon,lat\n1,-24.3,-31.1\n2,-24.95,-31.95\n3,-23.6,-30.85\n");
            var (code, output) = GdalTests.Run("ogr2ogr", $"-f CSV /vsistdout/ \"{csv}\" -oo X_POSSIBLE_NAMES=lon -oo Y_POSSIBLE_NAMES=lat -oo KEEP_GEOM_COLUMNS=YES -s_srs EPSG:4326 -t_srs \"{prj}\" -lco GEOMETRY=AS_XY");
            code.ShouldBe(0, output);
            var rows = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Skip(1).Select(l => l.Split(',')).ToList();
            rows.Count.ShouldBe(3, output);

            var system = ReferenceSystems.ParseSource(wkt);
            system.IsWgs84.ShouldBeFalse();
            var toWgs84 = ReferenceSystems.ToWgs84(system);
            foreach (var r in rows)
            {
                double D(int i) => double.Parse(r[i].Trim('"'), CultureInfo.InvariantCulture);
                var (lon, lat) = toWgs84.Transform(D(0), D(1));
                lon.ShouldBe(D(3), 1e-8, $"{family}: longitude of point {r[2]}");
                lat.ShouldBe(D(4), 1e-8, $"{family}: latitude of point {r[2]}");
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>ProjNET 2.0 has no polar stereographic projection: such a .prj is refused naming the projection, so the user can give another system.</summary>
    [Fact]
    public void PolarStereographic_IsRefusedNamingTheProjection()
    {
        var wkt = $"""PROJCS["South polar grid",{Wgs84},PROJECTION["Polar_Stereographic"],PARAMETER["latitude_of_origin",-71],PARAMETER["central_meridian",0],PARAMETER["scale_factor",1],PARAMETER["false_easting",0],PARAMETER["false_northing",0],UNIT["metre",1]]""";
        Should.Throw<FormatException>(() => ReferenceSystems.ParseSource(wkt)).Message.ShouldContain("Polar_Stereographic is not supported");
    }
}
