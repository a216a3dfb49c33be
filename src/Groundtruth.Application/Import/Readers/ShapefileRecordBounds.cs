using System.Buffers.Binary;
using System.Globalization;

namespace Groundtruth.Application.Import.Readers;

/// <summary>
/// Walks a <c>.shp</c>'s record headers before the Shapefile reader parses them, so that no record can make the reader
/// allocate more than the file holds: a damaged or hostile header claiming two billion points is refused naming the
/// record instead of exhausting the host's memory. Only lengths and counts are checked (each record lies within the
/// file; the parts and points a multi-part shape claims fit in its record); the shapes themselves are left to the reader
/// and the importer's geometry rules.
/// </summary>
internal static class ShapefileRecordBounds
{
    private const int FileHeaderBytes = 100;
    private const int RecordHeaderBytes = 8;

    /// <summary>The first record that claims more than the file holds, as (1-based record number, reason); null when all fit.</summary>
    public static (int Record, string Reason)? FirstOverrun(Stream shp)
    {
        var start = shp.Position;
        try
        {
            var length = shp.Length;
            if (length < FileHeaderBytes) return null; // the reader refuses a short header itself
            Span<byte> header = stackalloc byte[RecordHeaderBytes + 44];
            var position = (long)FileHeaderBytes;
            var record = 0;
            while (length - position >= RecordHeaderBytes)
            {
                record++;
                shp.Position = position;
                var read = shp.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
                var contentBytes = 2L * BinaryPrimitives.ReadInt32BigEndian(header[4..8]);
                var available = length - position - RecordHeaderBytes;
                if (contentBytes < 0 || contentBytes > available)
                    return (record, $"the record's header claims {Count(contentBytes)} bytes but the file holds {Count(available)} after it");
                if (read >= RecordHeaderBytes + 4 && contentBytes >= 4)
                {
                    var shapeType = BinaryPrimitives.ReadInt32LittleEndian(header[8..12]);
                    if (Claimed(shapeType, header[RecordHeaderBytes..read], contentBytes, out var parts, out var points) is { } overrun)
                        return (record, overrun);
                    if (parts > 0 && PartStarts(shp, position + RecordHeaderBytes, parts, points) is { } badPart) return (record, badPart);
                }
                position += RecordHeaderBytes + contentBytes;
            }
            return null;
        }
        finally
        {
            shp.Position = start;
        }
    }

    /// <summary>
    /// Whether the counts a multi-part or multi-point shape states fit in its record's bytes; <paramref name="parts"/> and
    /// <paramref name="points"/> are the counts the shape states (parts only for poly-lines, polygons and multi-patches;
    /// 0 when the shape states none or its record is too short to state them).
    /// </summary>
    private static string? Claimed(int shapeType, ReadOnlySpan<byte> content, long contentBytes, out int parts, out int points)
    {
        // Content offsets (little-endian): type 0, bounding box 4..36, then for multi-point shapes the point count at 36,
        // for poly-lines, polygons and multi-patches the part count at 36 and point count at 40.
        long minimum;
        parts = 0;
        points = 0;
        switch (shapeType)
        {
            case 8 or 18 or 28: // multi-point, Z, M
                if (content.Length < 40) return Short(contentBytes, 40);
                points = BinaryPrimitives.ReadInt32LittleEndian(content[36..40]);
                if (points < 0) return $"the shape claims {Count(points)} points";
                minimum = 40 + 16L * points;
                break;
            case 3 or 5 or 13 or 15 or 23 or 25 or 31: // poly-line, polygon (plain, Z, M), multi-patch
                if (content.Length < 44) return Short(contentBytes, 44);
                var claimedParts = BinaryPrimitives.ReadInt32LittleEndian(content[36..40]);
                var claimedPoints = BinaryPrimitives.ReadInt32LittleEndian(content[40..44]);
                if (claimedParts < 0 || claimedPoints < 0) return $"the shape claims {Count(claimedParts)} parts and {Count(claimedPoints)} points";
                parts = claimedParts;
                points = claimedPoints;
                minimum = 44 + 4L * parts * (shapeType == 31 ? 2 : 1) + 16L * points;
                break;
            default:
                return null;
        }
        return minimum <= contentBytes
            ? null
            : $"the shape claims {Count(parts)} parts and {Count(points)} points, which need at least {Count(minimum)} bytes, but the record holds {Count(contentBytes)}";
    }

    /// <summary>
    /// Whether each part of a poly-line, polygon or multi-patch starts at one of its points, in order: a start outside
    /// them made the reader size a part from it (a negative start, a part of billions of points).
    /// Called only once <see cref="Claimed"/> found the parts to fit in the record, with the counts it read.
    /// </summary>
    private static string? PartStarts(Stream shp, long contentStart, int parts, int points)
    {
        var starts = new byte[4L * parts];
        shp.Position = contentStart + 44;
        if (shp.ReadAtLeast(starts, starts.Length, throwOnEndOfStream: false) < starts.Length) return null; // the reader refuses a short record
        var previous = 0;
        for (var k = 0; k < parts; k++)
        {
            var start = BinaryPrimitives.ReadInt32LittleEndian(starts.AsSpan(4 * k, 4));
            if (start < previous || start >= points || (k == 0 && start != 0))
                return $"the shape's part {Count(k + 1)} starts at point {Count(start)}, {(k == 0 ? "not at its first point" : start < previous ? "before the part before it" : $"beyond its {Count(points)} points")}";
            previous = start;
        }
        return null;
    }

    private static string? Short(long contentBytes, int needed) =>
        contentBytes < needed ? $"the record holds {Count(contentBytes)} bytes, fewer than its shape's header needs ({needed})" : null;

    private static string Count(long n) => n.ToString("N0", CultureInfo.InvariantCulture);
}
