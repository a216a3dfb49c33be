using NetTopologySuite.Geometries;

namespace Groundtruth.Domain;

/// <summary>One person killed or injured by explosive ordnance.</summary>
/// <remarks>
/// An injured person who later dies is a new version of the same casualty, not a second one.
/// Landmine Monitor conventions: a child is under 18 at the date of the accident.
/// Name, date of birth and injuries are personal data and live in <see cref="CasualtyPersonalData"/>.
/// </remarks>
public sealed class Casualty : FeatureRecord
{
    public string? AccidentId { get; set; }
    public PartialDate? OccurredOn { get; set; }
    public CasualtyOutcome Outcome { get; set; }
    public Sex Sex { get; set; }
    /// <summary>Age in whole years at the date of the accident.</summary>
    public int? Age { get; set; }
    /// <summary>Derived from <see cref="Age"/> when it is known; otherwise the group as recorded.</summary>
    public AgeGroup AgeGroup { get; set; }
    public CasualtyStatus Status { get; set; }
    public string? Occupation { get; set; }
    /// <summary>What the person was doing at the time.</summary>
    public string? Activity { get; set; }
    public bool? DeviceHandled { get; set; }
    /// <summary>Who reported the casualty; several sources are separated by semicolons.</summary>
    public string? Source { get; set; }
    /// <summary>Where it happened when there is no accident record.</summary>
    public Point? Geometry { get; set; }
}

/// <summary>The age rules of casualty statistics.</summary>
public static class CasualtyAge
{
    public const int AdultAge = 18;
    public const int MaximumAge = 120;

    /// <summary>Landmine Monitor: a child is under 18 at the date of the accident.</summary>
    public static AgeGroup GroupOf(int age) => age < AdultAge ? AgeGroup.Child : AgeGroup.Adult;

    /// <summary>The age group: from the age when known, else the recorded group.</summary>
    public static AgeGroup Resolve(int? age, AgeGroup recorded) => age is { } a ? GroupOf(a) : recorded;

    /// <summary>Whole years from <paramref name="birth"/> to <paramref name="on"/>, or null when either is not precise enough to tell.</summary>
    public static int? AgeAt(PartialDate birth, PartialDate on)
    {
        // The age is certain only when the youngest and oldest readings of both periods agree.
        var youngest = Years(birth.End, on.Start);
        var oldest = Years(birth.Start, on.End);
        return youngest == oldest && youngest >= 0 ? youngest : null;
    }

    private static int Years(DateOnly birth, DateOnly on)
    {
        var years = on.Year - birth.Year;
        if (on.Month < birth.Month || (on.Month == birth.Month && on.Day < birth.Day)) years--;
        return years;
    }
}

/// <summary>The personal data of a casualty: restricted, encrypted at rest, every read audited.</summary>
public sealed record CasualtyPersonalData(string? Name, PartialDate? DateOfBirth, string? Injuries)
{
    public bool IsEmpty => Name is null && DateOfBirth is null && Injuries is null;
}
