using Groundtruth.Analysis.Records;
using ScottPlot;

namespace Groundtruth.Application.Records;

/// <summary>The coverage-over-buffer curve as a chart: a badly transcribed record catches up as the buffer grows; a wrong one does not.</summary>
public static class CoverageChart
{
    public static void Save(RecordAccuracyReport report, string path)
    {
        var plot = new Plot();
        void Line(RecordAccuracyResult r, string label)
        {
            var points = r.CoverageOverBuffer.Where(c => c.FindCoverage is not null).ToList();
            if (points.Count == 0) return;
            var s = plot.Add.Scatter(points.Select(c => c.BufferM).ToArray(), points.Select(c => c.FindCoverage!.Value * 100).ToArray());
            s.LegendText = label;
        }
        Line(report.Overall, "all records");
        foreach (var (group, result) in report.Groups) Line(result, group);
        plot.Title("Find coverage over buffer size");
        plot.XLabel("buffer around each record (m)");
        plot.YLabel("devices found in processed land inside a record (%)");
        plot.Axes.SetLimitsY(0, 100);
        plot.ShowLegend(Alignment.LowerRight);
        if (Path.GetExtension(path).Equals(".svg", StringComparison.OrdinalIgnoreCase)) plot.SaveSvg(path, 800, 500);
        else plot.SavePng(path, 800, 500);
    }
}
