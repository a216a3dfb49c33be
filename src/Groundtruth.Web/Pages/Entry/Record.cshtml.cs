using Groundtruth.Application.Datasets;
using Groundtruth.Application.Entry;
using Groundtruth.Application.Security;
using Groundtruth.Application.Storage;
using Groundtruth.Application.Users;
using Groundtruth.Web.Setup;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Groundtruth.Web.Pages.Entry;

/// <summary>
/// A form for one record of a dataset, drawn from its columns (docs/datasets.md): a hazardous area, a find, a land
/// release output, a casualty, or an accident with the casualties it caused. It goes through the importer like an
/// upload; problems are shown next to their fields and the values are kept.
/// </summary>
[Authorize(Policy = Roles.Editor)]
public sealed class RecordModel(DatabaseTarget target, TimeProvider clock, WebOptions options, Access access) : PageModel
{
    /// <summary>The most casualty rows one form carries.</summary>
    public const int MaxCasualties = 50;

    [BindProperty(SupportsGet = true)] public string Dataset { get; set; } = "";
    public DatasetSpec Spec { get; private set; } = DatasetCatalog.Finds;
    public EntryForm Form { get; } = new();
    public int CasualtyRows { get; private set; } = 1;
    public bool Pending { get; private set; }
    public bool IsApprover => access.MayDecide;
    public bool PersonalData => access.MayWritePersonalData;
    public bool WithCasualties => Spec == DatasetCatalog.Accidents;
    public string? BaseMapUrl => options.BaseMapUrl;
    public string? BaseMapAttribution => options.BaseMapAttribution;

    public IActionResult OnGet()
    {
        if (Find() is not { } spec) return NotFound();
        Spec = spec;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (Find() is not { } spec) return NotFound();
        Spec = spec;
        var form = Request.Form;
        // The form comes back with what was typed, personal data included: kept by no cache.
        if (PersonalData) Response.Headers.CacheControl = "no-store";
        Pending = access.EntersPending(form["pending"] == "true");
        Form.Read(form, spec, PersonalData);
        CasualtyRows = WithCasualties && int.TryParse(form["casualty_rows"], out var n) ? Math.Clamp(n, 0, MaxCasualties) : 0;
        for (var i = 0; i < CasualtyRows; i++) Form.Read(form, DatasetCatalog.Casualties, PersonalData, $"c{i}.", withinAccident: true);
        if (form["action"] == "add_casualty")
        {
            CasualtyRows = Math.Min(CasualtyRows + 1, MaxCasualties);
            return Page();
        }

        var record = Form.Record(spec, PersonalData);
        // A casualty row left blank is not a casualty.
        var casualties = Enumerable.Range(0, CasualtyRows)
            .Select(i => Form.Record(DatasetCatalog.Casualties, PersonalData, $"c{i}.", withinAccident: true))
            .Where(c => c.Count > 0).ToList();
        if (Form.Errors.Count > 0) return Page();
        try
        {
            var result = await new RecordEntryHandler(target, clock).HandleAsync(
                new EntryRequest(spec, record, casualties, Pending, access), ct);
            return result.Pending && result.SubmissionId is { } s
                ? Redirect($"/workbench/{s}")
                : Redirect($"/registers/{spec.Name}/{Uri.EscapeDataString(result.Id)}");
        }
        catch (EntryRejectedException e)
        {
            Form.Show(e.Problems);
            return Page();
        }
    }

    private DatasetSpec? Find() =>
        DatasetCatalog.Find(Dataset) is { } spec && RecordEntryHandler.Datasets.Contains(spec) ? spec : null;
}
