using System.CommandLine;
using Groundtruth.Application.Datasets;

namespace Groundtruth.Cli.Commands;

internal static class DatasetsCommand
{
    public static Command Create(CliContext context)
    {
        var markdown = new Option<bool>("--markdown") { Description = "print the full column reference (docs/datasets.md)" };
        var command = new Command("datasets", "List the datasets and their columns.") { markdown };
        command.SetAction(async parse =>
        {
            if (parse.GetValue(markdown))
            {
                await context.Output.WriteAsync(DatasetReference.Markdown());
                return ExitCodes.Success;
            }
            foreach (var d in DatasetCatalog.All)
                await context.Output.WriteLineAsync($"{d.Name,-18} {string.Join(", ", d.Fields.Select(f => f.Required ? f.Name + "*" : f.Name))}");
            await context.Output.WriteLineAsync("(* required; see docs/datasets.md for types and values)");
            return ExitCodes.Success;
        });
        return command;
    }
}
