using Groundtruth.Analysis.Risk;

namespace Groundtruth.Analysis.Tests.Risk;

/// <summary>
/// The logistic model reads each layer within the range it took among its training rows (issue 16): a layer that barely
/// varied in training — event density in a window with almost no earlier event — is not stretched by its tiny standard
/// deviation into contributions of thousands of log-odds where it varies more (docs/decisions/0037-…).
/// </summary>
public sealed class TrainingRangeTests
{
    /// <summary>A feature that varies by a millionth in training, read at 1: the bounded model reads it at its training maximum.</summary>
    [Fact]
    public void Bounded_AValueBeyondTheTrainingRange_CountsAsTheNearestEnd()
    {
        var rng = new Random(5);
        const int n = 600;
        var x = new double[n * 2];
        var y = new bool[n];
        for (var i = 0; i < n; i++)
        {
            x[i * 2] = rng.NextDouble() * 4;
            x[i * 2 + 1] = rng.NextDouble() * 1e-6;
            y[i] = rng.NextDouble() < LogisticModel.Sigmoid(-2 + x[i * 2] + 2e6 * x[i * 2 + 1]);
        }
        var bounded = LogisticModel.Fit(["signal", "flat"], x, y, 1, bounded: true);
        var unbounded = LogisticModel.Fit(["signal", "flat"], x, y, 1);
        // The fit is the same: only the reading of values outside the training rows differs.
        bounded.Coefficients.ShouldBe(unbounded.Coefficients);
        bounded.High(1).ShouldBe(Enumerable.Range(0, n).Max(i => x[i * 2 + 1]));
        bounded.Low(1).ShouldBe(Enumerable.Range(0, n).Min(i => x[i * 2 + 1]));
        for (var i = 0; i < n; i++) bounded.Logit(x.AsSpan(i * 2, 2)).ShouldBe(unbounded.Logit(x.AsSpan(i * 2, 2)), 1e-12);

        // Read at 1, a million times its training range: unbounded, coefficient × (1 − mean) / sd (independent of the model's code).
        var sd = Math.Sqrt(Enumerable.Range(0, n).Select(i => x[i * 2 + 1]).Select(v => v * v).Average() - Math.Pow(Enumerable.Range(0, n).Average(i => x[i * 2 + 1]), 2));
        var expectedUnbounded = unbounded.Coefficients[1] * (1 - unbounded.Means[1]) / sd;
        unbounded.Contribution(1, 1).ShouldBe(expectedUnbounded, Math.Abs(expectedUnbounded) * 1e-6);
        Math.Abs(unbounded.Contribution(1, 1)).ShouldBeGreaterThan(1000);
        bounded.Contribution(1, 1).ShouldBe(bounded.Contribution(1, bounded.High(1)));
        bounded.Contribution(1, -5).ShouldBe(bounded.Contribution(1, bounded.Low(1)));
        Math.Abs(bounded.Contribution(1, 1)).ShouldBeLessThan(10);
        // Platt scaling keeps the range.
        var rescaled = bounded.Rescaled(0.5, 0.3);
        rescaled.Bounded.ShouldBeTrue();
        rescaled.Contribution(1, 1).ShouldBe(0.3 * bounded.Contribution(1, 1), 1e-12);
    }

    /// <summary>
    /// A tiny world: the effort world with every find before 2015 removed and one accident before it kept, mapped at 3 km
    /// (72 cells). Few processed cells with finds, so the training window is doubled back to 2009, when event density was
    /// almost nil among the training cells (all far from that one accident); at the map's cutoff it is large. Read without
    /// bound, one layer would add more than 1,000 log-odds to a cell (measured 1,442); read within its training range, no
    /// contribution of either model exceeds 10 and the likelihood is not 1 everywhere at the top.
    /// </summary>
    [Fact]
    public void TinyWorld_ContributionsStaySensible()
    {
        var full = EffortWorld.Build(5, 30);
        var data = full with
        {
            Finds = [.. full.Finds.Where(f => f.FoundOn.Start.Year >= 2015)],
            Accidents = [.. full.Accidents.Where(a => a.OccurredOn.Start.Year >= 2015).Concat(full.Accidents.Where(a => a.OccurredOn.Start.Year < 2015).Take(1))],
        };
        var map = RiskModel.Map(data, RiskModel.CutoffAfter(RiskModel.LatestDate(data)), new RiskOptions(CellM: 3000, Seed: 7));
        var model = map.Trained.Model;
        model.Bounded.ShouldBeTrue();
        map.Trained.TrainingCells.ShouldBeLessThan(50);
        double worstUnbounded = 0;
        var cells = 0;
        for (var c = 0; c < map.Scene.Grid.Count; c++)
        {
            if (float.IsNaN(map.Likelihood[c])) continue;
            cells++;
            for (var j = 0; j < model.Names.Count; j++)
            {
                var v = map.Layers.Feature(j, c);
                if (model.Scales[j] > 0) worstUnbounded = Math.Max(worstUnbounded, Math.Abs(model.Coefficients[j] * (v - model.Means[j]) / model.Scales[j]));
                var within = Math.Clamp(v, model.Low(j), model.High(j));
                model.Contribution(j, v).ShouldBe(model.Scales[j] > 0 ? model.Coefficients[j] * (within - model.Means[j]) / model.Scales[j] : 0, 1e-9);
            }
        }
        cells.ShouldBeLessThan(100);
        worstUnbounded.ShouldBeGreaterThan(1000, "the world reproduces a layer stretched by its tiny training spread");
        var top = RiskModel.Top(map, 10);
        foreach (var cell in top)
        {
            foreach (var (feature, contribution) in cell.Contributions.Concat(cell.OtherContributions))
                Math.Abs(contribution).ShouldBeLessThan(10, $"cell {cell.Cell} {feature}");
        }
        top.Select(t => t.Likelihood).ShouldContain(l => l < 0.9999);
    }

    /// <summary>
    /// The count the automatic cell of <c>risk map</c> reads (no layer, no fit) is the number of processed rows the
    /// training then learns from, at several cells and cutoffs.
    /// </summary>
    [Theory]
    [InlineData(200, 2020)]
    [InlineData(400, 2020)]
    [InlineData(400, 2024)]
    public void ProcessedTrainingCells_AreTheRowsTheTrainingLearnsFrom(double cell, int year)
    {
        var data = EffortWorld.Build(5, 30);
        var options = new RiskOptions(CellM: cell, Seed: 7);
        var scene = new RiskScene(data, cell);
        var cutoff = new DateOnly(year, 1, 1);
        var counted = RiskModel.ProcessedTrainingCells(scene, cutoff, options);
        counted.ShouldBeGreaterThan(0);
        counted.ShouldBe(RiskModel.Train(scene, cutoff, options).TrainingCells);
    }
}
