namespace Groundtruth.Analysis.Risk;

/// <summary>
/// Kernel density of past events: events are binned into coarse cells (a quarter of the bandwidth, never
/// finer than the grid), the bins are blurred by a separable Gaussian of standard deviation
/// <c>bandwidth</c>, and every grid cell reads its value bilinearly. The result is events per km².
/// Cost is the number of cells plus bins × kernel width, not cells × events.
/// </summary>
public static class KernelDensity
{
    public static float[] Compute(RiskGrid grid, IReadOnlyList<(double X, double Y, double Weight)> events, double bandwidthM)
    {
        var density = new Bins(grid, bandwidthM);
        foreach (var (x, y, weight) in events) density.Add(x, y, weight);
        return density.Blur();
    }

    /// <summary>
    /// Events binned as they come (<see cref="Add"/>), then blurred into the density (<see cref="Blur"/>): the same as
    /// <see cref="Compute"/> on the same events in the same order, with no list of events kept (issue 16: a window's million
    /// finds held 24 MB, and the list grew by copies).
    /// </summary>
    public sealed class Bins
    {
        private readonly RiskGrid _grid;
        private readonly double _bandwidth, _bin;
        private readonly int _bw, _bh;
        private readonly double[] _bins;

        public Bins(RiskGrid grid, double bandwidthM)
        {
            if (!(bandwidthM > 0)) throw new ArgumentOutOfRangeException(nameof(bandwidthM), bandwidthM, "the bandwidth must be positive metres");
            _grid = grid;
            _bandwidth = bandwidthM;
            _bin = Math.Max(grid.Cell, bandwidthM / 4);
            _bw = (int)Math.Ceiling(grid.Columns * grid.Cell / _bin) + 1;
            _bh = (int)Math.Ceiling(grid.Rows * grid.Cell / _bin) + 1;
            _bins = new double[_bw * _bh];
        }

        /// <summary>Adds an event of <paramref name="weight"/> at (<paramref name="x"/>, <paramref name="y"/>) in the grid's metres; outside the bins it counts for nothing.</summary>
        public void Add(double x, double y, double weight)
        {
            var c = (int)Math.Floor((x - _grid.MinX) / _bin);
            var r = (int)Math.Floor((_grid.MaxY - y) / _bin);
            if (c < 0 || r < 0 || c >= _bw || r >= _bh) return;
            _bins[r * _bw + c] += weight;
        }

        /// <summary>The events added so far as events per km² on every cell of the grid.</summary>
        public float[] Blur() => Smooth(_grid, _bins, _bw, _bh, _bin, _bandwidth);
    }

    private static float[] Smooth(RiskGrid grid, double[] bins, int bw, int bh, double bin, double bandwidthM)
    {
        var sigma = bandwidthM / bin;
        var radius = (int)Math.Ceiling(3 * sigma);
        var kernel = new double[2 * radius + 1];
        for (var k = -radius; k <= radius; k++) kernel[k + radius] = Math.Exp(-0.5 * k * k / (sigma * sigma));
        var sum = kernel.Sum();
        for (var k = 0; k < kernel.Length; k++) kernel[k] /= sum;

        var tmp = new double[bins.Length];
        Parallel.For(0, bh, r =>
        {
            for (var c = 0; c < bw; c++)
            {
                double acc = 0;
                for (var k = -radius; k <= radius; k++)
                {
                    var cc = c + k;
                    if (cc >= 0 && cc < bw) acc += kernel[k + radius] * bins[r * bw + cc];
                }
                tmp[r * bw + c] = acc;
            }
        });
        Parallel.For(0, bh, r =>
        {
            for (var c = 0; c < bw; c++)
            {
                double acc = 0;
                for (var k = -radius; k <= radius; k++)
                {
                    var rr = r + k;
                    if (rr >= 0 && rr < bh) acc += kernel[k + radius] * tmp[rr * bw + c];
                }
                bins[r * bw + c] = acc;
            }
        });
        var perKm2 = 1e6 / (bin * bin);

        var density = new float[grid.Count];
        Parallel.For(0, grid.Rows, r =>
        {
            // Bin centres sit at (i + 0.5)·bin from the grid origin.
            var fy = ((r + 0.5) * grid.Cell) / bin - 0.5;
            var r0 = Math.Clamp((int)Math.Floor(fy), 0, bh - 1);
            var r1 = Math.Min(r0 + 1, bh - 1);
            var ty = Math.Clamp(fy - r0, 0, 1);
            for (var c = 0; c < grid.Columns; c++)
            {
                var fx = ((c + 0.5) * grid.Cell) / bin - 0.5;
                var c0 = Math.Clamp((int)Math.Floor(fx), 0, bw - 1);
                var c1 = Math.Min(c0 + 1, bw - 1);
                var tx = Math.Clamp(fx - c0, 0, 1);
                var top = bins[r0 * bw + c0] * (1 - tx) + bins[r0 * bw + c1] * tx;
                var bottom = bins[r1 * bw + c0] * (1 - tx) + bins[r1 * bw + c1] * tx;
                density[r * grid.Columns + c] = (float)((top * (1 - ty) + bottom * ty) * perKm2);
            }
        });
        return density;
    }
}
