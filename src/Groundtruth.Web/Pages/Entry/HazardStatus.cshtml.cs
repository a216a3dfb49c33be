using System.Text.Json.Nodes;
using Groundtruth.Application.Datasets;
using Groundtruth.Application.Entry;
using Groundtruth.Application.Security;
using Groundtruth.Application.Storage;
using Groundtruth.Application.Users;
using Groundtruth.Domain;
using Groundtruth.Web.Setup;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Groundtruth.Web.Pages.Entry;

/// <summary>
/// A hazardous area's status change (IMAS 07.11, 08.30): the current record with a new status, reason, date and handover
/// details, entered through the importer so the transition rules refuse what they refuse for a file.
/// </summary>
[Authorize(Policy = Roles.Editor)]
public sealed class HazardStatusModel(DatabaseTarget target, TimeProvider clock, Access access) : PageModel
{
    /// <summary>The columns a status change sets; the rest of the record is kept as it is.</summary>
    public static readonly IReadOnlyList<FieldSpec> Inputs =
        [.. new[] { "status", "status_reason", "recorded_on", "handover_certificate", "handed_over_to", "residual_risk_owner", "handed_over_on" }
            .Select(n => DatasetCatalog.Hazards.Field(n)!)];

    [BindProperty(SupportsGet = true)] public string Id { get; set; } = "";
    public EntryForm Form { get; } = new();
    public string CurrentStatus { get; private set; } = "";
    public string? CurrentReason { get; private set; }
    public bool IsApprover => access.MayDecide;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await CurrentAsync(ct) is not { } current) return NotFound();
        var row = Inputs.ToDictionary(f => f.Name, object? (f) => current[f.Name]?.GetValue<string>());
        foreach (var (name, value) in StatusForm.For(Id, row, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime), IsApprover).Form.Values) Form.Values[name] = value;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (await CurrentAsync(ct) is not { } record) return NotFound();
        foreach (var f in Inputs)
            Form.Values[f.Name] = Request.Form.TryGetValue(f.Name, out var v) && !string.IsNullOrWhiteSpace(v.ToString()) ? v.ToString().Trim() : null;
        foreach (var f in Inputs) record[f.Name] = Form.Value(f.Name);
        // A change that keeps the status keeps the reason it last changed for.
        if (Form.Value("status") == CurrentStatus && Form.Value("status_reason") is null) record["status_reason"] = CurrentReason;
        var pending = access.EntersPending(Request.Form["pending"] == "true");
        try
        {
            var result = await new RecordEntryHandler(target, clock).HandleAsync(
                new EntryRequest(DatasetCatalog.Hazards, record, [], pending, access), ct);
            return result.Pending && result.SubmissionId is { } s ? Redirect($"/workbench/{s}") : Redirect($"/registers/hazards/{Uri.EscapeDataString(Id)}");
        }
        catch (EntryRejectedException e)
        {
            Form.Show(e.Problems);
            return Page();
        }
    }

    private async Task<JsonObject?> CurrentAsync(CancellationToken ct)
    {
        var current = await new RecordEntryHandler(target, clock).CurrentHazardAsync(Id, ct);
        CurrentStatus = current?["status"]?.GetValue<string>() ?? "";
        CurrentReason = current?["status_reason"]?.GetValue<string>();
        return current;
    }
}
