using Groundtruth.Application.Caching;
using Groundtruth.Application.Datasets;
using Groundtruth.Application.Records;
using Groundtruth.Application.Security;
using Groundtruth.Application.Tests.Support;
using Groundtruth.Application.Users;

namespace Groundtruth.Application.Tests.Records;

/// <summary>
/// The verdicts the web host keeps (<see cref="VerdictService"/>) when the default parameters cannot score the data:
/// the status of the failed computation tells an analyst which records, and a viewer nothing that names a record (a
/// record carrying a handling label among them); the answer given is that computation's, not a new one.
/// </summary>
public sealed class VerdictServiceTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AFailedComputation_NamesTheRefusedRecords_ToAnAnalystOnly()
    {
        await using var t = await TestDatabase.CreateAsync(Backend.GeoPackage);
        var csv = Path.Combine(t.Directory, "records.csv");
        // A labelled line record with no stated positional uncertainty: no area, so the default parameters refuse it.
        await File.WriteAllTextAsync(csv, """
            id,source,reference,laid_on,handed_over_on,declared_devices,device_models,position_uncertainty_m,handling,wkt
            MR-SECRET-7,Former Party North,MF-7,1994-11,2001-06-12,12,E-001 M,,restricted,"LINESTRING(-24.03 -31.01,-24.01 -31.01)"
            """, Ct);
        (await t.ImportAsync(DatasetCatalog.MinefieldRecords, csv)).Inserted.ShouldBe(1);
        using var versions = new DataVersion(t.Target, TimeProvider.System, TimeSpan.FromHours(1));
        var service = new VerdictService(versions, t.Target, TimeProvider.System);
        var analyst = Access.Of("a", [Roles.Analyst]);
        var viewer = Access.Of("v", [Roles.Viewer]);

        var (status, computation) = await service.BeginAsync(analyst, TimeSpan.FromSeconds(60), Ct);
        status.State.ShouldBe("failed");
        status.Error!.ShouldContain("MR-SECRET-7");
        var asViewer = await service.StatusAsync(viewer, Ct);
        asViewer.State.ShouldBe("failed");
        asViewer.Error!.ShouldNotContain("MR-SECRET-7");
        asViewer.Error!.ShouldContain("an analyst can see which");

        // The judged computation's answer: its failure, and the viewer's reason is the one without the ids.
        var refused = await Should.ThrowAsync<InvalidRequestException>(() => service.VerdictsAsync(viewer, Ct, computation));
        refused.Message.ShouldContain("MR-SECRET-7", customMessage: "the exception is the method's own; what a viewer reads is decided by FailureFor");
        VerdictService.FailureFor(viewer, refused).ShouldNotContain("MR-SECRET-7");
        VerdictService.FailureFor(analyst, refused).ShouldBe(refused.Message);
        VerdictService.FailureFor(analyst, new InvalidOperationException("/srv/secret/path.gpkg")).ShouldNotContain("/srv");
    }
}
