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
    private sealed record Kept(string Version, int Count);

    private Kept? _kept;

    /// <summary>The count for <paramref name="access"/>, who must be one who decides (<see cref="Access.MayDecide"/>).</summary>
    public async Task<int> CountAsync(Access access, CancellationToken ct = default)
    {
        access.Require(access.MayDecide, "counting submissions waiting for a decision");
        var version = await versions.KeyAsync(ct);
        if (Volatile.Read(ref _kept) is { } kept && kept.Version == version) return kept.Count;
        var count = await new SubmissionDecisions(target, clock).WaitingAsync(access, ct);
        Volatile.Write(ref _kept, new Kept(version, count));
        return count;
    }
}
