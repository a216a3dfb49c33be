using System.Globalization;
using Groundtruth.Application.Statistics;
using Groundtruth.Application.Tests.Support;
using Groundtruth.Domain;

namespace Groundtruth.Application.Tests.Statistics;

/// <summary>The dashboard's programme figures (issue 13 part 6) against an independent computation over the fixture programme.</summary>
public sealed class ProgrammeFiguresTests
{
    [Theory]
    [InlineData(Backend.GeoPackage)]
    [InlineData(Backend.Postgres)]
    public async Task Figures_MatchSqlOverTheStoredData_AndTheKnownPointsOfTheFixture(Backend backend)
    {
        await using var db = await TestDatabase.CreateAsync(backend);
        await db.ImportProgrammeAsync();
        var figures = new ProgrammeFigures(db.Target);
        var snapshot = await figures.SnapshotAsync(new Groundtruth.Application.Caching.DataKey("test", 1), TestContext.Current.CancellationToken);

        // Remaining: the stored area of each open or worked-on area less the stored areas of its outputs (the fixture's
        // outputs lie inside their area and do not overlap, so the difference of polygons is the difference of areas).
        foreach (var (classification, name) in new[] { (HazardClassification.Suspected, "suspected"), (HazardClassification.Confirmed, "confirmed") })
        {
            var sql = $"""
                SELECT coalesce(sum(h.area_m2 - coalesce((SELECT sum(r.area_m2) FROM land_release r WHERE r.hazard_id = h.id), 0)), 0)
                FROM hazards h WHERE h.status IN ('open', 'worked_on') AND h.classification = '{name}'
                """;
            var expected = Convert.ToDouble(await db.ScalarDoubleAsync(sql), CultureInfo.InvariantCulture);
            var remaining = snapshot.Remaining.Single(r => r.Classification == classification);
            ((double)remaining.ResidualM2).ShouldBe(expected, Math.Max(2, expected * 1e-4), name);
            remaining.Areas.ShouldBe((int)await db.ScalarAsync($"SELECT count(*) FROM hazards WHERE status IN ('open', 'worked_on') AND classification = '{name}'"));
        }
        snapshot.Remaining.Single(r => r.Classification == HazardClassification.Confirmed).Areas.ShouldBe(1, "H3 is handed over");

        // Released in 2023 by method: the stored areas summed in SQL; nothing in 2022.
        var released = ProgrammeFigures.Released(snapshot, new DateOnly(2023, 1, 1), new DateOnly(2023, 12, 31));
        released.Reduced.ShouldBe((long)Math.Round(await db.ScalarDoubleAsync("SELECT sum(area_m2) FROM land_release WHERE method = 'reduced' AND released_on BETWEEN '2023-01-01' AND '2023-12-31'")));
        released.Cleared.ShouldBe((long)Math.Round(await db.ScalarDoubleAsync("SELECT sum(area_m2) FROM land_release WHERE method = 'cleared' AND released_on BETWEEN '2023-01-01' AND '2023-12-31'")));
        released.Cancelled.ShouldBe(0);
        released.Outputs.ShouldBe(2);
        ProgrammeFigures.Released(snapshot, new DateOnly(2022, 1, 1), new DateOnly(2022, 12, 31)).Total.ShouldBe(0);

        // AC1 and AC3 lie in H1; AC2 (-24.2, -31.3) lies in no area.
        var all = ProgrammeFigures.Outside(snapshot, null, null);
        (all.Accidents, all.Outside, all.WithoutPoint).ShouldBe((3, 1, 0));
        all.OutsideIds.ShouldBe(["AC2"]);
        ProgrammeFigures.Outside(snapshot, new DateOnly(2023, 1, 1), new DateOnly(2023, 12, 31)).Outside.ShouldBe(0);
        ProgrammeFigures.Outside(snapshot, new DateOnly(2021, 1, 1), new DateOnly(2021, 12, 31)).Outside.ShouldBe(1);
    }
}
