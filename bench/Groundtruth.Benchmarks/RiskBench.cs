using System.Diagnostics;
using System.Globalization;
using System.Text;
using Groundtruth.Analysis.Records;
using Groundtruth.Analysis.Risk;
using Groundtruth.Domain;
using NetTopologySuite.Geometries;

namespace Groundtruth.Benchmarks;

/// <summary>
/// The risk map at national scale: a fictional square programme of about 11,667 km² at 30 m cells
/// (≈ 13 M cells) with 5,000 finds, 1,000 accidents, 150 records of three sources, 600 worked areas and
/// 21 lines; all layers, training and inference timed, peak resident set reported (VmHWM). In the same
/// run, GDAL's gdal_rasterize + gdal_proximity.py compute the distance to the finds on the same grid,
/// and the ratio to our rasterisation + distance transform of the same layer is reported.
/// usage: risk [--cell M] [--side KM] [--no-gdal] [--dir DIR]
/// </summary>
internal static class RiskBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        var cell = 30.0;
        var sideKm = Math.Sqrt(11_667);
        var gdal = true;
        string? dir = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--cell": cell = double.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--side": sideKm = double.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--no-gdal": gdal = false; break;
                case "--dir": dir = args[++i]; break;
                default: throw new ArgumentException($"risk: unknown option {args[i]}");
            }
        }
        dir ??= Path.Combine(Path.GetTempPath(), "groundtruth-risk-bench-" + Environment.ProcessId);
        Directory.CreateDirectory(dir);
        var data = Programme(sideKm, seed: 1);
        var options = new RiskOptions(CellM: cell);
        var cutoff = new DateOnly(2025, 1, 1);

        var total = Stopwatch.StartNew();
        var scene = new RiskScene(data, cell);
        var sceneS = total.Elapsed.TotalSeconds;
        var trained = RiskModel.Train(scene, cutoff, options);
        var trainS = total.Elapsed.TotalSeconds - sceneS;
        var layers = EvidenceLayers.Build(scene, cutoff, options);
        var layersS = total.Elapsed.TotalSeconds - sceneS - trainS;
        var likelihood = RiskModel.Predict(trained.Model, layers, scene.Mask);
        total.Stop();
        var inferS = total.Elapsed.TotalSeconds - sceneS - trainS - layersS;
        var grid = scene.Grid;
        Output.Note(string.Create(CultureInfo.InvariantCulture,
            $"risk map: {grid.Columns}×{grid.Rows} = {grid.Count:N0} cells of {cell} m ({scene.MaskCount * cell * cell / 1e6:N0} km² in the area): {total.Elapsed.TotalSeconds:F2} s (scene {sceneS:F2}, training layers + fit {trainS:F2}, layers {layersS:F2}, inference {inferS:F2}), peak {PeakMb():F0} MB"));

        // One distance layer, ours: burn the finds into the grid and transform.
        var sw = Stopwatch.StartNew();
        var seeds = new bool[grid.Count];
        foreach (var c in scene.FindCells) if (c >= 0) seeds[c] = true;
        var ours = DistanceTransform.Compute(grid, seeds);
        sw.Stop();
        var oursS = sw.Elapsed.TotalSeconds;
        GC.KeepAlive(likelihood);

        double? gdalS = null;
        string? agreement = null;
        if (gdal)
        {
            var csv = Path.Combine(dir, "finds.geojson");
            var sb = new StringBuilder("{\"type\":\"FeatureCollection\",\"features\":[");
            var first = true;
            foreach (var (x, y) in scene.FindXy)
            {
                sb.Append(CultureInfo.InvariantCulture, $"{(first ? "" : ",")}{{\"type\":\"Feature\",\"properties\":{{}},\"geometry\":{{\"type\":\"Point\",\"coordinates\":[{x:R},{y:R}]}}}}");
                first = false;
            }
            sb.Append("]}");
            await File.WriteAllTextAsync(csv, sb.ToString());
            var seedsTif = Path.Combine(dir, "seeds.tif");
            var proximity = Path.Combine(dir, "proximity.tif");
            File.Delete(seedsTif);
            File.Delete(proximity);
            var g = Stopwatch.StartNew();
            Run("gdal_rasterize", string.Create(CultureInfo.InvariantCulture,
                $"-q -burn 1 -ot Byte -init 0 -a_srs EPSG:{grid.Epsg} -te {grid.MinX:R} {grid.MinY:R} {grid.MaxX:R} {grid.MaxY:R} -tr {cell:R} {cell:R} \"{csv}\" \"{seedsTif}\""));
            Run("gdal_proximity.py", $"-q \"{seedsTif}\" \"{proximity}\" -values 1 -distunits GEO -ot Float32");
            g.Stop();
            gdalS = g.Elapsed.TotalSeconds;
            // Agreement at a few cells (GDAL's proximity is exact Euclidean between cell centres too).
            var rng = new Random(3);
            var worst = 0.0;
            for (var k = 0; k < 20; k++)
            {
                var c = rng.Next(grid.Count);
                var (col, row) = (c % grid.Columns, c / grid.Columns);
                var text = Run("gdallocationinfo", $"-valonly \"{proximity}\" {col} {row}").Trim();
                var theirs = double.Parse(text, CultureInfo.InvariantCulture);
                worst = Math.Max(worst, Math.Abs(theirs - ours[c]));
            }
            agreement = string.Create(CultureInfo.InvariantCulture, $"largest difference at 20 sampled cells: {worst:F3} m");
            Output.Note(string.Create(CultureInfo.InvariantCulture,
                $"distance to finds: ours {oursS:F2} s, GDAL gdal_rasterize + gdal_proximity.py {gdalS:F2} s, ratio GDAL/ours {gdalS / oursS:F1}×; {agreement}"));
        }
        Output.Json(new Dictionary<string, object?>
        {
            ["bench"] = "risk-map",
            ["cells"] = grid.Count,
            ["cell_m"] = cell,
            ["area_km2"] = Math.Round(scene.MaskCount * cell * cell / 1e6, 1),
            ["total_s"] = Math.Round(total.Elapsed.TotalSeconds, 3),
            ["scene_s"] = Math.Round(sceneS, 3),
            ["training_s"] = Math.Round(trainS, 3),
            ["layers_s"] = Math.Round(layersS, 3),
            ["inference_s"] = Math.Round(inferS, 3),
            ["peak_mb"] = Math.Round(PeakMb(), 1),
            ["distance_ours_s"] = Math.Round(oursS, 3),
            ["distance_gdal_s"] = gdalS is null ? null : Math.Round(gdalS.Value, 3),
            ["gdal_over_ours"] = gdalS is null ? null : Math.Round(gdalS.Value / oursS, 2),
            ["agreement"] = agreement,
        });
        return 0;
    }

    private static string Run(string file, string arguments)
    {
        var psi = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"{file} did not start");
        var output = p.StandardOutput.ReadToEnd();
        var error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{file} failed: {error}");
        return output;
    }

    private static double PeakMb()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
        return double.NaN;
    }

    /// <summary>A fictional programme in the open South Atlantic, square, of the given side.</summary>
    internal static RiskData Programme(double sideKm, int seed)
    {
        var rng = new Random(seed);
        var f = new GeometryFactory(new PrecisionModel(), SpatialRules.Wgs84);
        const double lat0 = -31.4, lon0 = -24.0;
        var dLat = sideKm / 110.9;
        var dLon = sideKm / (111.32 * Math.Cos(lat0 * Math.PI / 180));
        Polygon Box(double lon, double lat, double halfLon, double halfLat) => f.CreatePolygon(
            [new(lon - halfLon, lat - halfLat), new(lon + halfLon, lat - halfLat), new(lon + halfLon, lat + halfLat), new(lon - halfLon, lat + halfLat), new(lon - halfLon, lat - halfLat)]);
        var area = Box(lon0, lat0, dLon / 2, dLat / 2);
        double Lon() => lon0 - dLon / 2 + rng.NextDouble() * dLon;
        double Lat() => lat0 - dLat / 2 + rng.NextDouble() * dLat;
        PartialDate Day() => PartialDate.FromDate(new DateOnly(2005, 1, 1).AddDays(rng.Next(20 * 365)));
        var lines = new List<RiskLineInput>
        {
            new("front", LineKind.FrontLine, f.CreateMultiLineString([f.CreateLineString([.. Enumerable.Range(0, 40).Select(i => new Coordinate(lon0 + 0.05 * Math.Sin(i / 3.0), lat0 + dLat / 2 - i * dLat / 39))])])),
        };
        for (var i = 0; i < 20; i++)
            lines.Add(new($"road{i}", LineKind.Road, f.CreateMultiLineString([f.CreateLineString([new(Lon(), Lat()), new(Lon(), Lat()), new(Lon(), Lat())])])));
        var sites = Enumerable.Range(0, 600).Select(_ => (Lon: lon0 + 0.08 * Normal(rng), Lat: Lat())).ToList();
        var finds = new List<FindInput>();
        var accidents = new List<AccidentInput>();
        var processed = new List<ProcessedLandInput>();
        var surveys = new List<SurveyInput>();
        var hazards = new List<DatedAreaInput>();
        var releases = new List<DatedAreaInput>();
        var records = new List<RiskRecordInput>();
        for (var i = 0; i < sites.Count; i++)
        {
            var (lon, lat) = sites[i];
            var start = Day();
            var box = Box(lon, lat, 0.004, 0.004);
            processed.Add(new ProcessedLandInput($"P{i}", box, start, PartialDate.FromDate(start.Start.AddDays(120))));
            surveys.Add(new SurveyInput($"S{i}", box, PartialDate.FromDate(start.Start.AddDays(-60))));
            hazards.Add(new DatedAreaInput($"H{i}", box, PartialDate.FromDate(start.Start.AddDays(-60))));
            releases.Add(new DatedAreaInput($"L{i}", box, PartialDate.FromDate(start.Start.AddDays(120))));
            if (i < 150) records.Add(new RiskRecordInput(new RecordInput($"R{i}", $"Party {i % 3}", Box(lon, lat, 0.002, 0.002), 20, null, null), PartialDate.Parse("2004")));
        }
        for (var k = 0; k < 5000; k++)
        {
            var p = processed[rng.Next(processed.Count)];
            var env = p.Area.EnvelopeInternal;
            finds.Add(new FindInput($"F{k}", env.MinX + rng.NextDouble() * env.Width, env.MinY + rng.NextDouble() * env.Height, 1, OrdnanceCategory.AntiPersonnelMine, Emplacement.Emplaced,
                PartialDate.FromDate(p.Start!.Value.Start.AddDays(rng.Next(120)))));
        }
        for (var k = 0; k < 1000; k++)
        {
            var (lon, lat) = rng.NextDouble() < 0.7 ? sites[rng.Next(sites.Count)] : (Lon(), Lat());
            accidents.Add(new AccidentInput($"A{k}", lon + 0.003 * Normal(rng), lat + 0.003 * Normal(rng), AccidentKind.MineErw, OrdnanceCategory.AntiPersonnelMine, Day(), 10));
        }
        return new RiskData(area, finds, accidents, records, lines, hazards, releases, surveys, processed);
    }

    private static double Normal(Random rng) => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
}
