using Groundtruth.Application.Tests.Support;

namespace Groundtruth.Application.Tests.Cli;

/// <summary><c>import --suggest-map</c> in its plainest form: writes the draft, says what it found and what to fill in, imports nothing.</summary>
public sealed class SuggestMapCliTests
{
    [Fact]
    public async Task SuggestMap_WritesTheDraft_ImportsNothing_AndNeverOverwrites()
    {
        await using var t = await TestDatabase.CreateAsync(Backend.GeoPackage);
        var register = TestData.File("registers/casualty-register-latin1.csv");
        var draft = Path.Combine(t.Directory, "draft.map.json");
        var before = await t.FingerprintAsync();

        var (code, output, error) = await CliProcess.RunAsync("--db", t.FilePath!, "import", "casualties", register, "--suggest-map", draft);
        code.ShouldBe(0, error);
        output.ShouldContain("10 of 11 matched");
        output.ShouldContain("encoding windows-1252 (detected), delimiter ';'");
        output.ShouldContain("nothing was imported");
        error.ShouldContain("(Desaparecido)");
        error.ShouldContain("--map draft.map.json --dry-run");
        (await File.ReadAllTextAsync(draft)).ShouldBe(await File.ReadAllTextAsync(TestData.File("registers/casualty-register-latin1.suggested.map.json")));
        (await t.FingerprintAsync()).ShouldBe(before);

        var (again, _, refusal) = await CliProcess.RunAsync("--db", t.FilePath!, "import", "casualties", register, "--suggest-map", draft);
        again.ShouldBe(2);
        refusal.ShouldContain("exists");

        var (help, text, _) = await CliProcess.RunAsync("import", "--help");
        help.ShouldBe(0);
        text.ShouldContain("--suggest-map");
    }
}
