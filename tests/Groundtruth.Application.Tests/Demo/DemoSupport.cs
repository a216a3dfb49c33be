using System.Globalization;
using CsvHelper;
using Groundtruth.Domain;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace Groundtruth.Application.Tests.Demo;

/// <summary>A clock stopped at one instant, so the demo's dates are the same on every run.</summary>
internal sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public static readonly DateOnly Today = new(2026, 6, 15);
    public static FixedClock AtToday { get; } = new(new DateTimeOffset(Today.ToDateTime(new TimeOnly(12, 0)), TimeSpan.Zero));
    public override DateTimeOffset GetUtcNow() => now;
}

/// <summary>Reads the demo's CSV files back as rows of column → text, and their geometry.</summary>
internal static class DemoCsv
{
    private static readonly WKTReader Wkt = new(new NetTopologySuite.NtsGeometryServices(SpatialRules.Factory.PrecisionModel, SpatialRules.Wgs84));

    public static List<Dictionary<string, string>> Read(string path)
    {
        using var reader = new StreamReader(path);
        using var csv = new CsvReader(reader, CultureInfo.InvariantCulture);
        csv.Read();
        csv.ReadHeader();
        var header = csv.HeaderRecord!;
        var rows = new List<Dictionary<string, string>>();
        while (csv.Read())
        {
            var row = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i < header.Length; i++) row[header[i]] = csv.GetField(i) ?? "";
            rows.Add(row);
        }
        return rows;
    }

    public static string[] Header(string path) => File.ReadLines(path).First().Split(',');

    /// <summary>The row's geometry: its wkt column, or a point from lon/lat; null when it has none.</summary>
    public static Geometry? Geometry(Dictionary<string, string> row)
    {
        if (row.TryGetValue("wkt", out var wkt) && wkt.Length > 0) return Wkt.Read(wkt);
        if (row.TryGetValue("lon", out var lon) && lon.Length > 0)
            return SpatialRules.Factory.CreatePoint(new Coordinate(double.Parse(lon, CultureInfo.InvariantCulture), double.Parse(row["lat"], CultureInfo.InvariantCulture)));
        return null;
    }

    public static int Int(this Dictionary<string, string> row, string column) => int.Parse(row[column], CultureInfo.InvariantCulture);

    /// <summary>An approximate distance in metres between two nearby WGS84 points.</summary>
    public static double Metres(Coordinate a, Coordinate b)
    {
        var dx = (a.X - b.X) * 111_320 * Math.Cos(a.Y * Math.PI / 180);
        var dy = (a.Y - b.Y) * 110_574;
        return Math.Sqrt(dx * dx + dy * dy);
    }

    public static string NewDirectory()
    {
        var dir = Path.Combine(Path.GetTempPath(), "groundtruth-tests", "demo-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    public static void Delete(string directory)
    {
        try { Directory.Delete(directory, recursive: true); } catch (IOException) { }
    }
}
