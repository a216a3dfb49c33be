using System.Globalization;

namespace Groundtruth.Web.Apis;

/// <summary>
/// A <c>bbox=minLon,minLat,maxLon,maxLat</c> query in WGS84 degrees, the order of RFC 7946 section 5
/// and of OGC API - Features.
/// </summary>
/// <remarks>
/// A record is selected when its own bounding box meets this one; touching an edge counts, as a point
/// on a boundary counts as inside everywhere in Groundtruth. Boxes that cross the antimeridian
/// (west &gt; east) are refused rather than misread.
/// </remarks>
public readonly record struct BoundingBox(double MinLon, double MinLat, double MaxLon, double MaxLat)
{
    public const string Format = "minLon,minLat,maxLon,maxLat";

    /// <summary>Parses the query text; on failure <paramref name="problem"/> says what is wrong in words a caller can act on.</summary>
    public static bool TryParse(string? text, out BoundingBox box, out string? problem)
    {
        box = default;
        var parts = (text ?? "").Split(',');
        if (parts.Length != 4)
        {
            problem = $"bbox must be four numbers, {Format}; got {parts.Length} value(s)";
            return false;
        }
        var values = new double[4];
        for (var i = 0; i < 4; i++)
        {
            if (!double.TryParse(parts[i].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]) || !double.IsFinite(values[i]))
            {
                problem = $"bbox value '{parts[i].Trim()}' is not a number; expected {Format} in decimal degrees";
                return false;
            }
        }
        var (minLon, minLat, maxLon, maxLat) = (values[0], values[1], values[2], values[3]);
        problem = (minLon, minLat, maxLon, maxLat) switch
        {
            _ when minLon is < -180 or > 180 || maxLon is < -180 or > 180 => "bbox longitudes must lie between -180 and 180",
            _ when minLat is < -90 or > 90 || maxLat is < -90 or > 90 => "bbox latitudes must lie between -90 and 90",
            _ when minLat > maxLat => "bbox minLat is greater than maxLat",
            _ when minLon > maxLon => "bbox minLon is greater than maxLon (boxes crossing the antimeridian are not supported)",
            _ => null,
        };
        if (problem is not null) return false;
        box = new BoundingBox(minLon, minLat, maxLon, maxLat);
        return true;
    }
}
