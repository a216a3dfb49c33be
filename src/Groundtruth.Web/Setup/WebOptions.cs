namespace Groundtruth.Web.Setup;

/// <summary>
/// Settings of the pages, from configuration (<c>Groundtruth:BaseMapUrl</c>, <c>Groundtruth:BaseMapAttribution</c>,
/// <c>Groundtruth:Map:PmTiles</c>).
/// </summary>
/// <param name="BaseMapUrl">An XYZ tile URL template such as <c>https://tiles.example/{z}/{x}/{y}.png</c>; none by default, so the map works offline and asks no third party for tiles.</param>
/// <param name="PmTilesPath">A PMTiles vector basemap file on this machine (the programme downloads it once), served by the host itself at <see cref="PmTilesRoute"/>; relative to the folder the host starts in.</param>
public sealed record WebOptions(string? BaseMapUrl, string? BaseMapAttribution, string? PmTilesPath = null)
{
    public const string BaseMapUrlKey = "Groundtruth:BaseMapUrl";
    public const string BaseMapAttributionKey = "Groundtruth:BaseMapAttribution";
    public const string PmTilesKey = "Groundtruth:Map:PmTiles";

    /// <summary>Where the host serves the PMTiles file (with range requests, as the PMTiles reader asks).</summary>
    public const string PmTilesRoute = "/map/basemap.pmtiles";

    /// <summary>The scheme, host and port of the tile server, for the content security policy.</summary>
    public string? BaseMapOrigin =>
        Uri.TryCreate(BaseMapUrl?.Replace("{", "", StringComparison.Ordinal).Replace("}", "", StringComparison.Ordinal), UriKind.Absolute, out var uri)
            ? uri.GetLeftPart(UriPartial.Authority)
            : null;

    /// <summary>The PMTiles file's full path, or null when none is configured.</summary>
    public string? PmTilesFullPath => PmTilesPath is null ? null : Path.GetFullPath(PmTilesPath);

    public static WebOptions From(IConfiguration configuration) =>
        new(Blank(configuration[BaseMapUrlKey]), Blank(configuration[BaseMapAttributionKey]), Blank(configuration[PmTilesKey]));

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
