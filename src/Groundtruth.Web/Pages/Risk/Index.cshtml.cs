using Groundtruth.Application;
using System.Globalization;
using Groundtruth.Analysis.Risk;
using Groundtruth.Application.Risk;
using Groundtruth.Application.Security;
using Groundtruth.Application.Users;
using Groundtruth.Web.Apis;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Groundtruth.Web.Pages.Risk;

/// <summary>
/// The contamination risk map for a chosen cell size (RESTRICTED, analysts and above): the PNG preview with its
/// legend, the top cells with each layer's contribution, and the downloads — every view and download audited.
/// </summary>
[Authorize(Policy = Roles.Analyst)]
public sealed class RiskMapModel(RiskService risk, Access access) : PageModel
{
    [BindProperty(SupportsGet = true)] public double? Cell { get; set; }
    [BindProperty(SupportsGet = true, Name = "in")] public string? In { get; set; }
    public RiskMapOutput? Output { get; private set; }
    /// <summary>Set while the map is computed in the background: its stage and share done.</summary>
    public RiskMapStatus? Progress { get; private set; }
    public string? Error { get; private set; }

    /// <summary>The cell asked for, or <see cref="RiskApi.AutomaticCell"/>: chosen from the data, as the command line chooses it.</summary>
    public double CellM => Cell ?? RiskApi.AutomaticCell;

    /// <summary>The query string that names this map, for the preview and the downloads (no cell: the cell chosen from the data).</summary>
    public string Query => string.Join('&', new[]
    {
        Cell is { } cell ? string.Create(CultureInfo.InvariantCulture, $"cell={cell:R}") : null,
        string.IsNullOrWhiteSpace(In) ? null : "in=" + Uri.EscapeDataString(In.Trim()),
    }.OfType<string>());

    public async Task OnGetAsync(CancellationToken ct)
    {
        // A cell that is not a number binds to no cell: say so rather than map with the automatic cell.
        if (Cell is null && Request.Query["cell"].ToString() is { Length: > 0 } typed && !string.IsNullOrWhiteSpace(typed))
        {
            Error = Resources.Ui.T("risk.cell_not_number", typed);
            return;
        }
        if (RiskApi.Validate(Cell, null) is { } errors)
        {
            Error = string.Join("; ", errors.Values.SelectMany(v => v).Select(m => Groundtruth.Application.ErrorMessages.Localise(m)));
            return;
        }
        try
        {
            var place = RiskApi.Place(In);
            var status = await risk.BeginMapAsync(access, CellM, place, ct);
            if (status.State == "failed")
            {
                Error = status.Error is { } failure ? Groundtruth.Application.ErrorMessages.Localise(failure) : null;
                return;
            }
            if (status.State != "ready")
            {
                Progress = status;
                return;
            }
            using var lease = await risk.MapAsync(access, CellM, place, ct);
            Output = lease.Output with { Top = [.. lease.Output.Top.Take(RiskApi.DefaultTop)] };
            await risk.AuditAsync(access, RiskService.ViewMapAction, new { page = "/risk", area = Output.Area, cell_m = Output.CellM, restricted = true }, ct);
        }
        catch (InvalidRequestException e)
        {
            Error = Groundtruth.Application.ErrorMessages.Localise(e);
        }
        catch (RiskDataException e)
        {
            Error = Resources.Ui.T("risk.no_model", Groundtruth.Application.ErrorMessages.Localise(e));
        }
    }
}
