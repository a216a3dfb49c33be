using Groundtruth.Analysis.Geodesy;
using Groundtruth.Analysis.Records;
using Groundtruth.Analysis.Risk;
using Groundtruth.Application.Demo;
using Groundtruth.Application.History;
using Groundtruth.Application.Progress;
using Groundtruth.Application.Risk;
using Groundtruth.Application.Tests.Support;
using Groundtruth.Domain;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Geometries;

namespace Groundtruth.Application.Tests.Risk;

/// <summary>
/// The fast paths of issue 11 against the slow ones they replace, on a generated programme larger than the other
/// risk tests use (demo scale 4): each source's reliability counted directly against the full record accuracy, the
/// priorities' accident counts through the point index against a count over every accident, and the progress
/// the use cases report.
/// </summary>
public sealed class RiskAtScaleTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    /// <summary>The risk inputs of a demo at scale 4 (seed 5), as the loader reads them.</summary>
    private static async Task<RiskData> DemoDataAsync()
    {
        await using var database = await TestDatabase.CreateAsync(Backend.GeoPackage, initialise: false);
        await new DemoHandler(database.Target, new FixedClock(Now)).HandleAsync(new DemoRequest(Seed: 5, Scale: 4));
        await using var db = database.Target.CreateContext();
        return (await RiskDataLoader.LoadAsync(db, HistoryPoint.Current, null, TestContext.Current.CancellationToken)).Data;
    }

    [Fact]
    public async Task Reliability_CountsWhatRecordAccuracyCounts_ForEverySourceAndCutoff()
    {
        var data = await DemoDataAsync();
        data.Records.Count.ShouldBeGreaterThan(100);

        var scene = new RiskScene(data, 500);
        var compared = 0;
        foreach (var cutoff in new[] { new DateOnly(2015, 1, 1), new DateOnly(2022, 1, 1), new DateOnly(2025, 6, 1), new DateOnly(2026, 11, 27) })
        {
            // What EvidenceLayers.Build hands over: what was known before the cutoff, work under way then left open.
            var finds = data.Finds.Where(f => RiskScene.KnownBefore(f.FoundOn, cutoff)).ToList();
            var accidents = data.Accidents.Where(a => RiskScene.KnownBefore(a.OccurredOn, cutoff)).ToList();
            var processed = data.Processed.Where(p => p.Start is { } s && RiskScene.KnownBefore(s, cutoff))
                .Select(p => p.End is { } end && !RiskScene.KnownBefore(end, cutoff) ? p with { End = null } : p).ToList();
            var shared = new SourceReliability.Shared();
            // And as the layers use it: the processed land as the scene projected it, shared by the sources, and the
            // records' buffers kept by the scene from the earlier cutoffs.
            var layers = EvidenceLayers.Build(scene, cutoff, new RiskOptions(CellM: 500));
            foreach (var source in data.Records.Where(r => RiskScene.KnownBefore(r.HandedOverOn, cutoff)).GroupBy(r => r.Record.Source).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                var records = source.Select(r => r.Record).ToList();
                var fast = SourceReliability.Measure(records, finds, accidents, processed, cutoff, shared);
                var full = SourceReliability.MeasureByRecordAccuracy(records, finds, accidents, processed, cutoff);
                fast.ShouldBe(full, $"{source.Key} before {cutoff:yyyy-MM-dd}");
                layers.Reliability[source.Key].ShouldBe(full, $"{source.Key} before {cutoff:yyyy-MM-dd}, in the layers");
                if (full.Evaluated > 0) compared++;
            }
        }
        compared.ShouldBeGreaterThan(3, "sources with evaluated records were compared");
        // The layers measured the records no processed area comes near without buffering them, and counted the same.
        scene.RecordBuffers.RecordsFarFromProcessedLand.ShouldBeGreaterThan(0, "some records lie far from every processed area");
        scene.RecordBuffers.RecordsFarFromProcessedLand.ShouldBeLessThan(data.Records.Count);
    }

    [Fact]
    public async Task Reliability_OfAMapOfOnePlace_IsTheWholeProgrammes()
    {
        // Seen by a user: `risk map --in PLACE` weighed a source 0/10 confirmed where the whole map weighed it 7/10. A source's
        // reliability is measured on all its records and all the processed land, inside the place or not, but the mine finds
        // beyond the place's grid were left out, so the records there lost their confirmations.
        await using var database = await TestDatabase.CreateAsync(Backend.GeoPackage, initialise: false);
        await new DemoHandler(database.Target, new FixedClock(Now)).HandleAsync(new DemoRequest(Seed: 5, Scale: 4));
        await using var db = database.Target.CreateContext();
        var whole = await RiskDataLoader.LoadAsync(db, HistoryPoint.Current, null, TestContext.Current.CancellationToken);
        var place = whole.Places.First(p => p.Kind != Groundtruth.Domain.PlaceKind.Country && p.Geometry is IPolygonal);
        var data = (await RiskDataLoader.LoadAsync(db, HistoryPoint.Current, place.Id, TestContext.Current.CancellationToken)).Data;
        var scene = new RiskScene(data, 500);
        scene.FindCells.Count(c => c < 0).ShouldBeGreaterThan(data.Finds.Count / 4, "most finds lie beyond the place's grid");

        var cutoff = new DateOnly(2026, 11, 27);
        var layers = EvidenceLayers.Build(scene, cutoff, new RiskOptions(CellM: 500));
        var finds = data.Finds.Where(f => RiskScene.KnownBefore(f.FoundOn, cutoff)).ToList();
        var accidents = data.Accidents.Where(a => RiskScene.KnownBefore(a.OccurredOn, cutoff)).ToList();
        var processed = data.Processed.Where(p => p.Start is { } s && RiskScene.KnownBefore(s, cutoff))
            .Select(p => p.End is { } end && !RiskScene.KnownBefore(end, cutoff) ? p with { End = null } : p).ToList();
        var confirmed = 0;
        foreach (var source in data.Records.Where(r => RiskScene.KnownBefore(r.HandedOverOn, cutoff)).GroupBy(r => r.Record.Source))
        {
            var full = SourceReliability.MeasureByRecordAccuracy([.. source.Select(r => r.Record)], finds, accidents, processed, cutoff);
            layers.Reliability[source.Key].ShouldBe(full, $"{source.Key}, mapped in {place.Name} only");
            confirmed += full.Confirmed;
        }
        confirmed.ShouldBeGreaterThan(0, "some records were confirmed");
    }

    [Fact]
    public async Task Reliability_WithBlocksHeldOut_InTheLayers_IsTheRecordAccuracyOfWhatTheBlocksLeaveVisible()
    {
        // The layers read each record's pieces and mine finds from what the scene found once for these blocks (issue 16):
        // each window must still count exactly what record accuracy counts on the finds and processed land it may see.
        var data = await DemoDataAsync();
        var scene = new RiskScene(data, 500);
        var grid = scene.Grid;
        var fold = RiskEvaluation.SpatialFolds(grid, 4);
        // Land is visible when neither its interior point nor any cell it fills lies in a held-out block.
        bool Visible(Geometry metric, bool[] hidden)
        {
            var p = metric.InteriorPoint;
            var cell = grid.CellOf(p.X, p.Y);
            var touches = cell >= 0 && hidden[cell];
            grid.FillPolygonal(metric, c => touches |= hidden[c]);
            return !touches;
        }
        var compared = 0;
        var differ = false;
        foreach (var held in new[] { 0, 2 })
        {
            var hidden = fold.Select(f => f == held).ToArray();
            foreach (var cutoff in new[] { new DateOnly(2022, 1, 1), new DateOnly(2025, 6, 1), new DateOnly(2026, 11, 27) })
            {
                var finds = data.Finds.Where((f, i) => RiskScene.KnownBefore(f.FoundOn, cutoff) && scene.FindCells[i] >= 0 && !hidden[scene.FindCells[i]]).ToList();
                var accidents = data.Accidents.Where((a, i) => RiskScene.KnownBefore(a.OccurredOn, cutoff) && scene.AccidentCells[i] >= 0 && !hidden[scene.AccidentCells[i]]).ToList();
                var processed = data.Processed.Where((p, i) => p.Start is { } s && RiskScene.KnownBefore(s, cutoff) && Visible(scene.ProcessedMetric[i], hidden))
                    .Select(p => p.End is { } end && !RiskScene.KnownBefore(end, cutoff) ? p with { End = null } : p).ToList();
                var layers = EvidenceLayers.Build(scene, cutoff, new RiskOptions(CellM: 500), hidden);
                var everything = EvidenceLayers.Build(scene, cutoff, new RiskOptions(CellM: 500));
                foreach (var source in data.Records.Where(r => RiskScene.KnownBefore(r.HandedOverOn, cutoff)).GroupBy(r => r.Record.Source).OrderBy(g => g.Key, StringComparer.Ordinal))
                {
                    var full = SourceReliability.MeasureByRecordAccuracy([.. source.Select(r => r.Record)], finds, accidents, processed, cutoff);
                    layers.Reliability[source.Key].ShouldBe(full, $"{source.Key} before {cutoff:yyyy-MM-dd}, block {held} held out");
                    differ |= everything.Reliability[source.Key] != full;
                    if (full.Evaluated > 0) compared++;
                }
            }
        }
        compared.ShouldBeGreaterThan(6, "sources with evaluated records were compared");
        differ.ShouldBeTrue("holding a block out changed some source's figures (the test can fail)");
    }

    [Fact]
    public async Task Layers_OfWindowsSharingAScene_AreTheLayersOfEachWindowAlone()
    {
        var data = await DemoDataAsync();
        var options = new RiskOptions(CellM: 500);
        var cutoffs = new[] { new DateOnly(2015, 1, 1), new DateOnly(2022, 1, 1), new DateOnly(2025, 6, 1), new DateOnly(2026, 11, 27) };

        // Side by side on one scene, as the map builds its windows: each record's area in each processed piece is
        // computed by whichever window meets it first and read by the others.
        var scene = new RiskScene(data, 500);
        scene.PrepareRecordShapes();
        var together = new byte[cutoffs.Length][];
        Parallel.For(0, cutoffs.Length, i => together[i] = EvidenceLayers.Build(scene, cutoffs[i], options).ToBytes());
        // Each window alone on a scene of its own: nothing kept from another window.
        for (var i = 0; i < cutoffs.Length; i++)
        {
            var alone = EvidenceLayers.Build(new RiskScene(data, 500), cutoffs[i], options);
            if (i == cutoffs.Length - 1) alone.Reliability.Values.Sum(r => r.Evaluated).ShouldBeGreaterThan(10, "records evaluated by the last cutoff");
            together[i].ShouldBe(alone.ToBytes(), $"layers before {cutoffs[i]:yyyy-MM-dd}");
        }
    }

    [Theory]
    [ClassData(typeof(Backends))]
    public async Task Load_OnThreeConnections_IsWhatOneConnectionReadsInTurn(Backend backend)
    {
        await using var database = await TestDatabase.CreateAsync(backend, initialise: false);
        await new DemoHandler(database.Target, new FixedClock(Now)).HandleAsync(new DemoRequest(Seed: 3, Scale: 1));
        var ct = TestContext.Current.CancellationToken;
        RiskData beside, inTurn;
        await using (var db = database.Target.CreateContext()) beside = (await RiskDataLoader.LoadAsync(db, HistoryPoint.Current, null, ct)).Data;
        // A point in history is read on the one connection that holds its shadow tables, table after table; a day long
        // after the demo's last change, the versions hold what the layer tables hold.
        await using (var db = database.Target.CreateContext()) inTurn = (await RiskDataLoader.LoadAsync(db, new HistoryPoint(AsOf: new DateOnly(2100, 1, 1)), null, ct)).Data;

        beside.Finds.Count.ShouldBeGreaterThan(100);
        beside.Records.Count.ShouldBeGreaterThan(10);
        // The risk model reads the finds without their ids, in the order each store hands them: the same finds either way.
        beside.Finds.ShouldAllBe(f => f.Id.Length == 0);
        Canonical(beside.Finds).ShouldBe(Canonical(inTurn.Finds), "finds");
        beside.Accidents.ShouldBe(inTurn.Accidents, "accidents");
        Keys(beside.Records.Select(r => (r.Record.Id, r.Record.Source, r.Record.Footprint, (object?)r.HandedOverOn))).ShouldBe(Keys(inTurn.Records.Select(r => (r.Record.Id, r.Record.Source, r.Record.Footprint, (object?)r.HandedOverOn))), "records");
        Keys(beside.Lines.Select(l => (l.Id, l.Kind.ToString(), l.Geometry, (object?)null))).ShouldBe(Keys(inTurn.Lines.Select(l => (l.Id, l.Kind.ToString(), l.Geometry, (object?)null))), "lines");
        Keys(beside.Hazards.Select(h => (h.Id, "", h.Area, (object?)h.On))).ShouldBe(Keys(inTurn.Hazards.Select(h => (h.Id, "", h.Area, (object?)h.On))), "hazards");
        Keys(beside.Releases.Select(h => (h.Id, "", h.Area, (object?)h.On))).ShouldBe(Keys(inTurn.Releases.Select(h => (h.Id, "", h.Area, (object?)h.On))), "releases");
        Keys(beside.Surveys.Select(h => (h.Id, "", h.Area, (object?)h.Start))).ShouldBe(Keys(inTurn.Surveys.Select(h => (h.Id, "", h.Area, (object?)h.Start))), "surveys");
        Keys(beside.Processed.Select(h => (h.Id, $"{h.End}", h.Area, (object?)h.Start))).ShouldBe(Keys(inTurn.Processed.Select(h => (h.Id, $"{h.End}", h.Area, (object?)h.Start))), "processed");
        beside.Area.EqualsExact(inTurn.Area).ShouldBeTrue("area");
    }

    [Theory]
    [ClassData(typeof(Backends))]
    public async Task Load_Areas_AreTheTypedQueriesRows(Backend backend)
    {
        // The hazardous areas, land release and activities are read raw (no EF materialisation per row): the same ids, dates,
        // kinds and geometries, bit for bit, as EF's typed queries give, on each store.
        await using var database = await TestDatabase.CreateAsync(backend, initialise: false);
        await new DemoHandler(database.Target, new FixedClock(Now)).HandleAsync(new DemoRequest(Seed: 2, Scale: 1));
        var ct = TestContext.Current.CancellationToken;
        await using var db = database.Target.CreateContext();
        // Two clearances whose kind is stored in another spelling (as an edit outside Groundtruth may leave it): the typed query's
        // `type IN (…)` leaves them out, and so must the raw read.
        var respelled = await db.Activities.AsNoTracking().Where(a => a.Geometry != null && a.Type == Domain.ActivityType.Clearance).OrderBy(a => a.Id).Select(a => a.Id).Take(2).ToListAsync(ct);
        respelled.Count.ShouldBe(2);
        await db.Database.ExecuteSqlRawAsync("UPDATE activities SET type = 'Clearance' WHERE id = {0}", [respelled[0]], ct);
        await db.Database.ExecuteSqlRawAsync("UPDATE activities SET type = 'clearance ' WHERE id = {0}", [respelled[1]], ct);
        var data = (await RiskDataLoader.LoadAsync(db, HistoryPoint.Current, null, ct)).Data;
        data.Surveys.ShouldNotContain(a => respelled.Contains(a.Id));
        var hazards = await db.Hazards.AsNoTracking().Where(h => h.Geometry != null).OrderBy(h => h.Id).Select(h => new { h.Id, h.Geometry, h.RecordedOn }).ToListAsync(ct);
        var releases = await db.LandReleases.AsNoTracking().Where(l => l.Geometry != null).OrderBy(l => l.Id).Select(l => new { l.Id, l.Geometry, l.ReleasedOn, l.Method }).ToListAsync(ct);
        Domain.ActivityType[] surveyed = [Domain.ActivityType.NonTechnicalSurvey, Domain.ActivityType.TechnicalSurvey, Domain.ActivityType.Clearance, Domain.ActivityType.BattleAreaClearance];
        var activities = await db.Activities.AsNoTracking().Where(a => a.Geometry != null && surveyed.Contains(a.Type)).OrderBy(a => a.Id).Select(a => new { a.Id, a.Geometry, a.Type, a.StartedOn, a.CompletedOn }).ToListAsync(ct);
        hazards.Count.ShouldBeGreaterThan(10);
        releases.Count.ShouldBeGreaterThan(10);
        activities.Count.ShouldBeGreaterThan(10);
        activities.Select(a => a.Type).Distinct().Count().ShouldBeGreaterThan(1, "activities of more than one kind");
        var ordinal = StringComparer.Ordinal;
        Keys(data.Hazards.Select(h => (h.Id, "", h.Area, (object?)h.On))).ShouldBe(Keys(hazards.OrderBy(h => h.Id, ordinal).Select(h => (h.Id, "", (Geometry)h.Geometry!, (object?)h.RecordedOn))), "hazards");
        Keys(data.Releases.Select(h => (h.Id, "", h.Area, (object?)h.On))).ShouldBe(Keys(releases.OrderBy(l => l.Id, ordinal).Select(l => (l.Id, "", (Geometry)l.Geometry!, (object?)l.ReleasedOn))), "releases");
        Keys(data.Surveys.Select(a => (a.Id, "", a.Area, (object?)a.Start))).ShouldBe(Keys(activities.OrderBy(a => a.Id, ordinal).Select(a => (a.Id, "", (Geometry)a.Geometry!, (object?)a.StartedOn))), "surveys");
        // The processed land: technical surveys, clearances and battle area clearances with their ends, then the land released other than by cancellation.
        Keys(data.Processed.Select(p => (p.Id, $"{p.End}", p.Area, (object?)p.Start))).ShouldBe(Keys(
            activities.OrderBy(a => a.Id, ordinal).Where(a => a.Type != Domain.ActivityType.NonTechnicalSurvey).Select(a => (a.Id, $"{a.CompletedOn}", (Geometry)a.Geometry!, (object?)a.StartedOn))
                .Concat(releases.OrderBy(l => l.Id, ordinal).Where(l => l.Method != Domain.ReleaseMethod.Cancelled).Select(l => (l.Id, $"{(PartialDate?)l.ReleasedOn}", (Geometry)l.Geometry!, (object?)(PartialDate?)l.ReleasedOn)))), "processed");
    }

    /// <summary>Finds as text (every bit of their coordinates), in an order of their own.</summary>
    private static List<string> Canonical(IEnumerable<FindInput> finds) =>
        [.. finds.Select(f => $"{BitConverter.DoubleToInt64Bits(f.Lon)} {BitConverter.DoubleToInt64Bits(f.Lat)} {f.Quantity} {f.Category} {f.Emplacement} {f.FoundOn}").Order(StringComparer.Ordinal)];

    [Fact]
    public async Task TheLayersAndTheMap_DoNotDependOnTheFindsOrder()
    {
        // The loader hands the finds over in the order the store reads them (no ids to sort by): every figure must be the same
        // in any order. The finds reversed, and shuffled, give the same layers, bit for bit, and the same map.
        var data = await DemoDataAsync();
        var options = new RiskOptions(CellM: 500);
        var cutoff = new DateOnly(2026, 11, 27);
        var random = new Random(7);
        var orders = new[] { data.Finds, [.. data.Finds.Reverse()], [.. data.Finds.OrderBy(_ => random.Next())] };
        var layers = orders.Select(finds => EvidenceLayers.Build(new RiskScene(data with { Finds = finds }, 500), new DateOnly(2025, 6, 1), options).ToBytes()).ToList();
        layers[1].ShouldBe(layers[0], "reversed");
        layers[2].ShouldBe(layers[0], "shuffled");
        var maps = orders.Select(finds => RiskModel.Map(data with { Finds = finds }, cutoff, options).Likelihood).ToList();
        maps[0].Count(v => !float.IsNaN(v)).ShouldBeGreaterThan(100);
        maps[1].ShouldBe(maps[0], "reversed");
        maps[2].ShouldBe(maps[0], "shuffled");
    }

    /// <summary>Rows as text, geometries as the hex of their well-known binary (every bit), for a comparison that names the row.</summary>
    private static List<string> Keys(IEnumerable<(string Id, string Text, Geometry Geometry, object? Date)> rows) =>
        [.. rows.Select(r => $"{r.Id} {r.Text} {r.Date} {Convert.ToHexString(new NetTopologySuite.IO.WKBWriter().Write(r.Geometry))} {r.Geometry.SRID}")];

    [Fact]
    public async Task PriorityAccidents_ThroughTheIndex_AreTheCountOverEveryAccident()
    {
        await using var database = await TestDatabase.CreateAsync(Backend.GeoPackage, initialise: false);
        await new DemoHandler(database.Target, new FixedClock(Now)).HandleAsync(new DemoRequest(Seed: 6, Scale: 4));
        await using var db = database.Target.CreateContext();
        var data = (await RiskDataLoader.LoadAsync(db, HistoryPoint.Current, null, TestContext.Current.CancellationToken)).Data;
        var areas = data.Hazards.Select(h => new PriorityArea(h.Id, null, null, h.Area, 1)).ToList();
        var accidents = data.Accidents.Select(a => (a.Lon, a.Lat)).ToList();
        var weights = new PriorityWeights(AccidentsWithinM: 1500);

        var rows = Priorities.Rank(areas, [], [], accidents, null, weights);

        // Independently: every accident against every area, in the projection the ranking measures in.
        var extent = new Envelope();
        foreach (var a in areas) extent.ExpandToInclude(a.Residual.EnvelopeInternal);
        var projection = new LocalProjection(extent);
        var points = accidents.Select(a => projection.Project(a.Lon, a.Lat)).Select(p => projection.Factory.CreatePoint(new Coordinate(p.X, p.Y))).ToList();
        var nonZero = 0;
        foreach (var row in rows)
        {
            var g = projection.Project(row.Area.Residual);
            var expected = points.Count(p => g.IsWithinDistance(p, weights.AccidentsWithinM));
            row.Criteria.Single(c => c.Criterion == "accidents").Raw.ShouldBe(expected, row.Area.Id);
            if (expected > 0) nonZero++;
        }
        nonZero.ShouldBeGreaterThan(10);
    }

    [Fact]
    public async Task PriorityPeopleAndRoads_ThroughTheIndexes_AreTheSumsOverEveryVillageAndRoad()
    {
        await using var database = await TestDatabase.CreateAsync(Backend.GeoPackage, initialise: false);
        await new DemoHandler(database.Target, new FixedClock(Now)).HandleAsync(new DemoRequest(Seed: 7, Scale: 4));
        await using var db = database.Target.CreateContext();
        var load = await RiskDataLoader.LoadAsync(db, HistoryPoint.Current, null, TestContext.Current.CancellationToken);
        var areas = load.Data.Hazards.Select(h => new PriorityArea(h.Id, null, null, h.Area, 1)).ToList();
        var villages = load.Places.Where(p => p.Kind == Domain.PlaceKind.Village && p.Population is > 0)
            .Select(p => new PriorityVillage(p.Id, p.Name, p.Population!.Value, p.Geometry)).ToList();
        var roads = load.Data.Lines.Where(l => l.Kind is Domain.LineKind.Road or Domain.LineKind.Other).Select(l => l.Geometry).ToList();
        villages.Count.ShouldBeGreaterThan(10);
        roads.Count.ShouldBeGreaterThan(3);
        var weights = new PriorityWeights();

        var rows = Priorities.Rank(areas, villages, roads, [], null, weights);

        // Independently: every village and every road against every area, in the projection the ranking measures in,
        // the road lengths summed in the roads' order (the ranking's own order, so the sums agree to the last digit).
        var extent = new Envelope();
        foreach (var a in areas) extent.ExpandToInclude(a.Residual.EnvelopeInternal);
        var projection = new LocalProjection(extent);
        var villageMetric = villages.Select(v => (v.Population, Geometry: projection.Project(v.Geometry))).ToList();
        var roadMetric = roads.Select(projection.Project).ToList();
        var (withPeople, withRoads) = (0, 0);
        foreach (var row in rows)
        {
            var g = projection.Project(row.Area.Residual);
            double people = villageMetric.Where(v => v.Geometry.IsWithinDistance(g, weights.PeopleWithinM)).Sum(v => (double)v.Population);
            var zone = g.Buffer(weights.RoadsWithinM);
            double roadM = roadMetric.Where(r => r.EnvelopeInternal.Intersects(zone.EnvelopeInternal)).Sum(r => r.Intersection(zone).Length);
            row.Criteria.Single(c => c.Criterion == "people").Raw.ShouldBe(people, row.Area.Id);
            row.Criteria.Single(c => c.Criterion == "roads").Raw.ShouldBe(roadM, row.Area.Id);
            if (people > 0) withPeople++;
            if (roadM > 0) withRoads++;
        }
        withPeople.ShouldBeGreaterThan(5);
        withRoads.ShouldBeGreaterThan(5);
    }

    /// <summary>
    /// The current state's priorities take the hazardous areas and land release the risk inputs read (issue 11, eighth
    /// round); a point in history still reads them through the versions. After every change the two give the same
    /// areas, places, residual polygons (every bit) and figures. Accidents are counted over a thousand years, so both
    /// count the same accidents whatever their latest date; risk is left out (the map would differ by its cut-off).
    /// </summary>
    [Fact]
    public async Task PriorityAreas_FromTheRiskInputs_AreThoseTheVersionsGive()
    {
        await using var database = await TestDatabase.CreateAsync(Backend.GeoPackage, initialise: false);
        await new DemoHandler(database.Target, new FixedClock(Now)).HandleAsync(new DemoRequest(Seed: 8, Scale: 4));
        var weights = Path.Combine(database.Directory, "weights.json");
        await File.WriteAllTextAsync(weights, """{ "risk": 0, "accidents_since_years": 1000 }""", TestContext.Current.CancellationToken);
        var handler = new PrioritiesHandler(database.Target, new FixedClock(Now));

        var current = await handler.HandleAsync(new PrioritiesRequest(weights), ct: TestContext.Current.CancellationToken);
        var versions = await handler.HandleAsync(new PrioritiesRequest(weights, new HistoryPoint(AsOf: new DateOnly(2100, 1, 1))), ct: TestContext.Current.CancellationToken);

        current.Rows.Count.ShouldBeGreaterThan(50);
        current.Rows.Count(r => r.Area.Place is not null).ShouldBeGreaterThan(10);
        static string Row(PriorityRow r) => $"{r.Rank} {r.Area.Id} {r.Area.Name} {r.Area.Place} {r.Area.ResidualM2:R} {r.Score:R} "
            + string.Join(' ', r.Criteria.Select(c => $"{c.Raw:R}"))
            + " " + Convert.ToHexString(new NetTopologySuite.IO.WKBWriter().Write(r.Area.Residual));
        current.Rows.Select(Row).ToList().ShouldBe(versions.Rows.Select(Row).ToList());
    }

    /// <summary>
    /// Roads are measured only when they come within reach of the area's buffer (<c>Priorities.RoadReach</c>): a road
    /// skipped adds nothing the buffer would have cut. Against the plain sum over every road, to the last bit, with
    /// roads placed just inside, at and just beyond the distance from areas with dents (the buffer simplifies an
    /// outline's shallow dents, moving its edge outwards), and areas whose envelope meets a road that passes by.
    /// </summary>
    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    public void PriorityRoads_NearTheDistance_AreTheSumOverEveryRoad(int seed)
    {
        var random = new Random(seed);
        var projection = new LocalProjection(new Envelope(30.0, 30.5, -20.5, -20.0));
        var areas = new List<PriorityArea>();
        var roads = new List<Geometry>();
        var metricRoads = new List<Geometry>();
        for (var i = 0; i < 60; i++)
        {
            var (x0, y0) = projection.Project(30.05 + 0.4 * random.NextDouble(), -20.45 + 0.4 * random.NextDouble());
            // A square with a shallow dent in its top edge (2 to 5 m deep: under 1 % of 500 m), so the buffer's
            // simplification can move the edge above the dent outwards.
            var side = 100 + random.NextDouble() * 200;
            var dent = 2 + random.NextDouble() * 3;
            Coordinate[] shell = [new(x0, y0), new(x0 + side, y0), new(x0 + side, y0 + side), new(x0 + side / 2, y0 + side - dent), new(x0, y0 + side), new(x0, y0)];
            var area = projection.Factory.CreatePolygon(shell);
            areas.Add(new PriorityArea($"A{i:000}", null, null, projection.Unproject(area), area.Area));
            // A road above the area at 500 m plus or minus a few metres that dips over the dent as deep as the dent (the
            // simplified buffer reaches it when it is up to the dent's depth beyond 500 m), one crossing at a slant, and
            // one that passes by the corner of the area's grown envelope without coming near the area.
            var above = y0 + side + 500 + (random.NextDouble() - 0.5) * 12;
            metricRoads.Add(projection.Factory.CreateLineString([new(x0 - 2000, above), new(x0 + side / 2, above - dent), new(x0 + side + 2000, above)]));
            metricRoads.Add(projection.Factory.CreateLineString([new(x0 - 700, y0 - 300), new(x0 + side + 700, y0 + side + 250 * random.NextDouble())]));
            metricRoads.Add(projection.Factory.CreateLineString([new(x0 + side + 480, y0 - 900), new(x0 + side + 900, y0 - 480)]));
        }
        foreach (var r in metricRoads) roads.Add(projection.Unproject(r));
        var weights = new PriorityWeights();

        var rows = Priorities.Rank(areas, [], roads, [], null, weights);

        // Independently: every road against every area's buffer, in the projection the ranking measures in.
        var extent = new Envelope();
        foreach (var a in areas) extent.ExpandToInclude(a.Residual.EnvelopeInternal);
        var measuring = new LocalProjection(extent);
        var roadMetric = roads.Select(measuring.Project).ToList();
        var (withRoads, nearTheEdge, cutBeyond) = (0, 0, 0);
        foreach (var row in rows)
        {
            var g = measuring.Project(row.Area.Residual);
            var zone = g.Buffer(weights.RoadsWithinM);
            var pieces = roadMetric.Where(r => r.EnvelopeInternal.Intersects(zone.EnvelopeInternal)).Select(r => r.Intersection(zone).Length).ToList();
            row.Criteria.Single(c => c.Criterion == "roads").Raw.ShouldBe(pieces.Sum(), row.Area.Id);
            if (pieces.Sum() > 0) withRoads++;
            if (roadMetric.Any(r => Math.Abs(r.Distance(g) - weights.RoadsWithinM) < 6)) nearTheEdge++;
            // Roads farther than the distance that the buffer still cuts: a test at the distance itself would miss them.
            if (roadMetric.Any(r => r.Distance(g) > weights.RoadsWithinM && r.Intersection(zone).Length > 0)) cutBeyond++;
        }
        withRoads.ShouldBeGreaterThan(40);
        nearTheEdge.ShouldBeGreaterThan(20);
        cutBeyond.ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task RiskMap_ReportsItsStages_InOrder_FromReadingToWriting()
    {
        await using var database = await TestDatabase.CreateAsync(Backend.GeoPackage, initialise: false);
        await new DemoHandler(database.Target, new FixedClock(Now)).HandleAsync(new DemoRequest(Seed: 3));
        var reports = new List<WorkProgress>();
        var folder = Directory.CreateTempSubdirectory("gt-risk-progress");
        try
        {
            await new RiskHandler(database.Target, new FixedClock(Now)).MapAsync(
                new RiskMapRequest(Path.Combine(folder.FullName, "r.tif"), new RiskOptions(CellM: 500)), new Collect(reports));
        }
        finally
        {
            folder.Delete(true);
        }
        reports.Count.ShouldBeGreaterThan(10);
        reports[0].Stage.ShouldBe("reading places");
        reports.ShouldContain(r => r.Stage.StartsWith("evidence layers of ", StringComparison.Ordinal));
        reports.ShouldContain(r => r.Stage == "fitting the model");
        reports[^1].Stage.ShouldBe("recording the export in the audit log");
        reports.Select(r => r.Fraction!.Value).ShouldBeInOrder(SortDirection.Ascending);
        reports.ShouldAllBe(r => r.Fraction >= 0 && r.Fraction <= 1);

        // Every stage the map reports is said in each page language (the pages' progress), its names and counts kept.
        foreach (var language in new[] { "fr", "es", "pt", "ar", "uk", "ru" })
        {
            var culture = System.Globalization.CultureInfo.GetCultureInfo(language);
            foreach (var stage in reports.Select(r => r.Stage).Distinct())
                WorkStages.Localise(stage, culture).ShouldNotBe(stage, $"{stage} in {language}");
            WorkStages.Localise("evidence layers of 3 training window(s)", culture).ShouldContain("3");
            WorkStages.Localise("reliability of Host Armed Forces's records", culture).ShouldContain("Host Armed Forces");
            var (fixedStages, patterns) = WorkStages.Table(culture);
            fixedStages["reading finds"].ShouldBe(WorkStages.Localise("reading finds", culture));
            patterns.Count.ShouldBe(4);
        }
        WorkStages.Localise("reading finds", System.Globalization.CultureInfo.GetCultureInfo("en")).ShouldBe("reading finds");
        WorkStages.Table(System.Globalization.CultureInfo.GetCultureInfo("en")).Fixed.ShouldBeEmpty();
    }

    private sealed class Collect(List<WorkProgress> into) : IProgress<WorkProgress>
    {
        public void Report(WorkProgress value) => into.Add(value);
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
