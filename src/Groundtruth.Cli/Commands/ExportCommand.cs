using System.CommandLine;
using Groundtruth.Application.Datasets;
using Groundtruth.Application.Export;
using Groundtruth.Application.Security;

namespace Groundtruth.Cli.Commands;

internal static class ExportCommand
{
    public static Command Create(CliContext context)
    {
        var dataset = DatasetArgument.Create();
        var file = new Argument<FileInfo>("file") { Description = "the .csv, .xlsx or .geojson file to write" };
        var personal = new Option<bool>("--include-personal-data") { Description = "casualties: add name, date of birth and injuries (needs the key; the read is audited)" };
        var headers = new Option<string>("--headers")
        {
            Description = "csv, xlsx: the header row as field names (machine, the default; import reads them) or as labels in words in the language of LANG (human)",
            DefaultValueFactory = _ => "machine",
        };
        headers.AcceptOnlyFromAmong("machine", "human");
        var history = new HistoryOptions();
        var command = new Command("export", "Export a dataset's approved records as CSV or GeoJSON, in the columns import reads.")
        {
            dataset, file, personal, headers,
        };
        history.AddTo(command);
        command.SetAction((parse, ct) => context.Guard(async () =>
        {
            var result = await CliProgress.RunAsync(context, "export", progress => new ExportHandler(context.Target(parse), context.Clock).HandleAsync(
                new ExportRequest(DatasetCatalog.Find(parse.GetValue(dataset)!)!, parse.GetValue(file)!.FullName, parse.GetValue(personal), Access.Full(Environment.UserName), history.Parse(parse),
                    HumanHeaders: parse.GetValue(headers) == "human"), progress, ct));
            await context.Output.WriteLineAsync($"{result.Dataset}: {result.Records} record(s) written to {result.FilePath}");
            return ExitCodes.Success;
        }));
        return command;
    }
}
