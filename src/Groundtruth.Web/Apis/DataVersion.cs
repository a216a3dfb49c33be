using Groundtruth.Application.Storage;
using Microsoft.EntityFrameworkCore;

namespace Groundtruth.Web.Apis;

/// <summary>
/// A number that changes whenever the data changes, for caching computed figures: the id of the newest audit
/// entry that records a write (every import, approval, rejection and edit is audited, DESIGN section 4).
/// Reads and exports are audited too but change nothing, so they are skipped — otherwise every download of a
/// cached output would throw the cache away.
/// </summary>
public static class DataVersion
{
    /// <summary>Audit actions that record a read or an export, not a change of the data.</summary>
    public static readonly string[] ReadActions =
        ["read_personal_data", "export", "export_priorities", "export_risk_map", "download_risk_map", "view_risk_map", "view_priorities", "priority_weights"];

    public static async Task<long> ReadAsync(GroundtruthDbContext db, CancellationToken ct) =>
        await db.AuditLog.AsNoTracking().Where(a => !ReadActions.Contains(a.Action)).MaxAsync(a => (long?)a.Id, ct) ?? 0;
}
