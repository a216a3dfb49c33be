using System.Globalization;
using System.Text;
using Groundtruth.Domain;

namespace Groundtruth.Application.Datasets;

/// <summary>Writes the reference of every dataset (docs/datasets.md) from the catalogue, so the two never drift.</summary>
public static class DatasetReference
{
    public static string Markdown()
    {
        var sb = new StringBuilder();
        sb.AppendLine("# Datasets");
        sb.AppendLine();
        sb.AppendLine("<!-- Generated from src/Groundtruth.Application/Datasets/DatasetCatalog.cs by `groundtruth datasets --markdown`; a test keeps it in step. -->");
        sb.AppendLine();
        sb.AppendLine("Every dataset Groundtruth holds, with its columns. Column names are the same in CSV headers, GeoJSON");
        sb.AppendLine("properties, JSON results and database columns. Enum values are lower snake_case and are matched");
        sb.AppendLine("ignoring case on import. Dates are ISO 8601 and may be partial: `2006`, `2006-03`, `2006-03-14`.");
        sb.AppendLine();
        sb.AppendLine("Geometry: in CSV, points as `lon`,`lat` columns (or `x`,`y` with `--crs`), any geometry as `wkt`;");
        sb.AppendLine("in GeoJSON, the feature's geometry. Coordinates are WGS84 (EPSG:4326) unless `--crs` says otherwise;");
        sb.AppendLine("the values as received are then kept in `original_crs` and `original_wkt`. A polygon dataset stores");
        sb.AppendLine("multipolygons; a single polygon is accepted and stored as a multipolygon of one part.");
        sb.AppendLine();
        sb.AppendLine("CSV written by Groundtruth starts a text cell that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`,");
        sb.AppendLine("tab, carriage return) with a `'`; the importer takes that `'` off again ([web.md](web.md#exports)).");
        sb.AppendLine();
        sb.AppendLine("Every layer table also has `fid` (the GeoPackage row id, meaningless outside one file), `row_hash`");
        sb.AppendLine("(detects unchanged records on re-import) and, when spatial, `min_x`, `min_y`, `max_x`, `max_y` (the");
        sb.AppendLine("envelope, for filtering by bounding box) and `geom`. Each dataset has an append-only");
        sb.AppendLine("`<table>_versions` table holding every version (see [history](decisions/0003-versions-and-audit.md)).");
        sb.AppendLine();
        sb.AppendLine("| dataset | table / layer | geometry | date of information |");
        sb.AppendLine("|---|---|---|---|");
        foreach (var d in DatasetCatalog.All)
        {
            var geometry = d.IsSpatial ? Shape(d.Shape) + (d.GeometryRequired ? "" : " (optional)") : "none (attributes table)";
            sb.AppendLine(CultureInfo.InvariantCulture, $"| [`{d.Name}`](#{d.Name}) | `{d.Table}` | {geometry} | {(d.InformationDateField is { } f ? $"`{f}`" : "the import date")} |");
        }
        foreach (var d in DatasetCatalog.All)
        {
            sb.AppendLine();
            sb.AppendLine(CultureInfo.InvariantCulture, $"## {d.Name}");
            sb.AppendLine();
            sb.AppendLine(CultureInfo.InvariantCulture, $"{char.ToUpperInvariant(d.Description[0])}{d.Description[1..]}. Table `{d.Table}`; geometry: {(d.IsSpatial ? Shape(d.Shape) + (d.GeometryRequired ? ", required" : ", optional") : "none")}.");
            sb.AppendLine();
            sb.AppendLine("| column | type | required | values / range | meaning |");
            sb.AppendLine("|---|---|---|---|---|");
            foreach (var field in d.Fields)
            {
                var values = field.EnumType is not null
                    ? string.Join(", ", field.EnumNames.Select(n => $"`{n}`"))
                    : Range(field);
                var required = field.Required ? "yes" : field.Computed ? "computed" : field.DefaultValue is { } dv ? $"no (default `{dv}`)" : "no";
                var reference = field.References is { } r ? $"id of a `{r}` record; " : "";
                sb.AppendLine(CultureInfo.InvariantCulture, $"| `{field.Name}` | {TypeName(field)} | {required} | {values} | {reference}{field.Description} |");
            }
        }
        return sb.ToString();
    }

    private static string Range(FieldSpec f) => (f.Min, f.Max) switch
    {
        ({ } min, { } max) => string.Create(CultureInfo.InvariantCulture, $"{min} to {max}"),
        ({ } min, null) => string.Create(CultureInfo.InvariantCulture, $"≥ {min}"),
        _ => "",
    };

    private static string TypeName(FieldSpec f) => f.Type switch
    {
        FieldType.Text => "text",
        FieldType.Integer or FieldType.Long => "integer",
        FieldType.Real => "number",
        FieldType.Date => "date (may be partial)",
        FieldType.Boolean => "true/false",
        FieldType.Enum => "enum",
        FieldType.EnumList => "enum list (`;`)",
        _ => f.Type.ToString(),
    } + (f.Personal ? ", personal" : "");

    private static string Shape(GeometryShape s) => s switch
    {
        GeometryShape.Point => "point",
        GeometryShape.MultiLineString => "multilinestring",
        GeometryShape.MultiPolygon => "multipolygon",
        GeometryShape.PointOrMultiPolygon => "point or multipolygon",
        GeometryShape.AnyMulti => "multipoint, multilinestring or multipolygon",
        _ => "none",
    };
}
