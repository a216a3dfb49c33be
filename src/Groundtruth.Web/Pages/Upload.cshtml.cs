using Groundtruth.Application.Datasets;
using Groundtruth.Application.Import;
using Groundtruth.Application.Storage;
using Groundtruth.Application.Users;
using Groundtruth.Web.Apis;
using Groundtruth.Web.Setup;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Groundtruth.Web.Pages;

/// <summary>Upload through the importer (with an optional mapping); shows every problem, or the submission made.</summary>
[Authorize(Policy = Roles.Editor)]
public sealed class UploadModel(DatabaseTarget target, TimeProvider clock) : PageModel
{
    [BindProperty] public string Dataset { get; set; } = "hazards";
    [BindProperty] public IFormFile? Upload { get; set; }
    [BindProperty] public IFormFile? Mapping { get; set; }
    [BindProperty] public string? Crs { get; set; }
    [BindProperty] public bool Pending { get; set; }
    public IReadOnlyList<string> Problems { get; private set; } = [];
    public int TotalProblems { get; private set; }
    public ImportResult? Result { get; private set; }
    public bool IsApprover => Roles.AtLeast(Roles.Approver).Any(User.IsInRole);

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (DatasetCatalog.Find(Dataset) is not { } spec || Upload is null)
        {
            Problems = ["choose a dataset and a file"];
            return Page();
        }
        try
        {
            Result = await Uploads.ImportAsync(target, clock, spec, Upload, Mapping, Crs, Pending || !IsApprover, User.Actor(), ct);
        }
        catch (ImportRejectedException e)
        {
            Problems = [.. e.Problems.Select(p => p.ToString())];
            TotalProblems = e.TotalProblems;
        }
        catch (ArgumentException e)
        {
            Problems = [e.Message];
            TotalProblems = 1;
        }
        return Page();
    }
}
