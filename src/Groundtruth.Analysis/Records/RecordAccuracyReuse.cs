using System.Collections.Concurrent;
using Groundtruth.Analysis.Geodesy;
using Groundtruth.Analysis.Spatial;
using Groundtruth.Domain;
using NetTopologySuite.Geometries;
using NetTopologySuite.Index.Strtree;

namespace Groundtruth.Analysis.Records;

public static partial class RecordAccuracy
{
    /// <summary>
    /// What the scores of several groups of the same records (<c>records accuracy --by source</c>, <c>--by place</c>)
    /// have in common, computed once and passed to each <see cref="Compute"/>: each record's buffered shape and its
    /// area in processed land, the processed land's indexes, the mine finds of the window (projected, and which lie in
    /// processed land), and each record grown by each buffer of the coverage curve. Every entry is keyed by what it is
    /// computed from — the record's footprint (the same object), the buffer, the UTM zone and the window — so a group
    /// whose zone or window differs computes its own, and every figure is the one a computation alone gives (a test
    /// compares the groups' results with and without it, field by field).
    /// </summary>
    public sealed class Reuse
    {
        private readonly ConcurrentDictionary<(Geometry Footprint, double? Uncertainty, double? BufferM, int Epsg), (bool Invalid, double Buffer, Geometry? Metric, Geometry? Containment)> _shapes =
            new(new ShapeKeyComparer());
        private readonly ConcurrentDictionary<(int Epsg, DateOnly? From, DateOnly? To), ProcessedLand> _processed = new();
        private readonly ConcurrentDictionary<(Geometry Record, double Buffer, int Epsg), Geometry> _grown = new(new GrownKeyComparer());

        internal (bool Invalid, double Buffer, Geometry? Metric, Geometry? Containment)[] Shapes(
            IReadOnlyList<RecordInput> records, RecordAccuracyOptions options, int epsg, ThreadLocal<LocalProjection> projections)
        {
            var shapes = new (bool Invalid, double Buffer, Geometry? Metric, Geometry? Containment)[records.Count];
            var missing = new List<int>();
            for (var i = 0; i < records.Count; i++)
            {
                if (_shapes.TryGetValue(Key(records[i], options, epsg), out var shape)) shapes[i] = shape;
                else missing.Add(i);
            }
            var made = BufferedRecords.Shape([.. missing.Select(i => records[i])], options, projections);
            for (var k = 0; k < missing.Count; k++) shapes[missing[k]] = made[k];
            return shapes;
        }

        internal void Remember(IReadOnlyList<RecordInput> records, RecordAccuracyOptions options, int epsg, (bool Invalid, double Buffer, Geometry? Metric, Geometry? Containment)[] shapes)
        {
            for (var i = 0; i < records.Count; i++) _shapes.TryAdd(Key(records[i], options, epsg), shapes[i]);
        }

        internal ProcessedLand Processed(IReadOnlyList<ProcessedLandInput> processed, int epsg, RecordAccuracyOptions options, ThreadLocal<LocalProjection> projections)
        {
            var land = _processed.GetOrAdd((epsg, options.From, options.To), _ => IndexProcessed(processed, options, projections));
            return ReferenceEquals(land.Source, processed) ? land : IndexProcessed(processed, options, projections);
        }

        /// <summary>A record grown by a buffer in a zone (<see cref="BufferCoverage.Grown"/>), once.</summary>
        internal Geometry Grown(Geometry record, double buffer, ThreadLocal<LocalProjection> projections) =>
            _grown.GetOrAdd((record, buffer, projections.Value!.Epsg), static (key, p) => BufferCoverage.Grown(key.Record, key.Buffer, p), projections);

        private static (Geometry, double?, double?, int) Key(RecordInput record, RecordAccuracyOptions options, int epsg) =>
            (record.Footprint, record.PositionUncertaintyM, options.BufferM, epsg);

        /// <summary>Keys holding a geometry compare it as the same object, not by its coordinates.</summary>
        private sealed class ShapeKeyComparer : IEqualityComparer<(Geometry Footprint, double? Uncertainty, double? BufferM, int Epsg)>
        {
            public bool Equals((Geometry Footprint, double? Uncertainty, double? BufferM, int Epsg) a, (Geometry Footprint, double? Uncertainty, double? BufferM, int Epsg) b) =>
                ReferenceEquals(a.Footprint, b.Footprint) && a.Uncertainty.Equals(b.Uncertainty) && a.BufferM.Equals(b.BufferM) && a.Epsg == b.Epsg;

            public int GetHashCode((Geometry Footprint, double? Uncertainty, double? BufferM, int Epsg) key) =>
                HashCode.Combine(ReferenceEqualityComparer.Instance.GetHashCode(key.Footprint), key.Uncertainty, key.BufferM, key.Epsg);
        }

        private sealed class GrownKeyComparer : IEqualityComparer<(Geometry Record, double Buffer, int Epsg)>
        {
            public bool Equals((Geometry Record, double Buffer, int Epsg) a, (Geometry Record, double Buffer, int Epsg) b) =>
                ReferenceEquals(a.Record, b.Record) && a.Buffer.Equals(b.Buffer) && a.Epsg == b.Epsg;

            public int GetHashCode((Geometry Record, double Buffer, int Epsg) key) =>
                HashCode.Combine(ReferenceEqualityComparer.Instance.GetHashCode(key.Record), key.Buffer, key.Epsg);
        }
    }

    /// <summary>The processed land under way in a window, indexed in WGS84 and in a zone's metres; each record's area in it, once.</summary>
    internal sealed class ProcessedLand(IReadOnlyList<ProcessedLandInput> source, PolygonIndex index, STRtree<Geometry> tree)
    {
        public IReadOnlyList<ProcessedLandInput> Source { get; } = source;
        public PolygonIndex Index { get; } = index;
        public STRtree<Geometry> Tree { get; } = tree;
        public ConcurrentDictionary<Geometry, double> AreaOf { get; } = new(ReferenceEqualityComparer.Instance);
        public LocatedFinds? Finds { get; set; }
    }

    /// <summary>The window's mine finds, projected, and which lie in processed land; what the other finds were left out as.</summary>
    internal sealed record LocatedFinds(IReadOnlyList<FindInput> From, List<FindInput> MineFinds, int Straddling, long Cached, long NonMine,
        double[] Xs, double[] Ys, double[] MetricXs, double[] MetricYs, int[] Quantities, bool[] InProcessed);

    /// <summary>Processed land under way in the window, validated, without exact copies, indexed.</summary>
    private static ProcessedLand IndexProcessed(IReadOnlyList<ProcessedLandInput> processed, RecordAccuracyOptions options, ThreadLocal<LocalProjection> projections)
    {
        // Exact copies (an activity's area recorded again as its land release) cannot change the union: each is kept once.
        // Validated and projected side by side (tens of thousands of areas; each area's answer is its own).
        var inWindow = processed.Where(p => Overlaps(p, options)).Select(p => p.Area).ToList();
        var usable = new bool[inWindow.Count];
        Parallel.For(0, inWindow.Count, i => usable[i] = inWindow[i] is IPolygonal && !inWindow[i].IsEmpty && Validity.IsValid(inWindow[i]));
        var processedWgs84 = inWindow.Where((_, i) => usable[i]).Distinct(ExactGeometryComparer.Instance).ToList();
        var processedIndex = PolygonIndex.Build(processedWgs84);
        var processedAreas = new Geometry[processedWgs84.Count];
        Parallel.For(0, processedAreas.Length, i => processedAreas[i] = projections.Value!.Project(processedWgs84[i]));
        var processedTree = new STRtree<Geometry>();
        foreach (var g in processedAreas) processedTree.Insert(g.EnvelopeInternal, g);
        processedTree.Build();
        return new ProcessedLand(processed, processedIndex, processedTree);
    }

    /// <summary>Finds in the window: mine devices, emplaced or of unknown emplacement; projected; which lie in processed land.</summary>
    private static LocatedFinds LocateFinds(IReadOnlyList<FindInput> finds, RecordAccuracyOptions options, ThreadLocal<LocalProjection> projections, PolygonIndex processedIndex)
    {
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
        var (mx, my) = ProjectSideBySide(fx, fy, projections);
        var quantities = mineFinds.Select(f => f.Quantity).ToArray();
        var inProcessed = SpatialJoin.SemiJoin(processedIndex, fx, fy);
        return new LocatedFinds(finds, mineFinds, straddlingFinds, cached, nonMine, fx, fy, mx, my, quantities, inProcessed);
    }
}
