using System.Globalization;
using System.Resources;
using System.Text.RegularExpressions;

namespace Groundtruth.Application.Progress;

/// <summary>
/// The stages a long computation reports (<see cref="WorkProgress.Stage"/>, written in English: the command line's
/// profile, the status API and the tests read them) in the reader's language, for the pages' progress. A fixed stage
/// is looked up by its words (<c>Resources/Messages.resx</c>, keys <c>stage.*</c>); a stage carrying a name, a count
/// or a date is a pattern whose parts are carried over unchanged; a stage no entry knows comes back as it is.
/// </summary>
public static class WorkStages
{
    private static readonly ResourceManager Resources = new("Groundtruth.Application.Resources.Messages", typeof(WorkStages).Assembly);

    private static readonly (string Key, Regex Pattern)[] Patterns =
    [
        ("stage.windows", new Regex(@"^evidence layers of (\d+) training window\(s\)$", RegexOptions.CultureInvariant)),
        ("stage.reliability", new Regex(@"^reliability of (.+)'s records$", RegexOptions.CultureInvariant)),
        ("stage.mined_areas_on", new Regex(@"^mined areas on (\S+)$", RegexOptions.CultureInvariant)),
        ("stage.history", new Regex(@"^reading (\S+) history$", RegexOptions.CultureInvariant)),
    ];

    /// <summary>The resource key of a fixed stage: <c>stage.</c> and its words joined by underscores.</summary>
    public static string KeyOf(string stage) => "stage." + Regex.Replace(stage.ToLowerInvariant(), "[^a-z0-9]+", "_").Trim('_');

    /// <summary>
    /// Everything <see cref="Localise"/> knows for <paramref name="culture"/>, for a page that follows a computation
    /// from script: each fixed stage's English words with its translation, and each pattern (a regular expression
    /// that JavaScript reads the same) with its translated sentence, <c>{0}</c>… for the parts carried over.
    /// Empty in English.
    /// </summary>
    public static (IReadOnlyDictionary<string, string> Fixed, IReadOnlyList<(string Pattern, string Text)> Patterns) Table(CultureInfo? culture = null)
    {
        var language = culture ?? CultureInfo.CurrentUICulture;
        if (language.TwoLetterISOLanguageName is "en" or "iv") return (new Dictionary<string, string>(), []);
        var fixedStages = new Dictionary<string, string>(StringComparer.Ordinal);
        var english = Resources.GetResourceSet(CultureInfo.InvariantCulture, true, true);
        if (english is not null)
            foreach (System.Collections.DictionaryEntry entry in english)
                if (entry.Key is string key && key.StartsWith("stage.", StringComparison.Ordinal) && entry.Value is string words
                    && KeyOf(words) == key && Resources.GetString(key, language) is { } text)
                    fixedStages[words] = text;
        var patterns = Patterns.Select(p => (p.Pattern.ToString(), Resources.GetString(p.Key, language) ?? "")).Where(p => p.Item2.Length > 0).ToList();
        return (fixedStages, patterns);
    }

    /// <summary><paramref name="stage"/> in <paramref name="culture"/> (default: the current UI culture).</summary>
    public static string Localise(string stage, CultureInfo? culture = null)
    {
        var language = culture ?? CultureInfo.CurrentUICulture;
        if (language.TwoLetterISOLanguageName is "en" or "iv") return stage;
        return Resources.GetString(KeyOf(stage), language) ?? Import.ImportReasons.ByPattern(Resources, Patterns, stage, language) ?? stage;
    }
}
