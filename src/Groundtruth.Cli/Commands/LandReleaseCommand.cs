using System.CommandLine;
using System.Globalization;
using System.Text;
using Groundtruth.Analysis.LandReleases;
using Groundtruth.Application.LandReleases;
using Groundtruth.Domain;

namespace Groundtruth.Cli.Commands;

internal static class LandReleaseCommand
{
    public static Command Create(CliContext context)
    {
        var window = new WindowOptions();
        var history = new HistoryOptions();
        var by = new Option<string?>("--by") { Description = "group by year, month, method, organisation or place" };
        by.AcceptOnlyFromAmong("year", "month", "method", "organisation", "place");
        var productivity = new Option<bool>("--productivity") { Description = "m² released per day of work by organisation and method instead" };
        var format = new Option<string>("--format") { Description = "table, json or csv", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "json", "csv");
        var command = new Command("land-release", "Land released by method (cancelled, reduced, cleared) in m² (IMAS 07.11).") { by, productivity, format };
        window.AddTo(command);
        history.AddTo(command);
        command.SetAction((parse, ct) => context.Guard(async () =>
        {
            var (from, to) = window.Parse(parse);
            var point = history.Parse(parse);
            var grouping = parse.GetValue(by) is { } b ? Enum.Parse<ReleaseGrouping>(b, ignoreCase: true) : ReleaseGrouping.None;
            var data = await CliProgress.RunAsync(context, "land release",
                progress => LandReleaseData.LoadAsync(context.Target(parse), point, grouping == ReleaseGrouping.Place && !parse.GetValue(productivity),
                    LandReleaseScope.ForSums(grouping, parse.GetValue(productivity)), progress, ct));
            var now = context.Clock.GetUtcNow().UtcDateTime;
            var fmt = parse.GetValue(format);
            if (parse.GetValue(productivity))
            {
                var rows = LandReleaseAccounting.ProductivityBy(data.Releases, data.Activities);
                await context.Output.WriteLineAsync(fmt == "json" ? LandReleaseReports.ProductivityJson(rows, point, now) : ProductivityTable(rows, fmt == "csv"));
                return ExitCodes.Success;
            }
            var summary = LandReleaseAccounting.Summarise(data.Releases, from, to, LandReleaseReports.GroupKey(grouping));
            await context.Output.WriteLineAsync(fmt switch
            {
                "json" => LandReleaseReports.ReleaseJson(summary, grouping, point, from, to, now),
                "csv" => LandReleaseReports.ReleaseCsv(summary, grouping),
                _ => Table(summary, grouping, point, from, to, now),
            });
            return ExitCodes.Success;
        }));
        return command;
    }

    private static string Table(ReleaseSummary s, ReleaseGrouping by, Application.History.HistoryPoint point, DateOnly? from, DateOnly? to, DateTime now)
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine(inv, $"Land released, {from?.ToString("yyyy-MM-dd", inv) ?? "…"} to {to?.ToString("yyyy-MM-dd", inv) ?? "…"} ({point})");
        sb.AppendLine();
        sb.AppendLine(inv, $"{(by == ReleaseGrouping.None ? "" : SnakeCase.Of(by)),-24} {"cancelled m²",14} {"reduced m²",14} {"cleared m²",14} {"total m²",14} {"outputs",8}");
        foreach (var g in s.Groups) sb.AppendLine(Row(g.Key, g.AreaM2, g.Count));
        sb.AppendLine(Row("total", s.Total, s.Count));
        if (s.Straddling > 0) sb.AppendLine(inv, $"{s.Straddling} output(s) dated across an edge of the window are not counted (straddling).");
        sb.AppendLine();
        sb.AppendLine("Definition: " + LandReleaseReports.ReleaseDefinition);
        sb.AppendLine(inv, $"Computed at {now:yyyy-MM-ddTHH:mm:ssZ}.");
        return sb.ToString();
        string Row(string key, MethodAreas a, int n) => string.Create(inv, $"{key,-24} {a.Cancelled,14:N0} {a.Reduced,14:N0} {a.Cleared,14:N0} {a.Total,14:N0} {n,8}");
    }

    private static string ProductivityTable(List<Productivity> rows, bool csv)
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        if (csv)
        {
            sb.AppendLine("organisation,method,area_m2,days,activities,m2_per_day");
            foreach (var p in rows) sb.AppendLine(string.Create(inv, $"{LandReleaseReports.Csv(p.Organisation)},{SnakeCase.Of(p.Method)},{p.AreaM2:F1},{p.Days},{p.Activities},{p.M2PerDay:F1}"));
            return sb.ToString();
        }
        sb.AppendLine(inv, $"{"organisation",-24} {"method",-10} {"area m²",14} {"days",6} {"activities",10} {"m²/day",10}");
        foreach (var p in rows) sb.AppendLine(string.Create(inv, $"{p.Organisation,-24} {SnakeCase.Of(p.Method),-10} {p.AreaM2,14:N0} {p.Days,6} {p.Activities,10} {p.M2PerDay,10:N0}"));
        sb.AppendLine("A day of work is a calendar day from an activity's start to its completion, inclusive.");
        return sb.ToString();
    }
}
