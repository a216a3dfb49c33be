using Groundtruth.Application.Security;
using Groundtruth.Application.Storage;
using Groundtruth.Application.Users;
using Groundtruth.Application.Workbench;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Groundtruth.Web.Pages.Workbench;

/// <summary>
/// Each incoming record on a small map beside the current record it would update, its fields compared, with a proposed
/// decision the approver can change; an accident and its casualties decided together; a confirmation after each decision.
/// </summary>
[Authorize(Policy = Roles.Editor)]
public sealed class SubmissionModel(DatabaseTarget target, TimeProvider clock, Access access) : PageModel
{
    [BindProperty(SupportsGet = true)] public long Id { get; set; }
    [BindProperty] public List<DecisionInput> Decisions { get; set; } = [];
    [BindProperty] public string? Reason { get; set; }

    /// <summary>The decision just made (<c>approved</c>, <c>rejected</c>, <c>unapproved</c>), for the confirmation.</summary>
    [BindProperty(SupportsGet = true)] public string? Decided { get; set; }

    public SubmissionReview? Review { get; private set; }
    public string? Error { get; private set; }
    public bool CanDecide => access.MayDecide;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) => await LoadAsync(ct) ? Page() : NotFound();

    public Task<IActionResult> OnPostApproveAsync(CancellationToken ct) => Decide("approved", d => d.ApproveAsync(Id,
        [.. Decisions.Where(x => x.Action is not null && !string.IsNullOrEmpty(x.LocalId))
            .Select(x => new ItemDecision(x.LocalId!, x.Action!.Value, string.IsNullOrWhiteSpace(x.NationalId) ? null : x.NationalId, x.Dataset))],
        access.Actor, Reason, defaults: true, ct), ct);

    public Task<IActionResult> OnPostRejectAsync(CancellationToken ct) => Decide("rejected", d => d.RejectAsync(Id, access.Actor, Reason ?? "", ct), ct);

    public Task<IActionResult> OnPostUnapproveAsync(CancellationToken ct) => Decide("unapproved", d => d.UnapproveAsync(Id, access.Actor, Reason ?? "", ct), ct);

    private async Task<IActionResult> Decide(string decided, Func<SubmissionDecisions, Task> action, CancellationToken ct)
    {
        if (!CanDecide) return Forbid();
        try
        {
            await action(new SubmissionDecisions(target, clock));
            return Redirect($"/workbench/{Id}?decided={decided}");
        }
        catch (SubmissionDecisionException e)
        {
            Error = Groundtruth.Application.ErrorMessages.Localise(e);
            await LoadAsync(ct);
            return Page();
        }
    }

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        Review = await new SubmissionDecisions(target, clock).ReviewAsync(Id, access, ct);
        return Review is not null;
    }
}

public sealed class DecisionInput
{
    public string? LocalId { get; set; }
    public string? Dataset { get; set; }
    public ItemAction? Action { get; set; }
    public string? NationalId { get; set; }
}
