using Groundtruth.Analysis.Geodesy;
using Groundtruth.Analysis.Records;
using Groundtruth.Analysis.Spatial;
using Groundtruth.Domain;
using NetTopologySuite.Geometries;

namespace Groundtruth.Analysis.Risk;

/// <summary>A minefield record with the date it was handed over: it is evidence only from then on (unknown: always).</summary>
public sealed record RiskRecordInput(RecordInput Record, PartialDate? HandedOverOn);

public sealed record RiskLineInput(string Id, LineKind Kind, Geometry Geometry);

/// <summary>A dated polygon: a hazardous area (from the day it was recorded) or released land (from the day it was released).</summary>
public sealed record DatedAreaInput(string Id, Geometry Area, PartialDate? On);

/// <summary>Land someone has surveyed or worked on (any survey, clearance or battle area clearance, non-technical survey included), from its start.</summary>
public sealed record SurveyInput(string Id, Geometry Area, PartialDate? Start);

/// <summary>
/// Everything the risk model may look at, in WGS84 as stored. Every item carries its date; the layers
/// at a cutoff use only what was known before it (<see cref="RiskScene.KnownBefore"/>).
/// </summary>
/// <param name="Area">The programme area (or the <c>--in</c> place): cells whose centre lies outside are nodata.</param>
/// <param name="Processed">Technical survey, clearance and battle area clearance areas and reduced or cleared land: where the ground truth is known (DESIGN section 6).</param>
public sealed record RiskData(
    Geometry Area,
    IReadOnlyList<FindInput> Finds,
    IReadOnlyList<AccidentInput> Accidents,
    IReadOnlyList<RiskRecordInput> Records,
    IReadOnlyList<RiskLineInput> Lines,
    IReadOnlyList<DatedAreaInput> Hazards,
    IReadOnlyList<DatedAreaInput> Releases,
    IReadOnlyList<SurveyInput> Surveys,
    IReadOnlyList<ProcessedLandInput> Processed)
{
    /// <summary>Covariate rasters the programme holds (<c>groundtruth layers add</c>), used beside the built-in layers.</summary>
    public IReadOnlyList<CovariateRaster> Covariates { get; init; } = [];
}

/// <summary>The settings of a risk map or evaluation.</summary>
/// <param name="CellM">Grid cell size in metres.</param>
/// <param name="DistanceScaleM">Distances enter the model as ln(1 + d / scale); records weigh reliability · exp(−d / scale).</param>
/// <param name="BandwidthM">Standard deviation of the Gaussian kernel of event density.</param>
/// <param name="LabelYears">Training: the layers as they stood this many years before the cutoff predict the finds made in land processed in those years.</param>
/// <param name="L2">Ridge penalty on the standardised coefficients.</param>
/// <param name="BackgroundRatio">Background cells (random unprocessed land, labelled negative) per processed training cell; at least 1,000 unless 0.</param>
/// <param name="Origins">Rolling-origin training: the window before the cutoff and this many minus one earlier windows of the same length, each labelled and featured at its own start, stacked (1: one window); 0 (the default): every earlier window holding enough processed cells with finds, up to <see cref="RiskModel.MaxAutomaticOrigins"/>.</param>
/// <param name="Background">Where the negative background is drawn from (<c>--background</c>): the whole area (default) or the surveyed frame.</param>
/// <param name="BlockM">Side of the spatial blocks resampled for intervals (0: a tenth of the area's longer side).</param>
/// <param name="DistanceCapM">Distances to past finds, past accidents and front lines are held at this many metres in the model (<c>--distance-cap</c>; 0: not held; null, the default: the logistic model's cap, none or <see cref="RiskModel.DistanceCapCandidateM"/>, chosen on held-out land, <see cref="TrainedRisk.LogisticDistanceCapM"/>). The baseline is never capped.</param>
public sealed record RiskOptions(
    double CellM = 100,
    double DistanceScaleM = 250,
    double BandwidthM = 1000,
    double LabelYears = 1,
    double L2 = 1.0,
    int BootstrapSamples = 200,
    int Seed = 1,
    double BlockM = 0,
    double BackgroundRatio = 1,
    int Origins = 0,
    BackgroundFrame Background = BackgroundFrame.Area,
    double? DistanceCapM = null);

/// <summary>Where the negative background cells are drawn from (docs/decisions/0027-effort-is-not-evidence.md).</summary>
public enum BackgroundFrame
{
    /// <summary>Surveyed absences: land looked at by the end of the window and judged without a find.</summary>
    Surveyed,
    /// <summary>Any cell of the area with no event and not processed in the window (the first model's design).</summary>
    Area,
}

/// <summary>
/// Events' dates as day numbers, worked out once per scene: the windows' loops over a million finds compare numbers instead of
/// working out each date's first and last day again (issue 16). An event is known before a cutoff when its last day is
/// (<see cref="RiskScene.KnownBefore"/>), and lies in a window from its first.
/// </summary>
/// <param name="First">Each event's first possible day (<see cref="PartialDate.Start"/>) as a day number.</param>
/// <param name="Last">Each event's last possible day (<see cref="PartialDate.End"/>) as a day number.</param>
/// <param name="Contamination">Whether each event shows contamination (<see cref="RiskScene.IsContamination(FindInput)"/>).</param>
public sealed record EventDays(int[] First, int[] Last, bool[] Contamination)
{
    /// <summary>Event <paramref name="i"/> was known before <paramref name="cutoff"/>: its date's last day is before it.</summary>
    public bool KnownBefore(int i, DateOnly cutoff) => Last[i] < cutoff.DayNumber;

    /// <summary>Event <paramref name="i"/> is dated within [<paramref name="from"/>, <paramref name="to"/>): it cannot have happened before <paramref name="from"/> and was known before <paramref name="to"/>.</summary>
    public bool Within(int i, DateOnly from, DateOnly to) => First[i] >= from.DayNumber && Last[i] < to.DayNumber;

    internal static EventDays Of(int count, Func<int, PartialDate> date, Func<int, bool> contamination)
    {
        var (first, last, dirty) = (new int[count], new int[count], new bool[count]);
        Parallel.For(0, count, i =>
        {
            var d = date(i);
            (first[i], last[i], dirty[i]) = (d.Start.DayNumber, d.End.DayNumber, contamination(i));
        });
        return new EventDays(first, last, dirty);
    }
}

/// <summary>Raised when the data cannot support a model (no processed land, no finds in it).</summary>
public sealed class RiskDataException(string message) : InvalidOperationException(message);

/// <summary>The inputs projected once into the grid's metric system, with the area mask.</summary>
public sealed class RiskScene
{
    public RiskScene(RiskData data, double cellM)
    {
        if (data.Area.IsEmpty || data.Area is not IPolygonal)
            throw new RiskDataException("there is no area to map: the database holds no country polygon, finds, accidents, hazardous areas or records (at the date asked for, if one was), or the place given has no area");
        Data = data;
        var extent = data.Area.EnvelopeInternal;
        Projection = new LocalProjection(extent);
        var area = Projection.Project(data.Area);
        Grid = RiskGrid.Covering(area.EnvelopeInternal, cellM, Projection.Epsg);
        Mask = new bool[Grid.Count];
        var mask = Mask;
        Grid.FillPolygonal(area, c => mask[c] = true);
        MaskCount = Mask.Count(m => m);

        // Projected on every core, each thread with its own copy of the projection (transforms are not thread-safe):
        // the same numbers as one projection gives (issue 11: one core took 1.3 s at scale 500).
        using var projections = new ThreadLocal<LocalProjection>(() => new LocalProjection(Projection.Epsg));
        var findXy = Records.RecordAccuracy.ProjectSideBySide([.. data.Finds.Select(f => f.Lon)], [.. data.Finds.Select(f => f.Lat)], projections);
        FindCells = [.. Enumerable.Range(0, data.Finds.Count).Select(i => Grid.CellOf(findXy.Xs[i], findXy.Ys[i]))];
        FindXy = [.. Enumerable.Range(0, data.Finds.Count).Select(i => (findXy.Xs[i], findXy.Ys[i]))];
        var accXy = Records.RecordAccuracy.ProjectSideBySide([.. data.Accidents.Select(f => f.Lon)], [.. data.Accidents.Select(f => f.Lat)], projections);
        AccidentCells = [.. Enumerable.Range(0, data.Accidents.Count).Select(i => Grid.CellOf(accXy.Xs[i], accXy.Ys[i]))];
        AccidentXy = [.. Enumerable.Range(0, data.Accidents.Count).Select(i => (accXy.Xs[i], accXy.Ys[i]))];
        FindDays = EventDays.Of(data.Finds.Count, i => data.Finds[i].FoundOn, i => IsContamination(data.Finds[i]));
        AccidentDays = EventDays.Of(data.Accidents.Count, i => data.Accidents[i].OccurredOn, i => IsContamination(data.Accidents[i]));
        var metric = ProjectAll([data.Records.Select(r => r.Record.Footprint), data.Lines.Select(l => l.Geometry), data.Hazards.Select(h => h.Area),
            data.Releases.Select(h => h.Area), data.Surveys.Select(h => h.Area), data.Processed.Select(h => h.Area)], projections);
        (RecordsMetric, LinesMetric, HazardsMetric, ReleasesMetric, SurveysMetric, ProcessedMetric) = (metric[0], metric[1], metric[2], metric[3], metric[4], metric[5]);
        _lineDistances = new Lazy<(float[], float[])>(ComputeLineDistances, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>
    /// Each group's geometries in metres, in input order, projected side by side; a geometry several groups hold (an activity's
    /// area is surveyed and processed land, a release's released and processed land) is projected once and shared, read only.
    /// </summary>
    private static Geometry[][] ProjectAll(IEnumerable<Geometry>[] groups, ThreadLocal<LocalProjection> projections)
    {
        var inputs = groups.Select(g => g.ToArray()).ToArray();
        var index = new Dictionary<Geometry, int>(ReferenceEqualityComparer.Instance);
        var distinct = new List<Geometry>();
        var at = inputs.Select(input => input.Select(g =>
        {
            if (!index.TryGetValue(g, out var k)) { index[g] = k = distinct.Count; distinct.Add(g); }
            return k;
        }).ToArray()).ToArray();
        var metric = new Geometry[distinct.Count];
        Parallel.For(0, distinct.Count, i => metric[i] = projections.Value!.Project(distinct[i]));
        return [.. at.Select(ks => ks.Select(k => metric[k]).ToArray())];
    }

    public RiskData Data { get; }
    public LocalProjection Projection { get; }
    public RiskGrid Grid { get; }
    /// <summary>True for cells whose centre lies in the area.</summary>
    public bool[] Mask { get; }
    public int MaskCount { get; }
    public int[] FindCells { get; }
    public (double X, double Y)[] FindXy { get; }
    public int[] AccidentCells { get; }
    public (double X, double Y)[] AccidentXy { get; }
    /// <summary>Each find's dates as day numbers and whether it shows contamination, in the data's order (<see cref="EventDays"/>).</summary>
    public EventDays FindDays { get; }

    /// <summary>Each accident's dates as day numbers and whether it shows contamination, in the data's order.</summary>
    public EventDays AccidentDays { get; }

    public Geometry[] RecordsMetric { get; }
    public Geometry[] LinesMetric { get; }
    public Geometry[] HazardsMetric { get; }
    public Geometry[] ReleasesMetric { get; }
    public Geometry[] SurveysMetric { get; }
    public Geometry[] ProcessedMetric { get; }

    /// <summary>The minefield records' buffers for their sources' reliability, built once per scene and shared by every window.</summary>
    public SourceReliability.RecordBuffers RecordBuffers { get; } = new();

    private readonly Lock _shapesLock = new();
    private bool _shapesPrepared;

    /// <summary>
    /// <see cref="PrepareRecordShapes"/>, then the mine finds joined to the records for the layers with no block held out (the
    /// map's and a split-date evaluation's windows), once, by whichever caller comes first (a later one returns at once). Run in
    /// the background before the windows need it: otherwise every window waits for the first to join them, and with the waiting
    /// threads the join ran on one core (issue 16: 0.6 s at scale 500).
    /// </summary>
    public void PrepareRecordEvidence()
    {
        PrepareRecordShapes();
        if (Data.Records.Count == 0 || Interlocked.Exchange(ref _evidenceStarted, 1) != 0) return;
        EvidenceFor(null).Prepare();
    }

    private int _evidenceStarted;

    /// <summary>Makes every record's shape once (<see cref="SourceReliability.Prebuild"/>: its footprint projected; its buffer when a window needs it), before the layers are built side by side.</summary>
    public void PrepareRecordShapes()
    {
        lock (_shapesLock)
        {
            if (_shapesPrepared) return;
            RecordBuffers.FarFromProcessedLand = FarFromProcessedLand();
            SourceReliability.Prebuild([.. Data.Records.Select(r => r.Record)], Data.Finds, RecordBuffers);
            _shapesPrepared = true;
        }
    }

    /// <summary>
    /// The records whose buffer no processed area of the scene comes near: each record's footprint, in the grid's metres, widened
    /// by half as much again as its buffer and 50 m more (the buffer is drawn in its source's own zone, whose metres differ from
    /// the grid's by far less), touches no grid cell that a processed area's bounding box touches. No window hands in processed
    /// land beyond the scene's, so none of such a record can lie in processed land in any window: it is never evaluated, and its
    /// buffer is never needed. Boxes beyond the grid are held to its edge cells, which keeps any two that overlap overlapping.
    /// </summary>
    private HashSet<Records.RecordInput> FarFromProcessedLand()
    {
        var far = new HashSet<Records.RecordInput>(ReferenceEqualityComparer.Instance);
        // With no share required, any record would be evaluated: none is left out.
        if (!(SourceReliability.MinProcessed > 0)) return far;
        var near = new bool[Grid.Count];
        foreach (var metric in ProcessedMetric)
        {
            if (metric.IsEmpty) continue;
            var (c0, c1, r0, r1) = CellsOf(metric.EnvelopeInternal);
            for (var r = r0; r <= r1; r++) Array.Fill(near, true, r * Grid.Columns + c0, c1 - c0 + 1);
        }
        for (var i = 0; i < Data.Records.Count; i++)
        {
            var record = Data.Records[i].Record;
            var buffer = SourceReliability.WithDefaultBuffer(record).PositionUncertaintyM ?? 0;
            var reach = RecordsMetric[i].EnvelopeInternal.Copy();
            if (reach.IsNull) { far.Add(record); continue; }
            reach.ExpandBy(1.5 * Math.Max(0, buffer) + 50);
            var (c0, c1, r0, r1) = CellsOf(reach);
            var touches = false;
            for (var r = r0; r <= r1 && !touches; r++) touches = near.AsSpan(r * Grid.Columns + c0, c1 - c0 + 1).Contains(true);
            if (!touches) far.Add(record);
        }
        return far;
    }

    /// <summary>The columns and rows of the cells a box touches, held to the grid.</summary>
    private (int C0, int C1, int R0, int R1) CellsOf(Envelope box)
    {
        int Column(double x) => (int)Math.Clamp(Math.Floor((x - Grid.MinX) / Grid.Cell), 0, Grid.Columns - 1);
        int Row(double y) => (int)Math.Clamp(Math.Floor((Grid.MaxY - y) / Grid.Cell), 0, Grid.Rows - 1);
        return (Column(box.MinX), Column(box.MaxX), Row(box.MaxY), Row(box.MinY));
    }

    /// <summary>
    /// Each cell's distance to the nearest former front line and to the nearest road (or other infrastructure line),
    /// in metres: lines carry no date and stay visible in every window, so both are computed once per scene and read
    /// (never written) by every window's layers.
    /// </summary>
    public (float[] FrontLine, float[] Road) LineDistances => _lineDistances.Value;

    private readonly Lazy<(float[], float[])> _lineDistances;

    private (float[], float[]) ComputeLineDistances()
    {
        var front = new bool[Grid.Count];
        var road = new bool[Grid.Count];
        for (var i = 0; i < Data.Lines.Count; i++)
        {
            var target = Data.Lines[i].Kind switch { LineKind.FrontLine => front, LineKind.Road or LineKind.Other => road, _ => null };
            if (target is not null) Grid.TraceLines(LinesMetric[i], c => target[c] = true);
        }
        return (DistanceTransform.Compute(Grid, front), DistanceTransform.Compute(Grid, road));
    }

    /// <summary>
    /// The cells a source's known records touch and each cell's distance to the nearest of them, in metres: the same
    /// records give the same layer in every window that knows them (records are never hidden, and most were handed
    /// over long before any window), so each set is burnt and transformed once per scene. Safe across threads: the first
    /// window to ask computes a set, a window asking for it meanwhile waits for it (issue 16: at scale 500 three windows
    /// asking at once each computed every source's, three times the work).
    /// </summary>
    /// <param name="records">Indices into the data's records, in order.</param>
    public (bool[] Seeds, float[] Distance) RecordDistances(string source, int[] records) =>
        _recordDistances.GetOrAdd(new RecordSet(source, records), static (key, scene) => new Lazy<(bool[], float[])>(() =>
        {
            var seeds = new bool[scene.Grid.Count];
            foreach (var i in key.Records) scene.Grid.Burn(scene.RecordsMetric[i], c => seeds[c] = true);
            return (seeds, DistanceTransform.Compute(scene.Grid, seeds));
        }, LazyThreadSafetyMode.ExecutionAndPublication), this).Value;

    /// <summary>
    /// Lets go what the windows' layers share and nothing after them reads, once every window's layers are built: the
    /// record distances (10 MB a set at national scale), the processed pieces and each record's pieces, areas and mine finds
    /// (<see cref="EvidenceFor"/>; the memory of the fits that follow stays what it was before they were shared).
    /// </summary>
    public void ForgetLayerCaches()
    {
        _recordDistances.Clear();
        lock (_piecesLock)
        {
            _processedPieces = null;
            _evidence.Clear();
        }
        lock (_workedLock) (_workedKey, _workedDays) = (null, null);
        _labels.Clear();
    }

    /// <summary>
    /// A training window's labels with no block held out (its processed cells and those with a find), worked out once per scene
    /// and window: the automatic cell's count and the training read the same (issue 16: the latest window was rasterised
    /// twice). The arrays are shared: read, never written.
    /// </summary>
    internal (bool[] Training, bool[] Positive) LabelsOf(DateOnly from, DateOnly to, Func<(bool[], bool[])> compute) =>
        _labels.GetOrAdd((from.DayNumber, to.DayNumber), static (_, c) => new Lazy<(bool[], bool[])>(c, LazyThreadSafetyMode.ExecutionAndPublication), compute).Value;

    private readonly System.Collections.Concurrent.ConcurrentDictionary<(int From, int To), Lazy<(bool[], bool[])>> _labels = new();

    private readonly System.Collections.Concurrent.ConcurrentDictionary<RecordSet, Lazy<(bool[], float[])>> _recordDistances = new();

    /// <summary>A source's records by index, compared element by element.</summary>
    private sealed class RecordSet(string source, int[] records) : IEquatable<RecordSet>
    {
        public string Source { get; } = source;
        public int[] Records { get; } = records;

        public bool Equals(RecordSet? other) => other is not null && string.Equals(Source, other.Source, StringComparison.Ordinal) && Records.AsSpan().SequenceEqual(other.Records);

        public override bool Equals(object? obj) => Equals(obj as RecordSet);

        public override int GetHashCode()
        {
            var hash = new HashCode();
            hash.Add(Source, StringComparer.Ordinal);
            hash.Add(Records.Length);
            foreach (var r in Records) hash.Add(r);
            return hash.ToHashCode();
        }
    }

    /// <summary>The covariate rasters resampled to the grid, once per scene (they carry no date).</summary>
    public CovariateLayers Covariates => _covariates ??= new CovariateLayers(this);

    private CovariateLayers? _covariates;

    /// <summary>Per processed input: polygonal, not empty and valid (record accuracy scores only such land); checked once, in parallel.</summary>
    public bool[] ProcessedUsable => _processedUsable ??= ComputeUsable(Data.Processed);

    private bool[]? _processedUsable;

    /// <summary>
    /// Per processed input, the piece every window's source reliability measures against (null where not
    /// <see cref="ProcessedUsable"/>): one object per input and scene, its vertices prepared once for every set of hidden blocks.
    /// </summary>
    internal SourceReliability.ProcessedPiece?[] ProcessedPieces
    {
        get
        {
            lock (_piecesLock) return _processedPieces ??= [.. ProcessedMetric.Select((m, i) => ProcessedUsable[i] ? new SourceReliability.ProcessedPiece(m) : null)];
        }
    }

    /// <summary>
    /// The records' pieces and mine finds every window with these <paramref name="hidden"/> blocks reads (built on first use, once
    /// per scene and blocks): the usable processed pieces whose area is visible, known from their start's last day, and the
    /// visible mine finds (of a mine category, not cached; those beyond the grid too), known from their date's last day.
    /// </summary>
    internal SourceReliability.SceneEvidence EvidenceFor(bool[]? hidden)
    {
        lock (_piecesLock)
        {
            var key = hidden ?? NoBlocks;
            if (_evidence.TryGetValue(key, out var known)) return known;
            var pieces = ProcessedPieces;
            var visible = new List<(SourceReliability.ProcessedPiece, int)>();
            for (var i = 0; i < Data.Processed.Count; i++)
                if (pieces[i] is { } piece && Data.Processed[i].Start is { } start && EvidenceLayers.IsVisibleArea(Grid, ProcessedMetric[i], hidden))
                    visible.Add((piece, start.End.DayNumber));
            var mine = new List<(double, double, int, int)>();
            for (var i = 0; i < Data.Finds.Count; i++)
            {
                var f = Data.Finds[i];
                var cell = FindCells[i];
                // Beyond the grid (a map of one place) is in no held-out block: the sources' reliability reads those finds too.
                if ((hidden is not null && cell >= 0 && hidden[cell]) || !Records.RecordAccuracy.MineCategories.Contains(f.Category) || f.Emplacement == Emplacement.Cached) continue;
                mine.Add((f.Lon, f.Lat, f.Quantity, FindDays.Last[i]));
            }
            var evidence = new SourceReliability.SceneEvidence(Projection.Epsg, visible, [.. Data.Records.Select(r => r.Record)], [.. mine], RecordBuffers);
            _evidence[key] = evidence;
            return evidence;
        }
    }

    /// <summary>
    /// Per cell, the first day number from which it lies in surveyed land, in released land and in a hazardous area (int.MaxValue:
    /// never; int.MinValue: a hazardous area with no date, known in every window): a window's layers hold a cell when that day
    /// is before its cutoff, the same cells as burning the areas known before it (<see cref="RiskScene.KnownBefore"/>). Burnt
    /// once per scene and set of <paramref name="hidden"/> blocks (their worked land left out whole, as the layers leave it) for
    /// every window, instead of once per window (issue 16: a quarter of each window's layers at scale 500).
    /// </summary>
    internal WorkedDays WorkedFor(bool[]? hidden)
    {
        lock (_workedLock)
        {
            var key = hidden ?? NoBlocks;
            if (ReferenceEquals(_workedKey, key) && _workedDays is { } known) return known;
            var surveyed = new int[Grid.Count];
            var released = new int[Grid.Count];
            var hazard = new int[Grid.Count];
            Array.Fill(surveyed, int.MaxValue);
            Array.Fill(released, int.MaxValue);
            Array.Fill(hazard, int.MaxValue);
            for (var i = 0; i < Data.Surveys.Count; i++)
            {
                if (Data.Surveys[i].Start is not { } s || !EvidenceLayers.IsVisibleArea(Grid, SurveysMetric[i], hidden)) continue;
                var day = s.End.DayNumber;
                Grid.FillPolygonal(SurveysMetric[i], c => surveyed[c] = Math.Min(surveyed[c], day));
            }
            for (var i = 0; i < Data.Releases.Count; i++)
            {
                if (Data.Releases[i].On is not { } on || !EvidenceLayers.IsVisibleArea(Grid, ReleasesMetric[i], hidden)) continue;
                var day = on.End.DayNumber;
                Grid.FillPolygonal(ReleasesMetric[i], c =>
                {
                    released[c] = Math.Min(released[c], day);
                    surveyed[c] = Math.Min(surveyed[c], day);
                });
            }
            for (var i = 0; i < Data.Hazards.Count; i++)
            {
                var day = Data.Hazards[i].On is { } on ? on.End.DayNumber : int.MinValue;
                Grid.FillPolygonal(HazardsMetric[i], c => hazard[c] = Math.Min(hazard[c], day));
            }
            // Only the latest set of blocks is kept (24 MB at scale 500): the evaluation by blocks takes them one at a time.
            (_workedKey, _workedDays) = (key, new WorkedDays(surveyed, released, hazard));
            return _workedDays;
        }
    }

    /// <summary>What <see cref="WorkedFor"/> burns: each cell's first day in surveyed land, in released land, in a hazardous area.</summary>
    internal sealed record WorkedDays(int[] Surveyed, int[] Released, int[] Hazard);

    private readonly Lock _workedLock = new();
    private bool[]? _workedKey;
    private WorkedDays? _workedDays;

    private static readonly bool[] NoBlocks = [];
    private readonly Dictionary<bool[], SourceReliability.SceneEvidence> _evidence = new(ReferenceEqualityComparer.Instance);

    private readonly Lock _piecesLock = new();
    private SourceReliability.ProcessedPiece?[]? _processedPieces;

    private static bool[] ComputeUsable(IReadOnlyList<ProcessedLandInput> processed)
    {
        var usable = new bool[processed.Count];
        Parallel.For(0, processed.Count, i => usable[i] = processed[i].Area is IPolygonal && !processed[i].Area.IsEmpty && Validity.IsValid(processed[i].Area));
        return usable;
    }

    /// <summary>Known before the cutoff: the whole period of the date ends before it. An unknown date counts as known (it cannot be placed after).</summary>
    public static bool KnownBefore(PartialDate? date, DateOnly cutoff) => date is not { } d || d.End < cutoff;

    /// <summary>Finds that show contamination: every category but stored ammunition, and not caches (a depot is not laid land).</summary>
    public static bool IsContamination(FindInput f) => f.Category != OrdnanceCategory.StoredAmmunition && f.Emplacement != Emplacement.Cached;

    /// <summary>Mine/ERW accidents (demining accidents happen where clearance already is).</summary>
    public static bool IsContamination(AccidentInput a) => a.Kind == AccidentKind.MineErw;
}
