using System.CommandLine;
using System.Globalization;
using System.Text;
using Groundtruth.Analysis.Records;
using Groundtruth.Application.Records;
using Groundtruth.Domain;

namespace Groundtruth.Cli.Commands;

internal static class RecordsCommand
{
    public static Command Create(CliContext context)
    {
        var records = new Command("records", "Minefield records handed over by parties: how accurate they turned out to be.");
        records.Subcommands.Add(Accuracy(context));
        return records;
    }

    private static Command Accuracy(CliContext context)
    {
        var window = new WindowOptions();
        var buffer = new Option<double?>("--buffer") { Description = "buffer every record by METRES instead of its stated positional uncertainty (needed for point or line records without one)" };
        var minProcessed = new Option<double>("--min-processed") { Description = "share of a record's footprint that must lie in processed land for it to be evaluated", DefaultValueFactory = _ => 0.5 };
        var maxAccuracy = new Option<double>("--max-accident-accuracy") { Description = "without --buffer: exclude accidents located less precisely than METRES", DefaultValueFactory = _ => 100 };
        var source = new Option<string?>("--source") { Description = "only the records handed over by this source" };
        var by = new Option<string?>("--by") { Description = "also score each group: source or place" };
        by.AcceptOnlyFromAmong("source", "place");
        var format = new Option<string>("--format") { Description = "table, json or geojson (records with their verdicts, for a map)", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "json", "geojson");
        var chart = new Option<FileInfo?>("--chart") { Description = "also draw the coverage-over-buffer curve to a .png or .svg file" };
        var seed = new Option<int>("--seed") { Description = "seed of the bootstrap resampling (intervals are reproducible)", DefaultValueFactory = _ => 1 };
        var command = new Command("accuracy", "Score minefield records against finds, accidents and processed land (docs/record-accuracy.md).")
        {
            buffer, minProcessed, maxAccuracy, source, by, format, chart, seed,
        };
        window.AddTo(command);
        var history = new HistoryOptions();
        history.AddTo(command);
        command.SetAction((parse, ct) => context.Guard(async () =>
        {
            var (from, to) = window.Parse(parse);
            var options = new RecordAccuracyOptions(from, to, parse.GetValue(buffer), parse.GetValue(minProcessed), parse.GetValue(maxAccuracy), Seed: parse.GetValue(seed));
            var grouping = parse.GetValue(by) switch { "source" => RecordGrouping.Source, "place" => RecordGrouping.Place, _ => RecordGrouping.None };
            var request = new RecordAccuracyRequest(options, parse.GetValue(source), grouping, history.Parse(parse));
            var report = await CliProgress.RunAsync(context, "record accuracy",
                progress => new RecordAccuracyHandler(context.Target(parse), context.Clock).HandleAsync(request, progress, ct));
            var output = parse.GetValue(format) switch
            {
                "json" => RecordAccuracyJson.Report(report),
                "geojson" => RecordAccuracyJson.Features(report),
                _ => Table(report),
            };
            await context.Output.WriteLineAsync(output);
            if (parse.GetValue(chart) is { } file)
            {
                CoverageChart.Save(report, file.FullName);
                await context.Error.WriteLineAsync(Resources.CliText.Note("note.chart_written", file.FullName));
            }
            if (parse.GetValue(format) == "geojson") await context.Error.WriteLineAsync("caveat: " + RecordAccuracyResult.Caveat);
            return ExitCodes.Success;
        }));
        return command;
    }

    private static string Share(double? share, double[]? ci) => share is null
        ? "n/a"
        : string.Create(CultureInfo.InvariantCulture, $"{share * 100:F1}%") + (ci is null ? "" : string.Create(CultureInfo.InvariantCulture, $" (95% CI {ci[0] * 100:F1}–{ci[1] * 100:F1}%)"));

    private static string Table(RecordAccuracyReport report)
    {
        var r = report.Overall;
        var o = report.Request.Options;
        var sb = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        sb.AppendLine(inv, $"Minefield record accuracy — window {o.From?.ToString("yyyy-MM-dd", inv) ?? "…"} to {o.To?.ToString("yyyy-MM-dd", inv) ?? "…"}, " +
                           $"buffer {(o.BufferM is { } b ? $"{b} m" : "stated uncertainty")}, min processed {o.MinProcessed:P0}{(report.Request.Source is { } s ? $", source {s}" : "")}");
        sb.AppendLine();
        void Figures(RecordAccuracyResult x, string indent)
        {
            sb.AppendLine(inv, $"{indent}records confirmed      {Share(x.RecordConfirmationRate, x.RecordConfirmationRateCi)}   {x.ConfirmedRecords} of {x.EvaluatedRecords} evaluated ({x.Records} records)");
            sb.AppendLine(inv, $"{indent}find coverage          {Share(x.FindCoverage, x.FindCoverageCi)}   {x.FindsInsideRecords} of {x.Finds} devices found in processed land");
            sb.AppendLine(inv, $"{indent}accidents outside      {Share(x.AccidentOutsideShare, x.AccidentOutsideShareCi)}   {x.AccidentsOutsideRecords} of {x.Accidents} mine accidents");
        }
        Figures(r, "");
        sb.AppendLine(inv, $"find offset to nearest record: median {Metres(r.MedianFindOffsetM)}, 90th percentile {Metres(r.P90FindOffsetM)}");
        sb.AppendLine(inv, $"devices declared in evaluated records {r.DevicesDeclared}, found inside them {r.DevicesFoundInEvaluatedRecords}");
        sb.AppendLine("coverage over buffer: " + string.Join("  ", r.CoverageOverBuffer.Select(c => $"{c.BufferM.ToString(inv)} m {Share(c.FindCoverage, null)}")));
        var e = r.Exclusions;
        sb.AppendLine(inv, $"excluded: {e.DeminingAccidents} demining, {e.NonMineAccidents} non-mine, {e.AccidentsBeforeLaying} before laying, {e.ImpreciseAccidents} imprecise, " +
                           $"{e.StraddlingAccidents} straddling accidents; {e.SpotFindDevicesOutsideProcessedLand} spot-find, {e.CachedDevices} cached, {e.NonMineDevices} non-mine devices, " +
                           $"{e.StraddlingFinds} straddling finds; invalid records: {(e.InvalidRecords.Count == 0 ? "none" : string.Join(", ", e.InvalidRecords))}");
        foreach (var (group, result) in report.Groups)
        {
            sb.AppendLine();
            sb.AppendLine(group);
            Figures(result, "  ");
        }
        sb.AppendLine();
        sb.AppendLine(string.Create(inv, $"{"record",-14} {"source",-22} {"declared",8} {"found",6} {"processed",9}  verdict"));
        foreach (var p in r.PerRecord)
            sb.AppendLine(string.Create(inv, $"{p.Id,-14} {Trim(p.Source, 22),-22} {p.DeclaredDevices?.ToString(inv) ?? "-",8} {p.DevicesFoundInside,6} {p.ProcessedShare,9:P0}  {SnakeCase.Of(p.Verdict)}"));
        sb.AppendLine();
        sb.AppendLine("Definition: " + RecordAccuracyJson.Definition);
        sb.AppendLine("Caveat: " + RecordAccuracyResult.Caveat);
        sb.AppendLine(inv, $"Computed at {report.ComputedAt:yyyy-MM-ddTHH:mm:ssZ} in EPSG:{r.ProjectionEpsg}.");
        return sb.ToString();
    }

    private static string Metres(double? m) => m is null ? "n/a" : string.Create(CultureInfo.InvariantCulture, $"{m:F0} m");

    private static string Trim(string s, int n) => s.Length <= n ? s : s[..(n - 1)] + "…";
}
