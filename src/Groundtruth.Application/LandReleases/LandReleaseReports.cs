using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Groundtruth.Analysis.LandReleases;
using Groundtruth.Application.History;
using Groundtruth.Domain;
using NetTopologySuite.IO.Converters;

namespace Groundtruth.Application.LandReleases;

/// <summary>How to group land release figures.</summary>
public enum ReleaseGrouping { None, Year, Month, Method, Organisation, Place }

/// <summary>The JSON and CSV of <c>groundtruth land-release</c> and <c>groundtruth hazards</c>.</summary>
public static class LandReleaseReports
{
    public const string ReleaseDefinition =
        "Land released (IMAS 07.11): the area of each land release output, in m² measured in the UTM zone of the output's centre, " +
        "summed by method — cancelled by non-technical survey, reduced by technical survey, cleared by clearance or battle area clearance. " +
        "An output counts in the window when its release date lies wholly inside it; outputs whose partial date straddles an edge are counted in 'straddling'. " +
        "Overlapping outputs are summed as reported; 'groundtruth check' lists them.";

    public const string HazardDefinition =
        "Open hazardous areas (status open or worked on) with their area, the part of it covered by the union of their released land, and the residual " +
        "(area minus released land), in m² in the UTM zone of each area's centre. Released land is not called safe: it is land where no evidence of " +
        "explosive ordnance remains after the survey or clearance recorded.";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };
    private static readonly JsonSerializerOptions GeoJson = new() { Converters = { new GeoJsonConverterFactory(SpatialRules.Factory) } };

    public static Func<ReleaseInput, string>? GroupKey(ReleaseGrouping by) => by switch
    {
        ReleaseGrouping.Year => r => r.ReleasedOn.Year.ToString(CultureInfo.InvariantCulture),
        ReleaseGrouping.Month => r => r.ReleasedOn.Precision == DatePrecision.Year ? $"{r.ReleasedOn.Year:D4}" : $"{r.ReleasedOn.Year:D4}-{r.ReleasedOn.Month:D2}",
        ReleaseGrouping.Method => r => SnakeCase.Of(r.Method),
        ReleaseGrouping.Organisation => r => r.Organisation ?? "(unknown)",
        ReleaseGrouping.Place => r => r.Place ?? "(outside every place)",
        _ => null,
    };

    private static JsonObject Areas(MethodAreas a) => new()
    {
        ["cancelled"] = Math.Round(a.Cancelled, 1),
        ["reduced"] = Math.Round(a.Reduced, 1),
        ["cleared"] = Math.Round(a.Cleared, 1),
        ["total"] = Math.Round(a.Total, 1),
    };

    private static JsonObject Filters(HistoryPoint point, DateOnly? from, DateOnly? to, string? by) => new()
    {
        ["from"] = from?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ["to"] = to?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ["by"] = by,
        ["as_of"] = point.AsOf?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ["recorded_before"] = point.RecordedBefore?.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
    };

    public static string ReleaseJson(ReleaseSummary s, ReleaseGrouping by, HistoryPoint point, DateOnly? from, DateOnly? to, DateTime computedAt)
    {
        var key = by == ReleaseGrouping.None ? null : SnakeCase.Of(by);
        var root = new JsonObject
        {
            ["dataset"] = "land-release",
            ["filters"] = Filters(point, from, to, key),
            ["definition"] = ReleaseDefinition,
            ["total"] = new JsonObject { ["area_m2"] = Areas(s.Total), ["count"] = s.Count },
            ["straddling"] = s.Straddling,
            ["groups"] = new JsonArray([.. s.Groups.Select(g => (JsonNode)new JsonObject { [key ?? "group"] = g.Key, ["area_m2"] = Areas(g.AreaM2), ["count"] = g.Count })]),
            ["computed_at"] = computedAt.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
        };
        return root.ToJsonString(Indented);
    }

    public static string ReleaseCsv(ReleaseSummary s, ReleaseGrouping by)
    {
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"{(by == ReleaseGrouping.None ? "group" : SnakeCase.Of(by))},cancelled_m2,reduced_m2,cleared_m2,total_m2,count");
        foreach (var g in s.Groups) sb.AppendLine(Row(g.Key, g.AreaM2, g.Count));
        sb.AppendLine(Row("total", s.Total, s.Count));
        return sb.ToString();
        static string Row(string key, MethodAreas a, int n) => string.Create(CultureInfo.InvariantCulture,
            $"{Csv(key)},{a.Cancelled:F1},{a.Reduced:F1},{a.Cleared:F1},{a.Total:F1},{n}");
    }

    public static string ProductivityJson(IReadOnlyList<Productivity> rows, HistoryPoint point, DateTime computedAt) => new JsonObject
    {
        ["definition"] = "m² released per day of work, by organisation and method; a day of work is a calendar day from an activity's start to its completion, inclusive.",
        ["filters"] = Filters(point, null, null, "organisation,method"),
        ["productivity"] = new JsonArray([.. rows.Select(p => (JsonNode)new JsonObject
        {
            ["organisation"] = p.Organisation,
            ["method"] = SnakeCase.Of(p.Method),
            ["area_m2"] = Math.Round(p.AreaM2, 1),
            ["days"] = p.Days,
            ["activities"] = p.Activities,
            ["m2_per_day"] = Math.Round(p.M2PerDay, 1),
        })]),
        ["computed_at"] = computedAt.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
    }.ToJsonString(Indented);

    private static JsonObject HazardProperties(ResidualHazard r) => new()
    {
        ["id"] = r.Hazard.Id,
        ["name"] = r.Hazard.Name,
        ["classification"] = SnakeCase.Of(r.Hazard.Classification),
        ["status"] = SnakeCase.Of(r.Hazard.Status),
        ["contamination"] = r.Hazard.Contamination,
        ["evidence"] = r.Hazard.Evidence,
        ["recorded_on"] = r.Hazard.RecordedOn?.ToString(),
        ["place"] = r.Hazard.Place,
        ["area_m2"] = Math.Round(r.AreaM2, 1),
        ["released_m2"] = Math.Round(r.ReleasedM2, 1),
        ["residual_m2"] = Math.Round(r.ResidualM2, 1),
    };

    public static string HazardsJson(IReadOnlyList<ResidualHazard> rows, HistoryPoint point, DateTime computedAt) => new JsonObject
    {
        ["dataset"] = "hazards",
        ["filters"] = Filters(point, null, null, null),
        ["definition"] = HazardDefinition,
        ["total"] = new JsonObject
        {
            ["count"] = rows.Count,
            ["area_m2"] = Math.Round(rows.Sum(r => r.AreaM2), 1),
            ["residual_m2"] = Math.Round(rows.Sum(r => r.ResidualM2), 1),
        },
        ["hazards"] = new JsonArray([.. rows.Select(r => (JsonNode)HazardProperties(r))]),
        ["computed_at"] = computedAt.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
    }.ToJsonString(Indented);

    /// <summary>Residual hazard geometries as GeoJSON.</summary>
    public static string HazardsGeoJson(IReadOnlyList<ResidualHazard> rows) => new JsonObject
    {
        ["type"] = "FeatureCollection",
        ["features"] = new JsonArray([.. rows.Select(r => (JsonNode)new JsonObject
        {
            ["type"] = "Feature",
            ["id"] = r.Hazard.Id,
            ["geometry"] = JsonSerializer.SerializeToNode(r.Residual, GeoJson),
            ["properties"] = HazardProperties(r),
        })]),
    }.ToJsonString();

    public static string HazardsCsv(IReadOnlyList<ResidualHazard> rows)
    {
        var sb = new StringBuilder("id,name,classification,status,contamination,place,recorded_on,area_m2,released_m2,residual_m2\n");
        foreach (var r in rows)
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"{Csv(r.Hazard.Id)},{Csv(r.Hazard.Name)},{SnakeCase.Of(r.Hazard.Classification)},{SnakeCase.Of(r.Hazard.Status)},{Csv(r.Hazard.Contamination)},{Csv(r.Hazard.Place)},{r.Hazard.RecordedOn},{r.AreaM2:F1},{r.ReleasedM2:F1},{r.ResidualM2:F1}"));
        return sb.ToString();
    }

    /// <summary>A text cell by the one CSV rule (<see cref="Export.CsvCell"/>).</summary>
    public static string Csv(string? s) => Export.CsvCell.Text(s);
}
