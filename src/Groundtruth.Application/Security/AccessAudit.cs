using System.Text.Json;
using Groundtruth.Application.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Groundtruth.Application.Security;

/// <summary>The audit entries of reads that DESIGN section 7 wants on record: labelled minefield records and personal data.</summary>
public static class AccessAudit
{
    /// <summary>A read of minefield records carrying a handling label (features, registers): who, how many, and whether generalised.</summary>
    public const string ReadLabelledRecords = "read_labelled_records";

    /// <summary>A read of a casualty's personal data; shown to administrators only (<see cref="Access.MaySeePersonalDataReads"/>).</summary>
    public const string ReadPersonalData = "read_personal_data";

    /// <summary>Writes one <see cref="ReadLabelledRecords"/> entry when <paramref name="records"/> is positive.</summary>
    public static async Task LabelledReadAsync(GroundtruthDbContext db, TimeProvider clock, Access access, string dataset, int records, bool generalised,
        string via, CancellationToken ct)
    {
        if (records <= 0) return;
        db.AuditLog.Add(new AuditEntry
        {
            At = clock.GetUtcNow().UtcDateTime,
            Actor = access.Actor,
            Action = ReadLabelledRecords,
            Dataset = dataset,
            Detail = JsonSerializer.Serialize(new { via, records, generalised_to_degrees = generalised ? Features.FeatureQuery.ViewerCellDegrees : (double?)null }),
        });
        // A read's audit entry may meet a GeoPackage held by another request's write or long read (SQLite answers "database is
        // locked" at once when waiting could deadlock): it is retried for a while; the read is refused only if it never lands.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await db.SaveChangesAsync(ct);
                return;
            }
            catch (DbUpdateException e) when (attempt < 50 && e.InnerException is SqliteException { SqliteErrorCode: 5 or 6 })
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), ct);
            }
        }
    }
}
