using Groundtruth.Application;
using Groundtruth.Application.Datasets;
using Groundtruth.Application.Records;
using Groundtruth.Application.Registers;
using Groundtruth.Application.Security;
using Groundtruth.Application.Users;
using Groundtruth.Domain;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Groundtruth.Web.Pages.Registers;

/// <summary>
/// One record: its current values, its geometry on a small map with its related records, its related records both ways
/// (every id a link), its history as changes (field, before, after, who, when) and the audit entries that touch it; all
/// read through <see cref="RegisterService"/> as <see cref="Access"/> allows.
/// </summary>
[Authorize(Policy = Roles.Analyst)]
public sealed class RecordModel(RegisterService registers, VerdictService verdicts, Access access, TimeProvider clock) : PageModel
{
    [BindProperty(SupportsGet = true)] public string Dataset { get; set; } = "";
    [BindProperty(SupportsGet = true)] public string Id { get; set; } = "";
    public RecordDetail? Detail { get; private set; }
    public RecordLinks? Links { get; private set; }
    public IReadOnlyList<RecordChange> Changes { get; private set; } = [];

    /// <summary>A minefield record's record-accuracy verdict (<c>not_yet_processed</c>), when it has one.</summary>
    public string? Verdict { get; private set; }

    public DateOnly Today => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        try
        {
            Detail = await registers.RecordAsync(access, Dataset, Id, ct);
        }
        catch (NotFoundException)
        {
            return NotFound();
        }
        Links = await registers.LinksAsync(access, Detail.Dataset, Id, ct);
        Changes = await registers.ChangesAsync(Detail, ct);
        if (Detail.Dataset == DatasetCatalog.MinefieldRecords.Name && Detail.Row is not null)
        {
            try
            {
                var view = await verdicts.VerdictsAsync(access, ct);
                Verdict = view.Records.FirstOrDefault(r => r.Id == Id) is { } row ? SnakeCase.Of(row.Verdict)
                    : view.Excluded.Contains(Id) ? "excluded" : null;
            }
            catch (InvalidRequestException)
            {
                Verdict = null;
            }
        }
        return Page();
    }
}
