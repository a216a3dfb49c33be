using System.CommandLine;
using System.Globalization;
using System.Text;
using Groundtruth.Analysis.LandReleases;
using Groundtruth.Application.LandReleases;
using Groundtruth.Application.Progress;
using Groundtruth.Domain;

namespace Groundtruth.Cli.Commands;

internal static class HazardsCommand
{
    public static Command Create(CliContext context)
    {
        var history = new HistoryOptions();
        var all = new Option<bool>("--all") { Description = "include closed and handed-over areas" };
        var format = new Option<string>("--format") { Description = "table, json, csv or geojson (the residual areas)", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "json", "csv", "geojson");
        var command = new Command("hazards", "Open hazardous areas with their residual m² (area minus released land), classification, status, contamination and evidence.") { all, format };
        history.AddTo(command);
        command.SetAction((parse, ct) => context.Guard(async () =>
        {
            var point = history.Parse(parse);
            var rows = await CliProgress.RunAsync(context, "hazards", async progress =>
            {
                // A one-shot process reads only the areas listed and their outputs (issue 11).
                var scope = LandReleaseScope.ForResiduals(parse.GetValue(all) ? null : [HazardStatus.Open, HazardStatus.WorkedOn]);
                var data = await LandReleaseData.LoadAsync(context.Target(parse), point, withPlaces: true, scope, progress, ct, LandReleaseData.LoadSteps + 1);
                progress?.Report(WorkProgress.Step("residual areas", LandReleaseData.LoadSteps, LandReleaseData.LoadSteps + 1));
                var open = data.Hazards.Where(h => parse.GetValue(all) || h.Status is HazardStatus.Open or HazardStatus.WorkedOn);
                return LandReleaseAccounting.Residuals(open, data.Releases);
            });
            var now = context.Clock.GetUtcNow().UtcDateTime;
            await context.Output.WriteLineAsync(parse.GetValue(format) switch
            {
                "json" => LandReleaseReports.HazardsJson(rows, point, now),
                "csv" => LandReleaseReports.HazardsCsv(rows),
                "geojson" => LandReleaseReports.HazardsGeoJson(rows),
                _ => Table(rows, point, now),
            });
            return ExitCodes.Success;
        }));
        return command;
    }

    private static string Table(List<ResidualHazard> rows, Application.History.HistoryPoint point, DateTime now)
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine(inv, $"Hazardous areas ({point})");
        sb.AppendLine();
        sb.AppendLine(inv, $"{"id",-12} {"classification",-14} {"status",-11} {"area m²",12} {"released m²",12} {"residual m²",12}  place / contamination");
        foreach (var r in rows)
            sb.AppendLine(string.Create(inv, $"{r.Hazard.Id,-12} {SnakeCase.Of(r.Hazard.Classification),-14} {SnakeCase.Of(r.Hazard.Status),-11} {r.AreaM2,12:N0} {r.ReleasedM2,12:N0} {r.ResidualM2,12:N0}  {r.Hazard.Place} / {r.Hazard.Contamination}"));
        sb.AppendLine(string.Create(inv, $"{rows.Count} area(s), {rows.Sum(r => r.AreaM2):N0} m², residual {rows.Sum(r => r.ResidualM2):N0} m²"));
        sb.AppendLine();
        sb.AppendLine("Definition: " + LandReleaseReports.HazardDefinition);
        sb.AppendLine(inv, $"Computed at {now:yyyy-MM-ddTHH:mm:ssZ}.");
        return sb.ToString();
    }
}
