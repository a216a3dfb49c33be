using System.CommandLine;
using Groundtruth.Application.Forms;

namespace Groundtruth.Cli.Commands;

/// <summary><c>groundtruth forms-import PATH</c>: submissions of the field forms, into their datasets.</summary>
internal static class FormsImportCommand
{
    public static Command Create(CliContext context)
    {
        var path = new Argument<string>("path") { Description = "a submission (.xml), a folder of them (ODK Collect's instances/, an ODK Briefcase export) or a .zip of them" };
        var dryRun = new Option<bool>("--dry-run") { Description = "validate only; report what would change and write nothing" };
        var pending = new Option<bool>("--pending") { Description = "make submissions that need approval instead of changing approved data" };
        var source = new Option<string?>("--source") { Description = "who supplied the submissions, recorded with them" };
        var command = new Command("forms-import",
            "Import submissions of the field forms written by 'groundtruth forms' into their datasets: all or nothing, " +
            "an accident with its casualties together; every problem listed with its file, line and field. See docs/forms.md.")
        {
            path, dryRun, pending, source,
        };
        command.SetAction((parse, ct) => context.Guard(async () =>
        {
            var request = new FormSubmissionRequest(Path.GetFullPath(parse.GetValue(path)!), parse.GetValue(dryRun), parse.GetValue(pending), Environment.UserName, parse.GetValue(source));
            var results = await new FormSubmissionImport(context.Target(parse), context.Clock).HandleAsync(request, null, ct);
            var verb = request.DryRun ? "validated" : request.Pending ? "submitted for approval" : "imported";
            foreach (var g in results.GroupBy(r => r.Dataset))
            {
                await context.Output.WriteLineAsync(
                    $"{g.Key}: {g.Sum(r => r.RecordsRead)} record(s) from {g.Count()} submission(s) {verb} — {g.Sum(r => r.Inserted)} new, {g.Sum(r => r.Updated)} changed, {g.Sum(r => r.Unchanged)} unchanged");
            }
            return ExitCodes.Success;
        }));
        return command;
    }
}
