using System.Globalization;
using System.Resources;
using System.Text.RegularExpressions;
using Groundtruth.Analysis.Risk;
using Groundtruth.Application.Risk;
using Groundtruth.Application.Tests.Support;

namespace Groundtruth.Application.Tests.Errors;

/// <summary>
/// The application's error messages in the reader's language (pages, the CLI under LANG): each pattern is the English
/// text the code writes, every language has its sentence with the message's parts carried over unchanged; real
/// failures are translated; English and unknown messages come back word for word.
/// </summary>
public sealed class ErrorMessagesTests
{
    private static readonly string[] Translations = ["fr", "es", "pt", "ar", "uk", "ru"];

    private static readonly ResourceManager Messages = new("Groundtruth.Application.Resources.Messages", typeof(ErrorMessages).Assembly);

    /// <summary>Stand-ins for a message's parts, each found only where it was put.</summary>
    private static readonly string[] Parts = ["PartZero7", "PartOne3", "PartTwo9", "PartThree5"];

    [Fact]
    public void Each_pattern_reads_its_English_sentence_and_each_language_carries_the_parts_over()
    {
        ErrorMessages.Known.Count.ShouldBeGreaterThan(40);
        foreach (var (key, pattern) in ErrorMessages.Known)
        {
            var template = Messages.GetString(key, CultureInfo.InvariantCulture);
            template.ShouldNotBeNull(key);
            var groups = pattern.GetGroupNumbers().Length - 1;
            var english = Filled(template, pattern);
            var match = pattern.Match(english);
            match.Success.ShouldBeTrue($"{key}: the pattern {pattern} does not read its English sentence \"{english}\"");
            ErrorMessages.Known.First(k => k.Pattern.IsMatch(english)).Key.ShouldBe(key, $"another pattern reads \"{english}\" first");
            ErrorMessages.Localise(english, CultureInfo.GetCultureInfo("en")).ShouldBe(english);
            foreach (var language in Translations)
            {
                var localised = ErrorMessages.Localise(english, CultureInfo.GetCultureInfo(language));
                localised.ShouldNotBe(english, $"{language}: {key}");
                foreach (var group in match.Groups.Cast<Group>().Skip(1))
                    localised.ShouldContain(group.Value, Case.Sensitive, $"{language}: {localised}");
                Regex.Count(Messages.GetString(key, CultureInfo.GetCultureInfo(language))!, @"\{\d\}").ShouldBe(groups, $"{language}: {key}");
            }
        }
    }

    /// <summary>
    /// The template with each placeholder filled so the pattern reads it: a word where the pattern takes anything,
    /// a number or a grid size where it takes digits (every combination tried).
    /// </summary>
    private static string Filled(string template, Regex pattern)
    {
        var slots = Regex.Count(template, @"\{\d\}");
        string[] kinds = ["word", "12", "90×80"];
        for (var combination = 0; combination < Math.Pow(kinds.Length, slots); combination++)
        {
            var c = combination;
            var values = new string[slots];
            for (var i = 0; i < slots; i++, c /= kinds.Length) values[i] = kinds[c % kinds.Length] == "word" ? Parts[i] : kinds[c % kinds.Length];
            var text = Regex.Replace(template, @"\{(\d)\}", m => values[int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)]);
            if (pattern.IsMatch(text)) return text;
        }
        return template;
    }

    [Fact]
    public async Task A_real_refusal_reads_in_the_language_with_the_parameter_and_the_value_as_typed()
    {
        await using var t = await TestDatabase.CreateAsync(Backend.GeoPackage);
        var handler = new RiskHandler(t.Target, TimeProvider.System);
        var refused = await Should.ThrowAsync<InvalidRequestException>(() => handler.MapAsync(new RiskMapRequest(Path.Combine(t.Directory, "map.png"), new RiskOptions())));
        refused.Message.ShouldBe($"out: '{Path.Combine(t.Directory, "map.png")}': the map is a GeoTIFF, name it .tif");
        ErrorMessages.Localise(refused, CultureInfo.GetCultureInfo("fr")).ShouldBe($"out: « {Path.Combine(t.Directory, "map.png")} » : la carte est un GeoTIFF, nommez-la .tif");
        ErrorMessages.Localise(refused, CultureInfo.GetCultureInfo("en")).ShouldBe(refused.Message);
        // A computation's failure kept as text: "parameter: reason" is read the same way.
        ErrorMessages.Localise(refused.Message, CultureInfo.GetCultureInfo("uk")).ShouldBe($"out: «{Path.Combine(t.Directory, "map.png")}»: карта — це GeoTIFF, назвіть її .tif");

        var empty = await Should.ThrowAsync<RiskDataException>(() => handler.MapAsync(new RiskMapRequest(Path.Combine(t.Directory, "map.tif"), new RiskOptions())));
        ErrorMessages.Localise(empty, CultureInfo.GetCultureInfo("ar")).ShouldStartWith("لا توجد منطقة لرسم خريطتها");
        ErrorMessages.Localise(empty, CultureInfo.GetCultureInfo("ru")).ShouldStartWith("нет территории для карты");
    }

    [Theory]
    [InlineData("cannot train: the 42 training cell(s) are all without finds", "uk", "навчання неможливе: усі 42 навчальні комірки без знахідок")]
    [InlineData("from (2025-03-01) is after to (2024-01-01)", "es", "el inicio (2025-03-01) es posterior al fin (2024-01-01)")]
    [InlineData("cell: 90000×80000 cells is too many; choose a larger cell (Parameter 'cell')\nActual value was 1.", "fr", "cell: 90000×80000 cellules, c'est trop ; choisissez une cellule plus grande")]
    [InlineData("something no pattern knows", "ar", "something no pattern knows")]
    [InlineData("where: something no pattern knows", "uk", "where: something no pattern knows")]
    public void A_message_reads_in_the_language(string message, string language, string expected) =>
        ErrorMessages.Localise(message, CultureInfo.GetCultureInfo(language)).ShouldBe(expected);
}
