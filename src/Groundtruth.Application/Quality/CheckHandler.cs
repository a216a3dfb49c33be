using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Groundtruth.Analysis.Statistics;
using Groundtruth.Application.Datasets;
using Groundtruth.Application.Progress;
using Groundtruth.Application.Statistics;
using Groundtruth.Application.Storage;
using Groundtruth.Domain;
using Microsoft.EntityFrameworkCore;

namespace Groundtruth.Application.Quality;

/// <summary>One check of the data-quality report and what it found.</summary>
public sealed record QualityCheck(string Name, FindingSeverity Severity, string Description, IReadOnlyList<QualityFinding> Findings);

/// <summary>The data-quality report: every check, its findings, and when it was computed.</summary>
public sealed record QualityReport(IReadOnlyList<QualityCheck> Checks, DateTimeOffset ComputedAt)
{
    public int Errors => Checks.Where(c => c.Severity == FindingSeverity.Error).Sum(c => c.Findings.Count);
    public int Warnings => Checks.Where(c => c.Severity == FindingSeverity.Warning).Sum(c => c.Findings.Count);
}

/// <summary>
/// <c>groundtruth check</c>: reports what would make published figures wrong — totals that do not add up,
/// impossible ages, dates in the future, deaths recorded before injuries, points outside every gazetteer
/// place, likely duplicates, caches counted as laid — and lists accidents that hurt nobody as information.
/// It reads the approved data and never changes it.
/// </summary>
public sealed class CheckHandler(DatabaseTarget target, TimeProvider clock)
{
    /// <summary>The stages reported to the progress: reading three tables, then each check.</summary>
    private const int Stages = 3 + 10;

    /// <param name="progress">Told each stage: reading the tables, then each check in turn.</param>
    public async Task<QualityReport> HandleAsync(IProgress<WorkProgress>? progress = null, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var step = 0;
        void Stage(string stage) => progress?.Report(WorkProgress.Step(stage, step++, Stages));
        await using var db = target.CreateContext();
        await SchemaGuard.EnsureCurrentAsync(db, ct);
        await db.Database.OpenConnectionAsync(ct);

        // Independent work runs beside the main line on its own connection (issue 11): the land release check, and the
        // finds — read, then checked for duplicates — while casualties and accidents are read and checked here.
        var landRelease = Task.Run(() => LandReleaseProblemsAsync(ct), ct);
        var findsRead = db.ReadBesideAsync(other => RowsAsync(other, """
            SELECT "id", "found_on", "category", "model", "quantity", "emplacement", "source", "min_x", "min_y" FROM "finds" ORDER BY "id"
            """, ct), ct);
        var duplicateFinds = findsRead.ContinueWith(t => QualityRules.DuplicateFinds([.. t.Result.Select(f => new FindPoint(Text(f[0])!, Text(f[2])!, Text(f[3]), Int(f[4]) ?? 1,
                PartialDate.TryParse(Text(f[1]), out var d) ? d.Start.DayNumber : 0, Real(f[7]), Real(f[8]), Text(f[6])))]),
            ct, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);

        Stage("reading casualties");
        var casualties = await RowsAsync(db, """
            SELECT c."id", c."accident_id", coalesce(c."occurred_on", a."occurred_on"), c."outcome", c."sex", c."age", c."age_group", c."status", c."source",
                   coalesce(c."min_x", a."min_x"), coalesce(c."min_y", a."min_y")
            FROM "casualties" c LEFT JOIN "accidents" a ON a."id" = c."accident_id" ORDER BY c."id"
            """, ct);
        Stage("reading accidents");
        // Casualties per accident are counted from the casualties just read, not by a grouped join in SQL.
        var accidents = await RowsAsync(db, """
            SELECT a."id", a."occurred_on", a."kind", a."device_category", a."min_x", a."min_y" FROM "accidents" a ORDER BY a."id"
            """, ct);
        var hurt = casualties.Select(c => Text(c[1])).OfType<string>().ToHashSet(StringComparer.Ordinal);

        Stage("reading finds");
        var finds = await findsRead;
        var checks = new List<QualityCheck>();
        Stage("totals");
        checks.Add(new("totals", FindingSeverity.Error,
            "every total equals the sum of its parts plus unknown: each record's outcome, sex, age group, status, category, emplacement, kind and device category is a recognised value, and the land released from a hazardous area does not exceed its area",
            [.. Breakdowns(casualties, finds, accidents), .. await ReleasedAreaAsync(db, ct)]));
        Stage("impossible ages");
        checks.Add(new("impossible_ages", FindingSeverity.Error,
            $"ages between 0 and {CasualtyAge.MaximumAge}, the age group agreeing with the age (a child is under {CasualtyAge.AdultAge}), no deminer or soldier under {CasualtyAge.AdultAge}",
            ImpossibleAges(casualties)));
        Stage("future dates");
        checks.Add(new("future_dates", FindingSeverity.Error, $"no date after today ({today:yyyy-MM-dd})", await FutureDatesAsync(db, today, ct)));
        Stage("deaths before injuries");
        checks.Add(new("death_before_injury", FindingSeverity.Error,
            "a casualty is not recorded killed and later injured, nor its death dated before an injury (an injured person who later dies is a new version of the same casualty)",
            await DeathBeforeInjuryAsync(db, ct)));
        Stage("points outside the gazetteer");
        checks.Add(new("outside_gazetteer", FindingSeverity.Warning, "every point (finds, accidents, casualties) lies in some gazetteer place with a boundary",
            await OutsideGazetteerAsync(db, casualties, finds, accidents, ct)));
        Stage("duplicate casualties");
        checks.Add(new("duplicate_casualties", FindingSeverity.Warning,
            "one person reported by several sources (hospital, police, operator) is one casualty: casualties of one accident (or one date and place) with the same known sex, age and status are listed",
            QualityRules.DuplicateCasualties(casualties.Select(c => new CasualtyKey(
                Text(c[0])!, Text(c[1]) ?? $"{Text(c[2])} {Round(c[9])} {Round(c[10])}", Text(c[4]) ?? "unknown", Int(c[5]), Text(c[7]) ?? "unknown", Text(c[8]))))));
        Stage("duplicate finds");
        checks.Add(new("duplicate_finds", FindingSeverity.Warning,
            $"one device is one find: finds of the same category, model and quantity within {QualityRules.SameDeviceMetres:0} m and {QualityRules.SameDeviceDays} days of each other (reported, verified, destroyed) are listed",
            await duplicateFinds));
        Stage("caches counted as laid");
        checks.Add(new("cached_as_laid", FindingSeverity.Warning,
            $"a depot of mines is not mines laid: mine finds of {QualityRules.CacheQuantity} or more devices not marked cached are listed",
            QualityRules.CachedCountedAsLaid(finds.Select(f => (Text(f[0])!, Text(f[2])!, Int(f[4]) ?? 1, Text(f[5]) ?? "unknown")))));
        Stage("land release");
        checks.Add(new("land_release", FindingSeverity.Warning,
            $"released land lies inside its hazardous area, no land is released by two outputs, and the outputs of an area do not add up to more than the area (in m²; differences under {Analysis.LandReleases.LandReleaseAccounting.ToleranceM2:0} m² or {Analysis.LandReleases.LandReleaseAccounting.RelativeTolerance:0.#####} of the output are measurement noise)",
            await landRelease));
        Stage("accidents without casualties");
        checks.Add(new("accidents_without_casualties", FindingSeverity.Information,
            "accidents that hurt nobody (for example a vehicle on an anti-vehicle mine) are accidents all the same (IMAS 10.60); listed for the record, not as errors",
            [.. accidents.Where(a => !hurt.Contains(Text(a[0])!)).Select(a => new QualityFinding("accidents", [Text(a[0])!],
                $"{Text(a[1])}: {Text(a[2])} accident, {Text(a[3]) ?? "device unknown"}, no casualty recorded"))]));
        return new QualityReport(checks, now);
    }

    private async Task<List<QualityFinding>> LandReleaseProblemsAsync(CancellationToken ct)
    {
        var data = await LandReleases.LandReleaseData.LoadAsync(target, History.HistoryPoint.Current, withPlaces: false, ct);
        return [.. Analysis.LandReleases.LandReleaseAccounting.Check(data.Hazards, data.Releases)
            .Select(p => new QualityFinding("land-release", [.. p.ReleaseIds], $"{p.Kind}: {p.Message}"))];
    }

    private static Task<List<object?[]>> RowsAsync(GroundtruthDbContext db, string sql, CancellationToken ct, params (string Name, object Value)[] parameters) =>
        SqlRows.ReadAsync(db, sql, ct, parameters);

    private static string? Text(object? v) => v is null ? null : Convert.ToString(v, CultureInfo.InvariantCulture);
    private static int? Int(object? v) => v is null ? null : Convert.ToInt32(v, CultureInfo.InvariantCulture);
    private static double Real(object? v) => v is null ? double.NaN : Convert.ToDouble(v, CultureInfo.InvariantCulture);
    private static string Round(object? v) => v is null ? "-" : Math.Round(Convert.ToDouble(v, CultureInfo.InvariantCulture), 3).ToString(CultureInfo.InvariantCulture);

    /// <summary>Values outside an enum make a breakdown miss part of its total.</summary>
    private static IEnumerable<QualityFinding> Breakdowns(List<object?[]> casualties, List<object?[]> finds, List<object?[]> accidents)
    {
        IEnumerable<QualityFinding> Check(string dataset, List<object?[]> rows, int column, string field)
        {
            var names = DatasetCatalog.Find(dataset)!.Field(field)!.EnumNames.ToHashSet(StringComparer.Ordinal);
            return rows.Where(r => Text(r[column]) is { } v && !names.Contains(v))
                .GroupBy(r => Text(r[column])!)
                .Select(g => new QualityFinding(dataset, [.. g.Select(r => Text(r[0])!)],
                    $"{g.Count()} record(s) with {field} '{g.Key}', which is not one of {string.Join(", ", names)}: the {field} breakdown does not add up to the total"));
        }
        return Check("casualties", casualties, 3, "outcome").Concat(Check("casualties", casualties, 4, "sex"))
            .Concat(Check("casualties", casualties, 6, "age_group")).Concat(Check("casualties", casualties, 7, "status"))
            .Concat(Check("finds", finds, 2, "category")).Concat(Check("finds", finds, 5, "emplacement"))
            .Concat(Check("accidents", accidents, 2, "kind")).Concat(Check("accidents", accidents, 3, "device_category"));
    }

    /// <summary>Cancelled + reduced + cleared may not exceed the hazardous area (1% tolerance for the projection).</summary>
    private static async Task<List<QualityFinding>> ReleasedAreaAsync(GroundtruthDbContext db, CancellationToken ct)
    {
        var rows = await RowsAsync(db, """
            SELECT h."id", h."area_m2", sum(r."area_m2") FROM "hazards" h JOIN "land_release" r ON r."hazard_id" = h."id"
            GROUP BY h."id", h."area_m2" HAVING sum(r."area_m2") > h."area_m2" * 1.01 + 1 ORDER BY h."id"
            """, ct);
        return [.. rows.Select(r => new QualityFinding("hazards", [Text(r[0])!], string.Create(CultureInfo.InvariantCulture,
            $"land released {Real(r[2]):N0} m² exceeds the area's {Real(r[1]):N0} m²: the parts add up to more than the whole")))];
    }

    private static List<QualityFinding> ImpossibleAges(List<object?[]> casualties)
    {
        var findings = new List<QualityFinding>();
        foreach (var c in casualties)
        {
            var id = Text(c[0])!;
            var age = Int(c[5]);
            var group = Text(c[6]) ?? "unknown";
            var status = Text(c[7]) ?? "unknown";
            if (age is < 0 or > CasualtyAge.MaximumAge)
                findings.Add(new QualityFinding("casualties", [id], $"age {age} is impossible (0 to {CasualtyAge.MaximumAge})"));
            else if (age is { } a && group != "unknown" && SnakeCase.Of(CasualtyAge.GroupOf(a)) != group)
                findings.Add(new QualityFinding("casualties", [id], $"age {a} but age group {group}: a child is under {CasualtyAge.AdultAge} at the accident date"));
            else if (status is "deminer" or "military" && (age < CasualtyAge.AdultAge || (age is null && group == "child")))
                findings.Add(new QualityFinding("casualties", [id], $"a {status} casualty recorded as a child ({(age is { } y ? "age " + y.ToString(CultureInfo.InvariantCulture) : "age group child")})"));
        }
        return findings;
    }

    private static async Task<List<QualityFinding>> FutureDatesAsync(GroundtruthDbContext db, DateOnly today, CancellationToken ct)
    {
        var findings = new List<QualityFinding>();
        foreach (var dataset in DatasetCatalog.All)
        {
            var dates = dataset.StoredFields.Where(f => f.Type == FieldType.Date).Select(f => f.Name).ToList();
            if (dates.Count == 0) continue;
            // Only rows with some date text after today's, or starting below '0' (leading blanks, which the parser trims),
            // can hold a future date: for every text the parser accepts, a later start means later text, compared
            // byte by byte (binary in SQLite, the C collation in PostgreSQL). The parser then decides as before.
            var collate = db.IsSqlite ? "" : " COLLATE \"C\"";
            var after = string.Join(" OR ", dates.Select(d => $"\"{d}\"{collate} > @today OR \"{d}\"{collate} < '0'"));
            var rows = await RowsAsync(db, $"SELECT \"id\", {string.Join(", ", dates.Select(d => $"\"{d}\""))} FROM \"{dataset.Table}\" WHERE {after} ORDER BY \"id\"", ct,
                ("today", today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
            foreach (var row in rows)
            {
                for (var k = 0; k < dates.Count; k++)
                {
                    if (PartialDate.TryParse(Text(row[k + 1]), out var d) && d.Start > today)
                        findings.Add(new QualityFinding(dataset.Name, [Text(row[0])!], $"{dates[k]} {d} is in the future"));
                }
            }
        }
        return findings;
    }

    private static async Task<List<QualityFinding>> DeathBeforeInjuryAsync(GroundtruthDbContext db, CancellationToken ct)
    {
        var table = DatasetCatalog.Casualties.VersionsTable;
        var rows = await RowsAsync(db, $"""
            SELECT v."record_id", v."version_id", v."date_of_information", v."data" FROM "{table}" v
            WHERE v."record_id" IN (SELECT "record_id" FROM "{table}" GROUP BY "record_id" HAVING count(*) > 1) AND NOT v."tombstone"
            """, ct);
        var versions = rows.Select(r =>
        {
            using var json = JsonDocument.Parse(Text(r[3])!);
            var outcome = json.RootElement.TryGetProperty("outcome", out var o) && o.ValueKind == JsonValueKind.String ? o.GetString()! : "unknown";
            return new OutcomeVersion(Text(r[0])!, Convert.ToInt64(r[1], CultureInfo.InvariantCulture),
                PartialDate.TryParse(Text(r[2]), out var d) ? d : null, outcome);
        });
        return QualityRules.DeathBeforeInjury(versions);
    }

    private static async Task<List<QualityFinding>> OutsideGazetteerAsync(GroundtruthDbContext db, List<object?[]> casualties, List<object?[]> finds, List<object?[]> accidents, CancellationToken ct)
    {
        var (gazetteer, _) = await StatsSource.LoadGazetteerAsync(db, ct);
        var findings = new List<QualityFinding>();
        void Check(string dataset, List<object?[]> rows, int x, int y)
        {
            var withPoint = rows.Where(r => r[x] is not null && r[y] is not null).ToList();
            var covered = gazetteer.Covered([.. withPoint.Select(r => Real(r[x]))], [.. withPoint.Select(r => Real(r[y]))]);
            var outside = withPoint.Where((_, i) => !covered[i]).Select(r => Text(r[0])!).ToList();
            if (outside.Count > 0)
                findings.Add(new QualityFinding(dataset, outside, $"{outside.Count} {dataset} record(s) lie outside every gazetteer place: they count in totals but in no place's row"));
        }
        Check("finds", finds, 7, 8);
        Check("accidents", accidents, 4, 5);
        Check("casualties", casualties, 9, 10);
        return findings;
    }
}
