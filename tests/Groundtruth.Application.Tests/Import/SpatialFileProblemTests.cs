using System.IO.Compression;
using Groundtruth.Application.Datasets;
using Groundtruth.Application.Import;
using Groundtruth.Application.Tests.Support;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO.Esri;

namespace Groundtruth.Application.Tests.Import;

/// <summary>
/// The importer's bad-input rules hold for spatial files: the file is refused as a whole (the database is byte for byte,
/// or row for row, unchanged), and each problem names the file, the record (Shapefile record, KML/GPX line, GeoPackage
/// fid) and the field.
/// </summary>
public sealed class SpatialFileProblemTests
{
    private const string Stem = "hazards-national-grid";
    private static readonly string[] Sidecars = [".shp", ".shx", ".dbf", ".prj", ".cpg"];

    private static string Registers(string file) => TestData.File(Path.Combine("registers", file));

    private static async Task<ImportRejectedException> RefusedAsync(TestDatabase t, DatasetSpec dataset, string file, string? map = null)
    {
        var before = await t.FingerprintAsync();
        var e = await Should.ThrowAsync<ImportRejectedException>(() => t.ImportAsync(dataset, file, map: map));
        (await t.FingerprintAsync()).ShouldBe(before, "nothing is stored from a refused file");
        return e;
    }

    /// <summary>Copies the fixture Shapefile set into the test's directory, leaving out or replacing some of its files.</summary>
    private static string CopyShapefile(TestDatabase t, string leaveOut = "", (string Ext, string Text)? replace = null)
    {
        foreach (var ext in Sidecars.Where(e => e != leaveOut))
            File.Copy(Registers(Stem + ext), Path.Combine(t.Directory, Stem + ext));
        if (replace is { } r) File.WriteAllText(Path.Combine(t.Directory, Stem + r.Ext), r.Text);
        return Path.Combine(t.Directory, Stem + ".shp");
    }

    [Theory]
    [ClassData(typeof(Backends))]
    public async Task Shapefile_WithoutItsDbf_IsRefusedNamingTheShp(Backend backend)
    {
        await using var t = await TestDatabase.CreateAsync(backend);
        var shp = CopyShapefile(t, leaveOut: ".dbf");
        var e = await RefusedAsync(t, DatasetCatalog.Hazards, shp, Registers(Stem + ".map.json"));
        var problem = e.Problems.Single();
        problem.File.ShouldBe(shp);
        problem.Reason.ShouldContain($"'{Stem}.dbf' is missing");
    }

    /// <summary>The byte offset of a record's header in a .shp (records numbered from 1).</summary>
    private static int RecordOffset(byte[] shp, int record)
    {
        var position = 100;
        for (var i = 1; i < record; i++)
            position += 8 + 2 * System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(shp.AsSpan(position + 4, 4));
        return position;
    }

    [Theory]
    [InlineData("points", 48)]
    [InlineData("parts", 44)]
    [InlineData("content length", 4)]
    public async Task Shapefile_WhoseRecordClaimsMoreThanTheFileHolds_IsRefusedNamingTheRecord_WithoutReadingIt(string claim, int offset)
    {
        // A damaged header claiming two billion points once made the reader allocate gigabytes (found by the fuzzer).
        await using var t = await TestDatabase.CreateAsync(Backend.GeoPackage);
        var shp = CopyShapefile(t);
        var bytes = File.ReadAllBytes(shp);
        var at = RecordOffset(bytes, 2) + offset;
        if (claim == "content length") System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(at, 4), int.MaxValue / 2);
        else System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(at, 4), int.MaxValue);
        File.WriteAllBytes(shp, bytes);

        var e = await RefusedAsync(t, DatasetCatalog.Hazards, shp, Registers(Stem + ".map.json"));
        var problem = e.Problems.Single();
        problem.File.ShouldBe(shp);
        problem.Line.ShouldBe(2);
        problem.Field.ShouldBe("geometry");
        problem.ToString().ShouldContain($"{Stem}.shp:record 2");
        problem.Reason.ShouldContain(claim == "content length" ? "the file holds" : "2,147,483,647");
    }

    [Theory]
    [InlineData(-652607488, "not at its first point")]
    [InlineData(5, "not at its first point")]
    public async Task Shapefile_WhosePartStartsOutsideItsPoints_IsRefusedNamingTheRecord_WithoutReadingIt(int start, string reason)
    {
        // afl-fuzz: a part starting at point -652,607,488 made the reader size the part from it and run out of memory.
        await using var t = await TestDatabase.CreateAsync(Backend.GeoPackage);
        var shp = CopyShapefile(t);
        var bytes = File.ReadAllBytes(shp);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(RecordOffset(bytes, 2) + 8 + 44, 4), start);
        File.WriteAllBytes(shp, bytes);

        var e = await RefusedAsync(t, DatasetCatalog.Hazards, shp, Registers(Stem + ".map.json"));
        var problem = e.Problems.Single();
        problem.Line.ShouldBe(2);
        problem.Field.ShouldBe("geometry");
        problem.ToString().ShouldContain($"{Stem}.shp:record 2");
        problem.Reason.ShouldContain(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"part 1 starts at point {start:N0}, {reason}"));
    }

    [Fact]
    public async Task ZippedShapefile_WithoutItsDbf_IsRefusedNamingTheZipAndTheShpInIt()
    {
        await using var t = await TestDatabase.CreateAsync(Backend.GeoPackage);
        var zip = Path.Combine(t.Directory, "delivery.zip");
        using (var archive = ZipFile.Open(zip, ZipArchiveMode.Create))
        {
            foreach (var ext in Sidecars.Where(e => e != ".dbf")) archive.CreateEntryFromFile(Registers(Stem + ext), "layers/" + Stem + ext);
        }
        var e = await RefusedAsync(t, DatasetCatalog.Hazards, zip, Registers(Stem + ".map.json"));
        var problem = e.Problems.Single();
        problem.File.ShouldBe($"{zip}:layers/{Stem}.shp");
        problem.ToString().ShouldContain($"delivery.zip:layers/{Stem}.shp: the attribute table 'layers/{Stem}.dbf' is missing");
    }

    [Theory]
    [ClassData(typeof(Backends))]
    public async Task Shapefile_WithAPrjProjNetCannotRead_IsRefusedNamingThePrjAndTheCrs(Backend backend)
    {
        await using var t = await TestDatabase.CreateAsync(backend);
        var prj = """PROJCS["Imaginary grid",GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]],PROJECTION["Imaginary_Projection"],PARAMETER["central_meridian",-24],UNIT["metre",1]]""";
        var shp = CopyShapefile(t, replace: (".prj", prj));
        var e = await RefusedAsync(t, DatasetCatalog.Hazards, shp, Registers(Stem + ".map.json"));
        var problem = e.Problems.Single();
        problem.File.ShouldBe(Path.ChangeExtension(shp, ".prj"));
        problem.Line.ShouldBe(1);
        problem.Field.ShouldBe("crs");
        problem.Reason.ShouldContain("cannot be read");
        problem.Reason.ShouldContain("--crs");
    }

    [Theory]
    [ClassData(typeof(Backends))]
    public async Task KmzPlacemark_WithBrokenCoordinates_IsRefusedNamingTheDocAndItsLine_AlongWithEveryOtherProblem(Backend backend)
    {
        await using var t = await TestDatabase.CreateAsync(backend);
        var kml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <kml xmlns="http://www.opengis.net/kml/2.2">
            <Document>
              <Placemark>
                <name>BK-1</name>
                <ExtendedData><Data name="Type"><value>AP mine</value></Data><Data name="Date"><value>2024-03-12</value></Data></ExtendedData>
                <Point><coordinates>-24.391,-31.190</coordinates></Point>
              </Placemark>
              <Placemark>
                <name>BK-2</name>
                <ExtendedData><Data name="Type"><value>AP mine</value></Data><Data name="Date"><value>2024-03-12</value></Data></ExtendedData>
                <Point><coordinates>-24.392,abc</coordinates></Point>
              </Placemark>
              <Placemark>
                <name>BK-3</name>
                <ExtendedData><Data name="Type"><value>rocket</value></Data><Data name="Date"><value>2024-03-13</value></Data></ExtendedData>
                <Point><coordinates>-24.393,-31.192</coordinates></Point>
              </Placemark>
            </Document>
            </kml>
            """;
        var kmz = Path.Combine(t.Directory, "bad.kmz");
        using (var archive = ZipFile.Open(kmz, ZipArchiveMode.Create))
        {
            await using var writer = new StreamWriter(archive.CreateEntry("doc.kml").Open());
            await writer.WriteAsync(kml);
        }
        var lines = kml.Split('\n');
        var placemarkLines = Enumerable.Range(1, lines.Length).Where(n => lines[n - 1].Trim() == "<Placemark>").ToList();
        placemarkLines.Count.ShouldBe(3);

        var e = await RefusedAsync(t, DatasetCatalog.Finds, kmz, Registers("finds-gps.map.json"));
        e.Problems.Count.ShouldBe(2);
        var coordinates = e.Problems.Single(p => p.Field == "coordinates");
        coordinates.Line.ShouldBe(placemarkLines[1]);
        coordinates.ToString().ShouldStartWith($"{kmz}:doc.kml:line {placemarkLines[1]}: field 'coordinates': '-24.392,abc' is not longitude,latitude");
        var category = e.Problems.Single(p => p.Field == "category");
        category.ToString().ShouldStartWith($"{kmz}:doc.kml:line {placemarkLines[2]}: field 'category' value 'rocket': unknown value");
    }

    [Theory]
    [ClassData(typeof(Backends))]
    public async Task Shapefile_WithAnInvalidPolygon_IsRefusedNamingTheRecordAndTheGeometry(Backend backend)
    {
        await using var t = await TestDatabase.CreateAsync(backend);
        var f = Domain.SpatialRules.Factory;
        Polygon Square(double x, double y) => f.CreatePolygon([new(x, y), new(x + 0.01, y), new(x + 0.01, y + 0.01), new(x, y + 0.01), new(x, y)]);
        var bowTie = f.CreatePolygon([new(-24.3, -31.1), new(-24.29, -31.09), new(-24.29, -31.1), new(-24.3, -31.09), new(-24.3, -31.1)]);
        bowTie.IsValid.ShouldBeFalse();
        Feature Hazard(string id, string cls, Geometry g) => new(g, new AttributesTable { { "id", id }, { "class", cls }, { "status", "open" }, { "recorded", "2024" } });
        var shp = Path.Combine(t.Directory, "drawn.shp");
        Shapefile.WriteAllFeatures([Hazard("DR-1", "suspected", Square(-24.3, -31.2)), Hazard("DR-2", "suspected", bowTie), Hazard("DR-3", "rumoured", Square(-24.2, -31.2))], shp);
        var map = Path.Combine(t.Directory, "drawn.map.json");
        await File.WriteAllTextAsync(map, """{ "columns": { "class": "classification", "recorded": "recorded_on" } }""");

        var e = await RefusedAsync(t, DatasetCatalog.Hazards, shp, map);
        e.Problems.Count.ShouldBe(2, string.Join("\n", e.Problems));
        var geometry = e.Problems.Single(p => p.Field == "geometry");
        geometry.Location.ShouldBe("record 2");
        geometry.ToString().ShouldStartWith($"{shp}:record 2: field 'geometry'");
        e.Problems.Single(p => p.Field == "classification").ToString().ShouldStartWith($"{shp}:record 3: field 'classification' value 'rumoured'");
    }

    [Fact]
    public async Task GpxWaypoint_WithABadLatitude_IsRefusedNamingItsLineAndField()
    {
        await using var t = await TestDatabase.CreateAsync(Backend.GeoPackage);
        var gpx = Path.Combine(t.Directory, "bad.gpx");
        await File.WriteAllTextAsync(gpx, "<?xml version=\"1.0\"?>\n<gpx version=\"1.1\" xmlns=\"http://www.topografix.com/GPX/1/1\">\n" +
                                          "<wpt lat=\"-31.1\" lon=\"-24.3\"><name>W-1</name><time>2024-01-02T10:00:00Z</time><type>mine_erw</type></wpt>\n" +
                                          "<wpt lat=\"south\" lon=\"-24.3\"><name>W-2</name><time>2024-01-02T10:00:00Z</time><type>mine_erw</type></wpt>\n</gpx>\n");
        var map = Path.Combine(t.Directory, "bad.map.json");
        await File.WriteAllTextAsync(map, """{ "columns": { "name": "id", "time": "occurred_on", "type": "kind" } }""");
        var e = await RefusedAsync(t, DatasetCatalog.Accidents, gpx, map);
        var problem = e.Problems.Single();
        problem.Field.ShouldBe("lat");
        problem.ToString().ShouldStartWith($"{gpx}:line 4: field 'lat': 'south' is not a latitude");
    }

    [Fact]
    public async Task GeoPackage_WithAnUnknownLayerInTheMapping_IsRefusedListingItsLayers()
    {
        await using var t = await TestDatabase.CreateAsync(Backend.GeoPackage);
        var map = Path.Combine(t.Directory, "layer.map.json");
        await File.WriteAllTextAsync(map, """{ "layer": "finds_2023" }""");
        var e = await RefusedAsync(t, DatasetCatalog.Finds, Registers("survey-finds.gpkg"), map);
        var problem = e.Problems.Single();
        problem.Field.ShouldBe("layer");
        problem.Reason.ShouldContain("'finds_2023' is not a feature layer");
        problem.Reason.ShouldContain("'finds_2024', 'survey_tracks'");
    }

    [Fact]
    public async Task GeoPackageFeature_WithAnUnknownValue_IsNamedByLayerAndFid()
    {
        await using var t = await TestDatabase.CreateAsync(Backend.GeoPackage);
        var map = Path.Combine(t.Directory, "survey.map.json");
        await File.WriteAllTextAsync(map, """{ "layer": "finds_2024", "columns": { "find_ref": "id", "date_found": "found_on", "qty": "quantity", "team": "source" }, "values": { "category": { "uxo": "grenade" } } }""");
        var e = await RefusedAsync(t, DatasetCatalog.Finds, Registers("survey-finds.gpkg"), map);
        e.Problems.Single().ToString().ShouldStartWith($"{Registers("survey-finds.gpkg")}:layer 'finds_2024' fid 2: field 'category' value 'grenade'");
    }
}
