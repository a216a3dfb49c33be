using Groundtruth.Analysis.Records;
using Groundtruth.Analysis.Risk;
using Groundtruth.Domain;
using NetTopologySuite.Geometries;

namespace Groundtruth.Analysis.Tests.Risk;

/// <summary>
/// A fictional programme (open South Atlantic, 0.3° by 0.2°) built to tell evidence from effort. Two old front
/// lines run north–south: one in the worked west, one in the east where no team worked before 2020. Minefields
/// lie along both. From 2008 teams clear minefields along the western line (finds) and empty places on both sides of
/// it (none),
/// and survey a clean strip along the western edge (<see cref="EffortBoxes"/> boxes, half of them technically
/// surveyed and released, none with a find). From 2020 the eastern minefields are worked: their finds are what
/// a split at 2020 tests on, and no earlier event lies near them, so the baseline (distance to the nearest past
/// event) cannot point at them; the front lines can.
/// </summary>
internal static class EffortWorld
{
    public const double West = -24.0, East = -23.7, North = -31.0, South = -31.2;
    public const double WestFront = -23.93, EastFront = -23.78;
    /// <summary>The worked west lies west of this meridian; nobody works east of it before 2020.</summary>
    public const double MiddleLon = -23.85;
    /// <summary>The clean strip teams survey: no minefield, find or accident lies in it.</summary>
    public const double CleanStripEast = -23.965;
    public static readonly DateOnly Split = new(2020, 1, 1);
    private static readonly GeometryFactory Factory = new(new PrecisionModel(), SpatialRules.Wgs84);

    /// <param name="effortBoxes">Survey boxes in the clean strip (the effort).</param>
    /// <param name="structured">False: the eastern finds after 2020 fall uniformly over the east, unrelated to every layer (negative control).</param>
    /// <param name="covariateSignal">The eastern minefields lie along <see cref="CovariateRidge"/>, which only a covariate raster marks, not along the eastern front line (world c).</param>
    /// <param name="reachedEarly">This many of the eastern minefields are worked in 2018–2019, before the split: a new region
    /// where teams began to work, so the training windows hold the situation the split tests.</param>
    public static RiskData Build(int seed, int effortBoxes = 40, bool structured = true, bool covariateSignal = false, int reachedEarly = 0)
    {
        var rng = new Random(seed);
        var area = Rectangle(West, South, East, North);
        PartialDate Day(int fromYear, int toYear) => PartialDate.FromDate(new DateOnly(fromYear, 1, 1).AddDays(rng.Next((toYear - fromYear) * 365)));
        double Lat() => South + 0.005 + rng.NextDouble() * (North - South - 0.01);
        var lines = new List<RiskLineInput>
        {
            new("FL-west", LineKind.FrontLine, Factory.CreateMultiLineString([Factory.CreateLineString([new(WestFront, North), new(WestFront + 0.005, South)])])),
            new("FL-east", LineKind.FrontLine, Factory.CreateMultiLineString([Factory.CreateLineString([new(EastFront, North), new(EastFront - 0.005, South)])])),
            new("road", LineKind.Road, Factory.CreateMultiLineString([Factory.CreateLineString([new(West, -31.05), new(East, -31.15)])])),
        };
        double FrontLon(double frontLon, double lat) => frontLon + 0.005 * (lat - North) / (South - North) * (frontLon == WestFront ? 1 : -1);

        var finds = new List<FindInput>();
        var accidents = new List<AccidentInput>();
        var processed = new List<ProcessedLandInput>();
        var surveys = new List<SurveyInput>();
        var hazards = new List<DatedAreaInput>();
        var releases = new List<DatedAreaInput>();
        var n = 0;
        void Work(string id, double lon, double lat, PartialDate start, int findCount, double half = 0.005)
        {
            var end = PartialDate.FromDate(start.Start.AddDays(200));
            var box = SyntheticProgramme.Box(lon, lat, half);
            processed.Add(new ProcessedLandInput($"P-{id}", box, start, end));
            surveys.Add(new SurveyInput($"S-{id}", box, PartialDate.FromDate(start.Start.AddDays(-100))));
            hazards.Add(new DatedAreaInput($"H-{id}", box, PartialDate.FromDate(start.Start.AddDays(-100))));
            releases.Add(new DatedAreaInput($"L-{id}", box, end));
            for (var k = 0; k < findCount; k++)
                finds.Add(new FindInput($"F{n++}", lon + half * 0.7 * (rng.NextDouble() * 2 - 1), lat + half * 0.7 * (rng.NextDouble() * 2 - 1), 1,
                    OrdnanceCategory.AntiPersonnelMine, Emplacement.Emplaced, PartialDate.FromDate(start.Start.AddDays(rng.Next(200)))));
        }

        // The worked west: minefields along the western front line, cleared 2008–2019 (finds); empty places between
        // the front line and the clean strip, cleared with nothing found.
        for (var i = 0; i < 24; i++)
        {
            var lat = Lat();
            Work($"W{i}", (covariateSignal ? WestRidge : FrontLon(WestFront, lat)) + 0.003 * Normal(rng), lat, Day(2008, 2019), 20);
        }
        for (var i = 0; i < 24; i++) Work($"E{i}", CleanStripEast + 0.01 + rng.NextDouble() * (MiddleLon - CleanStripEast - 0.02), Lat(), Day(2008, 2019), 0);
        // A few accidents near the western minefields over the years.
        for (var k = 0; k < 40; k++)
        {
            var lat = Lat();
            accidents.Add(new AccidentInput($"A{k}", (covariateSignal ? WestRidge : FrontLon(WestFront, lat)) + 0.003 * Normal(rng), lat, AccidentKind.MineErw, OrdnanceCategory.AntiPersonnelMine, Day(2000, 2019), 10));
        }
        // Effort in clean land: survey boxes in the western strip, half of them technically surveyed and released, no find.
        // Drawn from their own generator, so a world with twice the effort holds the same boxes and as many more.
        var effort = new Random(seed + 1000);
        for (var i = 0; i < effortBoxes; i++)
        {
            var lon = West + 0.006 + effort.NextDouble() * (CleanStripEast - West - 0.012);
            var lat = South + 0.005 + effort.NextDouble() * (North - South - 0.01);
            var start = PartialDate.FromDate(new DateOnly(2008, 1, 1).AddDays(effort.Next(11 * 365)));
            var box = SyntheticProgramme.Box(lon, lat, 0.005);
            surveys.Add(new SurveyInput($"S-C{i}", box, start));
            if (i % 2 == 0)
            {
                var end = PartialDate.FromDate(start.Start.AddDays(120));
                processed.Add(new ProcessedLandInput($"P-C{i}", box, start, end));
                releases.Add(new DatedAreaInput($"L-C{i}", box, end));
            }
            else releases.Add(new DatedAreaInput($"L-C{i}", box, PartialDate.FromDate(start.Start.AddDays(30))));
        }
        // The unworked east: nobody there before 2020; from 2020 its minefields are worked.
        for (var i = 0; i < 24; i++)
        {
            var lat = Lat();
            var lon = !structured ? EastFront - 0.07 + rng.NextDouble() * 0.14
                : covariateSignal ? CovariateRidge + 0.003 * Normal(rng)
                : FrontLon(EastFront, lat) + 0.003 * Normal(rng);
            Work($"X{i}", lon, lat, i < reachedEarly ? Day(2018, 2020) : Day(2020, 2025), 20);
        }
        var data = new RiskData(area, finds, accidents, [], lines, hazards, releases, surveys, processed);
        return covariateSignal ? data with { Covariates = [Trenches(rng)] } : data;
    }

    /// <summary>In world (c) the western minefields lie along this meridian, which only the covariate raster marks.</summary>
    public const double WestRidge = -23.90;

    /// <summary>
    /// A continuous raster "trenches" (0.0025° cells over the area and a margin): high along <see cref="WestRidge"/> and
    /// <see cref="CovariateRidge"/> (exp(−distance / 0.01°)), with noise; nodata in one corner.
    /// </summary>
    public static CovariateRaster Trenches(Random rng)
    {
        const double cell = 0.0025, west = West - 0.01, north = North + 0.01;
        var columns = (int)Math.Ceiling((East - West + 0.02) / cell);
        var rows = (int)Math.Ceiling((North - South + 0.02) / cell);
        var values = new float[columns * rows];
        for (var r = 0; r < rows; r++)
            for (var c = 0; c < columns; c++)
            {
                var lon = west + (c + 0.5) * cell;
                values[r * columns + c] = r < 4 && c < 4 ? -9999f
                    : (float)(Math.Max(Math.Exp(-Math.Abs(lon - WestRidge) / 0.01), Math.Exp(-Math.Abs(lon - CovariateRidge) / 0.01)) + 0.05 * rng.NextDouble());
            }
        return new CovariateRaster("trenches", CovariateKind.Continuous, west, north, cell, cell, columns, rows, values, -9999f);
    }

    /// <summary>In world (c) the eastern minefields lie along this meridian, which only the covariate raster marks.</summary>
    public const double CovariateRidge = -23.83;

    public static Polygon Rectangle(double west, double south, double east, double north) => Factory.CreatePolygon(
        [new(west, south), new(east, south), new(east, north), new(west, north), new(west, south)]);

    private static double Normal(Random rng) => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
}
