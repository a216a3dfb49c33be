namespace Groundtruth.Domain;

/// <summary>Which activity may release land by which method.</summary>
/// <remarks>
/// IMAS 07.11: land is cancelled only by non-technical survey, reduced only by technical survey, and
/// cleared only by clearance (including battle area clearance).
/// </remarks>
public static class LandReleaseRules
{
    public static IReadOnlyList<ActivityType> AllowedActivities(ReleaseMethod method) => method switch
    {
        ReleaseMethod.Cancelled => [ActivityType.NonTechnicalSurvey],
        ReleaseMethod.Reduced => [ActivityType.TechnicalSurvey],
        _ => [ActivityType.Clearance, ActivityType.BattleAreaClearance],
    };

    /// <summary>Null when <paramref name="activity"/> may release land by <paramref name="method"/>; otherwise why not.</summary>
    public static string? Refusal(ReleaseMethod method, ActivityType activity) =>
        AllowedActivities(method).Contains(activity)
            ? null
            : $"land is {SnakeCase.Of(method)} only by {string.Join(" or ", AllowedActivities(method).Select(Words))} (IMAS 07.11), not by {Words(activity)}";

    /// <summary>The activity type in words: "non-technical survey".</summary>
    public static string Words(ActivityType type) => type switch
    {
        ActivityType.NonTechnicalSurvey => "non-technical survey",
        ActivityType.EodSpotTask => "EOD spot task",
        ActivityType.QualityVisit => "QA/QC visit",
        _ => SnakeCase.Of(type).Replace('_', ' '),
    };
}
