using System.CommandLine;
using System.Globalization;
using System.Resources;

namespace Groundtruth.Cli.Resources;

/// <summary>
/// The command line's help in the user's language (CliText.resx and its translations): the program's and each
/// verb's description, the <c>--db</c> option, the notes it writes to standard error (<c>note.*</c>). Its messages to a
/// person on standard error (an import's problems, an error) follow the same language through the application's <c>ImportReasons</c> and <c>ErrorMessages</c>; everything
/// else it writes (figures, tables, JSON, files) stays invariant, so scripts read it the same in every language.
/// </summary>
public static class CliText
{
    private static readonly ResourceManager Resources = new("Groundtruth.Cli.Resources.CliText", typeof(CliText).Assembly);

    /// <summary>The text of <paramref name="key"/> in <see cref="CultureInfo.CurrentUICulture"/>, or null.</summary>
    public static string? Find(string key) => Resources.GetString(key, CultureInfo.CurrentUICulture);

    /// <summary>The note <paramref name="key"/> for standard error in the user's language, its values as given.</summary>
    public static string Note(string key, params object[] values) =>
        string.Format(CultureInfo.InvariantCulture, Resources.GetString(key, CultureInfo.CurrentUICulture) ?? key, values);

    /// <summary>Replaces the descriptions of <paramref name="root"/> and its verbs with the user's language where the resources have one.</summary>
    public static void Translate(RootCommand root)
    {
        root.Description = Find("root") ?? root.Description;
        foreach (var verb in root.Subcommands) verb.Description = Find("verb." + verb.Name) ?? verb.Description;
        foreach (var option in root.Options.Where(o => o.Name == "--db")) option.Description = Find("option.db") ?? option.Description;
    }

    /// <summary>
    /// The language of the help, from the environment as .NET's own tools read it: <c>DOTNET_CLI_UI_LANGUAGE</c>, then
    /// <c>LC_ALL</c>, <c>LC_MESSAGES</c>, <c>LANG</c> (<c>fr_FR.UTF-8</c> → fr); none, C or POSIX: the invariant culture (English).
    /// </summary>
    public static CultureInfo LanguageOf(Func<string, string?> environment)
    {
        foreach (var name in new[] { "DOTNET_CLI_UI_LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG" })
        {
            var value = environment(name);
            if (string.IsNullOrWhiteSpace(value)) continue;
            var tag = value.Split('.', '@')[0].Replace('_', '-');
            if (tag is "C" or "POSIX") return CultureInfo.InvariantCulture;
            try
            {
                return CultureInfo.GetCultureInfo(tag);
            }
            catch (CultureNotFoundException)
            {
                return CultureInfo.InvariantCulture;
            }
        }
        return CultureInfo.InvariantCulture;
    }
}
