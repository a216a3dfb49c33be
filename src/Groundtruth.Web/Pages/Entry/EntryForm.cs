using System.Text.Json;
using System.Text.Json.Nodes;
using Groundtruth.Application.Datasets;
using Groundtruth.Application.Entry;
using Groundtruth.Application.Users;
using Microsoft.AspNetCore.Http;

namespace Groundtruth.Web.Pages.Entry;

/// <summary>
/// What the entry forms share: form names for the dataset's columns, the record built from a posted form, and the
/// importer's problems placed next to the inputs they concern.
/// </summary>
public sealed class EntryForm
{
    /// <summary>The input that carries the geometry as WKT or GeoJSON text.</summary>
    public const string Geometry = "geometry";

    /// <summary>Field → the form's text (kept on error); a casualty's fields under <c>c0.age</c>, <c>c1.age</c>, ….</summary>
    public Dictionary<string, string?> Values { get; } = new(StringComparer.Ordinal);

    /// <summary>Form key → reasons; keys are the input names (<c>status</c>, <c>c1.age_group</c>, <c>geometry</c>).</summary>
    public Dictionary<string, List<string>> Errors { get; } = new(StringComparer.Ordinal);

    /// <summary>Every problem, for the summary above the form: the input it concerns and the words (its <c>ToString</c> is the whole problem).</summary>
    public List<SummaryItem> Summary { get; } = [];

    public string? Value(string key) => Values.GetValueOrDefault(key);

    public IReadOnlyList<string> ErrorsOf(string key) => Errors.TryGetValue(key, out var e) ? e : [];

    /// <summary>The columns a person types: not computed, not the accident of a casualty entered with it, personal data only with the grant.</summary>
    public static IEnumerable<FieldSpec> Inputs(DatasetSpec dataset, bool personalData, bool withinAccident = false) =>
        dataset.Fields.Where(f => !f.Computed && (personalData || !f.Personal) && !(withinAccident && f.Name is "accident_id" or "occurred_on"));

    /// <summary>Reads the dataset's inputs (and, for a spatial dataset, lon/lat and the geometry text) from the form, under <paramref name="prefix"/>.</summary>
    public void Read(IFormCollection form, DatasetSpec dataset, bool personalData, string prefix = "", bool withinAccident = false)
    {
        foreach (var f in Inputs(dataset, personalData, withinAccident)) Values[prefix + f.Name] = Text(form, prefix + f.Name);
        if (!dataset.IsSpatial || withinAccident) return;
        foreach (var name in new[] { "lon", "lat", Geometry }) Values[prefix + name] = Text(form, prefix + name);
    }

    /// <summary>The record the importer reads: non-empty values by column name; GeoJSON text as a geometry object, other text as WKT.</summary>
    public JsonObject Record(DatasetSpec dataset, bool personalData, string prefix = "", bool withinAccident = false)
    {
        var record = new JsonObject();
        foreach (var f in Inputs(dataset, personalData, withinAccident))
        {
            if (Value(prefix + f.Name) is { } v) record[f.Name] = v;
        }
        if (!dataset.IsSpatial || withinAccident) return record;
        if (Value(prefix + "lon") is { } lon) record["lon"] = lon;
        if (Value(prefix + "lat") is { } lat) record["lat"] = lat;
        if (Value(prefix + Geometry) is { } g)
        {
            if (!g.StartsWith('{')) record["wkt"] = g;
            else
            {
                try
                {
                    record[Geometry] = JsonNode.Parse(g);
                }
                catch (JsonException e)
                {
                    Add(prefix + Geometry, "not valid GeoJSON: " + e.Message);
                    Summary.Add(new SummaryItem(prefix + Geometry, null, "not valid GeoJSON: " + e.Message));
                }
            }
        }
        return record;
    }

    /// <summary>A problem about the record's place (its geometry, WKT or coordinates).</summary>
    public static bool IsGeometryProblem(string field) => field is Geometry or "wkt" or "lon" or "lat" or "record";

    /// <summary>Places the entry's problems: <c>casualties[1].age</c> next to input <c>c1.age</c>, <c>wkt</c> next to the geometry.</summary>
    public void Show(IEnumerable<EntryProblem> problems)
    {
        foreach (var p in problems)
        {
            var key = p.Field;
            if (key.StartsWith("casualties[", StringComparison.Ordinal) && key.IndexOf(']') is var end and > 11)
                key = "c" + key[11..end] + "." + key[(end + 2)..];
            key = key.EndsWith("wkt", StringComparison.Ordinal) ? key[..^3] + Geometry : key;
            // The importer's reasons are English (the API and the CLI read them); the page says them in its language.
            var reason = Groundtruth.Application.Import.ImportReasons.Localise(p.Reason);
            Summary.Add(new SummaryItem(key, p.Value, reason));
            Add(key, reason);
        }
    }

    private void Add(string key, string reason)
    {
        if (!Errors.TryGetValue(key, out var list)) Errors[key] = list = [];
        list.Add(reason);
    }

    private static string? Text(IFormCollection form, string name) =>
        form.TryGetValue(name, out var v) && !string.IsNullOrWhiteSpace(v.ToString()) ? v.ToString().Trim() : null;
}

/// <summary>One problem of a posted form: the input it concerns (<c>found_on</c>, <c>c1.age</c>, <c>geometry</c>), the value and the reason.</summary>
public sealed record SummaryItem(string Key, string? Value, string Reason)
{
    /// <summary>The field's name within its dataset: <c>age</c> for <c>c1.age</c>.</summary>
    public string Field => Key.Contains('.', StringComparison.Ordinal) ? Key[(Key.IndexOf('.', StringComparison.Ordinal) + 1)..] : Key;

    public override string ToString() => Value is null ? $"{Key}: {Reason}" : $"{Key} '{Value}': {Reason}";
}

/// <summary>One input of an entry form: the column of its dataset, the form key it is posted under, and the form's values and errors.</summary>
/// <param name="NextId">For the id: the id given when it is left empty (<see cref="IdPatterns"/>); null when it must be typed.</param>
public sealed record FieldInput(DatasetSpec Dataset, FieldSpec Field, string Key, EntryForm Form, string? NextId = null);

/// <summary>The status-change form of one hazardous area, on its own page and on its register page.</summary>
public sealed record StatusForm(string Id, EntryForm Form, bool IsApprover)
{
    /// <summary>The form for a register row: its status and handover details, no reason yet, dated <paramref name="today"/>.</summary>
    public static StatusForm For(string id, IReadOnlyDictionary<string, object?> row, DateOnly today, bool isApprover)
    {
        var form = new EntryForm();
        foreach (var f in HazardStatusModel.Inputs) form.Values[f.Name] = row.GetValueOrDefault(f.Name)?.ToString();
        form.Values["status_reason"] = null;
        form.Values["recorded_on"] = Domain.PartialDate.FromDate(today).ToString();
        return new StatusForm(id, form, isApprover);
    }
}
