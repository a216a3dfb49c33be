using System.Collections.Concurrent;
using Groundtruth.Analysis.Geodesy;
using Groundtruth.Analysis.Spatial;
using Groundtruth.Analysis.Statistics;
using Groundtruth.Domain;
using NetTopologySuite.Geometries;
using NetTopologySuite.Index.Strtree;
using NetTopologySuite.Operation.Overlay;
using NetTopologySuite.Operation.RelateNG;
using NetTopologySuite.Operation.OverlayNG;

namespace Groundtruth.Analysis.Records;

/// <summary>
/// Scores minefield records against what was found and what happened (DESIGN section 6): how many
/// evaluated records were confirmed, what share of the devices found in processed land the records
/// showed, and what share of mine accidents happened outside every record — with the exclusions
/// counted beside the figures and 95% intervals resampled by record.
/// </summary>
/// <remarks>
/// Areas, buffers and distances are measured in the UTM zone of the data's centre (<see cref="LocalProjection"/>);
/// containment is tested in WGS84 against the recorded footprints (buffered ones projected back).
/// Mine finds and accidents are those of anti-personnel, anti-vehicle, improvised (victim-activated)
/// and unspecified mines; an accident with no recorded device category counts as a mine accident.
/// A record can contain an accident only if it was laid by then (or its laying date is unknown).
/// </remarks>
public static partial class RecordAccuracy
{
    public static readonly IReadOnlySet<OrdnanceCategory> MineCategories = new HashSet<OrdnanceCategory>
    {
        OrdnanceCategory.AntiPersonnelMine, OrdnanceCategory.AntiVehicleMine, OrdnanceCategory.ImprovisedMine, OrdnanceCategory.UnspecifiedMine,
    };

    public static RecordAccuracyResult Compute(
        IReadOnlyList<RecordInput> records,
        IReadOnlyList<FindInput> finds,
        IReadOnlyList<AccidentInput> accidents,
        IReadOnlyList<ProcessedLandInput> processed,
        RecordAccuracyOptions options,
        IProgress<string>? stages = null,
        BufferedRecords? bufferedAhead = null,
        Reuse? reuse = null)
    {
        stages?.Report("buffering records");
        var extent = new Envelope();
        foreach (var r in records) extent.ExpandToInclude(r.Footprint.EnvelopeInternal);
        foreach (var f in finds) extent.ExpandToInclude(f.Lon, f.Lat);
        var projection = new LocalProjection(extent);
        // Coordinate transforms are not thread-safe: each worker projects with its own copy of the projection.
        using var projections = new ThreadLocal<LocalProjection>(() => new LocalProjection(projection.Epsg));

        // Records: valid ones, buffered by --buffer or their stated uncertainty, in metres.
        var invalid = new List<string>();
        var refused = new List<string>();
        var kept = new List<RecordInput>();
        var footprints = new List<Geometry>();
        var containment = new List<Geometry>();
        var buffers = new List<double>();
        var prepared = bufferedAhead is not null && bufferedAhead.Fits(records, options, projection.Epsg) ? bufferedAhead.Shapes
            : reuse is not null ? reuse.Shapes(records, options, projection.Epsg, projections)
            : BufferedRecords.Shape(records, options, projections);
        reuse?.Remember(records, options, projection.Epsg, prepared);
        for (var i = 0; i < records.Count; i++)
        {
            var (isInvalid, buffer, metric, contained) = prepared[i];
            if (isInvalid) { invalid.Add(records[i].Id); continue; }
            if (metric is null) { refused.Add(records[i].Id); continue; }
            kept.Add(records[i]);
            buffers.Add(buffer);
            footprints.Add(metric);
            containment.Add(contained!);
        }
        if (refused.Count > 0)
            throw new RecordAccuracyArgumentException(
                $"{refused.Count} point or line record(s) have no stated positional uncertainty and so no area: give a buffer in metres (buffer > 0). Records: {string.Join(", ", refused.Take(20))}{(refused.Count > 20 ? ", …" : "")}");
        var recordIndex = PolygonIndex.Build(containment);

        stages?.Report("indexing processed land");
        var land = reuse is not null ? reuse.Processed(processed, projection.Epsg, options, projections) : IndexProcessed(processed, options, projections);
        var (processedIndex, processedTree) = (land.Index, land.Tree);

        stages?.Report("locating finds");
        var located = land.Finds is { } known && ReferenceEquals(known.From, finds) ? known : land.Finds = LocateFinds(finds, options, projections, processedIndex);
        var (mineFinds, straddlingFinds, cached, nonMine) = (located.MineFinds, located.Straddling, located.Cached, located.NonMine);
        var (fx, fy, mx, my, quantities, inProcessed) = (located.Xs, located.Ys, located.MetricXs, located.MetricYs, located.Quantities, located.InProcessed);
        var insideRecord = SpatialJoin.SemiJoin(recordIndex, fx, fy);
        var devicesInside = SpatialJoin.SumPerPolygon(recordIndex, fx, fy, quantities);
        long devicesInProcessed = 0, devicesInProcessedInside = 0, spot = 0;
        for (var i = 0; i < mineFinds.Count; i++)
        {
            if (!inProcessed[i]) { spot += quantities[i]; continue; }
            devicesInProcessed += quantities[i];
            if (insideRecord[i]) devicesInProcessedInside += quantities[i];
        }

        stages?.Report("scoring records");
        // Per record: processed share and verdict, and the nearest find outside it (records are independent: in parallel).
        var rows = new List<RecordRow>(kept.Count);
        var evaluated = new List<bool>();
        long declared = 0, foundInEvaluated = 0;
        var findGrid = new PointGrid(mx, my);
        var processedM2s = new double[kept.Count];
        var nearestOutside = new double?[kept.Count];
        Parallel.For(0, kept.Count, r =>
        {
            processedM2s[r] = land.AreaOf.GetOrAdd(footprints[r], static (footprint, tree) => ProcessedArea(footprint, tree), processedTree);
            nearestOutside[r] = NearestOutside(footprints[r], recordIndex, r, findGrid, insideRecord, fx, fy, mx, my);
        });
        for (var r = 0; r < kept.Count; r++)
        {
            var footprint = footprints[r];
            var area = footprint.Area;
            var processedM2 = processedM2s[r];
            var share = area > 0 ? Math.Min(1, processedM2 / area) : 0;
            var isEvaluated = share >= options.MinProcessed;
            var verdict = devicesInside[r] > 0 ? RecordVerdict.Confirmed : isEvaluated ? RecordVerdict.NotFoundAfterProcessing : RecordVerdict.NotYetProcessed;
            if (isEvaluated)
            {
                evaluated.Add(devicesInside[r] > 0);
                declared += kept[r].DeclaredDevices ?? 0;
                foundInEvaluated += devicesInside[r];
            }
            rows.Add(new RecordRow(kept[r].Id, kept[r].Source, kept[r].Place, kept[r].DeclaredDevices, devicesInside[r], area, processedM2, share,
                buffers[r], verdict, nearestOutside[r]));
        }

        stages?.Report("locating accidents");
        // Accidents.
        int demining = 0, nonMineAccidents = 0, beforeLaying = 0, imprecise = 0, straddlingAccidents = 0;
        var eligible = new List<(double X, double Y, bool Outside, int Cluster)>();
        var laidDates = kept.Select(k => k.LaidOn).ToArray();
        var anyUnknownLaying = laidDates.Any(d => d is null);
        foreach (var a in accidents)
        {
            if (a.OccurredOn.Straddles(options.From, options.To)) { straddlingAccidents++; continue; }
            if (!a.OccurredOn.LiesWithin(options.From, options.To)) continue;
            if (a.Kind == AccidentKind.Demining) { demining++; continue; }
            if (a.DeviceCategory is { } c && !MineCategories.Contains(c)) { nonMineAccidents++; continue; }
            if (a.LocationAccuracyM is { } acc && acc > options.AccidentThresholdM) { imprecise++; continue; }
            if (kept.Count > 0 && !anyUnknownLaying && laidDates.All(d => d!.Value.Start > a.OccurredOn.End)) { beforeLaying++; continue; }
            var (x, y) = (a.Lon, a.Lat);
            var state = (Laid: laidDates, When: a.OccurredOn.End, First: -1);
            recordIndex.ForEachCovering(x, y, ref state, static (ref (PartialDate?[] Laid, DateOnly When, int First) s, int p) =>
            {
                if (s.Laid[p] is not { } laid || laid.Start <= s.When) s.First = s.First < 0 ? p : Math.Min(s.First, p);
            });
            eligible.Add((x, y, state.First < 0, state.First));
        }

        stages?.Report("measuring find offsets");
        // Offsets: each mine find's distance to the nearest record (0 inside).
        var offsets = new List<double>(mineFinds.Count);
        if (footprints.Count > 0)
        {
            // Each record's area and edges are indexed when first measured. The nearest record is found in squares
            // that double around the find until the best distance lies inside the square: a record whose envelope
            // misses the square is farther than its half-side, so farther than the best (the same least distance as a
            // nearest-neighbour search of the records' tree, without its queue of candidate pairs per find).
            var recordGrid = new EnvelopeGrid([.. footprints.Select(g => g.EnvelopeInternal)]);
            var measured = footprints.Select(g => new Lazy<AreaDistance>(() => new AreaDistance(g))).ToArray();
            var start = Math.Max(10, footprints.Average(g => Math.Max(g.EnvelopeInternal.Width, g.EnvelopeInternal.Height)));
            var distances = new double[mineFinds.Count];
            if (mineFinds.Count > 0) Parallel.ForEach(Partitioner.Create(0, mineFinds.Count, 4096), range =>
            {
                var near = new List<int>();
                for (var i = range.Item1; i < range.Item2; i++)
                {
                    if (insideRecord[i]) continue;
                    var (x, y) = (mx[i], my[i]);
                    for (var r = start; ; r *= 2)
                    {
                        near.Clear();
                        recordGrid.Query(new Envelope(x - r, x + r, y - r, y + r), near);
                        var best = double.PositiveInfinity;
                        foreach (var k in near) best = Math.Min(best, measured[k].Value.To(x, y));
                        if (best <= r || near.Count == footprints.Count) { distances[i] = best; break; }
                    }
                }
            });
            offsets.AddRange(distances);
        }
        offsets.Sort();

        // Coverage over buffer sizes: a wrong record stays wrong as the buffer grows; a badly transcribed one catches up.
        stages?.Report("coverage over buffer");
        var curve = new List<CoveragePoint>();
        var inProcessedIndices = Enumerable.Range(0, mineFinds.Count).Where(i => inProcessed[i]).ToArray();
        var coveredDevices = BufferCoverage.Compute([.. kept.Select(k => k.Footprint)],
            [.. inProcessedIndices.Select(i => fx[i])], [.. inProcessedIndices.Select(i => fy[i])], [.. inProcessedIndices.Select(i => quantities[i])],
            RecordAccuracyOptions.CurveBuffers, projection, ([.. inProcessedIndices.Select(i => mx[i])], [.. inProcessedIndices.Select(i => my[i])]), reuse is null ? null : reuse.Grown);
        for (var b = 0; b < RecordAccuracyOptions.CurveBuffers.Length; b++)
            curve.Add(new CoveragePoint(RecordAccuracyOptions.CurveBuffers[b], coveredDevices[b], Ratio(coveredDevices[b], devicesInProcessed)));

        stages?.Report("bootstrap intervals");
        // Intervals, resampled by record: finds and accidents inside one record move together.
        var random = new SeededDraws(options.Seed);
        var confirmedCount = evaluated.Count(e => e);
        var rateCi = ClusterBootstrap.Interval([.. evaluated.Select(e => new ClusterBootstrap.Cluster(e ? 1 : 0, 1))], options.BootstrapSamples, random);
        var findClusters = new Dictionary<int, (double Inside, double Total)>();
        var singleton = -1;
        var firstRecord = SpatialJoin.Assign(recordIndex, fx, fy);
        for (var i = 0; i < mineFinds.Count; i++)
        {
            if (!inProcessed[i]) continue;
            var key = firstRecord[i];
            if (key < 0) key = singleton--;
            var c = findClusters.GetValueOrDefault(key);
            findClusters[key] = (c.Inside + (insideRecord[i] ? quantities[i] : 0), c.Total + quantities[i]);
        }
        var coverageCi = ClusterBootstrap.Interval([.. findClusters.Values.Select(c => new ClusterBootstrap.Cluster(checked((int)c.Inside), checked((int)c.Total)))], options.BootstrapSamples, random);
        var accidentClusters = new Dictionary<int, (double Outside, double Total)>();
        foreach (var a in eligible)
        {
            var key = a.Outside ? singleton-- : a.Cluster;
            var c = accidentClusters.GetValueOrDefault(key);
            accidentClusters[key] = (c.Outside + (a.Outside ? 1 : 0), c.Total + 1);
        }
        var accidentCi = ClusterBootstrap.Interval([.. accidentClusters.Values.Select(c => new ClusterBootstrap.Cluster(checked((int)c.Outside), checked((int)c.Total)))], options.BootstrapSamples, random);
        var outside = eligible.Count(a => a.Outside);

        return new RecordAccuracyResult(
            Records: kept.Count,
            EvaluatedRecords: evaluated.Count,
            ConfirmedRecords: confirmedCount,
            RecordConfirmationRate: Ratio(confirmedCount, evaluated.Count),
            RecordConfirmationRateCi: rateCi,
            Finds: devicesInProcessed,
            FindsInsideRecords: devicesInProcessedInside,
            FindCoverage: Ratio(devicesInProcessedInside, devicesInProcessed),
            FindCoverageCi: coverageCi,
            Accidents: eligible.Count,
            AccidentsOutsideRecords: outside,
            AccidentOutsideShare: Ratio(outside, eligible.Count),
            AccidentOutsideShareCi: accidentCi,
            MedianFindOffsetM: Quantile(offsets, 0.5),
            P90FindOffsetM: Quantile(offsets, 0.9),
            DevicesDeclared: declared,
            DevicesFoundInEvaluatedRecords: foundInEvaluated,
            Exclusions: new RecordExclusions(demining, nonMineAccidents, beforeLaying, imprecise, straddlingAccidents, spot, cached, nonMine, straddlingFinds, invalid),
            CoverageOverBuffer: curve,
            PerRecord: rows,
            ProjectionEpsg: projection.Epsg);
    }

    /// <summary>
    /// The records buffered ahead of <see cref="Compute"/>, in a UTM zone guessed before the finds are read (the zone
    /// of the records' own extent): while the rest of the data is read (issue 11). <see cref="Compute"/> uses them
    /// only when they are these records with these options in the zone it chooses, and buffers again otherwise, so
    /// the shapes are always those it would build itself.
    /// </summary>
    public static BufferedRecords BufferAhead(IReadOnlyList<RecordInput> records, RecordAccuracyOptions options)
    {
        var extent = new Envelope();
        foreach (var r in records) extent.ExpandToInclude(r.Footprint.EnvelopeInternal);
        var epsg = LocalProjection.ZoneOf(extent);
        using var projections = new ThreadLocal<LocalProjection>(() => new LocalProjection(epsg));
        return new BufferedRecords([.. records], options.BufferM, epsg, BufferedRecords.Shape(records, options, projections));
    }

    /// <summary>Records buffered in one zone by <see cref="BufferAhead"/>.</summary>
    public sealed class BufferedRecords
    {
        private readonly RecordInput[] _records;
        private readonly double? _bufferM;
        private readonly int _epsg;

        internal BufferedRecords(RecordInput[] records, double? bufferM, int epsg, (bool Invalid, double Buffer, Geometry? Metric, Geometry? Containment)[] shapes) =>
            (_records, _bufferM, _epsg, Shapes) = (records, bufferM, epsg, shapes);

        internal (bool Invalid, double Buffer, Geometry? Metric, Geometry? Containment)[] Shapes { get; }

        /// <summary>Whether these are the shapes of <paramref name="records"/> (the same footprints and stated uncertainties, in order) with <paramref name="options"/>' buffer in zone <paramref name="epsg"/>.</summary>
        internal bool Fits(IReadOnlyList<RecordInput> records, RecordAccuracyOptions options, int epsg)
        {
            if (epsg != _epsg || options.BufferM != _bufferM || records.Count != _records.Length) return false;
            for (var i = 0; i < records.Count; i++)
                if (!ReferenceEquals(records[i].Footprint, _records[i].Footprint) || records[i].PositionUncertaintyM != _records[i].PositionUncertaintyM) return false;
            return true;
        }

        /// <summary>Each record's shape: invalid, refused (no area), or buffered by --buffer or its stated uncertainty, in metres and for containment in WGS84.</summary>
        internal static (bool Invalid, double Buffer, Geometry? Metric, Geometry? Containment)[] Shape(
            IReadOnlyList<RecordInput> records, RecordAccuracyOptions options, ThreadLocal<LocalProjection> projections)
        {
            var shapes = new (bool Invalid, double Buffer, Geometry? Metric, Geometry? Containment)[records.Count];
            Parallel.For(0, records.Count, i =>
            {
                var r = records[i];
                if (r.Footprint.IsEmpty || !Validity.IsValid(r.Footprint)) { shapes[i] = (true, double.NaN, null, null); return; }
                var polygonal = r.Footprint is IPolygonal;
                var buffer = options.BufferM ?? r.PositionUncertaintyM ?? (polygonal ? 0 : double.NaN);
                if (double.IsNaN(buffer) || (!polygonal && buffer <= 0)) { shapes[i] = (false, double.NaN, null, null); return; }
                var local = projections.Value!;
                var metric = Buffered(local.Project(r.Footprint), buffer);
                // Containment is tested in WGS84, where the points were recorded, so a find on an
                // unbuffered record's boundary is inside exactly (covers semantics).
                shapes[i] = (false, buffer, metric, buffer > 0 ? local.Unproject(metric) : r.Footprint);
            });
            return shapes;
        }
    }

    /// <summary>Points projected in blocks on every core, each block with its thread's copy of the projection: the same numbers as one projection gives.</summary>
    internal static (double[] Xs, double[] Ys) ProjectSideBySide(double[] lons, double[] lats, ThreadLocal<LocalProjection> projections)
    {
        var (xs, ys) = (new double[lons.Length], new double[lats.Length]);
        if (lons.Length > 0) Parallel.ForEach(Partitioner.Create(0, lons.Length, 16_384), range =>
        {
            var local = projections.Value!;
            for (var i = range.Item1; i < range.Item2; i++) (xs[i], ys[i]) = local.Project(lons[i], lats[i]);
        });
        return (xs, ys);
    }

    /// <summary>A metric geometry grown by <paramref name="buffer"/> metres; with none, polygonal ones as they are and others empty.</summary>
    internal static Geometry Buffered(Geometry metric, double buffer)
    {
        if (buffer > 0) return metric.Buffer(buffer);
        return metric is IPolygonal ? metric : metric.Factory.CreateMultiPolygon();
    }

    /// <summary>Work under way in the window: begun by its end and not finished before its start.</summary>
    private static bool Overlaps(ProcessedLandInput p, RecordAccuracyOptions o)
    {
        var start = p.Start ?? p.End;
        if (o.To is { } to && start is { } s && s.Start > to) return false;
        if (o.From is { } from && p.End is { } e && e.End < from) return false;
        return true;
    }

    /// <summary>The area of the record's footprint that lies in processed land, in m².</summary>
    /// <remarks>
    /// Equal in exact arithmetic to the footprint's intersection with the union of the processed areas, with less
    /// work (issue 11: the union of overlapping processed areas was most of this verb's time at national scale):
    /// a footprint inside one processed area (RelateNG's covers, exact) lies wholly in the union, so its processed
    /// area is its own area, with no union or overlay (two thirds of the demo's records near processed land);
    /// otherwise an area inside another candidate (a sector cleared inside the surveyed hazard) cannot change the
    /// union and is dropped; when the rest do not overlap one another the union's share is the sum of each one's share, each
    /// clipped by the footprint (or whole when the footprint covers it); only overlapping ones are unioned, robustly.
    /// In floating point the orders agree to about 1e-9 of the area (figures are printed to 0.1 m²).
    /// </remarks>
    private static double ProcessedArea(Geometry footprint, STRtree<Geometry> processed) =>
        ProcessedArea(footprint, processed.Query(footprint.EnvelopeInternal));

    /// <summary>The same, among <paramref name="found"/> (processed areas whose envelopes meet the footprint's; in metres).</summary>
    internal static double ProcessedArea(Geometry footprint, IList<Geometry> found)
    {
        if (found.Count == 0) return 0;
        // A footprint inside one processed area lies wholly in their union: its own area, with no union or overlay.
        var envelope = footprint.EnvelopeInternal;
        foreach (var g in found)
            if (g.EnvelopeInternal.Covers(envelope) && RelateNG.Relate(g, footprint, RelatePredicate.Covers()))
                return footprint.Area;
        var prepared = RelateNG.Prepare(footprint);
        var candidates = found.Where(g => prepared.Evaluate(g, RelatePredicate.Intersects())).OrderByDescending(g => g.Area).ToList();
        if (candidates.Count == 0) return 0;
        // Each kept area is tested against many others: prepared once (its edges indexed), the same exact predicates.
        var outermost = new List<Geometry>(candidates.Count);
        var relate = new List<RelateNG>(candidates.Count);
        foreach (var c in candidates)
        {
            var covered = false;
            for (var o = 0; o < outermost.Count && !covered; o++)
                covered = outermost[o].EnvelopeInternal.Covers(c.EnvelopeInternal) && relate[o].Evaluate(c, RelatePredicate.Covers());
            if (covered) continue;
            outermost.Add(c);
            relate.Add(RelateNG.Prepare(c));
        }
        var apart = true;
        for (var a = 0; a < outermost.Count && apart; a++)
            for (var b = a + 1; b < outermost.Count && apart; b++)
                apart = !outermost[a].EnvelopeInternal.Intersects(outermost[b].EnvelopeInternal)
                        || !relate[a].Evaluate(outermost[b], IntersectionMatrixPattern.InteriorIntersects);
        if (apart)
        {
            var sum = 0.0;
            foreach (var c in outermost)
                sum += prepared.Evaluate(c, RelatePredicate.Covers()) ? c.Area : OverlayNGRobust.Overlay(footprint, c, SpatialFunction.Intersection).Area;
            return sum;
        }
        return OverlayNGRobust.Overlay(footprint, OverlayNGRobust.Union(outermost), SpatialFunction.Intersection).Area;
    }

    /// <summary>
    /// The distance from a record's metric footprint to the nearest mine find outside it (not covered by its
    /// WGS84 footprint), in metres; null when there is none. Finds in no record at all are outside every record.
    /// </summary>
    private static double? NearestOutside(Geometry footprint, PolygonIndex records, int record, PointGrid finds, bool[] insideSomeRecord,
        double[] lons, double[] lats, double[] xs, double[] ys)
    {
        var search = new OutsideSearch(new Lazy<AreaDistance>(() => new AreaDistance(footprint), LazyThreadSafetyMode.None), records, record, insideSomeRecord, lons, lats, xs, ys);
        return finds.Nearest(footprint.EnvelopeInternal, ref search, static (ref OutsideSearch s, int i) =>
        {
            if (s.InsideSomeRecord[i] && s.Records.Covers(s.Record, s.Lons[i], s.Lats[i])) return double.PositiveInfinity;
            return s.Footprint.Value.To(s.Xs[i], s.Ys[i]);
        });
    }

    private readonly record struct OutsideSearch(Lazy<AreaDistance> Footprint, PolygonIndex Records, int Record, bool[] InsideSomeRecord,
        double[] Lons, double[] Lats, double[] Xs, double[] Ys);

    private static double? Ratio(double part, double whole) => whole > 0 ? part / whole : null;

    private static double? Quantile(List<double> sorted, double q) => ClusterBootstrap.Quantile(sorted, q);
}
