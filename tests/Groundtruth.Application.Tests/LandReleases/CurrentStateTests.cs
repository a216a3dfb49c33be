using Groundtruth.Analysis.LandReleases;
using Groundtruth.Application.Demo;
using Groundtruth.Application.History;
using Groundtruth.Application.LandReleases;
using Groundtruth.Application.Tests.Demo;
using Groundtruth.Application.Tests.Support;
using Groundtruth.Domain;

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

    [Theory]
    [ClassData(typeof(Backends))]
    public async Task ScopedReadings_GiveTheSameSumsAndResiduals_FromLessData(Backend backend)
    {
        await using var database = await TestDatabase.CreateAsync(backend, initialise: false);
        await new DemoHandler(database.Target, new FixedClock(Now)).HandleAsync(new DemoRequest(Seed: 4, Scale: 1));
        var ct = TestContext.Current.CancellationToken;
        var point = HistoryPoint.Current;
        var at = Now.UtcDateTime;
        var all = await LandReleaseData.LoadAsync(database.Target, point, withPlaces: true, ct);

        // The sums of land-release, every grouping and productivity, with and without a window.
        foreach (var by in Enum.GetValues<ReleaseGrouping>())
        {
            var scoped = await LandReleaseData.LoadAsync(database.Target, point, by == ReleaseGrouping.Place, LandReleaseScope.ForSums(by, false), null, ct);
            scoped.Hazards.ShouldBeEmpty();
            scoped.Releases.Count.ShouldBe(all.Releases.Count, by.ToString());
            // Windows through the data: the whole, a year from the middle, from the middle of that year on (partial dates straddle it).
            var year = all.Releases.Select(r => r.ReleasedOn.Year).Order().ElementAt(all.Releases.Count / 2);
            foreach (var (from, to) in new (DateOnly?, DateOnly?)[] { (null, null), (new(year, 1, 1), new(year, 12, 31)), (new(year, 6, 15), null) })
            {
                var expected = LandReleaseAccounting.Summarise(all.Releases, from, to, LandReleaseReports.GroupKey(by));
                var actual = LandReleaseAccounting.Summarise(scoped.Releases, from, to, LandReleaseReports.GroupKey(by));
                expected.Count.ShouldBeGreaterThan(0);
                LandReleaseReports.ReleaseJson(actual, by, point, from, to, at).ShouldBe(LandReleaseReports.ReleaseJson(expected, by, point, from, to, at), by.ToString());
                LandReleaseReports.ReleaseCsv(actual, by).ShouldBe(LandReleaseReports.ReleaseCsv(expected, by), by.ToString());
            }
        }
        var productivity = await LandReleaseData.LoadAsync(database.Target, point, false, LandReleaseScope.ForSums(ReleaseGrouping.None, true), null, ct);
        var rows = LandReleaseAccounting.ProductivityBy(productivity.Releases, productivity.Activities);
        rows.ShouldNotBeEmpty();
        LandReleaseReports.ProductivityJson(rows, point, at).ShouldBe(LandReleaseReports.ProductivityJson(LandReleaseAccounting.ProductivityBy(all.Releases, all.Activities), point, at));

        // The residuals of hazards: the open areas (and, with --all, every area) and their outputs only.
        HazardStatus[] open = [HazardStatus.Open, HazardStatus.WorkedOn];
        foreach (var statuses in new[] { open, null })
        {
            var scoped = await LandReleaseData.LoadAsync(database.Target, point, true, LandReleaseScope.ForResiduals(statuses), null, ct);
            var listed = all.Hazards.Where(h => statuses is null || statuses.Contains(h.Status)).ToList();
            scoped.Hazards.Select(h => h.Id).ShouldBe(listed.Select(h => h.Id));
            scoped.Releases.Select(r => r.Id).ShouldBe(all.Releases.Where(r => listed.Any(h => h.Id == r.HazardId)).Select(r => r.Id));
            if (statuses is not null)
            {
                scoped.Hazards.Count.ShouldBeLessThan(all.Hazards.Count, "some areas are closed");
                scoped.Releases.Count.ShouldBeLessThan(all.Releases.Count, "closed areas have outputs");
            }
            var expected = LandReleaseAccounting.Residuals(listed, all.Releases);
            var actual = LandReleaseAccounting.Residuals(scoped.Hazards, scoped.Releases);
            expected.Count.ShouldBeGreaterThan(10);
            LandReleaseReports.HazardsJson(actual, point, at).ShouldBe(LandReleaseReports.HazardsJson(expected, point, at));
            LandReleaseReports.HazardsGeoJson(actual).ShouldBe(LandReleaseReports.HazardsGeoJson(expected));
            LandReleaseReports.HazardsCsv(actual).ShouldBe(LandReleaseReports.HazardsCsv(expected));
        }
    }
}
