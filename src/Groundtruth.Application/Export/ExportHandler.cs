using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Groundtruth.Application.Datasets;
using Groundtruth.Application.Progress;
using Groundtruth.Application.Security;
using Groundtruth.Application.Storage;
using Groundtruth.Domain;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;
using NetTopologySuite.IO.Converters;

namespace Groundtruth.Application.Export;

/// <summary>What to export.</summary>
/// <param name="IncludePersonalData">Add the casualties' personal data (needs the key; the read is audited).</param>
/// <param name="At">The point in history to export (DESIGN section 6); the current approved state by default.</param>
/// <param name="Access">Who exports: what they may take away (<see cref="ExportLimits.For"/>) and whether they may read personal data;
/// the command line's full access when null.</param>
/// <param name="HumanHeaders">CSV and Excel: the header row in words in the current UI language (<see cref="Resources.Labels.Field(DatasetSpec, string, System.Globalization.CultureInfo?)"/>),
/// for reading; the file then no longer imports as it is. Field names (the default) otherwise.</param>
public sealed record ExportRequest(DatasetSpec Dataset, string FilePath, bool IncludePersonalData = false, Security.Access? Access = null, History.HistoryPoint? At = null,
    bool HumanHeaders = false);

/// <summary>
/// What an export leaves out for a reader (DESIGN section 7): minefield records carrying a handling label, and
/// exact geometry (replaced by the grid cells that hold it, <see cref="Features.GridCells"/>, without the original coordinates).
/// </summary>
/// <param name="WithholdLabelledRecords">Leave out every minefield record whose <c>handling</c> label is set.</param>
/// <param name="GeneraliseToDegrees">Replace each geometry by its grid cells of this size, as the map does for viewers.</param>
public sealed record ExportLimits(bool WithholdLabelledRecords, double? GeneraliseToDegrees)
{
    public const string WithheldReason = "minefield records carrying a handling label agreed at handover are not exported for this role";

    /// <summary>
    /// What <paramref name="access"/> may take away (docs/decisions/0009-web-exports.md): viewers grid cells and no labelled
    /// records; analysts and editors exact geometry but no labelled records; approvers and administrators everything.
    /// </summary>
    public static ExportLimits For(Security.Access access) =>
        access.AggregatesOnly ? new ExportLimits(WithholdLabelledRecords: true, Features.FeatureQuery.ViewerCellDegrees)
        : new ExportLimits(WithholdLabelledRecords: !access.MaySeeLabelledRecords, null);

    /// <summary>Refuses what no limit can make safe for <paramref name="access"/>: casualties for a viewer.</summary>
    public static void Check(Security.Access access, DatasetSpec dataset) =>
        access.Require(!(access.AggregatesOnly && dataset == DatasetCatalog.Casualties), "exporting casualties");
}

/// <param name="Withheld">Records left out under <see cref="ExportLimits.WithholdLabelledRecords"/>.</param>
/// <param name="LabelledRecords">Records written that carry a handling label.</param>
public sealed record ExportResult(string Dataset, string FilePath, int Records, int Withheld = 0, int LabelledRecords = 0);

/// <summary>
/// Writes a dataset's current approved records as CSV or an Excel workbook (points as lon/lat, other geometry as WKT)
/// or GeoJSON, with the same columns the importer reads, so <c>import(export(db))</c> changes nothing.
/// </summary>
public sealed class ExportHandler(DatabaseTarget target, TimeProvider clock)
{
    private static readonly JsonSerializerOptions GeoJson = new() { Converters = { new GeoJsonConverterFactory(SpatialRules.Factory) } };

    public Task<ExportResult> HandleAsync(ExportRequest request, CancellationToken ct = default) => HandleAsync(request, null, ct);

    /// <summary>As above, reporting the share of the records written to <paramref name="progress"/>.</summary>
    public async Task<ExportResult> HandleAsync(ExportRequest request, IProgress<WorkProgress>? progress, CancellationToken ct = default)
    {
        var dataset = request.Dataset;
        var access = request.Access ?? Security.Access.Full();
        ExportLimits.Check(access, dataset);
        if (request.IncludePersonalData) access.Require(access.MayReadPersonalData, "exporting personal data");
        var limits = ExportLimits.For(access);
        var ext = Path.GetExtension(request.FilePath).ToLowerInvariant();
        if (ext is not (".csv" or ".geojson" or ".json" or ".xlsx"))
            throw new InvalidRequestException("file", $"unsupported export format '{ext}'; use .csv, .geojson or .xlsx");
        PersonalDataProtector? protector = null;
        if (request.IncludePersonalData)
        {
            if (dataset != DatasetCatalog.Casualties) throw new InvalidRequestException("include_personal_data", "only casualties have personal data");
            protector = PersonalDataProtector.FromConfiguration(target.FilePath)
                        ?? throw new BadDataException("exporting personal data needs the key: set GROUNDTRUTH_PERSONAL_DATA_KEY or GROUNDTRUTH_KEY_FILE");
        }
        await using var db = target.CreateContext();
        await SchemaGuard.EnsureCurrentAsync(db, ct);
        await db.Database.OpenConnectionAsync(ct);
        var fields = dataset.StoredFields.ToList();
        var personal = protector is null ? [] : dataset.Fields.Where(f => f.Personal).ToList();
        var columns = fields.Select(f => $"t.\"{f.Name}\"").ToList();
        if (dataset.IsSpatial) columns.AddRange([$"t.\"{StorageNames.OriginalCrs}\"", $"t.\"{StorageNames.OriginalWkt}\"", $"t.\"{StorageNames.Geometry}\""]);
        var join = "";
        if (protector is not null)
        {
            columns.Add("p.\"ciphertext\"");
            join = " LEFT JOIN \"casualty_personal_data\" p ON p.\"casualty_id\" = t.\"id\"";
        }
        var tmp = request.FilePath + ".partial";
        var count = 0;
        var limiter = new Limiter(limits, dataset == DatasetCatalog.MinefieldRecords ? fields.FindIndex(f => f.Name == Security.HandlingLabels.Column) : -1);
        if (request.At is { IsCurrent: false } point)
        {
            if (protector is not null) throw new InvalidRequestException("include_personal_data", "personal data is not kept in history; export it without as_of/recorded_before");
            progress?.Report(new WorkProgress($"reading {dataset.Name} history", null));
            var versions = await History.VersionReader.ReadAsync(db, dataset, point, ct);
            var rows = Reporting(progress, dataset.Name, versions.Count, versions.Select(v => new Row([.. fields.Select(v.Value)], v.Text(StorageNames.OriginalCrs), v.Text(StorageNames.OriginalWkt), v.Geometry, null)));
            count = Write(ext, tmp, dataset, fields, personal, limiter.Apply(rows), limiter, request.HumanHeaders);
        }
        else
        await using (var cmd = db.Database.GetDbConnection().CreateCommand())
        {
            long total = 0;
            if (progress is not null)
            {
                cmd.CommandText = $"SELECT count(*) FROM \"{dataset.Table}\"";
                total = Convert.ToInt64(await cmd.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
            }
            cmd.CommandText = $"SELECT {string.Join(", ", columns)} FROM \"{dataset.Table}\" t{join} ORDER BY t.\"id\"";
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            // Reading and decoding the rows (geometry blobs, decryption) on one thread while the file is written on
            // another: a million finds export in about half the time on two cores (issue 11).
            var rows = limiter.Apply(Reporting(progress, dataset.Name, total, Prefetched(Rows(reader, dataset, fields, protector, db.IsSqlite), ct)));
            count = Write(ext, tmp, dataset, fields, personal, rows, limiter, request.HumanHeaders);
        }
        File.Move(tmp, request.FilePath, overwrite: true);
        if (protector is not null)
        {
            db.AuditLog.Add(new AuditEntry
            {
                At = clock.GetUtcNow().UtcDateTime,
                Actor = access.Actor,
                Action = "read_personal_data",
                Dataset = dataset.Name,
                Detail = JsonSerializer.Serialize(new { export = Path.GetFileName(request.FilePath), records = count }),
            });
            await db.SaveChangesAsync(ct);
        }
        return new ExportResult(dataset.Name, request.FilePath, count, limiter.Withheld, limiter.Labelled);
    }

    private static int Write(string ext, string path, DatasetSpec dataset, List<FieldSpec> fields, List<FieldSpec> personal, IEnumerable<Row> rows, Limiter limiter, bool humanHeaders) => ext switch
    {
        ".csv" => WriteCsv(path, dataset, fields, personal, rows, humanHeaders),
        ".xlsx" => WriteXlsx(path, dataset, fields, personal, rows, humanHeaders),
        _ => WriteGeoJson(path, fields, personal, rows, limiter),
    };

    /// <summary>
    /// The items of <paramref name="source"/>, in order, enumerated ahead on a worker thread in batches (at most a
    /// few batches ahead, so memory stays bounded); an exception in <paramref name="source"/> is thrown to the caller.
    /// </summary>
    private static IEnumerable<T> Prefetched<T>(IEnumerable<T> source, CancellationToken ct, int batch = 1024)
    {
        var channel = System.Threading.Channels.Channel.CreateBounded<List<T>>(new System.Threading.Channels.BoundedChannelOptions(4) { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var producer = Task.Run(async () =>
        {
            try
            {
                var items = new List<T>(batch);
                foreach (var item in source)
                {
                    items.Add(item);
                    if (items.Count < batch) continue;
                    await channel.Writer.WriteAsync(items, stop.Token);
                    items = new List<T>(batch);
                }
                if (items.Count > 0) await channel.Writer.WriteAsync(items, stop.Token);
                channel.Writer.Complete();
            }
            catch (Exception e)
            {
                channel.Writer.Complete(e);
            }
        }, CancellationToken.None);
        try
        {
            while (channel.Reader.WaitToReadAsync(ct).AsTask().GetAwaiter().GetResult())
                while (channel.Reader.TryRead(out var items))
                    foreach (var item in items) yield return item;
        }
        finally
        {
            // Stopped early (an error while writing): let the producer finish before the reader it uses is disposed.
            stop.Cancel();
            try { producer.GetAwaiter().GetResult(); } catch (OperationCanceledException) { }
        }
    }

    /// <summary>Passes the rows on, reporting every 10,000th as a share of <paramref name="total"/>.</summary>
    private static IEnumerable<Row> Reporting(IProgress<WorkProgress>? progress, string dataset, long total, IEnumerable<Row> rows)
    {
        if (progress is null)
        {
            foreach (var row in rows) yield return row;
            yield break;
        }
        var stage = $"writing {dataset}";
        progress.Report(new WorkProgress(stage, total > 0 ? 0 : null));
        long n = 0;
        foreach (var row in rows)
        {
            yield return row;
            if (++n % 10_000 == 0 && total > 0) progress.Report(new WorkProgress(stage, Math.Min(1, (double)n / total)));
        }
        progress.Report(new WorkProgress(stage, 1));
    }

    /// <summary>Applies <see cref="ExportLimits"/> to the rows as they stream past, counting what it leaves out.</summary>
    private sealed class Limiter(ExportLimits? limits, int handlingIndex)
    {
        public int Withheld { get; private set; }
        public int Labelled { get; private set; }
        public ExportLimits? Limits => limits;

        public IEnumerable<Row> Apply(IEnumerable<Row> rows)
        {
            foreach (var row in rows)
            {
                if (handlingIndex >= 0 && Security.HandlingLabels.IsLabelled(row.Values[handlingIndex]))
                {
                    if (limits?.WithholdLabelledRecords == true)
                    {
                        Withheld++;
                        continue;
                    }
                    Labelled++;
                }
                if (limits?.GeneraliseToDegrees is { } cell)
                    yield return row with { Geometry = row.Geometry is null ? null : Features.GridCells.Generalise(row.Geometry, cell), OriginalCrs = null, OriginalWkt = null };
                else
                    yield return row;
            }
        }
    }

    private sealed record Row(object?[] Values, string? OriginalCrs, string? OriginalWkt, Geometry? Geometry, CasualtyPersonalData? Personal);

    private static IEnumerable<Row> Rows(DbDataReader reader, DatasetSpec dataset, List<FieldSpec> fields, PersonalDataProtector? protector, bool sqlite)
    {
        while (reader.Read())
        {
            var values = new object?[fields.Count];
            for (var i = 0; i < fields.Count; i++) values[i] = reader.IsDBNull(i) ? null : Typed(fields[i], reader.GetValue(i));
            var k = fields.Count;
            string? crs = null, wkt = null;
            Geometry? geometry = null;
            if (dataset.IsSpatial)
            {
                crs = reader.IsDBNull(k) ? null : reader.GetString(k);
                wkt = reader.IsDBNull(k + 1) ? null : reader.GetString(k + 1);
                if (!reader.IsDBNull(k + 2))
                    geometry = sqlite ? GeoPackageBlob.Read((byte[])reader.GetValue(k + 2)) : reader.GetFieldValue<Geometry>(k + 2);
                k += 3;
            }
            CasualtyPersonalData? personal = null;
            if (protector is not null && !reader.IsDBNull(k)) personal = protector.Unprotect((byte[])reader.GetValue(k));
            yield return new Row(values, crs, wkt, geometry, personal);
        }
    }

    private static object Typed(FieldSpec field, object value) => field.Type switch
    {
        FieldType.Boolean => Convert.ToBoolean(value, CultureInfo.InvariantCulture),
        FieldType.Integer or FieldType.Long => Convert.ToInt64(value, CultureInfo.InvariantCulture),
        FieldType.Real => Convert.ToDouble(value, CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture)!,
    };

    private static string? Text(object? value) => value switch
    {
        null => null,
        bool b => b ? "true" : "false",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        var o => o.ToString(),
    };

    private static string? PersonalValue(CasualtyPersonalData? p, string name) => p is null ? null : name switch
    {
        "name" => p.Name,
        "date_of_birth" => p.DateOfBirth?.ToString(),
        "injuries" => p.Injuries,
        _ => null,
    };

    /// <summary>The columns <c>import</c> reads, as CSV and Excel exports write them: fields, personal data, then the geometry.</summary>
    private static IEnumerable<object?[]> Table(DatasetSpec dataset, List<FieldSpec> fields, List<FieldSpec> personal, IEnumerable<Row> rows, bool humanHeaders)
    {
        var points = dataset.Shape == GeometryShape.Point;
        var header = fields.Select(f => f.Name).Concat(personal.Select(f => f.Name)).ToList();
        if (dataset.IsSpatial)
        {
            header.AddRange([StorageNames.OriginalCrs, StorageNames.OriginalWkt]);
            header.AddRange(points ? ["lon", "lat"] : ["wkt"]);
        }
        yield return humanHeaders ? [.. header.Select(name => Resources.Labels.Field(dataset, name))] : [.. header];
        var wktWriter = new WKTWriter { MaxCoordinatesPerLine = int.MaxValue };
        foreach (var row in rows)
        {
            var values = new List<object?>(header.Count);
            values.AddRange(row.Values);
            values.AddRange(personal.Select(f => PersonalValue(row.Personal, f.Name)));
            if (dataset.IsSpatial)
            {
                values.Add(row.OriginalCrs);
                values.Add(row.OriginalWkt);
                if (points)
                {
                    var p = row.Geometry as Point;
                    values.Add(p?.X);
                    values.Add(p?.Y);
                }
                else
                {
                    values.Add(row.Geometry is null ? null : wktWriter.Write(row.Geometry));
                }
            }
            yield return [.. values];
        }
    }

    private static int WriteCsv(string path, DatasetSpec dataset, List<FieldSpec> fields, List<FieldSpec> personal, IEnumerable<Row> rows, bool humanHeaders)
    {
        using var writer = new StreamWriter(path);
        var count = -1;
        foreach (var values in Table(dataset, fields, personal, rows, humanHeaders))
        {
            for (var i = 0; i < values.Length; i++)
            {
                if (i > 0) writer.Write(',');
                // Numbers and booleans as they are; text through the one CSV rule (quoted, formulas neutralised).
                if (values[i] is string text) CsvCell.Write(writer, text);
                else writer.Write(Text(values[i]));
            }
            writer.Write("\r\n");
            count++;
        }
        return count;
    }

    /// <summary>One sheet named after the dataset; numbers as numbers, dates as their ISO text (a date may be partial: <c>2019-03</c>).</summary>
    private static int WriteXlsx(string path, DatasetSpec dataset, List<FieldSpec> fields, List<FieldSpec> personal, IEnumerable<Row> rows, bool humanHeaders)
    {
        using var writer = new XlsxWriter(path);
        return writer.AddSheet(dataset.Name, Table(dataset, fields, personal, rows, humanHeaders)) - 1;
    }

    private static int WriteGeoJson(string path, List<FieldSpec> fields, List<FieldSpec> personal, IEnumerable<Row> rows, Limiter limiter)
    {
        using var stream = File.Create(path);
        using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = false });
        w.WriteStartObject();
        w.WriteString("type", "FeatureCollection");
        w.WritePropertyName("features");
        w.WriteStartArray();
        var count = 0;
        foreach (var row in rows)
        {
            w.WriteStartObject();
            w.WriteString("type", "Feature");
            w.WriteString("id", (string)row.Values[0]!);
            w.WritePropertyName("geometry");
            if (row.Geometry is null) w.WriteNullValue();
            else JsonSerializer.Serialize(w, row.Geometry, GeoJson);
            w.WritePropertyName("properties");
            w.WriteStartObject();
            for (var i = 0; i < fields.Count; i++) WriteValue(w, fields[i].Name, row.Values[i]);
            foreach (var f in personal) WriteValue(w, f.Name, PersonalValue(row.Personal, f.Name));
            if (row.OriginalCrs is not null) w.WriteString(StorageNames.OriginalCrs, row.OriginalCrs);
            if (row.OriginalWkt is not null) w.WriteString(StorageNames.OriginalWkt, row.OriginalWkt);
            w.WriteEndObject();
            w.WriteEndObject();
            count++;
            if (count % 10_000 == 0) w.Flush();
        }
        w.WriteEndArray();
        if (limiter.Limits is { } limits)
        {
            // Foreign members (RFC 7946 section 6.1): what this reader's export leaves out, so the file says it itself.
            if (limits.GeneraliseToDegrees is { } cell) w.WriteNumber("generalised_to_degrees", cell);
            if (limits.WithholdLabelledRecords)
            {
                w.WriteStartObject("withheld");
                w.WriteNumber("records", limiter.Withheld);
                w.WriteString("reason", ExportLimits.WithheldReason);
                w.WriteEndObject();
            }
        }
        w.WriteEndObject();
        return count;
    }

    private static void WriteValue(Utf8JsonWriter w, string name, object? value)
    {
        switch (value)
        {
            case null: w.WriteNull(name); break;
            case bool b: w.WriteBoolean(name, b); break;
            case long n: w.WriteNumber(name, n); break;
            case double d: w.WriteNumber(name, d); break;
            default: w.WriteString(name, value.ToString()); break;
        }
    }
}
