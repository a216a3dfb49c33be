using System.CommandLine;
using Groundtruth.Application.Statistics;

namespace Groundtruth.Cli.Commands;

internal static class StatsCommand
{
    public static Command Create(CliContext context)
    {
        var dataset = new Argument<string>("dataset") { Description = "what to count: " + string.Join(", ", StatsFields.DatasetNames) };
        dataset.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<string>();
            if (!StatsFields.DatasetNames.Contains(value, StringComparer.OrdinalIgnoreCase))
                result.AddError($"stats counts {string.Join(", ", StatsFields.DatasetNames)}; not '{value}'");
        });
        dataset.CompletionSources.Add([.. StatsFields.DatasetNames]);
        var from = new Option<string?>("--from") { Description = "start of the window, inclusive: YYYY, YYYY-MM or YYYY-MM-DD", HelpName = "DATE" };
        var to = new Option<string?>("--to") { Description = "end of the window, inclusive (--to 2006 is to 31 December 2006)", HelpName = "DATE" };
        var where = new Option<string[]>("--where")
        {
            Description = "FIELD=VALUE, repeatable, all must hold; VALUE may be 'unknown'; quote values with spaces (--where \"model=E-001 M\")",
            HelpName = "FIELD=VALUE",
            AllowMultipleArgumentsPerToken = false,
        };
        var inPlace = new Option<string?>("--in") { Description = "only records whose point lies in this gazetteer place (id or name; its boundary counts as inside)", HelpName = "PLACE" };
        var by = new Option<string[]>("--by") { Description = "group by one or more fields (FIELD[,FIELD]); place is each record's assigned location", HelpName = "FIELD[,FIELD]" };
        var format = new Option<string>("--format") { Description = "table (default), json or csv", DefaultValueFactory = _ => "table", HelpName = "table|json|csv" };
        format.AcceptOnlyFromAmong("table", "json", "csv");
        var viewer = new Option<bool>("--viewer") { Description = "suppress figures below 5, as shown to the viewer role" };
        var includePending = new Option<bool>("--include-pending") { Description = "count submissions waiting for approval too, as submitted (the figures say so)" };
        var command = new Command("stats", "Count casualties, finds (in devices) or accidents, with the definition, the unknowns and the exclusions beside the figures.")
        {
            dataset, from, to, where, inPlace, by, format, viewer, includePending,
        };
        var history = new HistoryOptions();
        history.AddTo(command);
        command.SetAction((parse, ct) => context.Guard(async () =>
        {
            var request = new StatsRequest(
                parse.GetValue(dataset)!,
                parse.GetValue(from),
                parse.GetValue(to),
                parse.GetValue(where) ?? [],
                parse.GetValue(inPlace),
                parse.GetValue(by) ?? [],
                parse.GetValue(viewer),
                history.Parse(parse),
                parse.GetValue(includePending));
            var report = await CliProgress.RunAsync(context, "stats " + request.Dataset,
                progress => new StatsHandler(context.Target(parse), context.Clock) { OneShot = true }.HandleAsync(request, progress, ct));
            var text = parse.GetValue(format) switch
            {
                "json" => StatsOutput.Json(report),
                "csv" => StatsOutput.Csv(report),
                _ => StatsOutput.Table(report),
            };
            await context.Output.WriteAsync(text);
            return ExitCodes.Success;
        }));
        return command;
    }
}
