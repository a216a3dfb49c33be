using Groundtruth.Application.Resources;
using System.Globalization;
using Groundtruth.Analysis.Statistics;
using Groundtruth.Application.Datasets;
using Groundtruth.Application.Progress;
using Groundtruth.Application.Statistics;
using Groundtruth.Application.Storage;
using Groundtruth.Domain;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Geometries;
using ScottPlot;

namespace Groundtruth.Application.Reports;

/// <summary>What <c>groundtruth report situation</c> covers and where it writes.</summary>
/// <param name="OutputPath">A <c>.html</c> (self-contained) or <c>.pdf</c> file.</param>
/// <param name="Language">The report's language (<see cref="ReportText.Languages"/>; null: English).</param>
/// <param name="Branding">The programme's name and logo for the PDF's header (null: a plain header).</param>
public sealed record SituationReportRequest(string OutputPath, string? From = null, string? To = null, string? Language = null, ReportBranding? Branding = null);

/// <summary>A headline figure with its definition in words.</summary>
public sealed record HeadlineFigure(string Label, string Value, string Definition);

/// <summary>A block of the report, rendered the same way to HTML and to PDF.</summary>
public abstract record ReportBlock;
public sealed record ReportHeading(string Text) : ReportBlock;
/// <summary>The next block starts a page (the annex).</summary>
public sealed record ReportPageBreak : ReportBlock;
public sealed record ReportParagraph(string Text) : ReportBlock;
public sealed record ReportHeadlines(IReadOnlyList<HeadlineFigure> Figures) : ReportBlock;
/// <param name="TextColumns">How many columns, from the first, hold words (aligned to the start, wrapped); the others hold figures.</param>
public sealed record ReportTable(IReadOnlyList<string> Header, IReadOnlyList<IReadOnlyList<string>> Rows, bool LastRowIsTotal = false, int TextColumns = 1) : ReportBlock;
/// <summary>A chart, with the figures it draws: every period from the first to the last (empty ones as zero) and its total.</summary>
/// <param name="Legend">The series' names and colours, drawn by the PDF itself under the chart (ScottPlot does not shape Arabic).</param>
public sealed record ReportChart(string Title, Plot Plot, int Width, int Height, IReadOnlyList<string> Periods, IReadOnlyList<long> Totals,
    IReadOnlyList<(string Label, ScottPlot.Color Colour)>? Legend = null) : ReportBlock;

/// <summary>The situation report as computed: its blocks, the headline figures, and the time of computation.</summary>
/// <remarks><see cref="Period"/> is the period in words ("1 January 2024 to 31 December 2024", "all records").</remarks>
public sealed record SituationReport(string Title, IReadOnlyList<ReportBlock> Blocks, IReadOnlyList<HeadlineFigure> Headlines, DateTimeOffset ComputedAt)
{
    public string Period { get; init; } = "";
    public ReportText Text { get; init; } = ReportText.English;
}

/// <summary>
/// The situation report for a window: headline figures with their definitions; casualties per year by
/// outcome; by status; by age group and sex; finds per month by category; the top device models; one
/// table per district that adds up to the totals; and the recorded time it was computed at. Every
/// figure comes from the statistics use case (<see cref="StatsHandler"/>), so it is the figure
/// <c>groundtruth stats</c> prints for the same question.
/// </summary>
public sealed class SituationReportHandler(DatabaseTarget target, TimeProvider clock)
{
    private readonly StatsSource _source = new();

    /// <summary>The statistics questions the report asks, plus one step for writing it: the steps its progress counts.</summary>
    private const int Steps = 14;

    public Task<SituationReport> BuildAsync(SituationReportRequest request, CancellationToken ct = default) => BuildAsync(request, null, ct);

    /// <summary>As above, reporting each statistics question as a step to <paramref name="progress"/>.</summary>
    public async Task<SituationReport> BuildAsync(SituationReportRequest request, IProgress<WorkProgress>? progress, CancellationToken ct = default)
    {
        var text = ReportText.For(request.Language);
        var stats = new StatsHandler(target, clock, _source);
        var asked = 0;
        var questions = new List<StatsReport>();
        Task<StatsReport> Count(string dataset, string[]? where, string[] by) =>
            stats.HandleAsync(new StatsRequest(dataset, request.From, request.To, where ?? [], null, by), ct);
        async Task<StatsReport> Asked(string dataset, string[] by, Func<Task<StatsReport>> answer)
        {
            progress?.Report(WorkProgress.Step($"{dataset} by {string.Join(", ", by)}", asked++, Steps));
            var report = await answer();
            questions.Add(report);
            return report;
        }
        Task<StatsReport> Ask(string dataset, string[]? where = null, params string[] by) => Asked(dataset, by, () => Count(dataset, where, by));

        // The finds' and the accidents' tables load beside the casualties' (issue 11: one after another they were most of
        // the report's time at scale 500); each question is still asked, reported and listed in the annex in its turn.
        // Should an earlier question fail, their failures are observed (the report's own error is the one reported).
        var findsByCategory = Observed(Task.Run(() => Count("finds", null, ["category"]), ct));
        var accidentsByKind = Observed(Task.Run(() => Count("accidents", null, ["kind"]), ct));
        var outcome = await Ask("casualties", null, "outcome");
        // The map reads the hazardous areas, places and finds' points of the report's window, beside the questions.
        var map = Observed(Task.Run(() => MapAsync(outcome.From, outcome.To, ct), ct));
        var status = await Ask("casualties", null, "status");
        var children = await Ask("casualties", ["status=civilian"], "age_group");
        var finds = await Asked("finds", ["category"], () => findsByCategory);
        var accidents = await Asked("accidents", ["kind"], () => accidentsByKind);
        var period = text.Period(outcome.From, outcome.To);
        var computedAt = clock.GetUtcNow();

        string N(long? v) => text.Count(v);
        string Share(StatsReport r, string value) =>
            r.Figures.Groups.FirstOrDefault(g => g.Values[0] == value)?.ShareOfKnown is { } s ? text.Percent(s) : "–";
        long? Group(StatsReport r, string value) => r.Figures.Groups.FirstOrDefault(g => g.Values[0] == value)?.Count ?? 0;
        var headlines = new List<HeadlineFigure>
        {
            new(text["Casualties"], N(outcome.Figures.Total), text.Format("CasualtiesDef", N(outcome.Figures.Straddling))),
            new(text["Killed"], N(Group(outcome, "killed")), text.Format("KilledDef", Share(outcome, "killed"), N(outcome.Figures.Fields[0].Unknown))),
            new(text["Injured"], N(Group(outcome, "injured")), text.Format("InjuredDef", Share(outcome, "injured"))),
            new(text["Civilian"], N(Group(status, "civilian")), text.Format("CivilianDef", Share(status, "civilian"), N(status.Figures.Fields[0].Unknown))),
            new(text["Children"], Share(children, "child"),
                text.Format("ChildrenDef", N(Group(children, "child")), N(children.Figures.Fields[0].Known), N(children.Figures.Fields[0].Unknown))),
            new(text["Devices"], N(finds.Figures.Total), text.Format("DevicesDef", N(finds.Figures.Records), N(finds.Figures.Straddling))),
            new(text["ApMines"], N(Group(finds, "anti_personnel_mine")), text["ApMinesDef"]),
            new(text["Accidents"], N(accidents.Figures.Total), text.Format("AccidentsDef", N(Group(accidents, "demining")))),
        };

        var blocks = new List<ReportBlock>
        {
            new ReportParagraph(text["Intro"]),
            new ReportHeading(text["HeadlineFigures"]),
            new ReportHeadlines(headlines),
        };

        var perYear = await Ask("casualties", null, "year", "outcome");
        blocks.Add(new ReportHeading(text["CasualtiesPerYear"]));
        blocks.Add(StackedBars(text, text["CasualtiesPerYear"], perYear, yearly: true));
        blocks.Add(new ReportParagraph(ChartNote(text, "CasualtiesPerYearNote", perYear, text["ColCasualties"])));

        blocks.Add(new ReportHeading(text["CasualtiesByStatus"]));
        blocks.Add(GroupTable(text, status, text["ColStatus"]));
        var ageSex = await Ask("casualties", null, "age_group", "sex");
        blocks.Add(new ReportHeading(text["CasualtiesByAgeSex"]));
        blocks.Add(Pivot(text, ageSex, text["ColAgeGroup"]));
        blocks.Add(new ReportParagraph(text["AgeSexNote"]));

        var perMonth = await Ask("finds", null, "month", "category");
        blocks.Add(new ReportHeading(text["FindsPerMonth"]));
        blocks.Add(StackedBars(text, text["FindsPerMonth"], perMonth, yearly: false));
        blocks.Add(new ReportParagraph(ChartNote(text, "FindsPerMonthNote", perMonth, text["ColDevices"])));

        var models = await Ask("finds", null, "model");
        blocks.Add(new ReportHeading(text["TopModels"]));
        var top = models.Figures.Groups.Where(g => g.Values[0] != StatsColumn.Unknown).OrderByDescending(g => g.Count).ThenBy(g => g.Values[0], StringComparer.Ordinal).Take(10).ToList();
        blocks.Add(new ReportTable([text["ColModel"], text["ColDevices"], text["ColRecords"], text["ColShare"]],
            [.. top.Select(g => (IReadOnlyList<string>)[g.Values[0], N(g.Count), N(g.Records), g.ShareOfKnown is { } s ? text.Percent(s) : "–"])]));
        blocks.Add(new ReportParagraph(text.Format("ModelUnknown", N(models.Figures.Fields[0].Unknown))));

        blocks.Add(new ReportHeading(text["ByDistrict"]));
        blocks.Add(await PlaceTableAsync(text, Ask));
        blocks.Add(new ReportParagraph(text["DistrictNote"]));

        progress?.Report(WorkProgress.Step("map", asked++, Steps));
        blocks.Add(new ReportHeading(text["Map"]));
        blocks.Add(new ReportParagraph(text["MapNote"]));
        blocks.Add(await map);

        blocks.Add(new ReportPageBreak());
        blocks.Add(new ReportHeading(text["Annex"]));
        blocks.Add(new ReportParagraph(text["AnnexIntro"]));
        blocks.Add(new ReportTable(["#", text["ColFigure"]],
            [.. questions.DistinctBy(Question).Select((q, i) => (IReadOnlyList<string>)[(i + 1).ToString(text.Culture), Question(q)])], TextColumns: 2));
        string Question(StatsReport q) => text.Format("AnnexQuestion", q.Dataset.Name, string.Join(", ", q.By),
            q.Where.Count == 0 ? text["AnnexNoFilter"] : string.Join("; ", q.Where.Select(w => $"{w.Field} = {w.Value}")),
            $"{q.From?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "…"} – {q.To?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "…"}");
        blocks.Add(new ReportParagraph(text["AnnexRules"]));
        blocks.Add(new ReportParagraph(text.Format("Computed", StatsOutput.Timestamp(computedAt))));
        return new SituationReport(text["Title"], blocks, headlines, computedAt) { Period = period, Text = text };
    }

    /// <summary>A task read beside others whose failure, when an earlier await throws first, is still observed.</summary>
    internal static Task<T> Observed<T>(Task<T> task)
    {
        _ = task.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        return task;
    }

    /// <summary>Builds the report and writes it as HTML or PDF, by the file's extension.</summary>
    public Task<SituationReport> HandleAsync(SituationReportRequest request, CancellationToken ct = default) => HandleAsync(request, null, ct);

    /// <summary>As above, reporting each question and the writing to <paramref name="progress"/>.</summary>
    public async Task<SituationReport> HandleAsync(SituationReportRequest request, IProgress<WorkProgress>? progress, CancellationToken ct = default)
    {
        var ext = Path.GetExtension(request.OutputPath).ToLowerInvariant();
        if (ext is not (".html" or ".htm" or ".pdf"))
            throw new InvalidRequestException("out", $"must be a .html or .pdf file, not '{Path.GetFileName(request.OutputPath)}'");
        var report = await BuildAsync(request, progress, ct);
        progress?.Report(WorkProgress.Step(ext == ".pdf" ? "writing the PDF" : "writing the HTML", Steps - 1, Steps));
        var tmp = request.OutputPath + ".partial";
        try
        {
            if (ext == ".pdf") ReportPdf.Write(report, tmp, request.Branding);
            else await File.WriteAllTextAsync(tmp, ReportHtml.Render(report), ct);
        }
        catch
        {
            File.Delete(tmp);
            throw;
        }
        File.Move(tmp, request.OutputPath, overwrite: true);
        return report;
    }

    private static ReportTable GroupTable(ReportText text, StatsReport r, string field) => new(
        [field, text["ColCount"], text["ColShare"]],
        [.. r.Figures.Groups.Select(g => (IReadOnlyList<string>)[Word(text, r, 0, g.Values[0]), text.Count(g.Count), g.ShareOfKnown is { } s ? text.Percent(s) : "–"]),
         [text["ColTotal"], text.Count(r.Figures.Total), ""]],
        LastRowIsTotal: true);

    /// <summary>The first field down, the second across, with totals both ways.</summary>
    private static ReportTable Pivot(ReportText text, StatsReport r, string rowName)
    {
        var rows = r.Figures.Groups.Select(g => g.Values[0]).Distinct().ToList();
        var columns = r.Figures.Groups.Select(g => g.Values[1]).Distinct().OrderBy(c => c == StatsColumn.Unknown).ToList();
        long Cell(string row, string column) => r.Figures.Groups.Where(g => g.Values[0] == row && g.Values[1] == column).Sum(g => g.Count ?? 0);
        var body = rows.Select(row => (IReadOnlyList<string>)[Word(text, r, 0, row), .. columns.Select(c => text.Count(Cell(row, c))), text.Count(columns.Sum(c => Cell(row, c)))]).ToList();
        body.Add([text["ColTotal"], .. columns.Select(c => text.Count(rows.Sum(row => Cell(row, c)))), text.Count(r.Figures.Total)]);
        return new ReportTable([rowName, .. columns.Select(c => Word(text, r, 1, c)), text["ColTotal"]], body, LastRowIsTotal: true);
    }

    /// <summary>A grouping value in the report's language from the label catalogue (<c>anti_personnel_mine</c> → "Anti-personnel mine").</summary>
    private static string Word(ReportText text, StatsReport r, int column, string value) =>
        column < r.By.Count && r.Dataset.Field(r.By[column])?.EnumType is { } type ? Labels.Value(type, value, text.Culture) : value;

    private static async Task<ReportTable> PlaceTableAsync(ReportText text, Func<string, string[]?, string[], Task<StatsReport>> ask)
    {
        var casualties = await ask("casualties", null, ["place"]);
        var finds = await ask("finds", null, ["place"]);
        var accidents = await ask("accidents", null, ["place"]);
        var places = new[] { casualties, finds, accidents }
            .SelectMany(r => r.Figures.Groups.Select(g => (Id: g.Values[0], Name: g.Labels[0])))
            .DistinctBy(p => p.Id)
            .OrderBy(p => p.Id == StatsColumn.Unknown)
            .ThenBy(p => p.Id, StringComparer.Ordinal)
            .ToList();
        static long Of(StatsReport r, string id) => r.Figures.Groups.FirstOrDefault(g => g.Values[0] == id)?.Count ?? 0;
        var rows = places.Select(p => (IReadOnlyList<string>)[
            p.Id == StatsColumn.Unknown ? text["OutsidePlaces"] : $"{p.Name} ({p.Id})",
            text.Count(Of(casualties, p.Id)), text.Count(Of(finds, p.Id)), text.Count(Of(accidents, p.Id))]).ToList();
        rows.Add([text["ColTotal"], text.Count(casualties.Figures.Total), text.Count(finds.Figures.Total), text.Count(accidents.Figures.Total)]);
        return new ReportTable([text["ColPlace"], text["ColCasualties"], text["ColDevicesFound"], text["ColAccidents"]], rows, LastRowIsTotal: true);
    }

    /// <summary>The chart's note, and what it leaves out: figures whose period is known only more coarsely.</summary>
    private static string ChartNote(ReportText text, string key, StatsReport r, string unit)
    {
        var unknown = r.Figures.Groups.Where(g => g.Values[0] == StatsColumn.Unknown).Sum(g => g.Count ?? 0);
        return unknown > 0 ? text[key] + " " + text.Format("NotShown", $"{text.Count(unknown)} {unit}") : text[key];
    }

    /// <summary>Every year (yyyy) or month (yyyy-MM) from the window's start, or the first with data, to its end, or the last with data.</summary>
    internal static List<string> AllPeriods(IEnumerable<string> present, DateOnly? from, DateOnly? to, bool yearly)
    {
        var known = present.Where(p => p != StatsColumn.Unknown)
            .Select(p => yearly ? new DateOnly(int.Parse(p, CultureInfo.InvariantCulture), 1, 1) : DateOnly.ParseExact(p + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture))
            .ToList();
        if (known.Count == 0) return [];
        var first = from is { } f ? new DateOnly(f.Year, yearly ? 1 : f.Month, 1) : known.Min();
        var last = to is { } t ? new DateOnly(t.Year, yearly ? 1 : t.Month, 1) : known.Max();
        if (known.Min() < first) first = known.Min();
        if (known.Max() > last) last = known.Max();
        var periods = new List<string>();
        for (var d = first; d <= last; d = yearly ? d.AddYears(1) : d.AddMonths(1))
            periods.Add(d.ToString(yearly ? "yyyy" : "yyyy-MM", CultureInfo.InvariantCulture));
        return periods;
    }

    /// <summary>Bars per period (the first grouping field), stacked by the second; every period shown, an empty one as zero.</summary>
    private static ReportChart StackedBars(ReportText text, string title, StatsReport r, bool yearly)
    {
        var periods = AllPeriods(r.Figures.Groups.Select(g => g.Values[0]), r.From, r.To, yearly);
        var series = r.Figures.Groups.Select(g => g.Values[1]).Distinct().ToList();
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        var bars = new List<Bar>();
        var legend = new List<(string, ScottPlot.Color)>();
        var bottoms = new double[periods.Count];
        var totals = new long[periods.Count];
        for (var s = 0; s < series.Count; s++)
        {
            var color = palette.GetColor(s);
            for (var p = 0; p < periods.Count; p++)
            {
                var value = r.Figures.Groups.Where(g => g.Values[0] == periods[p] && g.Values[1] == series[s]).Sum(g => g.Count ?? 0);
                totals[p] += value;
                if (value == 0) continue;
                bars.Add(new Bar { Position = p, ValueBase = bottoms[p], Value = bottoms[p] + value, FillColor = color, LineWidth = 0 });
                bottoms[p] += value;
            }
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = Word(text, r, 1, series[s]), FillColor = color });
            legend.Add((Word(text, r, 1, series[s]), color));
        }
        plot.Add.Bars(bars);
        // At most about a dozen labels: every year, or every few years; over more than a year of months, the years
        // at their Januaries (a month label is as wide as two bars' worth of years).
        int[] ticks;
        string[] labels;
        if (yearly || periods.Count <= 12)
        {
            var step = Math.Max(1, (int)Math.Ceiling(periods.Count / 12.0));
            ticks = [.. Enumerable.Range(0, periods.Count).Where(p => p % step == 0)];
            labels = [.. ticks.Select(p => periods[p])];
        }
        else
        {
            var years = Math.Max(1, (int)Math.Ceiling(periods.Count / 12.0 / 12.0));
            ticks = [.. Enumerable.Range(0, periods.Count).Where(p => periods[p].EndsWith("-01", StringComparison.Ordinal)
                && int.Parse(periods[p][..4], CultureInfo.InvariantCulture) % years == 0)];
            labels = [.. ticks.Select(p => periods[p][..4])];
        }
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual([.. ticks.Select(p => (double)p)], labels);
        plot.Axes.Margins(bottom: 0);
        plot.Axes.SetLimitsX(-0.7, Math.Max(periods.Count, 1) - 0.3);
        plot.Axes.SetLimitsY(0, Math.Max(1, bottoms.DefaultIfEmpty(0).Max()) * 1.25);
        plot.Font.Set("DejaVu Sans");
        plot.Axes.Bottom.TickLabelStyle.FontSize = 13;
        plot.Axes.Left.TickLabelStyle.FontSize = 13;
        plot.Legend.FontSize = 13;
        plot.Legend.FontName = "DejaVu Sans";
        // No legend in the plot itself: the HTML adds ScottPlot's beside the chart when it draws it, the PDF draws its own.
        plot.HideLegend();
        return new ReportChart(title, plot, 900, 380, periods, totals, legend);
    }

    /// <summary>Points closer than this share of the map's extent are drawn once (a thousandth: half a point on the page).</summary>
    internal const int MapCells = 1000;

    /// <summary>
    /// The map's contents: hazardous areas open or worked on now, accidents and finds dated within the window, district
    /// names. Points are read as their stored coordinates and dates, not as geometries, and a point in the same
    /// thousandth of the map's extent as one already kept is left out (issue 11: at 5 M finds the map read every
    /// find's geometry, 34 s and 7 GB, to draw dots that cover each other).
    /// </summary>
    private async Task<ReportMap> MapAsync(DateOnly? from, DateOnly? to, CancellationToken ct)
    {
        await using var db = target.CreateContext();
        static MapPosition At(Coordinate c) => new(c.X, c.Y);
        var hazards = (await db.Hazards.AsNoTracking().Where(h => h.Geometry != null && (h.Status == HazardStatus.Open || h.Status == HazardStatus.WorkedOn))
                .Select(h => h.Geometry!).ToListAsync(ct))
            .SelectMany(g => g.Geometries.OfType<Polygon>())
            .Select(p => (IReadOnlyList<IReadOnlyList<MapPosition>>)[[.. p.Shell.Coordinates.Select(At)], .. p.Holes.Select(r => (IReadOnlyList<MapPosition>)[.. r.Coordinates.Select(At)])])
            .ToList();
        var places = (await db.Places.AsNoTracking().Where(p => p.Geometry != null).Select(p => new { p.Name, p.Kind, p.Geometry }).ToListAsync(ct))
            .Where(p => p.Kind is PlaceKind.District or PlaceKind.Municipality)
            .Select(p => new MapPlaceLabel(p.Name, At(p.Geometry!.InteriorPoint.Coordinate))).ToList();
        var known = hazards.SelectMany(p => p[0]).Concat(places.Select(p => p.At)).ToList();
        var cell = known.Count < 2 ? 0
            : Math.Max(known.Max(p => p.Longitude) - known.Min(p => p.Longitude), known.Max(p => p.Latitude) - known.Min(p => p.Latitude)) / MapCells;
        await db.Database.OpenConnectionAsync(ct);
        var accidents = await MapPointsAsync(db, DatasetCatalog.Accidents, from, to, cell, ct);
        var finds = await MapPointsAsync(db, DatasetCatalog.Finds, from, to, cell, ct);
        return new ReportMap(hazards, accidents, finds, places);
    }

    /// <summary>The located points of <paramref name="dataset"/> dated within the window, one per <paramref name="cell"/> (none left out when 0).</summary>
    private static async Task<List<MapPosition>> MapPointsAsync(GroundtruthDbContext db, DatasetSpec dataset, DateOnly? from, DateOnly? to, double cell, CancellationToken ct)
    {
        var within = new Dictionary<string, bool>(StringComparer.Ordinal);
        var taken = new HashSet<(long, long)>();
        var points = new List<MapPosition>();
        await using var cmd = db.Database.GetDbConnection().CreateCommand();
        cmd.CommandText = $"SELECT \"{StatsFields.DateField(dataset)}\", \"{StorageNames.BoundingBox[0]}\", \"{StorageNames.BoundingBox[1]}\" FROM \"{dataset.Table}\" WHERE \"{StorageNames.BoundingBox[0]}\" IS NOT NULL ORDER BY \"fid\"";
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            var text = r.IsDBNull(0) ? "" : r.GetString(0);
            if (!within.TryGetValue(text, out var inside))
                within[text] = inside = (from is null && to is null) || (PartialDate.TryParse(text, out var date) && date.LiesWithin(from, to));
            if (!inside) continue;
            var (x, y) = (r.GetDouble(1), r.GetDouble(2));
            if (cell > 0 && !taken.Add(((long)Math.Floor(x / cell), (long)Math.Floor(y / cell)))) continue;
            points.Add(new MapPosition(x, y));
        }
        return points;
    }
}
