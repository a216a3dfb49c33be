using Groundtruth.Analysis.Records;
using Groundtruth.Application.Caching;
using Groundtruth.Application.Security;
using Groundtruth.Application.Storage;
using Microsoft.EntityFrameworkCore;

namespace Groundtruth.Application.Records;

/// <summary>What a caller may see of the verdicts: the records, those left out as invalid, and whether only ids and verdicts may be shown.</summary>
/// <param name="IdsAndVerdictsOnly">A viewer: nothing but each record's id and verdict.</param>
public sealed record VerdictsView(RecordAccuracyReport Report, IReadOnlyList<RecordRow> Records, IReadOnlyList<string> Excluded, bool IdsAndVerdictsOnly);

/// <summary>
/// Each minefield record's record-accuracy verdict with the default parameters (the map's "minefield records by
/// verdict" layer), computed once per data version and kept by the host (a singleton). The caller's <see cref="Access"/>
/// decides what is shown: viewers get the records they may see only (none carrying a handling label), ids and
/// verdicts only.
/// </summary>
public sealed class VerdictService(DataVersion versions, DatabaseTarget target, TimeProvider clock)
{
    private readonly PerVersion<RecordAccuracyReport> _report = new();

    /// <exception cref="InvalidRequestException">The default parameters cannot score these data.</exception>
    public async Task<VerdictsView> VerdictsAsync(Access access, CancellationToken ct)
    {
        access.Require(access.AtLeast(Users.Roles.Viewer), "the verdicts of minefield records");
        var report = await ReportAsync(ct);
        HashSet<string>? visible = null;
        if (access.AggregatesOnly)
        {
            await using var db = target.CreateContext();
            visible = [.. await db.MinefieldRecords.AsNoTracking().Unlabelled().Select(r => r.Id).ToListAsync(ct)];
        }
        return new VerdictsView(report,
            [.. report.Overall.PerRecord.Where(r => visible is null || visible.Contains(r.Id))],
            [.. report.Overall.Exclusions.InvalidRecords.Where(id => visible is null || visible.Contains(id))],
            access.AggregatesOnly);
    }

    private async Task<RecordAccuracyReport> ReportAsync(CancellationToken ct) =>
        await _report.GetAsync(await versions.KeyAsync(ct), "",
            () => new RecordAccuracyHandler(target, clock).HandleAsync(new RecordAccuracyRequest(new RecordAccuracyOptions()), ct: CancellationToken.None), ct);
}
