using Groundtruth.Analysis.Records;
using Groundtruth.Analysis.Risk;
using Groundtruth.Application.Datasets;
using Groundtruth.Application.History;
using Groundtruth.Application.Records;
using Groundtruth.Application.Storage;
using Groundtruth.Domain;
using Microsoft.EntityFrameworkCore;
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

    /// <summary>The survey kinds by their stored text (<see cref="SnakeCase.Of{TEnum}"/>, as the storage's converter writes them).</summary>
    private static readonly Dictionary<string, ActivityType> SurveyTypeTexts = SurveyTypes.ToDictionary(t => SnakeCase.Of(t), StringComparer.Ordinal);

    public static async Task<RiskLoad> LoadAsync(GroundtruthDbContext db, HistoryPoint point, string? place, CancellationToken ct, RiskProgress? progress = null)
    {
        progress ??= RiskProgress.None;
        // The current approved state is in the layer tables, typed; the past is read through the history
        // shadow tables (the versions as they stood at the point), so one typed loader serves both.
        if (!point.IsCurrent)
        {
            progress.Report("reading the data as it stood then", 0);
            await HistoryScope.ShadowAsync(db, point, [DatasetCatalog.Places, DatasetCatalog.Finds, DatasetCatalog.Accidents, DatasetCatalog.MinefieldRecords,
                DatasetCatalog.Lines, DatasetCatalog.Hazards, DatasetCatalog.LandRelease, DatasetCatalog.Activities], ct);
        }
        // From the layer tables the reading is spread over connections (a history shadow lives on this connection only, so
        // the past is read here in turn): the finds (a million rows at national scale) beside (on the GeoPackage, in two
        // halves on two), the accidents, minefield records and lines on another, the places and areas here. Each table is read as it would be alone.
        // The finds without their ids, in the order the store hands them: the model never names a find, and no figure it
        // makes depends on the finds' order (every sum over them is of whole numbers; a test shuffles them).
        var findsBeside = point.IsCurrent ? FindPoints.ReadBesideAsync(db, withIds: false, ct) : null;
        var eventsBeside = point.IsCurrent ? db.ReadBesideAsync(other => ReadPointsAndLinesAsync(other, ct), ct) : null;
        progress.Report("reading places", 0.05);
        var places = await ReadPlacesAsync(db, ct);
        progress.Report("reading hazardous areas", 0.1);
        var hazards = await ReadHazardsAsync(db, ct);
        progress.Report("reading land release", 0.2);
        var releaseRows = await ReadReleasesAsync(db, ct);
        progress.Report("reading activities", 0.3);
        var activities = await ReadActivitiesAsync(db, ct);
        var releases = releaseRows.Select(l => new DatedAreaInput(l.Id, l.Geometry, l.ReleasedOn)).ToList();
        var surveys = activities.Select(a => new SurveyInput(a.Id, a.Geometry, a.StartedOn)).ToList();
        var processed = activities
            .Where(a => ProcessingTypes.Contains(a.Type))
            .Select(a => new ProcessedLandInput(a.Id, a.Geometry, a.StartedOn, a.CompletedOn))
            .Concat(releaseRows.Where(l => l.Method != ReleaseMethod.Cancelled)
                .Select(l => new ProcessedLandInput(l.Id, l.Geometry, l.ReleasedOn, l.ReleasedOn)))
            .ToList();

        progress.Report("reading finds and accidents", 0.5);
        var (accidents, records, lines) = eventsBeside is null ? await ReadPointsAndLinesAsync(db, ct) : await eventsBeside;
        var finds = findsBeside is null ? await FindPoints.ReadAsync(db, withIds: false, ct) : await findsBeside;
        progress.Report("reading covariate rasters", 0.95);
        var covariates = await CovariateLayersService.ReadAllAsync(db, ct);
        progress.Report("choosing the area", 0.98);
        var (area, name) = Area(place, places, finds, accidents, hazards, records);
        return new RiskLoad(new RiskData(area, finds, accidents, records, lines, hazards, releases, surveys, processed) { Covariates = covariates }, places, name);
    }

    /// <summary>
    /// What a ranking of the current data reads beside a risk map kept elsewhere (<see cref="PrioritiesHandler"/>): the places,
    /// hazardous areas, land release, lines and accidents, as <see cref="LoadAsync"/> reads them; no finds, minefield records
    /// or activities (only the map learns from them: the lists are empty). The area is the countries' union or the extent of
    /// what was read.
    /// </summary>
    public static async Task<RiskLoad> LoadForRankingAsync(GroundtruthDbContext db, CancellationToken ct, RiskProgress? progress = null)
    {
        progress ??= RiskProgress.None;
        var eventsBeside = db.ReadBesideAsync(async other =>
        {
            var accidents = RowOrder.ById(await AccidentPoints.ReadAsync(other, ct), x => x.Id);
            return (accidents, await ReadLinesAsync(other, ct));
        }, ct);
        progress.Report("reading places", 0.05);
        var places = await ReadPlacesAsync(db, ct);
        progress.Report("reading hazardous areas", 0.2);
        var hazards = await ReadHazardsAsync(db, ct);
        progress.Report("reading land release", 0.5);
        var releases = (await ReadReleasesAsync(db, ct)).Select(l => new DatedAreaInput(l.Id, l.Geometry, l.ReleasedOn)).ToList();
        progress.Report("reading accidents", 0.8);
        var (accidents, lines) = await eventsBeside;
        var (area, name) = Area(null, places, [], accidents, hazards, []);
        return new RiskLoad(new RiskData(area, [], accidents, [], lines, hazards, releases, [], []), places, name);
    }

    /// <summary>The accidents, minefield records and lines, each in the order of their ids.</summary>
    private static async Task<(List<AccidentInput>, List<RiskRecordInput>, List<RiskLineInput>)> ReadPointsAndLinesAsync(GroundtruthDbContext db, CancellationToken ct)
    {
        var accidents = RowOrder.ById(await AccidentPoints.ReadAsync(db, ct), x => x.Id);
        var records = RowOrder.ById(await db.MinefieldRecords.AsNoTracking().Where(r => r.Geometry != null)
                .Select(r => new { r.Id, r.Source, r.Geometry, r.DeclaredDevices, r.LaidOn, r.PositionUncertaintyM, r.HandedOverOn }).ToListAsync(ct), r => r.Id)
            .Select(r => new RiskRecordInput(new RecordInput(r.Id, r.Source, r.Geometry!, r.DeclaredDevices, r.LaidOn, r.PositionUncertaintyM), r.HandedOverOn))
            .ToList();
        return (accidents, records, await ReadLinesAsync(db, ct));
    }

    private static async Task<List<PlaceInput>> ReadPlacesAsync(GroundtruthDbContext db, CancellationToken ct) =>
        RowOrder.ById(await db.Places.AsNoTracking().Where(p => p.Geometry != null)
                .Select(p => new { p.Id, p.Name, p.Kind, p.Population, p.Geometry }).ToListAsync(ct), p => p.Id)
            .Select(p => new PlaceInput(p.Id, p.Name, p.Kind, p.Population, p.Geometry!))
            .ToList();

    // The areas (tens of thousands of polygons at national scale) are read as the typed queries' rows without EF's per-row
    // materialisation (RawRows: the same SQL, so a history shadow answers as it would), each distinct date and kind parsed once
    // (issue 16: EF took 0.6 processor seconds for scale 500's activities, the same rows read raw 0.15). Tests compare the
    // loaded data with the typed queries' on both stores.

    private sealed record ActivityRow(string Id, Geometry Geometry, ActivityType Type, PartialDate? StartedOn, PartialDate? CompletedOn);

    /// <summary>The surveys, technical surveys, clearances and battle area clearances with an area, in the order of their ids.</summary>
    private static async Task<List<ActivityRow>> ReadActivitiesAsync(GroundtruthDbContext db, CancellationToken ct)
    {
        // The kinds kept are those whose stored text is exactly a survey kind's, as the typed query's `type IN (…)` keeps them
        // (any other text, another spelling of a kind included, is left out, not parsed).
        var types = new ParsedText<ActivityType?>(text => SurveyTypeTexts.TryGetValue(text, out var type) ? type : null);
        var dates = new ParsedText<PartialDate>(PartialDate.Parse);
        return RowOrder.ById(await RawRows.ReadAsync(db, db.Activities.AsNoTracking().Where(a => a.Geometry != null).Select(a => new { a.Id, a.Type, a.Geometry, a.StartedOn, a.CompletedOn }),
            r => !r.IsDBNull(1) && r.GetParsed(1, types) is { } type
                ? new ActivityRow(r.GetString(0), r.GetGeometry(2), type, r.IsDBNull(3) ? null : r.GetParsed(3, dates), r.IsDBNull(4) ? null : r.GetParsed(4, dates))
                : null, ct), a => a.Id);
    }

    private static async Task<List<DatedAreaInput>> ReadHazardsAsync(GroundtruthDbContext db, CancellationToken ct)
    {
        var dates = new ParsedText<PartialDate>(PartialDate.Parse);
        return RowOrder.ById(await RawRows.ReadAsync(db, db.Hazards.AsNoTracking().Where(h => h.Geometry != null).Select(h => new { h.Id, h.Geometry, h.RecordedOn }),
            r => new DatedAreaInput(r.GetString(0), r.GetGeometry(1), r.IsDBNull(2) ? null : r.GetParsed(2, dates)), ct), h => h.Id);
    }

    private sealed record ReleaseRow(string Id, Geometry Geometry, PartialDate ReleasedOn, ReleaseMethod Method);

    private static async Task<List<ReleaseRow>> ReadReleasesAsync(GroundtruthDbContext db, CancellationToken ct)
    {
        var dates = new ParsedText<PartialDate>(PartialDate.Parse);
        var methods = new ParsedText<ReleaseMethod>(SnakeCase.Parse<ReleaseMethod>);
        return RowOrder.ById(await RawRows.ReadAsync(db, db.LandReleases.AsNoTracking().Where(l => l.Geometry != null).Select(l => new { l.Id, l.Geometry, l.ReleasedOn, l.Method }),
            r => new ReleaseRow(r.GetString(0), r.GetGeometry(1), r.GetParsed(2, dates), r.GetParsed(3, methods)), ct), l => l.Id);
    }

    private static async Task<List<RiskLineInput>> ReadLinesAsync(GroundtruthDbContext db, CancellationToken ct) =>
        RowOrder.ById(await db.Lines.AsNoTracking().Where(l => l.Geometry != null).Select(l => new { l.Id, l.Kind, l.Geometry }).ToListAsync(ct), l => l.Id)
            .Select(l => new RiskLineInput(l.Id, l.Kind, l.Geometry!))
            .ToList();


    /// <summary>Finds a place by id or name (case-insensitive).</summary>
    /// <exception cref="ArgumentException">No such place, or it has no polygon.</exception>
    public static PlaceInput FindPlace(string place, IReadOnlyList<PlaceInput> places)
    {
        var match = places.FirstOrDefault(p => string.Equals(p.Id, place, StringComparison.OrdinalIgnoreCase))
            ?? places.FirstOrDefault(p => string.Equals(p.Name, place, StringComparison.OrdinalIgnoreCase));
        var polygons = places.Where(p => p.Geometry is IPolygonal).Select(p => $"{p.Name} ({p.Id})").Take(30);
        if (match is null) throw new InvalidRequestException("in", $"no place '{place}'; places with an area: {string.Join(", ", polygons)}");
        if (match.Geometry is not IPolygonal) throw new InvalidRequestException("in", $"place '{place}' is a point, not an area; places with an area: {string.Join(", ", polygons)}");
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
