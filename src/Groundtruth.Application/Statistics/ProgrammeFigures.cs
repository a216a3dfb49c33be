using Groundtruth.Analysis.LandReleases;
using Groundtruth.Analysis.Spatial;
using Groundtruth.Application.Caching;
using Groundtruth.Application.Datasets;
using Groundtruth.Application.History;
using Groundtruth.Application.LandReleases;
using Groundtruth.Application.Storage;
using Groundtruth.Domain;
using Microsoft.EntityFrameworkCore;

namespace Groundtruth.Application.Statistics;

/// <summary>What remains of the open hazardous areas of one classification: how many, and their residual square metres.</summary>
public sealed record RemainingArea(HazardClassification Classification, int Areas, long ResidualM2);

/// <summary>Land released between two days, by method, in whole square metres; outputs counted and those straddling an edge.</summary>
public sealed record ReleasedLand(DateOnly From, DateOnly To, long Cancelled, long Reduced, long Cleared, int Outputs, int Straddling)
{
    public long Total => Cancelled + Reduced + Cleared;
}

/// <summary>Accidents of a window and those whose point lies outside every recorded hazardous area.</summary>
public sealed record AccidentsOutsideHazards(int Accidents, int Outside, int WithoutPoint, IReadOnlyList<string> OutsideIds);

/// <summary>
/// The headline figures of a mine action programme that are not counts of one dataset (those come from
/// <see cref="StatsHandler"/>): the remaining suspected and confirmed area (<see cref="LandReleaseAccounting.Residuals"/>, as
/// <c>groundtruth hazards</c>), land released by method (<see cref="LandReleaseAccounting.Summarise"/>, as
/// <c>groundtruth land-release</c>) and the accidents outside any recorded hazardous area (a point-in-polygon anti-join,
/// <see cref="SpatialJoin"/>). The data they need is read and prepared once per data version and kept, so a dashboard
/// with another window costs no reading; docs/web.md, "Dashboard", gives each definition.
/// </summary>
public sealed class ProgrammeFigures(DatabaseTarget target)
{
    /// <summary>What the figures are computed from, for one data version.</summary>
    /// <param name="RemainingM2">
    /// The residual m² of the open suspected and confirmed areas summed exactly and rounded once, as the total of
    /// <c>groundtruth hazards</c> is: the sum of <see cref="Remaining"/>'s rounded parts can be a square metre off.
    /// </param>
    public sealed record Snapshot(
        IReadOnlyList<RemainingArea> Remaining,
        long RemainingM2,
        IReadOnlyList<ReleaseInput> Releases,
        IReadOnlyList<(string Id, PartialDate OccurredOn, bool? Outside)> Accidents);

    /// <summary>The datasets the figures are read from: a write to another (a new find) leaves the snapshot as it is.</summary>
    public static readonly IReadOnlyList<DatasetSpec> ReadFrom = [DatasetCatalog.Activities, DatasetCatalog.Hazards, DatasetCatalog.LandRelease, DatasetCatalog.Accidents];

    private readonly PerVersion<Snapshot> _snapshots = new();

    /// <summary>When the snapshot of the latest version was first asked for (one version kept: an older one is forgotten).</summary>
    private readonly Caching.FirstAsked _asked = new(maxEntries: 1);

    /// <summary>The snapshot of <paramref name="version"/> (of <see cref="ReadFrom"/>), read once (older versions are dropped).</summary>
    public Task<Snapshot> SnapshotAsync(DataKey version, CancellationToken ct = default)
    {
        _asked.Since(version.Text);
        return _snapshots.GetAsync(version, "", () => Task.Run(ReadAsync), ct);
    }

    /// <summary>How long ago the snapshot of <paramref name="version"/> was first asked for (zero if never): a page waits for it once, not on every reload.</summary>
    public TimeSpan AskedFor(DataKey version) => _asked.Elapsed(version.Text);

    /// <summary>Reads the current approved data (not cancelled by a request: other requests wait for the same snapshot).</summary>
    public async Task<Snapshot> ReadAsync()
    {
        var land = await LandReleaseData.LoadAsync(target, HistoryPoint.Current, withPlaces: false, CancellationToken.None);
        var open = land.Hazards.Where(h => h.Status is HazardStatus.Open or HazardStatus.WorkedOn).ToList();
        var residuals = LandReleaseAccounting.Residuals(open, land.Releases);
        HazardClassification[] counted = [HazardClassification.Suspected, HazardClassification.Confirmed];
        var remaining = counted
            .Select(c => residuals.Where(r => r.Hazard.Classification == c).ToList())
            .Select((rows, i) => new RemainingArea(i == 0 ? HazardClassification.Suspected : HazardClassification.Confirmed, rows.Count,
                (long)Math.Round(rows.Sum(r => r.ResidualM2))))
            .ToList();

        await using var db = target.CreateContext();
        var accidents = await db.Accidents.AsNoTracking().Select(a => new { a.Id, a.OccurredOn, a.Geometry }).ToListAsync();
        RowOrder.ById(accidents, a => a.Id);
        var located = accidents.Where(a => a.Geometry is not null).ToList();
        var index = PolygonIndex.Build([.. land.Hazards.Select(h => h.Geometry)]);
        var covered = SpatialJoin.SemiJoin(index, [.. located.Select(a => a.Geometry!.X)], [.. located.Select(a => a.Geometry!.Y)]);
        var inside = new Dictionary<string, bool>(StringComparer.Ordinal);
        for (var i = 0; i < located.Count; i++) inside[located[i].Id] = covered[i];
        return new Snapshot(remaining, (long)Math.Round(residuals.Where(r => counted.Contains(r.Hazard.Classification)).Sum(r => r.ResidualM2)), land.Releases,
            [.. accidents.Select(a => (a.Id, a.OccurredOn, inside.TryGetValue(a.Id, out var c) ? !c : (bool?)null))]);
    }

    /// <summary>Land released in <paramref name="from"/>..<paramref name="to"/> (an output counts when its release date lies wholly inside).</summary>
    public static ReleasedLand Released(Snapshot snapshot, DateOnly from, DateOnly to)
    {
        var s = LandReleaseAccounting.Summarise(snapshot.Releases, from, to, null);
        return new ReleasedLand(from, to, (long)Math.Round(s.Total.Cancelled), (long)Math.Round(s.Total.Reduced), (long)Math.Round(s.Total.Cleared), s.Count, s.Straddling);
    }

    /// <summary>The accidents whose date lies wholly in the window, and those of them outside every recorded hazardous area.</summary>
    public static AccidentsOutsideHazards Outside(Snapshot snapshot, DateOnly? from, DateOnly? to)
    {
        var within = snapshot.Accidents.Where(a => a.OccurredOn.LiesWithin(from, to)).ToList();
        var outside = within.Where(a => a.Outside == true).Select(a => a.Id).ToList();
        return new AccidentsOutsideHazards(within.Count, outside.Count, within.Count(a => a.Outside is null), outside);
    }
}
