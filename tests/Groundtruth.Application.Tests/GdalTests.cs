using System.Diagnostics;
using System.Text.RegularExpressions;
using Groundtruth.Application.Datasets;
using Groundtruth.Application.Tests.Support;

namespace Groundtruth.Application.Tests;

/// <summary>GDAL, an independent reader, sees a valid GeoPackage with exactly our layers and counts.</summary>
public sealed partial class GdalTests
{
    internal static (int Code, string Output) Run(string file, string arguments)
    {
        var path = Environment.GetEnvironmentVariable("PATH")!.Split(':').Select(p => Path.Combine(p, file)).FirstOrDefault(File.Exists) ?? (File.Exists(file) ? file : null);
        if (path is null)
        {
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
                Assert.Fail($"{file} is not installed under CI: .ci/run must install gdal-bin and python3-gdal");
            Assert.Skip($"{file} is not installed (apt-get install gdal-bin python3-gdal)");
        }
        var psi = new ProcessStartInfo(path!, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        return (p.ExitCode, stdout.Result + stderr.Result);
    }

    private const string ValidateGpkg = "/usr/lib/python3/dist-packages/osgeo_utils/samples/validate_gpkg.py";

    /// <summary>The fixture programme, or what <c>groundtruth demo</c> writes (personal data included).</summary>
    private static async Task<TestDatabase> FilledAsync(string source)
    {
        var t = await TestDatabase.CreateAsync(Backend.GeoPackage, initialise: source != "demo");
        if (source == "demo") await new Application.Demo.DemoHandler(t.Target, TimeProvider.System).HandleAsync(new Application.Demo.DemoRequest(Seed: 3));
        else await t.ImportProgrammeAsync();
        return t;
    }

    [Theory]
    [InlineData("programme")]
    [InlineData("demo")]
    public async Task Ogrinfo_ListsExactlyTheDatasetLayers_WithTheirCounts_AndNoWarnings(string source)
    {
        await using var t = await FilledAsync(source);
        var (code, output) = Run("ogrinfo", $"-ro -so -al \"{t.FilePath}\"");
        code.ShouldBe(0, output);
        output.ShouldNotContain("Warning", Case.Insensitive, output);
        output.ShouldNotContain("ERROR", Case.Insensitive, output);
        var layers = LayerPattern().Matches(output).ToDictionary(m => m.Groups[1].Value, m => long.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture));
        // The datasets, and the QGIS styles table (one default style per spatial layer).
        layers.Keys.OrderBy(k => k, StringComparer.Ordinal).ShouldBe(DatasetCatalog.All.Select(d => d.Table).Append(Application.Storage.QgisLayerStyles.Table).OrderBy(k => k, StringComparer.Ordinal));
        foreach (var d in DatasetCatalog.All) layers[d.Table].ShouldBe(await t.CountAsync(d.Table), d.Table);
        layers[Application.Storage.QgisLayerStyles.Table].ShouldBe(DatasetCatalog.All.Count(d => d.Shape != Domain.GeometryShape.None));
    }

    [Theory]
    [InlineData("programme")]
    [InlineData("demo")]
    public async Task ValidateGpkg_Passes(string source)
    {
        if (!File.Exists(ValidateGpkg) && !string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            Assert.Skip("validate_gpkg.py is not installed (apt-get install python3-gdal)");
        await using var t = await FilledAsync(source);
        var (code, output) = Run("python3", $"{ValidateGpkg} \"{t.FilePath}\"");
        code.ShouldBe(0, output);
        output.Trim().ShouldBeEmpty();
    }

    [Fact]
    public async Task Ogr2ogr_ReadsOurGeometries_AsWeWroteThem()
    {
        await using var t = await TestDatabase.CreateAsync(Backend.GeoPackage);
        await t.ImportProgrammeAsync();
        var csv = Path.Combine(t.Directory, "hazards-gdal.csv");
        var (code, output) = Run("ogr2ogr", $"-f CSV \"{csv}\" \"{t.FilePath}\" hazards -lco GEOMETRY=AS_WKT -select id,area_m2");
        code.ShouldBe(0, output);
        var text = await File.ReadAllTextAsync(csv);
        text.ShouldContain("MULTIPOLYGON (((-24.58 -31.12,-24.56 -31.12,-24.56 -31.1,-24.58 -31.1,-24.58 -31.12)))");
        text.ShouldContain("H3");
    }

    [GeneratedRegex(@"Layer name: (\S+)[\s\S]*?Feature Count: (\d+)")]
    private static partial Regex LayerPattern();
}
