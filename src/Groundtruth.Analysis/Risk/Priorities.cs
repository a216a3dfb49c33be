using Groundtruth.Analysis.Geodesy;
using Groundtruth.Analysis.Spatial;
using NetTopologySuite.Geometries;
using NetTopologySuite.Index.Strtree;

namespace Groundtruth.Analysis.Risk;

/// <summary>
/// The weights of the clearance priority score, owned by the national authority (docs/risk.md). Each
/// criterion's raw value is divided by its largest value among the ranked areas (so 1 is the highest) and
/// multiplied by its weight; the score is the sum of these contributions.
/// </summary>
public sealed record PriorityWeights(
    double People = 0.35,
    double Roads = 0.2,
    double Accidents = 0.2,
    double Risk = 0.15,
    double ResidualArea = 0.1,
    double PeopleWithinM = 2000,
    double RoadsWithinM = 500,
    double AccidentsWithinM = 1000,
    double AccidentsSinceYears = 10,
    double RiskCellM = 100,
    string? Owner = null,
    string? Version = null)
{
    public static readonly string[] Criteria = ["people", "roads", "accidents", "risk", "residual_area"];

    public double WeightOf(string criterion) => criterion switch
    {
        "people" => People,
        "roads" => Roads,
        "accidents" => Accidents,
        "risk" => Risk,
        "residual_area" => ResidualArea,
        _ => throw new ArgumentOutOfRangeException(nameof(criterion)),
    };

    /// <exception cref="ArgumentException">A weight or distance is negative, or every weight is 0.</exception>
    public void Validate()
    {
        double[] all = [People, Roads, Accidents, Risk, ResidualArea, PeopleWithinM, RoadsWithinM, AccidentsWithinM, AccidentsSinceYears];
        if (all.Any(v => v < 0 || double.IsNaN(v))) throw new ArgumentException("priority weights and distances must be zero or more");
        if (People + Roads + Accidents + Risk + ResidualArea <= 0) throw new ArgumentException("at least one priority weight must be positive");
        if (!(RiskCellM >= 1)) throw new ArgumentException("risk_cell_m must be at least 1 metre");
    }
}

/// <summary>An open hazardous area to rank: its residual polygon (area minus released land), WGS84.</summary>
public sealed record PriorityArea(string Id, string? Name, string? Place, Geometry Residual, double ResidualM2);

public sealed record PriorityVillage(string Id, string Name, long Population, Geometry Geometry);

/// <summary>One criterion of one area: its raw value, normalised value (÷ the largest) and contribution (× weight).</summary>
public sealed record CriterionScore(string Criterion, double? Raw, double Normalised, double Contribution);

public sealed record PriorityRow(int Rank, PriorityArea Area, double Score, IReadOnlyList<CriterionScore> Criteria);

public static class Priorities
{
    /// <summary>
    /// Ranks areas by the weighted score. People: inhabitants of villages within <see cref="PriorityWeights.PeopleWithinM"/>;
    /// roads: metres of road (and other infrastructure lines) within <see cref="PriorityWeights.RoadsWithinM"/>;
    /// accidents: mine/ERW accidents within <see cref="PriorityWeights.AccidentsWithinM"/> since the given date;
    /// risk: the mean likelihood of the area's cells (null when no map could be made); residual area in m².
    /// </summary>
    public static List<PriorityRow> Rank(
        IReadOnlyList<PriorityArea> areas,
        IReadOnlyList<PriorityVillage> villages,
        IReadOnlyList<Geometry> roads,
        IReadOnlyList<(double Lon, double Lat)> accidents,
        IReadOnlyDictionary<string, double>? meanRisk,
        PriorityWeights weights)
    {
        weights.Validate();
        if (areas.Count == 0) return [];
        var extent = new Envelope();
        foreach (var a in areas) extent.ExpandToInclude(a.Residual.EnvelopeInternal);
        var projection = new LocalProjection(extent);
        var villageMetric = villages.Select(v => (v, g: projection.Project(v.Geometry))).ToList();
        var roadMetric = roads.Select(projection.Project).ToList();
        var accidentMetric = accidents.Select(a => projection.Project(a.Lon, a.Lat)).ToList();

        // Accidents are many (a million at scale 2500): only those in the area's envelope grown by the distance can lie
        // within it, so a grid of their points narrows the exact distance test (a grid, not a tree: the tree's queries
        // and their lists took half the ranking's time at that scale).
        var accidentGrid = new PointGrid([.. accidentMetric.Select(a => a.X)], [.. accidentMetric.Select(a => a.Y)]);
        // Villages and roads indexed by their envelopes too (issue 11: each area tested every village and every road, 24 s
        // for 100,000 areas at scale 2500); each exact test below is the one it was, on the candidates the index gives.
        var villageIndex = new STRtree<int>();
        for (var v = 0; v < villageMetric.Count; v++) villageIndex.Insert(villageMetric[v].g.EnvelopeInternal, v);
        villageIndex.Build();
        var roadIndex = new STRtree<int>();
        for (var r = 0; r < roadMetric.Count; r++) roadIndex.Insert(roadMetric[r].EnvelopeInternal, r);
        roadIndex.Build();
        var metric = areas.Select(a => projection.Project(a.Residual)).ToArray();
        var raw = new double?[areas.Count][];
        Parallel.For(0, areas.Count, () => new List<int>(), (i, _, candidates) =>
        {
            var a = areas[i];
            var g = metric[i];
            // A village within the distance has its envelope within the area's envelope grown by it. Populations are whole
            // numbers: their sum is the same in any order.
            var around = new Envelope(g.EnvelopeInternal);
            around.ExpandBy(weights.PeopleWithinM);
            double people = villageIndex.Query(around).Select(v => villageMetric[v]).Where(v => v.g.IsWithinDistance(g, weights.PeopleWithinM)).Sum(v => (double)v.v.Population);
            // The zone around the area lies inside its envelope grown by the distance: with no road there, no buffer is built.
            var reach = new Envelope(g.EnvelopeInternal);
            reach.ExpandBy(weights.RoadsWithinM);
            double roadM = 0;
            // A road's envelope near the area's says little (a national road's envelope covers half the country): only
            // roads that come within the buffer's reach of the area can meet the buffer, and a road that cannot adds its
            // empty intersection's length, 0, which leaves the sum the same bits. With no such road no buffer is built.
            var reached = roadIndex.Query(reach).Where(r => roadMetric[r].IsWithinDistance(g, RoadReach(weights.RoadsWithinM))).ToList();
            if (reached.Count > 0)
            {
                var zone = g.Buffer(weights.RoadsWithinM);
                // Summed in the roads' own order, as before the index: a sum of lengths depends on its order in its last digits.
                roadM = reached.Order().Select(r => roadMetric[r]).Where(r => r.EnvelopeInternal.Intersects(zone.EnvelopeInternal)).Sum(r => r.Intersection(zone).Length);
            }
            var near = new Envelope(g.EnvelopeInternal);
            near.ExpandBy(weights.AccidentsWithinM);
            candidates.Clear();
            accidentGrid.Within(near, candidates);
            // Within the distance exactly when the least distance is (IsWithinDistance's answer), measured with the area indexed once.
            var measured = candidates.Count > 0 && g is IPolygonal ? new AreaDistance(g) : null;
            double nearby = 0;
            foreach (var k in candidates)
            {
                var (x, y) = accidentMetric[k];
                if (measured is not null ? measured.Within(x, y, weights.AccidentsWithinM)
                    : g.IsWithinDistance(projection.Factory.CreatePoint(new Coordinate(x, y)), weights.AccidentsWithinM)) nearby++;
            }
            double? risk = meanRisk is null ? null : meanRisk.TryGetValue(a.Id, out var r) ? r : null;
            raw[i] = [people, roadM, nearby, risk, a.ResidualM2];
            return candidates;
        }, _ => { });
        var max = Enumerable.Range(0, 5).Select(j => raw.Max(v => v[j] ?? 0)).ToArray();
        var rows = areas.Select((a, i) =>
        {
            var criteria = PriorityWeights.Criteria.Select((name, j) =>
            {
                var normalised = raw[i][j] is { } v && max[j] > 0 ? v / max[j] : 0;
                return new CriterionScore(name, raw[i][j], normalised, weights.WeightOf(name) * normalised);
            }).ToList();
            return (Area: a, Score: criteria.Sum(c => c.Contribution), Criteria: criteria);
        })
        .OrderByDescending(r => r.Score).ThenBy(r => r.Area.Id, StringComparer.Ordinal)
        .Select((r, i) => new PriorityRow(i + 1, r.Area, r.Score, r.Criteria))
        .ToList();
        return rows;
    }

    /// <summary>
    /// How far from an area a road may lie and still meet the area's buffer by <paramref name="within"/> metres: more
    /// than the distance itself, because the buffer is not the exact zone. NetTopologySuite's buffer puts its arcs'
    /// vertices on the circle (the chords lie inside it), but first simplifies the area's outline, removing dents
    /// shallower than 1 % of the distance, which can move the buffer's edge outwards by up to that much. The margin here
    /// is five times that, plus a metre for rounding: a road beyond it cannot touch the buffer.
    /// </summary>
    internal static double RoadReach(double within) => within * 1.05 + 1;

    /// <summary>The mean likelihood of the cells each area's residual polygon covers.</summary>
    public static Dictionary<string, double> MeanRisk(RiskMapResult map, IReadOnlyList<PriorityArea> areas) =>
        MeanRisk(map.Scene.Grid, map.Scene.Projection, map.Likelihood, areas);

    /// <summary>The same mean from a map's likelihood alone (<see cref="RiskLikelihood"/>: a kept map read back from its GeoTIFF), NaN outside the area.</summary>
    public static Dictionary<string, double> MeanRisk(RiskGrid grid, LocalProjection projection, float[] likelihood, IReadOnlyList<PriorityArea> areas)
    {
        var result = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var a in areas)
        {
            double sum = 0;
            var n = 0;
            grid.FillPolygonal(projection.Project(a.Residual), c =>
            {
                if (float.IsNaN(likelihood[c])) return;
                sum += likelihood[c];
                n++;
            });
            if (n > 0) result[a.Id] = sum / n;
        }
        return result;
    }
}
