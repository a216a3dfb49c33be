using System.Text.RegularExpressions;
using System.Xml.Linq;
using Groundtruth.Application.Resources;

namespace Groundtruth.Application.Tests.Resources;

/// <summary>
/// Every neutral resource file of the solution (<c>X.resx</c>, whoever added it) has a translation file in each of
/// <see cref="Labels.Languages"/> (<c>X.fr.resx</c>, …) holding every key, and no key the neutral file lacks, each with text.
/// </summary>
public sealed partial class TranslationCompletenessTests
{
    [GeneratedRegex(@"^[a-z]{2,3}(-[A-Za-z]{2,4})?$")]
    private static partial Regex CultureSuffix();

    [Fact]
    public void Every_resource_key_is_translated_into_every_language()
    {
        var root = RepositoryRoot();
        var files = Directory.EnumerateFiles(root, "*.resx", SearchOption.AllDirectories)
            .Where(f => !f.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj" or ".git"))
            .ToList();
        var neutral = files.Where(f => CultureOf(f) is null).ToList();
        neutral.ShouldContain(f => f.EndsWith(Path.Combine("Resources", "Labels.resx"), StringComparison.Ordinal), "the label catalogue was not found: the scan is broken");

        var problems = new List<string>();
        foreach (var file in neutral)
        {
            var name = Path.GetRelativePath(root, file);
            var keys = Keys(file);
            foreach (var (key, text) in keys.Where(k => string.IsNullOrWhiteSpace(k.Value))) problems.Add($"{name}: '{key}' has no text");
            foreach (var language in Labels.Languages.Where(l => l != "en"))
            {
                var translated = Path.ChangeExtension(file, null) + "." + language + ".resx";
                if (!File.Exists(translated)) { problems.Add($"{name}: no {language} translation ({Path.GetFileName(translated)})"); continue; }
                var other = Keys(translated);
                foreach (var key in keys.Keys.Where(k => !other.TryGetValue(k, out var t) || string.IsNullOrWhiteSpace(t)))
                    problems.Add($"{Path.GetRelativePath(root, translated)}: '{key}' is not translated");
                foreach (var key in other.Keys.Where(k => !keys.ContainsKey(k)))
                    problems.Add($"{Path.GetRelativePath(root, translated)}: '{key}' is not in {Path.GetFileName(file)}");
            }
        }
        // A translation file with no neutral file beside it is never read.
        foreach (var file in files.Where(f => CultureOf(f) is not null))
        {
            var neutralFile = Path.ChangeExtension(Path.ChangeExtension(file, null), null) + ".resx";
            if (!File.Exists(neutralFile)) problems.Add($"{Path.GetRelativePath(root, file)}: no neutral {Path.GetFileName(neutralFile)}");
        }
        problems.ShouldBeEmpty(string.Join(Environment.NewLine, problems.Take(50)));
    }

    [Fact]
    public void The_check_sees_a_missing_key()
    {
        // The check above reads files as this does: a key removed from a copy is seen as missing.
        var file = Path.Combine(RepositoryRoot(), "src", "Groundtruth.Application", "Resources", "Labels.fr.resx");
        var document = XDocument.Load(file);
        document.Root!.Elements("data").First(e => (string?)e.Attribute("name") == "yes").Remove();
        var copy = Path.Combine(Path.GetTempPath(), $"gt-labels-{Guid.NewGuid():N}.fr.resx");
        document.Save(copy);
        try
        {
            Keys(copy).ShouldNotContainKey("yes");
            Keys(file)["yes"].ShouldBe("oui");
        }
        finally
        {
            File.Delete(copy);
        }
    }

    internal static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Groundtruth.slnx"))) return dir.FullName;
        throw new InvalidOperationException("Groundtruth.slnx not found above " + AppContext.BaseDirectory);
    }

    private static string? CultureOf(string file)
    {
        var parts = Path.GetFileNameWithoutExtension(file).Split('.');
        return parts.Length >= 2 && CultureSuffix().IsMatch(parts[^1]) ? parts[^1] : null;
    }

    private static Dictionary<string, string> Keys(string file) =>
        XDocument.Load(file).Root!.Elements("data")
            .Where(e => e.Attribute("type") is null)
            .ToDictionary(e => (string)e.Attribute("name")!, e => (string?)e.Element("value") ?? "", StringComparer.Ordinal);
}
