using NetTopologySuite.Geometries;

namespace Groundtruth.Domain;

/// <summary>Land not in use because of suspected or confirmed explosive ordnance (IMAS 04.10).</summary>
public sealed class HazardousArea : FeatureRecord
{
    public string? Name { get; set; }
    public HazardClassification Classification { get; set; }
    public HazardStatus Status { get; private set; }
    /// <summary>Why the status last changed; required to reopen released land.</summary>
    public string? StatusReason { get; private set; }
    /// <summary>Contamination types as ordnance categories, separated by semicolons.</summary>
    public string? Contamination { get; set; }
    /// <summary>The evidence in words (direct/indirect, observed/verbal/records, reliability).</summary>
    public string? Evidence { get; set; }
    public PartialDate RecordedOn { get; set; }
    public string? Source { get; set; }
    /// <summary>Ids of the areas this one was split from or merged from, separated by semicolons.</summary>
    public string? DerivedFrom { get; set; }
    public string? HandoverCertificate { get; set; }
    public string? HandedOverTo { get; set; }
    /// <summary>Who owns the residual risk after handover.</summary>
    public string? ResidualRiskOwner { get; set; }
    public PartialDate? HandedOverOn { get; set; }
    /// <summary>The area in square metres, computed in a metric projection.</summary>
    public double AreaM2 { get; set; }
    public MultiPolygon? Geometry { get; set; }

    /// <summary>Sets the status as first recorded (an import of an existing register may start anywhere).</summary>
    public void InitialiseStatus(HazardStatus status, string? reason = null)
    {
        Status = status;
        StatusReason = reason;
    }

    /// <summary>Moves to <paramref name="to"/>, refusing transitions the standard does not allow.</summary>
    /// <param name="cancelledBySurvey">Non-technical survey has recorded a cancellation output for this area (the only way it closes straight from open).</param>
    /// <exception cref="InvalidOperationException">The transition is not allowed; the message says why.</exception>
    public void ChangeStatus(HazardStatus to, string? reason, bool cancelledBySurvey = false)
    {
        var refusal = HazardStatusRules.Refusal(Status, to, reason, cancelledBySurvey);
        if (refusal is not null) throw new InvalidOperationException(refusal);
        Status = to;
        StatusReason = reason;
    }

    /// <summary>Direct evidence confirms a suspected area (IMAS 04.10).</summary>
    public void Confirm()
    {
        if (Classification == HazardClassification.Suspected) Classification = HazardClassification.Confirmed;
    }
}

/// <summary>The legal moves between hazardous-area statuses.</summary>
/// <remarks>
/// open → worked on → closed → handed over. An area may close straight from open when non-technical
/// survey cancels it outright (IMAS 07.11). Closed or handed-over land reopens only with a reason,
/// such as a find in released land (IMAS 08.30).
/// </remarks>
public static class HazardStatusRules
{
    /// <summary>Null when <paramref name="from"/> → <paramref name="to"/> is allowed; otherwise the reason it is not.</summary>
    /// <param name="cancelledBySurvey">
    /// The area has a land release output of method <see cref="ReleaseMethod.Cancelled"/> (by non-technical survey,
    /// <see cref="LandReleaseRules"/>): the only evidence on which an open area closes without being worked on.
    /// </param>
    public static string? Refusal(HazardStatus from, HazardStatus to, string? reason, bool cancelledBySurvey = false)
    {
        if (from == to) return null;
        return (from, to) switch
        {
            (HazardStatus.Open, HazardStatus.WorkedOn) => null,
            (HazardStatus.Open, HazardStatus.Closed) => cancelledBySurvey
                ? null
                : "an open area closes straight away only when non-technical survey cancels it (IMAS 07.11): record its cancellation output first, or move it to worked_on while technical survey or clearance releases it",
            (HazardStatus.WorkedOn, HazardStatus.Closed) => null,
            (HazardStatus.WorkedOn, HazardStatus.Open) => null,
            (HazardStatus.Closed, HazardStatus.HandedOver) => null,
            (HazardStatus.Closed or HazardStatus.HandedOver, HazardStatus.Open or HazardStatus.WorkedOn) =>
                string.IsNullOrWhiteSpace(reason)
                    ? $"reopening a {SnakeCase.Of(from)} area needs a reason (status_reason), such as a find in released land (IMAS 08.30)"
                    : null,
            (HazardStatus.Open or HazardStatus.WorkedOn, HazardStatus.HandedOver) =>
                $"an area is handed over only after it is closed (it is {SnakeCase.Of(from)})",
            _ => $"status cannot change from {SnakeCase.Of(from)} to {SnakeCase.Of(to)}",
        };
    }
}

/// <summary>How a hazardous area's classification may change.</summary>
/// <remarks>IMAS 04.10: a suspected area becomes confirmed on direct evidence; going back needs a recorded reason.</remarks>
public static class HazardClassificationRules
{
    public static string? Refusal(HazardClassification from, HazardClassification to, string? reason) =>
        from == HazardClassification.Confirmed && to == HazardClassification.Suspected && string.IsNullOrWhiteSpace(reason)
            ? "a confirmed area becomes suspected again only with a reason (status_reason): confirmation rests on direct evidence (IMAS 04.10)"
            : null;
}
