namespace Groundtruth.Web.Setup;

/// <summary>Settings of the pages, from configuration (<c>Groundtruth:BaseMapUrl</c>, <c>Groundtruth:BaseMapAttribution</c>).</summary>
/// <param name="BaseMapUrl">An XYZ tile URL template such as <c>https://tiles.example/{z}/{x}/{y}.png</c>; none by default, so the map works offline and asks no third party for tiles.</param>
public sealed record WebOptions(string? BaseMapUrl, string? BaseMapAttribution)
{
    public const string BaseMapUrlKey = "Groundtruth:BaseMapUrl";
    public const string BaseMapAttributionKey = "Groundtruth:BaseMapAttribution";

    /// <summary>The scheme, host and port of the tile server, for the content security policy.</summary>
    public string? BaseMapOrigin =>
        Uri.TryCreate(BaseMapUrl?.Replace("{", "", StringComparison.Ordinal).Replace("}", "", StringComparison.Ordinal), UriKind.Absolute, out var uri)
            ? uri.GetLeftPart(UriPartial.Authority)
            : null;

    public static WebOptions From(IConfiguration configuration) =>
        new(Blank(configuration[BaseMapUrlKey]), Blank(configuration[BaseMapAttributionKey]));

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
