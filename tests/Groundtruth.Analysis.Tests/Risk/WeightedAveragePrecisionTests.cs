using Groundtruth.Analysis.Risk;
using Shouldly;

namespace Groundtruth.Analysis.Tests.Risk;

/// <summary>
/// The evaluation's average precision, weighted by block as the bootstrap weighs it, against the sum taken cell by cell in
/// ranking order: long ties (a model's plateau) and long runs between them (the baseline's far land) are counted per block
/// there, and must give the same bits.
/// </summary>
public sealed class WeightedAveragePrecisionTests
{
    /// <summary>Cells ranked from the highest score; cells of equal score form one step; precision at each step holding an event, weighted by the share of events it holds.</summary>
    private static double? CellByCell(float[] score, int[] events, int[] block, double[] weights)
    {
        var ranked = Enumerable.Range(0, score.Length).Where(c => !float.IsNaN(score[c])).OrderByDescending(c => score[c]).ToArray();
        var positives = ranked.Where(c => events[c] > 0).Sum(c => weights[block[c]]);
        if (positives <= 0) return null;
        double tp = 0, all = 0, ap = 0;
        for (var i = 0; i < ranked.Length;)
        {
            var end = i;
            double stepTp = 0;
            while (end < ranked.Length && score[ranked[end]] == score[ranked[i]])
            {
                var w = weights[block[ranked[end]]];
                all += w;
                if (events[ranked[end]] > 0) stepTp += w;
                end++;
            }
            tp += stepTp;
            if (stepTp > 0 && all > 0) ap += stepTp / positives * (tp / all);
            i = end;
        }
        return ap;
    }

    /// <summary>A bootstrap sample: how often each of <paramref name="blocks"/> blocks was drawn in as many draws.</summary>
    private static double[] Drawn(Random random, int blocks)
    {
        var weights = new double[blocks];
        for (var i = 0; i < blocks; i++) weights[random.Next(blocks)]++;
        return weights;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void PlateausAndLongRuns_GiveTheSameBits_AsCellByCell(int seed)
    {
        var random = new Random(seed);
        const int cells = 20_000, blocks = 9;
        // A third of the cells tied on one plateau, a third on a few coarse scores, the rest distinct; a few NaN (not ranked).
        var score = Enumerable.Range(0, cells).Select(_ => random.Next(3) switch
        {
            0 => 0.25f,
            1 => random.Next(5) / 10f,
            _ => random.Next(50) == 0 ? float.NaN : (float)random.NextDouble(),
        }).ToArray();
        var events = Enumerable.Range(0, cells).Select(_ => random.Next(40) == 0 ? random.Next(1, 4) : 0).ToArray();
        // Blocks in runs of cells, so long stretches of the ranking meet few blocks.
        var block = Enumerable.Range(0, cells).Select(c => c * blocks / cells).ToArray();
        var uniform = Enumerable.Repeat(1.0, blocks).ToArray();
        RiskEvaluation.WeightedAveragePrecision(score, events, block, uniform).ShouldBe(CellByCell(score, events, block, uniform));
        var drawn = new List<double[]>();
        for (var sample = 0; sample < 20; sample++)
        {
            var weights = Drawn(random, blocks);
            RiskEvaluation.WeightedAveragePrecision(score, events, block, weights).ShouldBe(CellByCell(score, events, block, weights), $"sample {sample}");
            drawn.Add(weights);
        }
        // All the samples at once, as the bootstrap computes them (batched side by side): the same bits, sample by sample, and
        // in a number of samples that is no multiple of any vector's width.
        drawn.Add(Enumerable.Repeat(7.0, blocks).ToArray());
        drawn.Add(uniform);
        drawn.Add([.. Enumerable.Range(0, blocks).Select(b => (double)(b % 3))]);
        var batched = RiskEvaluation.WeightedAveragePrecisions(score, events, block, drawn);
        batched.Length.ShouldBe(drawn.Count);
        for (var sample = 0; sample < drawn.Count; sample++)
            batched[sample].ShouldBe(CellByCell(score, events, block, drawn[sample]), $"batched sample {sample}");
    }

    [Fact]
    public void ManySamplesAtOnce_GiveEachItsOwnBits()
    {
        // Enough samples for several batches on every core; blocks interleaved cell by cell (no run meets few blocks), ties short.
        var random = new Random(11);
        const int cells = 5_000, blocks = 25;
        var score = Enumerable.Range(0, cells).Select(_ => random.Next(400) / 400f).ToArray();
        var events = Enumerable.Range(0, cells).Select(_ => random.Next(25) == 0 ? 1 : 0).ToArray();
        var block = Enumerable.Range(0, cells).Select(_ => random.Next(blocks)).ToArray();
        var drawn = Enumerable.Range(0, 203).Select(_ => Drawn(random, blocks)).ToList();
        drawn[5] = new double[blocks];
        var batched = RiskEvaluation.WeightedAveragePrecisions(score, events, block, drawn);
        batched[5].ShouldBeNull();
        for (var sample = 0; sample < drawn.Count; sample++)
            batched[sample].ShouldBe(CellByCell(score, events, block, drawn[sample]), $"sample {sample}");
    }

    [Theory]
    [InlineData(4)]
    [InlineData(5)]
    public void ScoresOfEverySign_RankAsTheirValues(int seed)
    {
        // The baseline ranks by negative distances; scores may be zero of either sign, tiny or huge, and tie across signs' zeros.
        var random = new Random(seed);
        const int cells = 30_000, blocks = 7;
        float[] special = [0f, -0f, float.Epsilon, -float.Epsilon, 1e30f, -1e30f, float.MaxValue, float.MinValue, -1f, 1f];
        var score = Enumerable.Range(0, cells).Select(_ => random.Next(4) switch
        {
            0 => special[random.Next(special.Length)],
            1 => -(float)(random.NextDouble() * 50_000),
            2 => (float)(random.NextDouble() - 0.5) * 1e-3f,
            _ => -(float)random.Next(300),
        }).ToArray();
        var events = Enumerable.Range(0, cells).Select(_ => random.Next(30) == 0 ? 1 : 0).ToArray();
        var block = Enumerable.Range(0, cells).Select(_ => random.Next(blocks)).ToArray();
        var drawn = Enumerable.Range(0, 9).Select(_ => Drawn(random, blocks)).Append(Enumerable.Repeat(1.0, blocks).ToArray()).ToList();
        var batched = RiskEvaluation.WeightedAveragePrecisions(score, events, block, drawn);
        for (var sample = 0; sample < drawn.Count; sample++)
        {
            var expected = CellByCell(score, events, block, drawn[sample]);
            RiskEvaluation.WeightedAveragePrecision(score, events, block, drawn[sample]).ShouldBe(expected, $"sample {sample}");
            batched[sample].ShouldBe(expected, $"batched sample {sample}");
        }
    }

    [Fact]
    public void NoEventInTheDrawnBlocks_HasNoPrecision()
    {
        float[] score = [0.9f, 0.5f, 0.5f, 0.1f];
        int[] events = [1, 0, 0, 0];
        int[] block = [0, 1, 1, 1];
        RiskEvaluation.WeightedAveragePrecision(score, events, block, [0, 3]).ShouldBeNull();
        RiskEvaluation.WeightedAveragePrecision(score, events, block, [1, 1]).ShouldBe(1.0);
    }
}
