using Groundtruth.Application.Security;
using Groundtruth.Application.Storage;
using Groundtruth.Application.Users;
using Groundtruth.Application.Workbench;
using Groundtruth.Web.Setup;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Groundtruth.Web.Pages.Workbench;

/// <summary>Reconcile each incoming record (new, update, link to a national id), then approve or reject with a reason; or unapprove.</summary>
[Authorize(Policy = Roles.Editor)]
public sealed class SubmissionModel(DatabaseTarget target, TimeProvider clock, Access access) : PageModel
{
    [BindProperty(SupportsGet = true)] public long Id { get; set; }
    [BindProperty] public List<DecisionInput> Decisions { get; set; } = [];
    [BindProperty] public string? Reason { get; set; }
    public SubmissionRow? Submission { get; private set; }
    public IReadOnlyList<SubmissionItem> Items { get; private set; } = [];
    public string? Error { get; private set; }
    public bool CanDecide => access.MayDecide;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) => await LoadAsync(ct) ? Page() : NotFound();

    public Task<IActionResult> OnPostApproveAsync(CancellationToken ct) => Decide(d => d.ApproveAsync(Id,
        [.. Decisions.Where(x => x.Action is not null).Select(x => new ItemDecision(x.LocalId ?? "", x.Action!.Value, string.IsNullOrWhiteSpace(x.NationalId) ? null : x.NationalId))],
        access.Actor, Reason, ct), ct);

    public Task<IActionResult> OnPostRejectAsync(CancellationToken ct) => Decide(d => d.RejectAsync(Id, access.Actor, Reason ?? "", ct), ct);

    public Task<IActionResult> OnPostUnapproveAsync(CancellationToken ct) => Decide(d => d.UnapproveAsync(Id, access.Actor, Reason ?? "", ct), ct);

    private async Task<IActionResult> Decide(Func<SubmissionDecisions, Task> action, CancellationToken ct)
    {
        if (!CanDecide) return Forbid();
        try
        {
            await action(new SubmissionDecisions(target, clock));
            return Redirect($"/workbench/{Id}");
        }
        catch (SubmissionDecisionException e)
        {
            Error = e.Message;
            await LoadAsync(ct);
            return Page();
        }
    }

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        var read = await new SubmissionDecisions(target, clock).ReadAsync(Id, ct);
        if (read is not { } r) return false;
        (Submission, Items) = r;
        return true;
    }
}

public sealed class DecisionInput
{
    public string? LocalId { get; set; }
    public ItemAction? Action { get; set; }
    public string? NationalId { get; set; }
}
