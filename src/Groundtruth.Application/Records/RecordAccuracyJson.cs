using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Groundtruth.Analysis.Records;
using Groundtruth.Domain;
using NetTopologySuite.IO.Converters;

namespace Groundtruth.Application.Records;

/// <summary>The JSON and GeoJSON of a record-accuracy report (the field names of DESIGN section 5 are a contract).</summary>
public static class RecordAccuracyJson
{
    public const string Definition =
        "Records are buffered by their stated positional uncertainty (or --buffer). Processed land is the union of technical survey, " +
        "clearance and battle area clearance areas under way in the window and their reduced and cleared outputs. A record is evaluated " +
        "when at least --min-processed of its footprint lies in processed land, and confirmed when a mine find lies inside it; " +
        "record_confirmation_rate = confirmed evaluated records / evaluated records. find_coverage = mine devices found in processed land " +
        "inside some record / all mine devices found in processed land. accident_outside_share = mine accidents outside every record laid by " +
        "then / all mine accidents. Intervals: 95% bootstrap resampled by record.";

    private static readonly JsonSerializerOptions GeoJson = new() { Converters = { new GeoJsonConverterFactory(SpatialRules.Factory) } };

    public static JsonObject Result(RecordAccuracyResult r)
    {
        var o = new JsonObject
        {
            ["records"] = r.Records,
            ["evaluated_records"] = r.EvaluatedRecords,
            ["confirmed_records"] = r.ConfirmedRecords,
            ["record_confirmation_rate"] = r.RecordConfirmationRate,
            ["record_confirmation_rate_ci"] = Ci(r.RecordConfirmationRateCi),
            ["finds"] = r.Finds,
            ["finds_inside_records"] = r.FindsInsideRecords,
            ["find_coverage"] = r.FindCoverage,
            ["find_coverage_ci"] = Ci(r.FindCoverageCi),
            ["accidents"] = r.Accidents,
            ["accidents_outside_records"] = r.AccidentsOutsideRecords,
            ["accident_outside_share"] = r.AccidentOutsideShare,
            ["accident_outside_share_ci"] = Ci(r.AccidentOutsideShareCi),
            ["median_find_offset_m"] = r.MedianFindOffsetM,
            ["p90_find_offset_m"] = r.P90FindOffsetM,
            ["devices_found_vs_declared"] = new JsonObject { ["declared"] = r.DevicesDeclared, ["found"] = r.DevicesFoundInEvaluatedRecords },
            ["exclusions"] = new JsonObject
            {
                ["demining_accidents"] = r.Exclusions.DeminingAccidents,
                ["non_mine_accidents"] = r.Exclusions.NonMineAccidents,
                ["accidents_before_laying"] = r.Exclusions.AccidentsBeforeLaying,
                ["imprecise_accidents"] = r.Exclusions.ImpreciseAccidents,
                ["straddling_accidents"] = r.Exclusions.StraddlingAccidents,
                ["spot_find_devices_outside_processed_land"] = r.Exclusions.SpotFindDevicesOutsideProcessedLand,
                ["cached_devices"] = r.Exclusions.CachedDevices,
                ["non_mine_devices"] = r.Exclusions.NonMineDevices,
                ["straddling_finds"] = r.Exclusions.StraddlingFinds,
                ["invalid_records"] = new JsonArray([.. r.Exclusions.InvalidRecords.Select(id => (JsonNode)id!)]),
            },
            ["coverage_over_buffer"] = new JsonArray([.. r.CoverageOverBuffer.Select(c => (JsonNode)new JsonObject
            {
                ["buffer_m"] = c.BufferM,
                ["finds_inside_records"] = c.FindsInsideRecords,
                ["find_coverage"] = c.FindCoverage,
            })]),
            ["per_record"] = new JsonArray([.. r.PerRecord.Select(p => (JsonNode)Row(p))]),
        };
        return o;
    }

    public static JsonObject Row(RecordRow p) => new()
    {
        ["id"] = p.Id,
        ["source"] = p.Source,
        ["place"] = p.Place,
        ["declared_devices"] = p.DeclaredDevices,
        ["devices_found_inside"] = p.DevicesFoundInside,
        ["area_m2"] = Math.Round(p.AreaM2, 1),
        ["processed_m2"] = Math.Round(p.ProcessedM2, 1),
        ["processed_share"] = Math.Round(p.ProcessedShare, 4),
        ["buffer_m"] = p.BufferM,
        ["verdict"] = SnakeCase.Of(p.Verdict),
        ["nearest_outside_find_m"] = p.NearestOutsideFindM is { } d ? Math.Round(d, 1) : null,
    };

    public static string Report(RecordAccuracyReport report)
    {
        var o = Result(report.Overall);
        var opt = report.Request.Options;
        var filters = new JsonObject
        {
            ["from"] = opt.From?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["to"] = opt.To?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["buffer_m"] = opt.BufferM,
            ["min_processed"] = opt.MinProcessed,
            ["max_accident_accuracy_m"] = opt.AccidentThresholdM,
            ["source"] = report.Request.Source,
            ["by"] = report.Request.By == RecordGrouping.None ? null : SnakeCase.Of(report.Request.By),
        };
        var root = new JsonObject
        {
            ["filters"] = filters,
            ["definition"] = Definition,
            ["caveat"] = RecordAccuracyResult.Caveat,
            ["computed_at"] = report.ComputedAt.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            ["projection"] = $"EPSG:{report.Overall.ProjectionEpsg}",
        };
        foreach (var (k, v) in o.ToList()) { o.Remove(k); root[k] = v; }
        if (report.Groups.Count > 0)
        {
            var key = SnakeCase.Of(report.Request.By);
            root["groups"] = new JsonArray([.. report.Groups.Select(g =>
            {
                var node = Result(g.Result);
                node.Insert(0, key, g.Group);
                return (JsonNode)node;
            })]);
        }
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    /// <summary>The records with their verdicts as GeoJSON (RFC 7946), for a map.</summary>
    public static string Features(RecordAccuracyReport report)
    {
        var features = new JsonArray();
        foreach (var row in report.Overall.PerRecord)
        {
            var props = Row(row);
            props["caveat"] = RecordAccuracyResult.Caveat;
            features.Add(new JsonObject
            {
                ["type"] = "Feature",
                ["id"] = row.Id,
                ["geometry"] = JsonSerializer.SerializeToNode(report.Footprints[row.Id], GeoJson),
                ["properties"] = props,
            });
        }
        return new JsonObject { ["type"] = "FeatureCollection", ["features"] = features }.ToJsonString();
    }

    private static JsonArray? Ci(double[]? ci) => ci is null ? null : new JsonArray(Math.Round(ci[0], 4), Math.Round(ci[1], 4));
}
