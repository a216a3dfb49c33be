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

/// <param name="Language">The language of the PDF, the .docx and the HTML (<see cref="ReportText.Languages"/>; null: English). The CSV is invariant.</param>
/// <param name="Branding">The programme's name and logo in the PDF's header.</param>
public sealed record Article7Request(int Year, string OutPath, string? Language = null, ReportBranding? Branding = null);

/// <summary>An area containing or suspected to contain anti-personnel mines, at a date.</summary>
/// <param name="ResidualM2">The area minus its released land, in m².</param>
/// <param name="ReleaseIds">The land release outputs subtracted from the area (the records behind <paramref name="ResidualM2"/>).</param>
public sealed record Article7Area(string Id, string? Name, string? Place, HazardClassification Classification, HazardStatus Status, string? Contamination, double ResidualM2,
    IReadOnlyList<string> ReleaseIds)
{
    /// <summary>Below half a square metre nothing is left to report: the area is completed, whatever its recorded status.</summary>
    public bool IsCompleted => ResidualM2 < Article7Handler.CompletedBelowM2;
}

/// <summary>An area completed during the year: mined on 1 January (or recorded during the year) and not on 31 December, and why.</summary>
/// <param name="Area">The area as it was on 1 January, or, when recorded during the year, on 31 December.</param>
/// <param name="M2AtStart">What remained of it on 1 January; null when it was recorded during the year.</param>
/// <param name="StatusAtEnd">Its status on 31 December, or null when the database no longer holds it on that date.</param>
/// <param name="Reason">In English words: fully released (0 m² remaining), closed, handed over, or no longer listing anti-personnel mines.</param>
public sealed record Article7CompletedArea(Article7Area Area, double? M2AtStart, HazardStatus? StatusAtEnd, string Reason, IReadOnlyList<string> ReleaseIds)
{
    /// <summary>Why, as a report key (<c>A7WhyReleased</c>, <c>A7WhyClosed</c>…): the reason in the report's language.</summary>
    public string ReasonKey { get; init; } = "A7WhyNotAntiPersonnel";

    /// <summary><see cref="Reason"/> in <paramref name="text"/>'s language; a fully released area names its status in words.</summary>
    public string Why(ReportText text) => ReasonKey == "A7WhyReleased"
        ? text.Format(ReasonKey, Resources.Labels.Value(StatusAtEnd ?? Area.Status, text.Culture))
        : text[ReasonKey];
}

public sealed record Article7Report(
    int Year,
    IReadOnlyList<Article7Area> AtStart,
    IReadOnlyList<Article7Area> AtEnd,
    MethodAreas Released,
    MethodAreas ReleasedInMinedAreas,
    IReadOnlyList<(OrdnanceCategory Category, long Devices, int Records)> Destroyed,
    DateTimeOffset ComputedAt)
{
    /// <summary>Areas mined on 1 January, or recorded during the year, and not mined on 31 December (released in full, closed or handed over).</summary>
    public IReadOnlyList<Article7CompletedArea> Completed { get; init; } = [];

    /// <summary>Areas with anti-personnel mines still open or worked on at the end of the year but with 0 m² remaining: reported as completed, listed so their closure gets recorded.</summary>
    public IReadOnlyList<Article7Area> FullyReleasedStillOpen { get; init; } = [];

    /// <summary>The land release outputs dated within the year, by method (the records behind <see cref="Released"/>).</summary>
    public IReadOnlyList<(string Id, ReleaseMethod Method, bool InMinedArea)> ReleaseRecords { get; init; } = [];

    /// <summary>The finds dated within the year, by category (the records behind <see cref="Destroyed"/>).</summary>
    public IReadOnlyDictionary<OrdnanceCategory, IReadOnlyList<string>> FindIds { get; init; } = new Dictionary<OrdnanceCategory, IReadOnlyList<string>>();
}

/// <summary>
/// The tables of an Anti-Personnel Mine Ban Convention Article 7 transparency report for one year:
/// areas confirmed or suspected to contain anti-personnel mines (improvised ones included) at the
/// start and end of the year, land released in the year by method, and devices destroyed by category.
/// </summary>
/// <remarks>
/// "At the start of the year" is the state by date of information on 1 January, "at the end" on
/// 31 December, both as the database holds them now (DESIGN section 6). An area counts when its
/// contamination lists anti-personnel or improvised mines and its status is open or worked on; its
/// size is the residual area (the area minus its released land) in m². An area with less than half a
/// square metre remaining is completed, not mined, even while its status still reads open or worked on
/// (the closure not yet recorded): it is listed among the completed areas. Devices destroyed are the
/// devices (sum of quantity) of the finds dated within the year. Every figure names the records behind
/// it (the annex of the <c>.docx</c>, the <c>record_ids</c> column of the <c>.csv</c>).
/// </remarks>
public sealed class Article7Handler(DatabaseTarget target, TimeProvider clock)
{
    /// <summary>Residual areas below this many m² are completed (they round to 0 m² in the report).</summary>
    public const double CompletedBelowM2 = 0.5;

    private static readonly string[] AntiPersonnel = [SnakeCase.Of(OrdnanceCategory.AntiPersonnelMine), SnakeCase.Of(OrdnanceCategory.ImprovisedMine)];

    public Task<Article7Report> HandleAsync(Article7Request request, CancellationToken ct = default) => HandleAsync(request, null, ct);

    /// <summary>As above, reporting its five steps (areas at the start, at the end, land released, devices, writing) to <paramref name="progress"/>.</summary>
    public async Task<Article7Report> HandleAsync(Article7Request request, IProgress<WorkProgress>? progress, CancellationToken ct = default)
    {
        if (request.Year is < 1900 or > 2999) throw new InvalidRequestException("year", $"{request.Year} is not a reporting year");
        var ext = Path.GetExtension(request.OutPath).ToLowerInvariant();
        if (ext is not (".html" or ".csv" or ".docx" or ".pdf")) throw new InvalidRequestException("out", $"unsupported report format '{ext}'; use .pdf, .docx, .html or .csv");
        var text = ReportText.For(request.Language);
        var start = new DateOnly(request.Year, 1, 1);
        var end = new DateOnly(request.Year, 12, 31);
        // The four readings are independent, each on its own connection: read side by side (issue 11: one after another
        // they took 8.5 s at scale 500); the steps are reported as they are awaited, in their order.
        var atStartRead = SituationReportHandler.Observed(Task.Run(() => AreasAsync(new HistoryPoint(start), ct), ct));
        var atEndRead = SituationReportHandler.Observed(Task.Run(() => AreasAsync(new HistoryPoint(end), ct), ct));
        var currentRead = SituationReportHandler.Observed(Task.Run(() => LandReleaseData.LoadAsync(target, HistoryPoint.Current, withPlaces: false, ct), ct));
        var findsRead = SituationReportHandler.Observed(Task.Run(() => FindsAsync(ct), ct));
        progress?.Report(WorkProgress.Step($"mined areas on {start:yyyy-MM-dd}", 0, 5));
        var (atStart, _) = await atStartRead;
        // Areas already released in full on 1 January were completed before the year: neither mined nor completed in it.
        progress?.Report(WorkProgress.Step($"mined areas on {end:yyyy-MM-dd}", 1, 5));
        var (atEndAll, statusAtEnd) = await atEndRead;
        var minedAtStart = atStart.Where(a => !a.IsCompleted).ToList();
        var atEnd = atEndAll.Where(a => !a.IsCompleted).ToList();
        var fullyReleased = atEndAll.Where(a => a.IsCompleted).ToList();
        var completed = Completed(minedAtStart, atEnd, fullyReleased, statusAtEnd);

        progress?.Report(WorkProgress.Step("land released", 2, 5));
        var current = await currentRead;
        var mined = current.Hazards.Where(IsAntiPersonnel).Select(h => h.Id).ToHashSet(StringComparer.Ordinal);
        var released = LandReleaseAccounting.Summarise(current.Releases, start, end, null).Total;
        var releasedMined = LandReleaseAccounting.Summarise(current.Releases.Where(r => mined.Contains(r.HazardId)), start, end, null).Total;
        // The same selection as Summarise: outputs whose date lies wholly within the year.
        var releaseRecords = current.Releases.Where(r => r.ReleasedOn.LiesWithin(start, end))
            .OrderBy(r => r.Id, StringComparer.Ordinal).Select(r => (r.Id, r.Method, mined.Contains(r.HazardId))).ToList();

        progress?.Report(WorkProgress.Step("devices destroyed", 3, 5));
        var finds = await findsRead;
        var within = finds.Where(f => f.FoundOn.LiesWithin(start, end)).ToList();
        var destroyed = within.GroupBy(f => f.Category).OrderBy(g => g.Key)
            .Select(g => (g.Key, (long)g.Sum(f => f.Quantity), g.Count())).ToList();
        var findIds = within.GroupBy(f => f.Category).ToDictionary(g => g.Key, g => (IReadOnlyList<string>)[.. g.Select(f => f.Id).Order(StringComparer.Ordinal)]);

        var report = new Article7Report(request.Year, minedAtStart, atEnd, released, releasedMined, destroyed, clock.GetUtcNow())
        {
            Completed = completed,
            FullyReleasedStillOpen = fullyReleased,
            ReleaseRecords = releaseRecords,
            FindIds = findIds,
        };
        progress?.Report(WorkProgress.Step("writing", 4, 5));
        var branding = request.Branding ?? ReportBranding.None;
        if (ext == ".docx") Article7Docx.Write(report, request.OutPath, text);
        else if (ext == ".pdf") ReportPdf.Write(Pdf(report, text, branding), request.OutPath);
        else await File.WriteAllTextAsync(request.OutPath, ext == ".csv" ? Csv(report) : ReportHtml.Render(Pdf(report, text, branding)), ct);
        return report;
    }

    private static List<Article7CompletedArea> Completed(List<Article7Area> atStart, List<Article7Area> atEnd, List<Article7Area> fullyReleased,
        Dictionary<string, (HazardStatus Status, bool AntiPersonnel)> statusAtEnd)
    {
        var stillMined = atEnd.Select(a => a.Id).ToHashSet(StringComparer.Ordinal);
        var released = fullyReleased.ToDictionary(a => a.Id, StringComparer.Ordinal);
        static string FullyReleased(Article7Area a) => $"fully released: 0 m² remaining (status still {SnakeCase.Of(a.Status)}; its closure is not recorded yet)";
        var result = new List<Article7CompletedArea>();
        foreach (var a in atStart.Where(a => !stillMined.Contains(a.Id)))
        {
            if (released.TryGetValue(a.Id, out var end))
            {
                result.Add(new(a, a.ResidualM2, end.Status, FullyReleased(end), end.ReleaseIds) { ReasonKey = "A7WhyReleased" });
                continue;
            }
            var known = statusAtEnd.TryGetValue(a.Id, out var s);
            var (reason, key) = !known ? ("no longer in the register on 31 December", "A7WhyGone")
                : s.Status is HazardStatus.Closed ? ("closed", "A7WhyClosed")
                : s.Status is HazardStatus.HandedOver ? ("handed over", "A7WhyHandedOver")
                : ("no longer recorded as containing anti-personnel mines", "A7WhyNotAntiPersonnel");
            result.Add(new(a, a.ResidualM2, known ? s.Status : null, reason, a.ReleaseIds) { ReasonKey = key });
        }
        // Recorded during the year and released in full within it.
        var minedAtStart = atStart.Select(a => a.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var a in fullyReleased.Where(a => !minedAtStart.Contains(a.Id)))
            result.Add(new(a, null, a.Status, FullyReleased(a), a.ReleaseIds) { ReasonKey = "A7WhyReleased" });
        result.Sort((x, y) => (string.CompareOrdinal(x.Area.Place, y.Area.Place), string.CompareOrdinal(x.Area.Id, y.Area.Id)) switch
        {
            (0, var byId) => byId,
            (var byPlace, _) => byPlace,
        });
        return result;
    }

    private static bool IsAntiPersonnel(HazardInput h) =>
        h.Status is HazardStatus.Open or HazardStatus.WorkedOn &&
        (h.Contamination ?? "").Split(';', StringSplitOptions.TrimEntries).Any(c => AntiPersonnel.Contains(c));

    /// <summary>Every find's id, category, quantity and date (a million rows at national scale: read without EF's per-row materialisation, <see cref="RawRows"/>).</summary>
    private async Task<List<FindCount>> FindsAsync(CancellationToken ct)
    {
        await using var db = target.CreateContext();
        var categories = new ParsedText<OrdnanceCategory>(SnakeCase.Parse<OrdnanceCategory>);
        var dates = new ParsedText<PartialDate>(PartialDate.Parse);
        return await RawRows.ReadAsync(db, db.Finds.AsNoTracking().Select(f => new { f.Id, f.Category, f.Quantity, f.FoundOn }),
            r => new FindCount(r.GetString(0), r.GetParsed(1, categories), r.GetInt32(2), r.GetParsed(3, dates)), ct);
    }

    private sealed record FindCount(string Id, OrdnanceCategory Category, int Quantity, PartialDate FoundOn);

    /// <summary>The anti-personnel areas open or worked on at a date (completed ones included), and every area's status then.</summary>
    private async Task<(List<Article7Area> Areas, Dictionary<string, (HazardStatus Status, bool AntiPersonnel)> Statuses)> AreasAsync(HistoryPoint point, CancellationToken ct)
    {
        var data = await LandReleaseData.LoadAsync(target, point, withPlaces: true, ct);
        var releases = data.Releases.ToLookup(r => r.HazardId, StringComparer.Ordinal);
        List<Article7Area> areas = [.. LandReleaseAccounting.Residuals(data.Hazards.Where(IsAntiPersonnel), data.Releases)
            .Select(r => new Article7Area(r.Hazard.Id, r.Hazard.Name, r.Hazard.Place, r.Hazard.Classification, r.Hazard.Status, r.Hazard.Contamination, r.ResidualM2,
                [.. releases[r.Hazard.Id].Select(x => x.Id).Order(StringComparer.Ordinal)]))];
        return (areas, data.Hazards.ToDictionary(h => h.Id, h => (h.Status, IsAntiPersonnel(h)), StringComparer.Ordinal));
    }

    /// <summary>
    /// The report for the PDF writer: Form C-style tables of the areas at the start and end of the year (location, area,
    /// name, classification, status, size), the completed areas apart, Form F-style land released by method, devices
    /// destroyed, and an annex of the records behind each figure.
    /// </summary>
    public static ReportDocument Pdf(Article7Report r, ReportText text, ReportBranding branding)
    {
        var blocks = new List<ReportBlock> { new ReportParagraph(text["A7Intro"]) };
        var start = new DateOnly(r.Year, 1, 1);
        var end = new DateOnly(r.Year, 12, 31);
        string M2(double m2) => text.Number(m2);
        ReportTable Areas(IReadOnlyList<Article7Area> areas)
        {
            var rows = areas.OrderBy(a => a.Place, StringComparer.Ordinal).ThenBy(a => a.Id, StringComparer.Ordinal)
                .Select(a => (IReadOnlyList<string>)[a.Place ?? "", a.Id, a.Name ?? "", SnakeCase.Of(a.Classification), SnakeCase.Of(a.Status), M2(a.ResidualM2)]).ToList();
            foreach (var g in areas.GroupBy(a => a.Classification).OrderBy(g => g.Key))
                rows.Add(["", "", "", SnakeCase.Of(g.Key), text.Format("A7TotalAreas", g.Count()), M2(g.Sum(a => a.ResidualM2))]);
            rows.Add([text["ColTotal"], "", "", "", text.Format("A7TotalAreas", areas.Count), M2(areas.Sum(a => a.ResidualM2))]);
            return new ReportTable([text["ColLocation"], text["ColArea"], text["ColName"], text["ColClassification"], text["ColStatus"], text["ColSize"]], rows, LastRowIsTotal: true, TextColumns: 5);
        }
        blocks.Add(new ReportHeading(text.Format("A7MinedStart", text.Date(start))));
        blocks.Add(Areas(r.AtStart));
        blocks.Add(new ReportHeading(text.Format("A7MinedStart", text.Date(end))));
        blocks.Add(Areas(r.AtEnd));

        blocks.Add(new ReportHeading(text.Format("A7Completed", r.Year)));
        blocks.Add(new ReportParagraph(text["A7CompletedNote"]));
        var completed = r.Completed.Select(c => (IReadOnlyList<string>)[c.Area.Place ?? "", c.Area.Id, c.Area.Name ?? "", SnakeCase.Of(c.Area.Classification), c.Why(text),
            c.M2AtStart is { } m2 ? M2(m2) : text["A7DuringYear"]]).ToList();
        completed.Add([text["ColTotal"], "", "", "", text.Format("A7TotalAreas", r.Completed.Count), M2(r.Completed.Sum(c => c.M2AtStart ?? 0))]);
        blocks.Add(new ReportTable([text["ColLocation"], text["ColArea"], text["ColName"], text["ColClassification"], text["ColWhy"], text["ColSizeStart"]], completed, LastRowIsTotal: true, TextColumns: 5));

        blocks.Add(new ReportHeading(text.Format("A7Released", r.Year)));
        blocks.Add(new ReportParagraph(text["A7ReleasedNote"]));
        blocks.Add(new ReportTable([text["ColMethod"], text["ColAllLand"], text["ColInMined"]],
            [.. Methods(r).Select(m => (IReadOnlyList<string>)[m.Method, M2(m.All), M2(m.Mined)]), [text["ColTotal"], M2(r.Released.Total), M2(r.ReleasedInMinedAreas.Total)]], LastRowIsTotal: true));

        blocks.Add(new ReportHeading(text.Format("A7Destroyed", r.Year)));
        blocks.Add(new ReportParagraph(text["A7DestroyedNote"]));
        blocks.Add(new ReportTable([text["ColCategory"], text["ColDevices"], text["ColFinds"]],
            [.. r.Destroyed.Select(d => (IReadOnlyList<string>)[SnakeCase.Of(d.Category), text.Count(d.Devices), text.Count(d.Records)]),
             [text["ColTotal"], text.Count(r.Destroyed.Sum(d => d.Devices)), text.Count(r.Destroyed.Sum(d => d.Records))]], LastRowIsTotal: true));

        blocks.Add(new ReportPageBreak());
        blocks.Add(new ReportHeading(text["A7Annex"]));
        var annex = new List<IReadOnlyList<string>>();
        foreach (var a in r.AtStart.Concat(r.AtEnd).DistinctBy(a => a.Id).OrderBy(a => a.Id, StringComparer.Ordinal).Where(a => a.ReleaseIds.Count > 0))
            annex.Add([$"{a.Id} ({text["ColSize"]})", string.Join(", ", a.ReleaseIds)]);
        foreach (var (method, _, _) in Methods(r))
            annex.Add([$"{text["ColMethod"]}: {method}", string.Join(", ", r.ReleaseRecords.Where(x => SnakeCase.Of(x.Method) == method).Select(x => x.Id))]);
        foreach (var (category, _, _) in r.Destroyed)
            annex.Add([$"{text["ColCategory"]}: {SnakeCase.Of(category)}", string.Join(", ", r.FindIds.GetValueOrDefault(category, []))]);
        blocks.Add(new ReportTable([text["ColFigure"], text["ColRecordIds"]], annex, TextColumns: 2));
        var footnote = text.Format("Computed", Statistics.StatsOutput.Timestamp(r.ComputedAt));
        return new ReportDocument($"{text["A7Title"]} — {r.Year}", text.Period(start, end), blocks, text, branding, footnote);
    }

    public static string Csv(Article7Report r)
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder("table,date,place,id,name,classification,status,area_m2,method,category,devices,records,record_ids\n");
        string Ids(IEnumerable<string> ids) => LandReleaseReports.Csv(string.Join(';', ids));
        void Areas(string table, string date, IEnumerable<Article7Area> areas)
        {
            foreach (var a in areas)
                sb.AppendLine(string.Create(inv, $"{table},{date},{LandReleaseReports.Csv(a.Place)},{LandReleaseReports.Csv(a.Id)},{LandReleaseReports.Csv(a.Name)},{SnakeCase.Of(a.Classification)},{SnakeCase.Of(a.Status)},{a.ResidualM2:F1},,,,,{Ids(a.ReleaseIds)}"));
        }
        Areas("mined_areas", $"{r.Year}-01-01", r.AtStart);
        Areas("mined_areas", $"{r.Year}-12-31", r.AtEnd);
        foreach (var c in r.Completed)
            sb.AppendLine(string.Create(inv, $"completed_areas,{r.Year},{LandReleaseReports.Csv(c.Area.Place)},{LandReleaseReports.Csv(c.Area.Id)},{LandReleaseReports.Csv(c.Area.Name)},{SnakeCase.Of(c.Area.Classification)},{(c.StatusAtEnd is { } s ? SnakeCase.Of(s) : "")},{c.M2AtStart:F1},,,,,{Ids(c.ReleaseIds)}"));
        foreach (var (method, m2, mined) in Methods(r))
        {
            var ids = r.ReleaseRecords.Where(x => SnakeCase.Of(x.Method) == method).ToList();
            sb.AppendLine(string.Create(inv, $"land_released,{r.Year},,,,,,{m2:F1},{method},,,{ids.Count},{Ids(ids.Select(x => x.Id))}"))
              .AppendLine(string.Create(inv, $"land_released_in_mined_areas,{r.Year},,,,,,{mined:F1},{method},,,{ids.Count(x => x.InMinedArea)},{Ids(ids.Where(x => x.InMinedArea).Select(x => x.Id))}"));
        }
        foreach (var (category, devices, records) in r.Destroyed)
            sb.AppendLine(string.Create(inv, $"devices_destroyed,{r.Year},,,,,,,,{SnakeCase.Of(category)},{devices},{records},{Ids(r.FindIds.GetValueOrDefault(category, []))}"));
        return sb.ToString();
    }

    private static IEnumerable<(string Method, double All, double Mined)> Methods(Article7Report r) =>
    [
        ("cancelled", r.Released.Cancelled, r.ReleasedInMinedAreas.Cancelled),
        ("reduced", r.Released.Reduced, r.ReleasedInMinedAreas.Reduced),
        ("cleared", r.Released.Cleared, r.ReleasedInMinedAreas.Cleared),
    ];
}
