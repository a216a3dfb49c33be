using System.Text;
using Groundtruth.Application.Datasets;
using Groundtruth.Application.Import;
using Groundtruth.Application.Tests.Support;

namespace Groundtruth.Application.Tests;

/// <summary>Files imported together (an accident and its casualties) are stored together or not at all; a file may come from memory.</summary>
public sealed class ImportTogetherTests
{
    private static ImportRequest FromMemory(DatasetSpec dataset, string name, string csv, bool dryRun = false) =>
        new(dataset, name, DryRun: dryRun, Actor: "test", Content: Encoding.UTF8.GetBytes(csv),
            EnteredWith: dataset == DatasetCatalog.Casualties ? new Dictionary<string, IReadOnlySet<string>> { ["accidents"] = new HashSet<string> { "AC-T" } } : null);

    private const string Accident = """
        id,occurred_on,kind,lon,lat
        AC-T,2023-02-01,mine_erw,-24.5,-31.1
        """;

    [Theory]
    [ClassData(typeof(Backends))]
    public async Task Together_ABadSecondFile_StoresNothingOfTheFirst_AndBothFilesProblemsAreNamed(Backend backend)
    {
        await using var t = await TestDatabase.CreateAsync(backend);
        var badAccident = Accident.Replace("mine_erw", "meteor", StringComparison.Ordinal);
        var badCasualty = """
            id,accident_id,outcome,age,age_group
            CA-T1,AC-T,injured,12,adult
            """;

        var e = await Should.ThrowAsync<ImportRejectedException>(() => t.Importer().HandleTogetherAsync(
            [FromMemory(DatasetCatalog.Accidents, "accidents-in-memory.csv", badAccident), FromMemory(DatasetCatalog.Casualties, "casualties-in-memory.csv", badCasualty)]));

        e.Problems.Select(p => (p.File, p.Line, p.Field)).ShouldBe([("accidents-in-memory.csv", 2, "kind"), ("casualties-in-memory.csv", 2, "age_group")]);
        File.Exists("accidents-in-memory.csv").ShouldBeFalse("the file is only a name");
        (await t.CountAsync("accidents_versions") + await t.CountAsync("casualties_versions") + await t.CountAsync("submissions")).ShouldBe(0);
    }

    [Theory]
    [ClassData(typeof(Backends))]
    public async Task Together_FromMemory_StoresBoth_OneSubmissionEach_AndADryRunNothing(Backend backend)
    {
        await using var t = await TestDatabase.CreateAsync(backend);
        var casualties = """
            id,accident_id,outcome,age
            CA-T1,AC-T,injured,12
            CA-T2,AC-T,killed,40
            """;

        var dry = await t.Importer().HandleTogetherAsync(
            [FromMemory(DatasetCatalog.Accidents, "a.csv", Accident, dryRun: true), FromMemory(DatasetCatalog.Casualties, "c.csv", casualties, dryRun: true)]);
        (await t.CountAsync("submissions")).ShouldBe(0);
        var done = await t.Importer().HandleTogetherAsync(
            [FromMemory(DatasetCatalog.Accidents, "a.csv", Accident), FromMemory(DatasetCatalog.Casualties, "c.csv", casualties)]);

        dry.Select(r => (r.Dataset, r.Inserted, r.DryRun)).ShouldBe([("accidents", 1, true), ("casualties", 2, true)]);
        done.Select(r => (r.Dataset, r.Inserted)).ShouldBe([("accidents", 1), ("casualties", 2)]);
        done[0].SubmissionId.ShouldNotBe(done[1].SubmissionId);
        (await t.CountAsync("accidents")).ShouldBe(1);
        (await t.ScalarAsync("SELECT count(*) FROM \"casualties\" WHERE \"accident_id\" = 'AC-T' AND \"age_group\" IS NOT NULL")).ShouldBe(2);
        (await t.ScalarAsync("SELECT count(*) FROM \"submissions\" WHERE \"file_name\" IN ('a.csv', 'c.csv') AND \"state\" = 'approved'")).ShouldBe(2);
        (await t.ScalarAsync("SELECT count(*) FROM \"audit_log\" WHERE \"action\" = 'import'")).ShouldBe(2);
    }
}
