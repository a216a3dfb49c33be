using System.Globalization;
using Groundtruth.Analysis.Geodesy;
using Groundtruth.Application.Storage;
using Microsoft.Data.Sqlite;
using NetTopologySuite.Geometries;

namespace Groundtruth.Application.Import.Readers;

/// <summary>
/// Reads one feature layer of a GeoPackage written by another tool (QGIS, ogr2ogr): the mapping's <c>layer</c> names
/// it, or the file must hold exactly one. Its geometry column and reference system come from
/// <c>gpkg_geometry_columns</c> and <c>gpkg_spatial_ref_sys</c> (an EPSG code Groundtruth knows, else the srs's WKT);
/// every other column except the primary key is a source column. Records are numbered by the primary key (GDAL's
/// and QGIS's fid): problems read <c>survey.gpkg:layer 'finds' fid 7</c>.
/// </summary>
internal sealed class GeoPackageLayerSourceReader : ISourceReader
{
    private readonly string _path;
    private readonly string? _temporary;
    private readonly SqliteConnection _connection;
    private readonly string _layer;
    private readonly string _geometryColumn;
    private readonly string _key;
    private readonly HashSet<string> _dateTimeColumns = new(StringComparer.OrdinalIgnoreCase);
    private long _read;

    public GeoPackageLayerSourceReader(string path, ImportMapping mapping, ReadOnlyMemory<byte>? content = null)
    {
        _path = path;
        var file = path;
        if (content is { } bytes)
        {
            // SQLite reads files only: an uploaded GeoPackage is copied to a private temporary file, deleted on dispose.
            _temporary = Path.Combine(PrivateFiles.CreateTemporaryFolder("groundtruth-upload-"), "upload.gpkg");
            using (var stream = PrivateFiles.Create(_temporary)) stream.Write(bytes.Span);
            file = _temporary;
        }
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        try
        {
            _connection.Open();
            var layers = Strings("SELECT table_name FROM gpkg_contents WHERE data_type = 'features' ORDER BY table_name");
            if (mapping.Layer is { } chosen)
            {
                _layer = layers.FirstOrDefault(l => l.Equals(chosen, StringComparison.OrdinalIgnoreCase))
                         ?? throw Rejected("layer", $"the mapping's layer '{chosen}' is not a feature layer of the GeoPackage; its layers: {List(layers)}");
            }
            else if (layers.Count == 1) _layer = layers[0];
            else if (layers.Count == 0) throw Rejected(null, "the GeoPackage has no feature layer");
            else throw Rejected("layer", $"the GeoPackage holds {layers.Count} feature layers ({List(layers)}); choose one with the mapping's \"layer\"");

            using (var cmd = Command("SELECT column_name, srs_id FROM gpkg_geometry_columns WHERE table_name = $t"))
            {
                cmd.Parameters.AddWithValue("$t", _layer);
                using var r = cmd.ExecuteReader();
                if (!r.Read()) throw Rejected("layer", $"the layer '{_layer}' has no row in gpkg_geometry_columns");
                _geometryColumn = r.GetString(0);
                ReferenceSystem = ReadSrs(r.GetInt64(1));
            }
            var key = "";
            using (var cmd = Command($"SELECT name, type, pk FROM pragma_table_info({Quote(_layer, '\'')})"))
            {
                using var r = cmd.ExecuteReader();
                while (r.Read())
                {
                    if (r.GetInt64(2) == 1) key = r.GetString(0);
                    if (r.GetString(1).Equals("DATETIME", StringComparison.OrdinalIgnoreCase)) _dateTimeColumns.Add(r.GetString(0));
                }
            }
            _key = key.Length > 0 ? key : "rowid";
            BytesTotal = Convert.ToInt64(Scalar($"SELECT count(*) FROM {Quote(_layer)}"), CultureInfo.InvariantCulture);
        }
        catch (SqliteException e)
        {
            Dispose();
            throw Rejected(null, "not a readable GeoPackage: " + e.Message);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public IReadOnlyList<string> HeaderColumns => [];
    public long BytesRead => _read;
    public long BytesTotal { get; }
    public SourceReferenceSystem? ReferenceSystem { get; }

    public string? Locate(int line) => $"layer '{_layer}' fid {line.ToString(CultureInfo.InvariantCulture)}";

    public IEnumerable<SourceRecord> Records()
    {
        using var cmd = Command($"SELECT {Quote(_key)} AS \"\u0001fid\", * FROM {Quote(_layer)} ORDER BY {Quote(_key)}");
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            _read++;
            var fid = checked((int)r.GetInt64(0));
            var values = new Dictionary<string, string?>(StringComparer.Ordinal);
            Geometry? geometry = null;
            for (var i = 1; i < r.FieldCount; i++)
            {
                var name = r.GetName(i);
                if (name.Equals(_key, StringComparison.OrdinalIgnoreCase)) continue;
                if (name.Equals(_geometryColumn, StringComparison.OrdinalIgnoreCase))
                {
                    if (r.IsDBNull(i)) continue;
                    try
                    {
                        var g = GeoPackageBlob.Read((byte[])r.GetValue(i));
                        geometry = g.IsEmpty ? null : g;
                    }
                    catch (Exception e) when (e is ArgumentException or InvalidOperationException or FormatException or NotSupportedException or IndexOutOfRangeException or InvalidCastException or NetTopologySuite.IO.ParseException)
                    {
                        var p = SourceProblem.Entry(_geometryColumn, "not a readable GeoPackage geometry: " + e.Message);
                        values[p.Key] = p.Value;
                    }
                    continue;
                }
                var value = r.IsDBNull(i) ? null : r.GetValue(i);
                if (value is byte[]) continue;
                var text = SourceText.Of(value);
                if (text is not null && _dateTimeColumns.Contains(name) && SourceText.TryUtcDate(text, out var date)) text = date;
                values[name] = text;
            }
            yield return new SourceRecord(fid, values, geometry, true);
        }
    }

    private SourceReferenceSystem? ReadSrs(long srsId)
    {
        if (srsId is 0 or -1) return null; // undefined geographic / cartesian: WGS84 unless --crs says otherwise
        using var cmd = Command("SELECT organization, organization_coordsys_id, definition FROM gpkg_spatial_ref_sys WHERE srs_id = $s");
        cmd.Parameters.AddWithValue("$s", srsId);
        using var r = cmd.ExecuteReader();
        if (!r.Read()) throw Rejected("srs_id", $"the layer's srs_id {srsId} is not in gpkg_spatial_ref_sys");
        var organisation = r.IsDBNull(0) ? "" : r.GetString(0);
        var code = r.IsDBNull(1) ? 0 : r.GetInt64(1);
        var definition = r.IsDBNull(2) ? "" : r.GetString(2);
        if (organisation.Equals("EPSG", StringComparison.OrdinalIgnoreCase) && ReferenceSystems.IsSupported((int)code))
            return ReferenceSystems.ParseSource("EPSG:" + code.ToString(CultureInfo.InvariantCulture));
        try
        {
            return ReferenceSystems.ParseSource(definition);
        }
        catch (FormatException e)
        {
            throw Rejected("srs_id", $"the layer's reference system ({organisation}:{code}) cannot be read: {e.Message}; give it with --crs or the mapping's \"crs\"");
        }
    }

    private SqliteCommand Command(string sql)
    {
        var cmd = _connection.CreateCommand();
        cmd.CommandText = sql;
        return cmd;
    }

    private object? Scalar(string sql)
    {
        using var cmd = Command(sql);
        return cmd.ExecuteScalar();
    }

    private List<string> Strings(string sql)
    {
        using var cmd = Command(sql);
        using var r = cmd.ExecuteReader();
        var list = new List<string>();
        while (r.Read()) list.Add(r.GetString(0));
        return list;
    }

    private static string Quote(string name, char quote = '"') => quote + name.Replace(quote.ToString(), new string(quote, 2), StringComparison.Ordinal) + quote;

    private static string List(IEnumerable<string> layers) => string.Join(", ", layers.Select(l => $"'{l}'"));

    private ImportRejectedException Rejected(string? field, string reason) => new([new ImportProblem(_path, 0, field, null, reason)], 1);

    public void Dispose()
    {
        _connection.Dispose();
        if (_temporary is not null)
        {
            try { Directory.Delete(Path.GetDirectoryName(_temporary)!, recursive: true); } catch (IOException) { }
        }
    }
}
