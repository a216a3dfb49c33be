using Groundtruth.Application;
using Groundtruth.Application.Risk;
using Groundtruth.Application.Security;
using Groundtruth.Application.Users;
using Groundtruth.Web.Apis;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Groundtruth.Web.Pages;

/// <summary>
/// Open hazardous areas ranked by the national authority's priority score, each criterion's contribution shown
/// (RESTRICTED, analysts and above; <c>groundtruth priorities</c>). Every view and download is audited.
/// </summary>
[Authorize(Policy = Roles.Analyst)]
public sealed class PrioritiesModel(RiskService risk, Access access) : PageModel
{
    /// <summary>The ranking as computed: the page writes its figures from these values, as the command line does.</summary>
    public PrioritiesReport? Report { get; private set; }
    public string? Error { get; private set; }
    /// <summary>Set while the ranking is computed in the background: its stage and share done.</summary>
    public RiskMapStatus? Progress { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        try
        {
            var status = await risk.BeginPrioritiesAsync(access, ct);
            if (status.State is "computing" or "waiting")
            {
                Progress = status;
                return;
            }
            var report = await risk.PrioritiesAsync(access, ct);
            Report = report;
            await risk.AuditAsync(access, RiskService.ViewPrioritiesAction, new { page = "/priorities", areas = report.Rows.Count, restricted = true }, ct);
        }
        catch (InvalidRequestException e)
        {
            Error = Groundtruth.Application.ErrorMessages.Localise(e);
        }
    }

    /// <summary>The ranking's note on the risk criterion in the reader's words (the application's reason after it stays as written).</summary>
    public static string Note(string note) =>
        note.StartsWith(LeftOut, StringComparison.Ordinal) ? Resources.Ui.T("priorities.risk_left_out", Groundtruth.Application.ErrorMessages.Localise(note[LeftOut.Length..])) : Groundtruth.Application.ErrorMessages.Localise(note);

    private const string LeftOut = "risk left out (contributes 0): ";

    /// <summary>How a criterion's raw value is written, as <c>groundtruth priorities</c> writes it: whole people, metres, accidents and m²; the mean risk to three places.</summary>
    public static string RawFormat(string criterion) => criterion == "risk" ? "0.000" : "#,0";

    /// <summary>A criterion's column heading in the reader's words (<c>priorities.criterion.people</c>…).</summary>
    public static string Label(string criterion) => Resources.Ui.Find("priorities.criterion." + criterion) ?? criterion;
}
