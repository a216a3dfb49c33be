using System.Globalization;
using Groundtruth.Analysis.Statistics;
using Groundtruth.Application.Progress;
using Groundtruth.Application.Statistics;
using Groundtruth.Application.Storage;
using ScottPlot;

namespace Groundtruth.Application.Reports;

/// <summary>What <c>groundtruth report situation</c> covers and where it writes.</summary>
/// <param name="OutputPath">A <c>.html</c> (self-contained) or <c>.pdf</c> file.</param>
public sealed record SituationReportRequest(string OutputPath, string? From = null, string? To = null);

/// <summary>A headline figure with its definition in words.</summary>
public sealed record HeadlineFigure(string Label, string Value, string Definition);

/// <summary>A block of the report, rendered the same way to HTML and to PDF.</summary>
public abstract record ReportBlock;
public sealed record ReportHeading(string Text) : ReportBlock;
public sealed record ReportParagraph(string Text) : ReportBlock;
public sealed record ReportHeadlines(IReadOnlyList<HeadlineFigure> Figures) : ReportBlock;
public sealed record ReportTable(IReadOnlyList<string> Header, IReadOnlyList<IReadOnlyList<string>> Rows, bool LastRowIsTotal = false) : ReportBlock;
public sealed record ReportChart(string Title, Plot Plot, int Width, int Height) : ReportBlock;

/// <summary>The situation report as computed: its blocks, the headline figures, and the time of computation.</summary>
public sealed record SituationReport(string Title, IReadOnlyList<ReportBlock> Blocks, IReadOnlyList<HeadlineFigure> Headlines, DateTimeOffset ComputedAt);

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
    private const int Steps = 13;

    public Task<SituationReport> BuildAsync(SituationReportRequest request, CancellationToken ct = default) => BuildAsync(request, null, ct);

    /// <summary>As above, reporting each statistics question as a step to <paramref name="progress"/>.</summary>
    public async Task<SituationReport> BuildAsync(SituationReportRequest request, IProgress<WorkProgress>? progress, CancellationToken ct = default)
    {
        var stats = new StatsHandler(target, clock, _source);
        var asked = 0;
        Task<StatsReport> Ask(string dataset, string[]? where = null, params string[] by)
        {
            progress?.Report(WorkProgress.Step($"{dataset} by {string.Join(", ", by)}", asked++, Steps));
            return stats.HandleAsync(new StatsRequest(dataset, request.From, request.To, where ?? [], null, by), ct);
        }

        var outcome = await Ask("casualties", null, "outcome");
        var status = await Ask("casualties", null, "status");
        var children = await Ask("casualties", ["status=civilian"], "age_group");
        var finds = await Ask("finds", null, "category");
        var accidents = await Ask("accidents", null, "kind");
        var window = StatsDefinitions.Window(outcome.From, outcome.To);
        var computedAt = clock.GetUtcNow();

        string N(long? v) => StatsOutput.Count(v);
        string Share(StatsReport r, string value) =>
            r.Figures.Groups.FirstOrDefault(g => g.Values[0] == value)?.ShareOfKnown is { } s ? StatsOutput.Percent(s) : "–";
        long? Group(StatsReport r, string value) => r.Figures.Groups.FirstOrDefault(g => g.Values[0] == value)?.Count ?? 0;
        var unknownOutcome = outcome.Figures.Fields[0].Unknown;
        var headlines = new List<HeadlineFigure>
        {
            new("Casualties", N(outcome.Figures.Total),
                $"People killed or injured by explosive ordnance, one record per person, whose date lies {window}; {N(outcome.Figures.Straddling)} more with partial dates straddling the window are not counted."),
            new("Killed", N(Group(outcome, "killed")), $"{Share(outcome, "killed")} of the casualties whose outcome is known; outcome unknown for {N(unknownOutcome)}."),
            new("Injured", N(Group(outcome, "injured")), $"{Share(outcome, "injured")} of the casualties whose outcome is known."),
            new("Civilian casualties", N(Group(status, "civilian")),
                $"{Share(status, "civilian")} of the casualties whose status is known (status unknown for {N(status.Figures.Fields[0].Unknown)}); deminers are their own group."),
            new("Children among civilian casualties", Share(children, "child"),
                $"{N(Group(children, "child"))} children (under 18 at the accident date) of {N(children.Figures.Fields[0].Known)} civilian casualties of known age; age unknown for {N(children.Figures.Fields[0].Unknown)}."),
            new("Devices found", N(finds.Figures.Total),
                $"Explosive ordnance found, in devices (the sum of quantity) in {N(finds.Figures.Records)} find records, cached devices included; {N(finds.Figures.Straddling)} devices with partial dates straddle the window."),
            new("Anti-personnel mines found", N(Group(finds, "anti_personnel_mine")), "Devices of category anti_personnel_mine, emplaced or cached."),
            new("Accidents", N(accidents.Figures.Total),
                $"Mine/ERW and demining accidents (IMAS 10.60), including those that hurt nobody; {N(Group(accidents, "demining"))} demining accidents."),
        };

        var blocks = new List<ReportBlock>
        {
            new ReportParagraph($"Figures for records dated {window}. Only approved records count. A record dated only to a month or year that straddles an edge of the window is counted beside the figures, never silently in or out. Every share is of the records where the attribute is known."),
            new ReportHeading("Headline figures"),
            new ReportHeadlines(headlines),
        };

        var perYear = await Ask("casualties", null, "year", "outcome");
        blocks.Add(new ReportHeading("Casualties per year, by outcome"));
        blocks.Add(StackedBars("Casualties per year", perYear, "casualties", yearly: true));
        blocks.Add(new ReportParagraph(perYear.Definition));

        blocks.Add(new ReportHeading("Casualties by status"));
        blocks.Add(GroupTable(status, "status"));
        var ageSex = await Ask("casualties", null, "age_group", "sex");
        blocks.Add(new ReportHeading("Casualties by age group and sex"));
        blocks.Add(Pivot(ageSex, "age group"));
        blocks.Add(new ReportParagraph("A child is under 18 at the date of the accident; the age group comes from the age at the accident date, or the group recorded when the age is unknown. A woman is female and 18 or over."));

        var perMonth = await Ask("finds", null, "month", "category");
        blocks.Add(new ReportHeading("Finds per month, by category (devices)"));
        blocks.Add(StackedBars("Devices found per month", perMonth, "devices", yearly: false));
        blocks.Add(new ReportParagraph(perMonth.Definition));

        var models = await Ask("finds", null, "model");
        blocks.Add(new ReportHeading("Top device models"));
        var top = models.Figures.Groups.Where(g => g.Values[0] != StatsColumn.Unknown).OrderByDescending(g => g.Count).ThenBy(g => g.Values[0], StringComparer.Ordinal).Take(10).ToList();
        blocks.Add(new ReportTable(["model", "devices", "records", "share of known"],
            [.. top.Select(g => (IReadOnlyList<string>)[g.Values[0], N(g.Count), N(g.Records), g.ShareOfKnown is { } s ? StatsOutput.Percent(s) : "–"])]));
        blocks.Add(new ReportParagraph($"Model unknown for {N(models.Figures.Fields[0].Unknown)} devices."));

        blocks.Add(new ReportHeading("By district"));
        blocks.Add(await PlaceTableAsync(Ask));
        blocks.Add(new ReportParagraph("Each record is assigned one location, the smallest gazetteer place whose polygon covers its point (ties to the lowest id); a casualty without a point takes its accident's. The rows add up to the totals."));
        blocks.Add(new ReportParagraph($"Computed at {StatsOutput.Timestamp(computedAt)} (recorded time). Re-running the same questions on the data as recorded then gives the same figures."));
        return new SituationReport("Situation report", blocks, headlines, computedAt);
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
        if (ext == ".pdf") ReportPdf.Write(report, tmp);
        else await File.WriteAllTextAsync(tmp, ReportHtml.Render(report), ct);
        File.Move(tmp, request.OutputPath, overwrite: true);
        return report;
    }

    private static ReportTable GroupTable(StatsReport r, string field) => new(
        [field, "count", "share of known"],
        [.. r.Figures.Groups.Select(g => (IReadOnlyList<string>)[g.Values[0], StatsOutput.Count(g.Count), g.ShareOfKnown is { } s ? StatsOutput.Percent(s) : "–"]),
         ["total", StatsOutput.Count(r.Figures.Total), ""]],
        LastRowIsTotal: true);

    /// <summary>The first field down, the second across, with totals both ways.</summary>
    private static ReportTable Pivot(StatsReport r, string rowName)
    {
        var rows = r.Figures.Groups.Select(g => g.Values[0]).Distinct().ToList();
        var columns = r.Figures.Groups.Select(g => g.Values[1]).Distinct().OrderBy(c => c == StatsColumn.Unknown).ToList();
        long Cell(string row, string column) => r.Figures.Groups.Where(g => g.Values[0] == row && g.Values[1] == column).Sum(g => g.Count ?? 0);
        var body = rows.Select(row => (IReadOnlyList<string>)[row, .. columns.Select(c => StatsOutput.Count(Cell(row, c))), StatsOutput.Count(columns.Sum(c => Cell(row, c)))]).ToList();
        body.Add(["total", .. columns.Select(c => StatsOutput.Count(rows.Sum(row => Cell(row, c)))), StatsOutput.Count(r.Figures.Total)]);
        return new ReportTable([rowName, .. columns, "total"], body, LastRowIsTotal: true);
    }

    private static async Task<ReportTable> PlaceTableAsync(Func<string, string[]?, string[], Task<StatsReport>> ask)
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
            p.Id == StatsColumn.Unknown ? "outside every place / no point" : $"{p.Name} ({p.Id})",
            StatsOutput.Count(Of(casualties, p.Id)), StatsOutput.Count(Of(finds, p.Id)), StatsOutput.Count(Of(accidents, p.Id))]).ToList();
        rows.Add(["total", StatsOutput.Count(casualties.Figures.Total), StatsOutput.Count(finds.Figures.Total), StatsOutput.Count(accidents.Figures.Total)]);
        return new ReportTable(["place", "casualties", "devices found", "accidents"], rows, LastRowIsTotal: true);
    }

    /// <summary>Bars per period (the first grouping field), stacked by the second.</summary>
    private static ReportChart StackedBars(string title, StatsReport r, string unit, bool yearly)
    {
        var periods = r.Figures.Groups.Select(g => g.Values[0]).Where(v => v != StatsColumn.Unknown).Distinct().OrderBy(v => v, StringComparer.Ordinal).ToList();
        var series = r.Figures.Groups.Select(g => g.Values[1]).Distinct().ToList();
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        var bars = new List<Bar>();
        var bottoms = new double[periods.Count];
        for (var s = 0; s < series.Count; s++)
        {
            var color = palette.GetColor(s);
            for (var p = 0; p < periods.Count; p++)
            {
                var value = r.Figures.Groups.Where(g => g.Values[0] == periods[p] && g.Values[1] == series[s]).Sum(g => g.Count ?? 0);
                if (value == 0) continue;
                bars.Add(new Bar { Position = p, ValueBase = bottoms[p], Value = bottoms[p] + value, FillColor = color, LineWidth = 0 });
                bottoms[p] += value;
            }
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = series[s], FillColor = color });
        }
        plot.Add.Bars(bars);
        var step = Math.Max(1, periods.Count / (yearly ? 15 : 12));
        var ticks = Enumerable.Range(0, periods.Count).Where(p => p % step == 0).ToArray();
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            [.. ticks.Select(p => (double)p)], [.. ticks.Select(p => periods[p])]);
        plot.Axes.Margins(bottom: 0);
        plot.YLabel(unit);
        plot.ShowLegend(Alignment.UpperLeft);
        plot.Title(title);
        var unknown = r.Figures.Groups.Where(g => g.Values[0] == StatsColumn.Unknown).Sum(g => g.Count ?? 0);
        if (unknown > 0) plot.XLabel(string.Create(CultureInfo.InvariantCulture, $"not shown: {unknown:N0} {unit} whose {r.By[0]} is unknown"));
        return new ReportChart(title, plot, 900, 380);
    }
}
