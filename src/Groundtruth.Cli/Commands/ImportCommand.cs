using System.CommandLine;
using Groundtruth.Application.Datasets;
using Groundtruth.Application.Import;
using Spectre.Console;

namespace Groundtruth.Cli.Commands;

internal static class ImportCommand
{
    public static Command Create(CliContext context)
    {
        var dataset = DatasetArgument.Create();
        var file = new Argument<FileInfo>("file") { Description = "a .csv (lon/lat or wkt columns), .geojson, Shapefile (.shp with its .dbf/.prj beside it, or a .zip), .kml, .kmz, .gpx or .gpkg file" }.AcceptExistingOnly();
        var map = new Option<FileInfo?>("--map") { Description = "a mapping file (JSON) that renames columns, translates values and reads dates and numbers; see docs/import-mapping.md" };
        var crs = new Option<string?>("--crs") { Description = "reference system of the coordinates: EPSG:32634 (UTM 34N), WKT, or a .prj file; overrides the mapping and a Shapefile's .prj; originals are kept" };
        var dryRun = new Option<bool>("--dry-run") { Description = "validate only; report what would change and write nothing" };
        var pending = new Option<bool>("--pending") { Description = "make a submission that needs approval instead of changing approved data" };
        var repair = new Option<bool>("--repair") { Description = "repair invalid geometry instead of rejecting the file" };
        var source = new Option<string?>("--source") { Description = "who supplied the file, recorded with the submission" };
        var command = new Command("import", "Import a file into a dataset: all or nothing, every problem listed with its line and field.")
        {
            dataset, file, map, crs, dryRun, pending, repair, source,
        };
        command.SetAction((parse, ct) => context.Guard(async () =>
        {
            var request = new ImportRequest(
                DatasetCatalog.Find(parse.GetValue(dataset)!)!,
                parse.GetValue(file)!.FullName,
                parse.GetValue(map)?.FullName,
                parse.GetValue(crs),
                parse.GetValue(dryRun),
                parse.GetValue(pending),
                parse.GetValue(repair),
                Environment.UserName,
                parse.GetValue(source));
            var handler = new ImportHandler(context.Target(parse), context.Clock);
            ImportResult result;
            if (context.Interactive)
            {
                result = await AnsiConsole.Progress()
                    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                    .StartAsync(async p =>
                    {
                        var task = p.AddTask($"{request.Dataset.Name}: validating", maxValue: 1);
                        var progress = new Progress<ImportProgress>(x =>
                        {
                            task.Description = $"{request.Dataset.Name}: {x.Phase} {x.Records:N0} records";
                            task.Value = x.BytesTotal == 0 ? 0 : (double)x.BytesRead / x.BytesTotal;
                        });
                        var r = await handler.HandleAsync(request, progress, ct);
                        task.Value = 1;
                        return r;
                    });
            }
            else
            {
                result = await handler.HandleAsync(request, null, ct);
            }
            await context.Output.WriteLineAsync(result.Summary());
            return ExitCodes.Success;
        }));
        return command;
    }
}
