using System.Text.Json;
using System.Text.Json.Nodes;

namespace Groundtruth.Web.Pages;

/// <summary>One thing a small map draws (js/record-map.js): a GeoJSON geometry in a layer's colour (js/map-style.js).</summary>
/// <param name="Layer">The map's layer name, the dataset's (<c>hazards</c>, <c>land-release</c>).</param>
/// <param name="Role"><c>incoming</c>, <c>current</c> (dashed grey), <c>record</c> or <c>related</c>.</param>
/// <param name="Class">The class within the layer that picks its colour (a hazardous area's classification).</param>
public sealed record MapFeature(string? Geometry, string Layer, string Role, string? Class = null, string? Label = null, string? Href = null);

public static class MapFeatures
{
    /// <summary>The features with a geometry, as the <c>data-features</c> attribute takes them; null when none has one.</summary>
    public static string? Json(IEnumerable<MapFeature> features)
    {
        var list = new JsonArray();
        foreach (var f in features.Where(f => f.Geometry is not null))
        {
            list.Add(new JsonObject
            {
                ["geometry"] = JsonNode.Parse(f.Geometry!),
                ["layer"] = f.Layer,
                ["role"] = f.Role,
                ["cls"] = f.Class,
                ["label"] = f.Label,
                ["href"] = f.Href,
            });
        }
        return list.Count == 0 ? null : list.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    /// <summary>The path of a record's page.</summary>
    public static string RecordHref(string dataset, string id) => $"/registers/{dataset}/{Uri.EscapeDataString(id)}";
}
