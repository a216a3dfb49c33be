using Groundtruth.Application.Datasets;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Groundtruth.Web.Pages;

/// <summary>The fields of a dataset with their labels, types and help (any signed-in user: it holds no data).</summary>
public sealed class HelpModel : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Dataset { get; set; }
    public DatasetSpec? Spec { get; private set; }

    public IActionResult OnGet()
    {
        if (Dataset is null) return Page();
        Spec = DatasetCatalog.Find(Dataset);
        return Spec is null ? NotFound() : Page();
    }
}
