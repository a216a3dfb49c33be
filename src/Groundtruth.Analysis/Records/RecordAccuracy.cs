using Groundtruth.Analysis.Geodesy;
using Groundtruth.Analysis.Spatial;
using Groundtruth.Domain;
using NetTopologySuite.Geometries;
using NetTopologySuite.Index.Strtree;
using NetTopologySuite.Operation.Union;

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
public static class RecordAccuracy
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
        RecordAccuracyOptions options)
    {
        var extent = new Envelope();
        foreach (var r in records) extent.ExpandToInclude(r.Footprint.EnvelopeInternal);
        foreach (var f in finds) extent.ExpandToInclude(f.Lon, f.Lat);
        var projection = new LocalProjection(extent);

        // Records: valid ones, buffered by --buffer or their stated uncertainty, in metres.
        var invalid = new List<string>();
        var refused = new List<string>();
        var kept = new List<RecordInput>();
        var footprints = new List<Geometry>();
        var containment = new List<Geometry>();
        var buffers = new List<double>();
        foreach (var r in records)
        {
            if (r.Footprint.IsEmpty || !r.Footprint.IsValid) { invalid.Add(r.Id); continue; }
            var polygonal = r.Footprint is IPolygonal;
            var buffer = options.BufferM ?? r.PositionUncertaintyM ?? (polygonal ? 0 : double.NaN);
            if (double.IsNaN(buffer) || (!polygonal && buffer <= 0)) { refused.Add(r.Id); continue; }
            kept.Add(r);
            buffers.Add(buffer);
            var metric = Buffered(projection.Project(r.Footprint), buffer);
            footprints.Add(metric);
            // Containment is tested in WGS84, where the points were recorded, so a find on an
            // unbuffered record's boundary is inside exactly (covers semantics).
            containment.Add(buffer > 0 ? projection.Unproject(metric) : r.Footprint);
        }
        if (refused.Count > 0)
            throw new RecordAccuracyArgumentException(
                $"{refused.Count} point or line record(s) have no stated positional uncertainty and so no area: give --buffer METRES (> 0). Records: {string.Join(", ", refused.Take(20))}{(refused.Count > 20 ? ", …" : "")}");
        var recordIndex = PolygonIndex.Build(containment);

        // Processed land under way in the window.
        var processedWgs84 = processed.Where(p => Overlaps(p, options)).Select(p => p.Area).Where(g => g is IPolygonal && !g.IsEmpty && g.IsValid).ToList();
        var processedIndex = PolygonIndex.Build(processedWgs84);
        var processedAreas = processedWgs84.Select(projection.Project).ToList();
        var processedTree = new STRtree<Geometry>();
        foreach (var g in processedAreas) processedTree.Insert(g.EnvelopeInternal, g);
        processedTree.Build();

        // Finds in the window: mine devices, emplaced or of unknown emplacement.
        int straddlingFinds = 0;
        long cached = 0, nonMine = 0;
        var mineFinds = new List<FindInput>();
        foreach (var f in finds)
        {
            if (f.FoundOn.Straddles(options.From, options.To)) { straddlingFinds++; continue; }
            if (!f.FoundOn.LiesWithin(options.From, options.To)) continue;
            if (!MineCategories.Contains(f.Category)) { nonMine += f.Quantity; continue; }
            if (f.Emplacement == Emplacement.Cached) { cached += f.Quantity; continue; }
            mineFinds.Add(f);
        }
        var fx = mineFinds.Select(f => f.Lon).ToArray();
        var fy = mineFinds.Select(f => f.Lat).ToArray();
        var (mx, my) = projection.Project(fx, fy);
        var quantities = mineFinds.Select(f => f.Quantity).ToArray();
        var inProcessed = SpatialJoin.SemiJoin(processedIndex, fx, fy);
        var insideRecord = SpatialJoin.SemiJoin(recordIndex, fx, fy);
        var devicesInside = SpatialJoin.SumPerPolygon(recordIndex, fx, fy, quantities);
        long devicesInProcessed = 0, devicesInProcessedInside = 0, spot = 0;
        for (var i = 0; i < mineFinds.Count; i++)
        {
            if (!inProcessed[i]) { spot += quantities[i]; continue; }
            devicesInProcessed += quantities[i];
            if (insideRecord[i]) devicesInProcessedInside += quantities[i];
        }

        // Per record: processed share and verdict.
        var rows = new List<RecordRow>(kept.Count);
        var evaluated = new List<bool>();
        long declared = 0, foundInEvaluated = 0;
        var findPoints = new STRtree<Geometry>();
        for (var i = 0; i < mineFinds.Count; i++)
        {
            var point = projection.Factory.CreatePoint(new Coordinate(mx[i], my[i]));
            point.UserData = i;
            findPoints.Insert(point.EnvelopeInternal, point);
        }
        findPoints.Build();
        for (var r = 0; r < kept.Count; r++)
        {
            var footprint = footprints[r];
            var area = footprint.Area;
            var processedM2 = ProcessedArea(footprint, processedTree);
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
                buffers[r], verdict, NearestOutside(footprint, recordIndex, r, findPoints, fx, fy)));
        }

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

        // Offsets: each mine find's distance to the nearest record (0 inside).
        var offsets = new List<double>(mineFinds.Count);
        if (footprints.Count > 0)
        {
            var recordTree = new STRtree<Geometry>();
            foreach (var g in footprints) recordTree.Insert(g.EnvelopeInternal, g);
            recordTree.Build();
            for (var i = 0; i < mineFinds.Count; i++)
            {
                if (insideRecord[i]) { offsets.Add(0); continue; }
                var point = projection.Factory.CreatePoint(new Coordinate(mx[i], my[i]));
                var nearest = recordTree.NearestNeighbour(point.EnvelopeInternal, point, new GeometryItemDistance());
                offsets.Add(nearest.Distance(point));
            }
        }
        offsets.Sort();

        // Coverage over buffer sizes: a wrong record stays wrong as the buffer grows; a badly transcribed one catches up.
        var curve = new List<CoveragePoint>();
        foreach (var b in RecordAccuracyOptions.CurveBuffers)
        {
            var index = PolygonIndex.Build([.. kept.Select(k => b > 0 ? projection.Unproject(Buffered(projection.Project(k.Footprint), b)) : Buffered(k.Footprint, 0))]);
            long inside = 0;
            for (var i = 0; i < mineFinds.Count; i++) if (inProcessed[i] && index.CoversAny(fx[i], fy[i])) inside += quantities[i];
            curve.Add(new CoveragePoint(b, inside, Ratio(inside, devicesInProcessed)));
        }

        // Intervals, resampled by record: finds and accidents inside one record move together.
        var random = new Random(options.Seed);
        var confirmedCount = evaluated.Count(e => e);
        var rateCi = Bootstrap(evaluated.Select(e => (e ? 1.0 : 0.0, 1.0)).ToList(), options.BootstrapSamples, random);
        var findClusters = new Dictionary<int, (double Inside, double Total)>();
        var singleton = -1;
        for (var i = 0; i < mineFinds.Count; i++)
        {
            if (!inProcessed[i]) continue;
            var key = recordIndex.Best(fx[i], fy[i]);
            if (key < 0) key = singleton--;
            var c = findClusters.GetValueOrDefault(key);
            findClusters[key] = (c.Inside + (insideRecord[i] ? quantities[i] : 0), c.Total + quantities[i]);
        }
        var coverageCi = Bootstrap([.. findClusters.Values], options.BootstrapSamples, random);
        var accidentClusters = new Dictionary<int, (double Outside, double Total)>();
        foreach (var a in eligible)
        {
            var key = a.Outside ? singleton-- : a.Cluster;
            var c = accidentClusters.GetValueOrDefault(key);
            accidentClusters[key] = (c.Outside + (a.Outside ? 1 : 0), c.Total + 1);
        }
        var accidentCi = Bootstrap([.. accidentClusters.Values], options.BootstrapSamples, random);
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

    private static Geometry Buffered(Geometry metric, double buffer)
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

    private static double ProcessedArea(Geometry footprint, STRtree<Geometry> processed)
    {
        var candidates = processed.Query(footprint.EnvelopeInternal).Where(g => g.Intersects(footprint)).ToList();
        if (candidates.Count == 0) return 0;
        var union = candidates.Count == 1 ? candidates[0] : UnaryUnionOp.Union(candidates);
        return footprint.Intersection(union).Area;
    }

    /// <summary>The distance from a record to the nearest mine find outside it, in metres; null when there is none.</summary>
    private static double? NearestOutside(Geometry footprint, PolygonIndex records, int record, STRtree<Geometry> finds, double[] lons, double[] lats)
    {
        if (finds.Count == 0) return null;
        for (var k = 8; ; k *= 4)
        {
            var nearest = finds.NearestNeighbour(footprint.EnvelopeInternal, footprint, new GeometryItemDistance(), Math.Min(k, finds.Count));
            var outside = nearest.Where(p => !records.Covers(record, lons[(int)p.UserData], lats[(int)p.UserData])).ToList();
            if (outside.Count > 0) return outside.Min(p => p.Distance(footprint));
            if (k >= finds.Count) return null;
        }
    }

    private static double? Ratio(double part, double whole) => whole > 0 ? part / whole : null;

    private static double? Quantile(List<double> sorted, double q)
    {
        if (sorted.Count == 0) return null;
        var pos = q * (sorted.Count - 1);
        var lo = (int)Math.Floor(pos);
        var hi = Math.Min(lo + 1, sorted.Count - 1);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
    }

    /// <summary>A 95% percentile interval of Σpart/Σwhole over clusters resampled with replacement.</summary>
    private static double[]? Bootstrap(List<(double Part, double Whole)> clusters, int samples, Random random)
    {
        if (clusters.Count == 0 || clusters.Sum(c => c.Whole) == 0) return null;
        var values = new List<double>(samples);
        for (var s = 0; s < samples; s++)
        {
            double part = 0, whole = 0;
            for (var i = 0; i < clusters.Count; i++)
            {
                var c = clusters[random.Next(clusters.Count)];
                part += c.Part;
                whole += c.Whole;
            }
            if (whole > 0) values.Add(part / whole);
        }
        values.Sort();
        return [Quantile(values, 0.025)!.Value, Quantile(values, 0.975)!.Value];
    }
}
