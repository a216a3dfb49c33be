using System.Net;
using Groundtruth.Application.Users;

namespace Groundtruth.Web.Tests.Records;

/// <summary>Changes the process's TMPDIR, so it runs alone, after the tests that run in parallel.</summary>
[CollectionDefinition(DisableParallelization = true)]
public sealed class TemporaryFolderCollection;

/// <summary>An accident with a casualty's personal data is entered without writing it to a temporary file.</summary>
[Collection(typeof(TemporaryFolderCollection))]
public sealed class EntryPersonalDataOnDiskTests(EntryHost host) : IClassFixture<EntryHost>
{
    [Fact]
    public async Task Entry_WithPersonalData_WritesNoTemporaryFile()
    {
        using var recorder = await host.Factory.ClientAsAsync(EntryHost.Recorder);
        // TMPDIR names a path under a regular file: nothing can be created there, not even by root.
        var blocker = Path.Combine(host.Database.Folder, "not-a-folder");
        await File.WriteAllTextAsync(blocker, "", TestContext.Current.CancellationToken);
        var before = Environment.GetEnvironmentVariable("TMPDIR");
        Environment.SetEnvironmentVariable("TMPDIR", Path.Combine(blocker, "tmp"));
        (HttpStatusCode Status, System.Text.Json.Nodes.JsonNode? Body) entered;
        try
        {
            Should.Throw<IOException>(() => Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "probe")), "the temporary folder is unusable");
            entered = await RecordsApiTests.PostAsync(recorder, "accidents", new
            {
                id = "AC-D1", occurred_on = "2022-05-04", kind = "mine_erw", lon = -24.21, lat = -31.21,
                casualties = new object[] { new { id = "AC-D1-1", outcome = "injured", name = "Fictional Person Ilse", injuries = "fictional burns" } },
            });
        }
        finally
        {
            Environment.SetEnvironmentVariable("TMPDIR", before);
        }

        entered.Status.ShouldBe(HttpStatusCode.Created, entered.Body?.ToJsonString());
        using var keeper = await host.Factory.ClientAsAsync(TestUsers.Keeper);
        (await keeper.GetStringAsync("/api/casualties/AC-D1-1/personal-data", TestContext.Current.CancellationToken)).ShouldContain("Fictional Person Ilse");
    }
}
