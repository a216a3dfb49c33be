using System.Diagnostics;
using System.Globalization;
using Groundtruth.Cli.Resources;

namespace Groundtruth.Application.Tests.Cli;

/// <summary>
/// The CLI's help follows the user's language (DOTNET_CLI_UI_LANGUAGE, LC_ALL, LC_MESSAGES, LANG); what it writes
/// for scripts does not.
/// </summary>
public sealed class CliLanguageTests
{
    private static async Task<(int Code, string Out)> RunAsync(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(CliProcess.Dll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment.Remove("GROUNDTRUTH_DB");
        foreach (var name in new[] { "DOTNET_CLI_UI_LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG" }) psi.Environment.Remove(name);
        foreach (var (k, v) in environment) psi.Environment[k] = v;
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        await stderr;
        return (p.ExitCode, await stdout);
    }

    [Theory]
    [InlineData("LANG", "fr_FR.UTF-8", "Crée la base de données ou la met à niveau vers le schéma actuel (sans risque à répéter).")]
    [InlineData("LC_ALL", "ar_EG.UTF-8", "أنشئ قاعدة البيانات أو رقِّها إلى المخطط الحالي (آمن عند التكرار).")]
    [InlineData("LANG", "uk_UA.UTF-8", "Створити базу даних або оновити її до поточної схеми (безпечно повторювати).")]
    [InlineData("LANG", "C.UTF-8", "Create the database, or upgrade it to the current schema (safe to repeat).")]
    public async Task Help_describes_the_verbs_in_the_language_of_the_environment(string variable, string value, string init)
    {
        var (code, output) = await RunAsync(new Dictionary<string, string> { [variable] = value }, "--help");
        code.ShouldBe(0);
        output.ShouldContain(init);
    }

    [Fact]
    public async Task The_dotnet_CLI_language_wins_over_LANG()
    {
        var (_, output) = await RunAsync(new Dictionary<string, string> { ["LANG"] = "fr_FR.UTF-8", ["DOTNET_CLI_UI_LANGUAGE"] = "es" }, "--help");
        output.ShouldContain("Crea la base de datos o la actualiza al esquema actual");
    }

    [Fact]
    public async Task What_a_verb_writes_is_the_same_in_every_language()
    {
        var (_, english) = await RunAsync(new Dictionary<string, string> { ["LANG"] = "C.UTF-8" }, "datasets");
        var (_, french) = await RunAsync(new Dictionary<string, string> { ["LANG"] = "fr_FR.UTF-8" }, "datasets");
        english.ShouldContain("found_on");
        french.ShouldBe(english);
    }

    [Theory]
    [InlineData("fr_FR.UTF-8", null, null, "fr-FR")]
    [InlineData("C", null, null, "")]
    [InlineData("pt_BR.UTF-8", "ru_RU.UTF-8", null, "ru-RU")]
    [InlineData("fr_FR.UTF-8", "ru_RU.UTF-8", "uk", "uk")]
    [InlineData(null, null, null, "")]
    public void The_language_is_read_as_dotnet_and_POSIX_read_it(string? lang, string? lcAll, string? dotnet, string expected)
    {
        var environment = new Dictionary<string, string?> { ["LANG"] = lang, ["LC_ALL"] = lcAll, ["DOTNET_CLI_UI_LANGUAGE"] = dotnet };
        CliText.LanguageOf(n => environment.GetValueOrDefault(n)).Name.ShouldBe(expected);
    }

    [Fact]
    public void Every_verb_has_its_description_translated()
    {
        var previous = CultureInfo.CurrentUICulture;
        try
        {
            CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("ru");
            var root = Groundtruth.Cli.GroundtruthCli.Build(new Groundtruth.Cli.CliContext(TextWriter.Null, TextWriter.Null, TimeProvider.System));
            CultureInfo.CurrentUICulture = CultureInfo.InvariantCulture;
            var english = Groundtruth.Cli.GroundtruthCli.Build(new Groundtruth.Cli.CliContext(TextWriter.Null, TextWriter.Null, TimeProvider.System));
            var untranslated = root.Subcommands.Zip(english.Subcommands).Where(p => p.First.Description == p.Second.Description).Select(p => p.First.Name).ToList();
            untranslated.ShouldBeEmpty();
            root.Description.ShouldStartWith("Groundtruth: управление информацией");
        }
        finally
        {
            CultureInfo.CurrentUICulture = previous;
        }
    }
}
