using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using Groundtruth.Analysis.Risk;
using Groundtruth.Application.Storage;
using Groundtruth.Domain;
using Microsoft.EntityFrameworkCore;

namespace Groundtruth.Application.Risk;

/// <summary>A covariate raster as <c>layers list</c> shows it.</summary>
public sealed record CovariateLayerInfo(string Name, CovariateKind Kind, string SourceFile, DateTime AddedAt, string AddedBy, int Epsg, int Columns, int Rows,
    double West, double South, double East, double North, long Bytes, string Sha256);

/// <summary>
/// <c>groundtruth layers add | list | remove</c>: the covariate rasters a programme holds (elevation, land cover, population…),
/// stored in the database as the GeoTIFF given, read by <c>risk map</c>, <c>risk evaluate</c> and <c>priorities</c>
/// beside the built-in layers (docs/decisions/0030-covariate-rasters-in-the-database.md).
/// </summary>
public sealed partial class CovariateLayersService(DatabaseTarget target, TimeProvider clock)
{
    public const string AddAction = "covariate_added";
    public const string RemoveAction = "covariate_removed";

    [GeneratedRegex("^[a-z][a-z0-9_]{0,39}$")]
    private static partial Regex NamePattern();

    /// <summary>Reads, checks and stores <paramref name="file"/> as the covariate <paramref name="name"/>.</summary>
    /// <exception cref="InvalidRequestException">A bad name, or the name is taken; the file does not exist or is a directory.</exception>
    /// <exception cref="BadDataException">
    /// The file is not a single-band GeoTIFF the model can read, holds no value (every cell nodata), lies outside the
    /// programme's extent, or, categorical, holds a code that is not a whole number or more than <see cref="CovariateRaster.MaxClasses"/> classes.
    /// </exception>
    public async Task<CovariateLayerInfo> AddAsync(string name, string file, CovariateKind kind, string actor, CancellationToken ct = default)
    {
        if (!NamePattern().IsMatch(name))
            throw new InvalidRequestException("name", $"'{name}': a layer name is lower-case letters, digits and _ (starting with a letter, at most 40)");
        if (EvidenceLayers.FeatureNames.Contains(name))
            throw new InvalidRequestException("name", $"'{name}' is a built-in layer ({string.Join(", ", EvidenceLayers.FeatureNames)})");
        if (Directory.Exists(file)) throw new InvalidRequestException("file", $"'{file}' is a directory, not a file");
        if (!File.Exists(file)) throw new InvalidRequestException("file", $"'{file}' does not exist");
        var bytes = await File.ReadAllBytesAsync(file, ct);
        var source = Path.GetFileName(file);
        var raster = Read(bytes, source, name, kind);
        // Refused when added only: a layer stored before these checks is still read as it was.
        if (raster.Bands > 1)
            throw new BadDataException($"{source}: the raster has {raster.Bands} bands, a layer needs exactly one; extract the band you mean first (gdal_translate -b 1)");
        if (!raster.HasValue())
            throw new BadDataException($"{source}: every cell is nodata; a layer needs at least one cell with a value");
        if (kind == CovariateKind.Categorical && raster.FirstNotWhole() is { } fraction)
            throw new BadDataException($"{source}: a categorical layer needs whole-number class codes, but the raster holds {Plain(fraction)}; is it continuous (--kind continuous)?");
        if (kind == CovariateKind.Categorical && raster.InexactCode is { } code)
            throw new BadDataException($"{source}: the class code {code} cannot be kept apart from its neighbours (beyond 16777216 a layer's values are 32-bit floats, which skip whole numbers); renumber the classes (gdal_calc.py or a reclassification in QGIS)");
        CheckClasses(raster, source);
        var extent = GeoTiffReader.Wgs84Extent(raster);

        await using var db = target.CreateContext();
        await SchemaGuard.EnsureCurrentAsync(db, ct);
        if (await db.CovariateRasters.AnyAsync(r => r.Name == name, ct))
            throw new InvalidRequestException("name", $"a layer '{name}' exists already; 'groundtruth layers remove {name}' first");
        if (await ProgrammeExtentAsync(db, ct) is { } programme
            && (extent.East < programme.West || extent.West > programme.East || extent.North < programme.South || extent.South > programme.North))
            throw new BadDataException(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"{Path.GetFileName(file)}: the raster (longitude {extent.West:0.####} to {extent.East:0.####}, latitude {extent.South:0.####} to {extent.North:0.####}) lies outside the programme's extent (longitude {programme.West:0.####} to {programme.East:0.####}, latitude {programme.South:0.####} to {programme.North:0.####})"));

        var row = new CovariateRasterRow
        {
            Name = name,
            Kind = KindName(kind),
            SourceFile = Path.GetFileName(file),
            AddedAt = clock.GetUtcNow().UtcDateTime,
            AddedBy = actor,
            Epsg = raster.Epsg,
            Columns = raster.Columns,
            Rows = raster.Rows,
            West = extent.West,
            South = extent.South,
            East = extent.East,
            North = extent.North,
            Sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes)),
            Tiff = bytes,
        };
        db.CovariateRasters.Add(row);
        db.AuditLog.Add(new AuditEntry
        {
            At = row.AddedAt,
            Actor = actor,
            Action = AddAction,
            Detail = JsonSerializer.Serialize(new { name, kind = row.Kind, file = row.SourceFile, sha256 = row.Sha256, epsg = row.Epsg, columns = row.Columns, rows = row.Rows }),
        });
        await db.SaveChangesAsync(ct);
        return Info(row, bytes.LongLength);
    }

    public async Task<IReadOnlyList<CovariateLayerInfo>> ListAsync(CancellationToken ct = default)
    {
        await using var db = target.CreateContext();
        await SchemaGuard.EnsureCurrentAsync(db, ct);
        var rows = await db.CovariateRasters.AsNoTracking()
            .Select(r => new { r.Name, r.Kind, r.SourceFile, r.AddedAt, r.AddedBy, r.Epsg, r.Columns, r.Rows, r.West, r.South, r.East, r.North, r.Sha256, Bytes = (long)r.Tiff.Length })
            .ToListAsync(ct);
        return [.. rows.OrderBy(r => r.Name, StringComparer.Ordinal)
            .Select(r => new CovariateLayerInfo(r.Name, ParseKind(r.Kind), r.SourceFile, r.AddedAt, r.AddedBy, r.Epsg, r.Columns, r.Rows, r.West, r.South, r.East, r.North, r.Bytes, r.Sha256))];
    }

    /// <exception cref="NotFoundException">No such layer.</exception>
    public async Task RemoveAsync(string name, string actor, CancellationToken ct = default)
    {
        await using var db = target.CreateContext();
        await SchemaGuard.EnsureCurrentAsync(db, ct);
        var row = await db.CovariateRasters.FirstOrDefaultAsync(r => r.Name == name, ct);
        if (row is null)
        {
            var names = await db.CovariateRasters.Select(r => r.Name).ToListAsync(ct);
            throw new NotFoundException($"no covariate layer '{name}'; layers: {(names.Count == 0 ? "none" : string.Join(", ", names.Order(StringComparer.Ordinal)))}");
        }
        db.CovariateRasters.Remove(row);
        db.AuditLog.Add(new AuditEntry
        {
            At = clock.GetUtcNow().UtcDateTime,
            Actor = actor,
            Action = RemoveAction,
            Detail = JsonSerializer.Serialize(new { name, kind = row.Kind, file = row.SourceFile, sha256 = row.Sha256 }),
        });
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Every stored covariate, decoded, in name order (what the risk model reads).</summary>
    public static async Task<IReadOnlyList<CovariateRaster>> ReadAllAsync(GroundtruthDbContext db, CancellationToken ct)
    {
        var rows = await db.CovariateRasters.AsNoTracking().Select(r => new { r.Name, r.Kind, r.SourceFile, r.Tiff }).ToListAsync(ct);
        return [.. rows.OrderBy(r => r.Name, StringComparer.Ordinal).Select(r => Decode(r.Tiff, r.SourceFile, r.Name, ParseKind(r.Kind)))];
    }

    public static string KindName(CovariateKind kind) => kind == CovariateKind.Categorical ? "categorical" : "continuous";

    public static CovariateKind ParseKind(string text) => text switch
    {
        "continuous" => CovariateKind.Continuous,
        "categorical" => CovariateKind.Categorical,
        _ => throw new InvalidRequestException("kind", $"'{text}': continuous or categorical"),
    };

    private static CovariateRaster Decode(byte[] bytes, string file, string name, CovariateKind kind)
    {
        var raster = Read(bytes, file, name, kind);
        CheckClasses(raster, file);
        return raster;
    }

    private static CovariateRaster Read(byte[] bytes, string file, string name, CovariateKind kind)
    {
        try
        {
            return GeoTiffReader.Read(bytes, file, name, kind);
        }
        catch (GeoTiffReadException e)
        {
            throw new BadDataException(e.Message, e);
        }
    }

    private static void CheckClasses(CovariateRaster raster, string file)
    {
        if (raster.Kind == CovariateKind.Categorical && raster.Classes().Length is var classes && classes > CovariateRaster.MaxClasses)
            throw new BadDataException($"{file}: {classes} classes in a categorical raster, at most {CovariateRaster.MaxClasses} (each class is a layer of the model); is it continuous?");
    }

    /// <summary>A raster's value as a person would type it: its shortest exact digits, never in exponent notation (0.5, -3.7, 0.0000001).</summary>
    private static string Plain(float value)
    {
        var text = value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        return text.Contains('E', StringComparison.Ordinal) ? value.ToString("0." + new string('#', 60), System.Globalization.CultureInfo.InvariantCulture) : text;
    }

    private static CovariateLayerInfo Info(CovariateRasterRow r, long bytes) =>
        new(r.Name, ParseKind(r.Kind), r.SourceFile, r.AddedAt, r.AddedBy, r.Epsg, r.Columns, r.Rows, r.West, r.South, r.East, r.North, bytes, r.Sha256);

    /// <summary>
    /// The programme's extent in WGS84, as the risk map chooses its area: the country polygons of the gazetteer, else
    /// the extent of the finds, accidents, hazardous areas and minefield records; null when the database holds none.
    /// </summary>
    private static async Task<(double West, double South, double East, double North)?> ProgrammeExtentAsync(GroundtruthDbContext db, CancellationToken ct)
    {
        var extent = new NetTopologySuite.Geometries.Envelope();
        var countries = await db.Places.AsNoTracking().Where(p => p.Kind == PlaceKind.Country && p.Geometry != null).Select(p => p.Geometry).ToListAsync(ct);
        foreach (var c in countries)
            if (c is NetTopologySuite.Geometries.IPolygonal) extent.ExpandToInclude(c.EnvelopeInternal);
        if (extent.IsNull)
        {
            foreach (var g in await db.Hazards.AsNoTracking().Where(h => h.Geometry != null).Select(h => h.Geometry).ToListAsync(ct)) extent.ExpandToInclude(g!.EnvelopeInternal);
            foreach (var g in await db.MinefieldRecords.AsNoTracking().Where(h => h.Geometry != null).Select(h => h.Geometry).ToListAsync(ct)) extent.ExpandToInclude(g!.EnvelopeInternal);
            await Points(db.Finds);
            await Points(db.Accidents);
        }
        return extent.IsNull ? null : (extent.MinX, extent.MinY, extent.MaxX, extent.MaxY);

        async Task Points<T>(IQueryable<T> table) where T : class
        {
            var box = await table.AsNoTracking()
                .GroupBy(_ => 1)
                .Select(g => new
                {
                    MinX = g.Min(x => EF.Property<double?>(x, "min_x")),
                    MinY = g.Min(x => EF.Property<double?>(x, "min_y")),
                    MaxX = g.Max(x => EF.Property<double?>(x, "min_x")),
                    MaxY = g.Max(x => EF.Property<double?>(x, "min_y")),
                })
                .FirstOrDefaultAsync(ct);
            if (box?.MinX is { } x0 && box.MinY is { } y0 && box.MaxX is { } x1 && box.MaxY is { } y1)
            {
                extent.ExpandToInclude(x0, y0);
                extent.ExpandToInclude(x1, y1);
            }
        }
    }
}
