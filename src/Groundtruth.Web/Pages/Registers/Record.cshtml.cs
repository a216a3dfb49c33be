using Groundtruth.Application;
using Groundtruth.Application.Registers;
using Groundtruth.Application.Security;
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
public sealed class RecordModel(RegisterService registers, Access access, TimeProvider clock) : PageModel
{
    [BindProperty(SupportsGet = true)] public string Dataset { get; set; } = "";
    [BindProperty(SupportsGet = true)] public string Id { get; set; } = "";
    public RecordDetail? Detail { get; private set; }
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
        return Page();
    }
}
