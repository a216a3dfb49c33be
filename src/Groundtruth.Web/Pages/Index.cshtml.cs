using System.Globalization;
using Groundtruth.Application.Statistics;
using Groundtruth.Application.Storage;
using Groundtruth.Web.Apis;
using Groundtruth.Web.Setup;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Groundtruth.Application.Security;

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
            Error = "Pending data is shown to analysts and above only; these figures count approved data.";
            IncludePending = false;
        }
        var handler = new StatsHandler(target, clock, StatsApi.Source);
        try
        {
            foreach (var (dataset, title, by) in new[] { ("casualties", "Casualties", "outcome"), ("finds", "Devices found", "category"), ("accidents", "Accidents", "kind") })
            {
                var report = await handler.HandleAsync(new StatsRequest(dataset, From, To, [], null, [by], IncludePending: IncludePending).For(access), ct);
                Figures.Add(new DashboardFigure(dataset, title, report));
            }
        }
        catch (StatsArgumentException e)
        {
            Error = e.Message;
        }
        ComputedAt = clock.GetUtcNow().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
    }
}

public sealed record DashboardFigure(string Dataset, string Title, StatsReport Report);
