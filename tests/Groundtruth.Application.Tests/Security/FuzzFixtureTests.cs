using Groundtruth.Application.Datasets;
using Groundtruth.Application.Import;
using Groundtruth.Application.Tests.Support;

namespace Groundtruth.Application.Tests.Security;

/// <summary>
/// Every input the mutation fuzzer (<c>Groundtruth.Benchmarks fuzz</c>) found escaping the importer with an exception
/// other than its refusal, replayed: each must now be refused (or taken), never crash. Files in tests/data/fuzz are
/// named <c>dataset-kind-hash.ext</c>, with the mapping beside them as <c>….ext.map.json</c>.
/// </summary>
public sealed class FuzzFixtureTests
{
    public static TheoryData<string> Fixtures() =>
        [.. Directory.EnumerateFiles(TestData.File("fuzz"))
            .Where(f => !f.EndsWith(".map.json", StringComparison.Ordinal) && !f.EndsWith(".md", StringComparison.Ordinal))
            .Select(f => Path.GetFileName(f))
            .Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(Fixtures))]
    public async Task Finding_IsRefusedOrTaken_NeverCrashes(string name)
    {
        var file = TestData.File(Path.Combine("fuzz", name));
        var mapping = file + ".map.json";
        var dataset = DatasetCatalog.Find(name[..name.IndexOf('-', StringComparison.Ordinal)])!;
        await using var t = await TestDatabase.CreateAsync(Backend.GeoPackage);

        try
        {
            await t.ImportAsync(dataset, file, File.Exists(mapping) ? mapping : null, dryRun: true);
        }
        catch (ImportRejectedException e)
        {
            e.Problems.ShouldNotBeEmpty();
            e.Problems.ShouldAllBe(p => p.Reason.Length > 0);
        }
    }
}
