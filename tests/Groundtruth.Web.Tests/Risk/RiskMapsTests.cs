using Groundtruth.Application.Risk;
using Groundtruth.Web.Apis;
using Groundtruth.Web.Tests.Records;

namespace Groundtruth.Web.Tests.Risk;

/// <summary>
/// The host's risk maps are bounded and private: a few kept (least recently used evicted, its folder deleted),
/// one computation at a time, never an older data version over a newer one, a folder only the host's user can open.
/// Real maps of the demo programme at coarse cells.
/// </summary>
public sealed class RiskMapsTests(LabelledDemoHost host) : IClassFixture<LabelledDemoHost>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private RiskMaps NewMaps(int maxMaps = 8, string? root = null) =>
        new(new RiskMapLimits(MaxMaps: maxMaps, Root: root ?? Path.Combine(host.Database.Folder, "risk-" + Guid.NewGuid().ToString("N"))));

    private Task<RiskMaps.Lease> LeaseAsync(RiskMaps maps, long version, double cell, CancellationToken? ct = null) =>
        maps.LeaseAsync(host.Database.Target, TimeProvider.System, "test", version, cell, null, ct ?? Ct);

    [Fact]
    public async Task Cap_EvictsTheLeastRecentlyUsedMap_AndDeletesItsFolder()
    {
        using var maps = NewMaps(maxMaps: 2);
        string first, second;
        using (var lease = await LeaseAsync(maps, 1, 5000)) first = lease.Output.Folder;
        using (var lease = await LeaseAsync(maps, 1, 4000)) second = lease.Output.Folder;
        using (var lease = await LeaseAsync(maps, 1, 5000)) lease.Output.Folder.ShouldBe(first, "kept, and now the most recently used");
        maps.Computed.ShouldBe(2);

        using (var lease = await LeaseAsync(maps, 1, 3000)) File.Exists(Path.Combine(lease.Output.Folder, "risk.tif")).ShouldBeTrue();

        maps.Computed.ShouldBe(3);
        maps.Kept.Count.ShouldBe(2);
        Directory.Exists(second).ShouldBeFalse("4000 m was the least recently used");
        Directory.Exists(first).ShouldBeTrue();
        Directory.EnumerateDirectories(maps.Folder).Count().ShouldBe(2);
    }

    [Fact]
    public async Task NewerVersion_ReplacesTheMap_OnlyWhenItsLastReaderLeaves_AndAnOlderRequestIsServedTheNewer()
    {
        using var maps = NewMaps();
        var old = await LeaseAsync(maps, 1, 5000);
        using var newer = await LeaseAsync(maps, 2, 5000);
        newer.Output.Folder.ShouldNotBe(old.Output.Folder);
        maps.Computed.ShouldBe(2);

        // The replaced map's files stay while a request holds them.
        await using (var stream = new FileStream(Path.Combine(old.Output.Folder, "risk.png"), FileMode.Open, FileAccess.Read))
            stream.ReadByte().ShouldBe(0x89);
        old.Dispose();
        Directory.Exists(old.Output.Folder).ShouldBeFalse();

        using var late = await LeaseAsync(maps, 1, 5000);
        late.Version.ShouldBe(2);
        late.Output.Folder.ShouldBe(newer.Output.Folder);
        maps.Computed.ShouldBe(2, "a request that read version 1 does not replace the version 2 map");
    }

    [Fact]
    public async Task Computations_RunOneAtATime_AndAnAbandonedWaiterComputesNothing()
    {
        using var maps = NewMaps();
        var hold = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var holding = maps.ExclusiveAsync(() => hold.Task, Ct);

        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var abandoned = LeaseAsync(maps, 1, 5000, cancel.Token);
        var waiting = LeaseAsync(maps, 1, 4000);
        await cancel.CancelAsync();
        await Should.ThrowAsync<OperationCanceledException>(abandoned);
        maps.Computed.ShouldBe(0, "the one computation slot is taken");

        hold.SetResult(0);
        await holding;
        using (await waiting) maps.Computed.ShouldBe(1);
        maps.Kept.Count.ShouldBe(1, "the abandoned 5000 m map was never computed");
        using (await LeaseAsync(maps, 1, 5000)) maps.Computed.ShouldBe(2);
    }

    /// <summary>
    /// A cell asked for is served the automatic map when that map chose it (the same pixels); but once the data changed and the
    /// cell's own map failed on the new data, the cell's status is that failure, not the older automatic map's "ready".
    /// </summary>
    [Fact]
    public async Task ACellsFailure_OnNewerData_IsNotHiddenByAnOlderAutomaticMapOfThatCell()
    {
        var copy = Path.Combine(host.Database.Folder, $"automatic-{Guid.NewGuid():N}.gpkg");
        File.Copy(host.Database.Path, copy);
        var target = Groundtruth.Application.Storage.DatabaseTarget.ForFile(copy);
        using var maps = NewMaps();
        using (var automatic = await maps.LeaseAsync(target, TimeProvider.System, "test", 1, RiskMapOutputs.AutomaticCell, null, Ct))
            automatic.Output.CellM.ShouldBe(100, "the demo's automatic cell");
        maps.Status(100, null).State.ShouldBe("ready", "the automatic map is the map of 100 m");
        using (var same = await maps.LeaseAsync(target, TimeProvider.System, "test", 1, 100, null, Ct))
            maps.Computed.ShouldBe(1, "served the automatic map");

        // Version 2: no finds left to learn from; the map of 100 m is asked for again and fails.
        await using (var db = target.CreateContext())
            await Microsoft.EntityFrameworkCore.RelationalDatabaseFacadeExtensions.ExecuteSqlRawAsync(db.Database, "DELETE FROM finds", Ct);
        maps.Begin(target, TimeProvider.System, "test", 2, 100, null).State.ShouldNotBe("ready");
        var state = "";
        for (var i = 0; i < 600 && state is not ("failed" or "ready"); i++)
        {
            await Task.Delay(50, Ct);
            state = maps.Status(100, null).State;
        }
        state.ShouldBe("failed");
        maps.Status(100, null).Error!.ShouldContain("cannot");
        maps.Begin(target, TimeProvider.System, "test", 2, 100, null).State.ShouldBe("failed", "not computed again on the same data");
    }

    [Fact]
    public async Task Folders_AreOwnerOnly_AndStaleOnesGoAtStartUp_AndOursAtShutdown()
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Skip("Unix file modes");
            return;
        }
        var root = Path.Combine(host.Database.Folder, "risk-" + Guid.NewGuid().ToString("N"));
        var dead = Path.Combine(root, $"{int.MaxValue}-{Guid.NewGuid():N}");
        var oldStyle = Path.Combine(root, "0123456789abcdef01234567");
        foreach (var folder in new[] { dead, oldStyle })
        {
            Directory.CreateDirectory(folder);
            await File.WriteAllTextAsync(Path.Combine(folder, "risk.top.csv"), "# RESTRICTED", Ct);
        }
        File.SetUnixFileMode(root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);

        using var running = NewMaps(root: root);
        Directory.Exists(dead).ShouldBeFalse("its process is gone");
        Directory.Exists(oldStyle).ShouldBeFalse();
        string kept;
        using (var maps = NewMaps(root: root))
        {
            Directory.Exists(running.Folder).ShouldBeTrue("a running host's maps stay");
            using var lease = await LeaseAsync(maps, 1, 5000);
            kept = lease.Output.Folder;
            foreach (var folder in new[] { root, maps.Folder, kept })
                File.GetUnixFileMode(folder).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, folder);
        }
        Directory.Exists(kept).ShouldBeFalse("removed when the host stops");
        Directory.Exists(running.Folder).ShouldBeTrue();
    }
}
