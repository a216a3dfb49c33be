using Groundtruth.Application.Storage;
using Groundtruth.Application.Users;
using Groundtruth.Web.Apis;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Groundtruth.Web.Pages.Registers;

/// <summary>One record with its versions (both clocks) and the audit entries that touch it.</summary>
[Authorize(Policy = Roles.Analyst)]
public sealed class RecordModel(GroundtruthDbContext db, TimeProvider clock) : PageModel
{
    [BindProperty(SupportsGet = true)] public string Dataset { get; set; } = "";
    [BindProperty(SupportsGet = true)] public string Id { get; set; } = "";
    public RecordDetail? Detail { get; private set; }
    public DateOnly Today => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var result = await RegistersApi.GetRecord(Dataset, Id, db, ct);
        if (result.Result is not Ok<RecordDetail> ok) return NotFound();
        Detail = ok.Value;
        return Page();
    }
}
