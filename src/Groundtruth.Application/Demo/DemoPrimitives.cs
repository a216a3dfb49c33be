using System.Globalization;
using System.Text;

namespace Groundtruth.Application.Demo;

/// <summary>The independent random streams of the demo: each entity draws from its own seeded generator.</summary>
internal enum DemoStream
{
    Gazetteer = 1,
    Hazard,
    Mines,
    HazardFinds,
    Record,
    Accident,
    Casualty,
    LoneCasualty,
    SpotTask,
    RiskEducation,
    QualityVisit,
    Special,
}

/// <summary>
/// Seeds for <see cref="Random"/>: one generator per entity (hazard i, accident j, ...), derived from the
/// demo seed, so any entity can be regenerated on its own. That lets every file stream its rows (nothing
/// is held in memory) while the files agree with each other, and makes the output depend only on the
/// seed, the scale and the date — never on the order in which files are written.
/// </summary>
internal static class DemoSeed
{
    /// <summary>A seeded <see cref="Random"/> for one entity (synthetic data, not security: reproducibility is the point).</summary>
    public static Random For(int seed, DemoStream stream, long index) => new(Derive(seed, stream, index));

    public static int Derive(int seed, DemoStream stream, long index)
    {
        var h = Mix((ulong)(uint)seed + 0x9E3779B97F4A7C15UL);
        h = Mix(h ^ ((ulong)stream * 0xBF58476D1CE4E5B9UL));
        h = Mix(h ^ (ulong)index);
        return (int)(h >> 33);
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}

/// <summary>Drawing helpers over <see cref="Random"/>; every draw is explicit so output is reproducible.</summary>
internal static class RandomExtensions
{
    public static double Uniform(this Random rng, double min, double max) => min + (max - min) * rng.NextDouble();

    public static bool Chance(this Random rng, double p) => rng.NextDouble() < p;

    /// <summary>A standard normal draw (Box–Muller).</summary>
    public static double Normal(this Random rng)
    {
        var u1 = 1.0 - rng.NextDouble();
        var u2 = rng.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    public static T Pick<T>(this Random rng, IReadOnlyList<T> items) => items[rng.Next(items.Count)];

    /// <summary>Picks by weight: <paramref name="weights"/> need not sum to one.</summary>
    public static int Weighted(this Random rng, ReadOnlySpan<double> weights)
    {
        var total = 0.0;
        foreach (var w in weights) total += w;
        var x = rng.NextDouble() * total;
        for (var i = 0; i < weights.Length; i++)
        {
            x -= weights[i];
            if (x < 0) return i;
        }
        return weights.Length - 1;
    }

    /// <summary>A day in <paramref name="from"/>..<paramref name="to"/>, both inclusive.</summary>
    public static DateOnly Day(this Random rng, DateOnly from, DateOnly to)
    {
        var span = to.DayNumber - from.DayNumber;
        return span <= 0 ? from : from.AddDays(rng.Next(span + 1));
    }
}

/// <summary>A WGS84 position, longitude first.</summary>
internal readonly record struct LonLat(double Lon, double Lat);

/// <summary>Local metric offsets around a point: good to well under a metre over the few kilometres the demo needs.</summary>
internal readonly struct LocalFrame(LonLat origin)
{
    private const double MetresPerDegreeLat = 110_574.0;
    private readonly double _metresPerDegreeLon = 111_320.0 * Math.Cos(origin.Lat * Math.PI / 180.0);

    public LonLat Origin { get; } = origin;

    public LonLat At(double east, double north) =>
        new(Origin.Lon + east / _metresPerDegreeLon, Origin.Lat + north / MetresPerDegreeLat);

    /// <summary>The point <paramref name="distance"/> metres from the origin at <paramref name="angle"/> radians (counter-clockwise from east).</summary>
    public LonLat Polar(double distance, double angle) => At(distance * Math.Cos(angle), distance * Math.Sin(angle));

    public (double East, double North) Offset(LonLat p) =>
        ((p.Lon - Origin.Lon) * _metresPerDegreeLon, (p.Lat - Origin.Lat) * MetresPerDegreeLat);
}

/// <summary>
/// Writes one CSV file fast and byte-for-byte reproducibly: invariant culture, '\n' line ends, UTF-8
/// without a byte-order mark, coordinates with 6 decimals (about 0.1 m), fields quoted only when needed.
/// </summary>
internal sealed class CsvOut : IDisposable
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);
    private readonly StreamWriter _writer;
    private readonly char[] _buffer = new char[64];
    private bool _first = true;

    public CsvOut(string path, IEnumerable<string> header)
    {
        Path = path;
        _writer = new StreamWriter(new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16), Utf8, 1 << 16);
        foreach (var column in header) Text(column);
        _writer.Write('\n');
        _first = true;
    }

    public string Path { get; }
    public long Rows { get; private set; }

    private void Separator()
    {
        if (_first) _first = false;
        else _writer.Write(',');
    }

    public void Empty() => Separator();

    public void Text(string? value)
    {
        Separator();
        Export.CsvCell.Write(_writer, value);
    }

    public void Int(long? value)
    {
        Separator();
        if (value is { } v) WriteFormatted(v, default);
    }

    public void Real(double? value, string format)
    {
        Separator();
        if (value is { } v) WriteFormatted(v, format);
    }

    public void Date(DateOnly? value)
    {
        Separator();
        if (value is { } d) WriteFormatted(d, "yyyy-MM-dd");
    }

    public void Bool(bool? value) => Text(value switch { null => null, true => "true", false => "false" });

    /// <summary>A point as two columns, lon then lat.</summary>
    public void LonLat(LonLat? p)
    {
        Real(p?.Lon, "F6");
        Real(p?.Lat, "F6");
    }

    public void Point(LonLat p)
    {
        Separator();
        _writer.Write("POINT (");
        Coordinate(p);
        _writer.Write(')');
    }

    /// <summary>A polygon from an open ring (the first vertex is repeated at the end here).</summary>
    public void Polygon(ReadOnlySpan<LonLat> ring)
    {
        Separator();
        _writer.Write("\"POLYGON ");
        Ring(ring);
        _writer.Write('"');
    }

    public void LineStrings(IReadOnlyList<LonLat[]> lines)
    {
        Separator();
        _writer.Write("\"MULTILINESTRING (");
        for (var l = 0; l < lines.Count; l++)
        {
            if (l > 0) _writer.Write(", ");
            _writer.Write('(');
            Coordinates(lines[l]);
            _writer.Write(')');
        }
        _writer.Write(")\"");
    }

    public void Points(IReadOnlyList<LonLat> points)
    {
        Separator();
        _writer.Write("\"MULTIPOINT (");
        for (var i = 0; i < points.Count; i++)
        {
            if (i > 0) _writer.Write(", ");
            _writer.Write('(');
            Coordinate(points[i]);
            _writer.Write(')');
        }
        _writer.Write(")\"");
    }

    public void EndRow()
    {
        _writer.Write('\n');
        _first = true;
        Rows++;
    }

    private void Ring(ReadOnlySpan<LonLat> ring)
    {
        _writer.Write("((");
        Coordinates(ring);
        _writer.Write(", ");
        Coordinate(ring[0]);
        _writer.Write("))");
    }

    private void Coordinates(ReadOnlySpan<LonLat> points)
    {
        for (var i = 0; i < points.Length; i++)
        {
            if (i > 0) _writer.Write(", ");
            Coordinate(points[i]);
        }
    }

    private void Coordinate(LonLat p)
    {
        WriteFormatted(p.Lon, "F6");
        _writer.Write(' ');
        WriteFormatted(p.Lat, "F6");
    }

    private void WriteFormatted<T>(T value, ReadOnlySpan<char> format) where T : ISpanFormattable
    {
        if (!value.TryFormat(_buffer, out var written, format, CultureInfo.InvariantCulture))
            throw new InvalidOperationException($"value {value} does not fit the CSV buffer");
        _writer.Write(_buffer, 0, written);
    }

    public void Dispose() => _writer.Dispose();
}
