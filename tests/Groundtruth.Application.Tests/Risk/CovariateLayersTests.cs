using System.Globalization;
using Groundtruth.Analysis.Risk;
using Groundtruth.Application.Demo;
using Groundtruth.Application.History;
using Groundtruth.Application.Risk;
using Groundtruth.Application.Storage;
using Groundtruth.Application.Tests.Cli;
using Groundtruth.Application.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Groundtruth.Application.Tests.Risk;

/// <summary>
/// <c>groundtruth layers</c>: GeoTIFFs written by GDAL are stored in the database (both backends), listed, removed, read
/// by the risk model and resampled to its grid as GDAL itself reads them; bad files are refused naming the file.
/// </summary>
public sealed class CovariateLayersTests
{
    /// <summary>
    /// An ESRI ASCII grid over the demo's land (longitude −25 to −23.5, latitude −32 to −30.8, 0.01° cells): elevation
    /// is 100 + 2·row + 0.5·column, one nodata cell; land cover has classes 1–3 in blocks of 20 rows by 30 columns.
    /// <paramref name="cell"/> gives each cell's text (row, column) instead; nodata is −9999, or 0 when categorical.
    /// </summary>
    private static string AsciiGrid(string directory, string name, bool categorical, double west = -25.0, double south = -32.0, Func<int, int, string>? cell = null)
    {
        const int columns = 150, rows = 120;
        var path = Path.Combine(directory, name + ".asc");
        using var w = new StreamWriter(path);
        w.Write(string.Create(CultureInfo.InvariantCulture, $"ncols {columns}\nnrows {rows}\nxllcorner {west}\nyllcorner {south}\ncellsize 0.01\nNODATA_value {(categorical ? 0 : -9999)}\n"));
        for (var r = 0; r < rows; r++)
            w.WriteLine(string.Join(' ', Enumerable.Range(0, columns).Select(c => cell is not null ? cell(r, c) : categorical
                ? (1 + (r / 20 + c / 30) % 3).ToString(CultureInfo.InvariantCulture)
                : r == 5 && c == 5 ? "-9999" : (100 + r * 2 + c * 0.5).ToString(CultureInfo.InvariantCulture))));
        return path;
    }

    private static string Gdal(string tool, string arguments)
    {
        var (code, output) = GdalTests.Run(tool, arguments);
        code.ShouldBe(0, output);
        return output;
    }

    private static async Task<TestDatabase> DemoAsync(Backend backend)
    {
        var t = await TestDatabase.CreateAsync(backend, initialise: false);
        await new DemoHandler(t.Target, TimeProvider.System).HandleAsync(new DemoRequest(Seed: 3));
        return t;
    }

    [Theory]
    [InlineData(Backend.GeoPackage)]
    [InlineData(Backend.Postgres)]
    public async Task AddListReadRemove_KeepTheFileAndItsPlace(Backend backend)
    {
        await using var t = await DemoAsync(backend);
        var elevation = Path.Combine(t.Directory, "elevation.tif");
        Gdal("gdal_translate", $"-q -a_srs EPSG:4326 -ot Float32 \"{AsciiGrid(t.Directory, "elevation", false)}\" \"{elevation}\"");
        var cover = Path.Combine(t.Directory, "cover.tif");
        Gdal("gdal_translate", $"-q -a_srs EPSG:4326 -ot Byte -co TILED=YES -co COMPRESS=DEFLATE \"{AsciiGrid(t.Directory, "cover", true)}\" \"{cover}\"");
        var service = new CovariateLayersService(t.Target, TimeProvider.System);

        await service.AddAsync("elevation", elevation, CovariateKind.Continuous, "tester");
        await service.AddAsync("land_cover", cover, CovariateKind.Categorical, "tester");

        var list = await service.ListAsync();
        list.Select(l => l.Name).ShouldBe(["elevation", "land_cover"]);
        var e = list[0];
        (e.Kind, e.SourceFile, e.Epsg, e.Columns, e.Rows, e.AddedBy).ShouldBe((CovariateKind.Continuous, "elevation.tif", 4326, 150, 120, "tester"));
        e.West.ShouldBe(-25.0, 1e-9);
        e.South.ShouldBe(-32.0, 1e-9);
        e.East.ShouldBe(-23.5, 1e-9);
        e.North.ShouldBe(-30.8, 1e-9);
        e.Bytes.ShouldBe(new FileInfo(elevation).Length);
        list[1].Kind.ShouldBe(CovariateKind.Categorical);

        await using (var db = t.Target.CreateContext())
        {
            (await db.CovariateRasters.Where(r => r.Name == "elevation").Select(r => r.Tiff).SingleAsync()).ShouldBe(await File.ReadAllBytesAsync(elevation));
            var rasters = await CovariateLayersService.ReadAllAsync(db, default);
            var r = rasters.Single(x => x.Name == "elevation");
            // Cell (row 7, column 11) as written: 100 + 14 + 5.5; the nodata cell is known as such and never read as a value.
            r.Values[7 * 150 + 11].ShouldBe(119.5f);
            r.NoData.ShouldBe(-9999f);
            r.Values[5 * 150 + 5].ShouldBe(-9999f);
            r.Sample(-25.0 + 0.055, -30.8 - 0.055).ShouldBeInRange(100f, 400f);
            // At a cell centre the bilinear value is the cell's value, as GDAL reads it.
            var gdalValue = double.Parse(Gdal("gdallocationinfo", $"-valonly -wgs84 \"{elevation}\" -24.885 -30.875").Trim(), CultureInfo.InvariantCulture);
            r.Sample(-24.885, -30.875).ShouldBe((float)gdalValue, 1e-4f);
            rasters.Single(x => x.Name == "land_cover").Classes().ShouldBe([1f, 2f, 3f]);
            (await db.AuditLog.CountAsync(a => a.Action == CovariateLayersService.AddAction)).ShouldBe(2);
        }

        // The risk model reads what is stored: the loader hands both rasters to the model.
        await using (var db = t.Target.CreateContext())
        {
            var load = await RiskDataLoader.LoadAsync(db, HistoryPoint.Current, null, default);
            load.Data.Covariates.Select(c => (c.Name, c.Kind)).ShouldBe([("elevation", CovariateKind.Continuous), ("land_cover", CovariateKind.Categorical)]);
        }

        await service.RemoveAsync("elevation", "tester");
        (await service.ListAsync()).Select(l => l.Name).ShouldBe(["land_cover"]);
        await Should.ThrowAsync<NotFoundException>(() => service.RemoveAsync("elevation", "tester"));
    }

    [Theory]
    [InlineData(Backend.GeoPackage)]
    [InlineData(Backend.Postgres)]
    public async Task BadFiles_AreRefusedNamingTheFile_AndNothingIsStored(Backend backend)
    {
        await using var t = await DemoAsync(backend);
        var service = new CovariateLayersService(t.Target, TimeProvider.System);
        var text = Path.Combine(t.Directory, "notes.tif");
        await File.WriteAllTextAsync(text, "not an image");
        var plain = Path.Combine(t.Directory, "plain.tif");
        Gdal("gdal_translate", $"-q -ot Float32 \"{AsciiGrid(t.Directory, "plain", false)}\" \"{plain}\"");
        var far = Path.Combine(t.Directory, "far.tif");
        Gdal("gdal_translate", $"-q -a_srs EPSG:4326 -ot Float32 \"{AsciiGrid(t.Directory, "far", false, west: 100, south: 9)}\" \"{far}\"");
        var many = Path.Combine(t.Directory, "many.tif");
        Gdal("gdal_translate", $"-q -a_srs EPSG:4326 -ot Float32 \"{AsciiGrid(t.Directory, "many", false)}\" \"{many}\"");

        (await Should.ThrowAsync<BadDataException>(() => service.AddAsync("notes", text, CovariateKind.Continuous, "tester"))).Message.ShouldBe("notes.tif: not a TIFF file (a GeoTIFF is expected)");
        (await Should.ThrowAsync<BadDataException>(() => service.AddAsync("plain", plain, CovariateKind.Continuous, "tester"))).Message.ShouldStartWith("plain.tif: no coordinate reference system");
        (await Should.ThrowAsync<BadDataException>(() => service.AddAsync("far", far, CovariateKind.Continuous, "tester"))).Message.ShouldStartWith("far.tif: the raster (longitude 100 to 101.5, latitude 9 to 10.2) lies outside the programme's extent");
        (await Should.ThrowAsync<BadDataException>(() => service.AddAsync("many", many, CovariateKind.Categorical, "tester"))).Message.ShouldStartWith("many.tif: ");
        (await Should.ThrowAsync<InvalidRequestException>(() => service.AddAsync("past_finds", many, CovariateKind.Continuous, "tester"))).Parameter.ShouldBe("name");
        var folder = await Should.ThrowAsync<InvalidRequestException>(() => service.AddAsync("folder", t.Directory, CovariateKind.Continuous, "tester"));
        (folder.Parameter, folder.Reason).ShouldBe(("file", $"'{t.Directory}' is a directory, not a file"));
        await NothingStoredAsync(t);
    }

    /// <summary>A GeoTIFF of <see cref="AsciiGrid"/> as gdal_translate writes it (EPSG:4326, sample type <paramref name="type"/>).</summary>
    private static string GdalTiff(string directory, string name, string type, bool categorical, Func<int, int, string>? cell = null, string options = "")
    {
        var path = Path.Combine(directory, name + ".tif");
        Gdal("gdal_translate", $"-q -a_srs EPSG:4326 -ot {type} {options} \"{AsciiGrid(directory, name, categorical, cell: cell)}\" \"{path}\"");
        return path;
    }

    /// <summary>A refusal changes nothing: no layer, no audit entry.</summary>
    private static async Task NothingStoredAsync(TestDatabase t)
    {
        (await new CovariateLayersService(t.Target, TimeProvider.System).ListAsync()).ShouldBeEmpty();
        await using var db = t.Target.CreateContext();
        (await db.AuditLog.CountAsync(a => a.Action == CovariateLayersService.AddAction)).ShouldBe(0);
    }

    /// <summary>
    /// A categorical raster holding a value that is not a whole number (0.5, 9.5, −3.7) would put classes like
    /// "cover=0.5" in the model: it is refused naming the file and the first such value, and suggesting
    /// <c>--kind continuous</c>, which takes it.
    /// </summary>
    [Theory]
    [InlineData(Backend.GeoPackage)]
    [InlineData(Backend.Postgres)]
    public async Task CategoricalCodesThatAreNotWhole_AreRefusedNamingTheFirst_AndNothingIsStored(Backend backend)
    {
        await using var t = await DemoAsync(backend);
        var service = new CovariateLayersService(t.Target, TimeProvider.System);
        string[] fractions = ["0.5", "9.5", "-3.7"];
        for (var i = 0; i < fractions.Length; i++)
        {
            // Classes 1 and 2 in two halves, one cell (row 7, column 11) that is not a whole number and a later one (7.25): the first is named.
            var value = fractions[i];
            var file = GdalTiff(t.Directory, $"fraction{i}", "Float32", true, (r, c) => r == 7 && c == 11 ? value : r == 90 && c == 3 ? "7.25" : r < 60 ? "1" : "2");
            (await Should.ThrowAsync<BadDataException>(() => service.AddAsync("cover", file, CovariateKind.Categorical, "tester"))).Message
                .ShouldBe($"fraction{i}.tif: a categorical layer needs whole-number class codes, but the raster holds {value}; is it continuous (--kind continuous)?");
        }
        await NothingStoredAsync(t);
        await service.AddAsync("fraction", Path.Combine(t.Directory, "fraction0.tif"), CovariateKind.Continuous, "tester");
    }

    /// <summary>
    /// Values are kept as 32-bit floats, which hold every whole number up to 2^24 but not all beyond it: 16777217 reads as
    /// 16777216, so a categorical raster holding both would merge two classes silently. It is refused, naming the file and the
    /// first such code as the file holds it; codes a float holds exactly (16777216, −16777216, 1,000,000,000: the test below)
    /// are taken, and the same values as a continuous layer are taken too.
    /// </summary>
    [Theory]
    [InlineData(Backend.GeoPackage)]
    [InlineData(Backend.Postgres)]
    public async Task CategoricalCodesTooLargeToTellApart_AreRefused_AndNothingIsStored(Backend backend)
    {
        await using var t = await DemoAsync(backend);
        var service = new CovariateLayersService(t.Target, TimeProvider.System);
        var large = GdalTiff(t.Directory, "large", "Int32", true, (r, _) => r < 60 ? "16777216" : "16777217");
        (await Should.ThrowAsync<BadDataException>(() => service.AddAsync("cover", large, CovariateKind.Categorical, "tester"))).Message
            .ShouldBe("large.tif: the class code 16777217 cannot be kept apart from its neighbours (beyond 16777216 a layer's values are 32-bit floats, which skip whole numbers); renumber the classes (gdal_calc.py or a reclassification in QGIS)");
        var negative = GdalTiff(t.Directory, "negative", "Int32", true, (r, _) => r < 60 ? "1" : "-20000001");
        (await Should.ThrowAsync<BadDataException>(() => service.AddAsync("cover", negative, CovariateKind.Categorical, "tester"))).Message
            .ShouldStartWith("negative.tif: the class code -20000001 cannot be kept apart");
        var doubles = GdalTiff(t.Directory, "doubles", "Float64", true, (r, _) => r < 60 ? "16777216" : "16777217");
        (await Should.ThrowAsync<BadDataException>(() => service.AddAsync("cover", doubles, CovariateKind.Categorical, "tester"))).Message
            .ShouldStartWith("doubles.tif: the class code 16777217 cannot be kept apart");
        var unsigned = GdalTiff(t.Directory, "unsigned", "UInt32", true, (r, _) => r < 60 ? "1" : "40000001");
        (await Should.ThrowAsync<BadDataException>(() => service.AddAsync("cover", unsigned, CovariateKind.Categorical, "tester"))).Message
            .ShouldStartWith("unsigned.tif: the class code 40000001 cannot be kept apart");
        await NothingStoredAsync(t);

        var exact = GdalTiff(t.Directory, "exact", "Int32", true, (r, _) => r < 60 ? "16777216" : "-16777216");
        await service.AddAsync("cover", exact, CovariateKind.Categorical, "tester");
        await service.AddAsync("count", large, CovariateKind.Continuous, "tester");
        (await service.ListAsync()).Select(l => l.Name).Order().ShouldBe(["count", "cover"]);
    }

    /// <summary>A GeoTIFF of three bands is refused (the reader would take the first silently), naming how many it has.</summary>
    [Theory]
    [InlineData(Backend.GeoPackage)]
    [InlineData(Backend.Postgres)]
    public async Task AMultiBandRaster_IsRefused_AndNothingIsStored(Backend backend)
    {
        await using var t = await DemoAsync(backend);
        var bands = GdalTiff(t.Directory, "bands", "Float32", false, options: "-b 1 -b 1 -b 1");
        (await Should.ThrowAsync<BadDataException>(() => new CovariateLayersService(t.Target, TimeProvider.System).AddAsync("elevation", bands, CovariateKind.Continuous, "tester"))).Message
            .ShouldBe("bands.tif: the raster has 3 bands, a layer needs exactly one; extract the band you mean first (gdal_translate -b 1)");
        await NothingStoredAsync(t);
    }

    /// <summary>A raster whose every cell is nodata would enter the model as a constant: refused, continuous or categorical.</summary>
    [Theory]
    [InlineData(Backend.GeoPackage)]
    [InlineData(Backend.Postgres)]
    public async Task ARasterWithNoValue_IsRefused_AndNothingIsStored(Backend backend)
    {
        await using var t = await DemoAsync(backend);
        var service = new CovariateLayersService(t.Target, TimeProvider.System);
        var empty = GdalTiff(t.Directory, "empty", "Float32", false, (_, _) => "-9999");
        (await Should.ThrowAsync<BadDataException>(() => service.AddAsync("elevation", empty, CovariateKind.Continuous, "tester"))).Message
            .ShouldBe("empty.tif: every cell is nodata; a layer needs at least one cell with a value");
        var noClass = GdalTiff(t.Directory, "no_class", "Byte", true, (_, _) => "0");
        (await Should.ThrowAsync<BadDataException>(() => service.AddAsync("cover", noClass, CovariateKind.Categorical, "tester"))).Message
            .ShouldBe("no_class.tif: every cell is nodata; a layer needs at least one cell with a value");
        await NothingStoredAsync(t);
    }

    /// <summary>
    /// Class codes are whole numbers of any size that fits: a code of 1,000,000,000 (Int32) is a class like any other,
    /// and the model names its layer with every digit (not 1E+09).
    /// </summary>
    [Fact]
    public async Task HugeWholeClassCodes_AreAccepted_AndNamedInFull()
    {
        await using var t = await DemoAsync(Backend.GeoPackage);
        var codes = GdalTiff(t.Directory, "codes", "Int32", true, (_, c) => c < 75 ? "1" : "1000000000");
        await new CovariateLayersService(t.Target, TimeProvider.System).AddAsync("codes", codes, CovariateKind.Categorical, "tester");

        await using var db = t.Target.CreateContext();
        (await CovariateLayersService.ReadAllAsync(db, default)).Single().Classes().ShouldBe([1f, 1e9f]);
        var load = await RiskDataLoader.LoadAsync(db, HistoryPoint.Current, null, default);
        new RiskScene(load.Data, 1000).Covariates.Names.ShouldBe(["codes=1", "codes=1000000000"]);
    }

    /// <summary>
    /// A categorical raster warped by GDAL into the UTM zone is resampled to the risk grid as GDAL reads it at each cell
    /// centre (nearest cell): the two agree on at least 98% of 300 seeded cells (the rest lie within a metre or so of a
    /// class edge, where the projection's interpolation between lattice points may fall on the other side).
    /// </summary>
    [Fact]
    public async Task AUtmRaster_IsResampledToTheGrid_AsGdalReadsIt()
    {
        await using var t = await DemoAsync(Backend.GeoPackage);
        var cover = Path.Combine(t.Directory, "cover.tif");
        Gdal("gdal_translate", $"-q -a_srs EPSG:4326 -ot Byte \"{AsciiGrid(t.Directory, "cover", true)}\" \"{cover}\"");
        var utm = Path.Combine(t.Directory, "cover_utm.tif");
        Gdal("gdalwarp", $"-q -t_srs EPSG:32726 -tr 500 500 -r near \"{cover}\" \"{utm}\"");
        await new CovariateLayersService(t.Target, TimeProvider.System).AddAsync("land_cover", utm, CovariateKind.Categorical, "tester");
        (await new CovariateLayersService(t.Target, TimeProvider.System).ListAsync()).Single().Epsg.ShouldBe(32726);

        await using var db = t.Target.CreateContext();
        var load = await RiskDataLoader.LoadAsync(db, HistoryPoint.Current, null, default);
        var scene = new RiskScene(load.Data, 1000);
        var layers = scene.Covariates;
        var random = new Random(16);
        var cells = Enumerable.Range(0, scene.Grid.Count).Where(c => scene.Mask[c]).OrderBy(_ => random.Next()).Take(300).ToList();
        var points = string.Join('\n', cells.Select(c =>
        {
            var p = scene.Projection.Unproject(scene.Projection.Factory.CreatePoint(new NetTopologySuite.Geometries.Coordinate(scene.Grid.CentreX(c % scene.Grid.Columns), scene.Grid.CentreY(c / scene.Grid.Columns))));
            return string.Create(CultureInfo.InvariantCulture, $"{p.Coordinate.X:R} {p.Coordinate.Y:R}");
        }));
        var input = Path.Combine(t.Directory, "points.txt");
        await File.WriteAllTextAsync(input, points + "\n");
        var output = Gdal("sh", $"-c \"gdallocationinfo -valonly -wgs84 '{utm}' < '{input}'\"").Split('\n');
        var agree = 0;
        for (var i = 0; i < cells.Count; i++)
        {
            var gdal = output[i].Trim();
            var ours = layers.Names.Select((n, k) => (n, k)).Where(x => layers.Values[x.k][cells[i]] == 1).Select(x => x.n.Split('=')[1]).SingleOrDefault() ?? "0";
            if (gdal == ours || (gdal.Length == 0 && ours == "0")) agree++;
        }
        agree.ShouldBeGreaterThanOrEqualTo(294, $"{agree} of {cells.Count} cells agree with gdallocationinfo");
    }

    [Fact]
    public async Task Cli_AddListRemove_WithExitCodes()
    {
        await using var t = await DemoAsync(Backend.GeoPackage);
        var elevation = Path.Combine(t.Directory, "elevation.tif");
        Gdal("gdal_translate", $"-q -a_srs EPSG:4326 -ot Float32 \"{AsciiGrid(t.Directory, "elevation", false)}\" \"{elevation}\"");
        var db = t.FilePath!;
        var (code, output, err) = await CliProcess.RunAsync("--db", db, "layers", "add", "elevation", elevation);
        code.ShouldBe(0, err);
        output.ShouldContain("added layer elevation (continuous) from elevation.tif: 150×120 cells, EPSG:4326");
        (code, _, err) = await CliProcess.RunAsync("--db", db, "layers", "add", "elevation", elevation);
        code.ShouldBe(2, err);
        err.ShouldContain("exists already");
        (code, _, err) = await CliProcess.RunAsync("--db", db, "layers", "add", "slope", Path.Combine(t.Directory, "elevation.asc"));
        code.ShouldBe(1, err);
        err.ShouldContain("elevation.asc: not a TIFF file");
        (code, _, err) = await CliProcess.RunAsync("--db", db, "layers", "add", "slope", t.Directory);
        code.ShouldBe(2, err);
        err.ShouldContain($"FILE: '{t.Directory}' is a directory, not a file");
        err.ShouldNotContain("does not exist");
        (code, _, err) = await CliProcess.RunAsync("--db", db, "layers", "add", "slope", elevation, "--kind", "ordinal");
        code.ShouldBe(2, err);
        (code, output, err) = await CliProcess.RunAsync("--db", db, "layers", "list", "--format", "json");
        code.ShouldBe(0, err);
        output.ShouldContain("\"name\":\"elevation\"");
        output.ShouldContain("\"source_file\":\"elevation.tif\"");
        output.ShouldContain("\"crs\":\"EPSG:4326\"");
        (code, _, err) = await CliProcess.RunAsync("--db", db, "layers", "remove", "elevation");
        code.ShouldBe(0, err);
        (code, _, err) = await CliProcess.RunAsync("--db", db, "layers", "remove", "elevation");
        code.ShouldBe(2, err);
        (code, output, err) = await CliProcess.RunAsync("--db", db, "layers", "list");
        code.ShouldBe(0, err);
        output.ShouldContain("no covariate layers");
    }
}
