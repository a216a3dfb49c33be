using System.Diagnostics;
using System.Globalization;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;
using Groundtruth.Domain;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace Groundtruth.Benchmarks.Tiers;

/// <summary>
/// A tier in memory: the polygons as NetTopologySuite geometries (from the hazards' WKT, SRID 4326) and
/// the points as two coordinate arrays (the finds' lon and lat), with how long each took to load.
/// </summary>
internal sealed class TierData
{
    private TierData(TierFiles files, string[] polygonIds, Geometry[] polygons, double[] xs, double[] ys, double polygonsSeconds, double pointsSeconds)
    {
        Files = files;
        PolygonIds = polygonIds;
        Polygons = polygons;
        Xs = xs;
        Ys = ys;
        PolygonsSeconds = polygonsSeconds;
        PointsSeconds = pointsSeconds;
    }

    public TierFiles Files { get; }
    public TierSpec Spec => Files.Spec;
    /// <summary>The hazards' ids, in file order (polygon i is <c>Polygons[i]</c>).</summary>
    public string[] PolygonIds { get; }
    public Geometry[] Polygons { get; }
    public double[] Xs { get; }
    public double[] Ys { get; }
    public int PointCount => Xs.Length;
    public int VertexCount => Polygons.Sum(p => p.NumPoints);
    /// <summary>Seconds to read and parse the polygons' CSV and WKT.</summary>
    public double PolygonsSeconds { get; }
    /// <summary>Seconds to read and parse the points' CSV.</summary>
    public double PointsSeconds { get; }
    public double LoadSeconds => PolygonsSeconds + PointsSeconds;

    /// <summary>Reads a tier's CSVs (see <see cref="TierCache.Ensure"/>).</summary>
    public static TierData Load(TierFiles files)
    {
        var watch = Stopwatch.StartNew();
        var (ids, polygons) = ReadPolygons(files.PolygonsCsv);
        var polygonsSeconds = watch.Elapsed.TotalSeconds;
        watch.Restart();
        var (xs, ys) = ReadPoints(files.PointsCsv, files.Manifest.Points);
        var pointsSeconds = watch.Elapsed.TotalSeconds;
        if (polygons.Length != files.Manifest.Polygons || xs.Length != files.Manifest.Points)
        {
            throw new InvalidDataException(
                $"tier {files.Spec.Name}: read {polygons.Length} polygons and {xs.Length} points, the manifest says {files.Manifest.Polygons} and {files.Manifest.Points}");
        }
        return new TierData(files, ids, polygons, xs, ys, polygonsSeconds, pointsSeconds);
    }

    /// <summary>The <c>id</c> and <c>wkt</c> columns of a CSV, the WKT parsed with SRID 4326.</summary>
    public static (string[] Ids, Geometry[] Geometries) ReadPolygons(string csv)
    {
        var reader = new WKTReader(new NetTopologySuite.NtsGeometryServices(SpatialRules.Factory.PrecisionModel, SpatialRules.Wgs84));
        var ids = new List<string>();
        var geometries = new List<Geometry>();
        using var stream = new StreamReader(csv, Encoding.UTF8, false, 1 << 16);
        using var parser = new CsvParser(stream, new CsvConfiguration(CultureInfo.InvariantCulture));
        if (!parser.Read()) throw new InvalidDataException($"{csv} is empty");
        var header = parser.Record!.ToList();
        var idColumn = header.IndexOf("id");
        var wktColumn = header.IndexOf("wkt");
        if (idColumn < 0 || wktColumn < 0) throw new InvalidDataException($"{csv} has no id and wkt columns");
        while (parser.Read())
        {
            var record = parser.Record!;
            var geometry = reader.Read(record[wktColumn]);
            if (geometry is not (Polygon or MultiPolygon)) throw new InvalidDataException($"{csv}: {record[idColumn]} is a {geometry.GeometryType}, not a polygon");
            geometry.SRID = SpatialRules.Wgs84;
            ids.Add(record[idColumn]);
            geometries.Add(geometry);
        }
        return ([.. ids], [.. geometries]);
    }

    /// <summary>
    /// The last two columns of a CSV, which must be <c>lon</c> and <c>lat</c> (as in the demo's finds and
    /// accidents): read straight from the end of each line, without splitting the rest of the row.
    /// </summary>
    public static (double[] Xs, double[] Ys) ReadPoints(string csv, long expected = 0)
    {
        using var reader = new StreamReader(csv, Encoding.UTF8, false, 1 << 20);
        var header = reader.ReadLine() ?? throw new InvalidDataException($"{csv} is empty");
        if (!header.EndsWith(",lon,lat", StringComparison.Ordinal)) throw new InvalidDataException($"{csv}: the last columns are not lon,lat");
        var capacity = (int)Math.Clamp(expected, 16, Array.MaxLength);
        var xs = new double[capacity];
        var ys = new double[capacity];
        var n = 0;
        while (reader.ReadLine() is { } line)
        {
            var span = line.AsSpan();
            var lastComma = span.LastIndexOf(',');
            var before = lastComma > 0 ? span[..lastComma].LastIndexOf(',') : -1;
            if (before < 0) throw new InvalidDataException($"{csv}: row {n + 1} has no lon,lat");
            var lon = span[(before + 1)..lastComma];
            var lat = span[(lastComma + 1)..];
            if (lon.IsEmpty || lat.IsEmpty) throw new InvalidDataException($"{csv}: row {n + 1} has no point");
            if (n == xs.Length)
            {
                Array.Resize(ref xs, xs.Length * 2);
                Array.Resize(ref ys, ys.Length * 2);
            }
            xs[n] = double.Parse(lon, NumberStyles.Float, CultureInfo.InvariantCulture);
            ys[n] = double.Parse(lat, NumberStyles.Float, CultureInfo.InvariantCulture);
            n++;
        }
        if (n != xs.Length)
        {
            Array.Resize(ref xs, n);
            Array.Resize(ref ys, n);
        }
        return (xs, ys);
    }
}
