using System.Diagnostics;
using System.Globalization;
using Groundtruth.Analysis.Spatial;
using Groundtruth.Benchmarks.Tiers;
using NetTopologySuite.Algorithm;
using NetTopologySuite.Geometries;

namespace Groundtruth.Benchmarks;

/// <summary>
/// Where the engine's join time goes. <see cref="PolygonIndex"/> keeps its layout private, so this builds a
/// replica with the same layout and grid rule (cells = 2 × polygons, at most 8192 a side) and counts, per
/// point, the candidates the grid yields, the envelope hits, the rings located and the edges visited; it
/// then times, on one thread, the lookup alone, the lookup with the envelope tests, and the whole test
/// (replica and engine), so point-in-polygon time = whole − lookup − envelopes.
/// </summary>
internal static class JoinProfile
{
    internal sealed record Report(Dictionary<string, object?> Fields);

    public static Report Run(PolygonIndex index, TierData data, long inside, long[] perPolygon)
    {
        var fields = new Dictionary<string, object?>();
        var xs = data.Xs;
        var ys = data.Ys;
        var n = xs.Length;
        var replica = new Replica(data.Polygons, cellsPerPolygon: 2);
        fields["grid"] = replica.Describe();

        // Counters.
        long candidates = 0, examined = 0, envelopeHits = 0, ringsLocated = 0, edges = 0, covered = 0, outsideGrid = 0;
        var stops = new int[n]; // candidates CoversAny examines before it answers (it stops at the first covering polygon)
        var histogram = new long[7]; // 0, 1, 2, 3-4, 5-8, 9-16, >16 candidates
        for (var i = 0; i < n; i++)
        {
            var c = replica.Candidates(xs[i], ys[i]);
            if (c < 0) { outsideGrid++; c = 0; }
            candidates += c;
            histogram[c switch { 0 => 0, 1 => 1, 2 => 2, <= 4 => 3, <= 8 => 4, <= 16 => 5, _ => 6 }]++;
            var (x, e, r, v, hit) = replica.Trace(xs[i], ys[i]);
            stops[i] = x;
            examined += x;
            envelopeHits += e;
            ringsLocated += r;
            edges += v;
            if (hit) covered++;
        }
        fields["points"] = n;
        fields["points_outside_grid"] = outsideGrid;
        fields["candidates_per_point"] = Output.R(candidates / (double)n);
        fields["candidates_histogram"] = new Dictionary<string, long>
        {
            ["0"] = histogram[0], ["1"] = histogram[1], ["2"] = histogram[2], ["3-4"] = histogram[3], ["5-8"] = histogram[4], ["9-16"] = histogram[5], [">16"] = histogram[6],
        };
        fields["candidates_examined_per_point"] = Output.R(examined / (double)n);
        fields["envelope_hits_per_point"] = Output.R(envelopeHits / (double)n);
        fields["rings_located_per_point"] = Output.R(ringsLocated / (double)n);
        fields["edges_per_point"] = Output.R(edges / (double)n);
        fields["replica_inside"] = covered;

        // One-thread timings (best of 5 each): engine, replica whole, lookup only, lookup + envelopes.
        fields["engine_1thread_ns_per_point"] = Ns(n, () => { var k = 0; for (var i = 0; i < n; i++) if (index.CoversAny(xs[i], ys[i])) k++; return k; });
        fields["replica_1thread_ns_per_point"] = Ns(n, () => { var k = 0; for (var i = 0; i < n; i++) if (replica.CoversAny(xs[i], ys[i])) k++; return k; });
        fields["lookup_1thread_ns_per_point"] = Ns(n, () => { var k = 0; for (var i = 0; i < n; i++) k += replica.Candidates(xs[i], ys[i]); return k; });
        fields["lookup_envelopes_1thread_ns_per_point"] = Ns(n, () => { var k = 0; for (var i = 0; i < n; i++) k += replica.EnvelopeHits(xs[i], ys[i], stops[i]); return k; });
        fields["engine_parallel_ns_per_point"] = Ns(n, () => (int)SpatialJoin.CountCovered(index, xs, ys));

        fields["engine_pairs_1thread_ns_per_point"] = Ns(n, () =>
        {
            var pairs = 0L;
            for (var i = 0; i < n; i++) index.ForEachCovering(xs[i], ys[i], ref pairs, static (ref long s, int _) => s++);
            return (int)pairs;
        });
        fields["engine_pairs_parallel_ns_per_point"] = Ns(n, () => SpatialJoin.SumPerPolygon(index, xs, ys).Length);
        fields["what_if"] = WhatIf(data, inside, perPolygon);

        var f = fields;
        double Get(string key) => (double)f[key]!;
        var whole = Get("replica_1thread_ns_per_point");
        var lookup = Get("lookup_1thread_ns_per_point");
        var envelopes = Get("lookup_envelopes_1thread_ns_per_point");
        fields["share_lookup"] = Output.R(lookup / whole);
        fields["share_envelopes"] = Output.R((envelopes - lookup) / whole);
        fields["share_pip"] = Output.R((whole - envelopes) / whole);
        fields["parallel_speedup"] = Output.R(Get("engine_1thread_ns_per_point") / Get("engine_parallel_ns_per_point"), 2);

        Output.Note("profile: " + string.Join(", ", fields.Where(kv => kv.Value is not (IDictionary<string, long> or Dictionary<string, object?> or List<Dictionary<string, object?>>))
            .Select(kv => $"{kv.Key} {Convert.ToString(kv.Value, CultureInfo.InvariantCulture)}")));
        Output.Note("profile: candidates per point " + string.Join(" ", ((Dictionary<string, long>)fields["candidates_histogram"]!).Select(kv => $"[{kv.Key}] {kv.Value}")));
        return new Report(fields);
    }

    /// <summary>
    /// Variants of the index, for suggestions: a finer grid (cells per polygon), and cells classified into
    /// polygons that cover the whole cell (no test needed) and polygons that cross it. Every variant must give
    /// the engine's counts; timed on one thread on a sample of at most 1 M points.
    /// </summary>
    private static List<Dictionary<string, object?>> WhatIf(TierData data, long inside, long[] perPolygon)
    {
        var result = new List<Dictionary<string, object?>>();
        var stride = Math.Max(1, data.PointCount / 1_000_000);
        var sx = data.Xs.Where((_, i) => i % stride == 0).ToArray();
        var sy = data.Ys.Where((_, i) => i % stride == 0).ToArray();
        foreach (var factor in new[] { 2.0, 8, 32 })
        {
            var watch = Stopwatch.StartNew();
            var plain = new Replica(data.Polygons, factor);
            var plainBuild = watch.Elapsed.TotalSeconds;
            watch.Restart();
            var v = new Replica(data.Polygons, factor, classify: true);
            var classifiedBuild = watch.Elapsed.TotalSeconds;
            long semi = 0, semiPlain = 0;
            var counts = new long[data.Polygons.Length];
            long candidates = 0;
            for (var i = 0; i < data.PointCount; i++)
            {
                if (v.CoversAnyClassified(data.Xs[i], data.Ys[i])) semi++;
                if (plain.CoversAny(data.Xs[i], data.Ys[i])) semiPlain++;
                v.CountCovering(data.Xs[i], data.Ys[i], counts, classified: true);
                candidates += Math.Max(0, plain.Candidates(data.Xs[i], data.Ys[i]));
            }
            var same = semi == inside && semiPlain == inside && counts.AsSpan().SequenceEqual(perPolygon);
            if (!same) Output.Note($"profile: what-if {factor} cells per polygon DISAGREES with the engine (semi {semi}/{semiPlain}, engine {inside})");
            var scratch = new long[data.Polygons.Length];
            var m = sx.Length;
            var row = new Dictionary<string, object?>
            {
                ["variant"] = "grid_and_classified_cells",
                ["cells_per_polygon_rule"] = factor,
                ["grid"] = $"{plain.Describe()["columns"]}x{plain.Describe()["rows"]}",
                ["registrations"] = plain.Registrations,
                ["index_mb"] = plain.Describe()["memory_mb"],
                ["build_1thread_s"] = Output.R(plainBuild),
                ["build_classified_s"] = Output.R(classifiedBuild),
                ["candidates_per_point"] = Output.R(candidates / (double)data.PointCount, 2),
                ["points_in_covered_cells"] = Output.R(v.PointsInCoveredCells(data.Xs, data.Ys) / (double)data.PointCount),
                ["same_counts"] = same,
            };
            // Plain and classified alternate run by run, so a busy spell on the machine hits both alike.
            var (semiPlainNs, semiClassifiedNs) = NsPair(m,
                () => { var k = 0; for (var i = 0; i < m; i++) if (plain.CoversAny(sx[i], sy[i])) k++; return k; },
                () => { var k = 0; for (var i = 0; i < m; i++) if (v.CoversAnyClassified(sx[i], sy[i])) k++; return k; });
            var (pairsPlain, pairsClassified) = NsPair(m,
                () => { var k = 0; for (var i = 0; i < m; i++) k += plain.CountCovering(sx[i], sy[i], scratch, classified: false); return k; },
                () => { var k = 0; for (var i = 0; i < m; i++) k += v.CountCovering(sx[i], sy[i], scratch, classified: true); return k; });
            row["semi_ns_per_point"] = semiPlainNs;
            row["semi_classified_ns_per_point"] = semiClassifiedNs;
            row["pairs_ns_per_point"] = pairsPlain;
            row["pairs_classified_ns_per_point"] = pairsClassified;
            Output.Note("profile: what-if " + string.Join(", ", row.Select(kv => $"{kv.Key} {Convert.ToString(kv.Value, CultureInfo.InvariantCulture)}")));
            result.Add(row);
        }
        return result;
    }

    /// <summary>Best of five alternating runs of two passes, in nanoseconds per point.</summary>
    private static (double A, double B) NsPair(int n, Func<int> a, Func<int> b)
    {
        double bestA = double.MaxValue, bestB = double.MaxValue;
        var sink = 0;
        for (var run = 0; run < 5; run++)
        {
            var watch = Stopwatch.StartNew();
            sink += a();
            bestA = Math.Min(bestA, watch.Elapsed.TotalSeconds);
            watch.Restart();
            sink += b();
            bestB = Math.Min(bestB, watch.Elapsed.TotalSeconds);
        }
        GC.KeepAlive(sink);
        return (Output.R(bestA * 1e9 / n, 1), Output.R(bestB * 1e9 / n, 1));
    }

    /// <summary>Best of five runs of <paramref name="pass"/> over <paramref name="n"/> points, in nanoseconds per point.</summary>
    private static double Ns(int n, Func<int> pass, int runs = 5)
    {
        var best = double.MaxValue;
        var sink = 0;
        for (var run = 0; run < runs; run++)
        {
            var watch = Stopwatch.StartNew();
            sink += pass();
            best = Math.Min(best, watch.Elapsed.TotalSeconds);
        }
        GC.KeepAlive(sink);
        return Output.R(best * 1e9 / n, 1);
    }

    /// <summary>The engine's layout and algorithm, instrumented (kept in step with PolygonIndex by hand).</summary>
    internal sealed class Replica
    {
        private readonly int[] _partStart, _ringStart, _coordStart;
        private readonly double[] _x, _y, _env;
        private readonly double _minX, _minY, _maxX, _maxY, _cellW, _cellH;
        private readonly int _columns, _rows;
        private readonly int[] _cellStart, _cellItems;
        private readonly int _count;

        private readonly int[]? _fullEnd; // with classify: cell c's items [_cellStart[c], _fullEnd[c]) cover the whole cell, the rest cross it

        public Replica(IReadOnlyList<Geometry> polygons, double cellsPerPolygon, bool classify = false)
        {
            _count = polygons.Count;
            var parts = new List<int> { 0 };
            var rings = new List<int> { 0 };
            var coords = new List<int> { 0 };
            var xs = new List<double>();
            var ys = new List<double>();
            _env = new double[_count * 4];
            _partStart = new int[_count + 1];
            var extent = new Envelope();
            int partCount = 0, ringCount = 0;
            for (var i = 0; i < _count; i++)
            {
                var env = new Envelope();
                var g = polygons[i];
                for (var k = 0; k < g.NumGeometries; k++)
                {
                    var p = (Polygon)g.GetGeometryN(k);
                    if (p.IsEmpty) continue;
                    foreach (var ring in (IEnumerable<LineString>)[p.ExteriorRing, .. p.InteriorRings])
                    {
                        var seq = ring.CoordinateSequence;
                        for (var v = 0; v < seq.Count; v++) { xs.Add(seq.GetX(v)); ys.Add(seq.GetY(v)); }
                        coords.Add(xs.Count);
                        ringCount++;
                    }
                    rings.Add(ringCount);
                    partCount++;
                    env.ExpandToInclude(p.EnvelopeInternal);
                }
                _partStart[i + 1] = partCount;
                _env[i * 4] = env.IsNull ? double.NaN : env.MinX;
                _env[i * 4 + 1] = env.IsNull ? double.NaN : env.MinY;
                _env[i * 4 + 2] = env.IsNull ? double.NaN : env.MaxX;
                _env[i * 4 + 3] = env.IsNull ? double.NaN : env.MaxY;
                if (!env.IsNull) extent.ExpandToInclude(env);
            }
            _ringStart = [.. rings];
            _coordStart = [.. coords];
            _x = [.. xs];
            _y = [.. ys];
            var w = Math.Max(extent.Width, 1e-9);
            var h = Math.Max(extent.Height, 1e-9);
            var cells = Math.Clamp((long)(_count * cellsPerPolygon), 1, 64_000_000);
            _columns = (int)Math.Clamp(Math.Round(Math.Sqrt(cells * w / h)), 1, 8192);
            _rows = (int)Math.Clamp(Math.Round(cells / (double)_columns), 1, 8192);
            (_minX, _minY, _maxX, _maxY) = (extent.MinX, extent.MinY, extent.MaxX, extent.MaxY);
            _cellW = w / _columns;
            _cellH = h / _rows;
            var counts = new int[_columns * _rows + 1];
            for (var i = 0; i < _count; i++) foreach (var c in CellsOf(i)) counts[c + 1]++;
            for (var c = 1; c < counts.Length; c++) counts[c] += counts[c - 1];
            _cellItems = new int[counts[^1]];
            var fill = (int[])counts.Clone();
            for (var i = 0; i < _count; i++) foreach (var c in CellsOf(i)) _cellItems[fill[c]++] = i;
            _cellStart = counts;
            if (classify) _fullEnd = Classify();
        }

        public int Registrations => _cellItems.Length;

        /// <summary>
        /// Puts first, in each cell, the polygons that cover the whole cell (grown by a margin), so a point in the
        /// cell is inside them without a test. Conservative: a polygon counts as covering the cell only when
        /// the cell's corners are strictly inside one of its parts and no edge of that part comes near the cell.
        /// </summary>
        private int[] Classify()
        {
            var fullEnd = new int[_columns * _rows];
            var cellCount = _columns * _rows;
            Parallel.For(0, cellCount, c =>
            {
                var (start, end) = (_cellStart[c], _cellStart[c + 1]);
                var write = start;
                if (end > start)
                {
                    var col = c % _columns;
                    var row = c / _columns;
                    const double margin = 1e-9;
                    var rx0 = _minX + col * _cellW - margin;
                    var rx1 = _minX + (col + 1) * _cellW + margin;
                    var ry0 = _minY + row * _cellH - margin;
                    var ry1 = _minY + (row + 1) * _cellH + margin;
                    for (var k = start; k < end; k++)
                    {
                        var p = _cellItems[k];
                        if (CoversRectangle(p, rx0, ry0, rx1, ry1)) (_cellItems[write], _cellItems[k]) = (_cellItems[k], _cellItems[write++]);
                    }
                }
                fullEnd[c] = write;
            });
            return fullEnd;
        }

        private bool CoversRectangle(int polygon, double x0, double y0, double x1, double y1)
        {
            var e = polygon * 4;
            if (!(x0 > _env[e] && x1 < _env[e + 2] && y0 > _env[e + 1] && y1 < _env[e + 3])) return false;
            var work = (Rings: 0L, Edges: 0L);
            for (var part = _partStart[polygon]; part < _partStart[polygon + 1]; part++)
            {
                // Every corner strictly inside the shell and strictly outside every hole ...
                var inside = true;
                foreach (var (cx, cy) in (ReadOnlySpan<(double, double)>)[(x0, y0), (x1, y0), (x1, y1), (x0, y1)])
                {
                    if (Locate(_ringStart[part], cx, cy, ref work) != Location.Interior) { inside = false; break; }
                    for (var hole = _ringStart[part] + 1; inside && hole < _ringStart[part + 1]; hole++)
                    {
                        if (Locate(hole, cx, cy, ref work) != Location.Exterior) inside = false;
                    }
                    if (!inside) break;
                }
                // ... and no edge of the part near the cell: then the whole cell is in the part's interior.
                for (var ring = _ringStart[part]; inside && ring < _ringStart[part + 1]; ring++)
                {
                    for (var i = _coordStart[ring] + 1; i < _coordStart[ring + 1]; i++)
                    {
                        if (SegmentMayTouch(_x[i - 1], _y[i - 1], _x[i], _y[i], x0, y0, x1, y1)) { inside = false; break; }
                    }
                }
                if (inside) return true;
            }
            return false;
        }

        /// <summary>False only when the segment clearly misses the rectangle (separating axis test with a tolerance).</summary>
        private static bool SegmentMayTouch(double ax, double ay, double bx, double by, double x0, double y0, double x1, double y1)
        {
            if (Math.Max(ax, bx) < x0 || Math.Min(ax, bx) > x1 || Math.Max(ay, by) < y0 || Math.Min(ay, by) > y1) return false;
            var dx = bx - ax;
            var dy = by - ay;
            var tol = 1e-12 * (Math.Abs(dx) + Math.Abs(dy)) * (Math.Abs(x1 - x0) + Math.Abs(y1 - y0) + 1);
            int pos = 0, neg = 0;
            foreach (var (cx, cy) in (ReadOnlySpan<(double, double)>)[(x0, y0), (x1, y0), (x1, y1), (x0, y1)])
            {
                var cross = dx * (cy - ay) - dy * (cx - ax);
                if (cross > tol) pos++;
                else if (cross < -tol) neg++;
            }
            return !(pos == 4 || neg == 4);
        }

        /// <summary>CoversAny with the cell classification: a cell some polygon covers answers at once.</summary>
        public bool CoversAnyClassified(double x, double y)
        {
            if (!Cell(x, y, out var cell)) return false;
            if (_fullEnd![cell] > _cellStart[cell]) return true;
            var work = (Rings: 0L, Edges: 0L);
            for (var k = _fullEnd[cell]; k < _cellStart[cell + 1]; k++)
            {
                var p = _cellItems[k];
                if (InEnvelope(p, x, y) && Covers(p, x, y, ref work)) return true;
            }
            return false;
        }

        /// <summary>Adds one to every polygon covering the point; returns how many (with the classification when built with it).</summary>
        public int CountCovering(double x, double y, long[] counts, bool classified)
        {
            if (!Cell(x, y, out var cell)) return 0;
            var n = 0;
            var work = (Rings: 0L, Edges: 0L);
            var from = _cellStart[cell];
            if (classified)
            {
                for (; from < _fullEnd![cell]; from++) { counts[_cellItems[from]]++; n++; }
            }
            for (var k = from; k < _cellStart[cell + 1]; k++)
            {
                var p = _cellItems[k];
                if (InEnvelope(p, x, y) && Covers(p, x, y, ref work)) { counts[p]++; n++; }
            }
            return n;
        }

        /// <summary>The share of points whose cell some polygon covers whole.</summary>
        public long PointsInCoveredCells(double[] xs, double[] ys)
        {
            long n = 0;
            for (var i = 0; i < xs.Length; i++) if (Cell(xs[i], ys[i], out var c) && _fullEnd![c] > _cellStart[c]) n++;
            return n;
        }

        public Dictionary<string, object?> Describe()
        {
            var nonEmpty = 0;
            for (var c = 0; c < _columns * _rows; c++) if (_cellStart[c + 1] > _cellStart[c]) nonEmpty++;
            var midLat = (_minY + _maxY) / 2 * Math.PI / 180;
            return new()
            {
                ["columns"] = _columns,
                ["rows"] = _rows,
                ["cell_w_m"] = Output.R(_cellW * 111_320 * Math.Cos(midLat), 0),
                ["cell_h_m"] = Output.R(_cellH * 110_574, 0),
                ["registrations"] = _cellItems.Length,
                ["cells_per_polygon"] = Output.R(_cellItems.Length / (double)_count, 2),
                ["non_empty_cells"] = nonEmpty,
                ["items_per_non_empty_cell"] = Output.R(_cellItems.Length / (double)Math.Max(nonEmpty, 1), 2),
                ["vertices"] = _x.Length,
                ["memory_mb"] = Output.R((_cellStart.Length + _cellItems.Length) * 4.0 / 1048576 + (_x.Length + _y.Length + _env.Length) * 8.0 / 1048576, 1),
            };
        }

        private IEnumerable<int> CellsOf(int i)
        {
            var e = i * 4;
            if (double.IsNaN(_env[e])) yield break;
            int c0 = Col(_env[e]), c1 = Col(_env[e + 2]), r0 = Row(_env[e + 1]), r1 = Row(_env[e + 3]);
            for (var r = r0; r <= r1; r++)
                for (var c = c0; c <= c1; c++) yield return r * _columns + c;
        }

        private int Col(double x) => Math.Clamp((int)((x - _minX) / _cellW), 0, _columns - 1);
        private int Row(double y) => Math.Clamp((int)((y - _minY) / _cellH), 0, _rows - 1);

        private bool Cell(double x, double y, out int cell)
        {
            cell = -1;
            if (!(x >= _minX && x <= _maxX && y >= _minY && y <= _maxY)) return false;
            cell = Row(y) * _columns + Col(x);
            return true;
        }

        /// <summary>The candidates the grid yields (−1 outside the grid).</summary>
        public int Candidates(double x, double y) => Cell(x, y, out var c) ? _cellStart[c + 1] - _cellStart[c] : -1;

        private bool InEnvelope(int p, double x, double y)
        {
            var e = p * 4;
            return x >= _env[e] && x <= _env[e + 2] && y >= _env[e + 1] && y <= _env[e + 3];
        }

        /// <summary>The envelope tests of the first <paramref name="examine"/> candidates: CoversAny without its point-in-polygon tests.</summary>
        public int EnvelopeHits(double x, double y, int examine)
        {
            if (!Cell(x, y, out var cell)) return 0;
            var hits = 0;
            var end = Math.Min(_cellStart[cell + 1], _cellStart[cell] + examine);
            for (var k = _cellStart[cell]; k < end; k++) if (InEnvelope(_cellItems[k], x, y)) hits++;
            return hits;
        }

        public bool CoversAny(double x, double y)
        {
            if (!Cell(x, y, out var cell)) return false;
            var work = (Rings: 0L, Edges: 0L);
            for (var k = _cellStart[cell]; k < _cellStart[cell + 1]; k++)
            {
                var p = _cellItems[k];
                if (InEnvelope(p, x, y) && Covers(p, x, y, ref work)) return true;
            }
            return false;
        }

        /// <summary>What CoversAny does for one point: candidates examined, envelope hits, rings located, edges visited, and the answer.</summary>
        public (int Examined, int EnvelopeHits, long Rings, long Edges, bool Covered) Trace(double x, double y)
        {
            if (!Cell(x, y, out var cell)) return (0, 0, 0, 0, false);
            var hits = 0;
            var work = (Rings: 0L, Edges: 0L);
            for (var k = _cellStart[cell]; k < _cellStart[cell + 1]; k++)
            {
                var p = _cellItems[k];
                if (!InEnvelope(p, x, y)) continue;
                hits++;
                if (Covers(p, x, y, ref work)) return (k - _cellStart[cell] + 1, hits, work.Rings, work.Edges, true);
            }
            return (_cellStart[cell + 1] - _cellStart[cell], hits, work.Rings, work.Edges, false);
        }

        private bool Covers(int polygon, double x, double y, ref (long Rings, long Edges) work)
        {
            for (var part = _partStart[polygon]; part < _partStart[polygon + 1]; part++)
            {
                var shell = _ringStart[part];
                var location = Locate(shell, x, y, ref work);
                if (location == Location.Exterior) continue;
                if (location == Location.Boundary) return true;
                var insideHole = false;
                for (var ring = shell + 1; ring < _ringStart[part + 1]; ring++)
                {
                    var inHole = Locate(ring, x, y, ref work);
                    if (inHole == Location.Boundary) return true;
                    if (inHole == Location.Interior) { insideHole = true; break; }
                }
                if (!insideHole) return true;
            }
            return false;
        }

        private Location Locate(int ring, double px, double py, ref (long Rings, long Edges) work)
        {
            work.Rings++;
            var crossings = 0;
            var end = _coordStart[ring + 1];
            work.Edges += end - _coordStart[ring] - 1;
            for (var i = _coordStart[ring] + 1; i < end; i++)
            {
                double x1 = _x[i - 1], y1 = _y[i - 1], x2 = _x[i], y2 = _y[i];
                if (x1 < px && x2 < px) continue;
                if (px == x2 && py == y2) return Location.Boundary;
                if (y1 == py && y2 == py)
                {
                    if (Math.Min(x1, x2) <= px && px <= Math.Max(x1, x2)) return Location.Boundary;
                    continue;
                }
                if ((y1 > py && y2 <= py) || (y2 > py && y1 <= py))
                {
                    var orient = CGAlgorithmsDD.OrientationIndex(x1, y1, x2, y2, px, py);
                    if (orient == 0) return Location.Boundary;
                    if (y2 < y1) orient = -orient;
                    if (orient > 0) crossings++;
                }
            }
            return (crossings & 1) == 1 ? Location.Interior : Location.Exterior;
        }
    }
}
