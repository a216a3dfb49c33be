using Groundtruth.Analysis.Records;
using Groundtruth.Analysis.Risk;
using Groundtruth.Domain;
using NetTopologySuite.Geometries;

namespace Groundtruth.Analysis.Tests.Risk;

/// <summary>
/// A source's reliability decides "evaluated" from bounds on the processed share and builds the union of the
/// processed land only near the threshold (issue 11). Records placed just either side of the threshold, with
/// processed pieces that overlap (their sum above the threshold, their union below it), that contain the record,
/// or that miss it, must be counted exactly as record accuracy counts them.
/// </summary>
public sealed class SourceReliabilityThresholdTests
{
    private static readonly GeometryFactory Wgs84 = new(new PrecisionModel(), 4326);
    private const double Degree = 1.0 / 111_000;
    private static readonly DateOnly Cutoff = new(2024, 1, 1);

    private static Polygon Box(double x, double y, double width, double height) =>
        Wgs84.CreatePolygon([new(x, y), new(x + width, y), new(x + width, y + height), new(x, y + height), new(x, y)]);

    // Covered shares across the threshold, some within a millionth of it, and far from it.
    private static readonly double[] Shares = [0, 0.1, 0.3, 0.4999, 0.499999, 0.4999999, 0.5, 0.5000001, 0.500001, 0.5001, 0.7, 1];

    [Fact]
    public void Evaluated_MatchesRecordAccuracy_OnBothSidesOfTheThreshold()
    {
        var (records, processed, finds) = Layouts(_ => PartialDate.Parse("2010"));
        var shares = Shares;

        var fast = SourceReliability.Measure(records, finds, [], processed, Cutoff);
        var full = SourceReliability.MeasureByRecordAccuracy(records, finds, [], processed, Cutoff);

        fast.ShouldBe(full);
        // Independently: shares clearly above the threshold are evaluated, clearly below are not (the ones within
        // a millionth may fall either way, as the projection stretches the boxes slightly).
        var clearlyAbove = shares.Count(s => s >= 0.5001) * 4;
        var clearlyBelow = shares.Count(s => s <= 0.4999) * 4;
        full.Evaluated.ShouldBeInRange(clearlyAbove, records.Count - clearlyBelow);
        full.Evaluated.ShouldBeGreaterThan(0);
    }

    /// <summary>
    /// The layers' own measure reads each record's areas from what the scene found once, computes an area only when the
    /// decision needs it and reads the areas another window computed (issue 16). On the same layouts, their pieces known at
    /// different dates, windows built side by side on one scene must each count what record accuracy counts on the processed
    /// land known before their cutoff.
    /// </summary>
    [Fact]
    public void Evaluated_ThroughTheScene_MatchesRecordAccuracy_InEveryWindow()
    {
        // Each layout's pieces become known in turn (1990, 2000, 2010 …), so an early window knows only some of them.
        var (records, processed, finds) = Layouts(piece => PartialDate.Parse((1990 + 10 * (piece % 3)).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var extent = new Envelope();
        foreach (var r in records) extent.ExpandToInclude(r.Footprint.EnvelopeInternal);
        foreach (var p in processed) extent.ExpandToInclude(p.Area.EnvelopeInternal);
        extent.ExpandBy(0.01);
        var data = new RiskData(Wgs84.ToGeometry(extent), finds, [], [.. records.Select(r => new RiskRecordInput(r, null))], [], [], [], [], processed);
        var scene = new RiskScene(data, 50);
        DateOnly[] cutoffs = [new(1995, 1, 1), new(2005, 1, 1), new(2015, 1, 1), Cutoff];
        var layers = new EvidenceLayers[cutoffs.Length];
        Parallel.For(0, cutoffs.Length, k => layers[k] = EvidenceLayers.Build(scene, cutoffs[k], new RiskOptions(CellM: 50)));
        var evaluated = new List<int>();
        for (var k = 0; k < cutoffs.Length; k++)
        {
            var known = processed.Where(p => RiskScene.KnownBefore(p.Start, cutoffs[k])).ToList();
            var full = SourceReliability.MeasureByRecordAccuracy(records, [.. finds.Where(f => RiskScene.KnownBefore(f.FoundOn, cutoffs[k]))], [], known, cutoffs[k]);
            layers[k].Reliability["Party A"].ShouldBe(full, $"before {cutoffs[k]:yyyy-MM-dd}");
            evaluated.Add(full.Evaluated);
        }
        // The windows know different pieces: their counts differ, so the test can tell one window's areas from another's.
        evaluated.Distinct().Count().ShouldBeGreaterThan(1);
    }

    /// <summary>
    /// Through the scene, a buffered record's finds are placed by their distance from its footprint, and the buffer is built only
    /// for those near its edge; a record lying whole in one processed piece is evaluated without it (issue 16). Points, several
    /// points, lines and areas, each of its own source and with one find at a distance from just inside to just beyond its buffer
    /// distance, in processed land that holds them whole, in part or not at all: each source's figures are record accuracy's.
    /// </summary>
    [Fact]
    public void Confirmed_ThroughTheScene_ByDistanceFromTheFootprint_MatchesRecordAccuracy_RecordByRecord()
    {
        double[] factors = [0, 0.5, 0.9, 0.94, 0.96, 0.985, 0.99, 0.995, 0.999, 1.0, 1.001, 1.005, 1.01, 1.03, 1.1, 2];
        double[] buffers = [5, 25, 60];
        var random = new Random(20261207);
        var records = new List<RecordInput>();
        var processed = new List<ProcessedLandInput>();
        var finds = new List<FindInput>();
        var on = PartialDate.Parse("2000");
        var k = 0;
        foreach (var d in buffers)
        {
            foreach (var factor in factors)
            {
                for (var kind = 0; kind < 5; kind++)
                {
                    for (var layout = 0; layout < 3; layout++, k++)
                    {
                        var (x, y) = (-24.6 + (k % 30) * 0.02, -31.2 + (k / 30) * 0.02);
                        var cos = Math.Cos(y * Math.PI / 180);
                        Coordinate At(double east, double north) => new(x + east * Degree / cos, y + north * Degree);
                        var length = 30 + random.NextDouble() * 300;
                        Geometry footprint = kind switch
                        {
                            0 => Wgs84.CreatePoint(At(0, 0)),
                            1 => Wgs84.CreateMultiPoint([Wgs84.CreatePoint(At(0, 0)), Wgs84.CreatePoint(At(d, d / 2)), Wgs84.CreatePoint(At(-d / 3, d * 1.5))]),
                            2 => Wgs84.CreateLineString([At(0, 0), At(length, length / 3)]),
                            3 => Wgs84.CreateMultiLineString([Wgs84.CreateLineString([At(0, 0), At(length, 0)]), Wgs84.CreateLineString([At(length, 0), At(length, length)])]),
                            _ => Wgs84.CreatePolygon([At(0, 0), At(length, 0), At(length, length / 2), At(0, length / 2), At(0, 0)]),
                        };
                        records.Add(new RecordInput($"R{k:D4}", $"Source {k:D4}", footprint, 5, PartialDate.Parse("1995"), d));
                        // The find beyond the footprint's first vertex, away from the rest, at the factor of the buffer distance
                        // (at angles on and between the buffer's vertices); for a line or area, beside its first edge.
                        var angle = random.Next(64) * Math.PI / 32;
                        var (east, north) = kind switch
                        {
                            0 or 1 => (Math.Cos(angle) * factor * d, Math.Sin(angle) * factor * d),
                            2 => (length / 2 - factor * d / Math.Sqrt(10), length / 6 + factor * d * 3 / Math.Sqrt(10)),
                            3 => (length / 2, -factor * d),
                            _ => (length / 2, -factor * d),
                        };
                        finds.Add(new FindInput($"F{k}", At(east, north).X, At(east, north).Y, 1 + k % 2, OrdnanceCategory.AntiPersonnelMine, Emplacement.Emplaced, PartialDate.Parse("2010")));
                        var reach = 2 * d + length + 50;
                        Polygon? piece = layout switch
                        {
                            // Holding the record and its buffer whole.
                            0 => Box(x - reach * Degree / cos, y - reach * Degree, 2 * reach * Degree / cos, 2 * reach * Degree),
                            // Covering a part of it: the west of the first vertex.
                            1 => Box(x - reach * Degree / cos, y - reach * Degree, reach * Degree / cos + d * 0.3 * Degree / cos, 2 * reach * Degree),
                            _ => null,
                        };
                        if (piece is not null) processed.Add(new ProcessedLandInput($"P{k}", piece, on, on));
                    }
                }
            }
        }
        var extent = new Envelope();
        foreach (var r in records) extent.ExpandToInclude(r.Footprint.EnvelopeInternal);
        foreach (var p in processed) extent.ExpandToInclude(p.Area.EnvelopeInternal);
        extent.ExpandBy(0.01);
        var data = new RiskData(Wgs84.ToGeometry(extent), finds, [], [.. records.Select(r => new RiskRecordInput(r, null))], [], [], [], [], processed);
        var scene = new RiskScene(data, 100);
        DateOnly[] cutoffs = [new(2005, 1, 1), Cutoff];
        var layers = new EvidenceLayers[cutoffs.Length];
        Parallel.For(0, cutoffs.Length, c => layers[c] = EvidenceLayers.Build(scene, cutoffs[c], new RiskOptions(CellM: 100)));
        var (evaluated, confirmed) = (0, 0);
        for (var c = 0; c < cutoffs.Length; c++)
        {
            var knownFinds = finds.Where(f => RiskScene.KnownBefore(f.FoundOn, cutoffs[c])).ToList();
            foreach (var record in records)
            {
                var full = SourceReliability.MeasureByRecordAccuracy([record], knownFinds, [], processed, cutoffs[c]);
                layers[c].Reliability[record.Source].ShouldBe(full, $"{record.Id} ({record.Footprint.GeometryType}, {record.PositionUncertaintyM} m) before {cutoffs[c]:yyyy-MM-dd}");
                (evaluated, confirmed) = (evaluated + full.Evaluated, confirmed + full.Confirmed);
            }
        }
        // Records evaluated and not, confirmed and not: the finds lie on both sides of the buffers' edges.
        evaluated.ShouldBeGreaterThan(100);
        confirmed.ShouldBeGreaterThan(50);
        (evaluated - confirmed).ShouldBeGreaterThan(50);
    }

    /// <summary>
    /// A long record across its zone's central meridian, far south: there a side of its buffer's box, straight in metres, bows in
    /// latitude between the box's corners by metres, and a find just inside the buffer where two of its lines meet on the
    /// meridian lies outside the box of the corners. Each such find must still be joined to its record (the box is drawn through
    /// the sides, not only the corners).
    /// </summary>
    [Fact]
    public void Confirmed_ThroughTheScene_ForLongRecordsAcrossTheCentralMeridian_MatchesRecordAccuracy()
    {
        var projection = new Groundtruth.Analysis.Geodesy.LocalProjection(32726);
        var (_, north) = projection.Project(-27, -60);
        var records = new List<RecordInput>();
        var processed = new List<ProcessedLandInput>();
        var finds = new List<FindInput>();
        Coordinate At(double x, double y)
        {
            var (lon, lat) = projection.Unproject(x, y);
            return new Coordinate(lon, lat);
        }
        var k = 0;
        foreach (var half in new[] { 5_000.0, 10_000, 20_000 })
        {
            foreach (var side in new[] { 1, -1 })
            {
                foreach (var factor in new[] { 0.5, 0.9, 0.94, 1.1 })
                {
                    var y = north - 3_000 * k++;
                    const double d = 25;
                    // Two lines meeting on the meridian: the buffer's round join there reaches the box's side where it bows most.
                    records.Add(new RecordInput($"L{k:D3}", $"Source {k:D3}", Wgs84.CreateMultiLineString([
                        Wgs84.CreateLineString([At(500_000 - half, y), At(500_000, y)]), Wgs84.CreateLineString([At(500_000, y), At(500_000 + half / 3, y)])]), 5, PartialDate.Parse("1995"), d));
                    var find = At(500_000 + 7, y + side * factor * d);
                    finds.Add(new FindInput($"F{k}", find.X, find.Y, 1, OrdnanceCategory.AntiPersonnelMine, Emplacement.Emplaced, PartialDate.Parse("2010")));
                    var box = new[] { At(500_000 - half - 500, y - 500), At(500_000 + half + 500, y - 500), At(500_000 + half + 500, y + 500), At(500_000 - half - 500, y + 500) };
                    processed.Add(new ProcessedLandInput($"P{k}", Wgs84.CreatePolygon([box[0], box[1], box[2], box[3], box[0]]), PartialDate.Parse("2000"), PartialDate.Parse("2000")));
                }
            }
        }
        var extent = new Envelope();
        foreach (var p in processed) extent.ExpandToInclude(p.Area.EnvelopeInternal);
        extent.ExpandBy(0.01);
        var data = new RiskData(Wgs84.ToGeometry(extent), finds, [], [.. records.Select(r => new RiskRecordInput(r, null))], [], [], [], [], processed);
        var layers = EvidenceLayers.Build(new RiskScene(data, 500), Cutoff, new RiskOptions(CellM: 500));
        var confirmed = 0;
        foreach (var record in records)
        {
            var full = SourceReliability.MeasureByRecordAccuracy([record], finds, [], processed, Cutoff);
            layers.Reliability[record.Source].ShouldBe(full, $"{record.Id}");
            confirmed += full.Confirmed;
        }
        // The finds within the buffer confirm their records (three of four distances), those beyond do not.
        confirmed.ShouldBe(records.Count * 3 / 4);
    }

    /// <summary>Records at covered shares across the threshold in four layouts of processed pieces (dated by <paramref name="pieceDate"/>, by the piece's place in its layout), and a find in two records of three.</summary>
    private static (List<RecordInput> Records, List<ProcessedLandInput> Processed, List<FindInput> Finds) Layouts(Func<int, PartialDate> pieceDate)
    {
        var random = new Random(20261204);
        var records = new List<RecordInput>();
        var processed = new List<ProcessedLandInput>();
        var finds = new List<FindInput>();
        var k = 0;
        foreach (var share in Shares)
        {
            for (var layout = 0; layout < 4; layout++, k++)
            {
                var (x, y) = (-24.6 + (k % 12) * 0.01, -31.2 + (k / 12) * 0.01);
                var size = (80 + random.NextDouble() * 200) * Degree;
                records.Add(new RecordInput($"R{k:D3}", "Party A", Box(x, y, size, size), 5, PartialDate.Parse("2000"), null));
                var covered = size * share;
                Polygon[] pieces = layout switch
                {
                    // One piece covering the share.
                    0 => [Box(x - size, y - size, size + covered, size * 3)],
                    // Two overlapping halves of the covered strip: the sum of the pieces exceeds the union.
                    1 => [Box(x - size, y - size, size + covered * 0.7, size * 3), Box(x + covered * 0.3, y - size, covered * 0.7, size * 3)],
                    // The covered strip split in two that meet along an edge.
                    2 => [Box(x - size, y - size, size + covered / 2, size * 3), Box(x + covered / 2, y - size, covered / 2, size * 3)],
                    // Three pieces, one containing another.
                    _ => [Box(x - size, y - size, size + covered, size * 3), Box(x, y, covered * 0.5, size * 0.5), Box(x + 2 * size, y, size, size)],
                };
                var n = 0;
                foreach (var p in pieces.Where(p => !p.IsEmpty && p.Area > 0))
                {
                    var on = pieceDate(n++);
                    processed.Add(new ProcessedLandInput($"P{processed.Count}", p, on, on));
                }
                if (k % 3 != 0)
                    finds.Add(new FindInput($"F{k}", x + size / 2, y + size / 2, 1, OrdnanceCategory.AntiPersonnelMine, Emplacement.Emplaced, PartialDate.Parse("2012")));
            }
        }

        return (records, processed, finds);
    }
}
