using Groundtruth.Analysis.Geodesy;
using Groundtruth.Analysis.Records;
using Groundtruth.Analysis.Spatial;
using Groundtruth.Application.Datasets;
using Groundtruth.Application.History;
using Groundtruth.Application.Progress;
using Groundtruth.Application.Storage;
using Groundtruth.Domain;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Geometries;

namespace Groundtruth.Application.Records;

/// <summary>How to group the evaluation.</summary>
public enum RecordGrouping { None, Source, Place }

/// <summary>A request for <c>groundtruth records accuracy</c>.</summary>
/// <param name="At">The point in history to score (DESIGN section 6); the current approved state by default.</param>
public sealed record RecordAccuracyRequest(RecordAccuracyOptions Options, string? Source = null, RecordGrouping By = RecordGrouping.None, HistoryPoint? At = null);

/// <summary>The evaluation overall and per group, with the records as they are stored (for maps).</summary>
public sealed record RecordAccuracyReport(
    RecordAccuracyRequest Request,
    RecordAccuracyResult Overall,
    IReadOnlyList<(string Group, RecordAccuracyResult Result)> Groups,
    IReadOnlyDictionary<string, Geometry> Footprints,
    DateTime ComputedAt);

/// <summary>
/// Loads minefield records, finds, accidents and processed land (approved data) and scores the
/// records with <see cref="RecordAccuracy"/>. No spatial SQL: coordinates come from the envelope
/// columns and geometries from the layers, and the method runs in Analysis on both backends alike.
/// </summary>
public sealed class RecordAccuracyHandler(DatabaseTarget target, TimeProvider clock)
{
    private static readonly ActivityType[] ProcessingTypes = [ActivityType.TechnicalSurvey, ActivityType.Clearance, ActivityType.BattleAreaClearance];

    /// <summary>The stages of one evaluation reported by <see cref="RecordAccuracy.Compute"/>.</summary>
    private const int ComputeStages = 8;

    /// <param name="progress">Told each stage: reading the layers, then each stage of the method (per group too).</param>
    public async Task<RecordAccuracyReport> HandleAsync(RecordAccuracyRequest request, IProgress<WorkProgress>? progress = null, CancellationToken ct = default)
    {
        // Written so NaN fails too: every comparison with NaN is false.
        if (request.Options.MinProcessed is not (>= 0 and <= 1)) throw new InvalidRequestException("min_processed", "must be a share between 0 and 1");
        if (request.Options.BufferM is { } buffer && !(buffer >= 0 && double.IsFinite(buffer))) throw new InvalidRequestException("buffer", "must be zero or more metres");
        if (request.Options.From is { } f && request.Options.To is { } t && f > t) throw new InvalidRequestException("from", "is after to");
        await using var db = target.CreateContext();
        await SchemaGuard.EnsureCurrentAsync(db, ct);

        // The past is read through the history shadow tables, so one loader serves every point in time.
        if (request.At is { IsCurrent: false } point)
            await HistoryScope.ShadowAsync(db, point, [DatasetCatalog.Places, DatasetCatalog.MinefieldRecords, DatasetCatalog.Finds,
                DatasetCatalog.Accidents, DatasetCatalog.Activities, DatasetCatalog.LandRelease], ct);
        var places = request.By == RecordGrouping.Place ? await PlaceAssigner.LoadAsync(db, ct) : null;
        var loaded = await LoadAsync(db, request.Source, request.Options, shadowed: request.At is { IsCurrent: false }, progress, ct);
        if (request.Source is not null && loaded.Records.Count == 0)
        {
            var sources = await db.MinefieldRecords.AsNoTracking().Select(r => r.Source).Distinct().OrderBy(s => s).ToListAsync(ct);
            throw new InvalidRequestException("source", $"no minefield record has source '{request.Source}'; sources: {string.Join(", ", sources)}");
        }
        var records = loaded.Records.Select(r => r with { Place = places?.PlaceOf(r.Footprint.InteriorPoint) }).ToList();
        var (findInputs, accidentInputs, processed) = (loaded.Finds, loaded.Accidents, loaded.Processed);

        var grouped = request.By == RecordGrouping.None ? []
            : records.GroupBy(r => (request.By == RecordGrouping.Source ? r.Source : r.Place) ?? "(no place)").OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
        var steps = LoadStages + ComputeStages * (1 + grouped.Count);
        var step = LoadStages;
        IProgress<string>? Stages(string? group) => progress is null ? null
            : new StageProgress(stage => progress.Report(WorkProgress.Step(group is null ? stage : $"{group}: {stage}", step++, steps)));
        RecordAccuracyResult overall;
        var groups = new List<(string, RecordAccuracyResult)>();
        try
        {
            // The groups share what does not depend on which records are scored together (each record's shape, the
            // processed land, the window's finds) with the overall figures: computed once.
            var reuse = grouped.Count > 0 ? new RecordAccuracy.Reuse() : null;
            overall = RecordAccuracy.Compute(records, findInputs, accidentInputs, processed, request.Options, Stages(null), await loaded.BufferedAhead, reuse);
            foreach (var g in grouped)
                groups.Add((g.Key, RecordAccuracy.Compute([.. g], findInputs, accidentInputs, processed, request.Options, Stages(g.Key), reuse: reuse)));
        }
        catch (RecordAccuracyArgumentException e)
        {
            // The method refuses records it cannot score without a buffer: the caller's buffer is what to change.
            throw new InvalidRequestException("buffer", e.Message, e);
        }
        return new RecordAccuracyReport(request, overall, groups, records.ToDictionary(r => r.Id, r => r.Footprint), clock.GetUtcNow().UtcDateTime);
    }

    /// <summary>Passes each stage on as it is reported, on the reporting thread.</summary>
    private sealed class StageProgress(Action<string> report) : IProgress<string>
    {
        public void Report(string value) => report(value);
    }

    private const int LoadStages = 5;

    private sealed record Inputs(List<RecordInput> Records, List<FindInput> Finds, List<AccidentInput> Accidents, List<ProcessedLandInput> Processed,
        Task<RecordAccuracy.BufferedRecords> BufferedAhead);

    /// <param name="shadowed">The layers are history shadows on <paramref name="db"/>'s connection: everything is read there.</param>
    private static async Task<Inputs> LoadAsync(GroundtruthDbContext db, string? source, RecordAccuracyOptions options, bool shadowed, IProgress<WorkProgress>? progress, CancellationToken ct)
    {
        // The finds (a million rows at national scale) are read beside the other layers (on the GeoPackage, in two halves on two connections).
        var findsBeside = shadowed ? null : FindPoints.ReadBesideAsync(db, ct);
        // So are the accidents (272,000 at scale 500): the layers are read on three connections at once.
        var accidentsBeside = shadowed ? null : db.ReadBesideAsync(other => AccidentPoints.ReadAsync(other, ct), ct);
        progress?.Report(WorkProgress.Step("reading minefield records", 0, LoadStages + ComputeStages));
        var records = await db.MinefieldRecords.AsNoTracking()
            .Where(r => source == null || r.Source == source)
            .OrderBy(r => r.Id)
            .Select(r => new { r.Id, r.Source, r.Geometry, r.DeclaredDevices, r.LaidOn, r.PositionUncertaintyM })
            .ToListAsync(ct);
        List<RecordInput> recordInputs = [.. records.Select(r => new RecordInput(r.Id, r.Source, r.Geometry!, r.DeclaredDevices, r.LaidOn, r.PositionUncertaintyM))];
        // The records are buffered while the other layers are read (the method checks that the zone it chooses with the finds is the same).
        var bufferedAhead = Task.Run(() => RecordAccuracy.BufferAhead(recordInputs, options), ct);
        progress?.Report(WorkProgress.Step("reading finds", 1, LoadStages + ComputeStages));
        var finds = findsBeside is null ? await FindPoints.ReadAsync(db, ct) : null;
        progress?.Report(WorkProgress.Step("reading accidents", 2, LoadStages + ComputeStages));
        var accidents = accidentsBeside is null ? await AccidentPoints.ReadAsync(db, ct) : null;
        progress?.Report(WorkProgress.Step("reading activities", 3, LoadStages + ComputeStages));
        var activities = await db.Activities.AsNoTracking()
            .Where(a => ProcessingTypes.Contains(a.Type) && a.Geometry != null)
            .Select(a => new { a.Id, a.Geometry, a.StartedOn, a.CompletedOn })
            .ToListAsync(ct);
        progress?.Report(WorkProgress.Step("reading land release", 4, LoadStages + ComputeStages));
        var releases = await db.LandReleases.AsNoTracking()
            .Where(l => l.Method != ReleaseMethod.Cancelled)
            .Select(l => new { l.Id, l.Geometry, l.ReleasedOn })
            .ToListAsync(ct);
        finds ??= await findsBeside!;
        accidents ??= await accidentsBeside!;
        return new Inputs(
            recordInputs,
            finds,
            accidents,
            [.. activities.Select(a => new ProcessedLandInput(a.Id, a.Geometry!, a.StartedOn, a.CompletedOn)),
                .. releases.Select(l => new ProcessedLandInput(l.Id, l.Geometry!, l.ReleasedOn, l.ReleasedOn))],
            bufferedAhead);
    }
}

/// <summary>Assigns a point to the smallest gazetteer polygon that covers it (ties: lowest id), as every per-place figure does.</summary>
public sealed class PlaceAssigner(PolygonIndex index, IReadOnlyList<string> names)
{
    public static async Task<PlaceAssigner> LoadAsync(GroundtruthDbContext db, CancellationToken ct)
    {
        var places = (await db.Places.AsNoTracking().Select(p => new { p.Id, p.Name, p.Geometry }).ToListAsync(ct))
            .Where(p => p.Geometry is IPolygonal)
            .OrderBy(p => MetricArea.SquareMetres(p.Geometry!)).ThenBy(p => p.Id, StringComparer.Ordinal)
            .ToList();
        return new PlaceAssigner(PolygonIndex.Build(places.Select(p => p.Geometry!).ToList()), places.Select(p => p.Name).ToList());
    }

    public string? PlaceOf(Point point)
    {
        var i = index.Best(point.X, point.Y);
        return i < 0 ? null : names[i];
    }
}
