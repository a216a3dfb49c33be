using Groundtruth.Analysis.Geodesy;

namespace Groundtruth.Analysis.Risk;

/// <summary>
/// A risk map's likelihood and the grid it lies on, without the model and layers that made it: what
/// <see cref="Priorities.MeanRisk(RiskGrid, LocalProjection, float[], IReadOnlyList{PriorityArea})"/> needs. Read back
/// from the float32 GeoTIFF <c>risk map</c> writes (<see cref="GeoTiff.WriteFloat32"/>), it is the map's likelihood bit
/// for bit: the cells are written as float32, the grid's corner and cell as doubles, and only NaN (outside the area) is
/// written as the no-data value, read back as NaN here.
/// </summary>
/// <param name="Likelihood">Row-major, as <see cref="RiskMapResult.Likelihood"/>; NaN outside the area.</param>
public sealed record RiskLikelihood(RiskGrid Grid, float[] Likelihood)
{
    /// <summary>The projection the grid lies in (the UTM zone of its EPSG code), as the map's scene projected.</summary>
    public LocalProjection Projection() => new(Grid.Epsg);

    /// <summary>Reads a risk map's GeoTIFF (<c>risk.tif</c>).</summary>
    /// <exception cref="GeoTiffReadException">Not a TIFF the reader can read.</exception>
    /// <exception cref="InvalidOperationException">A TIFF that is not a risk map's (cells not square, not a UTM zone): the file is the host's own, so a bug, not an input to fix.</exception>
    public static RiskLikelihood Read(string file)
    {
        CovariateRaster raster;
        using (var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16))
            raster = GeoTiffReader.Read(stream, file, "likelihood", CovariateKind.Continuous);
        if (raster.CellLon != raster.CellLat) throw new InvalidOperationException($"{file}: its cells are not square; not a risk map");
        if (raster.Epsg is Groundtruth.Domain.SpatialRules.Wgs84 or 3857) throw new InvalidOperationException($"{file}: EPSG:{raster.Epsg} is not a UTM zone; not a risk map");
        var values = raster.Values;
        if (raster.NoData is { } noData && !float.IsNaN(noData))
            for (var i = 0; i < values.Length; i++)
                if (values[i] == noData) values[i] = float.NaN;
        return new RiskLikelihood(new RiskGrid(raster.West, raster.North, raster.CellLon, raster.Columns, raster.Rows, raster.Epsg), values);
    }
}
