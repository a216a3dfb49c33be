using Groundtruth.Analysis.Geodesy;
using Groundtruth.Analysis.Spatial;
using Groundtruth.Domain;
using NetTopologySuite.Geometries;
using NetTopologySuite.Operation.Union;

namespace Groundtruth.Analysis.LandReleases;

public sealed record HazardInput(string Id, string? Name, HazardClassification Classification, HazardStatus Status, string? Contamination, string? Evidence, PartialDate? RecordedOn, Geometry Geometry, string? Place = null);

public sealed record ReleaseInput(string Id, string ActivityId, string HazardId, ReleaseMethod Method, PartialDate ReleasedOn, double AreaM2, Geometry Geometry, string? Organisation = null, string? Place = null);

public sealed record ActivityInput(string Id, ActivityType Type, string? Organisation, PartialDate? StartedOn, PartialDate? CompletedOn);

/// <summary>Square metres released by each method.</summary>
public sealed record MethodAreas(double Cancelled, double Reduced, double Cleared)
{
    public double Total => Cancelled + Reduced + Cleared;

    public MethodAreas Add(ReleaseMethod method, double m2) => method switch
    {
        ReleaseMethod.Cancelled => this with { Cancelled = Cancelled + m2 },
        ReleaseMethod.Reduced => this with { Reduced = Reduced + m2 },
        _ => this with { Cleared = Cleared + m2 },
    };

    public static readonly MethodAreas Zero = new(0, 0, 0);
}

/// <summary>Released m² by method from an overlay, with the (output, area) pairs measured and those left to NetTopologySuite.</summary>
public sealed record OverlayResult(MethodAreas Areas, long Pairs, long Fallbacks);

public sealed record ReleaseGroup(string Key, MethodAreas AreaM2, int Count);

public sealed record ReleaseSummary(MethodAreas Total, int Count, int Straddling, IReadOnlyList<ReleaseGroup> Groups);

/// <summary>An open hazardous area with what is left of it after its releases.</summary>
public sealed record ResidualHazard(HazardInput Hazard, double AreaM2, double ReleasedM2, double ResidualM2, Geometry Residual);

/// <summary>A problem in the land release accounts, with the ids and square metres involved.</summary>
public sealed record ReleaseProblem(string Kind, string HazardId, IReadOnlyList<string> ReleaseIds, double AreaM2, string Message);

public sealed record Productivity(string Organisation, ReleaseMethod Method, double AreaM2, int Days, int Activities)
{
    public double M2PerDay => Days > 0 ? AreaM2 / Days : 0;
}

/// <summary>
/// Land release arithmetic (IMAS 07.11) in square metres: released area by method and group,
/// residual hazard (the area minus its released land), consistency checks, productivity. Each area
/// is measured in the UTM zone of its own centre (<see cref="MetricArea"/>), never in square degrees.
/// </summary>
public static class LandReleaseAccounting
{
    /// <summary>Overlaps and excesses smaller than this are measurement noise, not problems.</summary>
    public const double ToleranceM2 = 1.0;

    /// <summary>
    /// …nor those under this share of the output's area: a shared boundary drawn in degrees becomes two
    /// slightly different chords in metres, leaving slivers of a few square metres along long edges.
    /// </summary>
    public const double RelativeTolerance = 1e-5;

    private static double Tolerance(double areaM2) => Math.Max(ToleranceM2, RelativeTolerance * areaM2);

    public static ReleaseSummary Summarise(IEnumerable<ReleaseInput> releases, DateOnly? from, DateOnly? to, Func<ReleaseInput, string>? groupBy)
    {
        var total = MethodAreas.Zero;
        var count = 0;
        var straddling = 0;
        var groups = new SortedDictionary<string, (MethodAreas Areas, int Count)>(StringComparer.Ordinal);
        foreach (var r in releases)
        {
            if (r.ReleasedOn.Straddles(from, to)) { straddling++; continue; }
            if (!r.ReleasedOn.LiesWithin(from, to)) continue;
            total = total.Add(r.Method, r.AreaM2);
            count++;
            if (groupBy is null) continue;
            var key = groupBy(r);
            var g = groups.GetValueOrDefault(key, (MethodAreas.Zero, 0));
            groups[key] = (g.Item1.Add(r.Method, r.AreaM2), g.Item2 + 1);
        }
        return new ReleaseSummary(total, count, straddling, [.. groups.Select(g => new ReleaseGroup(g.Key, g.Value.Areas, g.Value.Count))]);
    }

    /// <summary>
    /// Released land inside hazardous areas by method: the sum over every (output, area) pair whose envelopes
    /// meet of the intersection's m², each pair measured in the UTM zone of the output's centre.
    /// </summary>
    public static MethodAreas OverlayByMethod(IReadOnlyList<HazardInput> hazards, IReadOnlyList<ReleaseInput> releases) =>
        Overlay(hazards, releases).Areas;

    /// <summary>
    /// <see cref="OverlayByMethod"/> with what it did: the (output, area) pairs measured and how many of them the
    /// intersection-area kernel left to NetTopologySuite's overlay.
    /// </summary>
    /// <remarks>
    /// The areas are indexed by envelope (<see cref="EnvelopeGrid"/>, in degrees). Each area is projected once per UTM zone it is
    /// measured in and kept, each output once; every pair whose envelopes meet is measured in metres by
    /// <see cref="IntersectionArea"/> (pairs that do not intersect give 0) — even an output that lies inside
    /// its area in degrees, whose chords in metres may leave a sliver outside: the figure is the metric
    /// overlay's, PostGIS's <c>ST_Area(ST_Intersection(ST_Transform…))</c>. Parallel over outputs.
    /// </remarks>
    public static OverlayResult Overlay(IReadOnlyList<HazardInput> hazards, IReadOnlyList<ReleaseInput> releases)
    {
        var grid = new EnvelopeGrid([.. hazards.Select(h => h.Geometry.EnvelopeInternal)]);
        // Per UTM zone, each area's projection, made by whichever thread first needs it (the same value whoever makes it).
        var projected = new System.Collections.Concurrent.ConcurrentDictionary<int, AreaPolygon?[]>();
        var sums = new double[3];
        long pairs = 0, fallbacks = 0;
        Parallel.ForEach(System.Collections.Concurrent.Partitioner.Create(0, Math.Max(releases.Count, 1), 256), () => new OverlayWorker(), (range, _, local) =>
        {
            for (var k = range.Item1; k < Math.Min(range.Item2, releases.Count); k++)
            {
                var r = releases[k];
                var candidates = local.Candidates;
                candidates.Clear();
                grid.Query(r.Geometry.EnvelopeInternal, candidates);
                if (candidates.Count == 0) continue;
                var centre = r.Geometry.EnvelopeInternal.Centre;
                var epsg = ReferenceSystems.UtmEpsgFor(centre.X, centre.Y);
                if (!local.Zones.TryGetValue(epsg, out var projection)) local.Zones[epsg] = projection = new LocalProjection(epsg);
                var zone = projected.GetOrAdd(epsg, _ => new AreaPolygon?[hazards.Count]);
                var metric = AreaPolygon.Project(r.Geometry, projection);
                foreach (var i in candidates)
                {
                    var area = Volatile.Read(ref zone[i]);
                    if (area is null) Volatile.Write(ref zone[i], area = AreaPolygon.Project(hazards[i].Geometry, projection));
                    local.Sums[(int)r.Method] += IntersectionArea.Of(metric, area, out var fellBack);
                    local.Pairs++;
                    if (fellBack) local.Fallbacks++;
                }
            }
            return local;
        }, local =>
        {
            lock (sums)
            {
                for (var m = 0; m < 3; m++) sums[m] += local.Sums[m];
                pairs += local.Pairs;
                fallbacks += local.Fallbacks;
            }
        });
        return new OverlayResult(new MethodAreas(sums[(int)ReleaseMethod.Cancelled], sums[(int)ReleaseMethod.Reduced], sums[(int)ReleaseMethod.Cleared]), pairs, fallbacks);
    }

    private sealed class OverlayWorker
    {
        public readonly double[] Sums = new double[3];
        public readonly Dictionary<int, LocalProjection> Zones = [];
        public readonly List<int> Candidates = [];
        public long Pairs;
        public long Fallbacks;
    }

    /// <summary>Each hazardous area minus the union of its released land, in m² and as a WGS84 geometry.</summary>
    /// <remarks>
    /// Areas are independent: computed in parallel (issue 11: 20,000 areas one after another, each building its
    /// projection's transforms again), each thread keeping one projection per UTM zone (transforms are not
    /// thread-safe; the zone is the one <c>new LocalProjection(extent)</c> picks), listed in the order of the areas.
    /// </remarks>
    public static List<ResidualHazard> Residuals(IEnumerable<HazardInput> hazards, IReadOnlyList<ReleaseInput> releases) =>
        Residuals(hazards, releases, measureReleased: true);

    /// <summary>
    /// As <see cref="Residuals(IEnumerable{HazardInput}, IReadOnlyList{ReleaseInput})"/>; with <paramref name="measureReleased"/>
    /// false the released land inside each area is not measured (<see cref="ResidualHazard.ReleasedM2"/> is NaN), for a
    /// caller that wants only the residual polygon and its area (the priorities): the one overlay per area that the
    /// residual does not need.
    /// </summary>
    public static List<ResidualHazard> Residuals(IEnumerable<HazardInput> hazards, IReadOnlyList<ReleaseInput> releases, bool measureReleased)
    {
        var byHazard = releases.ToLookup(r => r.HazardId, StringComparer.Ordinal);
        var list = hazards.ToList();
        var result = new ResidualHazard[list.Count];
        using var projections = new ThreadLocal<Dictionary<int, LocalProjection>>(() => []);
        Parallel.For(0, list.Count, i =>
        {
            var h = list[i];
            var zone = LocalProjection.ZoneOf(h.Geometry.EnvelopeInternal);
            var local = projections.Value!;
            if (!local.TryGetValue(zone, out var projection)) local[zone] = projection = new LocalProjection(zone);
            var area = projection.Project(h.Geometry);
            var own = byHazard[h.Id].Select(r => projection.Project(r.Geometry)).ToList();
            var released = own.Count == 0 ? null : UnaryUnionOp.Union(own);
            var residual = released is null ? area : area.Difference(released);
            var releasedM2 = released is null ? 0 : measureReleased ? IntersectionArea.Of(area, released) : double.NaN;
            result[i] = new ResidualHazard(h, area.Area, releasedM2, residual.Area,
                residual.IsEmpty ? h.Geometry.Factory.CreateMultiPolygon() : projection.Unproject(residual));
        });
        return [.. result];
    }

    /// <summary>Released land outside its area, outputs released twice, releases larger than their area.</summary>
    public static List<ReleaseProblem> Check(IEnumerable<HazardInput> hazards, IReadOnlyList<ReleaseInput> releases)
    {
        var areas = hazards.ToDictionary(h => h.Id, StringComparer.Ordinal);
        var groups = releases.GroupBy(r => r.HazardId, StringComparer.Ordinal).Where(g => areas.ContainsKey(g.Key)).ToList();
        // Areas are independent: checked in parallel, each thread keeping its own projections (transforms are
        // not thread-safe), and the problems listed in the order of the areas as before.
        var found = new List<ReleaseProblem>[groups.Count];
        using var projections = new ThreadLocal<Dictionary<int, LocalProjection>>(() => []);
        Parallel.For(0, groups.Count, k => found[k] = CheckArea(areas[groups[k].Key], [.. groups[k]], projections.Value!));
        return [.. found.SelectMany(p => p)];
    }

    private static List<ReleaseProblem> CheckArea(HazardInput hazard, List<ReleaseInput> group, Dictionary<int, LocalProjection> projections)
    {
        var problems = new List<ReleaseProblem>();
        var zone = LocalProjection.ZoneOf(hazard.Geometry.EnvelopeInternal);
        if (!projections.TryGetValue(zone, out var projection)) projections[zone] = projection = new LocalProjection(zone);
        var area = projection.Project(hazard.Geometry);
        var flat = AreaPolygon.Create(area);
        var outputs = group.Select(r => (Release: r, Metric: AreaPolygon.Create(projection.Project(r.Geometry)))).ToList();
        foreach (var (release, metric) in outputs)
        {
            var outside = metric.Area - IntersectionArea.Of(metric, flat, out _);
            if (outside > Tolerance(metric.Area))
                problems.Add(new ReleaseProblem("outside_area", hazard.Id, [release.Id], outside, $"{release.Id} releases {outside:F0} m² outside hazardous area {hazard.Id}"));
        }
        for (var i = 0; i < outputs.Count; i++)
            for (var j = i + 1; j < outputs.Count; j++)
            {
                var twice = IntersectionArea.Of(outputs[i].Metric, outputs[j].Metric, out _);
                if (twice > Tolerance(Math.Min(outputs[i].Metric.Area, outputs[j].Metric.Area)))
                    problems.Add(new ReleaseProblem("released_twice", hazard.Id, [outputs[i].Release.Id, outputs[j].Release.Id], twice,
                        $"{outputs[i].Release.Id} and {outputs[j].Release.Id} release the same {twice:F0} m² of {hazard.Id}"));
            }
        var sum = outputs.Sum(o => o.Metric.Area);
        if (sum > area.Area + Tolerance(area.Area))
            problems.Add(new ReleaseProblem("larger_than_area", hazard.Id, [.. outputs.Select(o => o.Release.Id)], sum - area.Area,
                $"releases of {hazard.Id} add up to {sum:F0} m², {sum - area.Area:F0} m² more than the area ({area.Area:F0} m²)"));
        return problems;
    }

    /// <summary>
    /// m² released per day of work, by organisation and method. A day of work is a calendar day from
    /// an activity's start to its completion (inclusive); activities without both dates are left out.
    /// </summary>
    public static List<Productivity> ProductivityBy(IReadOnlyList<ReleaseInput> releases, IReadOnlyDictionary<string, ActivityInput> activities)
    {
        var rows = new Dictionary<(string, ReleaseMethod), (double Area, HashSet<string> Activities)>();
        foreach (var r in releases)
        {
            if (!activities.TryGetValue(r.ActivityId, out var a) || a.StartedOn is null || a.CompletedOn is null) continue;
            var key = (a.Organisation ?? "(unknown)", r.Method);
            var row = rows.GetValueOrDefault(key, (0, new HashSet<string>(StringComparer.Ordinal)));
            row.Area += r.AreaM2;
            row.Activities.Add(a.Id);
            rows[key] = row;
        }
        return [.. rows.Select(kv => new Productivity(kv.Key.Item1, kv.Key.Item2, kv.Value.Area,
                kv.Value.Activities.Sum(id => activities[id].CompletedOn!.Value.End.DayNumber - activities[id].StartedOn!.Value.Start.DayNumber + 1),
                kv.Value.Activities.Count))
            .OrderBy(p => p.Organisation, StringComparer.Ordinal).ThenBy(p => p.Method)];
    }
}
