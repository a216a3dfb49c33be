using Groundtruth.Analysis.LandReleases;
using Groundtruth.Application.Datasets;
using Groundtruth.Application.History;
using Groundtruth.Application.Progress;
using Groundtruth.Application.Records;
using Groundtruth.Application.Storage;
using Groundtruth.Domain;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Geometries;

namespace Groundtruth.Application.LandReleases;

/// <summary>
/// What a one-shot caller needs of the current land release data (issue 11: <c>land-release --by method</c> read
/// 100,000 hazardous areas and 190,000 outputs' polygons, and placed each, to sum a column of numbers). A part left
/// out is read as empty; only the current point honours a scope, the past is read whole.
/// </summary>
public sealed record LandReleaseScope
{
    /// <summary>Everything, as the web host, the reports and the checks read it.</summary>
    public static readonly LandReleaseScope Everything = new();

    /// <summary>Read the hazardous areas (with their polygons).</summary>
    public bool Hazards { get; init; } = true;

    /// <summary>Only the hazardous areas of these statuses (null: every status).</summary>
    public IReadOnlyList<HazardStatus>? HazardStatuses { get; init; }

    /// <summary>
    /// Read the outputs' polygons; false: each output carries an empty point instead, for a caller that uses only
    /// its method, date, area and activity (the sums).
    /// </summary>
    public bool ReleaseGeometries { get; init; } = true;

    /// <summary>Only the outputs of the hazardous areas read (the residuals need no other).</summary>
    public bool ReleasesOfReadHazardsOnly { get; init; }

    /// <summary>Read the activities (an output's organisation, productivity).</summary>
    public bool Activities { get; init; } = true;

    /// <summary>With places: place the outputs too, not only the areas.</summary>
    public bool ReleasePlaces { get; init; } = true;

    /// <summary>The sums of <c>land-release</c>: grouped by <paramref name="by"/>, or productivity.</summary>
    public static LandReleaseScope ForSums(ReleaseGrouping by, bool productivity) => new()
    {
        Hazards = false,
        ReleaseGeometries = by == ReleaseGrouping.Place && !productivity,
        Activities = productivity || by == ReleaseGrouping.Organisation,
    };

    /// <summary>The residuals of <c>hazards</c>: the areas of <paramref name="statuses"/> (null: all) and their outputs, outputs not placed.</summary>
    public static LandReleaseScope ForResiduals(IReadOnlyList<HazardStatus>? statuses) => new()
    {
        HazardStatuses = statuses,
        ReleasesOfReadHazardsOnly = true,
        Activities = false,
        ReleasePlaces = false,
    };
}

/// <summary>Hazardous areas, land release outputs and activities as they stood at a point in history.</summary>
public sealed record LandReleaseData(
    HistoryPoint Point,
    IReadOnlyList<HazardInput> Hazards,
    IReadOnlyList<ReleaseInput> Releases,
    IReadOnlyDictionary<string, ActivityInput> Activities)
{
    /// <summary>Reads the three datasets from their versions (the current approved state when <paramref name="point"/> is current).</summary>
    public static Task<LandReleaseData> LoadAsync(DatabaseTarget target, HistoryPoint point, bool withPlaces, CancellationToken ct) =>
        LoadAsync(target, point, withPlaces, null, ct);

    /// <summary>The steps <see cref="LoadAsync(DatabaseTarget, HistoryPoint, bool, IProgress{WorkProgress}?, CancellationToken)"/> reports, so a caller can add its own after them.</summary>
    public const int LoadSteps = 4;

    /// <summary>As above, reporting each dataset read as one of <see cref="LoadSteps"/> steps of <paramref name="totalSteps"/>.</summary>
    public static Task<LandReleaseData> LoadAsync(DatabaseTarget target, HistoryPoint point, bool withPlaces, IProgress<WorkProgress>? progress,
        CancellationToken ct, int totalSteps = LoadSteps) =>
        LoadAsync(target, point, withPlaces, LandReleaseScope.Everything, progress, ct, totalSteps);

    /// <summary>As above, reading of the current point only what <paramref name="scope"/> asks for.</summary>
    public static async Task<LandReleaseData> LoadAsync(DatabaseTarget target, HistoryPoint point, bool withPlaces, LandReleaseScope scope,
        IProgress<WorkProgress>? progress, CancellationToken ct, int totalSteps = LoadSteps)
    {
        await using var db = target.CreateContext();
        await SchemaGuard.EnsureCurrentAsync(db, ct);
        progress?.Report(WorkProgress.Step("reading places", 0, totalSteps));
        var places = withPlaces ? await PlaceAssigner.LoadAsync(db, ct) : null;
        string? PlaceOf(Geometry g) => places?.PlaceOf(g.InteriorPoint);
        progress?.Report(WorkProgress.Step("reading activities", 1, totalSteps));
        if (point.IsCurrent) return await LoadCurrentAsync(db, point, PlaceOf, scope, progress, totalSteps, ct);
        var activities = (await VersionReader.ReadAsync(db, DatasetCatalog.Activities, point, ct))
            .ToDictionary(a => a.Id, a => new ActivityInput(a.Id, a.Enum<ActivityType>("type")!.Value, a.Text("organisation"), a.Date("started_on"), a.Date("completed_on")), StringComparer.Ordinal);
        progress?.Report(WorkProgress.Step("reading hazardous areas", 2, totalSteps));
        var hazards = (await VersionReader.ReadAsync(db, DatasetCatalog.Hazards, point, ct))
            .Where(h => h.Geometry is not null)
            .Select(h => new HazardInput(h.Id, h.Text("name"), h.Enum<HazardClassification>("classification")!.Value, h.Enum<HazardStatus>("status")!.Value,
                h.Text("contamination"), h.Text("evidence"), h.Date("recorded_on"), h.Geometry!, PlaceOf(h.Geometry!)))
            .ToList();
        progress?.Report(WorkProgress.Step("reading land release", 3, totalSteps));
        var releases = (await VersionReader.ReadAsync(db, DatasetCatalog.LandRelease, point, ct))
            .Where(r => r.Geometry is not null)
            .Select(r => new ReleaseInput(r.Id, r.Text("activity_id")!, r.Text("hazard_id")!, r.Enum<ReleaseMethod>("method")!.Value, r.Date("released_on")!.Value,
                r.Number("area_m2") ?? 0, r.Geometry!, activities.GetValueOrDefault(r.Text("activity_id")!)?.Organisation, PlaceOf(r.Geometry!)))
            .ToList();
        return new LandReleaseData(point, hazards, releases, activities);
    }

    /// <summary>
    /// The current approved state from the layer tables, typed (issue 11: reading every version of a national
    /// programme's hazardous areas and outputs, and parsing their JSON, took seconds). The rows are those the
    /// versions give for the current point, in the same order (ids, ordinal); a test compares them with the versions read at a point after every change.
    /// </summary>
    private static async Task<LandReleaseData> LoadCurrentAsync(GroundtruthDbContext db, HistoryPoint point, Func<Geometry, string?> placeOf,
        LandReleaseScope scope, IProgress<WorkProgress>? progress, int totalSteps, CancellationToken ct)
    {
        var activityRows = scope.Activities
            ? await db.Activities.AsNoTracking().Select(a => new ActivityInput(a.Id, a.Type, a.Organisation, a.StartedOn, a.CompletedOn)).ToListAsync(ct)
            : [];
        var activities = activityRows.OrderBy(a => a.Id, StringComparer.Ordinal).ToDictionary(a => a.Id, StringComparer.Ordinal);
        progress?.Report(WorkProgress.Step("reading hazardous areas", 2, totalSteps));
        var hazardQuery = db.Hazards.AsNoTracking().Where(h => h.Geometry != null);
        if (scope.HazardStatuses is { } statuses)
        {
            var wanted = statuses.ToList();
            hazardQuery = hazardQuery.Where(h => wanted.Contains(h.Status));
        }
        var hazardRows = scope.Hazards
            ? await hazardQuery.Select(h => new { h.Id, h.Name, h.Classification, h.Status, h.Contamination, h.Evidence, h.RecordedOn, h.Geometry }).ToListAsync(ct)
            : [];
        var hazards = hazardRows.OrderBy(h => h.Id, StringComparer.Ordinal)
            .Select(h => new HazardInput(h.Id, h.Name, h.Classification, h.Status, h.Contamination, h.Evidence, h.RecordedOn, h.Geometry!, placeOf(h.Geometry!)))
            .ToList();
        progress?.Report(WorkProgress.Step("reading land release", 3, totalSteps));
        var releaseQuery = db.LandReleases.AsNoTracking().Where(r => r.Geometry != null);
        if (scope.ReleasesOfReadHazardsOnly) releaseQuery = releaseQuery.Where(r => hazardQuery.Any(h => h.Id == r.HazardId));
        List<ReleaseInput> releases;
        if (scope.ReleaseGeometries)
        {
            var releaseRows = await releaseQuery.Select(r => new { r.Id, r.ActivityId, r.HazardId, r.Method, r.ReleasedOn, r.AreaM2, r.Geometry }).ToListAsync(ct);
            releases = [.. releaseRows.OrderBy(r => r.Id, StringComparer.Ordinal)
                .Select(r => new ReleaseInput(r.Id, r.ActivityId, r.HazardId, r.Method, r.ReleasedOn, r.AreaM2, r.Geometry!,
                    activities.GetValueOrDefault(r.ActivityId)?.Organisation, scope.ReleasePlaces ? placeOf(r.Geometry!) : null))];
        }
        else
        {
            // The sums read no polygon: each output carries the same empty point.
            var none = Domain.SpatialRules.Factory.CreatePoint();
            var releaseRows = await releaseQuery.Select(r => new { r.Id, r.ActivityId, r.HazardId, r.Method, r.ReleasedOn, r.AreaM2 }).ToListAsync(ct);
            releases = [.. releaseRows.OrderBy(r => r.Id, StringComparer.Ordinal)
                .Select(r => new ReleaseInput(r.Id, r.ActivityId, r.HazardId, r.Method, r.ReleasedOn, r.AreaM2, none,
                    activities.GetValueOrDefault(r.ActivityId)?.Organisation, null))];
        }
        return new LandReleaseData(point, hazards, releases, activities);
    }
}
