using Groundtruth.Application.Users;

namespace Groundtruth.Application.Security;

/// <summary>
/// What the caller may see and do (DESIGN section 7), decided once from their roles and carried to every use case:
/// the one place where a role becomes a permission. The web host builds it from the signed-in user, the command line
/// builds <see cref="Full"/> (the information manager's tool on the database file itself).
/// </summary>
/// <param name="Actor">The name the audit log records.</param>
/// <param name="Rank">The highest rank held (<see cref="Roles.Ranks"/>), or null for none.</param>
/// <param name="PersonalDataGrant">The separate <see cref="Roles.PersonalData"/> grant.</param>
public sealed record Access(string Actor, string? Rank, bool PersonalDataGrant)
{
    /// <summary>The command line: every permission, the personal-data grant included (it still needs the key).</summary>
    public static Access Full(string actor = "cli") => new(actor, Roles.Administrator, PersonalDataGrant: true);

    /// <summary>The permissions of a user holding <paramref name="roles"/>; unknown role names grant nothing.</summary>
    public static Access Of(string actor, IEnumerable<string> roles)
    {
        var held = roles.ToHashSet(StringComparer.Ordinal);
        var rank = Roles.Ranks.LastOrDefault(held.Contains);
        return new Access(actor, rank, held.Contains(Roles.PersonalData));
    }

    private int Level => Rank is null ? -1 : Roles.Ranks.ToList().IndexOf(Rank);

    /// <summary>Holds <paramref name="role"/> or a higher rank.</summary>
    public bool AtLeast(string role) => Level >= Roles.Ranks.ToList().IndexOf(role) && Rank is not null;

    /// <summary>A viewer (or no rank): aggregates with small cells suppressed and geometry generalised to the grid, never a record.</summary>
    public bool AggregatesOnly => !AtLeast(Roles.Analyst);

    /// <summary>
    /// Why a background computation refused its request (the verdicts of minefield records): the refusal may name records
    /// carrying a handling label, so analysts and above; others are told only that an analyst can see why.
    /// </summary>
    public bool MayReadRefusalDetail => AtLeast(Roles.Analyst);

    /// <summary>Record-level data: registers, exact geometry of unlabelled records, casualties without personal data.</summary>
    public bool MayReadRecords => AtLeast(Roles.Analyst);

    /// <summary>Records of submissions waiting for approval, on request (DESIGN section 7: analysts and above).</summary>
    public bool MayReadPending => AtLeast(Roles.Analyst);

    /// <summary>
    /// Minefield records carrying a handling label, with exact geometry and in bulk (export, features, registers): approvers and
    /// administrators, the information managers who hold the national record under the handover terms. Others see them generalised
    /// to the viewers' grid (analysts, editors) or not at all (viewers); docs/decisions/0009-web-exports.md.
    /// </summary>
    public bool MaySeeLabelledRecords => AtLeast(Roles.Approver);

    /// <summary>Labelled minefield records are shown at all (generalised when <see cref="MaySeeLabelledRecords"/> is false).</summary>
    public bool MaySeeLabelledRecordsGeneralised => MayReadRecords;

    /// <summary>Enters data (forms, records API, uploads).</summary>
    public bool MayEnter => AtLeast(Roles.Editor);

    /// <summary>Approves, rejects and unapproves submissions.</summary>
    public bool MayDecide => AtLeast(Roles.Approver);

    /// <summary>An entry is pending when asked, and always for a user who may not decide (an editor's waits for approval).</summary>
    public bool EntersPending(bool asked) => asked || !MayDecide;

    /// <summary>Reads casualties' names, birth dates and injuries (every read audited).</summary>
    public bool MayReadPersonalData => PersonalDataGrant && MayReadRecords;

    /// <summary>Writes casualties' personal data, through every route (forms, records API, uploads, the CLI with the key).</summary>
    public bool MayWritePersonalData => PersonalDataGrant && MayEnter;

    /// <summary>Produces the situation report and Article 7 from the web (they name records: analysts and above).</summary>
    public bool MayProduceReports => AtLeast(Roles.Analyst);

    /// <summary>Manages users and reads the whole audit log, who read personal data included.</summary>
    public bool MayAdminister => AtLeast(Roles.Administrator);

    /// <summary>Audit entries of reads of personal data (who looked at whom): administrators only.</summary>
    public bool MaySeePersonalDataReads => MayAdminister;

    /// <summary>Refuses with <see cref="ForbiddenException"/> unless <paramref name="allowed"/>.</summary>
    /// <param name="what">What was refused, for the message: "reading pending submissions".</param>
    public void Require(bool allowed, string what)
    {
        if (!allowed) throw new ForbiddenException($"{what} is not allowed for {Actor} ({Rank ?? "no role"})");
    }
}
