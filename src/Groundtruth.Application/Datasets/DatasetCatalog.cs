using Groundtruth.Domain;

namespace Groundtruth.Application.Datasets;

/// <summary>
/// Every dataset Groundtruth holds, with its columns. This is the contract of docs/datasets.md;
/// imports, exports, the versions tables and the demo all read it, and a test checks it against
/// the database model.
/// </summary>
public static class DatasetCatalog
{
    private static FieldSpec Id() => new("id", FieldType.Text, Required: true, Description: "the record's national id, unique in the dataset; at most 200 characters, none of them a control or bidirectional-text character");
    private static FieldSpec Text(string name, bool required = false, string description = "") => new(name, FieldType.Text, required, Description: description);
    private static FieldSpec Date(string name, bool required = false, string description = "") => new(name, FieldType.Date, required, Description: description);
    private static FieldSpec Enum<T>(string name, bool required = false, string? defaultValue = null, string description = "") where T : struct, System.Enum =>
        new(name, FieldType.Enum, required, typeof(T), DefaultValue: defaultValue, Description: description);
    private static FieldSpec Ref(string name, string dataset, bool required = false, string description = "") =>
        new(name, FieldType.Text, required, References: dataset, Description: description);
    private static FieldSpec Int(string name, double? min = null, double? max = null, bool required = false, string? defaultValue = null, string description = "") =>
        new(name, FieldType.Integer, required, Min: min, Max: max, DefaultValue: defaultValue, Description: description);
    private static FieldSpec Real(string name, double? min = null, double? max = null, string description = "") =>
        new(name, FieldType.Real, Min: min, Max: max, Description: description);
    private static FieldSpec Bool(string name, string description = "") => new(name, FieldType.Boolean, Description: description);
    private static FieldSpec Area() => new("area_m2", FieldType.Real, Computed: true, Description: "area in m², computed on import in the local UTM zone");

    public static readonly DatasetSpec Places = new("places", "places", GeometryShape.PointOrMultiPolygon, true,
    [
        Id(),
        Text("name", required: true),
        Enum<PlaceKind>("kind", required: true),
        Ref("parent_id", "places", description: "the enclosing place"),
        new("population", FieldType.Long, Min: 0, Description: "inhabitants"),
    ], null, "the gazetteer: country, regions, districts, municipalities, villages");

    public static readonly DatasetSpec Organisations = new("organisations", "organisations", GeometryShape.None, false,
    [
        Id(),
        Text("name", required: true),
        Enum<OrganisationKind>("kind", required: true),
        Ref("parent_id", "organisations", description: "the operator a team belongs to"),
    ], null, "national authority, operators and their teams");

    public static readonly DatasetSpec Lines = new("lines", "lines", GeometryShape.MultiLineString, true,
    [
        Id(),
        Enum<LineKind>("kind", required: true),
        Text("name"),
    ], null, "former front lines, roads, rivers");

    public static readonly DatasetSpec Hazards = new("hazards", "hazards", GeometryShape.MultiPolygon, true,
    [
        Id(),
        Text("name"),
        Enum<HazardClassification>("classification", required: true),
        Enum<HazardStatus>("status", required: true),
        Text("status_reason", description: "why the status last changed; required to reopen closed land"),
        new("contamination", FieldType.EnumList, EnumType: typeof(OrdnanceCategory), Description: "ordnance categories separated by ';'"),
        Text("evidence", description: "the evidence in words"),
        Date("recorded_on", required: true),
        Text("source", description: "who reported the area"),
        Text("derived_from", description: "ids of the areas it was split or merged from, separated by ';'"),
        Text("handover_certificate"),
        Text("handed_over_to"),
        Text("residual_risk_owner"),
        Date("handed_over_on"),
        Area(),
    ], "recorded_on", "hazardous areas (IMAS 04.10), the perimeter as a multipolygon");

    public static readonly DatasetSpec MinefieldRecords = new("minefield-records", "minefield_records", GeometryShape.AnyMulti, true,
    [
        Id(),
        Text("source", required: true, description: "the party that handed the record over"),
        Text("reference", description: "the record's own reference"),
        Date("laid_on"),
        Date("handed_over_on"),
        Int("declared_devices", min: 0),
        Text("device_models", description: "declared models separated by ';'"),
        Real("position_uncertainty_m", min: 0, description: "stated positional uncertainty in metres"),
        Text("handling", description: "the handling label agreed at handover"),
        Text("original_datum"),
        Text("georeferenced_by"),
        Text("georeferencing_method"),
    ], "handed_over_on", "minefield records handed over by a party (CCW Amended Protocol II); footprint as polygons, mine rows (lines) or mine points");

    public static readonly DatasetSpec Activities = new("activities", "activities", GeometryShape.MultiPolygon, false,
    [
        Id(),
        Enum<ActivityType>("type", required: true),
        Ref("organisation", "organisations", description: "id of the organisation that carried it out"),
        Ref("hazard_id", "hazards"),
        Date("started_on"),
        Date("completed_on"),
        Enum<ActivityStatus>("status", required: true),
        Int("beneficiaries_women", min: 0),
        Int("beneficiaries_men", min: 0),
        Int("beneficiaries_girls", min: 0),
        Int("beneficiaries_boys", min: 0),
    ], "started_on", "survey, clearance, spot tasks, marking, risk education and quality visits; the processed area as a multipolygon");

    public static readonly DatasetSpec LandRelease = new("land-release", "land_release", GeometryShape.MultiPolygon, true,
    [
        Id(),
        Ref("activity_id", "activities", required: true),
        Ref("hazard_id", "hazards", required: true),
        Enum<ReleaseMethod>("method", required: true),
        Date("released_on", required: true),
        Real("depth_cm", min: 0, description: "clearance depth in centimetres"),
        Area(),
    ], "released_on", "land released (IMAS 07.11): cancelled, reduced or cleared");

    public static readonly DatasetSpec Finds = new("finds", "finds", GeometryShape.Point, true,
    [
        Id(),
        Date("found_on", required: true),
        Enum<OrdnanceCategory>("category", required: true),
        Text("model"),
        Int("quantity", min: 1, defaultValue: "1", description: "devices in this find"),
        Int("production_year", min: 1900, max: 2100, description: "from the markings; bounds the earliest laying date"),
        Text("markings"),
        Text("condition"),
        Real("depth_cm", min: 0),
        Text("fuze"),
        Bool("booby_trapped"),
        Enum<Emplacement>("emplacement", defaultValue: "unknown", description: "emplaced, or cached (a depot is not laid)"),
        Text("context", description: "where it was found in words, e.g. house entrance"),
        Text("disposal"),
        Ref("activity_id", "activities"),
        Ref("hazard_id", "hazards"),
        Text("source"),
        Real("location_accuracy_m", min: 0, description: "how precisely the point is known, in metres"),
    ], "found_on", "explosive ordnance found, one row per find of one model");

    public static readonly DatasetSpec Accidents = new("accidents", "accidents", GeometryShape.Point, true,
    [
        Id(),
        Date("occurred_on", required: true),
        Enum<AccidentKind>("kind", required: true),
        Enum<OrdnanceCategory>("device_category"),
        Text("device_model"),
        Real("location_accuracy_m", min: 0, description: "how precisely the point is known, in metres"),
        Text("source"),
    ], "occurred_on", "mine/ERW and demining accidents (IMAS 10.60), including those that hurt nobody");

    public static readonly DatasetSpec Casualties = new("casualties", "casualties", GeometryShape.Point, false,
    [
        Id(),
        Ref("accident_id", "accidents"),
        Date("occurred_on", description: "required when there is no accident_id"),
        Enum<CasualtyOutcome>("outcome", required: true),
        Enum<Sex>("sex", defaultValue: "unknown"),
        Int("age", min: 0, max: CasualtyAge.MaximumAge, description: "whole years at the accident date"),
        Enum<AgeGroup>("age_group", defaultValue: "unknown", description: "derived from age when age is known"),
        Enum<CasualtyStatus>("status", defaultValue: "unknown"),
        Text("occupation"),
        Text("activity", description: "what the person was doing"),
        Bool("device_handled"),
        Text("source", description: "who reported it; several separated by ';'"),
        new("name", FieldType.Text, Personal: true, Description: "personal data, encrypted"),
        new("date_of_birth", FieldType.Date, Personal: true, Description: "personal data, encrypted"),
        new("injuries", FieldType.Text, Personal: true, Description: "personal data, encrypted"),
    ], "occurred_on", "people killed or injured; personal data encrypted at rest");

    /// <summary>Every dataset, in load order (a dataset comes after those it references).</summary>
    public static readonly IReadOnlyList<DatasetSpec> All =
        [Places, Organisations, Lines, Hazards, MinefieldRecords, Activities, LandRelease, Finds, Accidents, Casualties];

    public static DatasetSpec? Find(string name) =>
        All.FirstOrDefault(d => string.Equals(d.Name, name, StringComparison.OrdinalIgnoreCase)
                                || string.Equals(d.Table, name, StringComparison.OrdinalIgnoreCase));

    public static IEnumerable<string> Names => All.Select(d => d.Name);
}
