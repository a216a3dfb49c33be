using System.Globalization;
using System.IO.Compression;
using System.Text;
using Groundtruth.Analysis.Geodesy;
using Groundtruth.Domain;
using NetTopologySuite.IO.Esri;
using NetTopologySuite.IO.Esri.Shapefiles.Readers;

namespace Groundtruth.Application.Import.Readers;

/// <summary>
/// Reads an Esri Shapefile: a <c>.shp</c> with its <c>.dbf</c> (and <c>.prj</c>, <c>.cpg</c>) beside it, or a <c>.zip</c>
/// holding the set. Attributes come from the DBF, decoded as the <c>.cpg</c> says, else by the DBF's language byte; the
/// reference system comes from the <c>.prj</c> (WKT). Records are numbered from 1 in file order, deleted ones included,
/// and problems name them as <c>hazards.shp:record 3</c> (inside a zip: <c>hazards.zip:hazards.shp:record 3</c>).
/// </summary>
internal sealed class ShapefileSourceReader : ISourceReader
{
    private readonly ShapefileReader _reader;
    private readonly string _shpName;
    private readonly int _count;
    private int _read;

    private ShapefileSourceReader(ShapefileReader reader, string shpName, SourceReferenceSystem? crs)
    {
        _reader = reader;
        _shpName = shpName;
        _count = reader.RecordCount;
        ReferenceSystem = crs;
    }

    public IReadOnlyList<string> HeaderColumns => [];
    public long BytesRead => _read;
    public long BytesTotal => _count;
    public SourceReferenceSystem? ReferenceSystem { get; }

    public string? Locate(int line) => $"{_shpName}record {line.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Whether a .zip holds a Shapefile (a <c>.shp</c> entry) rather than another format.</summary>
    public static bool IsShapefileZip(string path, ReadOnlyMemory<byte>? content)
    {
        try
        {
            using var zip = ZipEntries.Open(path, content);
            return zip.Entries.Any(e => e.FullName.EndsWith(".shp", StringComparison.OrdinalIgnoreCase));
        }
        catch (ImportRejectedException)
        {
            return false;
        }
    }

    public static ShapefileSourceReader Open(string path, ImportMapping mapping, ReadOnlyMemory<byte>? content)
    {
        if (Path.GetExtension(path).Equals(".zip", StringComparison.OrdinalIgnoreCase)) return OpenZip(path, mapping, content);
        if (content is not null)
            throw Rejected(path, null, "a Shapefile is several files: upload the .shp, .dbf, .prj (and .cpg) together in one .zip");
        var dbf = Sibling(path, ".dbf") ?? throw Rejected(path, null, $"the attribute table '{Path.ChangeExtension(Path.GetFileName(path), ".dbf")}' is missing beside the .shp; a Shapefile needs its .dbf");
        var prj = Sibling(path, ".prj");
        var cpg = Sibling(path, ".cpg");
        var crs = prj is null ? null : ReadPrj(prj, File.ReadAllText(prj));
        var encoding = cpg is null ? Stated(mapping) : ReadCpg(cpg, File.ReadAllText(cpg));
        var shpStream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        var dbfStream = new FileStream(dbf, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return Create(path, shpStream, dbfStream, encoding, crs, "");
    }

    private static ShapefileSourceReader OpenZip(string path, ImportMapping mapping, ReadOnlyMemory<byte>? content)
    {
        using var zip = ZipEntries.Open(path, content);
        var shps = zip.Entries.Where(e => e.FullName.EndsWith(".shp", StringComparison.OrdinalIgnoreCase)).ToList();
        ZipArchiveEntry shp;
        if (mapping.Layer is { } layer)
        {
            shp = shps.FirstOrDefault(e => string.Equals(Path.GetFileNameWithoutExtension(e.Name), layer, StringComparison.OrdinalIgnoreCase)
                                           || string.Equals(e.FullName, layer, StringComparison.OrdinalIgnoreCase))
                  ?? throw Rejected(path, null, $"the mapping's layer '{layer}' is not a Shapefile in the archive; it holds: {string.Join(", ", shps.Select(e => e.FullName))}");
        }
        else if (shps.Count == 1) shp = shps[0];
        else throw Rejected(path, null, $"the archive holds {shps.Count} Shapefiles ({string.Join(", ", shps.Select(e => e.FullName))}); choose one with the mapping's \"layer\"");
        ZipArchiveEntry? Sibling(string ext)
        {
            var name = shp.FullName[..^4] + ext;
            return zip.Entries.FirstOrDefault(e => string.Equals(e.FullName, name, StringComparison.OrdinalIgnoreCase));
        }
        var inner = $"{path}:{shp.FullName}";
        var dbf = Sibling(".dbf") ?? throw Rejected(inner, null, $"the attribute table '{shp.FullName[..^4]}.dbf' is missing from the archive; a Shapefile needs its .dbf");
        var prj = Sibling(".prj");
        var cpg = Sibling(".cpg");
        var crs = prj is null ? null : ReadPrj($"{path}:{prj.FullName}", ReadText(prj));
        var encoding = cpg is null ? Stated(mapping) : ReadCpg($"{path}:{cpg.FullName}", ReadText(cpg));
        return Create(path, ZipEntries.Read(shp, path), ZipEntries.Read(dbf, path), encoding, crs, shp.FullName + ":");
    }

    /// <summary>Without a .cpg, the mapping's <c>encoding</c> decodes the attributes; else the DBF's language byte does.</summary>
    private static Encoding? Stated(ImportMapping mapping) => mapping.Encoding is { } name ? TextDecoding.Strict(name) : null;

    private static ShapefileSourceReader Create(string path, Stream shp, Stream dbf, Encoding? encoding, SourceReferenceSystem? crs, string prefix)
    {
        if (shp.CanSeek && ShapefileRecordBounds.FirstOverrun(shp) is var (record, reason))
        {
            shp.Dispose();
            dbf.Dispose();
            throw new ImportRejectedException([new ImportProblem(path, record, "geometry", null, "not a readable Shapefile: " + reason, $"{prefix}record {record.ToString(CultureInfo.InvariantCulture)}")], 1);
        }
        try
        {
            var reader = Shapefile.OpenRead(shp, dbf, new ShapefileReaderOptions { Encoding = encoding, Factory = SpatialRules.Factory, GeometryBuilderMode = GeometryBuilderMode.IgnoreInvalidShapes });
            return new ShapefileSourceReader(reader, prefix, crs);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or NotSupportedException or ArgumentException or FileLoadException or EndOfStreamException)
        {
            shp.Dispose();
            dbf.Dispose();
            throw Rejected(path, null, "not a readable Shapefile: " + e.Message);
        }
    }

    public IEnumerable<SourceRecord> Records()
    {
        var number = 0;
        while (true)
        {
            bool more, deleted;
            string? error = null;
            try
            {
                more = _reader.Read(out deleted);
            }
            catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException or FormatException or EndOfStreamException or NotSupportedException)
            {
                more = true;
                deleted = false;
                error = e.Message;
            }
            if (!more) yield break;
            number++;
            _read = number;
            if (error is not null)
            {
                // The rest of the file cannot be trusted after a record that does not read.
                yield return new SourceRecord(number, new Dictionary<string, string?> { [SourceProblem.Entry("geometry", "").Key] = "the record cannot be read: " + error }, null, false);
                yield break;
            }
            if (deleted) continue;
            var values = new Dictionary<string, string?>(StringComparer.Ordinal);
            foreach (var field in _reader.Fields) values[field.Name.Trim()] = SourceText.Of(field.Value);
            // Invalid shapes are read as they are: the importer reports them with its own rules, or repairs them on --repair.
            var geometry = _reader.Geometry;
            yield return new SourceRecord(number, values, geometry is null || geometry.IsEmpty ? null : geometry, true);
        }
    }

    private static string? Sibling(string shp, string extension)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(shp))!;
        var stem = Path.GetFileNameWithoutExtension(shp);
        return Directory.EnumerateFiles(dir, stem + ".*")
            .FirstOrDefault(f => string.Equals(Path.GetFileName(f), stem + extension, StringComparison.OrdinalIgnoreCase));
    }

    private static string ReadText(ZipArchiveEntry entry)
    {
        using var reader = new StreamReader(entry.Open(), Encoding.UTF8);
        return reader.ReadToEnd();
    }

    private static SourceReferenceSystem ReadPrj(string prjPath, string wkt)
    {
        try
        {
            return ReferenceSystems.ParseSource(wkt);
        }
        catch (FormatException e)
        {
            throw new ImportRejectedException([new ImportProblem(prjPath, 1, "crs", Shorten(wkt), e.Message + "; give the system with --crs or the mapping's \"crs\"")], 1);
        }
    }

    private static Encoding ReadCpg(string cpgPath, string text) =>
        SourceText.EncodingOf(text)
        ?? throw new ImportRejectedException([new ImportProblem(cpgPath, 1, "encoding", text.Trim(), "not an encoding this importer knows (UTF-8, 1252, ISO-8859-1, …)")], 1);

    private static ImportRejectedException Rejected(string file, string? field, string reason) => new([new ImportProblem(file, 0, field, null, reason)], 1);

    private static string Shorten(string s) => s.Length <= 60 ? s.Trim() : s.Trim()[..57] + "...";

    public void Dispose() => _reader.Dispose();
}
