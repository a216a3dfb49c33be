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
public sealed class RecordModel(DatabaseTarget target, TimeProvider clock, WebOptions options, Access access, IdPatterns ids, NextIdsCache nextIds) : PageModel
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
    /// <summary>The id the record gets if none is typed (another editor saving first takes it, and this one the next); null when ids are typed.</summary>
    public string? NextId { get; private set; }
    /// <summary>The ids the casualty rows get, in order, when none is typed (a row with a typed id leaves its number to the next).</summary>
    public IReadOnlyList<string> NextCasualtyIds { get; private set; } = [];

    private RecordEntryHandler Handler => new(target, clock, ids);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (Find() is not { } spec) return NotFound();
        Spec = spec;
        await NextIdsAsync(ct);
        return Page();
    }

    /// <summary>The ids the form shows, kept per data version (<see cref="NextIdsCache"/>); saving takes the next free ones whatever is shown.</summary>
    private async Task NextIdsAsync(CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        NextId = await nextIds.NextAsync(Spec, today, 1, ct) is [var id, ..] ? id : null;
        if (WithCasualties) NextCasualtyIds = await nextIds.NextAsync(DatasetCatalog.Casualties, today, Math.Max(1, CasualtyRows), ct);
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
            await NextIdsAsync(ct);
            return Page();
        }
        await NextIdsAsync(ct);

        var record = Form.Record(spec, PersonalData);
        // A casualty row left blank is not a casualty.
        var casualties = Enumerable.Range(0, CasualtyRows)
            .Select(i => Form.Record(DatasetCatalog.Casualties, PersonalData, $"c{i}.", withinAccident: true))
            .Where(c => c.Count > 0).ToList();
        // A problem the form found itself (unreadable GeoJSON) is reported with every other in one round: the rest is only checked.
        var formProblems = Form.Errors.Keys.ToHashSet(StringComparer.Ordinal);
        try
        {
            var result = await Handler.HandleAsync(
                new EntryRequest(spec, record, casualties, Pending, access, CheckOnly: formProblems.Count > 0), ct);
            return result.Pending && result.SubmissionId is { } s
                ? Redirect($"/workbench/{s}")
                : Redirect($"/registers/{spec.Name}/{Uri.EscapeDataString(result.Id)}");
        }
        catch (EntryRejectedException e)
        {
            // The geometry the form could not read is not "missing" as well.
            Form.Show(formProblems.Count == 0 ? e.Problems : e.Problems.Where(p => !EntryForm.IsGeometryProblem(p.Field)));
            return Page();
        }
    }

    private DatasetSpec? Find() =>
        DatasetCatalog.Find(Dataset) is { } spec && RecordEntryHandler.Datasets.Contains(spec) ? spec : null;
}
