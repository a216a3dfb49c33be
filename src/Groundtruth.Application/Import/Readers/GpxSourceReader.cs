using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using Groundtruth.Domain;
using NetTopologySuite.Geometries;

namespace Groundtruth.Application.Import.Readers;

/// <summary>
/// Reads a GPX 1.0/1.1 file: its waypoints (<c>wpt</c>) as points, or its routes (<c>rte</c>) or tracks (<c>trk</c>, one
/// line per segment) as lines. The mapping's <c>layer</c> chooses <c>waypoints</c>, <c>routes</c> or <c>tracks</c>
/// (GDAL's names for them); without it the file must hold only one kind. Columns are the element's simple children —
/// <c>name</c>, <c>desc</c>, <c>cmt</c>, <c>sym</c>, <c>type</c>, <c>ele</c>, <c>src</c>… — with <c>time</c> given as its
/// UTC date (a track's time is its first point's); <c>extensions</c> and <c>link</c> are ignored. Records are numbered by
/// the line of their element: <c>walk.gpx:line 7</c>.
/// </summary>
internal sealed class GpxSourceReader(string path, ImportMapping mapping, ReadOnlyMemory<byte>? content = null) : ISourceReader
{
    private static readonly string[] Layers = ["waypoints", "routes", "tracks"];
    private int _read;
    private int _total;

    public IReadOnlyList<string> HeaderColumns => [];
    public long BytesRead => _read;
    public long BytesTotal => _total;

    public string? Locate(int line) => "line " + line.ToString(CultureInfo.InvariantCulture);

    public IEnumerable<SourceRecord> Records()
    {
        var root = Load().Root!;
        if (root.Name.LocalName != "gpx") throw Rejected(((IXmlLineInfo)root).LineNumber, null, $"a <gpx> document is expected, not <{root.Name.LocalName}>");
        var kinds = new Dictionary<string, List<XElement>>
        {
            ["waypoints"] = [.. root.Elements().Where(e => e.Name.LocalName == "wpt")],
            ["routes"] = [.. root.Elements().Where(e => e.Name.LocalName == "rte")],
            ["tracks"] = [.. root.Elements().Where(e => e.Name.LocalName == "trk")],
        };
        string layer;
        if (mapping.Layer is { } chosen)
        {
            layer = Layers.FirstOrDefault(l => l.Equals(chosen.Trim(), StringComparison.OrdinalIgnoreCase))
                    ?? throw Rejected(0, "layer", $"the mapping's layer '{chosen}' is not one of a GPX's layers: {string.Join(", ", Layers)}");
        }
        else
        {
            var present = Layers.Where(l => kinds[l].Count > 0).ToList();
            if (present.Count > 1)
                throw Rejected(0, "layer", $"the file holds {string.Join(" and ", present.Select(l => $"{kinds[l].Count} {l}"))}; choose one with the mapping's \"layer\"");
            layer = present.Count == 1 ? present[0] : "waypoints";
        }
        var elements = kinds[layer];
        _total = elements.Count;
        foreach (var element in elements)
        {
            _read++;
            yield return layer switch
            {
                "waypoints" => Read(element, null),
                "routes" => Read(element, Line(element.Elements().Where(e => e.Name.LocalName == "rtept"))),
                _ => Read(element, Track(element)),
            };
        }
    }

    private XDocument Load()
    {
        using var stream = content is { } bytes ? new MemoryStream(bytes.ToArray(), writable: false) : (Stream)File.OpenRead(path);
        try
        {
            using var xml = XmlReader.Create(stream, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
            return XDocument.Load(xml, LoadOptions.SetLineInfo);
        }
        catch (XmlException e)
        {
            throw Rejected(e.LineNumber, null, "not well-formed XML: " + e.Message);
        }
    }

    private static SourceRecord Read(XElement element, Func<Geometry?>? line)
    {
        var number = ((IXmlLineInfo)element).LineNumber;
        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        void Problem(string field, string reason)
        {
            var p = SourceProblem.Entry(field, reason);
            values[p.Key] = p.Value;
        }
        foreach (var child in element.Elements().Where(e => !e.HasElements && e.Name.LocalName is not ("extensions" or "link" or "rtept" or "trkseg")))
        {
            var text = string.IsNullOrWhiteSpace(child.Value) ? null : child.Value.Trim();
            if (child.Name.LocalName == "time" && text is not null)
            {
                if (SourceText.TryUtcDate(text, out var date)) values["time"] = date;
                else Problem("time", $"'{text}' is not an ISO 8601 date-time");
                continue;
            }
            values[child.Name.LocalName] = text;
        }
        Geometry? geometry = null;
        try
        {
            if (line is null)
            {
                geometry = SpatialRules.Factory.CreatePoint(Position(element));
            }
            else
            {
                geometry = line();
                if (!values.ContainsKey("time") && element.Descendants().FirstOrDefault(e => e.Name.LocalName == "time") is { } first
                    && SourceText.TryUtcDate(first.Value, out var date)) values["time"] = date;
            }
        }
        catch (GpxPositionException e)
        {
            Problem(e.Field, e.Message);
        }
        return new SourceRecord(number, values, geometry, true);
    }

    private static Func<Geometry?> Line(IEnumerable<XElement> points) => () =>
    {
        var c = points.Select(Position).ToArray();
        return c.Length >= 2 ? SpatialRules.Factory.CreateLineString(c) : null;
    };

    private static Func<Geometry?> Track(XElement track) => () =>
    {
        var lines = track.Elements().Where(e => e.Name.LocalName == "trkseg")
            .Select(s => s.Elements().Where(e => e.Name.LocalName == "trkpt").Select(Position).ToArray())
            .Where(c => c.Length >= 2)
            .Select(c => SpatialRules.Factory.CreateLineString(c)).ToArray();
        return lines.Length == 0 ? null : SpatialRules.Factory.CreateMultiLineString(lines);
    };

    private static Coordinate Position(XElement point)
    {
        var lat = point.Attribute("lat")?.Value;
        var lon = point.Attribute("lon")?.Value;
        var where = $" (<{point.Name.LocalName}> on line {((IXmlLineInfo)point).LineNumber.ToString(CultureInfo.InvariantCulture)})";
        if (!double.TryParse(lon, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) || !double.IsFinite(x))
            throw new GpxPositionException("lon", $"'{lon}' is not a longitude{where}");
        if (!double.TryParse(lat, NumberStyles.Float, CultureInfo.InvariantCulture, out var y) || !double.IsFinite(y))
            throw new GpxPositionException("lat", $"'{lat}' is not a latitude{where}");
        return new Coordinate(x, y);
    }

    private sealed class GpxPositionException(string field, string message) : Exception(message)
    {
        public string Field { get; } = field;
    }

    private ImportRejectedException Rejected(int line, string? field, string reason) => new([new ImportProblem(path, line, field, null, reason, line > 0 ? Locate(line) : null)], 1);

    public void Dispose() { }
}
