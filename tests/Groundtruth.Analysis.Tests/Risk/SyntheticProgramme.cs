using Groundtruth.Analysis.Records;
using Groundtruth.Analysis.Risk;
using Groundtruth.Domain;
using NetTopologySuite.Geometries;

namespace Groundtruth.Analysis.Tests.Risk;

/// <summary>
/// A fictional programme (open South Atlantic) of 0.2° square. Structured: finds lie in land laid along a
/// front line and inside one party's records. Independent: finds and accidents fall uniformly at random,
/// unrelated to every layer — the negative control.
/// </summary>
internal static class SyntheticProgramme
{
    public const double West = -24.0, East = -23.8, North = -31.0, South = -31.2;
    public const double FrontLon = -23.9;
    private static readonly GeometryFactory Factory = new(new PrecisionModel(), SpatialRules.Wgs84);

    public static Polygon Box(double lon, double lat, double half) => Factory.CreatePolygon(
    [
        new(lon - half, lat - half), new(lon + half, lat - half), new(lon + half, lat + half), new(lon - half, lat + half), new(lon - half, lat - half),
    ]);

    public static RiskData Build(int seed, bool structured)
    {
        var rng = new Random(seed);
        var area = Box((West + East) / 2, (North + South) / 2, (East - West) / 2);
        var front = Factory.CreateMultiLineString([Factory.CreateLineString([new(FrontLon, North), new(FrontLon + 0.01, South)])]);
        var road = Factory.CreateMultiLineString([Factory.CreateLineString([new(West, -31.07), new(East, -31.13)])]);
        PartialDate Day(int fromYear, int toYear) => PartialDate.FromDate(new DateOnly(fromYear, 1, 1).AddDays(rng.Next((toYear - fromYear) * 365)));
        double Lon() => West + 0.005 + rng.NextDouble() * (East - West - 0.01);
        double Lat() => South + 0.005 + rng.NextDouble() * (North - South - 0.01);

        // Minefields: along the front line (structured) — some recorded by a reliable party.
        var minefields = new List<(double Lon, double Lat)>();
        for (var i = 0; i < 40; i++) minefields.Add(structured ? (FrontLon + 0.006 * Normal(rng), Lat()) : (Lon(), Lat()));

        var records = new List<RiskRecordInput>();
        for (var i = 0; i < 16; i++)
        {
            var (lon, lat) = minefields[i];
            var good = i % 2 == 0;
            if (!good || !structured) (lon, lat) = (Lon(), Lat());
            records.Add(new RiskRecordInput(new RecordInput($"R{i}", good ? "Reliable Party" : "Careless Party", Box(lon, lat, 0.002), 20, PartialDate.Parse("1995"), null), PartialDate.Parse("2000")));
        }

        var processed = new List<ProcessedLandInput>();
        var surveys = new List<SurveyInput>();
        var releases = new List<DatedAreaInput>();
        var hazards = new List<DatedAreaInput>();
        var finds = new List<FindInput>();
        var accidents = new List<AccidentInput>();
        var n = 0;
        // Work: clearance of half the minefields and of as many empty places, over 2008–2024.
        for (var i = 0; i < 80; i++)
        {
            var (lon, lat) = i < 40 ? minefields[i] : (Lon(), Lat());
            if (rng.NextDouble() < 0.5 && i < 40) continue;
            var start = Day(2008, 2024);
            var end = PartialDate.FromDate(start.Start.AddDays(200));
            var box = Box(lon, lat, 0.006);
            processed.Add(new ProcessedLandInput($"P{i}", box, start, end));
            surveys.Add(new SurveyInput($"S{i}", box, PartialDate.FromDate(start.Start.AddDays(-100))));
            hazards.Add(new DatedAreaInput($"H{i}", box, PartialDate.FromDate(start.Start.AddDays(-100))));
            releases.Add(new DatedAreaInput($"L{i}", box, end));
            if (structured && i < 40)
                for (var k = 0; k < 25; k++)
                    finds.Add(new FindInput($"F{n++}", lon + 0.004 * (rng.NextDouble() * 2 - 1), lat + 0.004 * (rng.NextDouble() * 2 - 1), 1, OrdnanceCategory.AntiPersonnelMine, Emplacement.Emplaced,
                        PartialDate.FromDate(start.Start.AddDays(rng.Next(200)))));
        }
        if (structured)
        {
            // A few minefields kill people over the years; most are silent until someone clears them.
            for (var k = 0; k < 150; k++)
            {
                var (lon, lat) = minefields[30 + rng.Next(10)];
                accidents.Add(new AccidentInput($"A{k}", lon + 0.004 * (rng.NextDouble() * 2 - 1), lat + 0.004 * (rng.NextDouble() * 2 - 1), AccidentKind.MineErw, OrdnanceCategory.AntiPersonnelMine, Day(2000, 2025), 10));
            }
        }
        else
        {
            for (var k = 0; k < 1500; k++)
                finds.Add(new FindInput($"F{n++}", Lon(), Lat(), 1, OrdnanceCategory.AntiPersonnelMine, Emplacement.Emplaced, Day(2008, 2025)));
            for (var k = 0; k < 150; k++)
                accidents.Add(new AccidentInput($"A{k}", Lon(), Lat(), AccidentKind.MineErw, OrdnanceCategory.AntiPersonnelMine, Day(2000, 2025), 10));
        }
        var lines = new List<RiskLineInput> { new("L-front", LineKind.FrontLine, front), new("L-road", LineKind.Road, road) };
        return new RiskData(area, finds, accidents, records, lines, hazards, releases, surveys, processed);
    }

    private static double Normal(Random rng) => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
}
