using System.Globalization;
using Groundtruth.Application.Datasets;
using Groundtruth.Application.Import;
using Groundtruth.Application.Tests.Support;

namespace Groundtruth.Application.Tests.Import;

/// <summary>
/// The importer's reasons in the reader's language, for the pages: the reasons a real import gives are known, translated in
/// every language with what the file held (a value, a column, the valid values) carried over; English and unknown
/// reasons come back word for word; the reasons themselves stay English for the command line and the API.
/// </summary>
public sealed class ImportReasonsTests
{
    private static readonly string[] Translations = ["fr", "es", "pt", "ar", "uk", "ru"];

    /// <summary>A file with a missing required column, an unknown column, and on its rows a bad date, a bad number, an unknown value, a bad yes/no.</summary>
    private static async Task<IReadOnlyList<ImportProblem>> ProblemsAsync()
    {
        await using var t = await TestDatabase.CreateAsync(Backend.GeoPackage);
        var path = Path.Combine(t.Directory, "finds-bad.csv");
        await File.WriteAllLinesAsync(path,
        [
            "id,found_on,category,quantity,booby_trapped,lon,lat",
            "F1,2024-13-45,anti_personnel_mine,2,true,-24.5,-30.1",
            "F2,2024-01-02,landmine,two,maybe,-24.5,-30.1",
            "F3,2024-01-02,uxo,1,false,,-30.1",
        ]);
        var e = await Should.ThrowAsync<ImportRejectedException>(() => t.ImportAsync(DatasetCatalog.Find("finds")!, path));
        return e.Problems;
    }

    [Fact]
    public async Task A_real_imports_reasons_are_all_known_and_translated_in_every_language_keeping_the_files_words()
    {
        var problems = await ProblemsAsync();
        problems.Count.ShouldBeGreaterThanOrEqualTo(4, string.Join('\n', problems));
        foreach (var p in problems)
        {
            ImportReasons.Known.ShouldContain(k => k.Pattern.IsMatch(p.Reason), $"a pattern for: {p.Reason}");
            ImportReasons.Localise(p.Reason, CultureInfo.GetCultureInfo("en")).ShouldBe(p.Reason);
            foreach (var language in Translations)
            {
                var localised = ImportReasons.Localise(p.Reason, CultureInfo.GetCultureInfo(language));
                localised.ShouldNotBe(p.Reason, $"{language}: {p.Reason}");
                // What came from the file or the catalogue (after "valid: ", inside quotes) is carried over unchanged.
                var match = ImportReasons.Known.First(k => k.Pattern.IsMatch(p.Reason)).Pattern.Match(p.Reason);
                foreach (var group in match.Groups.Cast<System.Text.RegularExpressions.Group>().Skip(1))
                    localised.ShouldContain(group.Value, Case.Sensitive, $"{language}: {localised}");
            }
        }
    }

    [Theory]
    [InlineData("unknown value; valid: anti_personnel_mine, uxo", "fr", "valeur inconnue ; valeurs valides : anti_personnel_mine, uxo")]
    [InlineData("required column 'found_on' is missing from the header", "uk", "у заголовку бракує обов'язкового стовпця «found_on»")]
    [InlineData("must be at least 0", "ar", "يجب ألّا تقل عن 0")]
    [InlineData("something no pattern knows", "ru", "something no pattern knows")]
    public void A_reason_reads_in_the_language(string reason, string language, string expected) =>
        ImportReasons.Localise(reason, CultureInfo.GetCultureInfo(language)).ShouldBe(expected);

    [Fact]
    public void Every_known_reason_has_its_words_in_every_language()
    {
        foreach (var (key, _) in ImportReasons.Known)
        {
            foreach (var language in Translations)
            {
                var manager = new System.Resources.ResourceManager("Groundtruth.Application.Resources.Messages", typeof(ImportReasons).Assembly);
                var english = manager.GetString(key, CultureInfo.InvariantCulture).ShouldNotBeNull(key);
                manager.GetString(key, CultureInfo.GetCultureInfo(language)).ShouldNotBe(english, $"{key} in {language}");
            }
        }
    }
}
