using Groundtruth.Application;
using Groundtruth.Application.Datasets;
using Groundtruth.Application.Registers;
using Groundtruth.Application.Security;
using Groundtruth.Application.Storage;
using Groundtruth.Application.Users;
using Groundtruth.Web.Apis;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Groundtruth.Web.Pages.Registers;

/// <summary>A searchable, sortable, paged table per dataset (analysts and above; casualties without personal data).</summary>
[Authorize(Policy = Roles.Analyst)]
public sealed class RegisterModel(RegisterService registers, Access access) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Dataset { get; set; }
    [BindProperty(SupportsGet = true)] public string? Q { get; set; }
    [BindProperty(SupportsGet = true)] public string? Sort { get; set; }
    [BindProperty(SupportsGet = true)] public bool Desc { get; set; }
    [BindProperty(SupportsGet = true)] public int Offset { get; set; }
    public RegisterPage? Table { get; private set; }

    /// <summary>Records this user's export leaves out (handling labels, docs/decisions/0009-web-exports.md).</summary>
    public int Withheld { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (Dataset is null) return Page();
        if (DatasetCatalog.Find(Dataset) is null) return NotFound();
        try
        {
            Table = await registers.PageAsync(access, Dataset, Q, Sort, Desc, Offset, RegisterService.DefaultLimit, [], ct);
        }
        catch (InvalidRequestException)
        {
            // A sort by a field the dataset lacks: the page shows no table, as the API answers 400.
            return Page();
        }
        Withheld = Table.Withheld;
        return Page();
    }
}
