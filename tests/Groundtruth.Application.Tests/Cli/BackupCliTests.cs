using Groundtruth.Application.Tests.Support;

namespace Groundtruth.Application.Tests.Cli;

/// <summary><c>audit verify</c>, <c>backup</c> and <c>restore</c> as a user runs them: output, exit codes, refusals.</summary>
public sealed class BackupCliTests
{
    [Fact]
    public async Task AuditVerify_ExitsZero_ThenOne_NamingTheEditedEntry()
    {
        await using var t = await TestDatabase.CreateAsync(Backend.GeoPackage);
        await t.ImportAsync(Datasets.DatasetCatalog.Places, TestData.Programme("places.csv"));
        var (code, output, err) = await CliProcess.RunAsync("--db", t.FilePath!, "audit", "verify");
        code.ShouldBe(0, err);
        output.ShouldContain("audit chain OK: 2 entries");

        await t.ScalarAsync("UPDATE \"audit_log\" SET \"actor\" = 'someone else' WHERE \"action\" = 'init'; SELECT 1");
        (code, _, err) = await CliProcess.RunAsync("--db", t.FilePath!, "audit", "verify");
        code.ShouldBe(1);
        err.ShouldContain("BROKEN at entry 1 (");
        err.ShouldContain("edited");
    }

    [Fact]
    public async Task BackupAndRestore_PlainForms_AndTheirRefusals()
    {
        await using var t = await TestDatabase.CreateAsync(Backend.GeoPackage);
        var backup = Path.Combine(t.Directory, "copy.gpkg");
        (await CliProcess.RunAsync("--db", t.FilePath!, "backup")).Code.ShouldBe(2, "--out is required");

        var (code, output, err) = await CliProcess.RunAsync("--db", t.FilePath!, "backup", "--out", backup);
        code.ShouldBe(0, err);
        output.ShouldContain("backup written");
        output.ShouldContain("audit chain OK: 1 entries");
        (await CliProcess.RunAsync("--db", t.FilePath!, "backup", "--out", backup)).Code.ShouldBe(2, "a backup never overwrites");

        var target = Path.Combine(t.Directory, "restored.gpkg");
        (code, output, err) = await CliProcess.RunAsync("--db", target, "restore", backup);
        code.ShouldBe(0, err);
        output.ShouldContain("audit chain OK: 1 entries");
        (code, _, err) = await CliProcess.RunAsync("--db", target, "restore", backup);
        code.ShouldBe(2);
        err.ShouldContain("--force");
        (await CliProcess.RunAsync("--db", target, "restore", backup, "--force")).Code.ShouldBe(0);
        (await CliProcess.RunAsync("--db", target, "restore", Path.Combine(t.Directory, "missing.gpkg"))).Code.ShouldBe(2);
    }
}
