using Groundtruth.Analysis.Records;
using Groundtruth.Analysis.Risk;
using Groundtruth.Application.Datasets;
using Groundtruth.Application.History;
using Groundtruth.Application.Records;
using Groundtruth.Application.Storage;
using Groundtruth.Domain;
using NetTopologySuite.Geometries;
using NetTopologySuite.Operation.Union;

namespace Groundtruth.Application.Risk;

/// <summary>A place of the gazetteer as the priorities and the area selection see it.</summary>
public sealed record PlaceInput(string Id, string Name, PlaceKind Kind, long? Population, Geometry Geometry);

/// <summary>The risk inputs and the gazetteer, read from the versions at a point in history.</summary>
public sealed record RiskLoad(RiskData Data, IReadOnlyList<PlaceInput> Places, string AreaName);

/// <summary>
/// Loads what the risk model may look at (approved data, as the versions held it at a <see cref="HistoryPoint"/>):
/// finds, accidents, minefield records, lines, hazardous areas, land release and activities; and the
/// area — the <c>--in</c> place, else the union of the country polygons, else the data's extent.
/// </summary>
public static class RiskDataLoader
{
    private static readonly ActivityType[] ProcessingTypes = [ActivityType.TechnicalSurvey, ActivityType.Clearance, ActivityType.BattleAreaClearance];
    private static readonly ActivityType[] SurveyTypes = [ActivityType.NonTechnicalSurvey, .. ProcessingTypes];

    public static async Task<RiskLoad> LoadAsync(GroundtruthDbContext db, HistoryPoint point, string? place, CancellationToken ct, RiskProgress? progress = null)
    {
        progress ??= RiskProgress.None;
        progress.Report("reading places", 0);
        var places = (await VersionReader.ReadAsync(db, DatasetCatalog.Places, point, ct))
            .Where(p => p.Geometry is not null)
            .Select(p => new PlaceInput(p.Id, p.Text("name") ?? p.Id, p.Enum<PlaceKind>("kind") ?? PlaceKind.Village, (long?)p.Number("population"), p.Geometry!))
            .ToList();
        progress.Report("reading finds", 0.05);
        var finds = RecordInputs.Finds(await VersionReader.ReadAsync(db, DatasetCatalog.Finds, point, ct)).ToList();
        progress.Report("reading accidents", 0.6);
        var accidents = RecordInputs.Accidents(await VersionReader.ReadAsync(db, DatasetCatalog.Accidents, point, ct)).ToList();
        progress.Report("reading minefield records", 0.7);
        var records = (await VersionReader.ReadAsync(db, DatasetCatalog.MinefieldRecords, point, ct))
            .Where(r => r.Geometry is not null)
            .Select(r => new RiskRecordInput(
                RecordInputs.Record(r),
                r.Date("handed_over_on")))
            .ToList();
        progress.Report("reading lines", 0.75);
        var lines = (await VersionReader.ReadAsync(db, DatasetCatalog.Lines, point, ct))
            .Where(l => l.Geometry is not null)
            .Select(l => new RiskLineInput(l.Id, l.Enum<LineKind>("kind") ?? LineKind.Other, l.Geometry!))
            .ToList();
        progress.Report("reading hazardous areas", 0.77);
        var hazards = (await VersionReader.ReadAsync(db, DatasetCatalog.Hazards, point, ct))
            .Where(h => h.Geometry is IPolygonal)
            .Select(h => new DatedAreaInput(h.Id, h.Geometry!, h.Date("recorded_on")))
            .ToList();
        progress.Report("reading land release", 0.82);
        var releaseRows = (await VersionReader.ReadAsync(db, DatasetCatalog.LandRelease, point, ct)).Where(l => l.Geometry is IPolygonal).ToList();
        progress.Report("reading activities", 0.88);
        var activities = (await VersionReader.ReadAsync(db, DatasetCatalog.Activities, point, ct))
            .Where(a => a.Geometry is IPolygonal && a.Enum<ActivityType>("type") is { } t && SurveyTypes.Contains(t))
            .ToList();
        var releases = releaseRows.Select(l => new DatedAreaInput(l.Id, l.Geometry!, l.Date("released_on"))).ToList();
        var surveys = activities.Select(a => new SurveyInput(a.Id, a.Geometry!, a.Date("started_on"))).ToList();
        var processed = activities
            .Where(a => ProcessingTypes.Contains(a.Enum<ActivityType>("type")!.Value))
            .Select(a => new ProcessedLandInput(a.Id, a.Geometry!, a.Date("started_on"), a.Date("completed_on")))
            .Concat(releaseRows.Where(l => l.Enum<ReleaseMethod>("method") != ReleaseMethod.Cancelled)
                .Select(l => new ProcessedLandInput(l.Id, l.Geometry!, l.Date("released_on"), l.Date("released_on"))))
            .ToList();

        progress.Report("choosing the area", 0.98);
        var (area, name) = Area(place, places, finds, accidents, hazards, records);
        return new RiskLoad(new RiskData(area, finds, accidents, records, lines, hazards, releases, surveys, processed), places, name);
    }

    /// <summary>Finds a place by id or name (case-insensitive).</summary>
    /// <exception cref="ArgumentException">No such place, or it has no polygon.</exception>
    public static PlaceInput FindPlace(string place, IReadOnlyList<PlaceInput> places)
    {
        var match = places.FirstOrDefault(p => string.Equals(p.Id, place, StringComparison.OrdinalIgnoreCase))
            ?? places.FirstOrDefault(p => string.Equals(p.Name, place, StringComparison.OrdinalIgnoreCase));
        var polygons = places.Where(p => p.Geometry is IPolygonal).Select(p => $"{p.Name} ({p.Id})").Take(30);
        if (match is null) throw new ArgumentException($"--in: no place '{place}'; places with an area: {string.Join(", ", polygons)}");
        if (match.Geometry is not IPolygonal) throw new ArgumentException($"--in: place '{place}' is a point, not an area; places with an area: {string.Join(", ", polygons)}");
        return match;
    }

    private static (Geometry Area, string Name) Area(string? place, List<PlaceInput> places, List<FindInput> finds, List<AccidentInput> accidents, List<DatedAreaInput> hazards, List<RiskRecordInput> records)
    {
        if (place is not null)
        {
            var p = FindPlace(place, places);
            return (p.Geometry, $"{p.Name} ({p.Id})");
        }
        var countries = places.Where(p => p.Kind == PlaceKind.Country && p.Geometry is IPolygonal).ToList();
        if (countries.Count > 0)
            return (countries.Count == 1 ? countries[0].Geometry : UnaryUnionOp.Union(countries.Select(c => c.Geometry).ToList()), string.Join(", ", countries.Select(c => c.Name)));
        var extent = new Envelope();
        foreach (var f in finds) extent.ExpandToInclude(f.Lon, f.Lat);
        foreach (var a in accidents) extent.ExpandToInclude(a.Lon, a.Lat);
        foreach (var h in hazards) extent.ExpandToInclude(h.Area.EnvelopeInternal);
        foreach (var r in records) extent.ExpandToInclude(r.Record.Footprint.EnvelopeInternal);
        if (extent.IsNull) return (Polygon.Empty, "no data");
        extent.ExpandBy(0.01);
        return (new GeometryFactory(new PrecisionModel(), SpatialRules.Wgs84).ToGeometry(extent), "the extent of the data");
    }
}
