using Groundtruth.Application.Caching;
using Groundtruth.Application.Security;
using Groundtruth.Application.Storage;

namespace Groundtruth.Application.Workbench;

/// <summary>
/// How many submissions wait for a decision, for the badge in approvers' navigation: one count query per data version
/// (<see cref="DataVersion"/>), kept by the host (a singleton) so that a page costs no query while nothing changes.
/// </summary>
public sealed class WaitingSubmissions(DataVersion versions, DatabaseTarget target, TimeProvider clock)
{
    private readonly PerVersion<int> _count = new();

    /// <summary>The count for <paramref name="access"/>, who must be one who decides (<see cref="Access.MayDecide"/>).</summary>
    public async Task<int> CountAsync(Access access, CancellationToken ct = default)
    {
        access.Require(access.MayDecide, "counting submissions waiting for a decision");
        return await _count.GetAsync(await versions.KeyAsync(ct), "", () => new SubmissionDecisions(target, clock).WaitingAsync(access, CancellationToken.None), ct);
    }
}
