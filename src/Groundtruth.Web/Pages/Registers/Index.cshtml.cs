using Groundtruth.Application.Datasets;
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
public sealed class RegisterModel(GroundtruthDbContext db) : PageModel
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
        var result = await RegistersApi.GetRegister(Dataset, db, Q, Sort, Desc, Offset, 50, null, ct);
        if (result.Result is Ok<RegisterPage> ok) Table = ok.Value;
        if (Dataset == DatasetCatalog.MinefieldRecords.Name && !ExportApi.MayExportLabelledRecords(User))
            Withheld = await db.MinefieldRecords.CountAsync(r => r.Handling != null && r.Handling != "", ct);
        return Page();
    }
}
