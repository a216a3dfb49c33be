namespace Groundtruth.Analysis.Risk;

/// <summary>
/// The exact Euclidean distance transform of Felzenszwalb and Huttenlocher ("Distance Transforms of
/// Sampled Functions", Theory of Computing 8, 2012): for every cell, the distance from its centre to the
/// centre of the nearest seed cell, in metres, in two separable passes of the lower envelope of parabolas.
/// Linear in the number of cells, whatever the number of seeds.
/// </summary>
public static class DistanceTransform
{
    private const float Far = 1e20f;

    /// <summary>Distances in metres from every cell to the nearest seed (<c>seeds[i]</c> true); with no seed, <see cref="float.PositiveInfinity"/> everywhere.</summary>
    public static float[] Compute(RiskGrid grid, ReadOnlySpan<bool> seeds)
    {
        var (w, h) = (grid.Columns, grid.Rows);
        var squared = new float[w * h];
        var any = false;
        for (var i = 0; i < squared.Length; i++)
        {
            squared[i] = seeds[i] ? 0 : Far;
            any |= seeds[i];
        }
        if (!any)
        {
            Array.Fill(squared, float.PositiveInfinity);
            return squared;
        }

        // Rows: contiguous. Along a row the values are only 0 (a seed) or Far, so the lower envelope is the squared distance
        // to the row's nearest seed (Far in a row without one): two scans, the same numbers as the envelope gives, in a
        // fraction of its time (issue 16: the transforms were a tenth of the risk map's layers at scale 500).
        Parallel.For(0, h, r => NearestInRow(squared.AsSpan(r * w, w)));

        // Columns, in bands of adjacent columns so each row read fills a cache line.
        const int band = 16;
        var bands = (w + band - 1) / band;
        Parallel.For(0, bands, () => new Scratch(Math.Max(w, h), band * h), (b, _, s) =>
        {
            var c0 = b * band;
            var n = Math.Min(band, w - c0);
            for (var r = 0; r < h; r++)
            {
                var src = r * w + c0;
                for (var k = 0; k < n; k++) s.Block[k * h + r] = squared[src + k];
            }
            for (var k = 0; k < n; k++)
            {
                for (var r = 0; r < h; r++) s.F[r] = s.Block[k * h + r];
                Envelope(s, h);
                for (var r = 0; r < h; r++) s.Block[k * h + r] = (float)s.D[r];
            }
            for (var r = 0; r < h; r++)
            {
                var dst = r * w + c0;
                for (var k = 0; k < n; k++) squared[dst + k] = s.Block[k * h + r];
            }
            return s;
        }, _ => { });

        var cell = (float)grid.Cell;
        Parallel.For(0, h, r =>
        {
            var row = squared.AsSpan(r * w, w);
            for (var i = 0; i < row.Length; i++) row[i] = MathF.Sqrt(row[i]) * cell;
        });
        return squared;
    }

    /// <summary>Each value of a row of 0s (seeds) and <see cref="Far"/>s becomes the squared distance to its nearest seed, or stays Far in a row without one.</summary>
    private static void NearestInRow(Span<float> row)
    {
        var last = -1;
        for (var i = 0; i < row.Length; i++)
        {
            if (row[i] == 0) last = i;
            else if (last >= 0) row[i] = (float)((long)(i - last) * (i - last));
        }
        if (last < 0) return;
        var next = -1;
        for (var i = row.Length - 1; i >= 0; i--)
        {
            if (row[i] == 0) { next = i; continue; }
            if (next < 0) continue;
            var ahead = (float)((long)(next - i) * (next - i));
            if (ahead < row[i]) row[i] = ahead;
        }
    }

    /// <summary>Where the parabolas rooted at q and p meet (z[0] = −∞ stops the scan at the first).</summary>
    private static double Meet(double[] f, int q, int p) => (f[q] + (double)q * q - (f[p] + (double)p * p)) / (2.0 * q - 2.0 * p);

    private sealed class Scratch(int n, int block = 0)
    {
        public readonly double[] F = new double[n];
        public readonly double[] D = new double[n];
        public readonly int[] V = new int[n];
        public readonly double[] Z = new double[n + 1];
        public readonly float[] Block = new float[block];
    }

    /// <summary>D[q] = min over p of (q − p)² + F[p]: the lower envelope of the parabolas rooted at every p.</summary>
    private static void Envelope(Scratch s, int n)
    {
        var (f, d, v, z) = (s.F, s.D, s.V, s.Z);
        var k = 0;
        v[0] = 0;
        z[0] = double.NegativeInfinity;
        z[1] = double.PositiveInfinity;
        for (var q = 1; q < n; q++)
        {
            var sx = Meet(f, q, v[k]);
            while (sx <= z[k])
            {
                k--;
                sx = Meet(f, q, v[k]);
            }
            k++;
            v[k] = q;
            z[k] = sx;
            z[k + 1] = double.PositiveInfinity;
        }
        k = 0;
        for (var q = 0; q < n; q++)
        {
            while (z[k + 1] < q) k++;
            var p = v[k];
            d[q] = (double)(q - p) * (q - p) + f[p];
        }
    }
}
