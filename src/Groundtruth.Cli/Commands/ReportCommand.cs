using System.CommandLine;
using Groundtruth.Application.Reports;

namespace Groundtruth.Cli.Commands;

internal static class ReportCommand
{
    public static Command Create(CliContext context)
    {
        var output = new Option<FileInfo>("--out") { Description = "the report file: .html (self-contained) or .pdf", HelpName = "FILE.html|FILE.pdf", Required = true };
        var from = new Option<string?>("--from") { Description = "start of the window, inclusive: YYYY, YYYY-MM or YYYY-MM-DD", HelpName = "DATE" };
        var to = new Option<string?>("--to") { Description = "end of the window, inclusive", HelpName = "DATE" };
        var situation = new Command("situation",
            "Situation report for a window: headline figures with definitions, casualties per year by outcome, by status, by age group and sex, finds per month by category, top device models, a table per district, and the time it was computed.")
        {
            output, from, to,
        };
        situation.SetAction((parse, ct) => context.Guard(async () =>
        {
            var path = parse.GetValue(output)!.FullName;
            var report = await new SituationReportHandler(context.Target(parse), context.Clock).HandleAsync(
                new SituationReportRequest(path, parse.GetValue(from), parse.GetValue(to)), ct);
            await context.Output.WriteLineAsync($"situation report written to {path} (computed at {Groundtruth.Application.Statistics.StatsOutput.Timestamp(report.ComputedAt)})");
            return ExitCodes.Success;
        }));
        return new Command("report", "Reports with charts.") { situation };
    }
}
