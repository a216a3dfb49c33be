using System.CommandLine;
using Groundtruth.Application;
using Groundtruth.Application.Datasets;
using Groundtruth.Application.Import;
using Groundtruth.Application.Security;
using Spectre.Console;

namespace Groundtruth.Cli.Commands;

internal static class ImportCommand
{
    public static Command Create(CliContext context)
    {
        var dataset = DatasetArgument.Create();
        var file = new Argument<FileInfo>("file") { Description = "a .csv/.tsv (lon/lat or wkt columns; any delimiter and encoding), .geojson, .xlsx, Shapefile (.shp with its .dbf/.prj beside it, or a .zip), .kml, .kmz, .gpx or .gpkg file, or a KoboToolbox (.xlsx) or ODK Central (.zip) export" }.AcceptExistingOnly();
        var map = new Option<FileInfo?>("--map") { Description = "a mapping file (JSON) that renames columns, translates values and reads dates and numbers; see docs/import-mapping.md" };
        var crs = new Option<string?>("--crs") { Description = "reference system of the coordinates: EPSG:32634 (UTM 34N), WKT, or a .prj file; overrides the mapping and a Shapefile's .prj; originals are kept" };
        var dryRun = new Option<bool>("--dry-run") { Description = "validate only; report what would change and write nothing" };
        var pending = new Option<bool>("--pending") { Description = "make a submission that needs approval instead of changing approved data" };
        var repair = new Option<bool>("--repair") { Description = "repair invalid geometry instead of rejecting the file" };
        var source = new Option<string?>("--source") { Description = "who supplied the file, recorded with the submission" };
        var suggestMap = new Option<FileInfo?>("--suggest-map")
        {
            Description = "write a draft mapping for the file to this path (columns, values, dates, numbers, encoding, delimiter) and import nothing; edit it, then import with --map",
        };
        var command = new Command("import", "Import a file into a dataset: all or nothing, every problem listed with its line and field.")
        {
            dataset, file, map, crs, dryRun, pending, repair, source, suggestMap,
        };
        command.SetAction((parse, ct) => context.Guard(async () =>
        {
            if (parse.GetValue(suggestMap) is { } draft)
                return await SuggestAsync(context, DatasetCatalog.Find(parse.GetValue(dataset)!)!, parse.GetValue(file)!, parse.GetValue(map), draft);
            var request = new ImportRequest(
                DatasetCatalog.Find(parse.GetValue(dataset)!)!,
                parse.GetValue(file)!.FullName,
                parse.GetValue(map)?.FullName,
                parse.GetValue(crs),
                parse.GetValue(dryRun),
                parse.GetValue(pending),
                parse.GetValue(repair),
                Environment.UserName,
                parse.GetValue(source),
                // The command line works on the database itself: the information manager's full access (personal data still needs the key).
                Access: Access.Full(Environment.UserName));
            var handler = new ImportHandler(context.Target(parse), context.Clock);
            IReadOnlyList<ImportResult> results;
            if (context.Interactive)
            {
                results = await AnsiConsole.Progress()
                    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                    .StartAsync(async p =>
                    {
                        var task = p.AddTask($"{request.Dataset.Name}: validating", maxValue: 1);
                        var progress = new Progress<ImportProgress>(x =>
                        {
                            task.Description = $"{request.Dataset.Name}: {x.Phase} {x.Records:N0} records";
                            task.Value = x.BytesTotal == 0 ? 0 : (double)x.BytesRead / x.BytesTotal;
                        });
                        var r = await handler.HandleTogetherAsync([request], progress, ct);
                        task.Value = 1;
                        return r;
                    });
            }
            else
            {
                results = await handler.HandleTogetherAsync([request], null, ct);
            }
            foreach (var result in results) await context.Output.WriteLineAsync(result.Summary());
            return ExitCodes.Success;
        }));
        return command;
    }

    /// <summary>Writes a draft mapping: what was found on stdout, what the user must check or fill in on stderr.</summary>
    private static async Task<int> SuggestAsync(CliContext context, DatasetSpec dataset, FileInfo file, FileInfo? map, FileInfo draft)
    {
        if (draft.Exists) throw new InvalidRequestException("suggest_map", $"{draft.FullName} exists: give a new path (a mapping you edited is not overwritten)");
        var reading = map is null ? null : ImportMapping.Load(map.FullName);
        var suggestion = MappingSuggester.Suggest(dataset, file.FullName, reading: reading);
        await File.WriteAllTextAsync(draft.FullName, MappingSuggestion.ToJson(suggestion.ToMapping()));
        var matched = suggestion.Columns.Count(c => c.Target is not null);
        await context.Output.WriteLineAsync($"wrote {draft.Name}: a draft mapping of {file.Name} onto {dataset.Name} from {suggestion.RowsRead} row(s); nothing was imported");
        await context.Output.WriteLineAsync($"  columns: {matched} of {suggestion.Columns.Count} matched ({string.Join(", ", suggestion.Columns.Where(c => c.Target is not null).Select(c => $"{c.Source} → {c.Target}"))})");
        if (suggestion.Encoding is not null)
        {
            var delimiter = suggestion.Delimiter == "\t" ? "tab" : $"'{suggestion.Delimiter}'";
            await context.Output.WriteLineAsync($"  encoding {suggestion.Encoding}{(suggestion.EncodingDetected ? " (detected)" : "")}, delimiter {delimiter}");
        }
        var n = suggestion.Numbers;
        if (n.DecimalSeparator is not null || n.ThousandsSeparator is not null)
            await context.Output.WriteLineAsync($"  numbers: decimal '{n.DecimalSeparator ?? "."}', thousands '{n.ThousandsSeparator ?? "none"}'");
        foreach (var (field, format) in suggestion.DateFormats) await context.Output.WriteLineAsync($"  dates: {field} read as {format}");
        foreach (var note in suggestion.Notes) await context.Error.WriteLineAsync("note: " + ErrorMessages.Localise(note));
        var unfilled = suggestion.Unfilled;
        await context.Error.WriteLineAsync(unfilled > 0
            ? Resources.CliText.Note("note.next_fill", unfilled, ImportMapping.Placeholder, draft.Name, dataset.Name, file.Name)
            : Resources.CliText.Note("note.next_check", draft.Name, dataset.Name, file.Name));
        return ExitCodes.Success;
    }
}
