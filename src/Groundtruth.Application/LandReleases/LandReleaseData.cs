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
    public static async Task<LandReleaseData> LoadAsync(DatabaseTarget target, HistoryPoint point, bool withPlaces, IProgress<WorkProgress>? progress,
        CancellationToken ct, int totalSteps = LoadSteps)
    {
        await using var db = target.CreateContext();
        await SchemaGuard.EnsureCurrentAsync(db, ct);
        progress?.Report(WorkProgress.Step("reading places", 0, totalSteps));
        var places = withPlaces ? await PlaceAssigner.LoadAsync(db, ct) : null;
        string? PlaceOf(Geometry g) => places?.PlaceOf(g.InteriorPoint);
        progress?.Report(WorkProgress.Step("reading activities", 1, totalSteps));
        if (point.IsCurrent) return await LoadCurrentAsync(db, point, PlaceOf, progress, totalSteps, ct);
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
        IProgress<WorkProgress>? progress, int totalSteps, CancellationToken ct)
    {
        var activityRows = await db.Activities.AsNoTracking()
            .Select(a => new ActivityInput(a.Id, a.Type, a.Organisation, a.StartedOn, a.CompletedOn)).ToListAsync(ct);
        var activities = activityRows.OrderBy(a => a.Id, StringComparer.Ordinal).ToDictionary(a => a.Id, StringComparer.Ordinal);
        progress?.Report(WorkProgress.Step("reading hazardous areas", 2, totalSteps));
        var hazardRows = await db.Hazards.AsNoTracking().Where(h => h.Geometry != null)
            .Select(h => new { h.Id, h.Name, h.Classification, h.Status, h.Contamination, h.Evidence, h.RecordedOn, h.Geometry }).ToListAsync(ct);
        var hazards = hazardRows.OrderBy(h => h.Id, StringComparer.Ordinal)
            .Select(h => new HazardInput(h.Id, h.Name, h.Classification, h.Status, h.Contamination, h.Evidence, h.RecordedOn, h.Geometry!, placeOf(h.Geometry!)))
            .ToList();
        progress?.Report(WorkProgress.Step("reading land release", 3, totalSteps));
        var releaseRows = await db.LandReleases.AsNoTracking().Where(r => r.Geometry != null)
            .Select(r => new { r.Id, r.ActivityId, r.HazardId, r.Method, r.ReleasedOn, r.AreaM2, r.Geometry }).ToListAsync(ct);
        var releases = releaseRows.OrderBy(r => r.Id, StringComparer.Ordinal)
            .Select(r => new ReleaseInput(r.Id, r.ActivityId, r.HazardId, r.Method, r.ReleasedOn, r.AreaM2, r.Geometry!,
                activities.GetValueOrDefault(r.ActivityId)?.Organisation, placeOf(r.Geometry!)))
            .ToList();
        return new LandReleaseData(point, hazards, releases, activities);
    }
}
