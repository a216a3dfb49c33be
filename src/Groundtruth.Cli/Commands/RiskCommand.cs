using System.CommandLine;
using System.Globalization;
using System.Text;
using Groundtruth.Analysis.Risk;
using Groundtruth.Application;
using Groundtruth.Application.Risk;
using Groundtruth.Domain;

namespace Groundtruth.Cli.Commands;

internal static class RiskCommand
{
    public static Command Create(CliContext context)
    {
        var risk = new Command("risk", "Contamination-likelihood map and its honest validation (docs/risk.md). Outputs are RESTRICTED: analysts and above.");
        risk.Subcommands.Add(Map(context));
        risk.Subcommands.Add(Evaluate(context));
        return risk;
    }

    private sealed class ModelOptions
    {
        public Option<double?> Cell { get; } = new("--cell") { Description = "grid cell size in metres; without it risk map chooses 100, or 50 when the training windows hold fewer than 300 processed cells at 100 (docs/risk.md), and risk evaluate takes 100", HelpName = "M" };

        /// <summary>The cell when none is given (the map then may choose a finer one).</summary>
        private const double DefaultCellM = 100;

        /// <summary>Whether --cell was left out (the map then chooses its cell from the data).</summary>
        public bool CellGiven(ParseResult parse) => parse.GetValue(Cell) is not null;
        public Option<string?> In { get; } = new("--in") { Description = "map only this place (id or name; it must have an area) instead of the programme area" };
        public Option<double> LabelYears { get; } = new("--label-years") { Description = "training window: the layers this many years before the cutoff predict the finds made in land processed since", DefaultValueFactory = _ => 1 };
        public Option<int> Origins { get; } = new("--origins") { Description = "training origins (rolling origin): the window before the cutoff and this many minus one earlier windows of the same length, each with its own layers; 0 (default): as many as hold enough processed cells with finds, up to 4; at most 8", DefaultValueFactory = _ => 0 };
        public Option<string> Background { get; } = CreateBackground();
        public Option<double?> DistanceCap { get; } = new("--distance-cap") { Description = "hold the distances to past finds, past accidents and front lines at this many metres in the model (beyond it land is only 'far'; helps regions nobody has worked yet, docs/risk.md); 0: not held; without it: the logistic model's cap, none or 2000, chosen on held-out land (the trees' none)", HelpName = "M" };

        private static Option<string> CreateBackground()
        {
            var o = new Option<string>("--background") { Description = "where the negative background cells are drawn from: area (any cell of the area with no event; default) or surveyed (only land surveyed or released without a find: the sampling frame)", DefaultValueFactory = _ => "area" };
            o.AcceptOnlyFromAmong("area", "surveyed");
            return o;
        }

        public Option<int> Seed { get; } = new("--seed") { Description = "seed of every random draw: the background cells, the rows the models learn from, the boosted trees and the bootstrap (the same seed gives the same map and figures)", DefaultValueFactory = _ => 1 };
        public Option<int> Bootstrap { get; } = new("--bootstrap") { Description = "bootstrap samples over spatial blocks for the evaluation's intervals (the model choice's interval always draws 200)", DefaultValueFactory = _ => 200 };

        /// <param name="withBootstrap">Only the evaluation has intervals to draw (the map's choice always draws 200 samples).</param>
        public void AddTo(Command command, bool withBootstrap = true)
        {
            command.Options.Add(Cell);
            command.Options.Add(In);
            command.Options.Add(LabelYears);
            command.Options.Add(Origins);
            command.Options.Add(Background);
            command.Options.Add(DistanceCap);
            command.Options.Add(Seed);
            if (withBootstrap) command.Options.Add(Bootstrap);
        }

        public RiskOptions Parse(ParseResult parse) => new(CellM: parse.GetValue(Cell) ?? DefaultCellM, LabelYears: parse.GetValue(LabelYears), Origins: parse.GetValue(Origins), Background: parse.GetValue(Background) == "surveyed" ? BackgroundFrame.Surveyed : BackgroundFrame.Area, BootstrapSamples: parse.CommandResult.Command.Options.Contains(Bootstrap) ? parse.GetValue(Bootstrap) : new RiskOptions().BootstrapSamples, Seed: parse.GetValue(Seed), DistanceCapM: parse.GetValue(DistanceCap));
    }

    private static Command Map(CliContext context)
    {
        var model = new ModelOptions();
        var asOf = new Option<string?>("--as-of") { Description = "map with what was known by this date of information (YYYY, YYYY-MM or YYYY-MM-DD: the end of that period)" };
        var output = new Option<string>("--out") { Description = "the GeoTIFF to write (FILE.tif); FILE.status.tif, FILE.png and FILE.top.geojson go beside it", Required = true };
        var top = new Option<int>("--top") { Description = "also write the N highest cells, with each layer's contribution, to FILE.top.geojson", DefaultValueFactory = _ => 0 };
        var command = new Command("map", "Likelihood of contamination per grid cell, from finds, accidents, minefield records weighted by their measured reliability, front lines, roads, event density, hazardous areas, released land and survey coverage.")
        {
            asOf, output, top,
        };
        model.AddTo(command, withBootstrap: false);
        command.SetAction((parse, ct) => context.Guard(async () =>
        {
            var history = new Application.History.HistoryPoint(ParseDate(parse.GetValue(asOf), "--as-of")?.End);
            var handler = new RiskHandler(context.Target(parse), context.Clock);
            var request = new RiskMapRequest(parse.GetValue(output)!, model.Parse(parse), parse.GetValue(model.In), history, parse.GetValue(top), Environment.UserName, AutomaticCell: !model.CellGiven(parse));
            var report = await CliProgress.RunAsync(context, "risk map", p => handler.MapAsync(request, p, ct));
            var inv = CultureInfo.InvariantCulture;
            var m = report.Map;
            var sb = new StringBuilder();
            sb.AppendLine("RESTRICTED — analysts and above; this export is recorded in the audit log.");
            sb.AppendLine(inv, $"Risk map of {report.AreaName}, known before {report.Cutoff:yyyy-MM-dd}: {m.Scene.Grid.Columns}×{m.Scene.Grid.Rows} cells of {m.Scene.Grid.Cell:0.#} m, EPSG:{m.Scene.Grid.Epsg}, {m.Scene.MaskCount:N0} in the area.");
            if (report.CellChoice is { } cellChoice) sb.AppendLine("Cell: " + cellChoice + ".");
            var statuses = m.Status.Where(s => s != CellStatus.Outside).GroupBy(s => s).OrderBy(g => g.Key);
            sb.AppendLine("Cells: " + string.Join(", ", statuses.Select(g => string.Create(inv, $"{SnakeCase.Of(g.Key).Replace('_', ' ')} {g.Count():N0}"))) + " (released land is never safe).");
            var windowDays = m.Trained.Cutoff.DayNumber - m.Trained.LabelFrom.DayNumber;
            var earliest = DateOnly.FromDayNumber(Math.Max(0, m.Trained.Cutoff.DayNumber - m.Trained.Origins * windowDays));
            sb.AppendLine(inv, $"Trained on {m.Trained.TrainingCells:N0} processed cells ({m.Trained.Model.Positives:N0} with finds) in {m.Trained.Origins} window(s) of {windowDays} days (rolling origin) from {earliest:yyyy-MM-dd} to {m.Trained.Cutoff.AddDays(-1):yyyy-MM-dd}.");
            if (m.Trained.TrainingCells < RiskHandler.MinimumTrainingCells)
                sb.AppendLine(inv, $"Few cells to learn from: {m.Trained.TrainingCells:N0} processed cells of {m.Scene.Grid.Cell:0.#} m (fewer than {RiskHandler.MinimumTrainingCells}), so the model rests on a handful of hazards; a smaller --cell gives it more (without --cell the map chooses one from the data).");
            sb.AppendLine(inv, $"Background: {m.Trained.BackgroundCells:N0} cells without a find drawn from {m.Trained.FrameCells:N0} candidates summed over the windows ({(request.Options.Background == BackgroundFrame.Surveyed ? "land surveyed or released without a find: --background surveyed" : "anywhere in the area: --background area")}); effort layers may only lower the likelihood.");
            sb.AppendLine(inv, $"Model: {(m.Trained.Chosen.Kind == "boosted_trees" ? "boosted trees" : "logistic regression")} — {m.Trained.Selection.Reason}.");
            var scaling = m.Trained.ChosenScaling;
            sb.AppendLine(scaling.Calibrated
                ? string.Create(inv, $"Likelihood calibrated on {scaling.Cells:N0} processed training cells held out by spatial fold (Platt: a {SignedNumber.Invariant(scaling.Intercept)}, b {scaling.Slope:0.000}{(scaling.SlopeFloored ? ", held at its floor: the score barely orders processed land" : "")}).")
                : "Likelihood NOT calibrated (the processed training cells were all with or all without finds): read it as a relative score.");
            sb.AppendLine("Logistic coefficients (calibrated log-odds per standard deviation of each layer) and boosted trees' importances (share of split gain):");
            for (var j = 0; j < m.Trained.Model.Names.Count; j++)
                sb.AppendLine(string.Create(inv, $"  {m.Trained.Model.Names[j],-20} {SignedNumber.Invariant(m.Trained.Model.Coefficients[j]),8} {(m.Trained.Challenger is { } t ? t.Weights[j] : 0),8:0.000}"));
            foreach (var (source, r) in m.Layers.Reliability)
                sb.AppendLine(string.Create(inv, $"Records of {source}: {r.Confirmed}/{r.Evaluated} evaluated records confirmed, weight {r.Weight:0.00}"));
            foreach (var f in report.Files) sb.AppendLine("wrote " + f);
            // The evaluation of this map: the same cell (evaluate takes 100 m unless told), the same place.
            var validate = new StringBuilder("Validate before use: groundtruth risk evaluate --split-date DATE");
            if (m.Scene.Grid.Cell != 100) validate.Append(inv, $" --cell {m.Scene.Grid.Cell:0.#}");
            if (parse.GetValue(model.In) is { } place) validate.Append(" --in \"").Append(place).Append('"');
            sb.AppendLine(validate.ToString());
            sb.Append(inv, $"Computed at {report.ComputedAt:yyyy-MM-ddTHH:mm:ssZ}.");
            await context.Output.WriteLineAsync(sb.ToString());
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command Evaluate(CliContext context)
    {
        var model = new ModelOptions();
        var split = new Option<string?>("--split-date") { Description = "train on what was known before DATE (YYYY, YYYY-MM or YYYY-MM-DD), test on the finds and accidents from DATE on; this or --spatial-blocks is required" };
        var blocks = new Option<int?>("--spatial-blocks") { Description = "instead of --split-date: hold out each of K spatial blocks (2 to 100) in turn and test on its finds and accidents" };
        var asOf = new Option<string?>("--as-of") { Description = "evaluate with the data as known by this date of information" };
        var format = new Option<string>("--format") { Description = "table or json", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "json");
        var command = new Command("evaluate", "How well the map ranks later (or held-out) finds and accidents, beside the baseline 'distance to the nearest past event', with intervals.")
        {
            split, blocks, asOf, format,
        };
        model.AddTo(command);
        command.SetAction((parse, ct) => context.Guard(async () =>
        {
            var history = new Application.History.HistoryPoint(ParseDate(parse.GetValue(asOf), "--as-of")?.End);
            var splitDate = ParseDate(parse.GetValue(split), "--split-date")?.Start;
            var handler = new RiskHandler(context.Target(parse), context.Clock);
            var request = new RiskEvaluateRequest(model.Parse(parse), splitDate, parse.GetValue(blocks), parse.GetValue(model.In), history);
            var result = await CliProgress.RunAsync(context, "risk evaluate", p => handler.EvaluateAsync(request, p, ct));
            var now = context.Clock.GetUtcNow().UtcDateTime;
            await context.Output.WriteLineAsync(parse.GetValue(format) == "json" ? RiskHandler.EvaluationJson(result, now) : Table(result, now));
            return ExitCodes.Success;
        }));
        return command;
    }

    private static PartialDate? ParseDate(string? text, string option) =>
        text is null ? null : PartialDate.TryParse(text, out var d) ? d : throw new InvalidRequestException(option.TrimStart('-').Replace('-', '_'), $"'{text}' is not a date: use YYYY, YYYY-MM or YYYY-MM-DD");

    private static string Table(RiskEvaluationResult r, DateTime now)
    {
        var inv = CultureInfo.InvariantCulture;
        static string P(double? v) => v is { } d ? d.ToString("0.0%", CultureInfo.InvariantCulture) : "–";
        static string N(double? v) => v is { } d ? d.ToString("0.000", CultureInfo.InvariantCulture) : "–";
        static string Ci(double[]? v, Func<double?, string> f) => v is null ? "" : $"[{f(v[0])}, {f(v[1])}]";
        // A difference of two shares is in percentage points, signed (+12.6, not 12.6%).
        static string D(double? v) => v is { } d ? SignedNumber.Invariant(100 * d, "+0.0;-0.0") : "–";
        var sb = new StringBuilder();
        sb.AppendLine("RESTRICTED — analysts and above.");
        sb.AppendLine(r.Method == "split_date"
            ? string.Create(inv, $"Risk evaluation: trained on what was known before {r.SplitDate:yyyy-MM-dd}, tested on {r.TestFinds:N0} finds and {r.TestAccidents:N0} mine/ERW accidents from then on.")
            : string.Create(inv, $"Risk evaluation: {r.SpatialBlocks} spatial blocks held out in turn, tested on {r.TestFinds:N0} finds and {r.TestAccidents:N0} mine/ERW accidents inside them."));
        sb.AppendLine(string.Create(inv, $"{r.RankedCells:N0} cells of {r.CellM:0.#} m ranked; trained on {r.TrainingCells:N0} processed cells; intervals from {r.BootstrapSamples} bootstrap samples over {r.BootstrapBlocks} spatial blocks."));
        sb.AppendLine();
        sb.AppendLine($"{"top of area",-12} {"model",8} {"95% interval",-18} {"baseline",8} {"95% interval",-18} {"difference (points)",19} {"95% interval",-18}");
        foreach (var k in RiskEvaluationResult.Levels.Select(l => l.ToString(inv)))
            sb.AppendLine($"{k + "%",-12} {P(r.Capture[k]),8} {Ci(r.CaptureInterval[k], P),-18} {P(r.BaselineCapture[k]),8} {Ci(r.BaselineCaptureInterval[k], P),-18} {D(r.CaptureDifference[k]),19} {Ci(r.CaptureDifferenceInterval[k], D),-18}");
        sb.AppendLine($"{"PR-AUC",-12} {N(r.PrAuc),8} {Ci(r.PrAucInterval, N),-18} {N(r.BaselinePrAuc),8} {Ci(r.BaselinePrAucInterval, N),-18}");
        sb.AppendLine($"{"Brier",-12} {N(r.Brier),8} {Ci(r.BrierInterval, N),-18} {N(r.BaselineBrier),8} {Ci(r.BaselineBrierInterval, N),-18}   (on {r.CalibrationCells:N0} cells processed in the test)");
        if (r.Challenger is { } t)
        {
            // The trees' own rows, their Brier score among them (it was printed once, the logistic model's, under this heading).
            sb.AppendLine("Challenger, boosted trees, on the same split and beside the same baseline:");
            foreach (var k in RiskEvaluationResult.Levels.Select(l => l.ToString(inv)))
                sb.AppendLine($"{k + "%",-12} {P(t.Capture[k]),8} {Ci(t.CaptureInterval[k], P),-18} {P(t.BaselineCapture[k]),8} {Ci(t.BaselineCaptureInterval[k], P),-18} {D(t.CaptureDifference[k]),19} {Ci(t.CaptureDifferenceInterval[k], D),-18}");
            sb.AppendLine($"{"PR-AUC",-12} {N(t.PrAuc),8} {Ci(t.PrAucInterval, N),-18}");
            sb.AppendLine($"{"Brier",-12} {N(t.Brier),8} {Ci(t.BrierInterval, N),-18}");
        }
        if (r.MapModel is { } mm)
            sb.AppendLine($"The map would use the {(mm.Chosen == "boosted_trees" ? "boosted trees" : "logistic model")} here ({mm.Reason}): its verdict is the map's.");
        sb.AppendLine();
        if (r.Coefficients.Count > 0)
        {
            // The model's coefficients beside the figures they earned (one column per trained model: one per held-out block).
            sb.AppendLine(r.Coefficients.Count == 1
                ? "Logistic coefficients (calibrated log-odds per standard deviation of each layer); boosted trees' importance (share of split gain):"
                : "Logistic coefficients per held-out block (calibrated log-odds per standard deviation of each layer); boosted trees' importance per block (share of split gain):");
            foreach (var (feature, j) in r.Coefficients[0].Select((c, j) => (c.Feature, j)))
                sb.AppendLine($"  {feature,-20} " + string.Join(" ", r.Coefficients.Select(fold => SignedNumber.Invariant(fold[j].Coefficient).PadLeft(7)))
                    + (r.Challenger is { } ch ? "   importance " + string.Join(" ", ch.Coefficients.Select(fold => fold[j].Coefficient.ToString("0.000", inv).PadLeft(6))) : ""));
            sb.AppendLine();
        }
        sb.AppendLine("Calibration (cells processed in the test, tenths by predicted likelihood; observed share with a find, 95% Wilson interval):");
        foreach (var b in r.Calibration.Where(b => b.Cells > 0))
            sb.AppendLine(string.Create(inv, $"  {N(b.From)}-{N(b.To)}  cells {b.Cells,7:N0}  predicted {N(b.MeanPredicted)}  observed {N(b.Observed)} {Ci(b.ObservedInterval, N)}"));
        foreach (var s in r.Scaling.Where(s => !s.Calibrated || s.SlopeFloored).Take(1))
            sb.AppendLine(s.Calibrated ? "  (Platt slope held at its floor: the score barely orders processed land)" : "  (not calibrated: the likelihood is a relative score)");
        if (r.Folds.Count > 0)
        {
            sb.AppendLine();
            sb.AppendLine("Per held-out block, top 10% of its own cells:");
            foreach (var f in r.Folds)
                sb.AppendLine(string.Create(inv, $"  block {f.Fold + 1,3}  events {f.TestEvents,6:N0}  model {P(f.Capture),7} {Ci(f.CaptureInterval, P),-18} baseline {P(f.BaselineCapture),7} {Ci(f.BaselineCaptureInterval, P),-18} difference {D(f.Difference),6} points {Ci(f.DifferenceInterval, D)}"));
        }
        sb.AppendLine();
        // Each model's verdict, named, the map's one marked: the line after the figures is what a reader quotes.
        var mapUsesTrees = r.MapModel?.Chosen == "boosted_trees";
        if (r.Challenger is { } challenger)
        {
            sb.AppendLine("Verdict, logistic model" + (r.MapModel is not null && !mapUsesTrees ? " (the map's model): " : ": ") + r.Verdict);
            sb.AppendLine("Verdict, boosted trees" + (mapUsesTrees ? " (the map's model): " : ": ") + challenger.Verdict);
        }
        else sb.AppendLine("Verdict: " + r.Verdict);
        sb.AppendLine("Definition: " + RiskEvaluationResult.Definition);
        sb.Append(inv, $"Computed at {now:yyyy-MM-ddTHH:mm:ssZ}.");
        return sb.ToString();
    }
}
