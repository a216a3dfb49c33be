using Groundtruth.Application.Users;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Groundtruth.Web.Pages.Entry;

/// <summary>The entry forms, one per dataset entered record by record.</summary>
[Authorize(Policy = Roles.Editor)]
public sealed class IndexModel : PageModel
{
    public void OnGet() { }
}
