using System.Text.Json;
using Groundtruth.Web.Setup;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Groundtruth.Application.Security;

namespace Groundtruth.Web.Pages;

/// <summary>The map: one layer per spatial dataset, from <c>/api/features</c>; no base map unless configured, so it works offline.</summary>
public sealed class MapModel(WebOptions options, Access access) : PageModel
{
    public string? BaseMapUrl => options.BaseMapUrl;
    public string? BaseMapAttribution => options.BaseMapAttribution;
    public bool Generalised { get; private set; }
    public string LayersJson { get; private set; } = "[]";

    public void OnGet()
    {
        Generalised = access.AggregatesOnly;
        var layers = new List<string> { "places", "hazards", "minefield-records", "land-release", "finds", "accidents" };
        if (!Generalised) layers.Add("casualties");
        LayersJson = JsonSerializer.Serialize(layers);
    }
}
