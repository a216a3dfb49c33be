using Groundtruth.Domain;
using NetTopologySuite.Geometries;

namespace Groundtruth.Analysis.Records;

/// <summary>A minefield record as the accuracy method sees it. Coordinates are WGS84.</summary>
/// <param name="Place">The gazetteer place the record is assigned to (for <c>--by place</c>), if known.</param>
public sealed record RecordInput(
    string Id,
    string Source,
    Geometry Footprint,
    int? DeclaredDevices,
    PartialDate? LaidOn,
    double? PositionUncertaintyM,
    string? Place = null);

public sealed record FindInput(string Id, double Lon, double Lat, int Quantity, OrdnanceCategory Category, Emplacement Emplacement, PartialDate FoundOn);

public sealed record AccidentInput(string Id, double Lon, double Lat, AccidentKind Kind, OrdnanceCategory? DeviceCategory, PartialDate OccurredOn, double? LocationAccuracyM);

/// <summary>Land where the ground truth is known: a technical survey, clearance or battle area clearance area, or a reduced or cleared output.</summary>
/// <param name="Start">When work began (activities) or the release date (outputs).</param>
/// <param name="End">When work ended; null while under way.</param>
public sealed record ProcessedLandInput(string Id, Geometry Area, PartialDate? Start, PartialDate? End);

/// <summary>The settings of one evaluation (DESIGN section 6).</summary>
/// <param name="BufferM">Buffer every footprint by this many metres instead of its stated uncertainty.</param>
/// <param name="MinProcessed">Share of a record's footprint that must lie in processed land for it to be evaluated.</param>
/// <param name="MaxAccidentAccuracyM">Accidents located less precisely than this are excluded; the buffer when one is given.</param>
public sealed record RecordAccuracyOptions(
    DateOnly? From = null,
    DateOnly? To = null,
    double? BufferM = null,
    double MinProcessed = 0.5,
    double MaxAccidentAccuracyM = 100,
    int BootstrapSamples = 1000,
    int Seed = 1)
{
    public static readonly double[] CurveBuffers = [0, 10, 25, 50, 100, 250];

    /// <summary>The accidents' precision threshold: the buffer when one is given, otherwise <see cref="MaxAccidentAccuracyM"/>.</summary>
    public double AccidentThresholdM => BufferM ?? MaxAccidentAccuracyM;
}

public enum RecordVerdict { Confirmed, NotFoundAfterProcessing, NotYetProcessed }

/// <summary>One record's row: what it declared, what was found inside it, how much of it was processed.</summary>
public sealed record RecordRow(
    string Id,
    string Source,
    string? Place,
    int? DeclaredDevices,
    long DevicesFoundInside,
    double AreaM2,
    double ProcessedM2,
    double ProcessedShare,
    double BufferM,
    RecordVerdict Verdict,
    double? NearestOutsideFindM);

/// <summary>What was left out of the figures, and why, counted beside them.</summary>
public sealed record RecordExclusions(
    int DeminingAccidents,
    int NonMineAccidents,
    int AccidentsBeforeLaying,
    int ImpreciseAccidents,
    int StraddlingAccidents,
    long SpotFindDevicesOutsideProcessedLand,
    long CachedDevices,
    long NonMineDevices,
    int StraddlingFinds,
    IReadOnlyList<string> InvalidRecords);

public sealed record CoveragePoint(double BufferM, long FindsInsideRecords, double? FindCoverage);

/// <summary>The figures of DESIGN sections 5 and 6, each proportion with its counts and a 95% interval resampled by record.</summary>
public sealed record RecordAccuracyResult(
    int Records,
    int EvaluatedRecords,
    int ConfirmedRecords,
    double? RecordConfirmationRate,
    double[]? RecordConfirmationRateCi,
    long Finds,
    long FindsInsideRecords,
    double? FindCoverage,
    double[]? FindCoverageCi,
    int Accidents,
    int AccidentsOutsideRecords,
    double? AccidentOutsideShare,
    double[]? AccidentOutsideShareCi,
    double? MedianFindOffsetM,
    double? P90FindOffsetM,
    long DevicesDeclared,
    long DevicesFoundInEvaluatedRecords,
    RecordExclusions Exclusions,
    IReadOnlyList<CoveragePoint> CoverageOverBuffer,
    IReadOnlyList<RecordRow> PerRecord,
    int ProjectionEpsg)
{
    /// <summary>The caveat printed with every output (DESIGN section 6).</summary>
    public const string Caveat =
        "Clearance goes where the records point, which flatters find_coverage: devices in land nobody has processed are not counted. " +
        "Every source is scored by the same method.";
}

/// <summary>Raised when a record cannot be evaluated as asked (e.g. a point record without stated uncertainty and no --buffer).</summary>
public sealed class RecordAccuracyArgumentException(string message) : ArgumentException(message);
