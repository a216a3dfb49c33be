using System.CommandLine;
using Groundtruth.Application.Quality;

namespace Groundtruth.Cli.Commands;

internal static class CheckCommand
{
    public static Command Create(CliContext context)
    {
        var format = new Option<string>("--format") { Description = "table (default) or json", DefaultValueFactory = _ => "table", HelpName = "table|json" };
        format.AcceptOnlyFromAmong("table", "json");
        var command = new Command("check",
            "Data-quality report: totals that do not add up, impossible ages, future dates, deaths before injuries, points outside the gazetteer, likely duplicates, caches counted as laid. Reports only, never fixes; exits 1 when it finds errors.")
        {
            format,
        };
        command.SetAction((parse, ct) => context.Guard(async () =>
        {
            var report = await CliProgress.RunAsync(context, "check", progress => new CheckHandler(context.Target(parse), context.Clock).HandleAsync(progress, ct));
            await context.Output.WriteAsync(parse.GetValue(format) == "json" ? CheckOutput.Json(report) : CheckOutput.Table(report));
            return report.Errors > 0 ? ExitCodes.BadData : ExitCodes.Success;
        }));
        return command;
    }
}
