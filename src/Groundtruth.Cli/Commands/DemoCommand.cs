using System.CommandLine;

namespace Groundtruth.Cli.Commands;

internal static class DemoCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("demo", "Fill a database with a synthetic, fictional programme.");
        command.SetAction(async _ =>
        {
            await context.Error.WriteLineAsync("demo: not available yet");
            return ExitCodes.BadData;
        });
        return command;
    }
}
