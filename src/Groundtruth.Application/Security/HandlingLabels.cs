using Groundtruth.Domain;

namespace Groundtruth.Application.Security;

/// <summary>
/// What makes a minefield record "labelled": its <c>handling</c> label (restrictions agreed at handover) is set. The one
/// definition the export limiter, features, registers and verdicts read; who may see such a record is <see cref="Access"/>'s.
/// </summary>
public static class HandlingLabels
{
    /// <summary>The label's column in the minefield records table.</summary>
    public const string Column = "handling";

    /// <summary>SQL condition on the minefield records table: the record carries no label.</summary>
    public const string UnlabelledSql = "(\"handling\" IS NULL OR \"handling\" = '')";

    public static bool IsLabelled(object? handling) => handling is string label && label.Length > 0;

    public static IQueryable<MinefieldRecord> Labelled(this IQueryable<MinefieldRecord> records) =>
        records.Where(r => r.Handling != null && r.Handling != "");

    public static IQueryable<MinefieldRecord> Unlabelled(this IQueryable<MinefieldRecord> records) =>
        records.Where(r => r.Handling == null || r.Handling == "");
}
