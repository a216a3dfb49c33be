using Groundtruth.Analysis.Statistics;

namespace Groundtruth.Analysis.Tests.Statistics;

/// <summary>
/// <see cref="QualityRules.DuplicateFinds"/> searches a grid; every pair compared directly must give the same groups:
/// finds of one category, model and quantity within 2 m and 30 days of each other, joined transitively.
/// </summary>
public sealed class DuplicateFindsTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Groups_EqualEveryPairComparedDirectly(int seed)
    {
        var random = new Random(seed);
        string[] categories = ["anti_personnel_mine", "anti_vehicle_mine", "uxo"];
        string?[] models = [null, "PMN-2", "TM-62"];
        var finds = new List<FindPoint>();
        for (var i = 0; i < 1500; i++)
        {
            // Clustered in a few metres so that many pairs are near, some across grid cells and latitudes.
            // Seed 4 straddles the prime meridian and the equator (cells on both sides of zero).
            var (lon, lat) = ((seed == 4 ? -0.0002 : -24.5) + random.Next(0, 40) * 0.00001 + random.NextDouble() * 0.00003,
                (seed switch { 3 => -71.2, 4 => -0.00015, _ => -31.2 }) + random.NextDouble() * 0.0003);
            finds.Add(new FindPoint($"F{i:D5}", categories[random.Next(categories.Length)], models[random.Next(models.Length)], 1 + random.Next(0, 2),
                730_000 + random.Next(0, 120), i % 97 == 0 ? double.NaN : lon, lat, null));
        }

        var groups = QualityRules.DuplicateFinds(finds).Select(f => string.Join(",", f.RecordIds)).ToList();

        // Directly: every pair, the same metric as the rule (metres per degree 111,320, longitude scaled by cos latitude of the later find).
        var parent = Enumerable.Range(0, finds.Count).ToArray();
        int Root(int i) { while (parent[i] != i) i = parent[i]; return i; }
        for (var i = 0; i < finds.Count; i++)
            for (var j = 0; j < i; j++)
            {
                var (f, g) = (finds[i], finds[j]);
                if (double.IsNaN(f.Lon) || double.IsNaN(g.Lon) || f.Category != g.Category || f.Model != g.Model || f.Quantity != g.Quantity) continue;
                if (Math.Abs(f.Day - g.Day) > QualityRules.SameDeviceDays) continue;
                var cos = Math.Max(Math.Cos(f.Lat * Math.PI / 180), 0.01);
                var (ex, ey) = ((g.Lon - f.Lon) * 111_320 * cos, (g.Lat - f.Lat) * 111_320);
                if (ex * ex + ey * ey <= QualityRules.SameDeviceMetres * QualityRules.SameDeviceMetres) parent[Root(i)] = Root(j);
            }
        var expected = Enumerable.Range(0, finds.Count).GroupBy(Root).Where(g => g.Count() > 1)
            .Select(g => g.Select(i => finds[i]).OrderBy(f => f.Day).ThenBy(f => f.Id, StringComparer.Ordinal).ToList())
            .OrderBy(g => g[0].Id, StringComparer.Ordinal)
            .Select(g => string.Join(",", g.Select(f => f.Id))).ToList();

        expected.Count.ShouldBeGreaterThan(20, "the programme has duplicates to find");
        groups.ShouldBe(expected);
    }

    [Fact]
    public void AbsurdCoordinates_NeitherHideNearPairs_NorPairFarFinds()
    {
        // Finds at infinite and absurd longitudes (bad data that reaches the rule) sort first or last among their kind;
        // the finds between them, one grid row apart, must still pair, and the absurd ones pair only when truly together.
        FindPoint Find(string id, double lon, double lat) => new(id, "uxo", "M-1", 1, 730_000, lon, lat, null);
        // F3 near the top of its grid row, F4 in the row above, 0.6 m apart; F1 and F2 in F3's row.
        var cell = QualityRules.SameDeviceMetres / 111_320;
        var row = Math.Floor(-31.2 / cell);
        var (lat3, lat4) = ((row + 0.9) * cell, (row + 1.2) * cell);
        var groups = QualityRules.DuplicateFinds([
            Find("F1", double.NegativeInfinity, lat3), Find("F2", -1e300, lat3),
            Find("F3", -24.5, lat3), Find("F4", -24.5, lat4),
            Find("F5", 1e15, 10), Find("F6", 1e15, 10), Find("F7", double.PositiveInfinity, 10),
        ]).Select(f => string.Join(",", f.RecordIds)).ToList();

        groups.ShouldBe(["F3,F4", "F5,F6"]);
    }
}
