using System.Globalization;
using Groundtruth.Application.Statistics;
using Groundtruth.Application.Storage;
using Groundtruth.Web.Apis;
using Groundtruth.Web.Setup;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Groundtruth.Application.Security;
using Groundtruth.Application.Datasets;
using Groundtruth.Application.Resources;
using Groundtruth.Web.Resources;

namespace Groundtruth.Web.Pages;

/// <summary>
/// Headline figures for a window, each with its definition, through the same use case as <c>groundtruth stats</c>.
/// Analysts and above may tick "include pending data"; the figures then say so.
/// </summary>
public sealed class DashboardModel(DatabaseTarget target, TimeProvider clock, Access access) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? From { get; set; }
    [BindProperty(SupportsGet = true)] public string? To { get; set; }
    [BindProperty(SupportsGet = true, Name = "include_pending")] public bool IncludePending { get; set; }
    /// <summary>Pending data is for roles that see record-level data (analysts and above), as in the API.</summary>
    public bool CanIncludePending { get; private set; }
    public List<DashboardFigure> Figures { get; } = [];
    public string? Error { get; private set; }
    public bool Suppressed { get; private set; }
    public string ComputedAt { get; private set; } = "";

    public async Task OnGetAsync(CancellationToken ct)
    {
        Suppressed = access.AggregatesOnly;
        CanIncludePending = access.MayReadPending;
        if (IncludePending && !CanIncludePending)
        {
            Error = Ui.T("dashboard.pending_refused");
            IncludePending = false;
        }
        var handler = new StatsHandler(target, clock, StatsApi.Source);
        try
        {
            // The three figures are independent: after a data change each loads its dataset's columns, so they load at
            // the same time (issue 11: the first dashboard after a change took 3.1 s at scale 500 one after another).
            var figures = new[] { ("casualties", Labels.Dataset(DatasetCatalog.Casualties), "outcome"), ("finds", Ui.T("dashboard.finds"), "category"), ("accidents", Labels.Dataset(DatasetCatalog.Accidents), "kind") };
            var requests = figures.Select(f => new StatsRequest(f.Item1, From, To, [], null, [f.Item3], IncludePending: IncludePending).For(access)).ToList();
            var reports = await Task.WhenAll(requests.Select(r => Task.Run(() => handler.HandleAsync(r, ct), ct)));
            for (var i = 0; i < figures.Length; i++) Figures.Add(new DashboardFigure(figures[i].Item1, figures[i].Item2, reports[i], figures[i].Item3));
        }
        catch (StatsArgumentException e)
        {
            Error = e.Message;
        }
        ComputedAt = clock.GetUtcNow().UtcDateTime.ToString("g", CultureInfo.CurrentCulture) + " UTC";
    }
}

/// <param name="GroupField">The field the figure is grouped by; its values are shown in words.</param>
public sealed record DashboardFigure(string Dataset, string Title, StatsReport Report, string GroupField)
{
    public Application.Datasets.DatasetSpec Spec => Application.Datasets.DatasetCatalog.Find(Dataset)!;
}
