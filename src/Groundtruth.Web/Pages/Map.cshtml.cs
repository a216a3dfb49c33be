using System.Text.Json;
using Groundtruth.Web.Setup;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Groundtruth.Application.Security;

namespace Groundtruth.Web.Pages;

/// <summary>
/// The map: Natural Earth outlines served by the host (offline), a PMTiles basemap or tile server when configured,
/// and one layer per spatial dataset from <c>/api/features</c>, drawn in the order and colours of <c>js/map-style.js</c>.
/// </summary>
public sealed class MapModel(WebOptions options, Access access) : PageModel
{
    public string? BaseMapUrl => options.BaseMapUrl;
    public string? BaseMapAttribution => options.BaseMapAttribution;
    public string? PmTilesUrl => options.PmTilesPath is null ? null : WebOptions.PmTilesRoute;
    public bool Generalised { get; private set; }
    public bool RecordLinks => access.MayReadRecords;
    public string LayersJson { get; private set; } = "[]";

    public void OnGet()
    {
        Generalised = access.AggregatesOnly;
        var layers = new List<string> { "places", "hazards", "minefield-records", "land-release", "finds", "accidents" };
        if (!Generalised) layers.Add("casualties");
        LayersJson = JsonSerializer.Serialize(layers);
    }
}
