using System.Globalization;
using BitMiracle.LibTiff.Classic;
using Groundtruth.Analysis.Geodesy;
using Groundtruth.Domain;

namespace Groundtruth.Analysis.Risk;

/// <summary>A file that is not a GeoTIFF the risk model can read; the message names the file and what is wrong.</summary>
public sealed class GeoTiffReadException(string message) : Exception(message);

/// <summary>
/// Reads the first band of a north-up GeoTIFF (any TIFF compression LibTiff.NET decodes; strips or tiles; 8–64 bit
/// integers or floats) into a <see cref="CovariateRaster"/>, noting how many bands it holds. The place comes from the GeoTIFF keys: ModelPixelScale and
/// ModelTiepoint (a rotated ModelTransformation is refused), the EPSG code of the projected or geographic system
/// (one of <see cref="ReferenceSystems.SupportedDescription"/>), PixelIsPoint shifted by half a cell; GDAL_NODATA marks
/// cells with no value.
/// </summary>
public static class GeoTiffReader
{
    private const int ModelTypeKey = 1024, RasterTypeKey = 1025, GeographicTypeKey = 2048, ProjectedTypeKey = 3072;

    /// <summary>Reads <paramref name="bytes"/> (the whole file); <paramref name="file"/> names it in errors.</summary>
    /// <exception cref="GeoTiffReadException">Not a TIFF, no place or CRS, an unsupported CRS or sample type.</exception>
    public static CovariateRaster Read(byte[] bytes, string file, string name, CovariateKind kind) =>
        Read(new MemoryStream(bytes, writable: false), file, name, kind);

    /// <summary>Reads a seekable <paramref name="stream"/> (a file opened for reading: not held whole in memory); <paramref name="file"/> names it in errors.</summary>
    /// <exception cref="GeoTiffReadException">Not a TIFF, no place or CRS, an unsupported CRS or sample type.</exception>
    public static CovariateRaster Read(Stream stream, string file, string name, CovariateKind kind)
    {
        Tiff.SetErrorHandler(Quiet.Instance);
        using var tiff = Tiff.ClientOpen(file, "r", stream, new TiffStream())
            ?? throw new GeoTiffReadException($"{file}: not a TIFF file (a GeoTIFF is expected)");
        string Fail(string what) => $"{file}: {what}";
        var width = tiff.GetField(TiffTag.IMAGEWIDTH)?[0].ToInt() ?? 0;
        var height = tiff.GetField(TiffTag.IMAGELENGTH)?[0].ToInt() ?? 0;
        if (width <= 0 || height <= 0) throw new GeoTiffReadException(Fail("the image has no rows or columns"));
        if ((long)width * height > 200_000_000) throw new GeoTiffReadException(Fail($"{width}×{height} cells is more than the 200 million a covariate may hold; resample it first (gdalwarp -tr)"));
        var bits = tiff.GetField(TiffTag.BITSPERSAMPLE)?[0].ToInt() ?? 1;
        var format = (SampleFormat)(tiff.GetField(TiffTag.SAMPLEFORMAT)?[0].ToInt() ?? (int)SampleFormat.UINT);
        var samples = tiff.GetField(TiffTag.SAMPLESPERPIXEL)?[0].ToInt() ?? 1;
        var planar = (PlanarConfig)(tiff.GetField(TiffTag.PLANARCONFIG)?[0].ToInt() ?? (int)PlanarConfig.CONTIG);
        if (bits is not (8 or 16 or 32 or 64) || format is not (SampleFormat.UINT or SampleFormat.INT or SampleFormat.IEEEFP) || (format == SampleFormat.IEEEFP && bits < 32))
            throw new GeoTiffReadException(Fail($"{bits}-bit {format} samples are not supported (8, 16, 32 or 64-bit integers, 32 or 64-bit floats)"));

        if (tiff.GetField(TiffTag.GEOTIFF_MODELTRANSFORMATIONTAG) is not null && tiff.GetField(TiffTag.GEOTIFF_MODELPIXELSCALETAG) is null)
            throw new GeoTiffReadException(Fail("the raster is rotated or sheared (ModelTransformation); warp it north-up first (gdalwarp)"));
        var scale = Doubles(tiff.GetField(TiffTag.GEOTIFF_MODELPIXELSCALETAG), 3);
        var tie = Doubles(tiff.GetField(TiffTag.GEOTIFF_MODELTIEPOINTTAG), 6);
        if (scale is null || tie is null)
            throw new GeoTiffReadException(Fail("no georeferencing (ModelPixelScale and ModelTiepoint): a plain TIFF is not a GeoTIFF"));
        if (scale[0] <= 0 || scale[1] <= 0) throw new GeoTiffReadException(Fail("the cell size is not positive"));
        var keys = GeoKeys(tiff.GetField(TiffTag.GEOTIFF_GEOKEYDIRECTORYTAG));
        int? epsg = null;
        if (keys.TryGetValue(ProjectedTypeKey, out var projected) && projected is > 0 and < 32767) epsg = projected;
        else if (keys.TryGetValue(GeographicTypeKey, out var geographic) && geographic is > 0 and < 32767 && (!keys.TryGetValue(ModelTypeKey, out var model) || model == 2)) epsg = geographic;
        if (epsg is null)
            throw new GeoTiffReadException(Fail("no coordinate reference system (no EPSG code in its GeoTIFF keys); assign one, e.g. gdal_edit.py -a_srs EPSG:4326"));
        if (!ReferenceSystems.IsSupported(epsg.Value))
            throw new GeoTiffReadException(Fail($"EPSG:{epsg} is not supported; supported: {ReferenceSystems.SupportedDescription} (reproject with gdalwarp -t_srs)"));

        var west = tie[3] - tie[0] * scale[0];
        var north = tie[4] + tie[1] * scale[1];
        if (keys.TryGetValue(RasterTypeKey, out var rasterType) && rasterType == 2)
        {
            west -= scale[0] / 2;
            north += scale[1] / 2;
        }

        var values = new float[(long)width * height];
        var bytesPerSample = bits / 8;
        var stride = planar == PlanarConfig.CONTIG ? samples * bytesPerSample : bytesPerSample;
        // The first whole number the 32-bit values cannot hold exactly (16777217 reads as 16777216): as class codes, two such
        // codes could become one class (CovariateRaster.InexactCode).
        string? inexact = null;
        float Whole(System.Numerics.BigInteger v)
        {
            var f = (float)v;
            if (inexact is null && new System.Numerics.BigInteger(f) != v) inexact = v.ToString(CultureInfo.InvariantCulture);
            return f;
        }
        // A 64-bit float beyond 2^24 that a 32-bit one does not hold (16777217.0, as GDAL and QGIS write class rasters too).
        float Narrow(double v)
        {
            var f = (float)v;
            if (inexact is null && Math.Abs(v) > 1 << 24 && double.IsFinite(v) && f != v) inexact = v.ToString("R", CultureInfo.InvariantCulture);
            return f;
        }
        float Decode(byte[] b, int at) => (format, bits) switch
        {
            (SampleFormat.IEEEFP, 32) => BitConverter.ToSingle(b, at),
            (SampleFormat.IEEEFP, _) => Narrow(BitConverter.ToDouble(b, at)),
            (SampleFormat.INT, 8) => (sbyte)b[at],
            (SampleFormat.INT, 16) => BitConverter.ToInt16(b, at),
            (SampleFormat.INT, 32) => BitConverter.ToInt32(b, at) is var i && Math.Abs((long)i) <= 1 << 24 ? i : Whole(i),
            (SampleFormat.INT, _) => BitConverter.ToInt64(b, at) is var l && Math.Abs(l) <= 1 << 24 ? l : Whole(l),
            (_, 8) => b[at],
            (_, 16) => BitConverter.ToUInt16(b, at),
            (_, 32) => BitConverter.ToUInt32(b, at) is var u && u <= 1 << 24 ? u : Whole(u),
            _ => BitConverter.ToUInt64(b, at) is var ul && ul <= 1 << 24 ? ul : Whole(ul),
        };
        try
        {
            if (tiff.IsTiled())
            {
                var tw = tiff.GetField(TiffTag.TILEWIDTH)[0].ToInt();
                var th = tiff.GetField(TiffTag.TILELENGTH)[0].ToInt();
                var buffer = new byte[tiff.TileSize()];
                for (var y = 0; y < height; y += th)
                    for (var x = 0; x < width; x += tw)
                    {
                        if (tiff.ReadTile(buffer, 0, x, y, 0, 0) < 0) throw new GeoTiffReadException(Fail($"tile at column {x}, row {y} cannot be read"));
                        for (var r = 0; r < th && y + r < height; r++)
                            for (var c = 0; c < tw && x + c < width; c++)
                                values[(long)(y + r) * width + x + c] = Decode(buffer, (r * tw + c) * stride);
                    }
            }
            else
            {
                var buffer = new byte[tiff.ScanlineSize()];
                for (var r = 0; r < height; r++)
                {
                    if (!tiff.ReadScanline(buffer, r, 0)) throw new GeoTiffReadException(Fail($"row {r} cannot be read"));
                    for (var c = 0; c < width; c++) values[(long)r * width + c] = Decode(buffer, c * stride);
                }
            }
        }
        catch (Exception e) when (e is not GeoTiffReadException)
        {
            throw new GeoTiffReadException(Fail("the image data cannot be decoded: " + e.Message));
        }

        float? noData = null;
        var nd = tiff.GetField(TiffTag.GDAL_NODATA);
        if (nd is not null)
        {
            var text = nd.Select(v => v.Value as string ?? (v.Value is byte[] b ? System.Text.Encoding.ASCII.GetString(b) : null)).FirstOrDefault(s => s is not null)?.Trim('\0', ' ');
            if (text is not null && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)) noData = (float)d;
            else if (text is "nan" or "NaN") noData = float.NaN;
        }
        return new CovariateRaster(name, kind, west, north, scale[0], scale[1], width, height, values, noData, epsg.Value) { Bands = samples, InexactCode = inexact };
    }

    /// <summary>The extent of a raster in WGS84 longitude/latitude (its corners and edge midpoints transformed).</summary>
    public static (double West, double South, double East, double North) Wgs84Extent(CovariateRaster raster)
    {
        var east = raster.West + raster.CellLon * raster.Columns;
        var south = raster.North - raster.CellLat * raster.Rows;
        if (raster.Epsg == SpatialRules.Wgs84) return (raster.West, south, east, raster.North);
        var transform = ReferenceSystems.Transform(raster.Epsg, SpatialRules.Wgs84);
        double w = double.MaxValue, s = double.MaxValue, e = double.MinValue, n = double.MinValue;
        for (var i = 0; i <= 8; i++)
            for (var j = 0; j <= 8; j++)
            {
                if (i is > 0 and < 8 && j is > 0 and < 8) continue;
                var (lon, lat) = transform.Transform(raster.West + (east - raster.West) * i / 8, south + (raster.North - south) * j / 8);
                (w, s, e, n) = (Math.Min(w, lon), Math.Min(s, lat), Math.Max(e, lon), Math.Max(n, lat));
            }
        return (w, s, e, n);
    }

    private static double[]? Doubles(FieldValue[]? field, int atLeast)
    {
        if (field is null) return null;
        foreach (var v in field)
            if (v.Value is double[] d && d.Length >= atLeast) return d;
        foreach (var v in field)
            if (v.Value is byte[] b && b.Length >= atLeast * 8)
            {
                var d = new double[b.Length / 8];
                for (var i = 0; i < d.Length; i++) d[i] = BitConverter.ToDouble(b, i * 8);
                return d;
            }
        return null;
    }

    private static Dictionary<int, int> GeoKeys(FieldValue[]? field)
    {
        var keys = new Dictionary<int, int>();
        if (field is null) return keys;
        ushort[]? k = null;
        foreach (var v in field)
        {
            if (v.Value is ushort[] u) k = u;
            else if (v.Value is short[] s) k = [.. s.Select(x => (ushort)x)];
            else if (v.Value is byte[] b && b.Length >= 8) k = [.. Enumerable.Range(0, b.Length / 2).Select(i => BitConverter.ToUInt16(b, i * 2))];
            if (k is not null) break;
        }
        if (k is null || k.Length < 4) return keys;
        var count = k[3];
        for (var i = 0; i < count && 4 + i * 4 + 3 < k.Length; i++)
        {
            var (id, location, value) = (k[4 + i * 4], k[4 + i * 4 + 1], k[4 + i * 4 + 3]);
            if (location == 0) keys[id] = value;
        }
        return keys;
    }

    /// <summary>LibTiff writes warnings (unknown tags) and errors to the console; the reader reports its own.</summary>
    private sealed class Quiet : TiffErrorHandler
    {
        public static readonly Quiet Instance = new();

        public override void WarningHandler(Tiff tif, string method, string format, params object[] args) { }

        public override void WarningHandlerExt(Tiff tif, object clientData, string method, string format, params object[] args) { }

        public override void ErrorHandler(Tiff tif, string method, string format, params object[] args) { }

        public override void ErrorHandlerExt(Tiff tif, object clientData, string method, string format, params object[] args) { }
    }
}
