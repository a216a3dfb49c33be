using System.CommandLine;
using Groundtruth.Application.Datasets;
using Groundtruth.Application.Forms;

namespace Groundtruth.Cli.Commands;

/// <summary><c>groundtruth forms DATASET --out DIR</c>: the field form of a dataset as XLSForm and ODK XForm.</summary>
internal static class FormsCommand
{
    public static Command Create(CliContext context)
    {
        var names = FieldForm.Datasets.Select(d => d.Name).ToArray();
        var dataset = new Argument<string>("dataset") { Description = "one of: " + string.Join(", ", names) + ", or all" };
        dataset.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<string>();
            if (value != "all" && !FieldForm.Datasets.Any(d => d == DatasetCatalog.Find(value)))
                result.AddError($"no field form for '{value}'; valid: {string.Join(", ", names)}, all");
        });
        dataset.CompletionSources.Add([.. names, "all"]);
        var output = new Option<DirectoryInfo>("--out") { Description = "the folder to write the forms into (created if missing)", Required = true };
        var command = new Command("forms",
            "Write the field form of a dataset for ODK Collect / KoboCollect: an XLSForm (.xlsx) and the same form as an ODK XForm (.xml). " +
            "Their submissions and exports import with no mapping (groundtruth forms-import, groundtruth import); see docs/forms.md.")
        {
            dataset, output,
        };
        command.SetAction(parse => context.Guard(async () =>
        {
            var value = parse.GetValue(dataset)!;
            var datasets = value == "all" ? FieldForm.Datasets : [DatasetCatalog.Find(value)!];
            foreach (var d in datasets)
            {
                var form = FieldForm.For(d);
                var (xlsx, xml) = FieldFormFiles.Write(form, parse.GetValue(output)!.FullName);
                await context.Output.WriteLineAsync($"{d.Name}: {xlsx} and {xml} (form {form.FormId}, version {form.Version})");
            }
            return ExitCodes.Success;
        }));
        return command;
    }
}
