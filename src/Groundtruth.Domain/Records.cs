using NetTopologySuite.Geometries;

namespace Groundtruth.Domain;

/// <summary>A record of one dataset: a national id that is unique in its dataset, and the integer row id GIS tools use.</summary>
public abstract class Record
{
    /// <summary>The GeoPackage feature id (row id); meaningless outside one database.</summary>
    public long Fid { get; set; }

    /// <summary>The record's id in the national database, unique within its dataset.</summary>
    public required string Id { get; set; }
}

/// <summary>A record with a location. Coordinates are WGS84 (EPSG:4326); the values as received are kept when they came in another system.</summary>
public abstract class FeatureRecord : Record
{
    /// <summary>The reference system the coordinates were received in, e.g. <c>EPSG:32634</c>; null when they came as WGS84.</summary>
    public string? OriginalCrs { get; set; }

    /// <summary>The geometry as received, in <see cref="OriginalCrs"/>, as WKT.</summary>
    public string? OriginalWkt { get; set; }
}

/// <summary>A node of the gazetteer: country, region, district, municipality or village.</summary>
public sealed class Place : FeatureRecord
{
    public required string Name { get; set; }
    public PlaceKind Kind { get; set; }
    public string? ParentId { get; set; }
    public long? Population { get; set; }

    /// <summary>A point (a village as a dot) or a multipolygon (a district boundary).</summary>
    public Geometry? Geometry { get; set; }
}

/// <summary>A national authority, an operator or one of its teams.</summary>
public sealed class Organisation : Record
{
    public required string Name { get; set; }
    public OrganisationKind Kind { get; set; }
    public string? ParentId { get; set; }
}

/// <summary>A linear feature used in analysis: a former front line, a road, a river.</summary>
public sealed class Line : FeatureRecord
{
    public LineKind Kind { get; set; }
    public string? Name { get; set; }
    public MultiLineString? Geometry { get; set; }
}

/// <summary>A record of laid mines handed over by a party (CCW Amended Protocol II, Technical Annex).</summary>
/// <remarks>The footprint may be a polygon, mine rows as lines or mine points, normalised to a multi-geometry.</remarks>
public sealed class MinefieldRecord : FeatureRecord
{
    /// <summary>Who handed the record over.</summary>
    public required string Source { get; set; }
    public string? Reference { get; set; }
    public PartialDate? LaidOn { get; set; }
    public PartialDate? HandedOverOn { get; set; }
    public int? DeclaredDevices { get; set; }
    /// <summary>Device models as declared, separated by semicolons.</summary>
    public string? DeviceModels { get; set; }
    /// <summary>The positional uncertainty stated for the record, in metres.</summary>
    public double? PositionUncertaintyM { get; set; }
    /// <summary>The handling label agreed at handover (restrictions on use and export).</summary>
    public string? Handling { get; set; }
    public string? OriginalDatum { get; set; }
    public string? GeoreferencedBy { get; set; }
    public string? GeoreferencingMethod { get; set; }
    public Geometry? Geometry { get; set; }
}

/// <summary>Survey, clearance, spot task, marking, risk education or a quality visit.</summary>
public sealed class Activity : FeatureRecord
{
    public ActivityType Type { get; set; }
    /// <summary>The id of the organisation that carried it out.</summary>
    public string? Organisation { get; set; }
    public string? HazardId { get; set; }
    public PartialDate? StartedOn { get; set; }
    public PartialDate? CompletedOn { get; set; }
    public ActivityStatus Status { get; set; }
    /// <summary>Risk education beneficiaries by sex and age.</summary>
    public int? BeneficiariesWomen { get; set; }
    public int? BeneficiariesMen { get; set; }
    public int? BeneficiariesGirls { get; set; }
    public int? BeneficiariesBoys { get; set; }
    /// <summary>The processed area; none for risk education.</summary>
    public MultiPolygon? Geometry { get; set; }
}

/// <summary>Land released by an activity (IMAS 07.11).</summary>
public sealed class LandRelease : FeatureRecord
{
    public required string ActivityId { get; set; }
    public required string HazardId { get; set; }
    public ReleaseMethod Method { get; set; }
    public PartialDate ReleasedOn { get; set; }
    public double? DepthCm { get; set; }
    /// <summary>The released area in square metres, computed in a metric projection.</summary>
    public double AreaM2 { get; set; }
    public MultiPolygon? Geometry { get; set; }
}

/// <summary>A device found (and usually destroyed).</summary>
public sealed class ExplosiveOrdnanceFind : FeatureRecord
{
    public PartialDate FoundOn { get; set; }
    public OrdnanceCategory Category { get; set; }
    public string? Model { get; set; }
    /// <summary>Devices in this find; every count of finds is a count of devices.</summary>
    public int Quantity { get; set; } = 1;
    /// <summary>The production year from the markings; it only bounds the earliest laying date.</summary>
    public int? ProductionYear { get; set; }
    public string? Markings { get; set; }
    public string? Condition { get; set; }
    public double? DepthCm { get; set; }
    public string? Fuze { get; set; }
    public bool? BoobyTrapped { get; set; }
    public Emplacement Emplacement { get; set; }
    /// <summary>Where it was found, in words: "house entrance", "courtyard".</summary>
    public string? Context { get; set; }
    public string? Disposal { get; set; }
    public string? ActivityId { get; set; }
    public string? HazardId { get; set; }
    public string? Source { get; set; }
    /// <summary>How precisely the point is known, in metres: a GPS fix's stated accuracy.</summary>
    public double? LocationAccuracyM { get; set; }
    public Point? Geometry { get; set; }
}

/// <summary>An unplanned explosive event (IMAS 10.60); it may hurt people or only damage property.</summary>
public sealed class Accident : FeatureRecord
{
    public PartialDate OccurredOn { get; set; }
    public AccidentKind Kind { get; set; }
    public OrdnanceCategory? DeviceCategory { get; set; }
    public string? DeviceModel { get; set; }
    /// <summary>How precisely the point is known, in metres.</summary>
    public double? LocationAccuracyM { get; set; }
    public string? Source { get; set; }
    public Point? Geometry { get; set; }
}
