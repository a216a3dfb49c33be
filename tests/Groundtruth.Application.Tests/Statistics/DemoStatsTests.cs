using System.Globalization;
using Groundtruth.Analysis.Geodesy;
using Groundtruth.Application.Datasets;
using Groundtruth.Application.Demo;
using Groundtruth.Application.Statistics;
using Groundtruth.Application.Tests.Demo;
using Groundtruth.Application.Tests.Support;
using Groundtruth.Domain;
using NetTopologySuite.Geometries;

using FixedClock = Groundtruth.Application.Tests.Demo.FixedClock;

namespace Groundtruth.Application.Tests.Statistics;

/// <summary>The demo programme (seed 1, scale 1) in a GeoPackage and in PostgreSQL, and its CSV files read back as plain records.</summary>
public sealed class DemoStatsFixture : IAsyncLifetime
{
    private readonly Dictionary<Backend, Task<TestDatabase>> _databases = [];
    private readonly Lock _gate = new();

    public string FilesDirectory { get; } = DemoCsv.NewDirectory();
    internal DemoWorld World { get; } = new(1, 1, FixedClock.Today);
    public PlainProgramme Programme { get; private set; } = null!;

    public ValueTask InitializeAsync()
    {
        DemoData.WriteFiles(FilesDirectory, 1, 1, FixedClock.Today);
        Programme = new PlainProgramme(FilesDirectory);
        return ValueTask.CompletedTask;
    }

    /// <summary>The demo imported into <paramref name="backend"/>, once per test class.</summary>
    public Task<TestDatabase> DatabaseAsync(Backend backend)
    {
        lock (_gate)
        {
            if (!_databases.TryGetValue(backend, out var task))
            {
                task = CreateAsync(backend);
                _databases[backend] = task;
            }
            return task;
        }
    }

    private static async Task<TestDatabase> CreateAsync(Backend backend)
    {
        var t = await TestDatabase.CreateAsync(backend, initialise: false);
        await new DemoHandler(t.Target, FixedClock.AtToday).HandleAsync(new DemoRequest(Seed: 1, Scale: 1, Actor: "test"));
        return t;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var task in _databases.Values)
        {
            if (task.IsCompletedSuccessfully) await task.Result.DisposeAsync();
        }
        DemoCsv.Delete(FilesDirectory);
    }
}

/// <summary>One record as the test sees it: its date, point, weight and field values, straight from the CSV.</summary>
public sealed record PlainRecord(string Id, PartialDate? Date, Point? Point, int Weight, IReadOnlyDictionary<string, string> Fields);

/// <summary>
/// The demo's records computed without the statistics code: CSV rows, dates through PartialDate, places
/// through NetTopologySuite's Covers and areas in m², groups through LINQ.
/// </summary>
public sealed class PlainProgramme
{
    public PlainProgramme(string directory)
    {
        Places = [.. DemoCsv.Read(Path.Combine(directory, "places.csv"))
            .Select(r => (Id: r["id"], Name: r["name"], Geometry: DemoCsv.Geometry(r)!))
            .Where(p => p.Geometry is Polygon or MultiPolygon)
            .Select(p => (p.Id, p.Name, p.Geometry, Area: MetricArea.SquareMetres(p.Geometry)))];
        Finds = [.. DemoCsv.Read(Path.Combine(directory, "finds.csv")).Select(r =>
            new PlainRecord(r["id"], PartialDate.Parse(r["found_on"]), (Point?)DemoCsv.Geometry(r), r["quantity"].Length == 0 ? 1 : r.Int("quantity"), r))];
        var accidents = DemoCsv.Read(Path.Combine(directory, "accidents.csv"));
        Accidents = [.. accidents.Select(r => new PlainRecord(r["id"], PartialDate.Parse(r["occurred_on"]), (Point?)DemoCsv.Geometry(r), 1, r))];
        var byId = Accidents.ToDictionary(a => a.Id);
        Casualties = [.. DemoCsv.Read(Path.Combine(directory, "casualties.csv")).Select(r =>
        {
            var accident = r["accident_id"].Length > 0 ? byId[r["accident_id"]] : null;
            var date = r["occurred_on"].Length > 0 ? PartialDate.Parse(r["occurred_on"]) : accident?.Date;
            var point = (Point?)DemoCsv.Geometry(r) ?? accident?.Point;
            var fields = new Dictionary<string, string>(r);
            // Landmine Monitor: the age group follows the age at the accident date when it is known.
            if (r["age"].Length > 0) fields["age_group"] = r.Int("age") < 18 ? "child" : "adult";
            return new PlainRecord(r["id"], date, point, 1, fields);
        })];
    }

    public List<(string Id, string Name, Geometry Geometry, double Area)> Places { get; }
    public List<PlainRecord> Finds { get; }
    public List<PlainRecord> Accidents { get; }
    public List<PlainRecord> Casualties { get; }

    public List<PlainRecord> Of(string dataset) => dataset switch { "finds" => Finds, "accidents" => Accidents, _ => Casualties };

    /// <summary>The smallest place (m², then id) covering the point, by brute force.</summary>
    public string Place(Point? p) => p is null ? "unknown"
        : Places.Where(x => x.Geometry.Covers(p)).OrderBy(x => x.Area).ThenBy(x => x.Id, StringComparer.Ordinal).Select(x => x.Id).FirstOrDefault() ?? "unknown";

    public string Value(PlainRecord r, string field) => field switch
    {
        "place" => Place(r.Point),
        "year" => r.Date is { } d ? d.Year.ToString("D4", CultureInfo.InvariantCulture) : "unknown",
        "month" => r.Date is { Precision: >= DatePrecision.Month } m ? $"{m.Year:D4}-{m.Month:D2}" : "unknown",
        _ => r.Fields.TryGetValue(field, out var v) && v.Length > 0 ? v : "unknown",
    };
}

/// <summary>Every figure of <c>stats</c> on the demo data equals the same figure computed with plain LINQ over the generated records, on both backends.</summary>
public sealed class DemoStatsTests(DemoStatsFixture demo) : IClassFixture<DemoStatsFixture>
{
    private DemoTimeline Time => demo.World.Time;

    private static string Day(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>The questions of DESIGN section 2, and a few more, as requests.</summary>
    private List<StatsRequest> Questions()
    {
        var since = Day(Time.EndOfHostilities);
        var window = (From: Day(Time.WindowStart), To: Day(Time.Latest));
        var e001 = demo.World.E001District;
        return
        [
            new("casualties", window.From, window.To, By: ["outcome"]),
            new("casualties", since, By: ["outcome", "status"]),
            new("casualties", window.From, window.To, Where: ["status=civilian"], By: ["age_group"]),
            new("casualties", window.From, window.To, Where: ["occupation=journalist"], By: ["outcome"]),
            new("casualties", window.From, window.To, Where: ["sex=female", "age_group=adult"]),
            new("casualties", since, By: ["status", "sex"]),
            new("casualties", "2020", "2021-06", By: ["place"]),
            new("casualties", By: ["year"]),
            new("finds", since, Where: ["model=E-001 M", "category=anti_personnel_mine"], In: e001.Id, By: ["production_year"]),
            new("finds", since, Where: ["model=E-001 M"], In: e001.Name),
            new("finds", Day(Time.BoobyTrapDay), Day(Time.BoobyTrapDay), Where: ["category=booby_trap"], By: ["context", "place"]),
            new("finds", Day(Time.Latest.AddYears(-2)), By: ["category", "month"]),
            new("finds", By: ["place"]),
            new("finds", Where: ["emplacement=emplaced"], By: ["category"]),
            new("accidents", By: ["kind", "device_category"]),
            new("accidents", window.From, window.To, In: demo.World.Regions[1].Id, By: ["place"]),
        ];
    }

    /// <summary>The figure computed from the plain records.</summary>
    private (long Total, long Records, long Straddling, long[] LeftOut, Dictionary<string, long> Groups, Dictionary<string, long> Known) Expected(StatsRequest q)
    {
        var p = demo.Programme;
        DateOnly? from = q.From is null ? null : PartialDate.Parse(q.From).Start;
        DateOnly? to = q.To is null ? null : PartialDate.Parse(q.To).End;
        var wheres = (q.Where ?? []).Select(w => (Field: w[..w.IndexOf('=')], Value: w[(w.IndexOf('=') + 1)..])).ToList();
        Geometry? inside = null;
        if (q.In is not null) inside = p.Places.Single(x => x.Id == q.In || x.Name == q.In).Geometry;
        var records = p.Of(q.Dataset).Where(r => inside is null || (r.Point is not null && inside.Covers(r.Point))).ToList();
        bool Matches(PlainRecord r, (string Field, string Value) w) => p.Value(r, w.Field) == w.Value;
        var inWindow = records.Where(r => r.Date!.Value.LiesWithin(from, to)).ToList();
        var counted = inWindow.Where(r => wheres.All(w => Matches(r, w))).ToList();
        var straddling = records.Where(r => r.Date!.Value.Straddles(from, to) && wheres.All(w => Matches(r, w))).Sum(r => (long)r.Weight);
        var leftOut = wheres.Select(w => inWindow.Where(r => p.Value(r, w.Field) == "unknown" && wheres.Where(o => o != w).All(o => Matches(r, o))).Sum(r => (long)r.Weight)).ToArray();
        var by = q.By ?? [];
        var groups = counted.GroupBy(r => string.Join(",", by.Select(b => p.Value(r, b)))).ToDictionary(g => g.Key, g => g.Sum(r => (long)r.Weight));
        var known = by.ToDictionary(b => b, b => counted.Where(r => p.Value(r, b) != "unknown").Sum(r => (long)r.Weight));
        return (counted.Sum(r => (long)r.Weight), counted.Count, straddling, leftOut, groups, known);
    }

    [Theory]
    [ClassData(typeof(Backends))]
    public async Task EveryQuestion_EqualsThePlainComputation(Backend backend)
    {
        var t = await demo.DatabaseAsync(backend);
        var handler = new StatsHandler(t.Target, FixedClock.AtToday);
        foreach (var q in Questions())
        {
            var label = $"{q.Dataset} from {q.From} to {q.To} where {string.Join(" & ", q.Where ?? [])} in {q.In} by {string.Join(",", q.By ?? [])}";
            var r = await handler.HandleAsync(q);
            var e = Expected(q);
            e.Total.ShouldBeGreaterThan(0, label);
            r.Figures.Total.ShouldBe(e.Total, label);
            r.Figures.Records.ShouldBe(e.Records, label);
            r.Figures.Straddling.ShouldBe(e.Straddling, label);
            r.Where.Select(w => w.UnknownLeftOut ?? -1).ShouldBe(e.LeftOut, label);
            r.Figures.Groups.Sum(g => g.Count).ShouldBe(e.Total, label);
            r.Figures.Groups.ToDictionary(g => string.Join(",", g.Values), g => g.Count!.Value).ShouldBe(e.Groups, ignoreOrder: true, label);
            foreach (var f in r.Figures.Fields)
            {
                f.Known.ShouldBe(e.Known[f.Field], label);
                f.Unknown.ShouldBe(e.Total - e.Known[f.Field], label);
            }
            var knownAll = r.Figures.Groups.Where(g => !g.Values.Contains("unknown")).Sum(g => g.Count!.Value);
            foreach (var g in r.Figures.Groups.Where(g => !g.Values.Contains("unknown")))
                g.ShareOfKnown!.Value.ShouldBe((double)g.Count!.Value / knownAll, 1e-12, label);
        }
    }

    /// <summary>The <c>stats</c> forms of the README, as requests (their dates fall in or before the demo's years).</summary>
    private static List<StatsRequest> ReadmeForms() =>
    [
        new("casualties", "1996-11-27", By: ["outcome"]),
        new("casualties", "2023-11-01", By: ["outcome,status"]),
        new("casualties", "1996-11-27", Where: ["occupation=journalist"], By: ["outcome"]),
        new("casualties", "1996-11-27", Where: ["sex=female", "age_group=adult"], By: ["outcome"]),
        new("casualties", "1996-11-27", Where: ["status=civilian"], By: ["age_group"]),
        new("finds", "2023-11-01", Where: ["model=E-001 M", "category=anti_personnel_mine"], In: "Truvroudum", By: ["production_year"]),
        new("finds", "2023-12-16", "2023-12-16", Where: ["category=booby_trap"], By: ["context,place"]),
        new("accidents", "2023-11-01", By: ["kind"]),
    ];

    /// <summary>More forms: unknowns selected, a place as a where, case-insensitive text, numbers, years and months, viewer mode.</summary>
    private List<StatsRequest> MoreForms()
    {
        var region = demo.World.Regions[1];
        return
        [
            new("casualties", Where: ["sex=unknown"], By: ["status"]),
            new("casualties", "2020", "2022", Where: ["place=" + region.Id], By: ["month"]),
            new("casualties", In: region.Name, By: ["place", "outcome"], SuppressSmallCells: true),
            new("casualties", Where: ["age=12"], By: ["year"]),
            new("finds", Where: ["model=e-001 m"], By: ["category", "year"]),
            new("finds", "2021-03", "2024-02-10", Where: ["context=unknown"], By: ["quantity"]),
            new("finds", In: region.Id, Where: ["place=" + region.Id], By: ["production_year", "model"], SuppressSmallCells: true),
            new("accidents", "2019", "2023-06", By: ["device_category", "location_accuracy_m"]),
            new("finds", "2021-06", Where: ["model=e-001 m"], In: region.Id, By: ["place", "context"]),
            new("finds", "2022", Where: ["model=E-001 M", "category=unknown"], By: ["place"]),
            new("casualties", "2020-02", "2023-11-15", Where: ["outcome=KILLED", "occupation=Farmer"], By: ["place"]),
        ];
    }

    [Theory]
    [ClassData(typeof(Backends))]
    public async Task OneShotReading_GivesTheSameBytes_AsTheCachedReading(Backend backend)
    {
        var t = await demo.DatabaseAsync(backend);
        var cached = new StatsHandler(t.Target, FixedClock.AtToday);
        var oneShot = new StatsHandler(t.Target, FixedClock.AtToday) { OneShot = true, GroupOnGeoPackage = true };
        var counted = 0;
        foreach (var q in ReadmeForms().Concat(MoreForms()).Concat(Questions()))
        {
            var label = $"{q.Dataset} from {q.From} to {q.To} where {string.Join(" & ", q.Where ?? [])} in {q.In} by {string.Join(",", q.By ?? [])}";
            var a = await cached.HandleAsync(q);
            var b = await oneShot.HandleAsync(q);
            StatsOutput.Json(b).ShouldBe(StatsOutput.Json(a), label);
            StatsOutput.Table(b).ShouldBe(StatsOutput.Table(a), label);
            StatsOutput.Csv(b).ShouldBe(StatsOutput.Csv(a), label);
            if (a.Figures.Total > 0) counted++;
        }
        counted.ShouldBeGreaterThan(20, "most forms count something, so equal bytes compare figures, not empty tables");
    }

    [Theory]
    [ClassData(typeof(Backends))]
    public async Task OneShotReading_RefusesABadQuestion_InTheSameWords(Backend backend)
    {
        var t = await demo.DatabaseAsync(backend);
        foreach (var q in new StatsRequest[]
        {
            new("finds", Where: ["model=NO-SUCH-MODEL"]),
            new("finds", In: "Nowhere at all"),
            new("casualties", Where: ["place=Nowhere at all"]),
            new("casualties", Where: ["outcome=maybe"]),
        })
        {
            var a = await Should.ThrowAsync<StatsArgumentException>(() => new StatsHandler(t.Target, FixedClock.AtToday).HandleAsync(q));
            var b = await Should.ThrowAsync<StatsArgumentException>(() => new StatsHandler(t.Target, FixedClock.AtToday) { OneShot = true, GroupOnGeoPackage = true }.HandleAsync(q));
            (b.Parameter, b.Message).ShouldBe((a.Parameter, a.Message));
        }
    }

    [Theory]
    [ClassData(typeof(Backends))]
    public async Task GroupedReading_StandsForEveryRow_InFewerEntries(Backend backend)
    {
        var t = await demo.DatabaseAsync(backend);
        await using var db = t.Target.CreateContext();
        var fields = new[] { StatsFields.Find(DatasetCatalog.Finds, "category")! };
        var places = await StatsSource.LoadGazetteerAsync(db, CancellationToken.None);
        var loaded = await StatsSource.LoadGroupedAsync(db, DatasetCatalog.Finds, fields, places, points: false, window: null, CancellationToken.None);
        var table = loaded.Table;
        table.Rows!.Sum().ShouldBe(demo.Programme.Finds.Count);
        table.Weight!.Sum().ShouldBe(demo.Programme.Finds.Sum(f => f.Weight));
        var distinct = demo.Programme.Finds.Select(f => (f.Fields["found_on"], demo.Programme.Value(f, "category"))).Distinct().Count();
        distinct.ShouldBeLessThan(demo.Programme.Finds.Count);
        table.Count.ShouldBe(distinct, "finds alike in date and category are one entry");
        var category = table.Column("category");
        for (var v = 1; v < category.Values.Length; v++)
        {
            var value = category.Values[v];
            var rows = Enumerable.Range(0, table.Count).Where(i => category.Codes[i] == v).Sum(i => table.Rows![i]);
            rows.ShouldBe(demo.Programme.Finds.Count(f => demo.Programme.Value(f, "category") == value), value);
        }
    }

    [Theory]
    [ClassData(typeof(Backends))]
    public async Task IdleRows_AreReadWithoutTheirPoint_OnPostgres(Backend backend)
    {
        var t = await demo.DatabaseAsync(backend);
        await using var db = t.Target.CreateContext();
        var fields = new[] { StatsFields.Find(DatasetCatalog.Finds, "category")!, StatsFields.Find(DatasetCatalog.Finds, "place")! };
        var places = await StatsSource.LoadGazetteerAsync(db, CancellationToken.None);
        var day = Time.BoobyTrapDay;
        var full = (await StatsSource.LoadGroupedAsync(db, DatasetCatalog.Finds, fields, places, true, null, CancellationToken.None)).Table;
        var lean = (await StatsSource.LoadGroupedAsync(db, DatasetCatalog.Finds, fields, places, true, null, CancellationToken.None,
            new StatsIdleRows(day, day, [("category", "booby_trap")]))).Table;
        lean.Rows!.Sum().ShouldBe(demo.Programme.Finds.Count);
        full.Rows!.Sum().ShouldBe(demo.Programme.Finds.Count);
        // Points kept: finds not surely outside the day (a day after the 28th is not judged) whose category is booby_trap or unknown.
        bool SurelyOutside(PlainRecord f) => (f.Fields["found_on"].Length < 10 || int.Parse(f.Fields["found_on"][8..], CultureInfo.InvariantCulture) <= 28)
            && (f.Date!.Value.End < day || f.Date.Value.Start > day);
        var kept = demo.Programme.Finds.Count(f => f.Point is not null && !SurelyOutside(f) && demo.Programme.Value(f, "category") is "booby_trap" or "unknown");
        kept.ShouldBeGreaterThan(0);
        var withPoint = Enumerable.Range(0, lean.Count).Where(i => !double.IsNaN(lean.X[i])).Sum(i => lean.Rows![i]);
        if (backend == Backend.Postgres)
        {
            withPoint.ShouldBe(kept);
            lean.Count.ShouldBeLessThan(full.Count, "alike idle rows merge");
        }
        else
        {
            lean.Count.ShouldBe(full.Count, "the GeoPackage reads every point");
        }
    }

    [Theory]
    [ClassData(typeof(Backends))]
    public async Task PartialDates_Straddle_AndAreNeverSilentlyInOrOut(Backend backend)
    {
        var t = await demo.DatabaseAsync(backend);
        var handler = new StatsHandler(t.Target, FixedClock.AtToday);
        // Lone casualties dated to the year or month only: a mid-year window cuts through many of them.
        var q = new StatsRequest("casualties", Day(Time.Latest.AddYears(-5)), Day(Time.Latest.AddYears(-2)));
        var r = await handler.HandleAsync(q);
        var e = Expected(q);
        e.Straddling.ShouldBeGreaterThan(0);
        (r.Figures.Total, r.Figures.Straddling).ShouldBe((e.Total, e.Straddling));
        var all = demo.Programme.Casualties.Count(c => c.Date!.Value.End >= Time.Latest.AddYears(-5) && c.Date.Value.Start <= Time.Latest.AddYears(-2));
        (r.Figures.Total + r.Figures.Straddling).ShouldBe(all, "every record touching the window is either in or straddling");
    }

    [Theory]
    [ClassData(typeof(Backends))]
    public async Task ByPlace_RowsAddUpToTheTotal_AndTheJsonHasTheContractShape(Backend backend)
    {
        var t = await demo.DatabaseAsync(backend);
        var r = await new StatsHandler(t.Target, FixedClock.AtToday).HandleAsync(new StatsRequest("finds", By: ["place"]));
        var json = System.Text.Json.Nodes.JsonNode.Parse(StatsOutput.Json(r))!.AsObject();
        json.Select(kv => kv.Key).ShouldBe(["dataset", "filters", "definition", "total", "records", "known", "unknown", "straddling", "straddling_records", "groups", "computed_at"]);
        json["groups"]!.AsArray().Sum(g => g!["count"]!.GetValue<long>()).ShouldBe(json["total"]!.GetValue<long>());
        json["groups"]!.AsArray().Sum(g => g!["records"]!.GetValue<long>()).ShouldBe(json["records"]!.GetValue<long>());
        json["computed_at"]!.GetValue<string>().ShouldBe("2026-06-15T12:00:00Z");
    }
}
