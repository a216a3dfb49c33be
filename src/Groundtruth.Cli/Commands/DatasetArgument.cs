using System.CommandLine;
using Groundtruth.Application.Datasets;

namespace Groundtruth.Cli.Commands;

internal static class DatasetArgument
{
    /// <summary>The dataset name, checked against the catalogue so a typo lists the valid names (exit 2).</summary>
    public static Argument<string> Create()
    {
        var argument = new Argument<string>("dataset") { Description = "one of: " + string.Join(", ", DatasetCatalog.Names) };
        argument.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<string>();
            if (DatasetCatalog.Find(value) is null)
                result.AddError($"unknown dataset '{value}'; valid: {string.Join(", ", DatasetCatalog.Names)}");
        });
        argument.CompletionSources.Add(DatasetCatalog.Names.ToArray());
        return argument;
    }
}
