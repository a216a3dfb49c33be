using System.Globalization;
using System.Text;
using Groundtruth.Analysis.Statistics;
using Groundtruth.Application.Datasets;

namespace Groundtruth.Application.Statistics;

/// <summary>The definition of a figure in words, printed under the table and carried in the JSON's <c>definition</c>.</summary>
/// <remarks>Casualty figures follow the Landmine Monitor conventions (DESIGN section 3); docs/statistics.md is the reference.</remarks>
public static class StatsDefinitions
{
    public static string Describe(StatsReport report)
    {
        var sb = new StringBuilder();
        var d = report.Dataset;
        var unit = report.CountsDevices ? "devices" : d.Name;
        if (d == DatasetCatalog.Casualties)
            sb.Append("Casualties: people killed or injured by explosive ordnance, one record per person (a person reported by several sources is one casualty; a person injured who later died counts once, as killed, the current version). " +
                      "A casualty's date and point are its own, or its accident's where it has none. ");
        else if (d == DatasetCatalog.Finds)
            sb.Append("Finds: explosive ordnance found, counted in devices (the sum of quantity); 'records' counts the find records. " +
                      "Cached devices (emplacement cached: a depot, not laid) are included; --where emplacement=emplaced counts devices found laid. ");
        else
            sb.Append("Accidents: unplanned explosive events (IMAS 10.60), mine/ERW and demining, including those that hurt nobody (a vehicle on an anti-vehicle mine); one record per event. ");
        sb.Append(report.IncludesPending
            ? "Approved records and records of submissions still waiting for approval count (includes pending data: a pending record counts under the id it was submitted with, replacing an approved record of that id as an update would; the approver may still reconcile it otherwise or reject it). "
            : "Only approved records count. ");

        var dateField = StatsFields.DateField(d);
        if (report.From is not null || report.To is not null)
        {
            sb.Append(CultureInfo.InvariantCulture, $"A record counts when the whole period of its {dateField} lies {Window(report.From, report.To)}; ");
            sb.Append("a date known only to the month or year that straddles an edge is counted beside the figure as straddling, not in it. ");
        }
        foreach (var w in report.Where)
        {
            sb.Append(CultureInfo.InvariantCulture, $"Only records with {w.Field} = {w.Value}");
            sb.Append(w.Value == StatsColumn.Unknown ? ". " : $"; records whose {w.Field} is unknown cannot be tested and are left out ({Figure(w.UnknownLeftOut)} {unit}). ");
        }
        if (report.In is { } place)
            sb.Append(CultureInfo.InvariantCulture, $"Only records whose point lies in {place.Name} ({place.Id}, {place.Kind}): covered by its boundary polygon, a point on the boundary counting as inside; records with no point are left out. ");
        if (report.By.Count > 0)
        {
            var fields = string.Join(" and ", report.By);
            sb.Append(CultureInfo.InvariantCulture, $"Grouped by {fields}: each record counts in exactly one group and the groups, unknowns included, add up to the total. ");
            sb.Append(CultureInfo.InvariantCulture, $"share_of_known is a group's count divided by the {unit} whose {fields} {(report.By.Count > 1 ? "are all" : "is")} known (the unknowns are reported beside it). ");
            if (report.By.Contains("place"))
                sb.Append("place is each record's assigned location: the smallest gazetteer place whose polygon covers its point (ties to the lowest id), unknown when the point lies outside every place or is missing. ");
            if (report.By.Contains("month"))
                sb.Append("month is unknown for dates known only to the year. ");
        }
        if (d == DatasetCatalog.Casualties && (report.By.Contains("age_group") || report.Where.Any(w => w.Field == "age_group")))
            sb.Append("A child is under 18 at the date of the accident, an adult 18 or over: the age group comes from the age at the accident date, or the group recorded when the age is unknown; a woman is female and 18 or over. " +
                      "The child share of civilian casualties of known age is the share of child with --where status=civilian --by age_group. ");
        if (d == DatasetCatalog.Casualties && (report.By.Contains("status") || report.Where.Any(w => w.Field == "status")))
            sb.Append("Deminers are their own group, neither civilian nor military. ");
        if (report.Figures.SmallCellsSuppressed)
            sb.Append(CultureInfo.InvariantCulture, $"Viewer mode: figures from 1 to {StatsEngine.SmallCell - 1} are suppressed (null, marked suppressed) so individuals cannot be singled out; where one hidden group could be recovered from the total, the next smallest is hidden too. ");
        return sb.ToString().TrimEnd();
    }

    public static string Window(DateOnly? from, DateOnly? to) => (from, to) switch
    {
        ({ } f, { } t) => string.Create(CultureInfo.InvariantCulture, $"within {f:yyyy-MM-dd} to {t:yyyy-MM-dd} (both inclusive)"),
        ({ } f, null) => string.Create(CultureInfo.InvariantCulture, $"on or after {f:yyyy-MM-dd}"),
        (null, { } t) => string.Create(CultureInfo.InvariantCulture, $"on or before {t:yyyy-MM-dd}"),
        _ => "at any date",
    };

    private static string Figure(long? value) => value?.ToString(CultureInfo.InvariantCulture) ?? $"fewer than {StatsEngine.SmallCell}";
}
