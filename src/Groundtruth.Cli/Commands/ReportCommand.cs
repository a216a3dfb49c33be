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
        var language = new Option<string?>("--language") { Description = $"the report's language: {string.Join(", ", ReportText.Languages)} (default en; Article 7: the PDF only)", HelpName = "LANG" };
        var programme = new Option<string?>("--programme") { Description = "the programme's name in the PDF's header (default: the GROUNDTRUTH_PROGRAMME environment variable; none: a plain header)", HelpName = "NAME" };
        var logo = new Option<FileInfo?>("--logo") { Description = "the programme's logo in the PDF's header, a PNG or JPEG file (default: the GROUNDTRUTH_LOGO environment variable)", HelpName = "FILE" };
        var situation = new Command("situation",
            "Situation report for a window: headline figures with definitions, casualties per year by outcome, by status, by age group and sex, finds per month by category, top device models, a table per district, a map of the period, an annex of technical definitions, and the time it was computed; the PDF in any of seven languages, with the programme's name and logo.")
        {
            output, from, to, language, programme, logo,
        };
        situation.SetAction((parse, ct) => context.Guard(async () =>
        {
            var path = parse.GetValue(output)!.FullName;
            var report = await CliProgress.RunAsync(context, "situation report", progress => new SituationReportHandler(context.Target(parse), context.Clock).HandleAsync(
                new SituationReportRequest(path, parse.GetValue(from), parse.GetValue(to), parse.GetValue(language),
                    ReportBranding.FromSettings(parse.GetValue(programme), parse.GetValue(logo)?.FullName)), progress, ct));
            await context.Output.WriteLineAsync($"situation report written to {path} (computed at {Groundtruth.Application.Statistics.StatsOutput.Timestamp(report.ComputedAt)})");
            return ExitCodes.Success;
        }));
        var year = new Option<int>("--year") { Description = "the reporting year", HelpName = "YYYY", Required = true };
        var article7Out = new Option<FileInfo>("--out") { Description = "the report file: .pdf or .docx (the reporting forms' tables and an annex of the records behind each figure), .html or .csv", HelpName = "FILE.pdf|FILE.docx|FILE.html|FILE.csv", Required = true };
        var article7 = new Command("article7",
            "Anti-Personnel Mine Ban Convention Article 7 tables for a year: mined areas at its start and end, areas completed (0 m² remaining counts as completed), land released by method, devices destroyed by category, and the records behind each figure.")
        {
            year, article7Out, language, programme, logo,
        };
        article7.SetAction((parse, ct) => context.Guard(async () =>
        {
            var path = parse.GetValue(article7Out)!.FullName;
            var report = await CliProgress.RunAsync(context, "Article 7 report",
                progress => new Article7Handler(context.Target(parse), context.Clock).HandleAsync(new Article7Request(parse.GetValue(year), path, parse.GetValue(language),
                    ReportBranding.FromSettings(parse.GetValue(programme), parse.GetValue(logo)?.FullName)), progress, ct));
            await context.Output.WriteLineAsync($"Article 7 report {report.Year} written to {path}: {report.AtStart.Count} mined area(s) at the start, {report.AtEnd.Count} at the end, {report.Completed.Count} completed, {report.Released.Total:N0} m² released, {report.Destroyed.Sum(d => d.Devices):N0} devices destroyed");
            return ExitCodes.Success;
        }));
        return new Command("report", "Reports: a situation report with charts, Article 7 transparency tables.") { situation, article7 };
    }
}
