using Groundtruth.Application.Storage;
using Groundtruth.Application.Users;
using Groundtruth.Application.Workbench;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Groundtruth.Web.Pages.Workbench;

[Authorize(Policy = Roles.Editor)]
public sealed class WorkbenchModel(DatabaseTarget target, TimeProvider clock) : PageModel
{
    public IReadOnlyList<SubmissionRow> Submissions { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => Submissions = await new SubmissionDecisions(target, clock).ListAsync(null, ct);
}
