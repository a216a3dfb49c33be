using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using Groundtruth.Domain;
using NetTopologySuite.Geometries;

namespace Groundtruth.Application.Import.Readers;

/// <summary>
/// Reads the placemarks of a KML file, or of a KMZ (a zip whose <c>doc.kml</c>, else first <c>.kml</c>, is read).
/// Each placemark is a record with the columns <c>name</c>, <c>description</c>, <c>folder</c> (its innermost folder),
/// <c>time</c> (the UTC date of its <c>TimeStamp</c>) and every <c>ExtendedData</c> value (<c>Data</c> name/value and
/// <c>SchemaData</c>/<c>SimpleData</c>); its geometry is a Point, LineString, Polygon or MultiGeometry. Coordinates are
/// WGS84 longitude,latitude[,altitude] by definition of KML; altitudes are dropped. Records are numbered by the line of
/// their <c>Placemark</c> element, and problems name them as <c>finds.kml:line 12</c> or <c>finds.kmz:doc.kml:line 12</c>.
/// </summary>
internal sealed class KmlSourceReader(string path, ReadOnlyMemory<byte>? content = null) : ISourceReader
{
    private string _inner = "";
    private int _read;
    private int _total;

    public IReadOnlyList<string> HeaderColumns => [];
    public long BytesRead => _read;
    public long BytesTotal => _total;

    public string? Locate(int line) => $"{_inner}line {line.ToString(CultureInfo.InvariantCulture)}";

    public IEnumerable<SourceRecord> Records()
    {
        var document = Load();
        var placemarks = document.Descendants().Where(e => e.Name.LocalName == "Placemark").ToList();
        _total = placemarks.Count;
        foreach (var placemark in placemarks)
        {
            _read++;
            yield return Read(placemark);
        }
    }

    private XDocument Load()
    {
        Stream stream;
        var file = path;
        if (Path.GetExtension(path).Equals(".kmz", StringComparison.OrdinalIgnoreCase))
        {
            using var zip = ZipEntries.Open(path, content);
            var entry = zip.Entries.FirstOrDefault(e => e.FullName.Equals("doc.kml", StringComparison.OrdinalIgnoreCase))
                        ?? zip.Entries.FirstOrDefault(e => e.FullName.EndsWith(".kml", StringComparison.OrdinalIgnoreCase))
                        ?? throw new ImportRejectedException([new ImportProblem(path, 0, null, null, "the KMZ holds no .kml document (doc.kml expected)")], 1);
            _inner = entry.FullName + ":";
            file = $"{path}:{entry.FullName}";
            stream = ZipEntries.Read(entry, path);
        }
        else
        {
            stream = content is { } bytes ? new MemoryStream(bytes.ToArray(), writable: false) : File.OpenRead(path);
        }
        using (stream)
        {
            try
            {
                using var xml = XmlReader.Create(stream, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
                return XDocument.Load(xml, LoadOptions.SetLineInfo);
            }
            catch (XmlException e)
            {
                throw new ImportRejectedException([new ImportProblem(file, e.LineNumber, null, null, "not well-formed XML: " + e.Message)], 1);
            }
        }
    }

    private static SourceRecord Read(XElement placemark)
    {
        var line = ((IXmlLineInfo)placemark).LineNumber;
        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        void Set(string column, string? text) => values[column] = string.IsNullOrWhiteSpace(text) ? null : text.Trim();
        if (Child(placemark, "name") is { } name) Set("name", name.Value);
        if (Child(placemark, "description") is { } description) Set("description", description.Value);
        var folder = placemark.Ancestors().FirstOrDefault(a => a.Name.LocalName == "Folder");
        if (folder is not null && Child(folder, "name") is { } folderName) Set("folder", folderName.Value);
        if (Child(placemark, "TimeStamp") is { } stamp && Child(stamp, "when") is { } when && !string.IsNullOrWhiteSpace(when.Value))
        {
            if (SourceText.TryUtcDate(when.Value, out var date)) Set("time", date);
            else values.Add(SourceProblem.Entry("time", $"'{when.Value.Trim()}' is not an ISO 8601 date-time").Key, $"'{when.Value.Trim()}' is not an ISO 8601 date-time");
        }
        if (Child(placemark, "ExtendedData") is { } extended)
        {
            foreach (var data in extended.Elements().Where(e => e.Name.LocalName == "Data"))
            {
                if (data.Attribute("name")?.Value is { Length: > 0 } key) Set(key, Child(data, "value")?.Value);
            }
            foreach (var simple in extended.Elements().Where(e => e.Name.LocalName == "SchemaData").SelectMany(s => s.Elements()).Where(e => e.Name.LocalName == "SimpleData"))
            {
                if (simple.Attribute("name")?.Value is { Length: > 0 } key) Set(key, simple.Value);
            }
        }
        var shape = placemark.Elements().FirstOrDefault(e => e.Name.LocalName is "Point" or "LineString" or "LinearRing" or "Polygon" or "MultiGeometry" or "Track" or "MultiTrack" or "Model");
        Geometry? geometry = null;
        if (shape is not null)
        {
            try
            {
                geometry = Geometry(shape);
            }
            catch (KmlGeometryException e)
            {
                var entry = SourceProblem.Entry(e.Field, e.Message);
                values[entry.Key] = entry.Value;
            }
        }
        return new SourceRecord(line, values, geometry, shape is not null);
    }

    private static XElement? Child(XElement parent, string localName) => parent.Elements().FirstOrDefault(e => e.Name.LocalName == localName);

    private static Geometry Geometry(XElement shape)
    {
        var factory = SpatialRules.Factory;
        switch (shape.Name.LocalName)
        {
            case "Point":
            {
                var c = Coordinates(shape);
                if (c.Length != 1) throw new KmlGeometryException("coordinates", shape, $"a Point has one position, not {c.Length}");
                return factory.CreatePoint(c[0]);
            }
            case "LineString":
            {
                var c = Coordinates(shape);
                if (c.Length < 2) throw new KmlGeometryException("coordinates", shape, "a LineString needs at least two positions");
                return factory.CreateLineString(c);
            }
            case "LinearRing":
                return factory.CreatePolygon(Ring(shape));
            case "Polygon":
            {
                var outer = Child(shape, "outerBoundaryIs")?.Elements().FirstOrDefault(e => e.Name.LocalName == "LinearRing")
                            ?? throw new KmlGeometryException("outerBoundaryIs", shape, "a Polygon needs an outerBoundaryIs/LinearRing");
                var holes = shape.Elements().Where(e => e.Name.LocalName == "innerBoundaryIs")
                    .SelectMany(i => i.Elements().Where(e => e.Name.LocalName == "LinearRing")).Select(Ring).ToArray();
                return factory.CreatePolygon(Ring(outer), holes);
            }
            case "MultiGeometry":
            {
                var parts = shape.Elements().Where(e => e.Name.LocalName is "Point" or "LineString" or "LinearRing" or "Polygon" or "MultiGeometry")
                    .Select(Geometry).SelectMany(g => g is GeometryCollection gc ? gc.Geometries : [g]).ToArray();
                if (parts.Length == 0) throw new KmlGeometryException("MultiGeometry", shape, "the MultiGeometry is empty");
                if (parts.All(p => p is Point)) return factory.CreateMultiPoint([.. parts.Cast<Point>()]);
                if (parts.All(p => p is LineString)) return factory.CreateMultiLineString([.. parts.Cast<LineString>()]);
                if (parts.All(p => p is Polygon)) return factory.CreateMultiPolygon([.. parts.Cast<Polygon>()]);
                return factory.CreateGeometryCollection(parts);
            }
            default:
                throw new KmlGeometryException(shape.Name.LocalName, shape, $"a {shape.Name.LocalName} is not read; use Point, LineString, Polygon or MultiGeometry");
        }
    }

    private static LinearRing Ring(XElement ring)
    {
        var c = Coordinates(ring);
        if (c.Length > 0 && !c[0].Equals2D(c[^1])) c = [.. c, c[0].Copy()];
        if (c.Length < 4) throw new KmlGeometryException("coordinates", ring, "a polygon ring needs at least three distinct positions");
        return SpatialRules.Factory.CreateLinearRing(c);
    }

    private static Coordinate[] Coordinates(XElement shape)
    {
        var element = Child(shape, "coordinates") ?? throw new KmlGeometryException("coordinates", shape, $"the {shape.Name.LocalName} has no coordinates");
        var tuples = element.Value.Split((char[])[' ', '\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries);
        var result = new Coordinate[tuples.Length];
        for (var i = 0; i < tuples.Length; i++)
        {
            var parts = tuples[i].Split(',');
            if (parts.Length is < 2 or > 3
                || !double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var lon)
                || !double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var lat)
                || (parts.Length == 3 && !double.TryParse(parts[2], NumberStyles.Float, CultureInfo.InvariantCulture, out _))
                || !double.IsFinite(lon) || !double.IsFinite(lat))
                throw new KmlGeometryException("coordinates", element, $"'{Shorten(tuples[i])}' is not longitude,latitude[,altitude] (position {i + 1})");
            result[i] = new Coordinate(lon, lat);
        }
        return result;
    }

    private static string Shorten(string s) => s.Length <= 40 ? s : s[..37] + "...";

    /// <summary>A placemark's geometry that cannot be built; names the KML element and its line.</summary>
    private sealed class KmlGeometryException(string field, XElement element, string reason)
        : Exception($"{reason} (line {((IXmlLineInfo)element).LineNumber.ToString(CultureInfo.InvariantCulture)})")
    {
        public string Field { get; } = field;
    }

    public void Dispose() { }
}
