using System.Globalization;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using Groundtruth.Application.Forms;

namespace Groundtruth.Application.Import.Readers;

/// <summary>
/// Reads one submission of a Groundtruth field form: the XForm instance document ODK Collect keeps in its
/// <c>instances/</c> folder and ODK Briefcase or web forms hand over. The root's <c>id</c> names the form, so the
/// reader knows each question's type: a geopoint <c>location</c> ("lat lon alt accuracy") becomes <c>lon</c>,
/// <c>lat</c> and, where the dataset keeps it, <c>location_accuracy_m</c>; a geoshape <c>perimeter</c>
/// ("lat lon alt acc;…") a WKT polygon; a select_multiple answer (space-separated) the importer's <c>;</c> list.
/// Groups are flattened to their questions' names and form metadata is left out. The record's id is the instance
/// id without its <c>uuid:</c> prefix; with <paramref name="repeat"/> (the request's <c>Part</c>) the records are that repeat group's entries,
/// numbered <c>{instance id}-{n}</c> and linked to the submission by <c>accident_id</c>.
/// </summary>
internal sealed class XFormInstanceSourceReader : ISourceReader
{
    /// <summary>Form metadata that is never a dataset column (KoboToolbox and ODK names).</summary>
    private static readonly HashSet<string> Metadata = new(StringComparer.OrdinalIgnoreCase)
    {
        "meta", "start", "end", "today", "deviceid", "phonenumber", "username", "email", "simserial", "subscriberid", "audit", "__version__",
    };

    private readonly string _path;
    private readonly string? _repeat;
    private readonly XElement _root;
    private readonly FieldForm _form;
    private readonly string _instanceId;

    public XFormInstanceSourceReader(string path, ReadOnlyMemory<byte>? content, string? repeat)
    {
        _path = path;
        _repeat = repeat;
        var bytes = content ?? File.ReadAllBytes(path);
        BytesTotal = bytes.Length;
        XDocument document;
        try
        {
            using var stream = new MemoryStream(bytes.ToArray(), writable: false);
            document = XDocument.Load(stream, LoadOptions.SetLineInfo);
        }
        catch (XmlException e)
        {
            throw Rejected(e.LineNumber, null, null, "not a readable form submission (XML): " + e.Message);
        }
        _root = document.Root!;
        var formId = _root.Attribute("id")?.Value;
        _form = FieldForm.ByFormId(formId)
                ?? throw Rejected(Line(_root), "id", formId, "not a submission of a Groundtruth field form; forms: " + string.Join(", ", FieldForm.Datasets.Select(d => FieldForm.For(d).FormId)));
        if (repeat is not null && _form.Repeat?.Name != repeat)
            throw Rejected(Line(_root), null, repeat, $"the form {_form.FormId} has no repeat group '{repeat}'");
        var instanceId = _root.Elements().FirstOrDefault(e => e.Name.LocalName == "meta")?.Elements().FirstOrDefault(e => e.Name.LocalName == "instanceID");
        var id = instanceId?.Value.Trim() is { Length: > 0 } text ? (text.StartsWith("uuid:", StringComparison.Ordinal) ? text[5..] : text) : null;
        _instanceId = id ?? throw Rejected(Line(_root), "meta/instanceID", null, "the submission has no instance id");
    }

    public IReadOnlyList<string> HeaderColumns => [];
    public long BytesRead { get; private set; }
    public long BytesTotal { get; }

    public IEnumerable<SourceRecord> Records()
    {
        if (_repeat is null)
        {
            var values = new Dictionary<string, string?>(StringComparer.Ordinal) { ["id"] = _instanceId };
            Collect(_root, _form.Questions, _form.Dataset, values);
            BytesRead = BytesTotal;
            yield return new SourceRecord(Line(_root), values, null, false);
            yield break;
        }
        var repeat = _form.Repeat!;
        var n = 0;
        foreach (var entry in Descendants(_root).Where(e => e.Name.LocalName == repeat.Name && e.HasElements))
        {
            n++;
            var values = new Dictionary<string, string?>(StringComparer.Ordinal)
            {
                ["id"] = $"{_instanceId}-{n.ToString(CultureInfo.InvariantCulture)}",
                ["accident_id"] = _instanceId,
            };
            Collect(entry, repeat.Questions, repeat.Dataset, values);
            yield return new SourceRecord(Line(entry), values, null, false);
        }
        BytesRead = BytesTotal;
    }

    /// <summary>The answers under <paramref name="parent"/>, descending into groups but not into repeats.</summary>
    private void Collect(XElement parent, IReadOnlyList<FormQuestion> questions, Datasets.DatasetSpec dataset, Dictionary<string, string?> values)
    {
        foreach (var element in parent.Elements())
        {
            var name = element.Name.LocalName;
            if (Metadata.Contains(name) || name == _form.Repeat?.Name) continue;
            if (element.HasElements)
            {
                Collect(element, questions, dataset, values);
                continue;
            }
            var text = element.Value.Trim();
            if (text.Length == 0) continue;
            var question = questions.FirstOrDefault(q => q.Name == name);
            switch (question?.Type)
            {
                case FormQuestionType.Geopoint:
                {
                    var (lat, lon, accuracy) = Geopoint(text, element, name);
                    values["lon"] = lon;
                    values["lat"] = lat;
                    if (accuracy is not null && dataset.Field("location_accuracy_m") is not null) values["location_accuracy_m"] = accuracy;
                    break;
                }
                case FormQuestionType.Geoshape:
                    values["wkt"] = Polygon(text, element, name);
                    break;
                case FormQuestionType.SelectMultiple:
                    values[name] = string.Join(';', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
                    break;
                default:
                    values[name] = text;
                    break;
            }
        }
    }

    private IEnumerable<XElement> Descendants(XElement parent)
    {
        foreach (var e in parent.Elements())
        {
            if (e.Name.LocalName == _form.Repeat?.Name) yield return e;
            else if (e.HasElements && !Metadata.Contains(e.Name.LocalName)) foreach (var inner in Descendants(e)) yield return inner;
        }
    }

    /// <summary>ODK's "lat lon alt accuracy" (altitude and accuracy optional), checked as numbers.</summary>
    private (string Lat, string Lon, string? Accuracy) Geopoint(string text, XElement element, string field)
    {
        var parts = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length is < 2 or > 4 || parts.Any(p => !double.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out _)))
            throw Rejected(Line(element), field, text, "not a geopoint: expected 'latitude longitude [altitude [accuracy]]' in decimal degrees");
        return (parts[0], parts[1], parts.Length == 4 ? parts[3] : null);
    }

    /// <summary>ODK's geoshape "lat lon alt acc;lat lon alt acc;…" as a WKT polygon (lon lat order), closed.</summary>
    private string Polygon(string text, XElement element, string field)
    {
        var points = text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(p => Geopoint(p, element, field)).ToList();
        if (points.Count > 1 && points[0].Lat == points[^1].Lat && points[0].Lon == points[^1].Lon) points.RemoveAt(points.Count - 1);
        if (points.Count < 3) throw Rejected(Line(element), field, text, "a perimeter needs at least three distinct points");
        var wkt = new StringBuilder("POLYGON((");
        foreach (var p in points.Append(points[0])) wkt.Append(p.Lon).Append(' ').Append(p.Lat).Append(", ");
        wkt.Length -= 2;
        return wkt.Append("))").ToString();
    }

    private static int Line(XElement element) => element is IXmlLineInfo info && info.HasLineInfo() ? info.LineNumber : 0;

    private ImportRejectedException Rejected(int line, string? field, string? value, string reason) =>
        new([new ImportProblem(_path, line, field, value, reason)], 1);

    public void Dispose() { }
}
