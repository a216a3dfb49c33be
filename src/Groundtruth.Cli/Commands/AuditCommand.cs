using System.CommandLine;
using Groundtruth.Application.Audit;

namespace Groundtruth.Cli.Commands;

/// <summary><c>groundtruth audit verify [--anchor HASH]</c>: checks the audit log's hash chain.</summary>
internal static class AuditCommand
{
    public static Command Create(CliContext context)
    {
        var anchor = new Option<string?>("--anchor")
        {
            Description = "a head hash printed by an earlier 'audit verify' and kept elsewhere; it must still be in the chain",
            HelpName = "HASH",
        };
        var verify = new Command("verify", "Check that no audit entry was edited, deleted, inserted or reordered since it was written. Exit 0 when intact (prints the count and the head hash), 1 at the first broken link.")
        {
            anchor,
        };
        verify.SetAction((parse, ct) => context.Guard(async () =>
        {
            var result = await new AuditVerifier(context.Target(parse)).VerifyAsync(parse.GetValue(anchor), ct);
            if (result.FirstBreak is { } broken)
            {
                await context.Error.WriteLineAsync(Resources.CliText.Note("note.audit_broken", Application.ErrorMessages.Localise(broken.ToString()), result.Entries));
                return ExitCodes.BadData;
            }
            await context.Output.WriteLineAsync($"audit chain OK: {result.Entries} entries, head {result.HeadHash}");
            return ExitCodes.Success;
        }));
        return new Command("audit", "The audit log: who did what, when; chained by hashes so tampering shows.") { verify };
    }
}
