using System.Diagnostics;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Groundtruth.Application.Admin;
using Groundtruth.Application.Datasets;
using Groundtruth.Application.Maps;
using Groundtruth.Application.Storage;
using Groundtruth.Application.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Groundtruth.Application.Tests.Storage;

/// <summary>The GeoPackage's <c>layer_styles</c>: QGIS opens every layer in the web map's colours.</summary>
public sealed partial class QgisLayerStylesTests
{
    private static string[] SpatialTables => [.. DatasetCatalog.All.Where(d => d.Shape != Domain.GeometryShape.None).Select(d => d.Table).Order()];

    [Fact]
    public async Task Init_WritesOneDefaultStylePerSpatialLayer_WithQmlNamingTheRenderer()
    {
        await using var t = await TestDatabase.CreateAsync(Backend.GeoPackage);

        var rows = await StylesAsync(t);

        rows.Select(r => r.Table).Order().ShouldBe(SpatialTables);
        foreach (var row in rows)
        {
            row.Name.ShouldBe("Groundtruth");
            row.Default.ShouldBeTrue(row.Table);
            row.GeometryColumn.ShouldBe("geom");
            var qml = XDocument.Parse(row.Qml);
            qml.Root!.Name.LocalName.ShouldBe("qgis");
            qml.Root.Element("renderer-v2")!.Attribute("type")!.Value.ShouldBe("RuleRenderer");
            qml.Descendants("rule").ShouldNotBeEmpty(row.Table);
        }
        (await t.ScalarTextAsync("SELECT data_type FROM gpkg_contents WHERE table_name = 'layer_styles'")).ShouldBe("attributes");
    }

    [Fact]
    public async Task HazardsStyle_ColoursEachClassification_AsTheWebMap_DashedWhenClosed()
    {
        await using var t = await TestDatabase.CreateAsync(Backend.GeoPackage);
        var hazards = XDocument.Parse((await StylesAsync(t)).Single(r => r.Table == "hazards").Qml);
        var symbols = hazards.Descendants("symbol").ToDictionary(s => s.Attribute("name")!.Value);

        string Option(XElement rule, string name) =>
            symbols[rule.Attribute("symbol")!.Value].Descendants("Option").Single(o => o.Attribute("name")?.Value == name).Attribute("value")!.Value;
        var rules = hazards.Descendants("rule").ToDictionary(r => r.Attribute("label")!.Value);

        // Independently: #c0392b is 192,57,43; a fill at 0.35 opacity is alpha 89 of 255.
        Option(rules["confirmed"], "color").ShouldBe("192,57,43,89");
        Option(rules["confirmed"], "outline_color").ShouldBe("192,57,43,255");
        Option(rules["confirmed"], "outline_style").ShouldBe("solid");
        rules["confirmed"].Attribute("filter")!.Value.ShouldBe("\"classification\" IN ('confirmed') AND coalesce(\"status\", '') NOT IN ('closed', 'handed_over')");
        Option(rules["suspected"], "outline_color").ShouldBe("230,126,34,255");
        Option(rules["defined"], "outline_color").ShouldBe("142,68,173,255");
        Option(rules["confirmed, closed or handed over"], "outline_style").ShouldBe("dash");
        rules["confirmed, closed or handed over"].Attribute("filter")!.Value.ShouldBe("\"classification\" IN ('confirmed') AND \"status\" IN ('closed', 'handed_over')");
    }

    [Fact]
    public async Task MixedGeometryLayers_DrawPointsAsCircles_AndAreasAsFills()
    {
        await using var t = await TestDatabase.CreateAsync(Backend.GeoPackage);
        var places = XDocument.Parse((await StylesAsync(t)).Single(r => r.Table == "places").Qml);

        var children = places.Descendants("rule").Where(r => r.Parent!.Name == "rule").ToList();
        children.Select(r => r.Attribute("filter")!.Value).ShouldBe(["geometry_type($geometry) = 'Point'", "geometry_type($geometry) = 'Polygon'"]);
        places.Descendants("symbol").Select(s => s.Attribute("type")!.Value).ShouldBe(["marker", "fill"]);
        places.Descendants("layer").Select(l => l.Attribute("class")!.Value).ShouldBe(["SimpleMarker", "SimpleFill"]);
    }

    [Fact]
    public void EveryColour_IsTheOneTheWebMapDraws()
    {
        // The web map's colours live in map-style.js (the legend) and map.js (the drawing).
        var js = Path.Combine(RepositoryRoot(), "src", "Groundtruth.Web", "wwwroot", "js");
        var mapJs = File.ReadAllText(Path.Combine(js, "map-style.js")) + File.ReadAllText(Path.Combine(js, "map.js"));
        var colours = MapStyles.Layers.SelectMany(l => l.Legend).Select(e => e.Symbol.Colour).Distinct()
            .Concat(MapStyles.VerdictColours.Values);
        foreach (var colour in colours.Where(c => c != MapStyles.DefaultColour))
            mapJs.ShouldContain(colour, Case.Insensitive, $"the web map no longer draws {colour}: change MapStyles and map-style.js together");
        MapStyles.Layers.Select(l => l.Dataset.Table).Order().ToArray().ShouldBe(SpatialTables, "every spatial layer has a style");
    }

    [Fact]
    public async Task Init_Again_LeavesCurrentStylesAsTheyAre_AndKeepsAUsersOwnDefaultStyle()
    {
        await using var t = await TestDatabase.CreateAsync(Backend.GeoPackage);
        const string Rows = "SELECT group_concat(id || '|' || update_time || '|' || styleQML, ';') FROM layer_styles";
        var before = await t.ScalarTextAsync(Rows);
        await new InitHandler(t.Target, TimeProvider.System).HandleAsync("test");
        (await t.ScalarTextAsync(Rows)).ShouldBe(before, "current styles are not rewritten");

        // An older Groundtruth style, and a style the user saved in QGIS as the layer's default.
        await t.ScalarAsync("""
            UPDATE layer_styles SET styleQML = '<qgis/>', useAsDefault = 0 WHERE f_table_name = 'hazards';
            INSERT INTO layer_styles (f_table_catalog, f_table_schema, f_table_name, f_geometry_column, styleName, styleQML, useAsDefault, owner)
              VALUES ('', '', 'hazards', 'geom', 'mine', '<qgis version="3.22.0"/>', 1, 'someone');
            SELECT 1
            """);
        await new InitHandler(t.Target, TimeProvider.System).HandleAsync("test");

        (await t.ScalarAsync("SELECT count(*) FROM layer_styles WHERE f_table_name = 'hazards'")).ShouldBe(2);
        (await t.ScalarTextAsync("SELECT styleQML FROM layer_styles WHERE styleName = 'mine'")).ShouldBe("<qgis version=\"3.22.0\"/>");
        (await t.ScalarAsync("SELECT useAsDefault FROM layer_styles WHERE styleName = 'mine'")).ShouldBe(1);
        (await t.ScalarAsync("SELECT useAsDefault FROM layer_styles WHERE styleName = 'Groundtruth' AND f_table_name = 'hazards'")).ShouldBe(0, "the user's default stays the default");
        (await t.ScalarTextAsync("SELECT styleQML FROM layer_styles WHERE styleName = 'Groundtruth' AND f_table_name = 'hazards'"))!.ShouldContain("RuleRenderer");
    }

    [Fact]
    public async Task Init_UpgradesAFileWithoutStyles()
    {
        await using var t = await TestDatabase.CreateAsync(Backend.GeoPackage);
        await t.ScalarAsync("DROP TABLE layer_styles; DELETE FROM gpkg_contents WHERE table_name = 'layer_styles'; SELECT 1");

        await new InitHandler(t.Target, TimeProvider.System).HandleAsync("test");

        (await StylesAsync(t)).Select(r => r.Table).Order().ShouldBe(SpatialTables);
    }

    /// <summary>QGIS itself (Debian's python3-qgis, offscreen) opens each layer with our style as its default.</summary>
    [Fact]
    public async Task Qgis_OpensEachLayerWithTheStyle()
    {
        if (!QgisAvailable()) Assert.Skip("QGIS's Python bindings are not installed (apt-get install python3-qgis qgis-providers)");
        await using var t = await TestDatabase.CreateAsync(Backend.GeoPackage);
        await t.ImportProgrammeAsync();
        var script = Path.Combine(t.Directory, "styles.py");
        await File.WriteAllTextAsync(script, """
            import sys
            from qgis.core import QgsApplication, QgsVectorLayer
            app = QgsApplication([], False)
            app.initQgis()
            for table in sys.argv[2:]:
                layer = QgsVectorLayer(f"{sys.argv[1]}|layername={table}", table, "ogr")
                if not layer.isValid():
                    print(f"{table} invalid"); continue
                renderer = layer.renderer()
                root = renderer.rootRule() if renderer.type() == "RuleRenderer" else None
                first = root.children()[0] if root else None
                symbol = (first.symbol() or first.children()[0].symbol()) if first else None
                print(f"{table} {renderer.type()} {first.label() if first else '-'} {symbol.color().name() if symbol else '-'}")
            """);
        var (code, output) = Run(Python, [script, t.FilePath!, .. SpatialTables]);

        code.ShouldBe(0, output);
        var lines = LineOf().Matches(output).ToDictionary(m => m.Groups["table"].Value, m => (Renderer: m.Groups["renderer"].Value, Label: m.Groups["label"].Value, Colour: m.Groups["colour"].Value));
        lines.Keys.Order().ToArray().ShouldBe(SpatialTables, output);
        foreach (var layer in MapStyles.Layers)
        {
            var (renderer, label, colour) = lines[layer.Dataset.Table];
            renderer.ShouldBe("RuleRenderer", output);
            label.ShouldBe(layer.Legend[0].Label, output);
            colour.ShouldBe(layer.Legend[0].Symbol.Colour, output);
        }
    }

    /// <summary>Debian's Python, where python3-qgis installs; a python3 earlier on the PATH (pyenv) does not see it.</summary>
    private static string Python => File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";

    private static bool QgisAvailable()
    {
        try
        {
            return Run(Python, ["-c", "import qgis.core"]).Code == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    private static (int Code, string Output) Run(string file, string[] args)
    {
        var info = new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        info.Environment["QT_QPA_PLATFORM"] = "offscreen";
        info.Environment["XDG_RUNTIME_DIR"] = Path.GetTempPath();
        using var p = Process.Start(info)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        return (p.ExitCode, stdout.Result + stderr.Result);
    }

    private sealed record StyleRow(string Table, string GeometryColumn, string Name, string Qml, bool Default);

    private static async Task<List<StyleRow>> StylesAsync(TestDatabase t)
    {
        await using var db = t.Target.CreateContext();
        await db.Database.OpenConnectionAsync();
        await using var cmd = db.Database.GetDbConnection().CreateCommand();
        cmd.CommandText = "SELECT f_table_name, f_geometry_column, styleName, styleQML, useAsDefault FROM layer_styles";
        await using var r = await cmd.ExecuteReaderAsync();
        var rows = new List<StyleRow>();
        while (await r.ReadAsync()) rows.Add(new(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetInt64(4) == 1));
        return rows;
    }

    private static string RepositoryRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "Groundtruth.slnx"))) return d.FullName;
        throw new InvalidOperationException("Groundtruth.slnx not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"^(?<table>\w+) (?<renderer>\w+) (?<label>.+) (?<colour>#[0-9a-f]{6}|-)$", RegexOptions.Multiline)]
    private static partial Regex LineOf();
}
