using System.Globalization;
using Groundtruth.Application.Statistics;
using Groundtruth.Application.Tests.Support;

namespace Groundtruth.Application.Tests.Statistics;

/// <summary>
/// A figure's definition: in English word for word what the API and the command line have always carried (field names and
/// values as stored, ISO dates), and in each other language for the pages, with the catalogue's words and the culture's dates.
/// </summary>
public sealed class StatsDefinitionsTests
{
    private static readonly string[] Translations = ["fr", "es", "pt", "ar", "uk", "ru"];

    [Fact]
    public async Task English_is_unchanged_and_each_language_has_its_own_words()
    {
        await using var t = await StatsFixture.CreateAsync(Backend.GeoPackage);
        var r = await t.StatsAsync("casualties", "2021-01-01", "2021-06-30", where: ["status=civilian"], by: ["age_group"]);

        // The English text as the definitions read before they moved to the resource files (the API's and the CLI's).
        r.Definition.ShouldBe(
            "Casualties: people killed or injured by explosive ordnance, one record per person (a person reported by several sources is one casualty; " +
            "a person injured who later died counts once, as killed, the current version). A casualty's date and point are its own, or its accident's where it has none. " +
            "Only approved records count. " +
            "A record counts when the whole period of its occurred_on lies within 2021-01-01 to 2021-06-30 (both inclusive); " +
            "a date known only to the month or year that straddles an edge is counted beside the figure as straddling, not in it. " +
            $"Only records with status = civilian; records whose status is unknown cannot be tested and are left out ({r.Where[0].UnknownLeftOut} casualties). " +
            "Grouped by age_group: each record counts in exactly one group and the groups, unknowns included, add up to the total. " +
            "share_of_known is a group's count divided by the casualties whose age_group is known (the unknowns are reported beside it). " +
            "A child is under 18 at the date of the accident, an adult 18 or over: the age group comes from the age at the accident date, or the group recorded when the age is unknown; " +
            "a woman is female and 18 or over. The child share of civilian casualties of known age is the share of child with --where status=civilian --by age_group. " +
            "Deminers are their own group, neither civilian nor military.");
        StatsDefinitions.Describe(r, CultureInfo.GetCultureInfo("en")).ShouldBe(r.Definition);

        var french = StatsDefinitions.Describe(r, CultureInfo.GetCultureInfo("fr"));
        french.ShouldStartWith("Victimes : ");
        french.ShouldContain("entre le 01/01/2021 et le 30/06/2021");
        french.ShouldNotContain("--where");
        var ukrainian = StatsDefinitions.Describe(r, CultureInfo.GetCultureInfo("uk"));
        ukrainian.ShouldContain("з 01.01.2021 по 30.06.2021 включно");

        var english = r.Definition.Split(". ");
        foreach (var language in Translations)
        {
            var text = StatsDefinitions.Describe(r, CultureInfo.GetCultureInfo(language));
            foreach (var sentence in english) text.ShouldNotContain(sentence, Case.Sensitive, $"{language}: {text}");
            text.ShouldNotContain("age_group", Case.Sensitive, $"{language}: the field in the catalogue's words");
        }
    }

    [Fact]
    public void A_period_reads_in_the_language()
    {
        var (from, to) = (new DateOnly(2024, 1, 1), new DateOnly(2024, 12, 31));
        StatsDefinitions.Window(from, to, CultureInfo.InvariantCulture).ShouldBe("within 2024-01-01 to 2024-12-31 (both inclusive)");
        StatsDefinitions.Window(null, null, CultureInfo.InvariantCulture).ShouldBe("at any date");
        StatsDefinitions.Window(from, null, CultureInfo.GetCultureInfo("es")).ShouldBe("el 1/1/2024 o después");
        StatsDefinitions.Window(null, to, CultureInfo.GetCultureInfo("ru")).ShouldBe("31.12.2024 или раньше");
    }
}
