using Groundtruth.Application;
using Groundtruth.Application.Reports;
using Groundtruth.Application.Risk;
using Groundtruth.Application.Security;
using Groundtruth.Application.Users;
using Groundtruth.Web.Apis;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Groundtruth.Web.Pages;

/// <summary>
/// The situation report and Article 7 produced from the web (analysts and above; <c>groundtruth report</c>): the user
/// picks the report, period or year, language and format; the report is built in the background with its progress
/// shown, then downloaded; each download is written to the audit log.
/// </summary>
[Authorize(Policy = Roles.Analyst)]
public sealed class ReportsModel(ReportJobs jobs, Access access, IConfiguration configuration, TimeProvider clock) : PageModel
{
    [BindProperty] public string Report { get; set; } = "situation";
    [BindProperty] public string Format { get; set; } = "pdf";
    [BindProperty] public string? From { get; set; }
    [BindProperty] public string? To { get; set; }
    [BindProperty] public int? Year { get; set; }
    [BindProperty] public string Language { get; set; } = "en";

    [BindProperty(SupportsGet = true)] public string? Job { get; set; }

    public string? Error { get; private set; }
    public RiskMapStatus? Progress { get; private set; }
    public ReportFile? Ready { get; private set; }

    public static IReadOnlyDictionary<string, string> LanguageNames { get; } = new Dictionary<string, string>
    {
        ["en"] = "English", ["fr"] = "Français", ["es"] = "Español", ["pt"] = "Português", ["ar"] = "العربية", ["uk"] = "Українська", ["ru"] = "Русский",
    };

    public void OnGet()
    {
        Year ??= clock.GetUtcNow().Year - 1;
        if (Job is null) return;
        if (jobs.Order(access, Job) is { } order)
        {
            (Report, Format, From, To, Year, Language) = (order.Report, order.Format, order.From, order.To, order.Year ?? Year, order.Language ?? "en");
        }
        switch (jobs.Status(access, Job))
        {
            case null:
                Error = Resources.Ui.T("reports.no_such");
                break;
            case { State: "computing" } s:
                Progress = new RiskMapStatus(s.State, s.Stage, s.Fraction, null);
                break;
            case { State: "failed" } s:
                Error = s.Error is { } failure ? Groundtruth.Application.ErrorMessages.Localise(failure) : null;
                break;
            default:
                Ready = jobs.File(access, Job);
                break;
        }
    }

    public IActionResult OnPost()
    {
        try
        {
            var id = jobs.Start(access, new ReportOrder(Report, Format, Blank(From), Blank(To), Report == "article7" ? Year : null, Language), ReportsApi.Branding(configuration));
            return RedirectToPage(new { job = id });
        }
        catch (InvalidRequestException e)
        {
            Error = Groundtruth.Application.ErrorMessages.Localise(e);
            return Page();
        }
    }

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
