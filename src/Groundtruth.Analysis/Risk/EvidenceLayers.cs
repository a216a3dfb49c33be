using Groundtruth.Analysis.Geodesy;
using Groundtruth.Analysis.Records;
using Groundtruth.Analysis.Spatial;
using Groundtruth.Domain;
using NetTopologySuite.Geometries;
using NetTopologySuite.Index.Strtree;

namespace Groundtruth.Analysis.Risk;

/// <summary>
/// The evidence layers on the grid as they stood at a cutoff date: only what was known before it
/// (<see cref="RiskScene.KnownBefore"/>) enters, so changing anything dated on or after the cutoff cannot
/// change a layer (the no-leakage test checks it byte for byte). Distances come from an exact Euclidean
/// distance transform of the burned-in evidence; density from binned, Gaussian-smoothed events.
/// </summary>
public sealed class EvidenceLayers
{
    /// <summary>The model's features, in order; distances enter as ln(1 + d / scale).</summary>
    public static readonly string[] FeatureNames =
        ["past_finds", "past_accidents", "minefield_records", "front_lines", "roads", "event_density", "hazardous_area", "released_land", "surveyed"];

    /// <summary>
    /// The direction each layer may push the likelihood (+1 up, −1 down, 0 either way): evidence of contamination
    /// can only raise it — nearer past finds, accidents and front lines (distances enter as logs, so −1), stronger
    /// record evidence, denser events, a hazardous area. Layers of sampling effort — released land and survey
    /// coverage — can never raise it (effort is not evidence: docs/decisions/0027-effort-is-not-evidence.md).
    /// Roads may go either way.
    /// </summary>
    public static readonly int[] FeatureSigns = [-1, -1, +1, -1, 0, +1, +1, -1, -1];

    /// <summary>The layers that describe where people looked (sampling effort), not what the ground holds.</summary>
    public static readonly string[] EffortLayers = ["released_land", "surveyed"];

    /// <summary>Distances beyond this are treated as this (no evidence anywhere near).</summary>
    public const float MaxDistanceM = 100_000;

    private readonly float _scale;
    private float _cap;

    /// <summary>The features a distance cap holds (<see cref="RiskOptions.DistanceCapM"/>): past finds, past accidents, front lines.</summary>
    public static readonly int[] CappedFeatures = [0, 1, 3];

    private EvidenceLayers(RiskGrid grid, DateOnly cutoff, float scale, float cap)
    {
        Grid = grid;
        Cutoff = cutoff;
        _scale = scale;
        _cap = cap > 0 ? Math.Min(cap, MaxDistanceM) : MaxDistanceM;
    }

    public RiskGrid Grid { get; }

    /// <summary>The same layers (shared, not copied) read with the distances to past finds, past accidents and front lines held at <paramref name="capM"/> metres (0: not held).</summary>
    public EvidenceLayers WithDistanceCap(double capM)
    {
        var copy = (EvidenceLayers)MemberwiseClone();
        copy._cap = capM > 0 ? Math.Min((float)capM, MaxDistanceM) : MaxDistanceM;
        return copy;
    }
    public DateOnly Cutoff { get; }

    /// <summary>The model's features on this grid: the built-in layers, then the covariates' (<see cref="CovariateLayers"/>).</summary>
    public string[] Names { get; private set; } = FeatureNames;

    /// <summary>The sign of each feature in <see cref="Names"/>: covariates may go either way.</summary>
    public int[] Signs { get; private set; } = FeatureSigns;

    private float[][] _covariates = [];
    public float[] FindDistance { get; private set; } = [];
    public float[] AccidentDistance { get; private set; } = [];
    /// <summary>max over sources of reliability · exp(−distance / scale) to that source's records.</summary>
    public float[] RecordEvidence { get; private set; } = [];
    public float[] FrontLineDistance { get; private set; } = [];
    public float[] RoadDistance { get; private set; } = [];
    /// <summary>Past finds and accidents per km², Gaussian-smoothed.</summary>
    public float[] Density { get; private set; } = [];
    public bool[] Hazard { get; private set; } = [];
    public bool[] Released { get; private set; } = [];
    public bool[] Surveyed { get; private set; } = [];
    /// <summary>Cells holding a past find or accident.</summary>
    public bool[] EventCell { get; private set; } = [];
    /// <summary>Cells a record footprint touches.</summary>
    public bool[] RecordCell { get; private set; } = [];
    /// <summary>The reliability used for each source's records (smoothed confirmation rate, DESIGN section 6).</summary>
    public IReadOnlyDictionary<string, SourceReliability> Reliability { get; private set; } = new Dictionary<string, SourceReliability>();

    /// <summary>The baseline: distance to the nearest past find or accident.</summary>
    public float BaselineDistance(int cell) => Math.Min(FindDistance[cell], AccidentDistance[cell]);

    public float Feature(int feature, int cell) => feature switch
    {
        0 => Near(FindDistance[cell]),
        1 => Near(AccidentDistance[cell]),
        2 => RecordEvidence[cell],
        3 => Near(FrontLineDistance[cell]),
        4 => Log(RoadDistance[cell]),
        5 => MathF.Log(1 + Density[cell]),
        6 => Hazard[cell] ? 1 : 0,
        7 => Released[cell] ? 1 : 0,
        8 => Surveyed[cell] ? 1 : 0,
        _ => _covariates[feature - 9][cell],
    };

    /// <summary>The baseline as a feature: ln(1 + distance to the nearest past event / scale).</summary>
    public float BaselineFeature(int cell) => Log(BaselineDistance(cell));

    private float Log(float d) => MathF.Log(1 + Math.Min(d, MaxDistanceM) / _scale);

    /// <summary>
    /// Distance to past finds, past accidents and front lines as a feature: ln(1 + d / scale), with d held at the cap
    /// (<see cref="RiskOptions.DistanceCapM"/>) when one is set: beyond it, land is "far" and no farther.
    /// </summary>
    private float Near(float d) => MathF.Log(1 + Math.Min(d, _cap) / _scale);

    /// <summary>Every layer's bytes, in a fixed order (for the no-leakage test).</summary>
    public byte[] ToBytes()
    {
        using var ms = new MemoryStream();
        foreach (var a in new[] { FindDistance, AccidentDistance, RecordEvidence, FrontLineDistance, RoadDistance, Density })
            ms.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(a.AsSpan()));
        foreach (var a in new[] { Hazard, Released, Surveyed, EventCell, RecordCell })
            ms.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(a.AsSpan()));
        foreach (var (k, v) in Reliability.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            ms.Write(System.Text.Encoding.UTF8.GetBytes($"{k}:{v.Confirmed}/{v.Evaluated}:{v.Weight:R};"));
        return ms.ToArray();
    }

    /// <summary>An area that touches a held-out cell is hidden whole: no worked land of a held-out block shows in the layers or the training.</summary>
    internal static bool IsVisibleArea(RiskGrid grid, Geometry metric, bool[]? hidden)
    {
        if (hidden is null) return true;
        var p = metric.InteriorPoint;
        var cell = grid.CellOf(p.X, p.Y);
        if (cell >= 0 && hidden[cell]) return false;
        var touches = false;
        grid.FillPolygonal(metric, c => touches |= hidden[c]);
        return !touches;
    }

    /// <summary>
    /// Builds the layers at <paramref name="cutoff"/>; <paramref name="hidden"/> cells (a held-out spatial block)
    /// contribute no events, and no worked land (surveyed, processed or released areas touching them are left
    /// out whole), so nothing learned about a held-out block comes from what was found or done in it. Lines,
    /// minefield records and hazardous areas stay visible: they are what a planner knows before anyone works there.
    /// </summary>
    public static EvidenceLayers Build(RiskScene scene, DateOnly cutoff, RiskOptions options, bool[]? hidden = null, RiskProgress? progress = null)
    {
        progress ??= RiskProgress.None;
        progress.Report("past finds and accidents", 0);
        var grid = scene.Grid;
        var data = scene.Data;
        var layers = new EvidenceLayers(grid, cutoff, (float)options.DistanceScaleM, (float)(options.DistanceCapM ?? 0));
        var covariates = scene.Covariates;
        layers._covariates = covariates.Values;
        layers.Names = [.. FeatureNames, .. covariates.Names];
        layers.Signs = [.. FeatureSigns, .. covariates.Names.Select(_ => 0)];
        // An event beyond the grid (a map of one place with --in) lies in no held-out block: the sources' reliability, a property of
        // each source over the whole programme, reads it as it reads the processed land there; only the layers, on the grid, leave it out.
        bool Visible(int cell) => hidden is null || cell < 0 || !hidden[cell];
        bool VisibleArea(Geometry metric) => IsVisibleArea(grid, metric, hidden);

        var finds = new bool[grid.Count];
        var accidents = new bool[grid.Count];
        var density = new KernelDensity.Bins(grid, options.BandwidthM);
        var visibleFinds = new List<FindInput>(data.Finds.Count);
        var (findDays, accidentDays) = (scene.FindDays, scene.AccidentDays);
        for (var i = 0; i < data.Finds.Count; i++)
        {
            var cell = scene.FindCells[i];
            if (!findDays.KnownBefore(i, cutoff) || !Visible(cell)) continue;
            visibleFinds.Add(data.Finds[i]);
            if (cell < 0 || !findDays.Contamination[i]) continue;
            finds[cell] = true;
            density.Add(scene.FindXy[i].X, scene.FindXy[i].Y, 1);
        }
        var visibleAccidents = new List<AccidentInput>();
        for (var i = 0; i < data.Accidents.Count; i++)
        {
            var cell = scene.AccidentCells[i];
            if (!accidentDays.KnownBefore(i, cutoff) || !Visible(cell)) continue;
            visibleAccidents.Add(data.Accidents[i]);
            if (cell < 0 || !accidentDays.Contamination[i]) continue;
            accidents[cell] = true;
            density.Add(scene.AccidentXy[i].X, scene.AccidentXy[i].Y, 1);
        }
        progress.Report("distance to past finds and accidents", 0.1);
        layers.FindDistance = DistanceTransform.Compute(grid, finds);
        layers.AccidentDistance = DistanceTransform.Compute(grid, accidents);
        layers.EventCell = new bool[grid.Count];
        for (var i = 0; i < grid.Count; i++) layers.EventCell[i] = finds[i] || accidents[i];
        layers.Density = density.Blur();

        progress.Report("front lines and roads", 0.3);
        // Lines: former front lines, and roads (with other infrastructure lines); the same in every window.
        (layers.FrontLineDistance, layers.RoadDistance) = scene.LineDistances;

        progress.Report("surveyed and released land", 0.4);
        // Worked land known by the cutoff: processed (for the reliability of records), surveyed, released.
        var processed = new List<ProcessedLandInput>();
        for (var i = 0; i < data.Processed.Count; i++)
        {
            var p = data.Processed[i];
            if (p.Start is not { } start || !RiskScene.KnownBefore(start, cutoff) || !VisibleArea(scene.ProcessedMetric[i])) continue;
            processed.Add(p.End is { } end && !RiskScene.KnownBefore(end, cutoff) ? p with { End = null } : p);
        }
        // Surveyed and released land and hazardous areas as they stood at the cutoff, read off each cell's first day in them
        // (burnt once per scene for every window).
        var worked = scene.WorkedFor(hidden);
        var day = cutoff.DayNumber;
        layers.Surveyed = new bool[grid.Count];
        layers.Released = new bool[grid.Count];
        layers.Hazard = new bool[grid.Count];
        var (surveyed, released, hazard) = (layers.Surveyed, layers.Released, layers.Hazard);
        for (var c = 0; c < grid.Count; c++)
        {
            surveyed[c] = worked.Surveyed[c] < day;
            released[c] = worked.Released[c] < day;
            hazard[c] = worked.Hazard[c] < day;
        }

        // Records, weighted by their source's reliability measured on what was known by the cutoff.
        var known = data.Records.Select((r, i) => (r, i)).Where(x => RiskScene.KnownBefore(x.r.HandedOverOn, cutoff)).ToList();
        var reliability = new Dictionary<string, SourceReliability>(StringComparer.Ordinal);
        layers.RecordEvidence = new float[grid.Count];
        layers.RecordCell = new bool[grid.Count];
        var recordCell = layers.RecordCell;
        var evidence = layers.RecordEvidence;
        // The records' shapes, built once for every window (by the first to get here, or the map in the background); each
        // record's processed pieces and mine finds as the scene found them once for every window (in the zone reliability
        // measures in, unless the records lie elsewhere).
        scene.PrepareRecordShapes();
        var shared = new SourceReliability.Shared { Buffers = scene.RecordBuffers, Evidence = scene.EvidenceFor(hidden) };
        var sources = known.GroupBy(x => x.r.Record.Source, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
        // Each source's distances (a burn and a transform, the same for every window that knows the same records) side by side
        // with the others', before the sources are measured one by one.
        var distances = new (bool[] Seeds, float[] Distance)[sources.Count];
        Parallel.For(0, sources.Count, s => distances[s] = scene.RecordDistances(sources[s].Key, [.. sources[s].Select(x => x.i)]));
        for (var s = 0; s < sources.Count; s++)
        {
            var group = sources[s];
            progress.Report($"reliability of {group.Key}'s records", 0.55 + 0.45 * s / sources.Count);
            var r = SourceReliability.Measure([.. group.Select(x => x.r.Record)], visibleFinds, visibleAccidents, processed, cutoff, shared);
            reliability[group.Key] = r;
            var (seeds, d) = distances[s];
            for (var c = 0; c < seeds.Length; c++) recordCell[c] |= seeds[c];
            var w = (float)r.Weight;
            var scale = (float)options.DistanceScaleM;
            Parallel.For(0, grid.Rows, row =>
            {
                for (var c = row * grid.Columns; c < (row + 1) * grid.Columns; c++)
                    evidence[c] = Math.Max(evidence[c], float.IsInfinity(d[c]) ? 0 : w * MathF.Exp(-d[c] / scale));
            });
        }
        layers.Reliability = reliability;
        return layers;
    }
}

/// <summary>
/// A source's measured reliability: of its records evaluated by the cutoff (DESIGN section 6), how many
/// a find confirmed, smoothed as (confirmed + 1) / (evaluated + 2) so a source with no evaluated record
/// weighs ½ and one record never weighs 0 or 1.
/// </summary>
/// <remarks>
/// Counts exactly what <see cref="RecordAccuracy.Compute"/> counts for <c>EvaluatedRecords</c> and
/// <c>ConfirmedRecords</c> (with no start date, the window ending the day before the cutoff, and the default
/// share of processed land), and nothing else: the offsets, coverage curve, accidents and bootstrap intervals
/// that record accuracy reports are not needed for a weight and cost minutes at national scale (issue 11).
/// A test compares the two on generated programmes.
/// </remarks>
public sealed record SourceReliability(int Evaluated, int Confirmed, double Weight)
{
    /// <summary>Point and line records with no stated uncertainty are given this buffer here, so every record can be scored.</summary>
    public const double DefaultBufferM = 25;

    /// <param name="shared">What the sources measured on the same finds, processed land and cutoff can share (the processed land projected and indexed once).</param>
    public static SourceReliability Measure(IReadOnlyList<RecordInput> records, IReadOnlyList<FindInput> finds, IReadOnlyList<AccidentInput> accidents, IReadOnlyList<ProcessedLandInput> processed, DateOnly cutoff,
        Shared? shared = null)
    {
        var (evaluated, confirmed) = Count(records, finds, processed, cutoff, shared ?? new Shared());
        return new SourceReliability(evaluated, confirmed, (confirmed + 1.0) / (evaluated + 2.0));
    }

    /// <summary>The same figures through <see cref="RecordAccuracy.Compute"/>, for the tests that pin <see cref="Measure"/> to it.</summary>
    public static SourceReliability MeasureByRecordAccuracy(IReadOnlyList<RecordInput> records, IReadOnlyList<FindInput> finds, IReadOnlyList<AccidentInput> accidents, IReadOnlyList<ProcessedLandInput> processed, DateOnly cutoff)
    {
        var result = RecordAccuracy.Compute([.. records.Select(WithDefaultBuffer)], finds, accidents, processed,
            new RecordAccuracyOptions(To: cutoff.AddDays(-1), BootstrapSamples: 1));
        return new SourceReliability(result.EvaluatedRecords, result.ConfirmedRecords, (result.ConfirmedRecords + 1.0) / (result.EvaluatedRecords + 2.0));
    }

    /// <summary>The record as it is buffered: a point or line with no stated uncertainty is given <see cref="DefaultBufferM"/>.</summary>
    internal static RecordInput WithDefaultBuffer(RecordInput r) =>
        r.Footprint is IPolygonal || r.PositionUncertaintyM is > 0 ? r : r with { PositionUncertaintyM = DefaultBufferM };

    /// <summary>Share of a record's footprint that must lie in processed land for it to be evaluated (record accuracy's default).</summary>
    internal static readonly double MinProcessed = new RecordAccuracyOptions().MinProcessed;

    /// <summary>Work shared between the sources measured on the same finds, processed land and cutoff.</summary>
    public sealed class Shared
    {
        internal Dictionary<int, STRtree<ProcessedPiece>> ProcessedByEpsg { get; } = [];

        internal (double[] Lons, double[] Lats, int[] Quantities)? MineFinds { get; set; }

        /// <summary>The records' buffers, which outlive one cutoff: hand the same cache to every window of a scene.</summary>
        public RecordBuffers Buffers { get; init; } = new();

        /// <summary>
        /// The scene's records' pieces and mine finds, found once for all its windows (<see cref="SceneEvidence"/>); null: each
        /// measure builds its own tree and join. Set only where the processed land and the finds handed in are the scene's
        /// visible ones as they stood at the cutoff (the layers' own measures).
        /// </summary>
        internal SceneEvidence? Evidence { get; init; }
    }

    /// <summary>
    /// What every window of a scene reads of its records, found once (issue 16: at scale 500 each source's measure in each
    /// window built the processed land's tree, queried it for every record and joined the window's mine finds to the
    /// records, about half of the layers' time): each record's processed pieces in the order they became known, with its
    /// area in each, and the mine finds its buffer covers, by date. A window takes the pieces known before its cutoff and the
    /// finds dated before it — the same sets its own tree and join held — and decides as <see cref="IsEvaluated"/> does.
    /// </summary>
    internal sealed class SceneEvidence
    {
        /// <param name="epsg">The zone the pieces and the records' buffers are in.</param>
        /// <param name="pieces">Every processed piece a window may meet, with the day number from which it is known (a window
        /// holds it when that day is before its cutoff).</param>
        /// <param name="mineFinds">Every mine find a window may meet (visible, of a mine category, not cached), with the day number
        /// from which it is known (its date's last day).</param>
        public SceneEvidence(int epsg, IReadOnlyList<(ProcessedPiece Piece, int KnownFrom)> pieces, IReadOnlyList<RecordInput> records,
            (double Lon, double Lat, int Quantity, int KnownFrom)[] mineFinds, RecordBuffers buffers)
        {
            Epsg = epsg;
            _pieces = pieces;
            _tree = new STRtree<int>();
            for (var i = 0; i < pieces.Count; i++) _tree.Insert(pieces[i].Piece.Metric.EnvelopeInternal, i);
            _tree.Build();
            _records = records;
            _mineFinds = mineFinds;
            _buffers = buffers;
            _finds = new Lazy<Dictionary<RecordShape, (int[] Days, long[] Totals)>>(JoinFinds, LazyThreadSafetyMode.ExecutionAndPublication);
        }

        public int Epsg { get; }

        /// <summary>Joins the mine finds to the records now (<see cref="RiskScene.PrepareRecordEvidence"/>), not when the first window counts.</summary>
        public void Prepare() => _ = _finds.Value;

        private readonly IReadOnlyList<(ProcessedPiece Piece, int KnownFrom)> _pieces;
        private readonly STRtree<int> _tree;
        private readonly IReadOnlyList<RecordInput> _records;
        private readonly (double Lon, double Lat, int Quantity, int KnownFrom)[] _mineFinds;
        private readonly RecordBuffers _buffers;
        private readonly Lazy<Dictionary<RecordShape, (int[] Days, long[] Totals)>> _finds;
        private readonly System.Collections.Concurrent.ConcurrentDictionary<RecordShape, Lazy<Entry>> _entries = new(ReferenceEqualityComparer.Instance);

        /// <summary>Of <paramref name="kept"/> (a source's valid records' shapes, in <see cref="Epsg"/>), how many were evaluated and confirmed by <paramref name="cutoff"/>.</summary>
        public (int Evaluated, int Confirmed) Count(IReadOnlyList<RecordShape> kept, DateOnly cutoff)
        {
            var day = cutoff.DayNumber;
            var finds = _finds.Value;
            var evaluated = new bool[kept.Count];
            var confirmed = new bool[kept.Count];
            Parallel.For(0, kept.Count, i =>
            {
                var shape = kept[i];
                var entry = _entries.GetOrAdd(shape, static (s, self) => new Lazy<Entry>(() => self.EntryOf(s), LazyThreadSafetyMode.ExecutionAndPublication), this).Value;
                evaluated[i] = entry.IsEvaluated(shape, day);
                if (finds.TryGetValue(shape, out var f))
                {
                    // The quantities of the finds known before the cutoff, summed (the days ascending, the totals running).
                    var known = LowerBound(f.Days, day);
                    confirmed[i] = known > 0 && f.Totals[known - 1] > 0;
                }
            });
            var (e, c) = (0, 0);
            for (var i = 0; i < kept.Count; i++)
            {
                if (!evaluated[i]) continue;
                e++;
                if (confirmed[i]) c++;
            }
            return (e, c);
        }

        /// <summary>How many of the ascending <paramref name="days"/> lie before <paramref name="day"/>.</summary>
        private static int LowerBound(int[] days, int day)
        {
            int low = 0, high = days.Length;
            while (low < high)
            {
                var mid = (low + high) >>> 1;
                if (days[mid] < day) low = mid + 1;
                else high = mid;
            }
            return low;
        }

        /// <summary>The pieces meeting a record's reach (the box that holds its buffer), in the order they became known (then their order in the scene).</summary>
        private Entry EntryOf(RecordShape shape)
        {
            var found = _tree.Query(shape.Reach);
            var order = found.OrderBy(i => _pieces[i].KnownFrom).ThenBy(i => i).ToArray();
            ProcessedPiece[] pieces = [.. order.Select(i => _pieces[i].Piece)];
            int[] knownFrom = [.. order.Select(i => _pieces[i].KnownFrom)];
            // The first piece to hold the whole reach (a buffered record only: its buffer lies in the box, the box in the piece).
            var wholeFrom = int.MaxValue;
            if (shape.BufferM > 0 && MinProcessed < WholeShareLimit)
            {
                Geometry? box = null;
                for (var i = 0; i < pieces.Length && wholeFrom == int.MaxValue; i++)
                {
                    if (!pieces[i].Metric.EnvelopeInternal.Contains(shape.Reach)) continue;
                    box ??= pieces[i].Metric.Factory.ToGeometry(shape.Reach);
                    if (NetTopologySuite.Operation.RelateNG.RelateNG.Relate(pieces[i].Metric, box, NetTopologySuite.Operation.RelateNG.RelatePredicate.Covers())) wholeFrom = knownFrom[i];
                }
            }
            return new Entry(shape, pieces, knownFrom, wholeFrom);
        }

        /// <summary>Below this share, a record lying whole in processed land is evaluated whatever the kernel's rounding (<see cref="Entry"/>).</summary>
        private const double WholeShareLimit = 0.999;

        /// <summary>
        /// Every mine find joined to the records' buffers that cover it (in WGS84, as the measure joins them), once. A record not
        /// buffered is tested as before; a buffered one only where its buffer's edge could be in doubt: a find well within the buffer
        /// distance of the footprint lies in the buffer, one well beyond it does not, and only those between are tested against the
        /// buffer itself (<see cref="Band.Covers"/>), so most buffers are never built.
        /// </summary>
        private Dictionary<RecordShape, (int[] Days, long[] Totals)> JoinFinds()
        {
            var shapes = new List<RecordShape>();
            var seen = new HashSet<RecordShape>(ReferenceEqualityComparer.Instance);
            var all = new RecordShape?[_records.Count];
            Parallel.For(0, _records.Count, i => all[i] = _buffers.GetOrBuild(_records[i], Epsg, () => Shape(_records[i], ProjectionOf(Epsg))));
            foreach (var s in all) if (s is not null && seen.Add(s)) shapes.Add(s);
            var result = new Dictionary<RecordShape, (int[], long[])>(ReferenceEqualityComparer.Instance);
            if (shapes.Count == 0 || _mineFinds.Length == 0) return result;
            var bands = new Band?[shapes.Count];
            var areas = new Geometry[shapes.Count];
            Parallel.For(0, shapes.Count, i =>
            {
                if (shapes[i].BufferM > 0) (areas[i], bands[i]) = Band.Of(shapes[i], ProjectionOf(Epsg));
                else areas[i] = shapes[i].Containment;
            });
            var index = PolygonIndex.Build(areas);
            var hits = new List<(int Shape, int Day, int Quantity)>();
            Parallel.ForEach(System.Collections.Concurrent.Partitioner.Create(0, _mineFinds.Length, 16_384),
                () => (Hits: new List<(int, int, int)>(), Near: new List<int>(), Projection: ProjectionOf(Epsg)), (range, _, local) =>
                {
                    for (var i = range.Item1; i < range.Item2; i++)
                    {
                        var f = _mineFinds[i];
                        local.Near.Clear();
                        var near = local.Near;
                        index.ForEachCovering(f.Lon, f.Lat, ref near, static (ref List<int> n, int p) => n.Add(p));
                        foreach (var p in local.Near)
                            if (bands[p] is not { } band || band.Covers(shapes[p], f.Lon, f.Lat, local.Projection)) local.Hits.Add((p, f.KnownFrom, f.Quantity));
                    }
                    return local;
                }, local => { lock (hits) hits.AddRange(local.Hits); });
            foreach (var group in hits.GroupBy(h => h.Shape))
            {
                var byDay = group.OrderBy(h => h.Day).ToArray();
                var days = byDay.Select(h => h.Day).ToArray();
                var totals = new long[byDay.Length];
                long running = 0;
                for (var i = 0; i < byDay.Length; i++) totals[i] = running += byDay[i].Quantity;
                result[shapes[group.Key]] = (days, totals);
            }
            return result;
        }

        /// <summary>
        /// Around a buffered record, the distances from its footprint (in metres) within which a point surely lies in its buffer and
        /// beyond which it surely does not. A buffer's edge runs at the buffer distance d through its vertices and cuts inside between
        /// them by at most 1 − cos(3π/64) of d (arcs of eight segments a quadrant, one segment stretched to a step and a half);
        /// the input's simplification moves it by at most a hundredth of d more. The buffer is tested in WGS84, whose straight edges
        /// bow from the metric ones by less than a few millimetres a kilometre squared: each side keeps a room of a millimetre plus
        /// (the longest edge + 2d)² / 10⁶ m. Between the two, the buffer itself is built and tested, exactly as before.
        /// </summary>
        private sealed class Band
        {
            public const double Inside = 0.95, Outside = 1.02;

            /// <summary>Points along each side of the reach beyond its corners, less one (spare: the extremes are at the corners and the crossings).</summary>
            private const int SideSamples = 4;

            private readonly double _in, _out;

            private Band(double inside, double outside) => (_in, _out) = (inside, outside);

            /// <summary>The box in WGS84 where a find can lie in <paramref name="shape"/>'s buffer, and its band.</summary>
            public static (Geometry Box, Band Band) Of(RecordShape shape, LocalProjection projection)
            {
                var d = shape.BufferM;
                double longest = 0;
                var points = shape.Footprint.Coordinates;
                for (var k = 1; k < points.Length; k++) longest = Math.Max(longest, points[k - 1].Distance(points[k]));
                var room = 0.001 + (longest + 2 * d) * (longest + 2 * d) / 1e6;
                // The reach's sides in WGS84: a side of constant northing turns in latitude only where it crosses the zone's central
                // meridian, one of constant easting in longitude only where it crosses the equator, and each is otherwise monotone,
                // so the corners and those crossings hold the sides' extremes; a few more points along each side are spare. Their box
                // is widened by a ten-thousandth of its size and a millionth of a degree.
                var r = shape.Reach;
                var box = new Envelope();
                void Add(double x, double y)
                {
                    var (lon, lat) = projection.Unproject(x, y);
                    box.ExpandToInclude(lon, lat);
                }
                for (var k = 0; k <= SideSamples; k++)
                {
                    var (x, y) = (r.MinX + r.Width * k / SideSamples, r.MinY + r.Height * k / SideSamples);
                    Add(x, r.MinY);
                    Add(x, r.MaxY);
                    Add(r.MinX, y);
                    Add(r.MaxX, y);
                }
                var meridian = Math.Clamp(LocalProjection.FalseEastingM, r.MinX, r.MaxX);
                Add(meridian, r.MinY);
                Add(meridian, r.MaxY);
                // And where the sides of constant easting cross the equator (northing 0 in a northern zone, 10,000 km in a southern).
                foreach (var equator in (ReadOnlySpan<double>)[0, 10_000_000])
                {
                    var y = Math.Clamp(equator, r.MinY, r.MaxY);
                    Add(r.MinX, y);
                    Add(r.MaxX, y);
                }
                box.ExpandBy(1e-4 * Math.Max(box.Width, box.Height) + 1e-6);
                return (SpatialRules.Factory.ToGeometry(box), new Band(Math.Max(0, Inside * d - room), Outside * d + room));
            }

            /// <summary>Whether the find at (<paramref name="lon"/>, <paramref name="lat"/>) lies in the buffer: by its distance from the footprint, else by the buffer itself.</summary>
            public bool Covers(RecordShape shape, double lon, double lat, LocalProjection projection)
            {
                var (x, y) = projection.Project(lon, lat);
                var distance = shape.Footprint.Distance(shape.Footprint.Factory.CreatePoint(new Coordinate(x, y)));
                if (distance <= _in) return true;
                if (distance > _out) return false;
                // Covers, as the index tests it: the ray-crossing test, a point on the boundary inside.
                return NetTopologySuite.Algorithm.Locate.SimplePointInAreaLocator.Locate(new Coordinate(lon, lat), shape.Containment) != Location.Exterior;
            }
        }

        /// <summary>
        /// A record's pieces near its reach in the order they became known, and the day from which one holds it whole; with its
        /// buffer, when a window needs it (<see cref="Detail"/>): the pieces meeting the buffer, its area in each (computed when
        /// first needed, by whichever window needs it first: read and written without a lock, each slot only ever holding NaN or
        /// the kernel's one answer) and the union's area by how many are known.
        /// </summary>
        /// <remarks>
        /// A window decides as <see cref="Decide"/> does on the sum and the largest of the record's areas in the pieces it knows,
        /// but computes an area only when the answer needs it (issue 16: the windows' measures, each record's areas among them, were
        /// the largest part of the layers' time at scale 500, and the four windows queued on each record's lock). An area above the
        /// threshold by more than the margin decides "evaluated" whatever the others are: the sum is at least the largest, the largest at
        /// least that area. And each area is at most the overlap of the two boxes (and the record's own area), so when those bounds,
        /// summed in the same order with a thousandth to spare, stay below the threshold by more than the margin, so does the sum of the
        /// areas: a sum in floating point never falls when a term grows. Otherwise every area is computed and <see cref="Decide"/> reads
        /// them as before.
        /// </remarks>
        private sealed class Entry
        {
            private readonly int[] _reachKnownFrom;
            private readonly int _wholeFrom;
            private readonly Lazy<Detail> _detail;

            /// <param name="pieces">The pieces meeting the record's reach, in the order they became known.</param>
            /// <param name="wholeFrom">The day from which a piece known holds the record's whole reach (int.MaxValue: never).</param>
            public Entry(RecordShape shape, ProcessedPiece[] pieces, int[] knownFrom, int wholeFrom)
            {
                (_reachKnownFrom, _wholeFrom) = (knownFrom, wholeFrom);
                _detail = new Lazy<Detail>(() =>
                {
                    // The pieces whose boxes meet the buffer's own (those the tree gives for it), in the same order.
                    var box = shape.Metric.EnvelopeInternal;
                    var meet = Enumerable.Range(0, pieces.Length).Where(i => pieces[i].Metric.EnvelopeInternal.Intersects(box)).ToArray();
                    return new Detail(shape, [.. meet.Select(i => pieces[i])], [.. meet.Select(i => knownFrom[i])]);
                }, LazyThreadSafetyMode.ExecutionAndPublication);
            }

            /// <summary>
            /// <see cref="SourceReliability.IsEvaluated"/> on the pieces known before <paramref name="day"/>: with no piece near its
            /// reach known, not evaluated (no processed land can lie in it); with one holding the reach whole, evaluated (its share is
            /// 1, the kernel's area of the buffer in that piece clears any threshold below <see cref="WholeShareLimit"/>); otherwise
            /// from the buffer and its areas, as before.
            /// </summary>
            public bool IsEvaluated(RecordShape shape, int day)
            {
                if (LowerBound(_reachKnownFrom, day) == 0) return 0 >= MinProcessed;
                if (_wholeFrom < day) return true;
                return _detail.Value.IsEvaluated(shape, day);
            }
        }

        /// <summary>The record's buffer, its pieces, areas and unions (<see cref="Entry"/>), built when a window needs them.</summary>
        private sealed class Detail
        {
            private readonly ProcessedPiece[] _pieces;
            private readonly int[] _knownFrom;
            private readonly double _area;
            private readonly double[] _areas;
            private readonly double[] _bounds;
            private readonly Dictionary<int, double> _unions = [];

            public Detail(RecordShape shape, ProcessedPiece[] pieces, int[] knownFrom)
            {
                (_pieces, _knownFrom) = (pieces, knownFrom);
                _area = shape.Metric.Area;
                _areas = new double[pieces.Length];
                Array.Fill(_areas, double.NaN);
                _bounds = new double[pieces.Length];
                var box = shape.Metric.EnvelopeInternal;
                for (var i = 0; i < pieces.Length; i++)
                {
                    var other = pieces[i].Metric.EnvelopeInternal;
                    var width = Math.Min(box.MaxX, other.MaxX) - Math.Max(box.MinX, other.MinX);
                    var height = Math.Min(box.MaxY, other.MaxY) - Math.Max(box.MinY, other.MinY);
                    // The pieces are those whose boxes meet the record's (the tree's query), so the overlap is never negative.
                    _bounds[i] = Math.Min(_area, Math.Max(0, width) * Math.Max(0, height)) * BoundSpare;
                }
            }

            /// <summary>The bounds' room for the kernel's rounding: a thousandth.</summary>
            private const double BoundSpare = 1.001;

            /// <summary><see cref="SourceReliability.IsEvaluated"/> on the pieces known before <paramref name="day"/>.</summary>
            public bool IsEvaluated(RecordShape shape, int day)
            {
                var area = _area;
                if (!(area > 0)) return 0 >= MinProcessed;
                var known = LowerBound(_knownFrom, day);
                if (known == 0) return 0 >= MinProcessed;
                var (high, low) = (MinProcessed * area + BoundMargin * area, MinProcessed * area - BoundMargin * area);
                double bound = 0;
                for (var i = 0; i < known; i++)
                {
                    var a = Volatile.Read(ref _areas[i]);
                    if (a > high) return true;
                    bound += double.IsNaN(a) ? _bounds[i] : a;
                }
                if (bound < low) return false;
                double sum = 0, largest = 0;
                for (var i = 0; i < known; i++)
                {
                    var a = Volatile.Read(ref _areas[i]);
                    if (double.IsNaN(a))
                    {
                        a = IntersectionArea.Of(shape.Polygon, _pieces[i].Polygon, out _);
                        Volatile.Write(ref _areas[i], a);
                        if (a > high) return true;
                    }
                    sum += a;
                    largest = Math.Max(largest, a);
                }
                return Decide(area, sum, largest, () =>
                {
                    lock (_unions)
                    {
                        if (!_unions.TryGetValue(known, out var processed)) _unions[known] = processed = ProcessedArea(shape.Metric, _pieces.Take(known));
                        return processed;
                    }
                });
            }
        }
    }

    /// <summary>A record's <see cref="RecordShape"/> in <paramref name="local"/>'s zone (null when its footprint is empty or invalid): its footprint projected now, its buffer when first asked for.</summary>
    private static RecordShape? Shape(RecordInput record, LocalProjection local)
    {
        var r = WithDefaultBuffer(record);
        if (r.Footprint.IsEmpty || !Validity.IsValid(r.Footprint)) return null;
        var footprint = local.Project(r.Footprint);
        var buffer = r.PositionUncertaintyM ?? 0;
        if (!(buffer > 0)) return new RecordShape(footprint, 0, RecordAccuracy.Buffered(footprint, 0), r.Footprint);
        var epsg = local.Epsg;
        return new RecordShape(footprint, buffer, () =>
        {
            var metric = RecordAccuracy.Buffered(footprint, buffer);
            return (metric, ProjectionOf(epsg).Unproject(metric));
        });
    }

    /// <summary>This thread's projection of UTM zone <paramref name="epsg"/>, made once per thread (transforms are not thread-safe): for shapes and buffers made on whichever thread first needs them.</summary>
    private static LocalProjection ProjectionOf(int epsg)
    {
        var own = Projections.Value!;
        if (!own.TryGetValue(epsg, out var projection)) own[epsg] = projection = new LocalProjection(epsg);
        return projection;
    }

    private static readonly ThreadLocal<Dictionary<int, LocalProjection>> Projections = new(() => []);

    /// <summary>
    /// Makes every record's shape (its footprint projected; its buffer is built only when a window needs it, <see cref="RecordShape"/>),
    /// side by side, in the zone its source's reliability is measured in when the finds of every window share the zone of all
    /// the finds (the usual case), before the windows are built in parallel: the windows then read them and none waits on a
    /// thread making one for another (waiting threads starved the web host's other requests while a map was computed). A
    /// source measured in another zone makes its own as it goes.
    /// </summary>
    public static void Prebuild(IReadOnlyList<RecordInput> records, IReadOnlyList<FindInput> finds, RecordBuffers buffers)
    {
        var bySource = records.GroupBy(r => r.Source, StringComparer.Ordinal).ToList();
        var findExtent = new Envelope();
        foreach (var f in finds) findExtent.ExpandToInclude(f.Lon, f.Lat);
        var work = new List<(RecordInput Record, int Epsg)>();
        foreach (var source in bySource)
        {
            var extent = new Envelope(findExtent);
            foreach (var r in source) extent.ExpandToInclude(r.Footprint.EnvelopeInternal);
            if (extent.IsNull) continue;
            var epsg = LocalProjection.ZoneOf(extent);
            work.AddRange(source.Select(r => (r, epsg)));
        }
        Parallel.For(0, work.Count, i =>
        {
            var (record, epsg) = work[i];
            buffers.GetOrBuild(record, epsg, () => Shape(record, ProjectionOf(epsg)));
        });
    }

    /// <summary>
    /// A valid record in metres: its footprint, its buffer (<see cref="Metric"/>) and the shape finds are tested against in WGS84
    /// (<see cref="Containment"/>, the buffer projected back). A buffered record's buffer is built when first asked for: a window
    /// that can decide from the footprint alone never asks (<see cref="SceneEvidence"/>; issue 16: buffering every record was a
    /// fifth of the risk map's processor time at scale 500).
    /// </summary>
    internal sealed class RecordShape
    {
        private readonly Lazy<(Geometry Metric, Geometry Containment)> _built;
        private AreaPolygon? _polygon;

        /// <summary>A record not buffered: its footprint (polygonal) is its shape.</summary>
        public RecordShape(Geometry footprint, double bufferM, Geometry metric, Geometry containment)
        {
            (Footprint, BufferM) = (footprint, bufferM);
            _built = new Lazy<(Geometry, Geometry)>((metric, containment));
            Reach = metric.EnvelopeInternal;
        }

        /// <summary>A record buffered by <paramref name="bufferM"/> metres, the buffer and its WGS84 shape made by <paramref name="build"/> when first needed.</summary>
        public RecordShape(Geometry footprint, double bufferM, Func<(Geometry Metric, Geometry Containment)> build)
        {
            (Footprint, BufferM) = (footprint, bufferM);
            _built = new Lazy<(Geometry, Geometry)>(build, LazyThreadSafetyMode.ExecutionAndPublication);
            // Every vertex of a buffer lies within the buffer distance of a footprint vertex: the footprint's box widened by it (and
            // a millimetre for rounding) holds the buffer.
            var reach = footprint.EnvelopeInternal.Copy();
            reach.ExpandBy(bufferM + ReachSpareM);
            Reach = reach;
        }

        /// <summary>The room left around a buffer's box for rounding, in metres.</summary>
        private const double ReachSpareM = 0.001;

        /// <summary>The footprint as stored, in metres.</summary>
        public Geometry Footprint { get; }

        /// <summary>The buffer distance in metres (0: not buffered, <see cref="Metric"/> is the footprint).</summary>
        public double BufferM { get; }

        /// <summary>A box in metres that holds <see cref="Metric"/>, known without building it.</summary>
        public Envelope Reach { get; }

        /// <summary>The footprint buffered (<see cref="RecordAccuracy.Buffered"/>), in metres.</summary>
        public Geometry Metric => _built.Value.Metric;

        /// <summary>The shape finds are tested against, in WGS84: the recorded footprint, or the buffer projected back.</summary>
        public Geometry Containment => _built.Value.Containment;

        /// <summary>The buffer's vertices ready for the intersection-area kernel, built on first use (a race builds it twice, harmlessly).</summary>
        public AreaPolygon Polygon => _polygon ??= AreaPolygon.Create(Metric);
    }

    /// <summary>Each record's <see cref="RecordShape"/> (null when its footprint is empty or invalid) per UTM zone, by record identity; safe across threads.</summary>
    /// <remarks>
    /// The training windows' layers are built side by side and meet the same records at the same time: each shape is
    /// built once, by the first window that asks, and the others wait for it (issue 11: every window buffered every
    /// record again, four times the work).
    /// </remarks>
    public sealed class RecordBuffers
    {
        private readonly System.Collections.Concurrent.ConcurrentDictionary<(RecordInput Record, int Epsg), Lazy<RecordShape?>> _shapes = new(new ByIdentity());

        /// <summary>
        /// The records no processed land the cache's users will hand in comes near (by identity), set once before any shape is
        /// asked for: each is given no shape, as a record with no area is, instead of a buffer (issue 16: buffering was a quarter of the
        /// risk map's allocations at scale 500, most of it for records nowhere near worked land). Only the scene that knows
        /// every processed area a window may hand in sets it (<see cref="RiskScene.PrepareRecordShapes"/>).
        /// </summary>
        internal IReadOnlySet<RecordInput>? FarFromProcessedLand { get; set; }

        /// <summary>How many records were found too far from processed land to need a buffer.</summary>
        public int RecordsFarFromProcessedLand => FarFromProcessedLand?.Count ?? 0;

        internal RecordShape? GetOrBuild(RecordInput record, int epsg, Func<RecordShape?> build) =>
            FarFromProcessedLand is { } far && far.Contains(record) ? null
            : _shapes.GetOrAdd((record, epsg), static (_, b) => new Lazy<RecordShape?>(b, LazyThreadSafetyMode.ExecutionAndPublication), build).Value;

        private sealed class ByIdentity : IEqualityComparer<(RecordInput Record, int Epsg)>
        {
            public bool Equals((RecordInput Record, int Epsg) a, (RecordInput Record, int Epsg) b) => ReferenceEquals(a.Record, b.Record) && a.Epsg == b.Epsg;

            public int GetHashCode((RecordInput Record, int Epsg) key) => HashCode.Combine(System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(key.Record), key.Epsg);
        }
    }

    private static (int Evaluated, int Confirmed) Count(IReadOnlyList<RecordInput> records, IReadOnlyList<FindInput> finds, IReadOnlyList<ProcessedLandInput> processed, DateOnly cutoff, Shared shared)
    {
        var to = cutoff.AddDays(-1);
        // The projection record accuracy would choose: the UTM zone of the records and every find handed in.
        var extent = new Envelope();
        foreach (var r in records) extent.ExpandToInclude(r.Footprint.EnvelopeInternal);
        foreach (var f in finds) extent.ExpandToInclude(f.Lon, f.Lat);
        var projection = new LocalProjection(extent);

        // Valid records, buffered by their stated uncertainty (default 25 m for points and lines), in metres;
        // containment is tested in WGS84 against the recorded footprint, or the buffer projected back. A record's
        // buffer does not depend on the cutoff: built once per record and zone, kept for every later window.
        var shapes = new RecordShape?[records.Count];
        // Coordinate transforms are not thread-safe: each worker projects with its own copy of the projection.
        using var projections = new ThreadLocal<LocalProjection>(() => new LocalProjection(projection.Epsg));
        Parallel.For(0, records.Count, i => shapes[i] = shared.Buffers.GetOrBuild(records[i], projection.Epsg, () => Shape(records[i], projections.Value!)));
        var kept = shapes.OfType<RecordShape>().ToList();
        if (kept.Count == 0) return (0, 0);
        if (shared.Evidence is { } evidence && evidence.Epsg == projection.Epsg) return evidence.Count(kept, cutoff);
        var containment = kept.Select(k => k.Containment).ToArray();
        var recordIndex = PolygonIndex.Build(containment);

        // Land processed by the end of the window, in metres (projected once per zone).
        if (!shared.ProcessedByEpsg.TryGetValue(projection.Epsg, out var processedTree))
        {
            processedTree = new STRtree<ProcessedPiece>();
            foreach (var p in processed)
            {
                if ((p.Start ?? p.End) is { } start && start.Start > to) continue;
                if (p.Area is not IPolygonal || p.Area.IsEmpty || !Validity.IsValid(p.Area)) continue;
                var metric = projection.Project(p.Area);
                processedTree.Insert(metric.EnvelopeInternal, new ProcessedPiece(metric));
            }
            processedTree.Build();
            shared.ProcessedByEpsg[projection.Epsg] = processedTree;
        }
        // Mine finds in the window (emplaced or of unknown emplacement), summed per record that covers them.
        if (shared.MineFinds is not { } mine)
        {
            var m = finds.Where(f => !f.FoundOn.Straddles(null, to) && f.FoundOn.LiesWithin(null, to)
                && RecordAccuracy.MineCategories.Contains(f.Category) && f.Emplacement != Emplacement.Cached).ToList();
            shared.MineFinds = mine = ([.. m.Select(f => f.Lon)], [.. m.Select(f => f.Lat)], [.. m.Select(f => f.Quantity)]);
        }
        var inside = SpatialJoin.SumPerPolygon(recordIndex, mine.Lons, mine.Lats, mine.Quantities);

        var evaluated = new bool[kept.Count];
        Parallel.For(0, kept.Count, i => evaluated[i] = IsEvaluated(kept[i], processedTree));
        var evaluatedCount = 0;
        var confirmedCount = 0;
        for (var i = 0; i < kept.Count; i++)
        {
            if (!evaluated[i]) continue;
            evaluatedCount++;
            if (inside[i] > 0) confirmedCount++;
        }
        return (evaluatedCount, confirmedCount);
    }

    /// <summary>
    /// Whether at least <see cref="MinProcessed"/> of <paramref name="footprint"/> lies in processed land: exactly
    /// <c>min(1, area(footprint ∩ ∪ processed) / area(footprint)) ≥ MinProcessed</c>, as record accuracy decides it.
    /// </summary>
    /// <remarks>
    /// The union of the processed land meeting a record is what costs (issue 11: most of the risk map's time at
    /// scale 500), and a weight needs only the side of the threshold, not the area. The area of the record in
    /// each processed piece alone (the intersection-area kernel, no overlay) bounds it: the largest piece is a
    /// lower bound, the sum of the pieces an upper bound. When a bound clears the threshold by more than
    /// <see cref="BoundMargin"/> of the record's area (far above the kernel's disagreement with the overlay, ADR 0011)
    /// the answer is known; otherwise — overlapping pieces near the threshold — the union is built as before. A test compares both ways on records placed on either side of the threshold.
    /// </remarks>
    internal static bool IsEvaluated(RecordShape shape, STRtree<ProcessedPiece> processed)
    {
        var footprint = shape.Metric;
        var area = footprint.Area;
        if (!(area > 0)) return 0 >= MinProcessed;
        var candidates = processed.Query(footprint.EnvelopeInternal);
        if (candidates.Count == 0) return 0 >= MinProcessed;
        var record = shape.Polygon;
        double sum = 0, largest = 0;
        foreach (var piece in candidates)
        {
            var part = IntersectionArea.Of(record, piece.Polygon, out _);
            sum += part;
            largest = Math.Max(largest, part);
        }
        return Decide(area, sum, largest, () => ProcessedArea(footprint, candidates));
    }

    /// <summary>
    /// The side of the threshold a footprint of <paramref name="area"/> m² lies on, from its area in each processed piece
    /// alone (their <paramref name="sum"/> and the <paramref name="largest"/>) when a bound clears the threshold by more than
    /// <see cref="BoundMargin"/>, else from the <paramref name="union"/>'s area (<see cref="IsEvaluated"/>).
    /// </summary>
    private static bool Decide(double area, double sum, double largest, Func<double> union)
    {
        var threshold = MinProcessed * area;
        if (sum < threshold - BoundMargin * area) return false;
        if (largest > threshold + BoundMargin * area) return true;
        return Math.Min(1, union() / area) >= MinProcessed;
    }

    /// <summary>How far (as a share of the record's area) a bound must clear the threshold to be trusted.</summary>
    private const double BoundMargin = 1e-6;

    /// <summary>m² of <paramref name="footprint"/> in the union of the processed land that meets it, as record accuracy measures it.</summary>
    internal static double ProcessedArea(Geometry footprint, IEnumerable<ProcessedPiece> candidates) =>
        RecordAccuracy.ProcessedArea(footprint, [.. candidates.Select(p => p.Metric)]);

    /// <summary>A piece of processed land in metres, with its vertices ready for the intersection-area kernel.</summary>
    internal sealed class ProcessedPiece(Geometry metric)
    {
        public Geometry Metric { get; } = metric;
        private AreaPolygon? _polygon;

        /// <summary>Built on first use (many pieces never meet a record); a race builds it twice, harmlessly.</summary>
        public AreaPolygon Polygon => _polygon ??= AreaPolygon.Create(Metric);
    }
}
