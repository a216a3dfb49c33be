namespace Groundtruth.Domain;

// Enum values are stored and exchanged as lower snake_case (see SnakeCase); docs/datasets.md lists every spelling.

public enum PlaceKind { Country, Region, District, Municipality, Village }

public enum OrganisationKind { NationalAuthority, Operator, Team, Other }

public enum LineKind { FrontLine, Road, River, Other }

/// <remarks>IMAS 04.10: suspected on indirect evidence, confirmed on direct evidence; "defined" where the national standard uses it.</remarks>
public enum HazardClassification { Suspected, Confirmed, Defined }

public enum HazardStatus { Open, WorkedOn, Closed, HandedOver }

public enum ActivityType { NonTechnicalSurvey, TechnicalSurvey, Clearance, BattleAreaClearance, EodSpotTask, Marking, RiskEducation, QualityVisit }

public enum ActivityStatus { Planned, Ongoing, Suspended, Completed }

/// <remarks>IMAS 07.11: land is cancelled by non-technical survey, reduced by technical survey, or cleared.</remarks>
public enum ReleaseMethod { Cancelled, Reduced, Cleared }

public enum OrdnanceCategory
{
    AntiPersonnelMine,
    AntiVehicleMine,
    /// <summary>Improvised mine: an improvised explosive device that is victim-activated.</summary>
    ImprovisedMine,
    /// <summary>Other improvised explosive device (command-detonated).</summary>
    ImprovisedExplosiveDevice,
    UnspecifiedMine,
    BoobyTrap,
    ClusterMunitionRemnant,
    Uxo,
    Axo,
    StoredAmmunition,
    Other,
}

/// <summary>Whether a device was laid to act, or stored: a depot of 400 mines is not 400 laid.</summary>
public enum Emplacement { Unknown, Emplaced, Cached }

/// <remarks>IMAS 10.60: a mine/ERW accident hurts people who are not deminers at work; a demining accident happens during demining.</remarks>
public enum AccidentKind { MineErw, Demining }

public enum CasualtyOutcome { Unknown, Killed, Injured }

public enum Sex { Unknown, Female, Male }

/// <remarks>Landmine Monitor: a child is under 18 at the date of the accident.</remarks>
public enum AgeGroup { Unknown, Child, Adult }

public enum CasualtyStatus { Unknown, Civilian, Military, Deminer }

public enum SubmissionState { Draft, Submitted, Approved, Rejected }
