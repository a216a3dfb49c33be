using System.CommandLine;
using Groundtruth.Application.Audit;
using Groundtruth.Application.Backup;

namespace Groundtruth.Cli.Commands;

/// <summary><c>groundtruth backup --out F</c> and <c>groundtruth restore F</c>.</summary>
internal static class BackupCommand
{
    public static Command Create(CliContext context)
    {
        var output = new Option<string>("--out")
        {
            Description = "the backup file to write (a GeoPackage copy, or a pg_dump custom archive for PostgreSQL); never overwritten",
            HelpName = "FILE",
            Required = true,
        };
        var withoutKey = new Option<bool>("--without-key") { Description = "do not copy the personal-data key kept beside the GeoPackage (F.gpkg.key) to FILE.key" };
        var command = new Command("backup", "Write a consistent copy of the database while it is in use (GeoPackage: SQLite's online backup; PostgreSQL: pg_dump -Fc), readable by its owner only.")
        {
            output, withoutKey,
        };
        command.SetAction((parse, ct) => context.Guard(async () =>
        {
            var result = await new BackupHandler(context.Target(parse)).HandleAsync(parse.GetValue(output)!, parse.GetValue(withoutKey), ct);
            await context.Output.WriteLineAsync($"backup written: {result.File} ({result.Bytes:N0} bytes)");
            if (result.Audit is { } audit) await context.Output.WriteLineAsync(Describe(audit));
            if (result.KeyNote is { } note) await context.Output.WriteLineAsync(note);
            return result.Audit is { Intact: false } ? ExitCodes.BadData : ExitCodes.Success;
        }));
        return command;
    }

    public static Command CreateRestore(CliContext context)
    {
        var file = new Argument<string>("FILE") { Description = "a file written by 'groundtruth backup'" };
        var force = new Option<bool>("--force") { Description = "replace a target that already holds data (its current content is lost)" };
        var command = new Command("restore", "Restore a backup into --db (a new or empty GeoPackage file or PostgreSQL database; --force replaces one that holds data), all or nothing, then verify its audit chain.")
        {
            file, force,
        };
        command.SetAction((parse, ct) => context.Guard(async () =>
        {
            var result = await new RestoreHandler(context.Target(parse)).HandleAsync(parse.GetValue(file)!, parse.GetValue(force), ct);
            await context.Output.WriteLineAsync($"restored {result.Kind} into {result.Target}");
            if (result.KeyNote is { } note) await context.Output.WriteLineAsync(note);
            if (result.PendingMigrations > 0)
                await context.Output.WriteLineAsync($"the backup's schema is older ({result.PendingMigrations} migration(s) pending): run 'groundtruth init' to upgrade it");
            if (result.Audit is not { } audit) return ExitCodes.Success;
            if (audit.Intact) await context.Output.WriteLineAsync(Describe(audit));
            else await context.Error.WriteLineAsync(Describe(audit));
            return audit.Intact ? ExitCodes.Success : ExitCodes.BadData;
        }));
        return command;
    }

    private static string Describe(AuditVerification audit) => audit.FirstBreak is { } broken
        ? Resources.CliText.Note("note.audit_broken", Application.ErrorMessages.Localise(broken.ToString()), audit.Entries)
        : $"audit chain OK: {audit.Entries} entries, head {audit.HeadHash}";
}
