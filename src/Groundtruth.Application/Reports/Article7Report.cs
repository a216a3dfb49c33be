using System.Globalization;
using System.Net;
using System.Text;
using Groundtruth.Analysis.LandReleases;
using Groundtruth.Application.History;
using Groundtruth.Application.LandReleases;
using Groundtruth.Application.Progress;
using Groundtruth.Application.Storage;
using Groundtruth.Domain;
using Microsoft.EntityFrameworkCore;

namespace Groundtruth.Application.Reports;

public sealed record Article7Request(int Year, string OutPath);

/// <summary>An area containing or suspected to contain anti-personnel mines, at a date.</summary>
public sealed record Article7Area(string Id, string? Name, string? Place, HazardClassification Classification, HazardStatus Status, string? Contamination, double ResidualM2);

public sealed record Article7Report(
    int Year,
    IReadOnlyList<Article7Area> AtStart,
    IReadOnlyList<Article7Area> AtEnd,
    MethodAreas Released,
    MethodAreas ReleasedInMinedAreas,
    IReadOnlyList<(OrdnanceCategory Category, long Devices, int Records)> Destroyed,
    DateTimeOffset ComputedAt);

/// <summary>
/// The tables of an Anti-Personnel Mine Ban Convention Article 7 transparency report for one year:
/// areas confirmed or suspected to contain anti-personnel mines (improvised ones included) at the
/// start and end of the year, land released in the year by method, and devices destroyed by category.
/// </summary>
/// <remarks>
/// "At the start of the year" is the state by date of information on 1 January, "at the end" on
/// 31 December, both as the database holds them now (DESIGN section 6). An area counts when its
/// contamination lists anti-personnel or improvised mines and its status is open or worked on; its
/// size is the residual area (the area minus its released land) in m². Devices destroyed are the
/// devices (sum of quantity) of the finds dated within the year.
/// </remarks>
public sealed class Article7Handler(DatabaseTarget target, TimeProvider clock)
{
    private static readonly string[] AntiPersonnel = [SnakeCase.Of(OrdnanceCategory.AntiPersonnelMine), SnakeCase.Of(OrdnanceCategory.ImprovisedMine)];

    public Task<Article7Report> HandleAsync(Article7Request request, CancellationToken ct = default) => HandleAsync(request, null, ct);

    /// <summary>As above, reporting its five steps (areas at the start, at the end, land released, devices, writing) to <paramref name="progress"/>.</summary>
    public async Task<Article7Report> HandleAsync(Article7Request request, IProgress<WorkProgress>? progress, CancellationToken ct = default)
    {
        if (request.Year is < 1900 or > 2999) throw new InvalidRequestException("year", $"{request.Year} is not a reporting year");
        var ext = Path.GetExtension(request.OutPath).ToLowerInvariant();
        if (ext is not (".html" or ".csv")) throw new InvalidRequestException("out", $"unsupported report format '{ext}'; use .html or .csv");
        var start = new DateOnly(request.Year, 1, 1);
        var end = new DateOnly(request.Year, 12, 31);
        progress?.Report(WorkProgress.Step($"mined areas on {start:yyyy-MM-dd}", 0, 5));
        var atStart = await AreasAsync(new HistoryPoint(start), ct);
        progress?.Report(WorkProgress.Step($"mined areas on {end:yyyy-MM-dd}", 1, 5));
        var atEnd = await AreasAsync(new HistoryPoint(end), ct);

        progress?.Report(WorkProgress.Step("land released", 2, 5));
        var current = await LandReleaseData.LoadAsync(target, HistoryPoint.Current, withPlaces: false, ct);
        var mined = current.Hazards.Where(IsAntiPersonnel).Select(h => h.Id).ToHashSet(StringComparer.Ordinal);
        var released = LandReleaseAccounting.Summarise(current.Releases, start, end, null).Total;
        var releasedMined = LandReleaseAccounting.Summarise(current.Releases.Where(r => mined.Contains(r.HazardId)), start, end, null).Total;

        progress?.Report(WorkProgress.Step("devices destroyed", 3, 5));
        await using var db = target.CreateContext();
        var finds = await db.Finds.AsNoTracking().Select(f => new { f.Category, f.Quantity, f.FoundOn }).ToListAsync(ct);
        var destroyed = finds.Where(f => f.FoundOn.LiesWithin(start, end))
            .GroupBy(f => f.Category).OrderBy(g => g.Key)
            .Select(g => (g.Key, (long)g.Sum(f => f.Quantity), g.Count())).ToList();

        var report = new Article7Report(request.Year, atStart, atEnd, released, releasedMined, destroyed, clock.GetUtcNow());
        progress?.Report(WorkProgress.Step("writing", 4, 5));
        await File.WriteAllTextAsync(request.OutPath, ext == ".csv" ? Csv(report) : Html(report), ct);
        return report;
    }

    private static bool IsAntiPersonnel(HazardInput h) =>
        h.Status is HazardStatus.Open or HazardStatus.WorkedOn &&
        (h.Contamination ?? "").Split(';', StringSplitOptions.TrimEntries).Any(c => AntiPersonnel.Contains(c));

    private async Task<List<Article7Area>> AreasAsync(HistoryPoint point, CancellationToken ct)
    {
        var data = await LandReleaseData.LoadAsync(target, point, withPlaces: true, ct);
        return [.. LandReleaseAccounting.Residuals(data.Hazards.Where(IsAntiPersonnel), data.Releases)
            .Select(r => new Article7Area(r.Hazard.Id, r.Hazard.Name, r.Hazard.Place, r.Hazard.Classification, r.Hazard.Status, r.Hazard.Contamination, r.ResidualM2))];
    }

    public static string Csv(Article7Report r)
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder("table,date,place,id,name,classification,status,area_m2,method,category,devices,records\n");
        void Areas(string date, IEnumerable<Article7Area> areas)
        {
            foreach (var a in areas)
                sb.AppendLine(string.Create(inv, $"mined_areas,{date},{LandReleaseReports.Csv(a.Place)},{LandReleaseReports.Csv(a.Id)},{LandReleaseReports.Csv(a.Name)},{SnakeCase.Of(a.Classification)},{SnakeCase.Of(a.Status)},{a.ResidualM2:F1},,,,"));
        }
        Areas($"{r.Year}-01-01", r.AtStart);
        Areas($"{r.Year}-12-31", r.AtEnd);
        foreach (var (method, m2, mined) in Methods(r))
            sb.AppendLine(string.Create(inv, $"land_released,{r.Year},,,,,,{m2:F1},{method},,,"))
              .AppendLine(string.Create(inv, $"land_released_in_mined_areas,{r.Year},,,,,,{mined:F1},{method},,,"));
        foreach (var (category, devices, records) in r.Destroyed)
            sb.AppendLine(string.Create(inv, $"devices_destroyed,{r.Year},,,,,,,,{SnakeCase.Of(category)},{devices},{records}"));
        return sb.ToString();
    }

    private static IEnumerable<(string Method, double All, double Mined)> Methods(Article7Report r) =>
    [
        ("cancelled", r.Released.Cancelled, r.ReleasedInMinedAreas.Cancelled),
        ("reduced", r.Released.Reduced, r.ReleasedInMinedAreas.Reduced),
        ("cleared", r.Released.Cleared, r.ReleasedInMinedAreas.Cleared),
    ];

    public static string Html(Article7Report r)
    {
        var inv = CultureInfo.InvariantCulture;
        string E(string? s) => WebUtility.HtmlEncode(s ?? "");
        var sb = new StringBuilder();
        sb.Append(inv, $$"""
            <!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Article 7 report {{r.Year}}</title>
            <style>body{font-family:sans-serif;margin:2em;max-width:70em}table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #999;padding:.3em .6em;text-align:left}td.n{text-align:right}p.def{color:#444;font-size:.9em}</style></head><body>
            <h1>Article 7 transparency report — {{r.Year}}</h1>
            <p class="def">Anti-Personnel Mine Ban Convention, Article 7. Areas are those whose contamination lists anti-personnel or improvised (victim-activated) mines and whose status is open or worked on; their size is the residual area (area minus released land) in m², measured in the local UTM zone. "Start" and "end" are the state by date of information on 1 January and 31 December, as the database holds it now.</p>
            """);
        void Areas(string title, IReadOnlyList<Article7Area> areas)
        {
            sb.Append(inv, $"<h2>{E(title)}</h2><table><tr><th>place</th><th>area</th><th>name</th><th>classification</th><th>status</th><th>m²</th></tr>");
            foreach (var a in areas.OrderBy(a => a.Place, StringComparer.Ordinal).ThenBy(a => a.Id, StringComparer.Ordinal))
                sb.Append(inv, $"<tr><td>{E(a.Place)}</td><td>{E(a.Id)}</td><td>{E(a.Name)}</td><td>{SnakeCase.Of(a.Classification)}</td><td>{SnakeCase.Of(a.Status)}</td><td class=\"n\">{a.ResidualM2:N0}</td></tr>");
            foreach (var g in areas.GroupBy(a => a.Classification).OrderBy(g => g.Key))
                sb.Append(inv, $"<tr><th colspan=\"5\">{SnakeCase.Of(g.Key)}: {g.Count()} area(s)</th><th class=\"n\">{g.Sum(a => a.ResidualM2):N0}</th></tr>");
            sb.Append(inv, $"<tr><th colspan=\"5\">total: {areas.Count} area(s)</th><th class=\"n\">{areas.Sum(a => a.ResidualM2):N0}</th></tr></table>");
        }
        Areas($"Areas containing or suspected to contain anti-personnel mines at the start of {r.Year}", r.AtStart);
        Areas($"… at the end of {r.Year}", r.AtEnd);
        sb.Append(inv, $"<h2>Land released in {r.Year} (m²)</h2><p class=\"def\">Cancelled by non-technical survey, reduced by technical survey, cleared by clearance (IMAS 07.11); outputs dated within the year.</p><table><tr><th>method</th><th>all land</th><th>in areas with anti-personnel mines</th></tr>");
        foreach (var (method, all, mined) in Methods(r)) sb.Append(inv, $"<tr><td>{method}</td><td class=\"n\">{all:N0}</td><td class=\"n\">{mined:N0}</td></tr>");
        sb.Append(inv, $"<tr><th>total</th><th class=\"n\">{r.Released.Total:N0}</th><th class=\"n\">{r.ReleasedInMinedAreas.Total:N0}</th></tr></table>");
        sb.Append(inv, $"<h2>Devices destroyed in {r.Year}</h2><p class=\"def\">Devices (sum of quantity) of the finds dated within the year, by category.</p><table><tr><th>category</th><th>devices</th><th>finds</th></tr>");
        foreach (var (category, devices, records) in r.Destroyed) sb.Append(inv, $"<tr><td>{SnakeCase.Of(category)}</td><td class=\"n\">{devices:N0}</td><td class=\"n\">{records:N0}</td></tr>");
        sb.Append(inv, $"<tr><th>total</th><th class=\"n\">{r.Destroyed.Sum(d => d.Devices):N0}</th><th class=\"n\">{r.Destroyed.Sum(d => d.Records):N0}</th></tr></table>");
        sb.Append(inv, $"<p class=\"def\">Computed at {r.ComputedAt.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ} (recorded time) by Groundtruth.</p></body></html>");
        return sb.ToString();
    }
}
