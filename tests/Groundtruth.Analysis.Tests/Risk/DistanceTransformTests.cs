using Groundtruth.Analysis.Risk;

namespace Groundtruth.Analysis.Tests.Risk;

public sealed class DistanceTransformTests
{
    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(37, 23, 5)]
    [InlineData(64, 80, 40)]
    [InlineData(50, 50, 0)]
    [InlineData(300, 7, 20)]
    [InlineData(9, 200, 3)]
    public void Compute_EqualsBruteForceNearestSeed(int columns, int rows, int seeds)
    {
        var grid = new RiskGrid(1000, 5000, 30, columns, rows, 32725);
        var rng = new Random(columns * 31 + rows);
        var seed = new bool[grid.Count];
        for (var i = 0; i < seeds; i++) seed[rng.Next(grid.Count)] = true;
        var d = DistanceTransform.Compute(grid, seed);
        var points = Enumerable.Range(0, grid.Count).Where(c => seed[c]).ToList();
        for (var c = 0; c < grid.Count; c++)
        {
            if (points.Count == 0) { float.IsPositiveInfinity(d[c]).ShouldBeTrue(); continue; }
            // The squared distance in cells is a whole number: the transform finds it exactly, then takes its root in metres.
            var squared = points.Min(p => (long)(p % columns - c % columns) * (p % columns - c % columns) + (long)(p / columns - c / columns) * (p / columns - c / columns));
            d[c].ShouldBe(MathF.Sqrt(squared) * 30f, $"cell {c}");
        }
    }

    [Fact]
    public void KernelDensity_OfOneEvent_IntegratesToOneEvent()
    {
        var grid = new RiskGrid(0, 20_000, 100, 200, 200, 32725);
        var density = KernelDensity.Compute(grid, [(10_000, 10_000, 1)], 1000);
        var total = density.Sum(v => (double)v) * 0.01; // km² per cell
        total.ShouldBe(1, 0.02);
        var peak = Array.IndexOf(density, density.Max());
        (peak % 200).ShouldBeInRange(98, 101);
        (peak / 200).ShouldBeInRange(98, 101);
    }

    [Fact]
    public void FillPolygonal_MarksCellsWhoseCentreIsInside_AndLeavesHolesOut()
    {
        var grid = new RiskGrid(0, 100, 10, 10, 10, 32725);
        var f = new NetTopologySuite.Geometries.GeometryFactory();
        var shell = f.CreateLinearRing([new(0, 0), new(100, 0), new(100, 100), new(0, 100), new(0, 0)]);
        var hole = f.CreateLinearRing([new(40, 40), new(60, 40), new(60, 60), new(40, 60), new(40, 40)]);
        var marked = new bool[grid.Count];
        grid.FillPolygonal(f.CreatePolygon(shell, [hole]), c => marked[c] = true);
        marked.Count(m => m).ShouldBe(96);
        marked[grid.CellOf(45, 45)].ShouldBeFalse();
        marked[grid.CellOf(5, 95)].ShouldBeTrue();
    }
}
