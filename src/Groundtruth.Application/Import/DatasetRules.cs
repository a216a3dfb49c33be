using Groundtruth.Analysis.Geodesy;
using Groundtruth.Application.Datasets;
using Groundtruth.Domain;

namespace Groundtruth.Application.Import;

/// <summary>What the rules need to know of the database as it stands.</summary>
internal sealed class RuleContext
{
    /// <summary>Current status of each hazardous area already in the database.</summary>
    public Dictionary<string, HazardStatus> HazardStatuses { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, HazardClassification> HazardClassifications { get; } = new(StringComparer.Ordinal);
    /// <summary>Hazardous areas with a cancellation output (non-technical survey) released since their current state was recorded: they may close straight from open.</summary>
    public HashSet<string> CancelledBySurvey { get; } = new(StringComparer.Ordinal);
    /// <summary>Type and hazardous area of each activity already in the database (for land release outputs).</summary>
    public Dictionary<string, (ActivityType Type, string? HazardId)> Activities { get; } = new(StringComparer.Ordinal);
    public bool HasPersonalDataKey { get; init; }
    /// <summary>Ids of the records read so far from the file (for references within it).</summary>
    public HashSet<string> FileIds { get; } = new(StringComparer.Ordinal);
    /// <summary>Lineage references not yet seen, resolved when the whole file is read.</summary>
    public List<(int Line, string Parent)> DeferredParents { get; } = [];
    public DateOnly Today { get; init; }
}

/// <summary>
/// Rules that span fields of one record: derived values (areas, age groups), cross-field checks
/// (dates in order, production after finding), and the domain's transition rules against the
/// database's current state. Each rule lives in the domain; this applies it to imported rows.
/// </summary>
internal static class DatasetRules
{
    public static void Apply(DatasetSpec dataset, ParsedRecord record, ProblemList problems, RuleContext context)
    {
        var v = record.Values;
        var line = record.Line;
        string? Text(string field) => v[dataset.IndexOf(field)] as string;
        PartialDate? Date(string field) => Text(field) is { } s ? PartialDate.Parse(s) : null;

        switch (dataset.Name)
        {
            case "hazards":
            {
                v[dataset.IndexOf("area_m2")] = MetricArea.SquareMetres(record.Geometry!);
                var status = SnakeCase.Parse<HazardStatus>(Text("status")!);
                if (context.HazardStatuses.TryGetValue(record.Id, out var current))
                {
                    var refusal = HazardStatusRules.Refusal(current, status, Text("status_reason"), context.CancelledBySurvey.Contains(record.Id));
                    if (refusal is not null) problems.Add(line, "status", Text("status"), refusal);
                }
                if (status == HazardStatus.HandedOver && Text("handover_certificate") is null)
                    problems.Add(line, "handover_certificate", null, "a handed-over area needs its handover certificate");
                var classification = SnakeCase.Parse<HazardClassification>(Text("classification")!);
                if (context.HazardClassifications.TryGetValue(record.Id, out var was) && HazardClassificationRules.Refusal(was, classification, Text("status_reason")) is { } downgrade)
                    problems.Add(line, "classification", Text("classification"), downgrade);
                if (Text("derived_from") is { } parents)
                {
                    foreach (var parent in parents.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    {
                        if (parent == record.Id) problems.Add(line, "derived_from", parent, "an area cannot be derived from itself");
                        else if (!context.HazardStatuses.ContainsKey(parent) && !context.FileIds.Contains(parent)) context.DeferredParents.Add((line, parent));
                    }
                }
                break;
            }
            case "land-release":
            {
                v[dataset.IndexOf("area_m2")] = MetricArea.SquareMetres(record.Geometry!);
                var activityId = Text("activity_id")!;
                if (context.Activities.TryGetValue(activityId, out var activity))
                {
                    var method = SnakeCase.Parse<ReleaseMethod>(Text("method")!);
                    if (LandReleaseRules.Refusal(method, activity.Type) is { } refusal) problems.Add(line, "method", Text("method"), refusal);
                    if (activity.HazardId is { } h && h != Text("hazard_id"))
                        problems.Add(line, "hazard_id", Text("hazard_id"), $"activity {activityId} worked on hazardous area {h}; an output belongs to the area of its activity");
                }
                break;
            }
            case "minefield-records":
                Ordered(Date("laid_on"), "laid_on", Date("handed_over_on"), "handed_over_on", line, problems);
                break;
            case "activities":
                Ordered(Date("started_on"), "started_on", Date("completed_on"), "completed_on", line, problems);
                break;
            case "finds":
            {
                if (v[dataset.IndexOf("production_year")] is int year && Date("found_on") is { } found && year > found.End.Year)
                    problems.Add(line, "production_year", year.ToString(System.Globalization.CultureInfo.InvariantCulture), $"produced after it was found ({found})");
                break;
            }
            case "casualties":
                Casualty(dataset, record, problems, context);
                break;
        }
    }

    private static void Casualty(DatasetSpec dataset, ParsedRecord record, ProblemList problems, RuleContext context)
    {
        var v = record.Values;
        var line = record.Line;
        var ageIndex = dataset.IndexOf("age");
        var groupIndex = dataset.IndexOf("age_group");
        var occurred = v[dataset.IndexOf("occurred_on")] is string o ? PartialDate.Parse(o) : (PartialDate?)null;
        if (v[dataset.IndexOf("accident_id")] is null && occurred is null)
            problems.Add(line, "occurred_on", null, "a casualty without accident_id needs occurred_on");
        var birth = v[dataset.IndexOf("date_of_birth")] is string b ? PartialDate.Parse(b) : (PartialDate?)null;
        var age = v[ageIndex] as int?;
        if (birth is { } dob && occurred is { } on && CasualtyAge.AgeAt(dob, on) is { } computed)
        {
            if (age is null) v[ageIndex] = age = computed;
            else if (age != computed) problems.Add(line, "age", age.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), $"the date of birth gives {computed} at the accident date");
        }
        var recorded = v[groupIndex] is string g ? SnakeCase.Parse<AgeGroup>(g) : AgeGroup.Unknown;
        if (age is { } a && recorded != AgeGroup.Unknown && CasualtyAge.GroupOf(a) != recorded)
            problems.Add(line, "age_group", SnakeCase.Of(recorded), $"age {a} makes the casualty {SnakeCase.Of(CasualtyAge.GroupOf(a))} (a child is under {CasualtyAge.AdultAge})");
        v[groupIndex] = SnakeCase.Of(CasualtyAge.Resolve(age, recorded));
        var hasPersonal = dataset.Fields.Where(f => f.Personal).Any(f => v[dataset.IndexOf(f.Name)] is not null);
        if (hasPersonal && !context.HasPersonalDataKey)
            problems.Add(line, "name", null, "personal data (name, date_of_birth, injuries) needs a key to be stored encrypted: set GROUNDTRUTH_PERSONAL_DATA_KEY or GROUNDTRUTH_KEY_FILE (docs/personal-data.md)");
    }

    private static void Ordered(PartialDate? first, string firstName, PartialDate? second, string secondName, int line, ProblemList problems)
    {
        if (first is { } a && second is { } b && a.Start > b.End)
            problems.Add(line, secondName, b.ToString(), $"{secondName} is before {firstName} ({a})");
    }
}
