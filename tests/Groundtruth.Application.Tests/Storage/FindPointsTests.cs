using Groundtruth.Application.Demo;
using Groundtruth.Application.History;
using Groundtruth.Application.Datasets;
using Groundtruth.Application.Storage;
using Groundtruth.Application.Tests.Demo;
using Groundtruth.Application.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Groundtruth.Application.Tests.Storage;

/// <summary>
/// <see cref="FindPoints.ReadAsync"/> and <see cref="AccidentPoints.ReadAsync"/> read without EF's materialisation: it must give exactly the rows, in the
/// order, that the typed EF query gives — on both backends, now and through a history shadow table.
/// </summary>
public sealed class FindPointsTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [ClassData(typeof(Backends))]
    public async Task Rows_EqualTheTypedQuery_NowAndInThePast(Backend backend)
    {
        await using var database = await TestDatabase.CreateAsync(backend, initialise: false);
        await new DemoHandler(database.Target, new FixedClock(Now)).HandleAsync(new DemoRequest(Seed: 3, Scale: 1));
        var ct = TestContext.Current.CancellationToken;
        foreach (var point in new[] { HistoryPoint.Current, new HistoryPoint(AsOf: new DateOnly(2019, 6, 30)) })
        {
            await using var db = database.Target.CreateContext();
            await HistoryScope.ShadowAsync(db, point, [DatasetCatalog.Finds], ct);
            var expected = (await FindPoints.Query(db).ToListAsync(ct)).Where(r => r.Lon is not null).ToList();
            var fast = await FindPoints.ReadAsync(db, ct);

            expected.Count.ShouldBeGreaterThan(100, $"finds {point}");
            fast.Count.ShouldBe(expected.Count, $"finds {point}");
            for (var i = 0; i < fast.Count; i++)
            {
                var (f, e) = (fast[i], expected[i]);
                (f.Id, f.Lon, f.Lat, f.Quantity, f.Category, f.Emplacement, f.FoundOn)
                    .ShouldBe((e.Id, e.Lon!.Value, e.Lat!.Value, e.Quantity, e.Category, e.Emplacement, e.FoundOn), $"row {i} {point}");
            }
        }
    }

    [Theory]
    [ClassData(typeof(Backends))]
    public async Task Accidents_EqualTheTypedQuery_NowAndInThePast(Backend backend)
    {
        await using var database = await TestDatabase.CreateAsync(backend, initialise: false);
        await new DemoHandler(database.Target, new FixedClock(Now)).HandleAsync(new DemoRequest(Seed: 3, Scale: 1));
        var ct = TestContext.Current.CancellationToken;
        foreach (var point in new[] { HistoryPoint.Current, new HistoryPoint(AsOf: new DateOnly(2019, 6, 30)) })
        {
            await using var db = database.Target.CreateContext();
            await HistoryScope.ShadowAsync(db, point, [DatasetCatalog.Accidents], ct);
            var expected = (await AccidentPoints.Query(db).ToListAsync(ct)).Where(r => r.Lon is not null).ToList();
            var fast = await AccidentPoints.ReadAsync(db, ct);

            expected.Count.ShouldBeGreaterThan(100, $"accidents {point}");
            expected.ShouldContain(e => e.DeviceCategory == null, "some accidents have no device category");
            expected.ShouldContain(e => e.LocationAccuracyM != null, "some accidents have a location accuracy");
            fast.Count.ShouldBe(expected.Count, $"accidents {point}");
            for (var i = 0; i < fast.Count; i++)
            {
                var (f, e) = (fast[i], expected[i]);
                (f.Id, f.Lon, f.Lat, f.Kind, f.DeviceCategory, f.OccurredOn, f.LocationAccuracyM)
                    .ShouldBe((e.Id, e.Lon!.Value, e.Lat!.Value, e.Kind, e.DeviceCategory, e.OccurredOn, e.LocationAccuracyM), $"row {i} {point}");
            }
        }
    }

    [Theory]
    [ClassData(typeof(Backends))]
    public async Task ReadBeside_OnItsOwnConnection_GivesTheSameRows_WhileThisConnectionReads(Backend backend)
    {
        await using var database = await TestDatabase.CreateAsync(backend, initialise: false);
        await new DemoHandler(database.Target, new FixedClock(Now)).HandleAsync(new DemoRequest(Seed: 3, Scale: 1));
        var ct = TestContext.Current.CancellationToken;
        await using var db = database.Target.CreateContext();
        await db.Database.OpenConnectionAsync(ct);

        var beside = db.ReadBesideAsync(other => FindPoints.ReadAsync(other, ct), ct);
        var here = await FindPoints.ReadAsync(db, ct);
        var there = await beside;

        here.Count.ShouldBeGreaterThan(100);
        there.ShouldBe(here, "the sibling context reads the same database");
    }

    [Theory]
    [ClassData(typeof(Backends))]
    public async Task ReadBeside_InHalves_GivesEveryRowInTheOrderOfOneRead_AfterDeletesLeaveGapsInTheFeatureIds(Backend backend)
    {
        await using var database = await TestDatabase.CreateAsync(backend, initialise: false);
        await new DemoHandler(database.Target, new FixedClock(Now)).HandleAsync(new DemoRequest(Seed: 3, Scale: 1));
        var ct = TestContext.Current.CancellationToken;
        await using var db = database.Target.CreateContext();
        // Gaps at the start and around the middle of the ids: the halves are cut at half the largest id, not half the rows.
        var ids = await db.Finds.OrderBy(f => f.Id).Select(f => f.Id).ToListAsync(ct);
        var gone = ids.Take(ids.Count / 5).Concat(ids.Skip(ids.Count / 2).Take(ids.Count / 10)).ToList();
        await db.Finds.Where(f => gone.Contains(f.Id)).ExecuteDeleteAsync(ct);
        await db.Database.OpenConnectionAsync(ct);

        var beside = FindPoints.ReadBesideAsync(db, ct);
        var here = await FindPoints.ReadAsync(db, ct);
        var halves = await beside;

        here.Count.ShouldBeGreaterThan(100);
        here.Count.ShouldBeLessThanOrEqualTo(ids.Count - gone.Count, "the deleted rows are gone");
        halves.ShouldBe(here, "both halves, lower then upper, are the rows of one read in its order");
        halves.Select(f => f.Id).ShouldNotContain(gone[0]);
    }
}
