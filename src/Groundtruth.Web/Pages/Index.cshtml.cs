using System.Globalization;
using Groundtruth.Analysis.Statistics;
using Groundtruth.Application.Caching;
using Groundtruth.Application.Datasets;
using Groundtruth.Application.Resources;
using Groundtruth.Application.Security;
using Groundtruth.Application.Statistics;
using Groundtruth.Application.Storage;
using Groundtruth.Domain;
using Groundtruth.Web.Apis;
using Groundtruth.Web.Resources;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Groundtruth.Web.Pages;

/// <summary>
/// The headline figures of the programme over a window (this year unless the user picks another), each with its
/// definition: remaining suspected and confirmed area, land released in the window and the year before by method,
/// devices by category, casualties per month (killed, injured, children) as a chart, accidents outside any recorded
/// hazardous area. Counts come from the same use case as <c>groundtruth stats</c>; areas and the accidents outside
/// hazards from <see cref="ProgrammeFigures"/>, both kept per data version. A bad date is named beside its field and
/// the page shows this year's figures meanwhile.
/// </summary>
public sealed class DashboardModel(DatabaseTarget target, TimeProvider clock, Access access, DataVersion version, ProgrammeFigures programme, FirstAsked asked, DashboardCounts kept) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? From { get; set; }
    [BindProperty(SupportsGet = true)] public string? To { get; set; }
    [BindProperty(SupportsGet = true, Name = "include_pending")] public bool IncludePending { get; set; }
    /// <summary>Pending data is for roles that see record-level data (analysts and above), as in the API.</summary>
    public bool CanIncludePending { get; private set; }
    public List<DashboardFigure> Figures { get; } = [];
    public string? Error { get; private set; }
    public string? FromError { get; private set; }
    public string? ToError { get; private set; }
    public bool Suppressed { get; private set; }
    public string ComputedAt { get; private set; } = "";

    /// <summary>The window the figures cover: the dates typed, or this year.</summary>
    public DateOnly PeriodStart { get; private set; }
    public DateOnly PeriodEnd { get; private set; }
    /// <summary>The same window one year earlier (last year, by default).</summary>
    public DateOnly EarlierStart => PeriodStart.AddYears(-1);
    public DateOnly EarlierEnd => PeriodEnd.AddYears(-1);

    /// <summary>How long the page waits, after its counts, for the areas of a new data version before it shows them as being computed.</summary>
    public static readonly TimeSpan WaitForAreas = TimeSpan.FromSeconds(1);

    /// <summary>How long the page waits for its counts (the statistics' columns of a new data version) before it shows them as being computed.</summary>
    public static readonly TimeSpan WaitForCounts = TimeSpan.FromSeconds(2);


    /// <summary>The areas and the accidents outside hazards of this data version are still being computed (the first page after a change, at national scale).</summary>
    public bool Computing { get; private set; }

    /// <summary>The counts (devices, accidents, casualties) are still being loaded (the first page after the host starts, at national scale).</summary>
    public bool CountsComputing { get; private set; }
    public IReadOnlyList<RemainingArea> Remaining { get; private set; } = [];
    /// <summary>The remaining m² of every open area, the exact total rounded once (not the sum of <see cref="Remaining"/>'s rounded parts).</summary>
    public long RemainingM2 { get; private set; }
    public ReleasedLand? Released { get; private set; }
    public ReleasedLand? ReleasedEarlier { get; private set; }
    public AccidentsOutsideHazards? Outside { get; private set; }
    public List<MonthCasualties> Months { get; } = [];
    public StatsReport? CasualtiesByOutcome { get; private set; }
    public StatsReport? CasualtiesByAge { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        Suppressed = access.AggregatesOnly;
        CanIncludePending = access.MayReadPending;
        if (IncludePending && !CanIncludePending)
        {
            Error = Ui.T("dashboard.pending_refused");
            IncludePending = false;
        }
        var year = clock.GetUtcNow().UtcDateTime.Year;
        if (From is null && To is null) From = To = year.ToString(CultureInfo.InvariantCulture);
        var from = Bound(From, v => FromError = v);
        var to = Bound(To, v => ToError = v);
        if (from is { } f && to is { } t && f.Start > t.End) ToError = Ui.T("dashboard.to_before_from", To!, From!);
        // A window the user could not give is this year's: the page keeps its figures, the field says what to fix.
        if (FromError is not null || ToError is not null) (from, to) = (new PartialDate(year), new PartialDate(year));
        PeriodStart = from?.Start ?? new DateOnly(1900, 1, 1);
        PeriodEnd = to?.End ?? DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var fromText = from?.ToString();
        var toText = to?.ToString();

        var handler = new StatsHandler(target, clock, StatsApi.Source);
        var areasVersion = await version.KeyAsync(ProgrammeFigures.ReadFrom, ct);
        var snapshot = programme.SnapshotAsync(areasVersion, ct);
        // Independent figures load at the same time (issue 11: one after another the first dashboard took 3.1 s at scale 500).
        // Not cancelled with the request: a page that stops waiting leaves them to finish into the column cache.
        StatsRequest Ask(string dataset, params string[] by) => new StatsRequest(dataset, fromText, toText, [], null, by, IncludePending: IncludePending).For(access);
        var requests = new[] { Ask("finds", "category"), Ask("accidents", "kind"), Ask("casualties", "month", "outcome"), Ask("casualties", "month", "age_group"), Ask("casualties", "outcome"), Ask("casualties", "age_group") };
        // Kept per version of the datasets they are read from, per window, pending data and role suppression (DashboardCounts).
        var countsVersion = await version.KeyAsync(DashboardCounts.ReadFrom, ct);
        var countsQuestion = string.Join('|', fromText, toText, IncludePending, access.AggregatesOnly, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime).ToString("O", CultureInfo.InvariantCulture));
        var counts = kept.GetAsync(countsVersion, countsQuestion,
            () => Task.WhenAll(requests.Select(r => Task.Run(() => handler.HandleAsync(r, CancellationToken.None), CancellationToken.None))));
        // The first page after the host starts (or after a change of a million finds) waits at most WaitForCounts: the
        // columns load behind it and the page fetches itself until the counts are there (wwwroot/js/dashboard.js).
        // Once per question: a reload while they load waits only what is left of it, not WaitForCounts again (counts
        // already counted are kept, DashboardCounts, and answer at once).
        var question = string.Join('|', (await version.KeyAsync(ct)).Text, fromText, toText, IncludePending, access.Actor);
        var countsWait = WaitForCounts - asked.Since(question);
        await Task.WhenAny(counts, Task.Delay(countsWait > TimeSpan.Zero ? countsWait : TimeSpan.Zero, ct));
        if (!counts.IsCompleted)
        {
            CountsComputing = true;
            _ = counts.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        }
        else
        {
            try
            {
                var reports = await counts;
                Figures.Add(new DashboardFigure("finds", Ui.T("dashboard.devices"), reports[0], "category"));
                Figures.Add(new DashboardFigure("accidents", Labels.Dataset(DatasetCatalog.Accidents), reports[1], "kind"));
                CasualtiesByOutcome = reports[4];
                CasualtiesByAge = reports[5];
                Monthly(reports[2], reports[3]);
            }
            catch (StatsArgumentException e)
            {
                Error = Groundtruth.Application.ErrorMessages.Localise(e);
            }
        }
        // The residual areas take seconds at national scale (groundtruth hazards: 8 s at scale 500) once per data version:
        // the counts are not held back for them; the page fetches itself again until they are there (wwwroot/js/dashboard.js).
        // The areas get WaitForAreas once per data version, not on every reload while they are computed.
        var wait = CountsComputing ? TimeSpan.Zero : WaitForAreas - programme.AskedFor(areasVersion);
        if (await Task.WhenAny(snapshot, Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.Zero, ct)) != snapshot)
        {
            Computing = true;
        }
        else
        {
            var data = await snapshot;
            Remaining = data.Remaining;
            RemainingM2 = data.RemainingM2;
            Released = ProgrammeFigures.Released(data, PeriodStart, PeriodEnd);
            ReleasedEarlier = ProgrammeFigures.Released(data, EarlierStart, EarlierEnd);
            Outside = ProgrammeFigures.Outside(data, from?.Start, to?.End);
        }
        ComputedAt = Ui.When(clock.GetUtcNow().UtcDateTime);
    }

    /// <summary>One bound of the window as typed, or null; a text that is no date is named for its field.</summary>
    private static PartialDate? Bound(string? text, Action<string> error)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        if (PartialDate.TryParse(text.Trim(), out var date)) return date;
        error(Ui.T("dashboard.bad_date", text.Trim()));
        return null;
    }

    /// <summary>Every month of the window with its killed, injured, unknown outcome and children (hidden where suppressed for a viewer).</summary>
    private void Monthly(StatsReport byOutcome, StatsReport byAge)
    {
        static CountCell Count(StatsReport r, string month, string value) =>
            CountCell.Of(r.Figures.Groups.FirstOrDefault(g => g.Values[0] == month && g.Values[1] == value));
        for (var m = new DateOnly(PeriodStart.Year, PeriodStart.Month, 1); m <= PeriodEnd && Months.Count < 240; m = m.AddMonths(1))
        {
            var key = m.ToString("yyyy-MM", CultureInfo.InvariantCulture);
            Months.Add(new MonthCasualties(m, Count(byOutcome, key, "killed"), Count(byOutcome, key, "injured"), Count(byOutcome, key, StatsColumn.Unknown), Count(byAge, key, "child")));
        }
    }

    /// <summary>The mark of a small count a viewer may not see (1 to 4).</summary>
    public const string SmallMark = "< 5";

    /// <summary>The mark of a count hidden beside a small one so that it cannot be worked out by subtraction; it may be large.</summary>
    public const string HiddenMark = "–";

    /// <summary>A total as shown: grouped digits, or "&lt; 5" where a viewer may not see it (a total is hidden only when small).</summary>
    public static string Show(long? n) => n?.ToString("N0", CultureInfo.CurrentCulture) ?? SmallMark;

    /// <summary>A group's count as shown: grouped digits, "&lt; 5" for a small cell, "–" for a count hidden beside one.</summary>
    public static string Show(CountCell cell) => cell.Count?.ToString("N0", CultureInfo.CurrentCulture) ?? (cell.Complementary ? HiddenMark : SmallMark);

    /// <summary>Why a count is hidden, for <c>data-hidden</c>: <c>small</c>, <c>complementary</c>, or null when shown.</summary>
    public static string? Hidden(CountCell cell) => cell.Count is not null ? null : cell.Complementary ? "complementary" : "small";

    /// <summary>A count of the outside-hazard figure as a viewer may see it (1 to 4 hidden).</summary>
    public string ShowSmall(long n) => Suppressed && n is > 0 and < StatsEngine.SmallCell ? SmallMark : Show(n);

    /// <summary>The count of the group <paramref name="value"/> of a report grouped by one field (zero when there is no such group).</summary>
    public static CountCell GroupCount(StatsReport? report, string value) =>
        CountCell.Of(report?.Figures.Groups.FirstOrDefault(g => g.Values[0] == value));

    /// <summary>True when a viewer sees any month's count hidden: the chart does not draw it.</summary>
    public bool MonthsHidden => Months.Any(m => m.Killed.Count is null || m.Injured.Count is null || m.UnknownOutcome.Count is null || m.Children.Count is null);
}

/// <summary>
/// One count of the dashboard as a viewer may see it: the number, or null where hidden — either a small cell (1 to 4)
/// or, when <see cref="Complementary"/>, a count of any size hidden beside a small one (docs/statistics.md, "Viewer mode").
/// </summary>
public readonly record struct CountCell(long? Count, bool Complementary)
{
    /// <summary>A group's count; a group the report does not hold counts nothing.</summary>
    public static CountCell Of(StatsGroup? group) => group is null ? new(0, false) : new(group.Count, group.Complementary);
}

/// <summary>One month of the casualties chart; a count is null where a viewer may not see it.</summary>
public sealed record MonthCasualties(DateOnly Month, CountCell Killed, CountCell Injured, CountCell UnknownOutcome, CountCell Children);

/// <param name="GroupField">The field the figure is grouped by; its values are shown in words.</param>
public sealed record DashboardFigure(string Dataset, string Title, StatsReport Report, string GroupField)
{
    public DatasetSpec Spec => DatasetCatalog.Find(Dataset)!;
}
