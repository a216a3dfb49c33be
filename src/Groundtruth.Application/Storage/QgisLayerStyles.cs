using System.Data.Common;
using System.Globalization;
using System.Xml.Linq;
using Groundtruth.Application.Maps;
using Groundtruth.Domain;

namespace Groundtruth.Application.Storage;

/// <summary>
/// The GeoPackage's default QGIS styles: the <c>layer_styles</c> table QGIS reads when it opens a layer (the
/// table QGIS itself creates when a style is saved "in the database"), one QML per spatial dataset with the
/// web map's colours and legend (<see cref="MapStyles"/>). Written by <c>init</c> on every run, so an upgraded file
/// gets the current styles; styles a user saved under another name are left alone (ADR 0025).
/// </summary>
public static class QgisLayerStyles
{
    public const string Table = "layer_styles";

    /// <summary>The <c>styleName</c> and <c>owner</c> of the styles Groundtruth writes (and replaces).</summary>
    public const string StyleName = "Groundtruth";

    /// <summary>The QGIS version the QML declares; 3.22 (Debian 12's) and later read it.</summary>
    private const string QgisVersion = "3.22.0";

    /// <summary>The table as QGIS and GDAL create it, registered as an attributes table (OGC 12-128r18, requirement 118).</summary>
    private const string CreateSql = """
        CREATE TABLE IF NOT EXISTS "layer_styles" (
          "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
          "f_table_catalog" TEXT(256), "f_table_schema" TEXT(256), "f_table_name" TEXT(256), "f_geometry_column" TEXT(256),
          "styleName" TEXT(30), "styleQML" TEXT, "styleSLD" TEXT, "useAsDefault" BOOLEAN, "description" TEXT,
          "owner" TEXT(30), "ui" TEXT(30), "update_time" DATETIME DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')));
        INSERT OR IGNORE INTO gpkg_contents (table_name, data_type, identifier, description)
          VALUES ('layer_styles', 'attributes', 'layer_styles', 'QGIS layer styles: the Groundtruth web map''s colours and legend');
        """;

    /// <summary>
    /// Creates the table if needed and replaces Groundtruth's style of every spatial layer whose stored QML differs
    /// from the current one, in one transaction; a file already current is not written at all.
    /// </summary>
    /// <returns>The tables whose style was written.</returns>
    public static async Task<IReadOnlyList<string>> WriteAsync(DbConnection connection, TimeProvider clock, CancellationToken ct = default)
    {
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using (var create = Command(connection, transaction, CreateSql))
            await create.ExecuteNonQueryAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
        var written = new List<string>();
        foreach (var layer in MapStyles.Layers)
        {
            var table = layer.Dataset.Table;
            var qml = Qml(layer).ToString(SaveOptions.DisableFormatting);
            await using (var read = Command(connection, transaction, """
                SELECT "styleQML" FROM "layer_styles" WHERE "f_table_name" = $table AND "styleName" = $name AND "owner" = $name
                """, ("$table", table), ("$name", StyleName)))
                if (await read.ExecuteScalarAsync(ct) is string stored && stored == qml) continue;
            // Ours is the default unless the user made another style of the layer the default.
            await using var write = Command(connection, transaction, """
                DELETE FROM "layer_styles" WHERE "f_table_name" = $table AND "styleName" = $name AND "owner" = $name;
                INSERT INTO "layer_styles" ("f_table_catalog", "f_table_schema", "f_table_name", "f_geometry_column", "styleName", "styleQML",
                  "styleSLD", "useAsDefault", "description", "owner", "ui", "update_time")
                VALUES ('', '', $table, $column, $name, $qml, NULL,
                  NOT EXISTS (SELECT 1 FROM "layer_styles" WHERE "f_table_name" = $table AND "useAsDefault"),
                  $description, $name, NULL, $now);
                """,
                ("$table", table), ("$column", StorageNames.Geometry), ("$name", StyleName), ("$qml", qml),
                ("$description", $"{layer.Title}: the colours and legend of the Groundtruth web map (written by groundtruth init)"), ("$now", now));
            await write.ExecuteNonQueryAsync(ct);
            written.Add(table);
        }
        if (written.Count > 0)
        {
            await using var refresh = Command(connection, transaction, GeoPackageSchema.RefreshContentsSql(Table, spatial: false));
            await refresh.ExecuteNonQueryAsync(ct);
        }
        await transaction.CommitAsync(ct);
        return written;
    }

    /// <summary>
    /// The layer's QML: a rule-based renderer with one rule per legend entry (QGIS filter expressions over the
    /// layer's columns), and, for a layer of mixed geometry, one child rule per geometry type so points are drawn
    /// as circles and areas as fills, as on the web map.
    /// </summary>
    public static XDocument Qml(MapLayerStyle layer)
    {
        var kinds = Kinds(layer.Dataset.Shape);
        var rules = new XElement("rules", new XAttribute("key", "root"));
        var symbols = new XElement("symbols");
        var n = 0;
        foreach (var entry in layer.Legend)
        {
            var rule = new XElement("rule", new XAttribute("key", $"entry{n}"), new XAttribute("label", entry.Label));
            if (Filter(entry.When) is { } filter) rule.Add(new XAttribute("filter", filter));
            if (kinds.Count == 1)
            {
                rule.Add(new XAttribute("symbol", symbols.Elements().Count()));
                symbols.Add(Symbol(kinds[0], entry.Symbol, symbols.Elements().Count()));
            }
            else
            {
                foreach (var kind in kinds)
                {
                    rule.Add(new XElement("rule",
                        new XAttribute("key", $"entry{n}-{kind}"),
                        new XAttribute("label", $"{entry.Label} ({KindLabel(kind)})"),
                        new XAttribute("filter", $"geometry_type($geometry) = '{KindExpression(kind)}'"),
                        new XAttribute("symbol", symbols.Elements().Count())));
                    symbols.Add(Symbol(kind, entry.Symbol, symbols.Elements().Count()));
                }
            }
            rules.Add(rule);
            n++;
        }
        return new XDocument(
            new XDocumentType("qgis", "http://mrcc.com/qgis.dtd", "SYSTEM", null),
            new XElement("qgis",
                new XAttribute("version", QgisVersion),
                new XAttribute("styleCategories", "Symbology"),
                new XElement("renderer-v2",
                    new XAttribute("type", "RuleRenderer"), new XAttribute("symbollevels", "0"),
                    new XAttribute("enableorderby", "0"), new XAttribute("forceraster", "0"),
                    rules, symbols),
                new XElement("layerGeometryType", kinds.Count == 1 ? (int)kinds[0] : (int)SymbolKind.Polygon)));
    }

    /// <summary>QGIS's geometry types (QgsWkbTypes::GeometryType), in the order the QML names them.</summary>
    private enum SymbolKind { Point = 0, Line = 1, Polygon = 2 }

    private static List<SymbolKind> Kinds(GeometryShape shape) => shape switch
    {
        GeometryShape.Point => [SymbolKind.Point],
        GeometryShape.MultiLineString => [SymbolKind.Line],
        GeometryShape.MultiPolygon => [SymbolKind.Polygon],
        GeometryShape.PointOrMultiPolygon => [SymbolKind.Point, SymbolKind.Polygon],
        GeometryShape.AnyMulti => [SymbolKind.Point, SymbolKind.Line, SymbolKind.Polygon],
        _ => throw new ArgumentOutOfRangeException(nameof(shape), shape, "a layer without geometry has no map style"),
    };

    private static string KindLabel(SymbolKind kind) => kind switch
    {
        SymbolKind.Point => "points",
        SymbolKind.Line => "lines",
        _ => "areas",
    };

    private static string KindExpression(SymbolKind kind) => kind.ToString();

    private static string? Filter(IReadOnlyList<MapCondition> conditions)
    {
        if (conditions.Count == 0) return null;
        return string.Join(" AND ", conditions.Select(c =>
        {
            var values = string.Join(", ", c.Values.Select(v => "'" + v.Replace("'", "''", StringComparison.Ordinal) + "'"));
            // coalesce: a record without the value is outside every list, not unknown to the filter.
            return c.Exclude ? $"coalesce(\"{c.Field}\", '') NOT IN ({values})" : $"\"{c.Field}\" IN ({values})";
        }));
    }

    /// <summary>Leaflet's pixels as QGIS millimetres at 96 dpi (0.2646 mm a pixel).</summary>
    private static string Millimetres(double pixels) => (pixels * 25.4 / 96).ToString("0.###", CultureInfo.InvariantCulture);

    private static XElement Symbol(SymbolKind kind, MapSymbol symbol, int name)
    {
        var stroke = Rgba(symbol.Colour, 1);
        var (type, layerClass, options) = kind switch
        {
            SymbolKind.Point => ("marker", "SimpleMarker", new Dictionary<string, string>
            {
                ["name"] = "circle",
                ["color"] = Rgba(symbol.Colour, symbol.FillOpacity),
                ["outline_color"] = stroke,
                ["outline_style"] = "solid",
                ["outline_width"] = Millimetres(symbol.StrokeWidthPixels),
                ["outline_width_unit"] = "MM",
                ["size"] = Millimetres(2 * MapStyles.PointRadiusPixels),
                ["size_unit"] = "MM",
            }),
            SymbolKind.Line => ("line", "SimpleLine", new Dictionary<string, string>
            {
                ["line_color"] = stroke,
                ["line_style"] = symbol.Dashed ? "dash" : "solid",
                ["line_width"] = Millimetres(symbol.StrokeWidthPixels),
                ["line_width_unit"] = "MM",
            }),
            _ => ("fill", "SimpleFill", new Dictionary<string, string>
            {
                ["color"] = Rgba(symbol.Colour, symbol.FillOpacity),
                ["style"] = symbol.FillOpacity > 0 ? "solid" : "no",
                ["outline_color"] = stroke,
                ["outline_style"] = symbol.Dashed ? "dash" : "solid",
                ["outline_width"] = Millimetres(symbol.StrokeWidthPixels),
                ["outline_width_unit"] = "MM",
            }),
        };
        return new XElement("symbol",
            new XAttribute("type", type), new XAttribute("name", name.ToString(CultureInfo.InvariantCulture)),
            new XAttribute("alpha", "1"), new XAttribute("clip_to_extent", "1"), new XAttribute("force_rhr", "0"),
            new XElement("layer",
                new XAttribute("class", layerClass), new XAttribute("enabled", "1"), new XAttribute("locked", "0"), new XAttribute("pass", "0"),
                new XElement("Option", new XAttribute("type", "Map"),
                    options.Select(o => new XElement("Option", new XAttribute("name", o.Key), new XAttribute("type", "QString"), new XAttribute("value", o.Value)))),
                // QGIS before 3.26 reads the same settings as <prop k v>; later versions ignore them.
                options.Select(o => new XElement("prop", new XAttribute("k", o.Key), new XAttribute("v", o.Value)))));
    }

    /// <summary><c>#rrggbb</c> and an opacity as QGIS's <c>r,g,b,a</c> (0–255 each).</summary>
    internal static string Rgba(string hex, double opacity)
    {
        if (hex.Length != 7 || hex[0] != '#') throw new ArgumentException($"'{hex}' is not a #rrggbb colour", nameof(hex));
        int Channel(int at) => int.Parse(hex.AsSpan(at, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        var alpha = (int)Math.Round(Math.Clamp(opacity, 0, 1) * 255);
        return string.Create(CultureInfo.InvariantCulture, $"{Channel(1)},{Channel(3)},{Channel(5)},{alpha}");
    }

    private static DbCommand Command(DbConnection connection, DbTransaction transaction, string sql, params (string Name, object Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var p = command.CreateParameter();
            p.ParameterName = name;
            p.Value = value;
            command.Parameters.Add(p);
        }
        return command;
    }
}
