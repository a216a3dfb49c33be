using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Groundtruth.Application.Datasets;
using Groundtruth.Application.Import;
using Groundtruth.Application.Tests.Support;
using Groundtruth.Domain;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO.Converters;

namespace Groundtruth.Application.Tests.Import;

/// <summary>
/// Issue 12 part 7: the spatial fixtures of tests/data/registers (written by make-spatial.sh with GDAL) import with their
/// mappings, and their figures equal independent computations: GDAL/PROJ's own reprojection and areas, and the WGS84
/// sources the fixtures were made from.
/// </summary>
public sealed partial class SpatialFileTests
{
    private static string Registers(string file) => TestData.File(Path.Combine("registers", file));

    /// <summary>1e-7 degrees is about 1 cm: the round trip WGS84 → national grid (PROJ) → WGS84 (ProjNET) stays well inside it.</summary>
    private const double DegreeTolerance = 1e-7;

    [Theory]
    [InlineData(Backend.GeoPackage, "hazards-national-grid.shp")]
    [InlineData(Backend.Postgres, "hazards-national-grid.shp")]
    [InlineData(Backend.GeoPackage, "hazards-national-grid.zip")]
    [InlineData(Backend.Postgres, "hazards-national-grid.zip")]
    public async Task Shapefile_InANationalGridGivenOnlyByItsPrj_ImportsWithTheAreasAndPositionsGdalComputes(Backend backend, string file)
    {
        await using var t = await TestDatabase.CreateAsync(backend);
        var result = await t.ImportAsync(DatasetCatalog.Hazards, Registers(file), map: Registers("hazards-national-grid.map.json"));
        result.Inserted.ShouldBe(3);

        await using var db = t.Target.CreateContext();
        var hazards = await db.Hazards.AsNoTracking().OrderBy(h => h.Id).ToListAsync();
        hazards.Select(h => h.Id).ShouldBe(["VNG-101", "VNG-102", "VNG-103"]);
        hazards.Select(h => h.Name).ShouldBe(["Ribeirão north field", "Quarry track", "Twin ridges"], "the DBF decoded as its .cpg says (UTF-8)");
        hazards.Select(h => h.Classification).ShouldBe([HazardClassification.Confirmed, HazardClassification.Suspected, HazardClassification.Confirmed]);
        hazards.Select(h => h.RecordedOn.ToString()).ShouldBe(["2023-04-17", "2022-11-02", "2024-01-09"]);
        hazards.ShouldAllBe(h => h.OriginalCrs!.StartsWith("PROJCS[\"Veloria_National_Grid\"", StringComparison.Ordinal));

        // Positions: within 1 cm of the WGS84 polygons the Shapefile was written from.
        var sources = SourceGeometries(Registers("hazards-national-grid.geojson"), "HAZ_ID");
        foreach (var h in hazards)
        {
            var expected = sources[h.Id] is Polygon p ? new MultiPolygon([p]) : sources[h.Id];
            h.Geometry!.Normalized().EqualsExact(expected.Normalized(), DegreeTolerance).ShouldBeTrue($"{h.Id}: {h.Geometry} vs {expected}");
        }

        // Areas: GDAL reprojects the Shapefile to UTM 26S (the zone Groundtruth measures this area in) and measures it.
        var utm = Path.Combine(t.Directory, "hazards-utm.geojson");
        GdalTests.Run("ogr2ogr", $"-f GeoJSON -nln hazards_utm -t_srs EPSG:32726 \"{utm}\" \"{Registers("hazards-national-grid.shp")}\"").Code.ShouldBe(0);
        var gdalAreas = OgrAreas(utm, "hazards_utm");
        foreach (var h in hazards) h.AreaM2.ShouldBe(gdalAreas[h.Id], gdalAreas[h.Id] * 1e-7, h.Id);

        // Originals kept as received: the national-grid geometry has the area GDAL measures in the .shp itself.
        var gridAreas = OgrAreas(Registers("hazards-national-grid.shp"), "hazards-national-grid");
        var reader = new NetTopologySuite.IO.WKTReader();
        foreach (var h in hazards) reader.Read(h.OriginalWkt).Area.ShouldBe(gridAreas[h.Id], 1e-3, h.Id);
    }

    [Theory]
    [ClassData(typeof(Backends))]
    public async Task Kmz_FromAGps_ImportsPlacemarksWithTheirExtendedDataAndFolder(Backend backend)
    {
        await using var t = await TestDatabase.CreateAsync(backend);
        var result = await t.ImportAsync(DatasetCatalog.Finds, Registers("finds-gps.kmz"), map: Registers("finds-gps.map.json"));
        result.Inserted.ShouldBe(3);
        await using var db = t.Target.CreateContext();
        var finds = await db.Finds.AsNoTracking().OrderBy(f => f.Id).ToListAsync();
        finds.Select(f => f.Id).ShouldBe(["GPS-F01", "GPS-F02", "GPS-F03"]);
        finds.Select(f => f.Category).ShouldBe([OrdnanceCategory.AntiPersonnelMine, OrdnanceCategory.AntiPersonnelMine, OrdnanceCategory.Uxo]);
        finds.Select(f => f.Quantity).ShouldBe([1, 2, 1]);
        finds.Select(f => f.FoundOn.ToString()).ShouldBe(["2024-03-12", "2024-03-12", "2024-03-14"], "Data and SchemaData/SimpleData both read");
        finds.Select(f => f.Source).ShouldBe(["Fieldsafe team 1", "Fieldsafe team 1", "Fieldsafe team 2"], "the folder's name");
        finds.Select(f => f.Context).ShouldBe(["under the fig tree", "river bank", "mortar round in a ditch"]);
        // The positions, read independently from the KML's <coordinates> text (longitude,latitude[,altitude]).
        var kml = await File.ReadAllTextAsync(Registers("finds-gps.kml"));
        var positions = CoordinatesPattern().Matches(kml).Select(m => (X: Parse(m.Groups[1].Value), Y: Parse(m.Groups[2].Value))).ToList();
        positions.Count.ShouldBe(3);
        for (var i = 0; i < 3; i++)
        {
            finds[i].Geometry!.X.ShouldBe(positions[i].X, 1e-12);
            finds[i].Geometry!.Y.ShouldBe(positions[i].Y, 1e-12);
            finds[i].OriginalCrs.ShouldBeNull("KML is WGS84 by definition: nothing to keep");
        }
    }

    [Theory]
    [ClassData(typeof(Backends))]
    public async Task Gpx_Waypoints_ImportAsAccidents_WithTheirTimeAsTheDate(Backend backend)
    {
        await using var t = await TestDatabase.CreateAsync(backend);
        var result = await t.ImportAsync(DatasetCatalog.Accidents, Registers("accidents-gps.gpx"), map: Registers("accidents-gps.map.json"));
        result.Inserted.ShouldBe(3);
        await using var db = t.Target.CreateContext();
        var accidents = await db.Accidents.AsNoTracking().OrderBy(a => a.Id).ToListAsync();
        // The CSV GDAL wrote the GPX from: name, time, desc, sym, type, lon, lat.
        var source = (await File.ReadAllLinesAsync(Registers("accidents-gps.csv"))).Skip(1).Select(l => l.Split(',')).OrderBy(f => f[0]).ToList();
        accidents.Select(a => a.Id).ShouldBe(source.Select(f => f[0]));
        for (var i = 0; i < source.Count; i++)
        {
            accidents[i].OccurredOn.ToString().ShouldBe(source[i][1][..10]);
            accidents[i].Kind.ShouldBe(Enum.Parse<AccidentKind>(source[i][4].Replace("_", "", StringComparison.Ordinal), ignoreCase: true));
            accidents[i].Source.ShouldBe(source[i][2]);
            accidents[i].Geometry!.X.ShouldBe(Parse(source[i][5]), 1e-12);
            accidents[i].Geometry!.Y.ShouldBe(Parse(source[i][6]), 1e-12);
        }
    }

    [Theory]
    [ClassData(typeof(Backends))]
    public async Task GeoPackageLayer_OfAnotherTool_ImportsInTheNationalGridItsSrsTableDefines(Backend backend)
    {
        await using var t = await TestDatabase.CreateAsync(backend);
        var result = await t.ImportAsync(DatasetCatalog.Finds, Registers("survey-finds.gpkg"), map: Registers("survey-finds.map.json"));
        result.Inserted.ShouldBe(4);
        await using var db = t.Target.CreateContext();
        var finds = await db.Finds.AsNoTracking().OrderBy(f => f.Id).ToListAsync();
        // The WGS84 CSV ogr2ogr wrote the layer from: find_ref, date_found, category, model, qty, team, lon, lat.
        var source = (await File.ReadAllLinesAsync(Registers("survey-finds.csv"))).Skip(1).Select(l => l.Split(',')).ToList();
        finds.Select(f => f.Id).ShouldBe(source.Select(f => f[0]));
        var gridWkt = (await File.ReadAllTextAsync(Registers("veloria-national-grid.prj"))).Trim();
        for (var i = 0; i < source.Count; i++)
        {
            finds[i].FoundOn.ToString().ShouldBe(source[i][1]);
            finds[i].Quantity.ShouldBe(int.Parse(source[i][4], CultureInfo.InvariantCulture));
            finds[i].Model.ShouldBe(source[i][3].Length == 0 ? null : source[i][3]);
            finds[i].Geometry!.X.ShouldBe(Parse(source[i][6]), DegreeTolerance);
            finds[i].Geometry!.Y.ShouldBe(Parse(source[i][7]), DegreeTolerance);
            finds[i].OriginalCrs.ShouldBe(gridWkt, "no EPSG code: the srs's WKT is kept");
            finds[i].OriginalWkt.ShouldStartWith("POINT (");
        }
    }

    [Fact]
    public async Task GeoPackage_WithSeveralLayers_AndNoLayerInTheMapping_IsRefusedListingThem()
    {
        await using var t = await TestDatabase.CreateAsync(Backend.GeoPackage);
        var before = await t.FingerprintAsync();
        var e = await Should.ThrowAsync<ImportRejectedException>(() => t.ImportAsync(DatasetCatalog.Finds, Registers("survey-finds.gpkg")));
        var problem = e.Problems.Single();
        problem.File.ShouldBe(Registers("survey-finds.gpkg"));
        problem.Field.ShouldBe("layer");
        problem.Reason.ShouldContain("'finds_2024', 'survey_tracks'");
        (await t.FingerprintAsync()).ShouldBe(before);
    }

    /// <summary>A CSV of national-grid coordinates (GDAL's own) imports with the grid's .prj named in the mapping, or its WKT given to --crs.</summary>
    [Theory]
    [InlineData("mapping")]
    [InlineData("--crs")]
    public async Task CsvInTheNationalGrid_WithTheCrsAsAPrjOrWkt_LandsOnTheWgs84Source(string how)
    {
        await using var t = await TestDatabase.CreateAsync(Backend.GeoPackage);
        var csv = Path.Combine(t.Directory, "grid-finds.csv");
        GdalTests.Run("ogr2ogr", $"-f CSV \"{csv}\" \"{Registers("survey-finds.gpkg")}\" finds_2024 -lco GEOMETRY=AS_XY").Code.ShouldBe(0);
        var map = Path.Combine(t.Directory, "grid-finds.map.json");
        var mapping = new Dictionary<string, object>
        {
            ["columns"] = new Dictionary<string, string> { ["X"] = "x", ["Y"] = "y", ["find_ref"] = "id", ["date_found"] = "found_on", ["qty"] = "quantity", ["team"] = "source" },
            ["dates"] = new Dictionary<string, object> { ["found_on"] = new Dictionary<string, string> { ["format"] = "yyyy/MM/dd" } }, // GDAL's CSV dates
        };
        if (how == "mapping") mapping["crs"] = Path.GetRelativePath(t.Directory, Registers("veloria-national-grid.prj"));
        await File.WriteAllTextAsync(map, JsonSerializer.Serialize(mapping));
        var wkt = (await File.ReadAllTextAsync(Registers("veloria-national-grid.prj"))).Trim();
        await t.ImportAsync(DatasetCatalog.Finds, csv, map: map, crs: how == "--crs" ? wkt : null);
        await using var db = t.Target.CreateContext();
        var finds = await db.Finds.AsNoTracking().OrderBy(f => f.Id).ToListAsync();
        var source = (await File.ReadAllLinesAsync(Registers("survey-finds.csv"))).Skip(1).Select(l => l.Split(',')).ToList();
        finds.Count.ShouldBe(source.Count);
        for (var i = 0; i < source.Count; i++)
        {
            finds[i].Geometry!.X.ShouldBe(Parse(source[i][6]), DegreeTolerance);
            finds[i].Geometry!.Y.ShouldBe(Parse(source[i][7]), DegreeTolerance);
            finds[i].OriginalCrs.ShouldBe(wkt);
        }
    }

    [Fact]
    public async Task GpxTracks_ChosenAsTheLayer_ImportAsLines_OneLinePerSegment()
    {
        await using var t = await TestDatabase.CreateAsync(Backend.GeoPackage);
        var gpx = Path.Combine(t.Directory, "walk.gpx");
        await File.WriteAllTextAsync(gpx, """
            <?xml version="1.0"?>
            <gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1">
              <wpt lat="-31.1" lon="-24.3"><name>start</name></wpt>
              <trk><name>TR-1</name><type>road</type>
                <trkseg><trkpt lat="-31.10" lon="-24.30"><time>2024-02-20T08:00:00Z</time></trkpt><trkpt lat="-31.11" lon="-24.29"/></trkseg>
                <trkseg><trkpt lat="-31.12" lon="-24.28"/><trkpt lat="-31.13" lon="-24.27"/><trkpt lat="-31.14" lon="-24.27"/></trkseg>
              </trk>
            </gpx>
            """);
        var map = Path.Combine(t.Directory, "walk.map.json");
        await File.WriteAllTextAsync(map, """{ "columns": { "name": "id", "type": "kind" }, "ignore": ["time"] }""");
        var e = await Should.ThrowAsync<ImportRejectedException>(() => t.ImportAsync(DatasetCatalog.Lines, gpx, map: map));
        e.Problems.Single().Reason.ShouldContain("1 waypoints and 1 tracks");

        await File.WriteAllTextAsync(map, """{ "layer": "tracks", "columns": { "name": "id", "type": "kind" }, "ignore": ["time"] }""");
        (await t.ImportAsync(DatasetCatalog.Lines, gpx, map: map)).Inserted.ShouldBe(1);
        await using var db = t.Target.CreateContext();
        var line = await db.Lines.AsNoTracking().SingleAsync();
        line.Kind.ShouldBe(LineKind.Road);
        line.Geometry!.NumGeometries.ShouldBe(2);
        line.Geometry.NumPoints.ShouldBe(5);
    }

    [Fact]
    public async Task KmlMultiGeometry_OfPolygons_ImportsAsOneHazard()
    {
        await using var t = await TestDatabase.CreateAsync(Backend.GeoPackage);
        var kml = Path.Combine(t.Directory, "areas.kml");
        await File.WriteAllTextAsync(kml, """
            <kml xmlns="http://www.opengis.net/kml/2.2"><Document><Placemark><name>KM-1</name>
              <ExtendedData><Data name="classification"><value>suspected</value></Data><Data name="status"><value>open</value></Data><Data name="recorded_on"><value>2024</value></Data></ExtendedData>
              <MultiGeometry>
                <Polygon><outerBoundaryIs><LinearRing><coordinates>-24.30,-31.10 -24.29,-31.10 -24.29,-31.09 -24.30,-31.09 -24.30,-31.10</coordinates></LinearRing></outerBoundaryIs></Polygon>
                <Polygon><outerBoundaryIs><LinearRing><coordinates>-24.28,-31.10 -24.27,-31.10 -24.27,-31.09 -24.28,-31.09</coordinates></LinearRing></outerBoundaryIs></Polygon>
              </MultiGeometry></Placemark></Document></kml>
            """);
        var map = Path.Combine(t.Directory, "areas.map.json");
        await File.WriteAllTextAsync(map, """{ "columns": { "name": "id" } }""");
        await t.ImportAsync(DatasetCatalog.Hazards, kml, map: map);
        await using var db = t.Target.CreateContext();
        var hazard = await db.Hazards.AsNoTracking().SingleAsync();
        hazard.Geometry!.NumGeometries.ShouldBe(2, "the second ring, left open as some writers do, is closed");
        hazard.Geometry.Area.ShouldBe(2 * 0.01 * 0.01, 1e-12);
    }

    private static readonly JsonSerializerOptions GeoJsonOptions = new() { Converters = { new GeoJsonConverterFactory() } };

    private static double Parse(string s) => double.Parse(s, CultureInfo.InvariantCulture);

    private static Dictionary<string, Geometry> SourceGeometries(string geojson, string idProperty)
    {
        var collection = JsonSerializer.Deserialize<NetTopologySuite.Features.FeatureCollection>(File.ReadAllText(geojson), GeoJsonOptions)!;
        return collection.ToDictionary(f => (string)f.Attributes[idProperty], f => f.Geometry);
    }

    /// <summary>Each feature's area as GDAL measures it in the file's own coordinates (OGR SQL's OGR_GEOM_AREA).</summary>
    private static Dictionary<string, double> OgrAreas(string file, string layer)
    {
        var (code, output) = GdalTests.Run("ogrinfo", $"-ro -q -sql \"SELECT HAZ_ID, OGR_GEOM_AREA AS area FROM \\\"{layer}\\\"\" \"{file}\"");
        code.ShouldBe(0, output);
        var ids = IdPattern().Matches(output).Select(m => m.Groups[1].Value).ToList();
        var areas = AreaPattern().Matches(output).Select(m => Parse(m.Groups[1].Value)).ToList();
        ids.Count.ShouldBe(areas.Count, output);
        ids.Count.ShouldBeGreaterThan(0, output);
        return ids.Zip(areas).ToDictionary(x => x.First, x => x.Second);
    }

    [GeneratedRegex(@"<coordinates>\s*([-0-9.]+),([-0-9.]+)")]
    private static partial Regex CoordinatesPattern();

    [GeneratedRegex(@"HAZ_ID \(String\) = (\S+)")]
    private static partial Regex IdPattern();

    [GeneratedRegex(@"area \(Real\) = ([-0-9.eE+]+)")]
    private static partial Regex AreaPattern();
}
