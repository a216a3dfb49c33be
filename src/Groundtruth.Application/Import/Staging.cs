using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Groundtruth.Application.Datasets;
using Groundtruth.Application.Security;
using Groundtruth.Application.Storage;
using Groundtruth.Domain;
using NetTopologySuite.IO;

namespace Groundtruth.Application.Import;

/// <summary>The columns of a staging table: the layer's stored columns, then the version payload.</summary>
internal sealed class StagingLayout
{
    public const string Data = "__data";
    public const string InformationDate = "__info_date";
    public const string Personal = "__personal";
    public const string KeyId = "__key_id";
    public const string Line = "__line";

    public StagingLayout(DatasetSpec dataset)
    {
        Dataset = dataset;
        var layer = dataset.StoredFields.Select(f => f.Name).ToList();
        if (dataset.IsSpatial) layer.AddRange([StorageNames.OriginalCrs, StorageNames.OriginalWkt, .. StorageNames.BoundingBox, StorageNames.Geometry]);
        layer.Add(StorageNames.RowHash);
        LayerColumns = layer;
        AllColumns = [.. layer, Data, InformationDate, Personal, KeyId, Line];
        GeometryIndex = dataset.IsSpatial ? layer.IndexOf(StorageNames.Geometry) : -1;
    }

    public DatasetSpec Dataset { get; }
    /// <summary>Columns that exist in the layer table.</summary>
    public IReadOnlyList<string> LayerColumns { get; }
    public IReadOnlyList<string> AllColumns { get; }
    public int GeometryIndex { get; }
}

/// <summary>Turns a parsed record into the values of one staging row: layer columns, row hash, version JSON, encrypted personal data.</summary>
internal sealed class StagingRowBuilder(StagingLayout layout, PersonalDataProtector? protector, string recordedDate)
{
    private readonly DatasetSpec _dataset = layout.Dataset;
    private readonly WKBWriter _wkb = new();
    private readonly ArrayBufferWriter<byte> _json = new(1024);
    private readonly int[] _storedIndexes = [.. layout.Dataset.Fields.Select((f, i) => (f, i)).Where(x => !x.f.Personal).Select(x => x.i)];

    public object?[] Build(ParsedRecord record)
    {
        var row = new object?[layout.AllColumns.Count];
        var k = 0;
        foreach (var i in _storedIndexes) row[k++] = record.Values[i];
        if (_dataset.IsSpatial)
        {
            row[k++] = record.OriginalCrs;
            row[k++] = record.OriginalWkt;
            if (record.Geometry is { } g)
            {
                var e = g.EnvelopeInternal;
                row[k++] = e.MinX; row[k++] = e.MinY; row[k++] = e.MaxX; row[k++] = e.MaxY;
            }
            else
            {
                k += 4;
            }
            row[k++] = record.Geometry;
        }
        row[k++] = Hash(row, k - 1, record);
        row[k++] = Json(record);
        var infoField = _dataset.InformationDateField;
        row[k++] = infoField is not null && record.Values[_dataset.IndexOf(infoField)] is string d ? d : recordedDate;
        if (_dataset == DatasetCatalog.Casualties && protector is not null)
        {
            var personal = new CasualtyPersonalData(
                record.Values[_dataset.IndexOf("name")] as string,
                record.Values[_dataset.IndexOf("date_of_birth")] is string dob ? PartialDate.Parse(dob) : null,
                record.Values[_dataset.IndexOf("injuries")] as string);
            if (!personal.IsEmpty)
            {
                row[k] = protector.Protect(personal);
                row[k + 1] = protector.KeyId;
            }
        }
        k += 2;
        row[k] = record.Line;
        return row;
    }

    /// <summary>A stable 64-bit FNV-1a hash of the layer values: equal rows, equal hashes, in every process.</summary>
    private long Hash(object?[] row, int count, ParsedRecord record)
    {
        var h = 14695981039346656037UL;
        void Mix(ReadOnlySpan<byte> bytes)
        {
            foreach (var b in bytes) { h ^= b; h *= 1099511628211UL; }
            h ^= 0x1f; h *= 1099511628211UL;
        }
        Span<byte> buffer = stackalloc byte[256];
        for (var i = 0; i < count; i++)
        {
            if (i == layout.GeometryIndex) continue;
            var text = row[i] switch
            {
                null => "\u0000",
                double d => d.ToString("R", CultureInfo.InvariantCulture),
                IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                var o => o.ToString()!,
            };
            if (Encoding.UTF8.GetMaxByteCount(text.Length) <= buffer.Length)
                Mix(buffer[..Encoding.UTF8.GetBytes(text, buffer)]);
            else
                Mix(Encoding.UTF8.GetBytes(text));
        }
        if (record.Geometry is { } g) Mix(_wkb.Write(g));
        return unchecked((long)h);
    }

    private string Json(ParsedRecord record)
    {
        _json.Clear();
        using (var w = new Utf8JsonWriter(_json))
        {
            w.WriteStartObject();
            foreach (var i in _storedIndexes)
            {
                var name = _dataset.Fields[i].Name;
                switch (record.Values[i])
                {
                    case null: break;
                    case string s: w.WriteString(name, s); break;
                    case int n: w.WriteNumber(name, n); break;
                    case long n: w.WriteNumber(name, n); break;
                    case double d: w.WriteNumber(name, d); break;
                    case bool b: w.WriteBoolean(name, b); break;
                }
            }
            if (record.OriginalCrs is not null) w.WriteString(StorageNames.OriginalCrs, record.OriginalCrs);
            if (record.OriginalWkt is not null) w.WriteString(StorageNames.OriginalWkt, record.OriginalWkt);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(_json.WrittenSpan);
    }
}
