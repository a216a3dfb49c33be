namespace Groundtruth.Analysis.Risk;

/// <summary>How a covariate raster enters the model: as its value, or as one 0/1 layer per class.</summary>
public enum CovariateKind
{
    Continuous,
    Categorical,
}

/// <summary>
/// A raster a programme holds (elevation or slope, land cover classes, population density, distance to settlements),
/// north-up on a regular grid of its own reference system (<paramref name="Epsg"/>: WGS84 longitude/latitude, a UTM
/// zone or web mercator; <see cref="West"/>, <see cref="North"/> and the cell sizes are in its units): row 0 is the northern edge. Resampled to each risk grid
/// at the cell centres — bilinearly when continuous, the nearest value when categorical. A covariate carries no date
/// of its own in the model: like lines, it is what a planner knows of the land before anyone works there.
/// </summary>
/// <param name="NoData">Cells holding this value (or NaN) have no value; a continuous covariate is read there as the raster's mean, a categorical one as no class.</param>
public sealed record CovariateRaster(string Name, CovariateKind Kind, double West, double North, double CellLon, double CellLat, int Columns, int Rows, float[] Values, float? NoData = null, int Epsg = Groundtruth.Domain.SpatialRules.Wgs84)
{
    /// <summary>Categorical rasters with more classes than this are refused: each class is a layer.</summary>
    public const int MaxClasses = 16;

    /// <summary>How many bands the GeoTIFF holds; only the first is read, and <c>layers add</c> refuses more than one.</summary>
    public int Bands { get; init; } = 1;

    /// <summary>
    /// The first whole number in the file (row order) that its 32-bit values cannot hold exactly, as the file has it; null when
    /// there is none. Beyond 2^24 not every whole number is a float (16777217 reads as 16777216), so as class codes two of them
    /// could merge into one class: <c>layers add</c> refuses such a categorical raster.
    /// </summary>
    public string? InexactCode { get; init; }

    private bool IsNoData(float v) => float.IsNaN(v) || (NoData is { } nd && v == nd);

    /// <summary>Whether any cell holds a value: a raster that is nodata everywhere says nothing of the land.</summary>
    public bool HasValue() => Values.Any(v => !IsNoData(v));

    /// <summary>
    /// The first value in row order that is not a whole number (0.5, −3.7, an infinity), null when every value is: the
    /// classes of a categorical raster are codes (1 forest, 2 crops…), and a fraction means the raster measures something.
    /// </summary>
    public float? FirstNotWhole()
    {
        foreach (var v in Values)
            if (!IsNoData(v) && (!float.IsFinite(v) || v != MathF.Floor(v))) return v;
        return null;
    }

    /// <summary>The value at a point given in the raster's reference system, NaN outside the raster or on nodata.</summary>
    public float Sample(double lon, double lat)
    {
        var fx = (lon - West) / CellLon - 0.5;
        var fy = (North - lat) / CellLat - 0.5;
        if (Kind == CovariateKind.Categorical)
        {
            var c = (int)Math.Floor(fx + 0.5);
            var r = (int)Math.Floor(fy + 0.5);
            if (c < 0 || r < 0 || c >= Columns || r >= Rows) return float.NaN;
            var v = Values[r * Columns + c];
            return IsNoData(v) ? float.NaN : v;
        }
        if (fx < -0.5 || fy < -0.5 || fx > Columns - 0.5 || fy > Rows - 0.5) return float.NaN;
        var x0 = Math.Clamp((int)Math.Floor(fx), 0, Columns - 1);
        var y0 = Math.Clamp((int)Math.Floor(fy), 0, Rows - 1);
        var x1 = Math.Min(x0 + 1, Columns - 1);
        var y1 = Math.Min(y0 + 1, Rows - 1);
        var tx = Math.Clamp(fx - x0, 0, 1);
        var ty = Math.Clamp(fy - y0, 0, 1);
        double sum = 0, weight = 0;
        void Add(int x, int y, double w)
        {
            var v = Values[y * Columns + x];
            if (w <= 0 || IsNoData(v)) return;
            sum += w * v;
            weight += w;
        }
        Add(x0, y0, (1 - tx) * (1 - ty));
        Add(x1, y0, tx * (1 - ty));
        Add(x0, y1, (1 - tx) * ty);
        Add(x1, y1, tx * ty);
        return weight > 0 ? (float)(sum / weight) : float.NaN;
    }

    /// <summary>The classes of a categorical raster, in order.</summary>
    public float[] Classes() => [.. Values.Where(v => !IsNoData(v)).Distinct().Order()];

    /// <summary>Mean of the values that are not nodata (0 when none).</summary>
    public float Mean()
    {
        double s = 0;
        var n = 0;
        foreach (var v in Values) if (!IsNoData(v)) { s += v; n++; }
        return n > 0 ? (float)(s / n) : 0;
    }
}

/// <summary>The covariates resampled to a risk grid: one layer per continuous raster, one 0/1 layer per class of a categorical one.</summary>
public sealed class CovariateLayers
{
    public CovariateLayers(RiskScene scene)
    {
        var names = new List<string>();
        var values = new List<float[]>();
        var covariates = scene.Data.Covariates;
        if (covariates.Count > 0)
        {
            var grid = scene.Grid;
            var centres = new Dictionary<int, (double[] Xs, double[] Ys)>();
            foreach (var raster in covariates)
            {
                if (!centres.TryGetValue(raster.Epsg, out var xy)) centres[raster.Epsg] = xy = CellCentres(scene, raster.Epsg);
                var (lons, lats) = xy;
                if (raster.Kind == CovariateKind.Continuous)
                {
                    var mean = raster.Mean();
                    var layer = new float[grid.Count];
                    Parallel.For(0, grid.Count, c =>
                    {
                        var v = scene.Mask[c] ? raster.Sample(lons[c], lats[c]) : float.NaN;
                        layer[c] = float.IsNaN(v) ? mean : v;
                    });
                    names.Add(raster.Name);
                    values.Add(layer);
                }
                else
                {
                    var classes = raster.Classes();
                    if (classes.Length > CovariateRaster.MaxClasses)
                        throw new RiskDataException($"covariate {raster.Name}: {classes.Length} classes, at most {CovariateRaster.MaxClasses} (each class is a layer)");
                    var sampled = new float[grid.Count];
                    Parallel.For(0, grid.Count, c => sampled[c] = scene.Mask[c] ? raster.Sample(lons[c], lats[c]) : float.NaN);
                    foreach (var k in classes)
                    {
                        var layer = new float[grid.Count];
                        for (var c = 0; c < grid.Count; c++) layer[c] = sampled[c] == k ? 1 : 0;
                        names.Add(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{raster.Name}={k:0.###}"));
                        values.Add(layer);
                    }
                }
            }
        }
        Names = [.. names];
        Values = [.. values];
    }

    public string[] Names { get; }
    public float[][] Values { get; }

    /// <summary>
    /// Every cell centre in the raster's reference system (longitude and latitude for EPSG:4326): exact on a lattice of
    /// every 8th row and column (and the last), bilinear between them (the projections are smooth at that scale: well
    /// under a metre apart).
    /// </summary>
    private static (double[] Lons, double[] Lats) CellCentres(RiskScene scene, int epsg)
    {
        var toRaster = epsg == Groundtruth.Domain.SpatialRules.Wgs84 ? null : Geodesy.ReferenceSystems.Transform(Groundtruth.Domain.SpatialRules.Wgs84, epsg);
        var grid = scene.Grid;
        const int step = 8;
        var cols = Enumerable.Range(0, grid.Columns).Where(c => c % step == 0 || c == grid.Columns - 1).ToArray();
        var rows = Enumerable.Range(0, grid.Rows).Where(r => r % step == 0 || r == grid.Rows - 1).ToArray();
        var lon = new double[rows.Length, cols.Length];
        var lat = new double[rows.Length, cols.Length];
        for (var i = 0; i < rows.Length; i++)
            for (var j = 0; j < cols.Length; j++)
            {
                var p = scene.Projection.Unproject(scene.Projection.Factory.CreatePoint(new NetTopologySuite.Geometries.Coordinate(grid.CentreX(cols[j]), grid.CentreY(rows[i]))));
                (lon[i, j], lat[i, j]) = toRaster is null ? (p.Coordinate.X, p.Coordinate.Y) : toRaster.Transform(p.Coordinate.X, p.Coordinate.Y);
            }
        var lons = new double[grid.Count];
        var lats = new double[grid.Count];
        Parallel.For(0, grid.Rows, r =>
        {
            var i = Math.Min(r / step, rows.Length - 2);
            if (rows.Length == 1) i = 0;
            var i1 = Math.Min(i + 1, rows.Length - 1);
            var ty = rows[i1] == rows[i] ? 0 : (double)(r - rows[i]) / (rows[i1] - rows[i]);
            for (var c = 0; c < grid.Columns; c++)
            {
                var j = cols.Length == 1 ? 0 : Math.Min(c / step, cols.Length - 2);
                var j1 = Math.Min(j + 1, cols.Length - 1);
                var tx = cols[j1] == cols[j] ? 0 : (double)(c - cols[j]) / (cols[j1] - cols[j]);
                double Mix(double[,] a) => (1 - ty) * ((1 - tx) * a[i, j] + tx * a[i, j1]) + ty * ((1 - tx) * a[i1, j] + tx * a[i1, j1]);
                lons[r * grid.Columns + c] = Mix(lon);
                lats[r * grid.Columns + c] = Mix(lat);
            }
        });
        return (lons, lats);
    }
}
