using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Groundtruth.Analysis.Risk;
using Groundtruth.Application.Progress;
using Groundtruth.Application.Storage;

namespace Groundtruth.Application.Risk;

/// <summary>A computed map: where its files are and what it says.</summary>
/// <param name="Legend">What the preview's legend says: the processed cells the model learnt from (few below
/// <see cref="RiskHandler.MinimumTrainingCells"/>), which model maps and why, whether it is calibrated.</param>
public sealed record RiskMapOutput(string Folder, string Area, double CellM, int Epsg, DateOnly KnownBefore, DateTime ComputedAt, IReadOnlyList<TopCell> Top, RiskLegend Legend);

/// <param name="Lon">The cell's centre (WGS84).</param>
public sealed record TopCell(int Rank, double Likelihood, string Status, double Lon, double Lat, IReadOnlyDictionary<string, double> Contributions);

/// <summary>One risk map as a host keeps it (<see cref="RiskMaps"/>): its files in a folder and its top cells read back.</summary>
public static class RiskMapOutputs
{
    /// <summary>The most top cells one request asks for; every kept map holds this many, so asking for fewer never starts a computation.</summary>
    public const int MaxTop = 1000;

    /// <summary>Computes the map into <paramref name="folder"/> with its <paramref name="top"/> highest cells (<see cref="RiskMaps"/> decides when).</summary>
    /// <summary>The cell that asks for none: chosen from the data, as <c>groundtruth risk map</c> chooses it with no <c>--cell</c> (<see cref="RiskHandler.AutomaticCell"/>).</summary>
    public const double AutomaticCell = 0;

    public static async Task<RiskMapOutput> ComputeAsync(DatabaseTarget target, TimeProvider clock, string actor, string folder, double cell, string? place, int top,
        IProgress<WorkProgress>? progress = null)
    {
        Directory.CreateDirectory(folder);
        var tif = Path.Combine(folder, "risk.tif");
        var automatic = cell == AutomaticCell;
        var report = await new RiskHandler(target, clock).MapAsync(
            new RiskMapRequest(tif, automatic ? new RiskOptions() : new RiskOptions(CellM: cell), Place: place, Top: top, Actor: actor, Language: CultureInfo.InvariantCulture,
                AutomaticCell: automatic), progress, CancellationToken.None);
        // The preview is drawn in English; each reader's language is drawn from its legend when asked (RiskPreview.InLanguage).
        RiskPreview.SaveLegend(folder, report.Legend);
        var topJson = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(folder, "risk.top.geojson")))!;
        var cells = topJson["features"]!.AsArray().Select(f =>
        {
            var p = f!["properties"]!;
            var ring = f["geometry"]!["coordinates"]![0]!.AsArray().Select(c => (X: c![0]!.GetValue<double>(), Y: c[1]!.GetValue<double>())).ToList();
            var corners = ring.Take(ring.Count - 1).ToList();
            return new TopCell(
                p["rank"]!.GetValue<int>(),
                p["likelihood"]!.GetValue<double>(),
                p["status"]!.GetValue<string>(),
                Math.Round(corners.Average(c => c.X), 6),
                Math.Round(corners.Average(c => c.Y), 6),
                p["contributions"]!.AsObject().ToDictionary(kv => kv.Key, kv => kv.Value!.GetValue<double>()));
        }).ToList();
        await File.WriteAllTextAsync(Path.Combine(folder, "risk.top.csv"), TopCsv(cells));
        return new RiskMapOutput(folder, report.AreaName, report.Legend.CellM, report.Map.Scene.Grid.Epsg, report.Cutoff, report.ComputedAt, cells, report.Legend);
    }

    /// <summary>The top cells as CSV, marked restricted in its first line (as <c>priorities --format csv</c> is).</summary>
    public static string TopCsv(IReadOnlyList<TopCell> cells)
    {
        var inv = CultureInfo.InvariantCulture;
        var features = cells.SelectMany(c => c.Contributions.Keys).Distinct().ToList();
        var sb = new StringBuilder();
        sb.AppendLine("# " + RiskHandler.Marking);
        sb.AppendLine("rank,lon,lat,likelihood,status" + string.Concat(features.Select(f => "," + f + "_contribution")));
        foreach (var c in cells)
        {
            sb.Append(inv, $"{c.Rank},{c.Lon:R},{c.Lat:R},{c.Likelihood:R},{Export.CsvCell.Text(c.Status)}");
            foreach (var f in features) sb.Append(inv, $",{(c.Contributions.TryGetValue(f, out var v) ? v.ToString("R", inv) : "")}");
            sb.AppendLine();
        }
        return sb.ToString();
    }
}
