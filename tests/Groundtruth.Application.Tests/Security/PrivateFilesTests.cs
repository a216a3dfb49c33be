using Groundtruth.Application.Admin;
using Groundtruth.Application.Datasets;
using Groundtruth.Application.Storage;
using Groundtruth.Application.Tests.Support;

namespace Groundtruth.Application.Tests.Security;

/// <summary>Programme data on disk is the running user's alone: private folders with unguessable names, files 0600.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class PrivateFilesTests
{
    private const UnixFileMode Folder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode File600 = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    [Fact]
    public void TemporaryFolder_IsPrivate_AndNamedAnew_EachTime()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "Unix file modes");
        var first = PrivateFiles.CreateTemporaryFolder("groundtruth-test-");
        var second = PrivateFiles.CreateTemporaryFolder("groundtruth-test-");
        try
        {
            first.ShouldNotBe(second);
            Path.GetFileName(first).Length.ShouldBeGreaterThan("groundtruth-test-".Length + 4, "a random part follows the prefix");
            File.GetUnixFileMode(first).ShouldBe(Folder);
            var file = Path.Combine(first, "upload.csv");
            using (var stream = PrivateFiles.Create(file)) stream.WriteByte(1);
            File.GetUnixFileMode(file).ShouldBe(File600);
        }
        finally
        {
            Directory.Delete(first, recursive: true);
            Directory.Delete(second, recursive: true);
        }
    }

    [Fact]
    public async Task Init_CreatesTheGeoPackage0600_AndSoItsJournal()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "Unix file modes");
        var directory = TestDatabase.NewDirectory();
        var path = Path.Combine(directory, "private.gpkg");
        var target = DatabaseTarget.ForFile(path);
        await new InitHandler(target, TimeProvider.System).HandleAsync("test", TestContext.Current.CancellationToken);

        File.GetUnixFileMode(path).ShouldBe(File600);
        var csv = Path.Combine(directory, "places.csv");
        await File.WriteAllTextAsync(csv, "id,name,kind,lon,lat\nP1,Somewhere,village,-24.5,-31.1\n", TestContext.Current.CancellationToken);
        (await new Application.Import.ImportHandler(target, TimeProvider.System).HandleAsync(new Application.Import.ImportRequest(DatasetCatalog.Places, csv), ct: TestContext.Current.CancellationToken)).Inserted.ShouldBe(1);
        foreach (var beside in Directory.EnumerateFiles(directory, "private.gpkg*"))
            File.GetUnixFileMode(beside).ShouldBe(File600, beside);
    }
}
