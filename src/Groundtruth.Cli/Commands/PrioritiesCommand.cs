using System.CommandLine;
using System.Globalization;
using System.Text;
using Groundtruth.Analysis.Risk;
using Groundtruth.Application;
using Groundtruth.Application.Risk;

namespace Groundtruth.Cli.Commands;

internal static class PrioritiesCommand
{
    public static Command Create(CliContext context)
    {
        var weights = new Option<string?>("--weights") { Description = "the national authority's weights file (JSON, docs/risk.md); a change from the weights last used is audited" };
        var asOf = new Option<string?>("--as-of") { Description = "rank with what was known by this date of information (YYYY, YYYY-MM or YYYY-MM-DD: the end of that period)" };
        var format = new Option<string>("--format") { Description = "table, csv or geojson (csv and geojson exports are audited)", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "csv", "geojson");
        var command = new Command("priorities", "Open hazardous areas ranked by a documented score: people nearby, roads, accidents nearby, risk, residual area — each criterion's contribution shown. RESTRICTED: analysts and above.")
        {
            weights, asOf, format,
        };
        command.SetAction((parse, ct) => context.Guard(async () =>
        {
            DateOnly? at = parse.GetValue(asOf) is { } a
                ? Domain.PartialDate.TryParse(a, out var d) ? d.End : throw new InvalidRequestException("as_of", $"'{a}' is not a date: use YYYY, YYYY-MM or YYYY-MM-DD")
                : null;
            var handler = new PrioritiesHandler(context.Target(parse), context.Clock);
            var request = new PrioritiesRequest(parse.GetValue(weights), new Application.History.HistoryPoint(at), Environment.UserName, parse.GetValue(format)!);
            var report = await CliProgress.RunAsync(context, "priorities", p => handler.HandleAsync(request, p, ct));
            await context.Output.WriteLineAsync(parse.GetValue(format) switch
            {
                "csv" => PrioritiesHandler.Csv(report),
                "geojson" => PrioritiesHandler.GeoJson(report),
                _ => Table(report),
            });
            if (report.WeightsChanged) await context.Error.WriteLineAsync(Resources.CliText.Note("note.weights_changed"));
            if (report.RiskNote is not null) await context.Error.WriteLineAsync("note: " + report.RiskNote);
            return ExitCodes.Success;
        }));
        return command;
    }

    private static string Table(PrioritiesReport report)
    {
        var inv = CultureInfo.InvariantCulture;
        var w = report.Weights;
        var sb = new StringBuilder();
        sb.AppendLine("RESTRICTED — clearance priorities, analysts and above.");
        sb.AppendLine(inv, $"Weights{(w.Owner is null ? "" : " of " + w.Owner)}{(w.Version is null ? "" : " (" + w.Version + ")")}: people {w.People} (within {w.PeopleWithinM} m), roads {w.Roads} (within {w.RoadsWithinM} m), accidents {w.Accidents} (within {w.AccidentsWithinM} m, last {w.AccidentsSinceYears} years), risk {w.Risk}, residual area {w.ResidualArea}");
        sb.AppendLine();
        sb.AppendLine($"{"rank",4} {"hazard",-12} {"score",6}  {"people",14} {"roads m",14} {"accidents",12} {"risk",12} {"residual m²",18}  name");
        foreach (var r in report.Rows)
        {
            string Cell(int j, string format) => r.Criteria[j].Raw is { } v ? string.Create(inv, $"{v.ToString(format, inv)} +{r.Criteria[j].Contribution:0.000}") : "– +0.000";
            sb.AppendLine(string.Create(inv, $"{r.Rank,4} {r.Area.Id,-12} {r.Score,6:0.000}  {Cell(0, "N0"),14} {Cell(1, "N0"),14} {Cell(2, "N0"),12} {Cell(3, "0.000"),12} {Cell(4, "N0"),18}  {r.Area.Name}"));
        }
        if (report.Rows.Count == 0) sb.AppendLine("No open hazardous area (open or being worked on, with a polygon) to rank.");
        sb.AppendLine();
        sb.AppendLine("Each cell: the raw value, then its contribution = weight × value ÷ the largest value among the areas; the score is their sum (docs/risk.md).");
        sb.Append(inv, $"Computed at {report.ComputedAt:yyyy-MM-ddTHH:mm:ssZ}.");
        return sb.ToString();
    }
}
