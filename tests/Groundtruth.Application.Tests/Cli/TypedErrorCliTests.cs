using Groundtruth.Application.Tests.Support;

namespace Groundtruth.Application.Tests.Cli;

/// <summary>Typed exceptions of the use cases become exit codes and one line naming the flag a user types (ADR 0020).</summary>
public sealed class TypedErrorCliTests
{
    [Fact]
    public async Task InvalidParameter_ExitsTwo_NamingTheFlag_WithoutAStackTrace()
    {
        await using var t = await TestDatabase.CreateAsync(Backend.GeoPackage);

        var (code, _, err) = await CliProcess.RunAsync("--db", t.FilePath!, "records", "accuracy", "--min-processed", "2");

        code.ShouldBe(2, err);
        err.ShouldContain("error: --min-processed: must be a share between 0 and 1");
        err.ShouldNotContain("Exception");
        err.ShouldNotContain(" at ");
    }

    [Fact]
    public async Task Conflict_ExitsOne()
    {
        await using var t = await TestDatabase.CreateAsync(Backend.GeoPackage);
        (await CliProcess.RunAsync("--db", t.FilePath!, "demo", "--scale", "1")).Code.ShouldBe(0);

        var (code, _, err) = await CliProcess.RunAsync("--db", t.FilePath!, "demo", "--scale", "1");

        code.ShouldBe(1, err);
        err.ShouldContain("the demo fills an empty database only");
    }
}
