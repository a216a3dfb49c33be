namespace Groundtruth.Application.Users;

/// <summary>
/// The roles of DESIGN section 7, each granting what the one before it grants and more, and the
/// separate grant for casualties' personal data.
/// </summary>
public static class Roles
{
    /// <summary>Aggregates with small cells suppressed and geometry generalised to a grid cell; never a record's exact place.</summary>
    public const string Viewer = "viewer";

    /// <summary>Precise geometry and the registers; no personal data.</summary>
    public const string Analyst = "analyst";

    /// <summary>Enters data: forms and uploads become submissions that wait for approval.</summary>
    public const string Editor = "editor";

    /// <summary>Reconciles, approves, rejects and unapproves submissions; uploads enter approved.</summary>
    public const string Approver = "approver";

    /// <summary>Manages users and reads the audit log.</summary>
    public const string Administrator = "administrator";

    /// <summary>Not a rank but a grant, given beside one of the ranks: may read casualties' names, birth dates and injuries (every read is audited).</summary>
    public const string PersonalData = "personal_data";

    /// <summary>The ranks, lowest first.</summary>
    public static readonly IReadOnlyList<string> Ranks = [Viewer, Analyst, Editor, Approver, Administrator];

    public static readonly IReadOnlyList<string> All = [.. Ranks, PersonalData];

    /// <summary>The ranks at or above <paramref name="role"/>: who may do what <paramref name="role"/> may.</summary>
    public static string[] AtLeast(string role)
    {
        var i = Ranks.ToList().IndexOf(role);
        if (i < 0) throw new ArgumentException($"unknown role '{role}'", nameof(role));
        return [.. Ranks.Skip(i)];
    }

    public static bool IsKnown(string role) => All.Contains(role);
}
