using System.Diagnostics;
using System.Globalization;
using Groundtruth.Cli.Resources;

namespace Groundtruth.Application.Tests.Cli;

/// <summary>
/// The CLI's help, its errors and an import's problems follow the user's language (DOTNET_CLI_UI_LANGUAGE, LC_ALL,
/// LC_MESSAGES, LANG); what it writes for scripts does not.
/// </summary>
public sealed class CliLanguageTests
{
    private static async Task<(int Code, string Out)> RunAsync(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var (code, output, _) = await RunWithErrorsAsync(environment, args);
        return (code, output);
    }

    private static async Task<(int Code, string Out, string Err)> RunWithErrorsAsync(IReadOnlyDictionary<string, string> environment, params string[] args)
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
        return (p.ExitCode, await stdout, await stderr);
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
    [InlineData("fr_FR.UTF-8", "/finds-bad.csv:2 : champ « found_on » valeur « 2024-13-45 » : pas une date (attendu AAAA, AAAA-MM ou AAAA-MM-JJ)",
        "/finds-bad.csv:3 : champ « category » valeur « landmine » : valeur inconnue ; valeurs valides : anti_personnel_mine,",
        "error: 2 problème(s) trouvé(s) ; rien n'a été importé.", "error: --out: « ")]
    [InlineData("uk_UA.UTF-8", "/finds-bad.csv:2: поле «found_on» значення «2024-13-45»: не дата (очікується РРРР, РРРР-ММ або РРРР-ММ-ДД)",
        "/finds-bad.csv:3: поле «category» значення «landmine»: невідоме значення; допустимі: anti_personnel_mine,",
        "error: знайдено проблем: 2; нічого не імпортовано.", "»: карта — це GeoTIFF, назвіть її .tif")]
    [InlineData("C.UTF-8", "/finds-bad.csv:2: field 'found_on' value '2024-13-45': not a date (expected YYYY, YYYY-MM or YYYY-MM-DD)",
        "/finds-bad.csv:3: field 'category' value 'landmine': unknown value; valid: anti_personnel_mine,",
        "error: 2 problem(s) found; nothing was imported.", "': the map is a GeoTIFF, name it .tif")]
    public async Task An_imports_problems_and_an_error_read_in_the_language_of_the_environment(string lang, string date, string category, string summary, string refusal)
    {
        await using var t = await Support.TestDatabase.CreateAsync(Support.Backend.GeoPackage);
        var file = Path.Combine(t.Directory, "finds-bad.csv");
        await File.WriteAllLinesAsync(file, ["id,found_on,category,lon,lat", "F1,2024-13-45,uxo,-24.5,-30.1", "F2,2024-01-02,landmine,-24.5,-30.1"]);
        var environment = new Dictionary<string, string> { ["LANG"] = lang };

        var (code, output, errors) = await RunWithErrorsAsync(environment, "--db", t.FilePath!, "import", "finds", file);
        code.ShouldBe(1, errors);
        output.ShouldBeEmpty();
        var lines = errors.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.ShouldContain(l => l == t.Directory + date, errors);
        lines.ShouldContain(l => l.StartsWith(t.Directory + category, StringComparison.Ordinal), errors);
        lines.ShouldContain(summary, errors);

        (code, _, errors) = await RunWithErrorsAsync(environment, "--db", t.FilePath!, "risk", "map", "--out", Path.Combine(t.Directory, "map.png"));
        code.ShouldBe(2, errors);
        errors.ShouldContain(refusal);
        errors.ShouldContain(Path.Combine(t.Directory, "map.png"));
    }

    [Theory]
    [InlineData("fr_FR.UTF-8", "error: --by: champ inconnu « nothing » pour finds ; champs valides : ")]
    [InlineData("uk_UA.UTF-8", "error: --by: невідоме поле «nothing» для finds; допустимі поля: ")]
    [InlineData("C.UTF-8", "error: --by: unknown field 'nothing' for finds; valid fields: ")]
    public async Task A_statistics_refusal_reads_in_the_language_with_the_typed_field_and_exit_code_2(string lang, string refusal)
    {
        await using var t = await Support.TestDatabase.CreateAsync(Support.Backend.GeoPackage);
        var (code, output, errors) = await RunWithErrorsAsync(new Dictionary<string, string> { ["LANG"] = lang }, "--db", t.FilePath!, "stats", "finds", "--by", "nothing");
        code.ShouldBe(2, errors);
        output.ShouldBeEmpty();
        errors.ShouldStartWith(refusal, Case.Sensitive);
        errors.ShouldContain("found_on", Case.Sensitive, errors);
    }

    [Fact]
    public async Task A_suggested_mappings_next_step_and_refusal_read_in_the_language_the_draft_does_not()
    {
        await using var t = await Support.TestDatabase.CreateAsync(Support.Backend.GeoPackage);
        var register = Support.TestData.File("registers/casualty-register-latin1.csv");
        var draft = Path.Combine(t.Directory, "draft.map.json");
        var environment = new Dictionary<string, string> { ["LANG"] = "uk_UA.UTF-8" };

        var (code, _, errors) = await RunWithErrorsAsync(environment, "--db", t.FilePath!, "import", "casualties", register, "--suggest-map", draft);
        code.ShouldBe(0, errors);
        errors.ShouldContain("далі: заповніть значення «", Case.Sensitive, errors);
        errors.ShouldContain("note: у «Estado» є значення без відповідника в outcome (unknown, killed, injured), їх 1: ", Case.Sensitive, errors);
        errors.ShouldContain($"потім: groundtruth import casualties {Path.GetFileName(register)} --map draft.map.json --dry-run", Case.Sensitive, errors);
        (await File.ReadAllTextAsync(draft)).ShouldBe(await File.ReadAllTextAsync(Support.TestData.File("registers/casualty-register-latin1.suggested.map.json")));

        (code, _, errors) = await RunWithErrorsAsync(environment, "--db", t.FilePath!, "import", "casualties", register, "--suggest-map", draft);
        code.ShouldBe(2, errors);
        errors.ShouldStartWith($"error: --suggest-map: {draft} уже існує: вкажіть новий шлях", Case.Sensitive, errors);
    }

    [Fact]
    public async Task A_broken_audit_chain_reads_in_the_language_with_exit_code_1()
    {
        await using var t = await Support.TestDatabase.CreateAsync(Support.Backend.GeoPackage);
        await t.ScalarAsync("UPDATE \"audit_log\" SET \"actor\" = 'someone else' WHERE \"action\" = 'init'; SELECT 1");
        var (code, output, errors) = await RunWithErrorsAsync(new Dictionary<string, string> { ["LANG"] = "uk_UA.UTF-8" }, "--db", t.FilePath!, "audit", "verify");
        code.ShouldBe(1, errors);
        output.ShouldBeEmpty();
        errors.ShouldStartWith("ланцюжок аудиту ПОРУШЕНО: запис 1 (", Case.Sensitive, errors);
        errors.ShouldContain("Z): його вміст відрізняється від записаного (хеш не збігається): запис змінено (перевірено записів до цього: 0)", Case.Sensitive, errors);
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
