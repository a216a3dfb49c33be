using Groundtruth.Application.Demo;
using Groundtruth.Application.History;
using Groundtruth.Application.LandReleases;
using Groundtruth.Application.Tests.Demo;
using Groundtruth.Application.Tests.Support;

namespace Groundtruth.Application.Tests.LandReleases;

/// <summary>
/// The current state of hazardous areas, outputs and activities is read from the layer tables (issue 11); every
/// other point from the versions. Read at a point after every change, the versions must give exactly the same
/// rows, fields, geometries and order, on both backends.
/// </summary>
public sealed class CurrentStateTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [ClassData(typeof(Backends))]
    public async Task LayerTables_GiveWhatTheVersionsGive(Backend backend)
    {
        await using var database = await TestDatabase.CreateAsync(backend, initialise: false);
        await new DemoHandler(database.Target, new FixedClock(Now)).HandleAsync(new DemoRequest(Seed: 4, Scale: 1));
        var ct = TestContext.Current.CancellationToken;

        var typed = await LandReleaseData.LoadAsync(database.Target, HistoryPoint.Current, withPlaces: true, ct);
        var versions = await LandReleaseData.LoadAsync(database.Target, new HistoryPoint(RecordedBefore: new DateTime(2100, 1, 1, 0, 0, 0, DateTimeKind.Utc)), withPlaces: true, ct);

        typed.Hazards.Count.ShouldBeGreaterThan(10);
        typed.Releases.Count.ShouldBeGreaterThan(10);
        typed.Hazards.Count.ShouldBe(versions.Hazards.Count);
        for (var i = 0; i < typed.Hazards.Count; i++)
        {
            var (t, v) = (typed.Hazards[i], versions.Hazards[i]);
            (t with { Geometry = v.Geometry }).ShouldBe(v, t.Id);
            t.Geometry.EqualsExact(v.Geometry).ShouldBeTrue(t.Id);
        }
        typed.Releases.Count.ShouldBe(versions.Releases.Count);
        for (var i = 0; i < typed.Releases.Count; i++)
        {
            var (t, v) = (typed.Releases[i], versions.Releases[i]);
            (t with { Geometry = v.Geometry }).ShouldBe(v, t.Id);
            t.Geometry.EqualsExact(v.Geometry).ShouldBeTrue(t.Id);
        }
        typed.Activities.Keys.ShouldBe(versions.Activities.Keys);
        foreach (var (id, a) in typed.Activities) a.ShouldBe(versions.Activities[id], id);
    }
}
