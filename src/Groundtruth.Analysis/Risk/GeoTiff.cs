using System.Globalization;
using System.Text;

namespace Groundtruth.Analysis.Risk;

/// <summary>
/// Writes a single-band, uncompressed, little-endian baseline TIFF with the GeoTIFF 1.0 keys that place it
/// in a projected system: ModelPixelScale (33550), ModelTiepoint (33922) at the grid's north-west corner,
/// and a GeoKeyDirectory (34735) naming the EPSG code (ProjectedCSTypeGeoKey), metres and PixelIsArea;
/// GDAL_NODATA (42113) marks cells outside the area. GDAL and QGIS read it directly.
/// </summary>
public static class GeoTiff
{
    private const ushort Short = 3, Long = 4, Ascii = 2, Double = 12;

    /// <summary>Float32 cells; NaN is written as <paramref name="noData"/>.</summary>
    public static void WriteFloat32(Stream stream, RiskGrid grid, float[] values, float noData, string description)
    {
        var bytes = new byte[grid.Columns * 4];
        Write(stream, grid, 32, 3, description, noData.ToString("R", System.Globalization.CultureInfo.InvariantCulture), (row, s) =>
        {
            for (var c = 0; c < grid.Columns; c++)
            {
                var v = values[row * grid.Columns + c];
                BitConverter.TryWriteBytes(bytes.AsSpan(c * 4), float.IsNaN(v) ? noData : v);
            }
            s.Write(bytes);
        });
    }

    /// <summary>One byte per cell.</summary>
    public static void WriteByte(Stream stream, RiskGrid grid, byte[] values, byte noData, string description) =>
        Write(stream, grid, 8, 1, description, noData.ToString(System.Globalization.CultureInfo.InvariantCulture),
            (row, s) => s.Write(values, row * grid.Columns, grid.Columns));

    /// <summary>
    /// The description as TIFF's ASCII tag can hold it: the signs and dashes the outputs use written as ASCII (a minus sign
    /// must stay a minus: "trees − logistic −1.8" is not "trees  logistic 1.8"), accents dropped, anything else as "?".
    /// </summary>
    public static string AsciiText(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var ch in text.Normalize(NormalizationForm.FormKD))
        {
            switch (ch)
            {
                case < (char)128: sb.Append(ch); break;
                case '\u2212' or '\u2013' or '\u2014' or '\u2010' or '\u2011': sb.Append('-'); break;
                case '\u00D7': sb.Append('x'); break;
                case '\u2018' or '\u2019': sb.Append('\''); break;
                case '\u201C' or '\u201D': sb.Append('"'); break;
                case '\u2026': sb.Append("..."); break;
                case '\u2264': sb.Append("<="); break;
                case '\u2265': sb.Append(">="); break;
                default:
                    // A combining mark left by the decomposition (the accent of "é") is dropped; any other character is shown as missing.
                    if (CharUnicodeInfo.GetUnicodeCategory(ch) != UnicodeCategory.NonSpacingMark) sb.Append('?');
                    break;
            }
        }
        return sb.ToString();
    }

    private static void Write(Stream stream, RiskGrid grid, ushort bits, ushort sampleFormat, string description, string noData, Action<int, Stream> writeRow)
    {
        var rowBytes = (long)grid.Columns * bits / 8;
        var imageBytes = rowBytes * grid.Rows;
        if (imageBytes + 1_000_000 + grid.Rows * 8L > uint.MaxValue) throw new ArgumentException("the raster is larger than a classic TIFF holds (4 GiB); choose a larger cell");
        var desc = Encoding.ASCII.GetBytes(AsciiText(description) + "\0");
        var nodata = Encoding.ASCII.GetBytes(noData + "\0");
        double[] scale = [grid.Cell, grid.Cell, 0];
        double[] tiepoint = [0, 0, 0, grid.MinX, grid.MaxY, 0];
        ushort[] keys =
        [
            1, 1, 0, 4,
            1024, 0, 1, 1,               // GTModelTypeGeoKey = projected
            1025, 0, 1, 1,               // GTRasterTypeGeoKey = PixelIsArea
            3072, 0, 1, (ushort)grid.Epsg, // ProjectedCSTypeGeoKey
            3076, 0, 1, 9001,            // ProjLinearUnitsGeoKey = metre
        ];

        // Layout: header, image rows, then the out-of-line values, then the IFD.
        var entries = new List<(ushort Tag, ushort Type, uint Count, byte[]? Data, uint Inline)>();
        const int headerSize = 8;
        long offset = headerSize + imageBytes;
        var extra = new MemoryStream();
        uint Place(byte[] data)
        {
            var at = offset + extra.Length;
            extra.Write(data);
            if (extra.Length % 2 == 1) extra.WriteByte(0);
            return (uint)at;
        }
        byte[] Longs(IEnumerable<uint> v) => [.. v.SelectMany(BitConverter.GetBytes)];
        var stripOffsets = Enumerable.Range(0, grid.Rows).Select(r => (uint)(headerSize + r * rowBytes)).ToArray();
        var stripCounts = Enumerable.Repeat((uint)rowBytes, grid.Rows).ToArray();

        void Add(ushort tag, ushort type, uint count, byte[] data)
        {
            if (data.Length <= 4)
            {
                var inline = new byte[4];
                data.CopyTo(inline, 0);
                entries.Add((tag, type, count, null, BitConverter.ToUInt32(inline)));
            }
            else entries.Add((tag, type, count, data, Place(data)));
        }
        Add(256, Long, 1, BitConverter.GetBytes((uint)grid.Columns));
        Add(257, Long, 1, BitConverter.GetBytes((uint)grid.Rows));
        Add(258, Short, 1, BitConverter.GetBytes(bits));
        Add(259, Short, 1, BitConverter.GetBytes((ushort)1));
        Add(262, Short, 1, BitConverter.GetBytes((ushort)1));
        Add(270, Ascii, (uint)desc.Length, desc);
        Add(273, Long, (uint)grid.Rows, Longs(stripOffsets));
        Add(277, Short, 1, BitConverter.GetBytes((ushort)1));
        Add(278, Long, 1, BitConverter.GetBytes(1u));
        Add(279, Long, (uint)grid.Rows, Longs(stripCounts));
        Add(284, Short, 1, BitConverter.GetBytes((ushort)1));
        Add(339, Short, 1, BitConverter.GetBytes(sampleFormat));
        Add(33550, Double, 3, [.. scale.SelectMany(BitConverter.GetBytes)]);
        Add(33922, Double, 6, [.. tiepoint.SelectMany(BitConverter.GetBytes)]);
        Add(34735, Short, (uint)keys.Length, [.. keys.SelectMany(BitConverter.GetBytes)]);
        Add(42113, Ascii, (uint)nodata.Length, nodata);
        var ifdOffset = offset + extra.Length;

        using var w = new BinaryWriter(stream, Encoding.ASCII, leaveOpen: true);
        w.Write((byte)'I');
        w.Write((byte)'I');
        w.Write((ushort)42);
        w.Write((uint)ifdOffset);
        w.Flush();
        for (var r = 0; r < grid.Rows; r++) writeRow(r, stream);
        extra.Position = 0;
        extra.CopyTo(stream);
        w.Write((ushort)entries.Count);
        foreach (var e in entries.OrderBy(e => e.Tag))
        {
            w.Write(e.Tag);
            w.Write(e.Type);
            w.Write(e.Count);
            w.Write(e.Inline);
        }
        w.Write(0u);
        w.Flush();
    }
}
