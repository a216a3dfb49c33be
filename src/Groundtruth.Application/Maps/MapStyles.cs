using Groundtruth.Application.Datasets;

namespace Groundtruth.Application.Maps;

/// <summary>How a layer is drawn: its outline or marker colour, and the share of it a fill covers.</summary>
/// <param name="Colour">#rrggbb, the stroke and (at <paramref name="FillOpacity"/>) the fill.</param>
/// <param name="StrokeWidthPixels">Outline or line width on screen, in CSS pixels (Leaflet's <c>weight</c>).</param>
/// <param name="FillOpacity">0 draws outlines only; points use <see cref="MapStyles.PointFillOpacity"/>.</param>
/// <param name="Dashed">A dashed outline: land no longer open (closed, handed over).</param>
public sealed record MapSymbol(string Colour, double StrokeWidthPixels, double FillOpacity, bool Dashed = false);

/// <summary>Records whose <paramref name="Field"/> holds one of <paramref name="Values"/> (the files' snake_case spellings), or, with <paramref name="Exclude"/>, none of them.</summary>
public sealed record MapCondition(string Field, IReadOnlyList<string> Values, bool Exclude = false);

/// <summary>One legend entry: the records it covers (all conditions hold; none for every record) and how they are drawn.</summary>
public sealed record MapLegendEntry(string Label, MapSymbol Symbol, IReadOnlyList<MapCondition> When);

/// <summary>A dataset's layer on the map: its title and its legend, in drawing order.</summary>
public sealed record MapLayerStyle(DatasetSpec Dataset, string Title, IReadOnlyList<MapLegendEntry> Legend);

/// <summary>
/// The map's colours and legend labels, in one place: the web map (<c>wwwroot/js/map.js</c>) draws with these
/// colours, and <c>init</c> writes them into the GeoPackage as QGIS default styles (<see cref="Storage.QgisLayerStyles"/>),
/// so QGIS opens the file looking like the web map. Change a colour here and in map.js together.
/// </summary>
public static class MapStyles
{
    /// <summary>Points are circles of this radius (CSS pixels), filled at this opacity.</summary>
    public const double PointRadiusPixels = 4;
    public const double PointFillOpacity = 0.8;
    public const double AreaFillOpacity = 0.35;

    /// <summary>What the map draws for a layer it has no colour for.</summary>
    public const string DefaultColour = "#333333";

    /// <summary>Hazardous areas by classification (IMAS 04.10).</summary>
    public static readonly IReadOnlyDictionary<string, string> HazardClassificationColours = new Dictionary<string, string>
    {
        ["confirmed"] = "#c0392b",
        ["suspected"] = "#e67e22",
        ["defined"] = "#8e44ad",
    };

    /// <summary>Statuses drawn with a dashed outline: the land is no longer open.</summary>
    public static readonly IReadOnlyList<string> DashedHazardStatuses = ["closed", "handed_over"];

    /// <summary>Minefield records by their record-accuracy verdict (the names of <c>records accuracy</c>); <c>none</c> when there is no verdict.</summary>
    public static readonly IReadOnlyDictionary<string, string> VerdictColours = new Dictionary<string, string>
    {
        ["confirmed"] = "#b2182b",
        ["not_found_after_processing"] = "#2166ac",
        ["not_yet_processed"] = "#e6ab02",
        ["excluded"] = "#7f7f7f",
        ["none"] = "#2c3e50",
    };

    public const string LandReleaseColour = "#1b7837";
    public const string PlaceColour = "#3d4a57";
    public const string FindColour = "#d35400";
    public const string AccidentColour = "#6a1b9a";
    public const string CasualtyColour = "#c2185b";

    /// <summary>Every spatial dataset's layer, from the bottom of the map to the top.</summary>
    public static IReadOnlyList<MapLayerStyle> Layers { get; } =
    [
        Single(DatasetCatalog.Places, "places", new MapSymbol(PlaceColour, 1, 0)),
        Single(DatasetCatalog.Lines, "lines", new MapSymbol(DefaultColour, 1, 0)),
        new(DatasetCatalog.Hazards, "hazards", [.. HazardLegend()]),
        Single(DatasetCatalog.Activities, "activities", new MapSymbol(DefaultColour, 1, AreaFillOpacity)),
        Single(DatasetCatalog.LandRelease, "land-release", new MapSymbol(LandReleaseColour, 1, AreaFillOpacity)),
        // The verdict is computed, not stored: in the file every record has the colour of "no verdict".
        Single(DatasetCatalog.MinefieldRecords, "minefield records", new MapSymbol(VerdictColours["none"], 3, AreaFillOpacity)),
        Single(DatasetCatalog.Finds, "finds", new MapSymbol(FindColour, 1, PointFillOpacity)),
        Single(DatasetCatalog.Accidents, "accidents", new MapSymbol(AccidentColour, 1, PointFillOpacity)),
        Single(DatasetCatalog.Casualties, "casualties", new MapSymbol(CasualtyColour, 1, PointFillOpacity)),
    ];

    private static MapLayerStyle Single(DatasetSpec dataset, string title, MapSymbol symbol) => new(dataset, title, [new(title, symbol, [])]);

    private static IEnumerable<MapLegendEntry> HazardLegend()
    {
        foreach (var (classification, colour) in HazardClassificationColours)
            yield return new(classification, new MapSymbol(colour, 1, AreaFillOpacity),
                [new("classification", [classification]), new("status", DashedHazardStatuses, Exclude: true)]);
        foreach (var (classification, colour) in HazardClassificationColours)
            yield return new($"{classification}, closed or handed over", new MapSymbol(colour, 1, AreaFillOpacity, Dashed: true),
                [new("classification", [classification]), new("status", DashedHazardStatuses)]);
    }
}
