using System.Data.Common;
using System.Globalization;
using Groundtruth.Application.Datasets;
using Groundtruth.Application.History;
using Groundtruth.Application.Storage;
using Groundtruth.Domain;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;

namespace Groundtruth.Application.Features;

/// <summary>A page of one spatial dataset's current approved records, for a map or a GIS client.</summary>
/// <param name="Box">minLon, minLat, maxLon, maxLat: records whose bounding box meets it, edges included.</param>
/// <param name="From">Inclusive; a record counts when the whole period of its date lies in the window (as in statistics).</param>
/// <param name="Where">field = value equalities on stored fields, all of which must hold.</param>
/// <param name="Generalise">Viewer mode: geometry replaced by grid cells, no original coordinates, records with a handling label left out.</param>
/// <param name="IncludePending">Records of submissions waiting for approval too, as if approved as submitted (read through shadow tables).</param>
/// <param name="GeneraliseLabelled">Minefield records carrying a handling label keep their place only as grid cells, without original coordinates
/// (analysts and editors: <see cref="Security.Access.MaySeeLabelledRecords"/> is false).</param>
public sealed record FeatureRequest(
    DatasetSpec Dataset,
    Envelope? Box = null,
    PartialDate? From = null,
    PartialDate? To = null,
    IReadOnlyList<(string Field, string Value)>? Where = null,
    int Offset = 0,
    int Limit = FeatureQuery.DefaultLimit,
    bool Generalise = false,
    string? Search = null,
    string? Sort = null,
    bool Descending = false,
    bool IncludePending = false,
    bool GeneraliseLabelled = false)
{
    /// <summary>
    /// This request as <paramref name="access"/> may make it: viewers get grid cells and no labelled records, analysts and editors
    /// labelled records generalised to the grid; pending records and casualties are refused where the role may not read them.
    /// </summary>
    public FeatureRequest For(Security.Access access)
    {
        access.Require(!IncludePending || access.MayReadPending, "reading records of pending submissions");
        access.Require(!(access.AggregatesOnly && Dataset == DatasetCatalog.Casualties), "reading casualty records");
        return this with { Generalise = access.AggregatesOnly, GeneraliseLabelled = !access.MaySeeLabelledRecords };
    }
}

/// <param name="NumberMatched">Records that match, over all pages.</param>
/// <param name="IncludesPending">The page holds records of submissions still waiting for approval.</param>
/// <param name="LabelledRecords">Records on the page that carry a handling label (every read of one is audited, DESIGN section 7).</param>
public sealed record FeaturePage(IReadOnlyList<IFeature> Features, int NumberMatched, int Offset, int Limit, double? CellDegrees, bool IncludesPending = false,
    int LabelledRecords = 0);

/// <summary>
/// Reads a layer table generically from the dataset catalogue: the bounding-box columns and attribute
/// equalities filter in SQL (DESIGN section 4: no spatial LINQ), one code path on both stores.
/// </summary>
public static class FeatureQuery
{
    public const int DefaultLimit = 1000;
    public const int MaxLimit = 10_000;

    /// <summary>A viewer's geometry is the 0.01° grid cell (about 1.1 km north–south) that holds it.</summary>
    public const double ViewerCellDegrees = 0.01;

    public static async Task<FeaturePage> ReadAsync(GroundtruthDbContext db, FeatureRequest request, CancellationToken ct = default)
    {
        var dataset = request.Dataset;
        var fields = dataset.StoredFields.ToList();
        var conditions = new List<string>();
        var parameters = new List<(string, object)>();
        if (request.Box is { } box)
        {
            // A viewer's box is widened to whole grid cells, so narrowing it cannot reveal more than the cell does.
            if (request.Generalise) box = GridCells.Widen(box, ViewerCellDegrees);
            // A point's box is the point (max = min), so its test needs only the (min_x, min_y) index: both ends bounded, no row read to count.
            var meets = dataset.Shape == GeometryShape.Point
                ? "\"min_x\" >= @minx AND \"min_x\" <= @maxx AND \"min_y\" >= @miny AND \"min_y\" <= @maxy"
                : "\"max_x\" >= @minx AND \"min_x\" <= @maxx AND \"max_y\" >= @miny AND \"min_y\" <= @maxy";
            parameters.AddRange([("minx", box.MinX), ("maxx", box.MaxX), ("miny", box.MinY), ("maxy", box.MaxY)]);
            if (request.GeneraliseLabelled && !request.Generalise && dataset == DatasetCatalog.MinefieldRecords)
            {
                // A labelled record is tested against the box widened to whole cells, as for a viewer: a narrow box cannot locate it.
                var wide = GridCells.Widen(box, ViewerCellDegrees);
                parameters.AddRange([("wminx", wide.MinX), ("wmaxx", wide.MaxX), ("wminy", wide.MinY), ("wmaxy", wide.MaxY)]);
                meets = $"({Security.HandlingLabels.UnlabelledSql} AND {meets} OR NOT {Security.HandlingLabels.UnlabelledSql} AND " +
                        "\"max_x\" >= @wminx AND \"min_x\" <= @wmaxx AND \"max_y\" >= @wminy AND \"min_y\" <= @wmaxy)";
            }
            conditions.Add(meets);
        }
        var dateField = dataset.InformationDateField;
        var binary = db.IsSqlite ? "" : " COLLATE \"C\"";
        if (dateField is not null && request.From is { } from)
        {
            conditions.Add($"substr(\"{dateField}\" || '-01-01', 1, 10){binary} >= @from");
            parameters.Add(("from", from.Start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
        }
        if (dateField is not null && request.To is { } to)
        {
            conditions.Add($"substr(\"{dateField}\" || '-99-99', 1, 10){binary} < @to");
            parameters.Add(("to", to.End.AddDays(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
        }
        var i = 0;
        foreach (var (field, value) in request.Where ?? [])
        {
            var spec = dataset.Field(field);
            if (spec is null || spec.Personal) throw new InvalidRequestException("where", $"{dataset.Name} has no field '{field}'; fields: {string.Join(", ", fields.Select(f => f.Name))}");
            // A text column is compared as it is, so its index (the id's; a reference's) can answer: CAST(... AS TEXT) made
            // every lookup of one record by id a scan of the whole layer (issue 11: four scans of a million finds per record page).
            conditions.Add(spec.Type is FieldType.Text ? $"\"{spec.Name}\" = @w{i}" : $"CAST(\"{spec.Name}\" AS TEXT) = @w{i}");
            parameters.Add(($"w{i++}", value));
        }
        if (!string.IsNullOrWhiteSpace(request.Search))
        {
            // SQLite's LIKE already ignores the case of ASCII letters (and only theirs, as its lower() does): for an ASCII
            // term the lower() of every field of every row is wasted work — a third of the time over a million finds.
            var term = request.Search.Trim();
            var fold = !(db.IsSqlite && System.Text.Ascii.IsValid(term));
            var text = fields.Where(f => f.Type is FieldType.Text or FieldType.Enum or FieldType.EnumList or FieldType.Date)
                .Select(f => fold ? $"lower(\"{f.Name}\") LIKE @q" : $"\"{f.Name}\" LIKE @q");
            conditions.Add("(" + string.Join(" OR ", text) + ")");
            parameters.Add(("q", "%" + term.ToLowerInvariant() + "%"));
        }
        if (request.Generalise && dataset == DatasetCatalog.MinefieldRecords)
            conditions.Add(Security.HandlingLabels.UnlabelledSql);
        var where = conditions.Count == 0 ? "" : " WHERE " + string.Join(" AND ", conditions);
        var limit = Math.Clamp(request.Limit, 0, MaxLimit);
        var offset = Math.Max(0, request.Offset);

        await db.Database.OpenConnectionAsync(ct);
        if (request.IncludePending) await HistoryScope.ShadowAsync(db, new HistoryPoint(IncludePending: true), [dataset], ct);
        var connection = db.Database.GetDbConnection();
        int matched;
        await using (var count = Command(connection, $"SELECT count(*) FROM \"{dataset.Table}\"{where}", parameters))
            matched = Convert.ToInt32(await count.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);

        var columns = string.Join(", ", fields.Select(f => $"\"{f.Name}\"")) +
            (dataset.IsSpatial ? $", \"{StorageNames.OriginalCrs}\", \"{StorageNames.OriginalWkt}\", \"{StorageNames.Geometry}\"" : ", NULL, NULL, NULL");
        var sort = request.Sort is null ? "id" : dataset.Field(request.Sort) is { Personal: false } s ? s.Name
            : throw new InvalidRequestException("sort", $"{dataset.Name} has no field '{request.Sort}' to sort by");
        var order = $"\"{sort}\"{(request.Descending ? " DESC" : "")}" + (sort == "id" ? "" : ", \"id\"");
        var features = new List<IFeature>();
        var labelled = 0;
        var handling = dataset == DatasetCatalog.MinefieldRecords ? fields.FindIndex(f => f.Name == Security.HandlingLabels.Column) : -1;
        await using (var select = Command(connection, $"SELECT {columns} FROM \"{dataset.Table}\"{where} ORDER BY {order} LIMIT {limit} OFFSET {offset}", parameters))
        await using (var r = await select.ExecuteReaderAsync(ct))
        {
            while (await r.ReadAsync(ct))
            {
                var attributes = new AttributesTable();
                for (var k = 0; k < fields.Count; k++) attributes.Add(fields[k].Name, Value(r, k, fields[k]));
                var g = r.IsDBNull(fields.Count + 2) ? null
                    : db.IsSqlite ? GeoPackageBlob.Read((byte[])r.GetValue(fields.Count + 2)) : r.GetFieldValue<Geometry>(fields.Count + 2);
                var isLabelled = handling >= 0 && !r.IsDBNull(handling) && Security.HandlingLabels.IsLabelled(r.GetString(handling));
                if (isLabelled) labelled++;
                if (request.Generalise || (isLabelled && request.GeneraliseLabelled))
                {
                    g = g is null ? null : GridCells.Generalise(g, ViewerCellDegrees);
                    if (!request.Generalise && dataset.IsSpatial)
                    {
                        // The register's columns stay the same for every row; a labelled record's original coordinates are not given.
                        attributes.Add(StorageNames.OriginalCrs, null);
                        attributes.Add(StorageNames.OriginalWkt, null);
                    }
                }
                else if (dataset.IsSpatial)
                {
                    attributes.Add(StorageNames.OriginalCrs, r.IsDBNull(fields.Count) ? null : r.GetString(fields.Count));
                    attributes.Add(StorageNames.OriginalWkt, r.IsDBNull(fields.Count + 1) ? null : r.GetString(fields.Count + 1));
                }
                features.Add(new RecordFeature((string)attributes["id"], g, attributes));
            }
        }
        return new FeaturePage(features, matched, offset, limit, request.Generalise ? ViewerCellDegrees : null, request.IncludePending, labelled);
    }

    private static object? Value(DbDataReader r, int i, FieldSpec field)
    {
        if (r.IsDBNull(i)) return null;
        return field.Type switch
        {
            FieldType.Integer or FieldType.Long => Convert.ToInt64(r.GetValue(i), CultureInfo.InvariantCulture),
            FieldType.Real => Convert.ToDouble(r.GetValue(i), CultureInfo.InvariantCulture),
            FieldType.Boolean => Convert.ToBoolean(r.GetValue(i), CultureInfo.InvariantCulture),
            _ => Convert.ToString(r.GetValue(i), CultureInfo.InvariantCulture),
        };
    }

    private static DbCommand Command(DbConnection connection, string sql, IEnumerable<(string Name, object Value)> parameters)
    {
        var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var p = cmd.CreateParameter();
            p.ParameterName = name;
            p.Value = value;
            cmd.Parameters.Add(p);
        }
        return cmd;
    }
}

/// <summary>A feature whose GeoJSON id is the record's national id (RFC 7946 section 3.2).</summary>
public sealed class RecordFeature(string id, Geometry? geometry, IAttributesTable attributes) : IFeature, IUnique
{
    public object Id => id;
    public Geometry? Geometry { get; set; } = geometry;
    public Envelope? BoundingBox { get; set; }
    public IAttributesTable Attributes { get; set; } = attributes;
}

/// <summary>
/// Generalisation for viewers (DESIGN section 7): a record's place is given as the grid cell(s) that hold
/// it — a point becomes its cell's centre, any other shape the block of whole cells covering its envelope —
/// so no exact coordinate of a hazard or a find leaves the server.
/// </summary>
public static class GridCells
{
    public static Geometry Generalise(Geometry geometry, double cell)
    {
        var factory = SpatialRules.Factory;
        var e = geometry.EnvelopeInternal;
        if (geometry is Point p)
            return factory.CreatePoint(new Coordinate(Centre(p.X, cell), Centre(p.Y, cell)));
        var w = Widen(e, cell);
        return factory.CreateMultiPolygon([(Polygon)factory.ToGeometry(w)]);
    }

    public static Envelope Widen(Envelope e, double cell) =>
        new(Floor(e.MinX, cell), Ceiling(e.MaxX, cell, Floor(e.MinX, cell)), Floor(e.MinY, cell), Ceiling(e.MaxY, cell, Floor(e.MinY, cell)));

    private static double Floor(double v, double cell) => Math.Round(Math.Floor(v / cell) * cell, 10);

    private static double Ceiling(double v, double cell, double floor)
    {
        var c = Math.Round(Math.Ceiling(v / cell) * cell, 10);
        return c <= floor ? Math.Round(floor + cell, 10) : c;
    }

    private static double Centre(double v, double cell) => Math.Round(Floor(v, cell) + cell / 2, 10);
}
