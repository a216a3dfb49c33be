using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Groundtruth.Analysis.LandReleases;
using Groundtruth.Analysis.Risk;
using Groundtruth.Application.History;
using Groundtruth.Application.LandReleases;
using Groundtruth.Application.Progress;
using Groundtruth.Application.Records;
using Groundtruth.Application.Storage;
using Groundtruth.Domain;
using Microsoft.EntityFrameworkCore;

namespace Groundtruth.Application.Risk;

/// <summary>A request for <c>groundtruth priorities</c>.</summary>
/// <param name="WeightsFile">The national authority's weights (JSON, docs/risk.md); the built-in defaults when null.</param>
public sealed record PrioritiesRequest(string? WeightsFile = null, HistoryPoint? At = null, string Actor = "cli", string Format = "table");

public sealed record PrioritiesReport(IReadOnlyList<PriorityRow> Rows, PriorityWeights Weights, string? RiskNote, bool WeightsChanged, DateTime ComputedAt);

/// <summary>
/// The likelihood of a risk map of the whole programme at <paramref name="cellM"/> under the current data, computed
/// elsewhere (a web host's kept map, <see cref="RiskService"/>); null when there is none to give, and the ranking maps
/// risk itself. A map that failed throws what its computation threw (<see cref="RiskDataException"/>: risk is left out).
/// </summary>
public delegate Task<KeptMap?> KeptRiskMap(double cellM, CancellationToken ct);

/// <summary>A risk map computed elsewhere: its likelihood, and the day its data were known before (the day after their latest date).</summary>
public sealed record KeptMap(RiskLikelihood Likelihood, DateOnly KnownBefore);

/// <summary>
/// Ranks open hazardous areas (open or worked on, their residual polygon) by the configurable score.
/// A weights file that differs from the weights last used is recorded in the audit log (before and after),
/// and every CSV or GeoJSON export is audited: the ranking is restricted to analysts and above.
/// </summary>
/// <param name="keptMap">Where a ranking of the current data takes its risk map from instead of mapping risk itself
/// (the web host's map of the same cell, which the risk page shows); null on the command line.</param>
public sealed class PrioritiesHandler(DatabaseTarget target, TimeProvider clock, KeptRiskMap? keptMap = null)
{
    public const string WeightsAction = "priority_weights";

    private static readonly JsonSerializerOptions WeightsJson = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
    };

    /// <exception cref="ArgumentException">The weights file is missing or not valid.</exception>
    public static PriorityWeights ReadWeights(string? file)
    {
        if (file is null) return new PriorityWeights();
        if (!File.Exists(file)) throw new InvalidRequestException("weights", $"no file '{file}'");
        try
        {
            var w = JsonSerializer.Deserialize<PriorityWeights>(File.ReadAllText(file), WeightsJson) ?? throw new InvalidRequestException("weights", $"{file}: empty weights file");
            w.Validate();
            return w;
        }
        catch (JsonException e) when (System.Text.RegularExpressions.Regex.Match(e.Message, "^The JSON property '([^']*)' could not be mapped") is { Success: true } unknown)
        {
            // A misspelt or unknown field: named, with the fields there are (not the serializer's words about .NET members).
            var fields = typeof(PriorityWeights).GetProperties().Where(p => p.CanWrite)
                .Select(p => WeightsJson.PropertyNamingPolicy?.ConvertName(p.Name) ?? p.Name).Order(StringComparer.Ordinal);
            throw new InvalidRequestException("weights", $"{file}: unknown field '{unknown.Groups[1].Value}'; the fields are {string.Join(", ", fields)}; see docs/risk.md", e);
        }
        catch (JsonException e)
        {
            throw new InvalidRequestException("weights", $"{file}: not a valid weights file ({e.Message}); see docs/risk.md");
        }
        catch (ArgumentException e)
        {
            // PriorityWeights.Validate: a negative or all-zero weight.
            throw new InvalidRequestException("weights", $"{file}: {e.Message}; see docs/risk.md", e);
        }
    }

    private static readonly JsonSerializerOptions CanonicalJson = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
    private static readonly JsonSerializerOptions GeoJsonOptions = new() { Converters = { new NetTopologySuite.IO.Converters.GeoJsonConverterFactory(SpatialRules.Factory) } };
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>
    /// The residual polygon of every open hazardous area with land left in it. A method of its own, so that the land
    /// release data it is computed from is not held while the risk map is made (issue 11: held by the caller's state
    /// machine, it added a gigabyte to the peak at scale 2500).
    /// </summary>
    private async Task<List<PriorityArea>> ResidualAreasAsync(HistoryPoint point, RiskProgress stages, CancellationToken ct)
    {
        var land = await LandReleaseData.LoadAsync(target, point, withPlaces: true, ct);
        stages.Report("residual polygons of the open hazardous areas", 0.03);
        var open = land.Hazards.Where(h => h.Status is HazardStatus.Open or HazardStatus.WorkedOn);
        return LandReleaseAccounting.Residuals(open, land.Releases, measureReleased: false)
            .Where(r => r.ResidualM2 > 0 && !r.Residual.IsEmpty)
            .Select(r => new PriorityArea(r.Hazard.Id, r.Hazard.Name, r.Hazard.Place, r.Residual, r.ResidualM2))
            .ToList();
    }

    /// <summary>
    /// The same areas as <see cref="ResidualAreasAsync"/> for the current state, from the hazardous areas and land
    /// release the risk inputs have already read (issue 11: read and parsed twice, 100,000 areas and 190,000 outputs at
    /// scale 2500). Only what the risk inputs lack is read here, without geometries: each area's name and status and
    /// each output's area. The rows are taken in the order <see cref="LandReleaseData"/> gives them (ids, ordinal), so
    /// each area's outputs are united in the same order; the place is looked up only for the areas ranked.
    /// </summary>
    private static async Task<List<PriorityArea>> ResidualAreasAsync(GroundtruthDbContext db, RiskData data, RiskProgress stages, CancellationToken ct)
    {
        stages.Report("residual polygons of the open hazardous areas", 0.3);
        var hazardGeometry = data.Hazards.ToDictionary(h => h.Id, h => h.Area, StringComparer.Ordinal);
        var releaseGeometry = data.Releases.ToDictionary(r => r.Id, r => r.Area, StringComparer.Ordinal);
        var openRows = await db.Hazards.AsNoTracking()
            .Where(h => h.Geometry != null && (h.Status == HazardStatus.Open || h.Status == HazardStatus.WorkedOn))
            .Select(h => new { h.Id, h.Name, h.Classification, h.Status, h.RecordedOn }).ToListAsync(ct);
        // A row written between the two reads is left out, as if read before it.
        var open = openRows.Where(h => hazardGeometry.ContainsKey(h.Id)).OrderBy(h => h.Id, StringComparer.Ordinal)
            .Select(h => new HazardInput(h.Id, h.Name, h.Classification, h.Status, null, null, h.RecordedOn, hazardGeometry[h.Id]))
            .ToList();
        var releaseRows = await db.LandReleases.AsNoTracking().Where(r => r.Geometry != null)
            .Select(r => new { r.Id, r.ActivityId, r.HazardId, r.Method, r.ReleasedOn, r.AreaM2 }).ToListAsync(ct);
        var releases = releaseRows.Where(r => releaseGeometry.ContainsKey(r.Id)).OrderBy(r => r.Id, StringComparer.Ordinal)
            .Select(r => new ReleaseInput(r.Id, r.ActivityId, r.HazardId, r.Method, r.ReleasedOn, r.AreaM2, releaseGeometry[r.Id]))
            .ToList();
        var places = await PlaceAssigner.LoadAsync(db, ct);
        return LandReleaseAccounting.Residuals(open, releases, measureReleased: false)
            .Where(r => r.ResidualM2 > 0 && !r.Residual.IsEmpty)
            .Select(r => new PriorityArea(r.Hazard.Id, r.Hazard.Name, places.PlaceOf(r.Hazard.Geometry.InteriorPoint), r.Residual, r.ResidualM2))
            .ToList();
    }

    public static string Canonical(PriorityWeights w) => JsonSerializer.Serialize(w, CanonicalJson);

    public async Task<PrioritiesReport> HandleAsync(PrioritiesRequest request, IProgress<WorkProgress>? progress = null, CancellationToken ct = default)
    {
        var weights = ReadWeights(request.WeightsFile);
        var stages = RiskHandler.Stages(progress);
        var point = request.At ?? HistoryPoint.Current;
        List<PriorityArea> areas;
        RiskLoad? load;
        await using var db = target.CreateContext();
        // A map kept elsewhere (the web host's) is asked for first: with it, the ranking reads only what it ranks with — no
        // finds, records or activities, which only the map learns from — and takes the data's latest date from the map, made
        // from the same data (issue 16: the web's ranking read a million finds again after its map had read them).
        KeptMap? kept = null;
        string? keptFailure = null;
        if (point.IsCurrent && keptMap is not null && weights.Risk > 0)
        {
            try
            {
                kept = await keptMap(weights.RiskCellM, ct);
            }
            catch (RiskDataException e)
            {
                keptFailure = e.Message;
            }
        }
        if (point.IsCurrent)
        {
            await SchemaGuard.EnsureCurrentAsync(db, ct);
            load = kept is null ? await RiskDataLoader.LoadAsync(db, point, null, ct, stages.Part(0, 0.3)) : await RiskDataLoader.LoadForRankingAsync(db, ct, stages.Part(0, 0.3));
            areas = await ResidualAreasAsync(db, load.Data, stages, ct);
        }
        else
        {
            stages.Report("reading hazardous areas and land release", 0);
            areas = await ResidualAreasAsync(point, stages, ct);
            await SchemaGuard.EnsureCurrentAsync(db, ct);
            load = await RiskDataLoader.LoadAsync(db, point, null, ct, stages.Part(0.05, 0.3));
        }
        var villages = load.Places.Where(p => p.Kind == PlaceKind.Village && p.Population is > 0)
            .Select(p => new PriorityVillage(p.Id, p.Name, p.Population!.Value, p.Geometry)).ToList();
        var roads = load.Data.Lines.Where(l => l.Kind is LineKind.Road or LineKind.Other).Select(l => l.Geometry).ToList();
        var latest = point.AsOf ?? (kept is { } k ? k.KnownBefore.AddDays(-1) : RiskModel.LatestDate(load.Data));
        var since = DateOnly.FromDayNumber(Math.Max(0, latest.DayNumber - (int)Math.Min(int.MaxValue, Math.Round(weights.AccidentsSinceYears * 365.25))));
        var accidents = load.Data.Accidents
            .Where(a => RiskScene.IsContamination(a) && a.OccurredOn.Start >= since && a.OccurredOn.End <= latest)
            .Select(a => (a.Lon, a.Lat)).ToList();

        Dictionary<string, double>? meanRisk = null;
        string? note = null;
        if (weights.Risk > 0 && areas.Count > 0 && keptFailure is not null) note = "risk left out (contributes 0): " + keptFailure;
        else if (weights.Risk > 0 && areas.Count > 0)
        {
            try
            {
                // The kept map is the same map: the same data, cell, options and cutoff (the day after the latest date;
                // RiskMapOutputs.ComputeAsync with an explicit cell), its likelihood read back bit for bit.
                if (kept is { Likelihood: var likelihood })
                {
                    stages.Report("mean risk of each area", 0.35);
                    meanRisk = Priorities.MeanRisk(likelihood.Grid, likelihood.Projection(), likelihood.Likelihood, areas);
                }
                else
                {
                    var map = RiskHandler.Sized(() => RiskModel.Map(load.Data, RiskModel.CutoffAfter(latest), new RiskOptions(CellM: weights.RiskCellM), stages.Part(0.35, 0.85)));
                    stages.Report("mean risk of each area", 0.85);
                    meanRisk = Priorities.MeanRisk(map, areas);
                }
            }
            catch (RiskDataException e)
            {
                note = "risk left out (contributes 0): " + e.Message;
            }
        }
        // Let the risk inputs go before the ranking (this method's state machine would hold them to its end): at scale
        // 2500 the ranking's garbage collections ran beside 5 million finds and the map's scene still alive.
        load = null;
        stages.Report("people, roads and accidents near each area", 0.9);
        var rows = Priorities.Rank(areas, villages, roads, accidents, meanRisk, weights);

        var now = clock.GetUtcNow().UtcDateTime;
        var canonical = Canonical(weights);
        var last = await db.AuditLog.AsNoTracking().Where(a => a.Action == WeightsAction).OrderByDescending(a => a.Id).Select(a => a.Detail).FirstOrDefaultAsync(ct);
        string? lastWeights = last is null ? null : JsonNode.Parse(last)?["after"]?.ToJsonString();
        var changed = request.WeightsFile is not null && lastWeights != canonical;
        if (changed || (lastWeights is null && request.WeightsFile is null))
        {
            db.AuditLog.Add(new AuditEntry
            {
                At = now,
                Actor = request.Actor,
                Action = WeightsAction,
                Detail = new JsonObject { ["file"] = request.WeightsFile, ["before"] = lastWeights is null ? null : JsonNode.Parse(lastWeights), ["after"] = JsonNode.Parse(canonical) }.ToJsonString(),
            });
        }
        if (request.Format is "csv" or "geojson")
        {
            db.AuditLog.Add(new AuditEntry
            {
                At = now,
                Actor = request.Actor,
                Action = "export_priorities",
                Detail = JsonSerializer.Serialize(new { format = request.Format, areas = rows.Count, restricted = true, at = point.ToString() }),
            });
        }
        await db.SaveChangesAsync(ct);
        return new PrioritiesReport(rows, weights, note, changed, now);
    }

    public static string Csv(PrioritiesReport report)
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine("# RESTRICTED: clearance priorities, analysts and above");
        sb.Append("rank,hazard_id,name,place,score");
        foreach (var c in PriorityWeights.Criteria) sb.Append(inv, $",{c}_raw,{c}_contribution");
        sb.AppendLine();
        foreach (var r in report.Rows)
        {
            sb.Append(inv, $"{r.Rank},{Quote(r.Area.Id)},{Quote(r.Area.Name)},{Quote(r.Area.Place)},{r.Score:0.0000}");
            foreach (var c in r.Criteria) sb.Append(inv, $",{(c.Raw is { } v ? v.ToString("0.###", inv) : "")},{c.Contribution:0.0000}");
            sb.AppendLine();
        }
        return sb.ToString();
    }

    private static string Quote(string? s) => Export.CsvCell.Text(s);

    public static string GeoJson(PrioritiesReport report)
    {
        var features = new JsonArray();
        foreach (var r in report.Rows)
        {
            var criteria = new JsonObject();
            foreach (var c in r.Criteria) criteria[c.Criterion] = new JsonObject { ["raw"] = c.Raw, ["normalised"] = Math.Round(c.Normalised, 4), ["contribution"] = Math.Round(c.Contribution, 4) };
            features.Add(new JsonObject
            {
                ["type"] = "Feature",
                ["geometry"] = JsonSerializer.SerializeToNode(r.Area.Residual, GeoJsonOptions),
                ["properties"] = new JsonObject
                {
                    ["rank"] = r.Rank, ["hazard_id"] = r.Area.Id, ["name"] = r.Area.Name, ["place"] = r.Area.Place,
                    ["residual_m2"] = Math.Round(r.Area.ResidualM2, 1), ["score"] = Math.Round(r.Score, 4), ["criteria"] = criteria,
                },
            });
        }
        return new JsonObject
        {
            ["type"] = "FeatureCollection",
            ["restricted"] = true,
            ["marking"] = "RESTRICTED: clearance priorities, analysts and above",
            ["weights"] = JsonNode.Parse(Canonical(report.Weights)),
            ["computed_at"] = report.ComputedAt.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            ["features"] = features,
        }.ToJsonString(Indented);
    }
}
