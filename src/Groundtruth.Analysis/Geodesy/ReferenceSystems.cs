using System.Collections.Concurrent;
using System.Globalization;
using Groundtruth.Domain;
using NetTopologySuite.Geometries;
using ProjNet.CoordinateSystems;
using ProjNet.CoordinateSystems.Transformations;
using ProjNet.IO.CoordinateSystems;

namespace Groundtruth.Analysis.Geodesy;

/// <summary>
/// The coordinate reference systems Groundtruth reads and the metric projections it measures in.
/// Supported inputs: EPSG:4326 (WGS84), EPSG:326nn / 327nn (WGS84 / UTM zone nn north / south),
/// EPSG:3857 (web mercator), and any system given as OGC/ESRI WKT 1 that ProjNET can transform
/// (see <see cref="ParseSource"/>). Areas and distances are computed in the local UTM zone, never in degrees.
/// </summary>
public static class ReferenceSystems
{
    private static readonly CoordinateTransformationFactory Transformations = new();
    private static readonly ConcurrentDictionary<int, CoordinateSystem> Systems = new();

    /// <summary>EPSG codes accepted by <c>--crs</c>, in words.</summary>
    public const string SupportedDescription = "EPSG:4326 (WGS84 longitude/latitude), EPSG:32601-32660 and EPSG:32701-32760 (WGS84 / UTM zones north and south), EPSG:3857 (web mercator)";

    /// <summary>Parses <c>EPSG:32634</c> or <c>32634</c>; null when the text names no supported system.</summary>
    public static int? ParseEpsg(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var t = text.Trim();
        if (t.StartsWith("EPSG:", StringComparison.OrdinalIgnoreCase)) t = t[5..];
        if (!int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var code)) return null;
        return IsSupported(code) ? code : null;
    }

    public static bool IsSupported(int epsg) => epsg is SpatialRules.Wgs84 or 3857 || UtmZone(epsg) is not null;

    /// <summary>The coordinate system for a supported EPSG code.</summary>
    public static CoordinateSystem System(int epsg) => Systems.GetOrAdd(epsg, static code =>
    {
        if (code == SpatialRules.Wgs84) return GeographicCoordinateSystem.WGS84;
        if (code == 3857) return ProjectedCoordinateSystem.WebMercator;
        var (zone, north) = UtmZone(code) ?? throw new ArgumentOutOfRangeException(nameof(code), code, "unsupported EPSG code; supported: " + SupportedDescription);
        return ProjectedCoordinateSystem.WGS84_UTM(zone, north);
    });

    /// <summary>The EPSG code of the UTM zone that holds a longitude/latitude.</summary>
    public static int UtmEpsgFor(double longitude, double latitude)
    {
        var zone = Math.Clamp((int)Math.Floor((longitude + 180) / 6) + 1, 1, 60);
        return (latitude >= 0 ? 32600 : 32700) + zone;
    }

    /// <summary>A transform of coordinates from <paramref name="fromEpsg"/> to <paramref name="toEpsg"/>.</summary>
    public static MathTransform Transform(int fromEpsg, int toEpsg) =>
        Transformations.CreateFromCoordinateSystems(System(fromEpsg), System(toEpsg)).MathTransform;

    /// <summary>A copy of <paramref name="geometry"/> with every coordinate transformed.</summary>
    /// <remarks>
    /// Built from the transformed coordinates directly where every coordinate is a plain x, y pair in the default sequences
    /// (all of Groundtruth's geometries), instead of copying the geometry and transforming the copy in place: the same numbers
    /// and structure, half the work (issue 16: projecting scale 500's areas was 0.6 processor seconds of each risk map, two
    /// thirds of it the copy). Any other geometry is copied and transformed as before.
    /// </remarks>
    public static Geometry Reproject(Geometry geometry, MathTransform transform, int targetSrid)
    {
        var copy = Transformed(geometry, transform) ?? CopiedAndTransformed(geometry, transform);
        copy.SRID = targetSrid;
        return copy;
    }

    private static Geometry CopiedAndTransformed(Geometry geometry, MathTransform transform)
    {
        var copy = geometry.Copy();
        copy.Apply(new TransformFilter(transform));
        copy.GeometryChanged();
        return copy;
    }

    /// <summary><paramref name="geometry"/> rebuilt from its transformed coordinates, or null when it holds anything but plain x, y coordinates in array sequences.</summary>
    private static Geometry? Transformed(Geometry geometry, MathTransform transform)
    {
        var factory = geometry.Factory;
        switch (geometry)
        {
            case Point p:
                return Coordinates(p.CoordinateSequence, transform) is { } point ? factory.CreatePoint(factory.CoordinateSequenceFactory.Create(point)) : null;
            case LinearRing r:
                return Coordinates(r.CoordinateSequence, transform) is { } ring ? factory.CreateLinearRing(factory.CoordinateSequenceFactory.Create(ring)) : null;
            case LineString l:
                return Coordinates(l.CoordinateSequence, transform) is { } line ? factory.CreateLineString(factory.CoordinateSequenceFactory.Create(line)) : null;
            case Polygon p:
                if (Transformed(p.Shell, transform) is not LinearRing shell) return null;
                var holes = new LinearRing[p.NumInteriorRings];
                for (var i = 0; i < holes.Length; i++)
                    if (Transformed(p.GetInteriorRingN(i), transform) is LinearRing hole) holes[i] = hole;
                    else return null;
                return factory.CreatePolygon(shell, holes);
            case GeometryCollection c:
                var parts = new Geometry[c.NumGeometries];
                for (var i = 0; i < parts.Length; i++)
                    if (Transformed(c.GetGeometryN(i), transform) is { } part) parts[i] = part;
                    else return null;
                return c switch
                {
                    MultiPolygon => factory.CreateMultiPolygon([.. parts.Cast<Polygon>()]),
                    MultiLineString => factory.CreateMultiLineString([.. parts.Cast<LineString>()]),
                    MultiPoint => factory.CreateMultiPoint([.. parts.Cast<Point>()]),
                    _ when c.GetType() == typeof(GeometryCollection) => factory.CreateGeometryCollection(parts),
                    _ => null,
                };
            default:
                return null;
        }
    }

    /// <summary>The sequence's coordinates transformed, or null when it is not an array of plain x, y coordinates or one is not transformed to a finite point.</summary>
    private static Coordinate[]? Coordinates(CoordinateSequence sequence, MathTransform transform)
    {
        if (sequence is not NetTopologySuite.Geometries.Implementation.CoordinateArraySequence || sequence.Dimension != 2 || sequence.Measures != 0) return null;
        var result = new Coordinate[sequence.Count];
        for (var i = 0; i < result.Length; i++)
        {
            var (x, y) = transform.Transform(sequence.GetX(i), sequence.GetY(i));
            // A point the transform cannot place (NaN) is left to the copy, which keeps what it makes of it without checking rings.
            if (!double.IsFinite(x) || !double.IsFinite(y)) return null;
            result[i] = new Coordinate(x, y);
        }
        return result;
    }

    /// <summary>
    /// Reads a source reference system from <c>EPSG:n</c> (a supported code) or from WKT 1 (a <c>PROJCS</c> or
    /// <c>GEOGCS</c>, as a Shapefile's <c>.prj</c> or a GeoPackage's <c>gpkg_spatial_ref_sys</c> holds it).
    /// </summary>
    /// <exception cref="FormatException">The text names no supported code, or ProjNET cannot read or transform the WKT; the message says why.</exception>
    public static SourceReferenceSystem ParseSource(string text)
    {
        var t = text.Trim();
        if (ParseEpsg(t) is { } code) return new SourceReferenceSystem("EPSG:" + code.ToString(CultureInfo.InvariantCulture), System(code), code == SpatialRules.Wgs84);
        if (!LooksLikeWkt(t))
            throw new FormatException($"unsupported reference system '{Shorten(t)}'; give one of {SupportedDescription}, or the system as WKT (the text of a .prj file)");
        if (t.StartsWith("PROJCRS", StringComparison.OrdinalIgnoreCase) || t.StartsWith("GEOGCRS", StringComparison.OrdinalIgnoreCase) || t.StartsWith("BOUNDCRS", StringComparison.OrdinalIgnoreCase))
            throw new FormatException("WKT 2 is not read; give the system as WKT 1 (PROJCS[...] or GEOGCS[...], as in a .prj file)");
        // ProjNET's tokenizer never returns on some malformed text (an unterminated quote): check the shape first.
        if (WktShapeProblem(t) is { } shape) throw new FormatException($"the reference system's WKT cannot be read: {shape}");
        CoordinateSystem system;
        try
        {
            system = CoordinateSystemWktReader.Parse(t) as CoordinateSystem
                     ?? throw new FormatException("the WKT is not a coordinate system (PROJCS[...] or GEOGCS[...] expected)");
            // A projection ProjNET does not implement fails here, not on the first coordinate.
            Transformations.CreateFromCoordinateSystems(system, GeographicCoordinateSystem.WGS84);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or NotImplementedException or InvalidOperationException or FormatException
                                       or KeyNotFoundException or NullReferenceException or IndexOutOfRangeException or InvalidCastException or global::System.Reflection.TargetInvocationException)
        {
            // ProjNET builds projections by reflection: the reason is the inner exception's.
            var reason = e is global::System.Reflection.TargetInvocationException { InnerException: { } inner } ? inner : e;
            throw new FormatException($"the reference system's WKT cannot be read: {FirstSentence(reason.Message)}", e);
        }
        if (system is not ProjectedCoordinateSystem and not GeographicCoordinateSystem)
            throw new FormatException($"the WKT describes a {system.GetType().Name}; a projected (PROJCS) or geographic (GEOGCS) system is expected");
        var label = string.Equals(system.Authority, "EPSG", StringComparison.OrdinalIgnoreCase) && system.AuthorityCode > 0
            ? "EPSG:" + system.AuthorityCode.ToString(CultureInfo.InvariantCulture)
            : string.Join(' ', t.Split((char[])['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        var isWgs84 = system is GeographicCoordinateSystem g && IsWgs84(g);
        return new SourceReferenceSystem(isWgs84 ? "EPSG:4326" : label, isWgs84 ? GeographicCoordinateSystem.WGS84 : system, isWgs84);
    }

    /// <summary>A transform from <paramref name="source"/> to WGS84 longitude/latitude.</summary>
    public static MathTransform ToWgs84(SourceReferenceSystem source) =>
        Transformations.CreateFromCoordinateSystems(source.System, GeographicCoordinateSystem.WGS84).MathTransform;

    /// <summary>Unbalanced quotes or brackets, or text after the last bracket; null when the WKT is well formed in shape.</summary>
    private static string? WktShapeProblem(string t)
    {
        var depth = 0;
        var quoted = false;
        var closedAt = -1;
        for (var i = 0; i < t.Length; i++)
        {
            var c = t[i];
            if (c == '"') { quoted = !quoted; continue; }
            if (quoted) continue;
            if (c is '[' or '(') depth++;
            else if (c is ']' or ')')
            {
                if (--depth < 0) return $"a closing bracket with no opening one at character {i + 1}";
                if (depth == 0) { closedAt = i; break; }
            }
        }
        if (quoted) return "a quoted name is not closed";
        if (depth > 0 || closedAt < 0) return "a bracket is not closed (the text ends too early)";
        if (closedAt < t.Length - 1 && !string.IsNullOrWhiteSpace(t[(closedAt + 1)..])) return $"text after the end of the system at character {closedAt + 2}";
        return null;
    }

    private static bool LooksLikeWkt(string t) =>
        t.Length > 8 && t.Contains('[', StringComparison.Ordinal) && char.IsAsciiLetter(t[0]);

    /// <summary>Longitude/latitude in degrees on the WGS84 ellipsoid, Greenwich, with no datum shift: the same as EPSG:4326.</summary>
    private static bool IsWgs84(GeographicCoordinateSystem g)
    {
        var datum = g.HorizontalDatum;
        var ellipsoid = datum.Ellipsoid;
        var shift = datum.Wgs84Parameters;
        return Math.Abs(ellipsoid.SemiMajorAxis * ellipsoid.AxisUnit.MetersPerUnit - 6378137) < 1e-3
               && Math.Abs(ellipsoid.InverseFlattening - 298.257223563) < 1e-6
               && Math.Abs(g.PrimeMeridian.Longitude) < 1e-12
               && Math.Abs(g.AngularUnit.RadiansPerUnit - Math.PI / 180) < 1e-12
               && (shift is null || shift.HasZeroValuesOnly);
    }

    private static string Shorten(string s) => s.Length <= 60 ? s : s[..57] + "...";

    private static string FirstSentence(string s)
    {
        var line = s.Split('\n')[0].Trim();
        return line.Length <= 200 ? line : line[..197] + "...";
    }

    private static (int Zone, bool North)? UtmZone(int epsg) => epsg switch
    {
        >= 32601 and <= 32660 => (epsg - 32600, true),
        >= 32701 and <= 32760 => (epsg - 32700, false),
        _ => null,
    };

    private sealed class TransformFilter(MathTransform transform) : ICoordinateSequenceFilter
    {
        public bool Done => false;
        public bool GeometryChanged => true;

        public void Filter(CoordinateSequence seq, int i)
        {
            var (x, y) = transform.Transform(seq.GetX(i), seq.GetY(i));
            seq.SetX(i, x);
            seq.SetY(i, y);
        }
    }
}

/// <summary>A reference system the coordinates of a file are in, as the user or the file stated it.</summary>
/// <param name="Label">What is kept in <c>original_crs</c>: <c>EPSG:n</c> when the system has an EPSG code, else its WKT on one line.</param>
/// <param name="System">The system as ProjNET reads it.</param>
/// <param name="IsWgs84">Longitude/latitude in WGS84: nothing to transform, no original kept.</param>
public sealed record SourceReferenceSystem(string Label, CoordinateSystem System, bool IsWgs84);

/// <summary>Areas in square metres, computed in the UTM zone of the geometry's centre.</summary>
/// <remarks>UTM's scale error within a zone is below 0.1% in area; ProjNET's UTM agrees with PostGIS ST_Transform to 1e-9.</remarks>
public static class MetricArea
{
    private static readonly ConcurrentDictionary<int, MathTransform> ToUtm = new();

    public static double SquareMetres(Geometry wgs84)
    {
        if (wgs84.IsEmpty || wgs84.Dimension != Dimension.Surface) return 0;
        var centre = wgs84.EnvelopeInternal.Centre;
        var epsg = ReferenceSystems.UtmEpsgFor(centre.X, centre.Y);
        var transform = ToUtm.GetOrAdd(epsg, code => ReferenceSystems.Transform(SpatialRules.Wgs84, code));
        return ReferenceSystems.Reproject(wgs84, transform, epsg).Area;
    }
}
