using Groundtruth.Application.Security;
using Groundtruth.Cli;

namespace Groundtruth.Application.Tests.Demo;

/// <summary><c>groundtruth demo</c> as a user runs it: into a database, or only writing files with <c>--out</c>.</summary>
public sealed class DemoCommandTests
{
    private static async Task<(int Code, string Out, string Err)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await GroundtruthCli.RunAsync(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Out_WritesOneFilePerDataset_AndTouchesNoDatabase()
    {
        var dir = DemoCsv.NewDirectory();
        try
        {
            var (code, output, error) = await RunAsync("--db", Path.Combine(dir, "untouched.gpkg"), "demo", "--seed", "4", "--out", Path.Combine(dir, "files"));
            code.ShouldBe(0, error);
            output.Split('\n').Count(l => l.Contains("record(s) written to", StringComparison.Ordinal)).ShouldBe(11);
            File.Exists(Path.Combine(dir, "files", "hazards-initial.csv")).ShouldBeTrue();
            File.Exists(Path.Combine(dir, "files", "land-release.csv")).ShouldBeTrue();
            DemoCsv.Header(Path.Combine(dir, "files", "casualties.csv")).ShouldNotContain("name");
            File.Exists(Path.Combine(dir, "untouched.gpkg")).ShouldBeFalse();
        }
        finally
        {
            DemoCsv.Delete(dir);
        }
    }

    [Fact]
    public async Task IntoADatabase_PrintsOneLinePerImport_ThenRefusesToRunTwice()
    {
        var dir = DemoCsv.NewDirectory();
        try
        {
            var db = Path.Combine(dir, "demo.gpkg");
            var (code, output, error) = await RunAsync("--db", db, "demo");
            code.ShouldBe(0, error);
            output.Split('\n').Count(l => l.Contains("record(s) imported", StringComparison.Ordinal)).ShouldBe(11);
            output.ShouldContain("hazards (earlier state): 40 record(s) imported");
            if (Environment.GetEnvironmentVariable(PersonalDataProtector.KeyVariable) is null && Environment.GetEnvironmentVariable(PersonalDataProtector.KeyFileVariable) is null)
            {
                output.ShouldContain(db + ".key");
                File.Exists(db + ".key").ShouldBeTrue();
            }
            var (again, _, err) = await RunAsync("--db", db, "demo");
            again.ShouldBe(ExitCodes.BadData);
            err.ShouldContain("empty database");
        }
        finally
        {
            DemoCsv.Delete(dir);
        }
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-3")]
    [InlineData("many")]
    public async Task BadScale_ExitsTwo(string scale)
    {
        var (code, _, error) = await RunAsync("demo", "--scale", scale, "--out", Path.Combine(Path.GetTempPath(), "groundtruth-tests", "never"));
        code.ShouldBe(ExitCodes.BadArguments);
        error.ShouldNotContain("   at ");
    }

    [Fact]
    public async Task PersonalDataWithoutOut_ExitsTwo()
    {
        var dir = DemoCsv.NewDirectory();
        try
        {
            var (code, _, error) = await RunAsync("--db", Path.Combine(dir, "x.gpkg"), "demo", "--personal-data");
            code.ShouldBe(ExitCodes.BadArguments);
            error.ShouldContain("--out");
            File.Exists(Path.Combine(dir, "x.gpkg")).ShouldBeFalse();
        }
        finally
        {
            DemoCsv.Delete(dir);
        }
    }

    [Fact]
    public async Task Help_DescribesEveryOption()
    {
        var (code, output, _) = await RunAsync("demo", "--help");
        code.ShouldBe(0);
        foreach (var option in new[] { "--seed", "--scale", "--out", "--personal-data", "--db" }) output.ShouldContain(option);
    }
}
