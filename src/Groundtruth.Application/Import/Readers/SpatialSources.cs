using System.Globalization;
using System.IO.Compression;
using System.Text;
using Groundtruth.Analysis.Geodesy;

namespace Groundtruth.Application.Import.Readers;

/// <summary>
/// A problem a reader finds in one record (broken KML coordinates, an unreadable geometry blob), carried in the
/// record's values under a reserved key so that the parser reports it with the record's place and goes on to the next.
/// </summary>
internal static class SourceProblem
{
    private const string Prefix = "\u0000problem:";

    public static KeyValuePair<string, string?> Entry(string field, string reason) => new(Prefix + field, reason);

    public static bool TryRead(string column, string? value, out string field, out string reason)
    {
        if (column.StartsWith(Prefix, StringComparison.Ordinal))
        {
            field = column[Prefix.Length..];
            reason = value ?? "unreadable";
            return true;
        }
        field = reason = "";
        return false;
    }
}

/// <summary>The reference system the user states, with <c>--crs</c> or the mapping's <c>crs</c>: an EPSG code, WKT, or a .prj file.</summary>
internal static class StatedReferenceSystem
{
    /// <exception cref="InvalidRequestException">The stated <c>crs</c> cannot be read (a bad argument).</exception>
    /// <exception cref="ImportRejectedException">The mapping's <c>crs</c> cannot be read; the problem names the mapping file.</exception>
    public static SourceReferenceSystem? Resolve(string? commandLine, ImportMapping mapping, string? mappingPath)
    {
        if (!string.IsNullOrWhiteSpace(commandLine))
        {
            try
            {
                return Parse(commandLine, Directory.GetCurrentDirectory());
            }
            catch (Exception e) when (e is FormatException or ArgumentException)
            {
                throw new InvalidRequestException("crs", e.Message, e);
            }
        }
        if (string.IsNullOrWhiteSpace(mapping.Crs)) return null;
        try
        {
            return Parse(mapping.Crs, Path.GetDirectoryName(Path.GetFullPath(mappingPath ?? ".")) ?? ".");
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            throw new ImportRejectedException([new ImportProblem(mappingPath ?? "mapping", 0, "crs", Shorten(mapping.Crs), e.Message)], 1);
        }
    }

    /// <summary>Reads <c>EPSG:n</c>, WKT, or the path of a <c>.prj</c> file (relative to <paramref name="directory"/>).</summary>
    public static SourceReferenceSystem Parse(string text, string directory)
    {
        var t = text.Trim();
        if (t.EndsWith(".prj", StringComparison.OrdinalIgnoreCase) && !t.Contains('[', StringComparison.Ordinal))
        {
            var path = Path.IsPathRooted(t) ? t : Path.Combine(directory, t);
            if (!File.Exists(path)) throw new FormatException($"the .prj file '{path}' does not exist");
            t = File.ReadAllText(path);
        }
        return ReferenceSystems.ParseSource(t);
    }

    private static string Shorten(string s) => s.Length <= 60 ? s : s[..57] + "...";
}

/// <summary>Attribute values of spatial formats as the text the parser reads: invariant numbers, ISO dates.</summary>
internal static class SourceText
{
    public static string? Of(object? value) => value switch
    {
        null or DBNull => null,
        string s => string.IsNullOrWhiteSpace(s) ? null : s.Trim(),
        DateTime d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        double d => double.IsFinite(d) ? d.ToString("R", CultureInfo.InvariantCulture) : null,
        float f => float.IsFinite(f) ? f.ToString("R", CultureInfo.InvariantCulture) : null,
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    /// <summary>An ISO 8601 date-time (GPX, KML) as its UTC calendar date, the part a dataset's date columns hold.</summary>
    public static bool TryUtcDate(string text, out string date)
    {
        if (DateTimeOffset.TryParse(text.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t))
        {
            date = t.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            return true;
        }
        date = "";
        return false;
    }

    /// <summary>The encoding a Shapefile's <c>.cpg</c> names (<c>UTF-8</c>, <c>1252</c>, <c>ISO-8859-1</c>, <c>88591</c>…).</summary>
    public static Encoding? EncodingOf(string name)
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var n = name.Trim();
        if (n.Length == 0) return null;
        try
        {
            if (int.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out var codePage))
                return codePage switch { 88591 => Encoding.Latin1, 65001 => new UTF8Encoding(false), _ => Encoding.GetEncoding(codePage) };
            if (n.StartsWith("ANSI ", StringComparison.OrdinalIgnoreCase) || n.StartsWith("CP", StringComparison.OrdinalIgnoreCase))
                return Encoding.GetEncoding(int.Parse(n[(n.StartsWith("CP", StringComparison.OrdinalIgnoreCase) ? 2 : 5)..].Trim(), CultureInfo.InvariantCulture));
            return Encoding.GetEncoding(n.Replace('_', '-'));
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or FormatException)
        {
            return null;
        }
    }
}

/// <summary>The entries of a .zip (a zipped Shapefile, a KMZ) read into memory, named by their path inside the archive.</summary>
internal static class ZipEntries
{
    public static ZipArchive Open(string path, ReadOnlyMemory<byte>? content)
    {
        Stream stream = content is { } bytes
            ? new MemoryStream(bytes.ToArray(), writable: false)
            : new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        try
        {
            var zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: false);
            // The central directory is read lazily: read it here, where a damaged one is refused.
            _ = zip.Entries.Count;
            return zip;
        }
        catch (InvalidDataException e)
        {
            stream.Dispose();
            throw new ImportRejectedException([new ImportProblem(path, 0, null, null, "not a readable .zip archive: " + e.Message)], 1);
        }
    }

    /// <summary>The entry's bytes; a damaged or unsupported entry refuses the file <paramref name="path"/>, naming the entry.</summary>
    public static MemoryStream Read(ZipArchiveEntry entry, string path)
    {
        var memory = new MemoryStream((int)Math.Min(entry.Length, int.MaxValue));
        try
        {
            using (var s = entry.Open()) s.CopyTo(memory);
        }
        catch (InvalidDataException e)
        {
            throw new ImportRejectedException([new ImportProblem(path, 0, null, entry.FullName, "this entry of the .zip archive cannot be read: " + e.Message)], 1);
        }
        memory.Position = 0;
        return memory;
    }
}
