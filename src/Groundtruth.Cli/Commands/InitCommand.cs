using System.CommandLine;
using Groundtruth.Application.Admin;

namespace Groundtruth.Cli.Commands;

internal static class InitCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("init", "Create the database, or upgrade it to the current schema (safe to repeat).");
        command.SetAction((parse, ct) => context.Guard(async () =>
        {
            var target = context.Target(parse);
            var result = await new InitHandler(target, context.Clock).HandleAsync(Environment.UserName, ct);
            var what = result.AppliedMigrations.Count == 0 ? "already current" : result.Created ? "created" : $"upgraded ({result.AppliedMigrations.Count} migration(s))";
            await context.Output.WriteLineAsync($"{result.Database}: {what}");
            return ExitCodes.Success;
        }));
        return command;
    }
}
