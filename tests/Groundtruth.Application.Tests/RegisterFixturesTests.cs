using System.IO.Compression;
using Groundtruth.Application.Import.Readers;
using Groundtruth.Application.Tests.Support;

namespace Groundtruth.Application.Tests;

/// <summary>The committed register fixtures are what <see cref="RegisterFixtures"/> writes (set GROUNDTRUTH_WRITE_FIXTURES=1 to rewrite them).</summary>
public sealed class RegisterFixturesTests
{
    [Fact]
    public void Fixtures_HoldWhatTheGeneratorWrites()
    {
        var committed = TestData.File("registers");
        if (Environment.GetEnvironmentVariable("GROUNDTRUTH_WRITE_FIXTURES") == "1") RegisterFixtures.WriteAll(committed);
        var fresh = TestDatabase.NewDirectory();
        RegisterFixtures.WriteAll(fresh);

        var names = Directory.GetFiles(fresh).Select(Path.GetFileName).Order().ToList();
        names.Count.ShouldBe(6);
        foreach (var name in names)
        {
            var (a, b) = (Path.Combine(committed, name!), Path.Combine(fresh, name!));
            File.Exists(a).ShouldBeTrue($"{name} is missing from tests/data/registers");
            Content(a).ShouldBe(Content(b), $"{name} differs from what RegisterFixtures writes");
        }
    }

    /// <summary>A file's content without the zip container's own bytes: each sheet's cells, or each inner file's text.</summary>
    private static string Content(string path)
    {
        switch (Path.GetExtension(path))
        {
            case ".xlsx":
                using (var workbook = XlsxWorkbook.Open(path, null))
                {
                    return string.Join("\n", workbook.SheetNames.SelectMany(s => workbook.Rows(s).Select(r =>
                        s + "!" + r.Number + ": " + string.Join("|", r.Cells.OrderBy(c => c.Key).Select(c => c.Key + "=" + c.Value.Text)))));
                }
            case ".zip":
                using (var zip = ZipFile.OpenRead(path))
                {
                    return string.Join("\n", zip.Entries.Select(e => e.FullName + ":" + new StreamReader(e.Open()).ReadToEnd()));
                }
            default:
                return File.ReadAllText(path);
        }
    }
}
