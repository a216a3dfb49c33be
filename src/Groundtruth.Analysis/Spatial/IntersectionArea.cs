using NetTopologySuite.Algorithm;
using NetTopologySuite.Geometries;

namespace Groundtruth.Analysis.Spatial;

/// <summary>
/// The area of the intersection of two polygonal geometries in projected coordinates, computed without
/// building the intersection: by Green's theorem, twice the area of A∩B is the sum of <c>x₁y₂ − x₂y₁</c>
/// over the boundary of A∩B traversed with the interior on its left, and that boundary is made of
/// <list type="bullet">
/// <item>the pieces of A's edges that lie inside B,</item>
/// <item>the pieces of B's edges that lie inside A, and</item>
/// <item>the pieces of edge shared by both (collinear and overlapping): counted once when A and B run the
/// same way along them (both interiors on the same side, so the piece bounds A∩B), not at all when they run
/// opposite ways (the interiors lie on opposite sides, so A∩B has no area there).</item>
/// </list>
/// </summary>
/// <remarks>
/// <para>How a piece is classified. Every edge of A is split at every point where B's boundary meets it,
/// and every edge of B at every point where A's boundary meets it; each meeting of an edge pair is found
/// once and recorded on both edges, so both walks use the very same split points and the boundary they
/// sum is closed. Whether edges meet, cross, touch or run collinear is decided with exact orientation
/// predicates (a floating-point filter, then NetTopologySuite's double-double <c>CGAlgorithmsDD</c>); only
/// the position of a proper crossing is rounded. After a proper crossing of edge e by edge f the piece of
/// e is inside f's polygon exactly when e's end lies left of f. After a touch (a vertex on the other's
/// boundary), or where nothing is known yet, the piece's midpoint is located by a crossing-number test.</para>
/// <para>Near-coincidences. The tolerance is 10⁻¹² of the pair's extent. Two split points closer than twice
/// the tolerance may be out of order: the tiny piece between them counts by the status the walk has (an
/// error of at most its length times the extent, ~10⁻¹² of the area), and the next piece is located afresh.
/// The kernel cannot decide — <see cref="TryCompute"/> returns false and
/// <see cref="Of(AreaPolygon, AreaPolygon, out bool)"/> falls back to NetTopologySuite's robust overlay —
/// when a midpoint lies within the tolerance of the other boundary, when edges cross so nearly parallel
/// that the crossing's rounding exceeds 10⁻⁶ of their length or the tolerance at a near-coincidence, or
/// when a piece lies on two collinear edges of the other polygon at once (an invalid polygon).</para>
/// <para>Both polygons must be valid (OGC): rings that do not cross, holes inside shells, parts that
/// touch at most at points. Coordinates are translated to an integer origin at the pair's corner, which is
/// exact for metric coordinates, so the predicates are exact on the input.</para>
/// </remarks>
public static class IntersectionArea
{
    private const double RelativeTolerance = 1e-12;

    [ThreadStatic] private static Scratch? _scratch;

    /// <summary>
    /// The area of <paramref name="a"/> ∩ <paramref name="b"/>; <paramref name="fellBack"/> tells whether the
    /// kernel could not decide and NetTopologySuite's overlay was used instead.
    /// </summary>
    public static double Of(AreaPolygon a, AreaPolygon b, out bool fellBack)
    {
        fellBack = !TryCompute(a, b, out var area);
        if (fellBack)
        {
            var factory = NetTopologySuite.NtsGeometryServices.Instance.CreateGeometryFactory();
            area = NetTopologySuite.Operation.OverlayNG.OverlayNGRobust.Overlay(a.ToGeometry(factory), b.ToGeometry(factory), NetTopologySuite.Operation.Overlay.SpatialFunction.Intersection).Area;
        }
        return area;
    }

    /// <summary>The area of the intersection of two polygonal geometries in projected coordinates.</summary>
    public static double Of(Geometry a, Geometry b) => Of(AreaPolygon.Create(a), AreaPolygon.Create(b), out _);

    /// <summary>The area of <paramref name="a"/> ∩ <paramref name="b"/>, or false when the kernel cannot decide.</summary>
    public static bool TryCompute(AreaPolygon a, AreaPolygon b, out double area)
    {
        area = 0;
        if (a.IsEmpty || b.IsEmpty || a.MaxX < b.MinX || b.MaxX < a.MinX || a.MaxY < b.MinY || b.MaxY < a.MinY) return true;
        var s = _scratch ??= new Scratch();
        if (!s.Run(a, b, out var twice)) return false;
        area = Math.Max(0, twice / 2);
        return true;
    }

    /// <summary>Orientation of (cx, cy) relative to the line from (ax, ay) to (bx, by): 1 left, −1 right, 0 on it.</summary>
    /// <remarks>Shewchuk's floating-point filter; NetTopologySuite's double-double predicate when the filter cannot tell.</remarks>
    public static int Orient(double ax, double ay, double bx, double by, double cx, double cy)
    {
        var left = (bx - ax) * (cy - ay);
        var right = (by - ay) * (cx - ax);
        var det = left - right;
        var bound = 3.3306690738754716e-16 * (Math.Abs(left) + Math.Abs(right));
        if (det > bound) return 1;
        if (-det > bound) return -1;
        return CGAlgorithmsDD.OrientationIndex(ax, ay, bx, by, cx, cy);
    }

    private enum Kind : byte { Cross, Touch }

    /// <summary>A point where the other polygon's boundary meets an edge, at parameter T along it.</summary>
    private struct Event
    {
        public int Edge;
        public double T;
        public double X, Y;
        public double Uncertainty;
        public Kind Kind;
        public bool InsideAfter;
    }

    /// <summary>A stretch [Lo, Hi] of an edge that lies on an edge of the other polygon.</summary>
    private struct Shared
    {
        public int Edge;
        public double Lo, Hi;
        public bool SameDirection;
    }

    /// <summary>One polygon of the pair, translated, with what the other polygon does to its edges.</summary>
    private sealed class Side
    {
        public double[] X = new double[64], Y = new double[64];
        public int[] RingStart = [];
        public int Count;
        public double MinX, MinY, MaxX, MaxY;
        public Event[] Events = new Event[64];
        public int EventCount;
        public Shared[] Shares = new Shared[16];
        public int ShareCount;
        public int[] Candidates = new int[64];
        public double[] CandidateBox = new double[256]; // minX, maxX, minY, maxY of each candidate edge
        public int CandidateCount;

        public void Load(AreaPolygon p, double ox, double oy)
        {
            Count = p.X.Length;
            if (X.Length < Count)
            {
                X = new double[Count * 2];
                Y = new double[Count * 2];
                Candidates = new int[Count * 2];
                CandidateBox = new double[Count * 8];
            }
            for (var i = 0; i < Count; i++)
            {
                X[i] = p.X[i] - ox;
                Y[i] = p.Y[i] - oy;
            }
            RingStart = p.RingStart;
            MinX = p.MinX - ox;
            MinY = p.MinY - oy;
            MaxX = p.MaxX - ox;
            MaxY = p.MaxY - oy;
            EventCount = 0;
            ShareCount = 0;
            CandidateCount = 0;
        }

        public void Add(int edge, double t, double x, double y, Kind kind, bool insideAfter, double uncertainty)
        {
            if (EventCount == Events.Length) Array.Resize(ref Events, Events.Length * 2);
            Events[EventCount++] = new Event { Edge = edge, T = t, X = x, Y = y, Kind = kind, InsideAfter = insideAfter, Uncertainty = uncertainty };
        }

        public void AddShared(int edge, double lo, double hi, bool same)
        {
            if (ShareCount == Shares.Length) Array.Resize(ref Shares, Shares.Length * 2);
            Shares[ShareCount++] = new Shared { Edge = edge, Lo = lo, Hi = hi, SameDirection = same };
        }

        /// <summary>Parameter of an exact point on edge i (0 and 1 exactly at its ends).</summary>
        public double Param(int i, double x, double y)
        {
            if (x == X[i] && y == Y[i]) return 0;
            if (x == X[i + 1] && y == Y[i + 1]) return 1;
            double dx = X[i + 1] - X[i], dy = Y[i + 1] - Y[i];
            return ((x - X[i]) * dx + (y - Y[i]) * dy) / (dx * dx + dy * dy);
        }

        public void Sort()
        {
            if (ShareCount > 1) Array.Sort(Shares, 0, ShareCount, ShareOrder.Instance);
            var e = Events;
            var n = EventCount;
            if (n > 48)
            {
                Array.Sort(e, 0, n, EventOrder.Instance);
                return;
            }
            for (var i = 1; i < n; i++)
            {
                var v = e[i];
                var j = i - 1;
                while (j >= 0 && (e[j].Edge > v.Edge || (e[j].Edge == v.Edge && e[j].T > v.T)))
                {
                    e[j + 1] = e[j];
                    j--;
                }
                e[j + 1] = v;
            }
        }
    }

    private sealed class EventOrder : IComparer<Event>
    {
        public static readonly EventOrder Instance = new();

        public int Compare(Event x, Event y) => x.Edge != y.Edge ? x.Edge.CompareTo(y.Edge) : x.T.CompareTo(y.T);
    }

    private sealed class ShareOrder : IComparer<Shared>
    {
        public static readonly ShareOrder Instance = new();

        public int Compare(Shared x, Shared y) => x.Edge.CompareTo(y.Edge);
    }

    private enum Status : byte { Unknown, In, Out }

    private sealed class Scratch
    {
        private readonly Side _a = new();
        private readonly Side _b = new();
        private double _tolerance;
        private bool _failed;
        private double[] _sortedMinX = new double[64];
        private int[] _sortedEdges = new int[64];

        public bool Run(AreaPolygon a, AreaPolygon b, out double twice)
        {
            twice = 0;
            _failed = false;
            // An integer origin: subtracting it from metric coordinates is exact.
            var ox = Math.Floor(Math.Max(a.MinX, b.MinX));
            var oy = Math.Floor(Math.Max(a.MinY, b.MinY));
            _a.Load(a, ox, oy);
            _b.Load(b, ox, oy);
            var extent = Math.Max(Math.Max(Math.Abs(_a.MinX), Math.Abs(_a.MaxX)), Math.Max(Math.Abs(_a.MinY), Math.Abs(_a.MaxY)));
            extent = Math.Max(extent, Math.Max(Math.Max(Math.Abs(_b.MinX), Math.Abs(_b.MaxX)), Math.Max(Math.Abs(_b.MinY), Math.Abs(_b.MaxY))));
            _tolerance = RelativeTolerance * Math.Max(extent, 1e-300);

            Candidates(_a, _b);
            Candidates(_b, _a);
            if (_a.CandidateCount == 0 || _b.CandidateCount == 0)
            {
                // No edge of one meets the other's envelope: no boundary meets; rings are wholly in or out.
            }
            else if ((long)_a.CandidateCount * _b.CandidateCount <= 1024)
            {
                double[] boxA = _a.CandidateBox, boxB = _b.CandidateBox;
                for (var i = 0; i < _a.CandidateCount; i++)
                {
                    double minX = boxA[4 * i], maxX = boxA[4 * i + 1], minY = boxA[4 * i + 2], maxY = boxA[4 * i + 3];
                    for (var j = 0; j < _b.CandidateCount; j++)
                    {
                        if (boxB[4 * j] > maxX || boxB[4 * j + 1] < minX || boxB[4 * j + 2] > maxY || boxB[4 * j + 3] < minY) continue;
                        Meet(_a.Candidates[i], _b.Candidates[j]);
                    }
                }
            }
            else
            {
                Sweep();
            }
            if (_failed) return false;
            _a.Sort();
            _b.Sort();
            if (!Walk(_a, _b, countShared: true, ref twice)) return false;
            if (!Walk(_b, _a, countShared: false, ref twice)) return false;
            return true;
        }

        /// <summary>The edges of p whose envelope meets q's envelope.</summary>
        private static void Candidates(Side p, Side q)
        {
            var rings = p.RingStart;
            for (var r = 0; r + 1 < rings.Length; r++)
                for (var i = rings[r]; i < rings[r + 1] - 1; i++)
                {
                    double x0 = p.X[i], x1 = p.X[i + 1], y0 = p.Y[i], y1 = p.Y[i + 1];
                    double minX = Math.Min(x0, x1), maxX = Math.Max(x0, x1), minY = Math.Min(y0, y1), maxY = Math.Max(y0, y1);
                    if (maxX < q.MinX || minX > q.MaxX || maxY < q.MinY || minY > q.MaxY) continue;
                    var box = p.CandidateBox;
                    var k = 4 * p.CandidateCount;
                    (box[k], box[k + 1], box[k + 2], box[k + 3]) = (minX, maxX, minY, maxY);
                    p.Candidates[p.CandidateCount++] = i;
                }
        }

        /// <summary>Many candidate edges: B's sorted by their left end, each A edge scans only those that can reach it.</summary>
        private void Sweep()
        {
            var n = _b.CandidateCount;
            if (_sortedMinX.Length < n)
            {
                _sortedMinX = new double[n * 2];
                _sortedEdges = new int[n * 2];
            }
            var widest = 0.0;
            for (var k = 0; k < n; k++)
            {
                var j = _b.Candidates[k];
                _sortedMinX[k] = Math.Min(_b.X[j], _b.X[j + 1]);
                _sortedEdges[k] = j;
                widest = Math.Max(widest, Math.Abs(_b.X[j + 1] - _b.X[j]));
            }
            Array.Sort(_sortedMinX, _sortedEdges, 0, n);
            for (var k = 0; k < _a.CandidateCount && !_failed; k++)
            {
                var i = _a.Candidates[k];
                double lo = Math.Min(_a.X[i], _a.X[i + 1]), hi = Math.Max(_a.X[i], _a.X[i + 1]);
                var start = Array.BinarySearch(_sortedMinX, 0, n, lo - widest);
                if (start < 0) start = ~start;
                while (start > 0 && _sortedMinX[start - 1] >= lo - widest) start--;
                for (var m = start; m < n && _sortedMinX[m] <= hi; m++) Meet(i, _sortedEdges[m]);
            }
        }

        /// <summary>Records where A's edge i and B's edge j meet, on both edges.</summary>
        private void Meet(int i, int j)
        {
            double[] ax = _a.X, ay = _a.Y, bx = _b.X, by = _b.Y;
            double p0x = ax[i], p0y = ay[i], p1x = ax[i + 1], p1y = ay[i + 1];
            double q0x = bx[j], q0y = by[j], q1x = bx[j + 1], q1y = by[j + 1];
            if (Math.Max(p0x, p1x) < Math.Min(q0x, q1x) || Math.Max(q0x, q1x) < Math.Min(p0x, p1x)
                || Math.Max(p0y, p1y) < Math.Min(q0y, q1y) || Math.Max(q0y, q1y) < Math.Min(p0y, p1y)) return;
            var o1 = Orient(p0x, p0y, p1x, p1y, q0x, q0y);
            var o2 = Orient(p0x, p0y, p1x, p1y, q1x, q1y);
            if (o1 == o2 && o1 != 0) return;
            if (o1 == 0 && o2 == 0)
            {
                Collinear(i, j);
                return;
            }
            var o3 = Orient(q0x, q0y, q1x, q1y, p0x, p0y);
            var o4 = Orient(q0x, q0y, q1x, q1y, p1x, p1y);
            if (o3 == o4 && o3 != 0) return;
            if (o1 != 0 && o2 != 0 && o3 != 0 && o4 != 0)
            {
                // A proper crossing: the one rounded point, shared by both edges.
                double dpx = p1x - p0x, dpy = p1y - p0y, dqx = q1x - q0x, dqy = q1y - q0y, wx = q0x - p0x, wy = q0y - p0y;
                var d = dpx * dqy - dpy * dqx;
                var t = Math.Clamp((wx * dqy - wy * dqx) / d, 0, 1);
                var u = Math.Clamp((wx * dpy - wy * dpx) / d, 0, 1);
                var x = p0x + t * dpx;
                var y = p0y + t * dpy;
                // Rounding bound of the crossing's position: the relative error of the two cross products,
                // magnified by how nearly parallel the edges are.
                double np = Math.Abs(dpx) + Math.Abs(dpy), nq = Math.Abs(dqx) + Math.Abs(dqy), nw = Math.Abs(wx) + Math.Abs(wy);
                var uncertainty = 1e-15 * (nw + np) * nq * (np + nq) / Math.Abs(d) + 1e-15 * (Math.Abs(x) + Math.Abs(y));
                if (!(uncertainty < 1e-6 * (np + nq))) { _failed = true; return; }
                _a.Add(i, t, x, y, Kind.Cross, insideAfter: o4 > 0, uncertainty);
                _b.Add(j, u, x, y, Kind.Cross, insideAfter: o2 > 0, uncertainty);
                return;
            }
            // They touch at one exact input point: a vertex of one on the other (or a shared vertex).
            double tx, ty;
            if (o1 == 0) (tx, ty) = (q0x, q0y);
            else if (o2 == 0) (tx, ty) = (q1x, q1y);
            else if (o3 == 0) (tx, ty) = (p0x, p0y);
            else (tx, ty) = (p1x, p1y);
            _a.Add(i, _a.Param(i, tx, ty), tx, ty, Kind.Touch, false, 0);
            _b.Add(j, _b.Param(j, tx, ty), tx, ty, Kind.Touch, false, 0);
        }

        /// <summary>A's edge i and B's edge j lie on one line: the stretch they share (if any) is recorded on both.</summary>
        private void Collinear(int i, int j)
        {
            double[] ax = _a.X, ay = _a.Y, bx = _b.X, by = _b.Y;
            // Order points along the line by the coordinate it varies most in: exact for collinear points.
            var useX = Math.Abs(ax[i + 1] - ax[i]) >= Math.Abs(ay[i + 1] - ay[i]);
            var sign = (useX ? ax[i + 1] - ax[i] : ay[i + 1] - ay[i]) > 0 ? 1.0 : -1.0;
            double Key(double x, double y) => sign * (useX ? x : y);
            double kp0 = Key(ax[i], ay[i]), kp1 = Key(ax[i + 1], ay[i + 1]);
            double kq0 = Key(bx[j], by[j]), kq1 = Key(bx[j + 1], by[j + 1]);
            var same = kq1 > kq0;
            // The stretch runs from the later of the two starts to the earlier of the two ends (in A's direction).
            var (loX, loY, loKey) = kp0 >= Math.Min(kq0, kq1) ? (ax[i], ay[i], kp0) : kq0 < kq1 ? (bx[j], by[j], kq0) : (bx[j + 1], by[j + 1], kq1);
            var (hiX, hiY, hiKey) = kp1 <= Math.Max(kq0, kq1) ? (ax[i + 1], ay[i + 1], kp1) : kq0 > kq1 ? (bx[j], by[j], kq0) : (bx[j + 1], by[j + 1], kq1);
            if (loKey > hiKey) return;
            double aLo = _a.Param(i, loX, loY), aHi = _a.Param(i, hiX, hiY);
            double bLo = _b.Param(j, loX, loY), bHi = _b.Param(j, hiX, hiY);
            _a.Add(i, aLo, loX, loY, Kind.Touch, false, 0);
            _b.Add(j, bLo, loX, loY, Kind.Touch, false, 0);
            if (loKey == hiKey) return;
            _a.Add(i, aHi, hiX, hiY, Kind.Touch, false, 0);
            _b.Add(j, bHi, hiX, hiY, Kind.Touch, false, 0);
            _a.AddShared(i, aLo, aHi, same);
            _b.AddShared(j, Math.Min(bLo, bHi), Math.Max(bLo, bHi), same);
        }

        /// <summary>
        /// Walks every ring of p, adding twice the signed area swept by the pieces of its edges that bound
        /// p ∩ q: inside q, or shared with q in the same direction when <paramref name="countShared"/>.
        /// </summary>
        private bool Walk(Side p, Side q, bool countShared, ref double twice)
        {
            var rings = p.RingStart;
            var next = 0; // index of the first event of the current edge
            for (var r = 0; r + 1 < rings.Length; r++)
            {
                int first = rings[r], last = rings[r + 1] - 1;
                var status = Status.Unknown;
                for (var i = first; i < last; i++)
                {
                    double x0 = p.X[i], y0 = p.Y[i], x1 = p.X[i + 1], y1 = p.Y[i + 1];
                    while (next < p.EventCount && p.Events[next].Edge < i) next++;
                    var end = next;
                    while (end < p.EventCount && p.Events[end].Edge == i) end++;
                    var outsideEnvelope = Math.Max(x0, x1) < q.MinX || Math.Min(x0, x1) > q.MaxX || Math.Max(y0, y1) < q.MinY || Math.Min(y0, y1) > q.MaxY;
                    if (next == end)
                    {
                        // Nothing of q touches this edge: one piece, the same status as where the walk stands.
                        if (outsideEnvelope) status = Status.Out;
                        else if (status == Status.Unknown && (status = Locate(q, (x0 + x1) / 2, (y0 + y1) / 2, 0)) == Status.Unknown) return false;
                        if (status == Status.In) twice += x0 * y1 - x1 * y0;
                        continue;
                    }
                    // Pieces from point to point: the edge's start, each distinct event point, its end.
                    var endTouched = false;
                    for (var k = next; k < end; k++)
                    {
                        ref var e = ref p.Events[k];
                        if (e.X == x0 && e.Y == y0) status = Status.Unknown;
                        else if (e.X == x1 && e.Y == y1) endTouched = true;
                    }
                    double px = x0, py = y0, pt = 0, pu = 0;
                    var m = next;
                    while (true)
                    {
                        while (m < end && (p.Events[m].X == px && p.Events[m].Y == py || p.Events[m].X == x0 && p.Events[m].Y == y0 || p.Events[m].X == x1 && p.Events[m].Y == y1)) m++;
                        double qx = x1, qy = y1, qt = 1, qu = 0;
                        var atEnd = m == end;
                        var touch = endTouched;
                        var cross = false;
                        var insideAfter = false;
                        if (!atEnd)
                        {
                            qx = p.Events[m].X; qy = p.Events[m].Y; qt = p.Events[m].T;
                            touch = false;
                            for (; m < end && p.Events[m].X == qx && p.Events[m].Y == qy; m++)
                            {
                                qu = Math.Max(qu, p.Events[m].Uncertainty);
                                if (p.Events[m].Kind == Kind.Touch || cross) touch = true;
                                else { cross = true; insideAfter = p.Events[m].InsideAfter; }
                            }
                        }
                        // Two distinct split points closer than the tolerance: their order is not certain, so
                        // neither is the status of the piece between them, nor the status after it. The piece
                        // counts by the status the walk has (leaving it out is within the same error bound,
                        // its length times the pair's extent), and the next piece is located afresh. When a
                        // crossing's rounding is itself above the tolerance that bound is too loose: undecided.
                        var tiny = Math.Abs(qx - px) + Math.Abs(qy - py) <= 2 * _tolerance + pu + qu;
                        if (tiny && pu + qu > _tolerance) return false;
                        var shared = SharedPiece(p, i, pt, qt, out var same);
                        if (shared < 0) return false;
                        if (shared > 0)
                        {
                            if (countShared && same) twice += px * qy - qx * py;
                            status = Status.Unknown;
                        }
                        else if (tiny)
                        {
                            if (status == Status.In) twice += px * qy - qx * py;
                        }
                        else
                        {
                            if (outsideEnvelope) status = Status.Out;
                            else if (status == Status.Unknown && (status = Locate(q, (px + qx) / 2, (py + qy) / 2, Math.Max(pu, qu))) == Status.Unknown) return false;
                            if (status == Status.In) twice += px * qy - qx * py;
                        }
                        if (touch || tiny) status = Status.Unknown;
                        else if (cross) status = insideAfter ? Status.In : Status.Out;
                        if (atEnd) break;
                        px = qx; py = qy; pt = qt; pu = qu;
                    }
                    next = end;
                }
            }
            return true;
        }

        /// <summary>1 when the piece [lo, hi] of p's edge i lies on an edge of q (same tells the direction), 0 when not, −1 when on two.</summary>
        private static int SharedPiece(Side p, int edge, double lo, double hi, out bool same)
        {
            same = false;
            var found = 0;
            int low = 0, high = p.ShareCount;
            while (low < high)
            {
                var mid = (low + high) >>> 1;
                if (p.Shares[mid].Edge < edge) low = mid + 1;
                else high = mid;
            }
            for (var s = low; s < p.ShareCount && p.Shares[s].Edge == edge; s++)
            {
                ref var share = ref p.Shares[s];
                if (share.Lo > lo || share.Hi < hi) continue;
                if (found++ > 0) return -1;
                same = share.SameDirection;
            }
            return found;
        }

        /// <summary>
        /// Whether a point is inside q (crossing number), or Unknown when q's boundary passes closer than the
        /// tolerance (plus <paramref name="slack"/>, the rounding of the point).
        /// </summary>
        private Status Locate(Side q, double x, double y, double slack)
        {
            var near = _tolerance + slack;
            if (x < q.MinX - near || x > q.MaxX + near || y < q.MinY - near || y > q.MaxY + near) return Status.Out;
            var inside = false;
            var rings = q.RingStart;
            double[] qx = q.X, qy = q.Y;
            for (var r = 0; r + 1 < rings.Length; r++)
                for (var i = rings[r]; i < rings[r + 1] - 1; i++)
                {
                    double x0 = qx[i], y0 = qy[i], x1 = qx[i + 1], y1 = qy[i + 1];
                    if (x >= Math.Min(x0, x1) - near && x <= Math.Max(x0, x1) + near && y >= Math.Min(y0, y1) - near && y <= Math.Max(y0, y1) + near
                        && DistanceToSegment(x, y, x0, y0, x1, y1) <= near) return Status.Unknown;
                    if (y0 > y != y1 > y && x < x0 + (y - y0) * (x1 - x0) / (y1 - y0)) inside = !inside;
                }
            return inside ? Status.In : Status.Out;
        }

        private static double DistanceToSegment(double x, double y, double x0, double y0, double x1, double y1)
        {
            double dx = x1 - x0, dy = y1 - y0;
            var t = Math.Clamp(((x - x0) * dx + (y - y0) * dy) / (dx * dx + dy * dy), 0, 1);
            double ex = x0 + t * dx - x, ey = y0 + t * dy - y;
            return Math.Sqrt(ex * ex + ey * ey);
        }
    }
}
