using Groundtruth.Analysis.Geodesy;
using Groundtruth.Analysis.Records;
using Groundtruth.Domain;
using NetTopologySuite.Geometries;
using NetTopologySuite.Operation.Union;

namespace Groundtruth.Analysis.Tests.Records;

/// <summary>
/// The fast paths of <see cref="RecordAccuracy"/> (grid searches, parallel loops) checked against the method
/// computed the plain way — every record against every find — on a generated programme in the open South Atlantic.
/// </summary>
public sealed class RecordAccuracyBruteForceTests
{
    private static readonly GeometryFactory Wgs84 = new(new PrecisionModel(), 4326);
    private const double Degree = 1.0 / 111_000;

    private sealed record Programme(List<RecordInput> Records, List<FindInput> Finds, List<ProcessedLandInput> Processed);

    /// <summary>Records of polygons (some with a stated uncertainty) and of points (±10–40 m); finds clustered in and beside them, some on corners, some scattered.</summary>
    private static Programme Generate(int seed, int records, int finds)
    {
        var random = new Random(seed);
        var recordList = new List<RecordInput>();
        var squares = new List<Polygon>();
        for (var r = 0; r < records; r++)
        {
            var (x, y) = (-24.6 + random.NextDouble() * 0.2, -31.2 + random.NextDouble() * 0.2);
            var size = (40 + random.NextDouble() * 260) * Degree;
            var square = Wgs84.CreatePolygon([new(x, y), new(x + size, y), new(x + size, y + size * 0.7), new(x + size * 0.3, y + size), new(x, y)]);
            squares.Add(square);
            Geometry footprint = r % 5 == 4 ? Wgs84.CreatePoint(new Coordinate(x, y)) : square;
            double? uncertainty = r % 5 == 4 ? 10 + random.Next(0, 31) : r % 3 == 0 ? 15 : null;
            recordList.Add(new RecordInput($"R{r:D4}", r % 2 == 0 ? "Party A" : "Party B", footprint, 10, PartialDate.Parse("2000"), uncertainty));
        }
        var findList = new List<FindInput>();
        for (var i = 0; i < finds; i++)
        {
            var square = squares[random.Next(squares.Count)];
            var e = square.EnvelopeInternal;
            var (lon, lat) = (i % 10) switch
            {
                0 => (-24.62 + random.NextDouble() * 0.24, -31.22 + random.NextDouble() * 0.24),
                1 => (square.Coordinates[random.Next(4)].X, square.Coordinates[random.Next(4)].Y),
                _ => (e.MinX - e.Width * 0.3 + random.NextDouble() * e.Width * 1.6, e.MinY - e.Height * 0.3 + random.NextDouble() * e.Height * 1.6),
            };
            findList.Add(new FindInput($"F{i:D6}", lon, lat, 1 + random.Next(0, 3), OrdnanceCategory.AntiPersonnelMine, Emplacement.Emplaced, PartialDate.Parse("2020-05-01")));
        }
        var processed = new List<ProcessedLandInput>();
        for (var p = 0; p < records; p++)
        {
            var e = squares[random.Next(squares.Count)].EnvelopeInternal;
            var box = Wgs84.ToGeometry(new Envelope(e.MinX - e.Width * 0.2, e.MaxX - e.Width * random.NextDouble() * 0.5, e.MinY - e.Height * 0.2, e.MaxY + e.Height * 0.1));
            processed.Add(new ProcessedLandInput($"P{p}", box, PartialDate.Parse("2019"), PartialDate.Parse("2020")));
        }
        return new Programme(recordList, findList, processed);
    }

    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    public void PerRecordAndOffsetFigures_EqualEveryRecordAgainstEveryFind(int seed)
    {
        var programme = Generate(seed, records: 150, finds: 6_000);
        var result = RecordAccuracy.Compute(programme.Records, programme.Finds, [], programme.Processed, new RecordAccuracyOptions());

        // The method of docs/record-accuracy.md, step by step, with NetTopologySuite and nothing indexed.
        var extent = new Envelope();
        foreach (var r in programme.Records) extent.ExpandToInclude(r.Footprint.EnvelopeInternal);
        foreach (var f in programme.Finds) extent.ExpandToInclude(f.Lon, f.Lat);
        var projection = new LocalProjection(extent);
        var metric = programme.Records.Select(r =>
        {
            var projected = projection.Project(r.Footprint);
            return r.PositionUncertaintyM is { } b ? projected.Buffer(b) : projected;
        }).ToList();
        var containment = programme.Records.Select((r, i) => r.PositionUncertaintyM is not null ? projection.Unproject(metric[i]) : r.Footprint).ToList();
        var wgs84Points = programme.Finds.Select(f => Wgs84.CreatePoint(new Coordinate(f.Lon, f.Lat))).ToList();
        var metricPoints = programme.Finds.Select(f => projection.Factory.CreatePoint(new Coordinate(projection.Project(f.Lon, f.Lat).X, projection.Project(f.Lon, f.Lat).Y))).ToList();
        var processedMetric = programme.Processed.Select(p => projection.Project(p.Area)).ToList();

        result.PerRecord.Count.ShouldBe(programme.Records.Count);
        var insideAny = new bool[programme.Finds.Count];
        for (var r = 0; r < programme.Records.Count; r++)
        {
            var row = result.PerRecord[r];
            row.Id.ShouldBe(programme.Records[r].Id);
            var covered = Enumerable.Range(0, wgs84Points.Count).Where(i => Covers(containment[r], wgs84Points[i])).ToList();
            foreach (var i in covered) insideAny[i] = true;
            row.DevicesFoundInside.ShouldBe(covered.Sum(i => (long)programme.Finds[i].Quantity), row.Id);
            double? nearest = Enumerable.Range(0, wgs84Points.Count).Except(covered).Select(i => metricPoints[i].Distance(metric[r])).DefaultIfEmpty(double.NaN).Min();
            row.NearestOutsideFindM.ShouldBe(double.IsNaN(nearest.Value) ? null : nearest, row.Id);
            var touching = processedMetric.Where(p => p.Intersects(metric[r])).ToList();
            var processedM2 = touching.Count == 0 ? 0 : metric[r].Intersection(touching.Count == 1 ? touching[0] : UnaryUnionOp.Union(touching)).Area;
            // The union's pieces may come in another order than the index gives them: equal to rounding.
            row.ProcessedM2.ShouldBe(processedM2, 1e-9 * Math.Max(1, processedM2), row.Id);
        }

        var offsets = Enumerable.Range(0, metricPoints.Count)
            .Select(i => insideAny[i] ? 0 : metric.Min(m => m.Distance(metricPoints[i])))
            .Order().ToList();
        result.MedianFindOffsetM.ShouldBe(Quantile(offsets, 0.5));
        result.P90FindOffsetM.ShouldBe(Quantile(offsets, 0.9));
        result.P90FindOffsetM!.Value.ShouldBeGreaterThan(0, "the programme has finds outside every record");

        // Coverage over buffers: devices found in processed land inside some record grown by the buffer.
        var inProcessed = wgs84Points.Select(p => programme.Processed.Any(l => Covers(l.Area, p))).ToList();
        foreach (var point in result.CoverageOverBuffer)
        {
            var grown = programme.Records.Select(r => point.BufferM > 0 ? projection.Unproject(projection.Project(r.Footprint).Buffer(point.BufferM))
                : r.Footprint is IPolygonal ? r.Footprint : Wgs84.CreateMultiPolygon()).ToList();
            var inside = Enumerable.Range(0, wgs84Points.Count).Where(i => inProcessed[i] && grown.Any(g => Covers(g, wgs84Points[i]))).Sum(i => (long)programme.Finds[i].Quantity);
            point.FindsInsideRecords.ShouldBe(inside, $"buffer {point.BufferM} m");
        }
    }

    [Theory]
    [InlineData(31)]
    [InlineData(32)]
    public void ProcessedShare_OfRecordsInsideProcessedLand_EqualsTheOverlayOfTheUnion(int seed)
    {
        // Records drawn from the processed land itself: copies of a processed area (every edge shared), areas inside
        // one, points buffered inside one, areas across two overlapping ones (inside their union, not inside either)
        // and areas half out. A footprint inside one processed area is given its own area with no overlay: the
        // plain overlay of the union must agree.
        var random = new Random(seed);
        var processed = new List<ProcessedLandInput>();
        var records = new List<RecordInput>();
        for (var k = 0; k < 40; k++)
        {
            var (x, y) = (-24.6 + random.NextDouble() * 0.2, -31.2 + random.NextDouble() * 0.2);
            var size = (60 + random.NextDouble() * 200) * Degree;
            var area = Wgs84.CreatePolygon([new(x, y), new(x + size, y), new(x + size * 1.1, y + size * 0.8), new(x + size * 0.2, y + size), new(x, y)]);
            var neighbour = Wgs84.ToGeometry(new Envelope(x + size * 0.6, x + size * 1.6, y, y + size * 0.7));
            processed.Add(new ProcessedLandInput($"P{k}", area, PartialDate.Parse("2019"), PartialDate.Parse("2020")));
            processed.Add(new ProcessedLandInput($"Q{k}", neighbour, PartialDate.Parse("2019"), PartialDate.Parse("2020")));
            var (inner, span) = (size * (0.1 + random.NextDouble() * 0.2), size * 0.3);
            Geometry footprint = (k % 5) switch
            {
                0 => area.Copy(),
                1 => Wgs84.ToGeometry(new Envelope(x + inner, x + inner + span, y + inner, y + inner + span)),
                2 => Wgs84.CreatePoint(new Coordinate(x + size * 0.5, y + size * 0.4)),
                3 => Wgs84.ToGeometry(new Envelope(x + size * 0.45, x + size * 1.3, y + size * 0.1, y + size * 0.5)),
                _ => Wgs84.ToGeometry(new Envelope(x - span, x + span, y + inner, y + inner + span)),
            };
            double? uncertainty = k % 5 == 2 ? 5 + random.Next(0, 10) : k % 10 == 1 ? 3 : null;
            records.Add(new RecordInput($"R{k:D3}", "Party", footprint, 10, PartialDate.Parse("2000"), uncertainty));
        }
        var result = RecordAccuracy.Compute(records, [], [], processed, new RecordAccuracyOptions());

        var extent = new Envelope();
        foreach (var r in records) extent.ExpandToInclude(r.Footprint.EnvelopeInternal);
        var projection = new LocalProjection(extent);
        var processedMetric = processed.Select(p => projection.Project(p.Area)).ToList();
        var insideOne = 0;
        for (var r = 0; r < records.Count; r++)
        {
            var projected = projection.Project(records[r].Footprint);
            var metric = records[r].PositionUncertaintyM is { } b ? projected.Buffer(b) : projected;
            var touching = processedMetric.Where(p => p.Intersects(metric)).ToList();
            var processedM2 = touching.Count == 0 ? 0 : metric.Intersection(UnaryUnionOp.Union(touching)).Area;
            var row = result.PerRecord[r];
            row.Id.ShouldBe(records[r].Id);
            row.ProcessedM2.ShouldBe(processedM2, 1e-9 * Math.Max(1, processedM2), row.Id);
            if (processedMetric.Any(p => p.Covers(metric))) insideOne++;
        }
        insideOne.ShouldBeGreaterThanOrEqualTo(24, "copies, inner areas and buffered points lie inside one processed area");
        result.PerRecord.Count(p => p.ProcessedShare is > 0.05 and < 0.95).ShouldBeGreaterThan(0, "some records lie half out");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void RecordsBufferedAhead_GiveTheSameResult_InTheSameZoneOrAnother(bool findFarEast)
    {
        // Buffered ahead in the zone of the records' own extent (UTM 26S here); a find far to the east moves the data's
        // centre into the next zone, where the shapes buffered ahead must not be used.
        var programme = Generate(41, records: 80, finds: 2_000);
        var finds = findFarEast
            ? [.. programme.Finds, new FindInput("F-far", -20.0, -31.1, 1, OrdnanceCategory.AntiPersonnelMine, Emplacement.Emplaced, PartialDate.Parse("2020-05-01"))]
            : programme.Finds;
        var options = new RecordAccuracyOptions();
        var ahead = RecordAccuracy.BufferAhead(programme.Records, options);
        var plain = RecordAccuracy.Compute(programme.Records, finds, [], programme.Processed, options);
        var withAhead = RecordAccuracy.Compute(programme.Records, finds, [], programme.Processed, options, bufferedAhead: ahead);

        withAhead.ProjectionEpsg.ShouldBe(findFarEast ? 32727 : 32726);
        withAhead.PerRecord.ShouldBe(plain.PerRecord);
        withAhead.FindsInsideRecords.ShouldBe(plain.FindsInsideRecords);
        withAhead.CoverageOverBuffer.ShouldBe(plain.CoverageOverBuffer);
        withAhead.MedianFindOffsetM.ShouldBe(plain.MedianFindOffsetM);
        // Other options or other records than those buffered ahead: buffered again.
        var wider = options with { BufferM = 40 };
        RecordAccuracy.Compute(programme.Records, finds, [], programme.Processed, wider, bufferedAhead: ahead).PerRecord
            .ShouldBe(RecordAccuracy.Compute(programme.Records, finds, [], programme.Processed, wider).PerRecord);
        var fewer = programme.Records.Skip(1).ToList();
        RecordAccuracy.Compute(fewer, finds, [], programme.Processed, options, bufferedAhead: ahead).PerRecord
            .ShouldBe(RecordAccuracy.Compute(fewer, finds, [], programme.Processed, options).PerRecord);
    }

    [Fact]
    public void GroupsScoredWithWhatTheyShare_EqualEachScoredAlone_InEveryZone()
    {
        // Two parties near one another and a third with a record far to the east: the whole programme's centre, and the
        // third party's, lie in the next UTM zone (27S), the first two parties' in 26S — what was computed in one zone
        // must not be reused in the other.
        var programme = Generate(43, records: 90, finds: 3_000);
        var far = new RecordInput("R-far", "Party C", Wgs84.CreatePolygon([new(-20.0, -31.1), new(-19.99, -31.1), new(-19.99, -31.09), new(-20.0, -31.1)]),
            5, PartialDate.Parse("2000"), null);
        List<RecordInput> records = [.. programme.Records, far, .. programme.Records.Take(3).Select(r => r with { Id = r.Id + "c", Source = "Party C" })];
        var options = new RecordAccuracyOptions { BootstrapSamples = 200 };
        var reuse = new RecordAccuracy.Reuse();
        string Json(RecordAccuracyResult r) => System.Text.Json.JsonSerializer.Serialize(r);

        var overall = RecordAccuracy.Compute(records, programme.Finds, [], programme.Processed, options, reuse: reuse);
        Json(overall).ShouldBe(Json(RecordAccuracy.Compute(records, programme.Finds, [], programme.Processed, options)));
        overall.ProjectionEpsg.ShouldBe(32727);
        var zones = new List<int>();
        foreach (var group in records.GroupBy(r => r.Source).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var shared = RecordAccuracy.Compute([.. group], programme.Finds, [], programme.Processed, options, reuse: reuse);
            var alone = RecordAccuracy.Compute([.. group], programme.Finds, [], programme.Processed, options);
            Json(shared).ShouldBe(Json(alone), group.Key);
            shared.FindsInsideRecords.ShouldBeGreaterThan(0, group.Key);
            zones.Add(shared.ProjectionEpsg);
        }
        zones.ShouldBe([32726, 32726, 32727]);
    }

    [Theory]
    [InlineData(21)]
    [InlineData(22)]
    public void CoverageOverBuffers_EqualsGrowingEveryRecord_ForFindsOnAndAroundEveryBuffersEdge(int seed)
    {
        // Finds placed in metres at 0.97–1.03 of each buffer from a record's vertex or edge, outward, where the
        // grown polygon's chords and the input simplification decide: the shortcut must test these exactly.
        var programme = Generate(seed, records: 60, finds: 500);
        var records = programme.Records.Select(r => r.Footprint).ToList();
        var extent = new Envelope();
        foreach (var g in records) extent.ExpandToInclude(g.EnvelopeInternal);
        var projection = new LocalProjection(extent);
        var random = new Random(seed);
        var lons = new List<double>(programme.Finds.Select(f => f.Lon));
        var lats = new List<double>(programme.Finds.Select(f => f.Lat));
        foreach (var record in records)
        {
            var metric = projection.Project(record);
            var centre = metric.Centroid.Coordinate;
            foreach (var buffer in RecordAccuracyOptions.CurveBuffers.Where(b => b > 0))
                foreach (var factor in new[] { 0.97, 0.985, 0.992, 0.996, 0.999, 1.0, 1.001, 1.005, 1.01, 1.015, 1.03 })
                {
                    var corner = metric.Coordinates[random.Next(metric.Coordinates.Length)];
                    var next = metric.Coordinates[(Array.IndexOf(metric.Coordinates, corner) + 1) % metric.Coordinates.Length];
                    var t = random.NextDouble();
                    var from = random.Next(2) == 0 ? corner : new Coordinate(corner.X + (next.X - corner.X) * t, corner.Y + (next.Y - corner.Y) * t);
                    var (dx, dy) = (from.X - centre.X, from.Y - centre.Y);
                    var length = Math.Sqrt(dx * dx + dy * dy);
                    if (length == 0) (dx, dy, length) = (1, 0, 1);
                    var point = projection.Factory.CreatePoint(new Coordinate(from.X + dx / length * buffer * factor, from.Y + dy / length * buffer * factor));
                    var wgs84 = projection.Unproject(point).Coordinate;
                    lons.Add(wgs84.X);
                    lats.Add(wgs84.Y);
                }
        }
        var quantities = Enumerable.Range(0, lons.Count).Select(i => 1 + i % 3).ToArray();

        var fast = BufferCoverage.Compute(records, [.. lons], [.. lats], quantities, RecordAccuracyOptions.CurveBuffers, projection);

        // Every record grown by every buffer with NetTopologySuite, every find against every grown record.
        for (var b = 0; b < RecordAccuracyOptions.CurveBuffers.Length; b++)
        {
            var buffer = RecordAccuracyOptions.CurveBuffers[b];
            var grown = records.Select(r => buffer > 0 ? projection.Unproject(projection.Project(r).Buffer(buffer))
                : r is IPolygonal ? r : Wgs84.CreateMultiPolygon()).ToList();
            var inside = Enumerable.Range(0, lons.Count)
                .Where(i => grown.Any(g => Covers(g, Wgs84.CreatePoint(new Coordinate(lons[i], lats[i])))))
                .Sum(i => (long)quantities[i]);
            fast[b].ShouldBe(inside, $"buffer {buffer} m");
            if (buffer > 0) inside.ShouldBeLessThan(quantities.Sum(q => (long)q), "some finds lie beyond the buffer");
        }
    }

    /// <summary>Covers, skipping the polygons whose envelope is elsewhere (no index: every pair is looked at).</summary>
    private static bool Covers(Geometry polygon, Point point) => polygon.EnvelopeInternal.Covers(point.Coordinate) && polygon.Covers(point);

    private static double Quantile(List<double> sorted, double q)
    {
        var position = q * (sorted.Count - 1);
        var lo = (int)Math.Floor(position);
        var hi = Math.Min(lo + 1, sorted.Count - 1);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (position - lo);
    }
}
