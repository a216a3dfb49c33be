using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.FastTree;

namespace Groundtruth.Analysis.Risk;

/// <summary>What the map and the evaluation need of a risk model: a log-odds per cell that splits into per-layer contributions.</summary>
public interface IRiskModel
{
    /// <summary><c>logistic</c> or <c>boosted_trees</c>.</summary>
    string Kind { get; }

    IReadOnlyList<string> Names { get; }

    /// <summary>The log-odds of a cell whose every layer contributes nothing (logistic: the layers at their training means; trees: the expected score).</summary>
    double Intercept { get; }

    double Logit(ReadOnlySpan<double> features);

    /// <summary>Each layer's share of the log-odds: <see cref="Intercept"/> plus these adds up to <see cref="Logit"/>.</summary>
    void Contributions(ReadOnlySpan<double> features, Span<double> into);

    /// <summary>One figure per layer for the evaluation's output: coefficients (logistic) or each layer's share of the trees' split gain (boosted trees).</summary>
    IReadOnlyList<double> Weights { get; }
}

/// <summary>
/// The challenger: gradient-boosted regression trees (Microsoft.ML FastTree, binary log-loss) on the evidence
/// layers, trained on the same rows as <see cref="LogisticModel"/>. The trees are read out of the trained
/// ensemble and walked here (a cell goes left when its value is at most the split's threshold), so scoring 13 M
/// cells needs no ML.NET data view; a test holds the walk equal to ML.NET's own scores. Effort layers
/// (<see cref="EvidenceLayers.EffortLayers"/>) are held constant in training, so no tree splits on them and they
/// can never raise the likelihood. Contributions follow the path of each tree (Saabas): at every split the
/// change in the node's mean training score goes to the split's layer, so they add up to the score less the
/// expected score.
/// </summary>
public sealed class BoostedTreesModel : IRiskModel
{
    /// <summary>Trees, leaves per tree, smallest leaf and learning rate: small, for tens to thousands of training cells.</summary>
    public const int Trees = 60, Leaves = 8, MinimumLeafCells = 20;
    public const double LearningRate = 0.1;

    /// <summary>Training rows beyond this are sampled (seeded) down to it: speed at national scale.</summary>
    public const int MaxRows = 20_000;

    /// <summary>
    /// FastTree's private switch for the forced collections it makes before training (<c>AllowGC</c>), or null when a
    /// later ML.NET no longer has it (then the trees are the same, only slower; a test notices the change).
    /// </summary>
    public static readonly System.Reflection.FieldInfo? AllowForcedCollections = FindAllowGc();

    private static System.Reflection.FieldInfo? FindAllowGc()
    {
        for (var type = typeof(FastTreeBinaryTrainer); type is not null; type = type.BaseType)
            if (type.GetField("AllowGC", System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic) is { FieldType.Name: nameof(Boolean) } field)
                return field;
        return null;
    }

    private readonly Tree[] _trees;
    private readonly double _offset, _slope, _expected;

    /// <summary>Every split of every tree that splits, one after another in one array (<see cref="RawScore"/> walks them).</summary>
    private readonly Split[] _nodes;

    /// <summary>Per tree that splits, in order: where its root is in <see cref="_nodes"/> and where its leaves' shares start in <see cref="_leafShares"/>.</summary>
    private readonly (int Node, int Leaf)[] _roots;

    /// <summary>Per leaf, weight · (leaf value − the tree's expected value): what the leaf adds to the raw score.</summary>
    private readonly double[] _leafShares;

    /// <summary>A split, its children as indices into the same array (≥ 0) or the complement of a leaf of its tree (&lt; 0).</summary>
    private readonly record struct Split(int Feature, float Threshold, int Left, int Right);

    private BoostedTreesModel(string[] names, Tree[] trees, double expected, double offset, double slope, double[] weights, ITransformer? reference, MLContext? ml)
    {
        Names = names;
        _trees = trees;
        (_nodes, _roots, _leafShares) = Flatten(trees);
        _expected = expected;
        _offset = offset;
        _slope = slope;
        Weights = weights;
        _reference = reference;
        _ml = ml;
    }

    public string Kind => "boosted_trees";
    public IReadOnlyList<string> Names { get; }
    public IReadOnlyList<double> Weights { get; }
    public double Intercept => _offset + _slope * _expected;

    private readonly ITransformer? _reference;
    private readonly MLContext? _ml;

    private sealed record Tree(int[] Left, int[] Right, int[] Feature, float[] Threshold, double[] Leaf, double[] Node, double Weight);

    private sealed class Row
    {
        public float[] Features { get; set; } = [];
        public bool Label { get; set; }
    }

    /// <summary>Fits the trees to rows of <paramref name="x"/> (<c>n × names.Count</c>, row-major); deterministic for a seed.</summary>
    public static BoostedTreesModel Fit(IReadOnlyList<string> names, double[] x, bool[] y, int seed)
    {
        var p = names.Count;
        var n = y.Length;
        if (x.Length != n * p) throw new ArgumentException("one row of features per label is needed", nameof(x));
        var positives = y.Count(v => v);
        if (positives == 0 || positives == n)
            throw new RiskDataException($"cannot train: the {n} training cell(s) are all {(positives == 0 ? "without" : "with")} finds");
        var effort = names.Select(EvidenceLayers.EffortLayers.Contains).ToArray();
        // At national scale (tens of thousands of rows per window) the trees learn from a seeded sample of MaxRows.
        var take = RowSample.Take(y, MaxRows, seed);
        var rows = new Row[take.Length];
        for (var r = 0; r < take.Length; r++)
        {
            var i = take[r];
            var f = new float[p];
            for (var j = 0; j < p; j++) f[j] = effort[j] ? 0 : (float)x[i * p + j];
            rows[r] = new Row { Features = f, Label = y[i] };
        }
        var ml = new MLContext(seed);
        var schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, p);
        var view = ml.Data.LoadFromEnumerable(rows, schema);
        var trainer = ml.BinaryClassification.Trainers.FastTree(new FastTreeBinaryTrainer.Options
        {
            NumberOfTrees = Trees,
            NumberOfLeaves = Leaves,
            MinimumExampleCountPerLeaf = Math.Max(1, Math.Min(MinimumLeafCells, n / 10)),
            LearningRate = LearningRate,
            NumberOfThreads = 1,
            FeatureColumnName = nameof(Row.Features),
            LabelColumnName = nameof(Row.Label),
        });
        // FastTree forces two full, blocking garbage collections before it trains (a leftover for a host it no longer
        // targets). In a process holding a national programme's data (1.5 GB of geometries and records) each costs
        // about 0.3 s, and the map fits the trees seven times: 4 of its 26 s at scale 500. Turned off here.
        AllowForcedCollections?.SetValue(trainer, false);
        var fitted = trainer.Fit(view);
        var ensemble = fitted.Model.SubModel.TrainedTreeEnsemble;
        var trees = new Tree[ensemble.Trees.Count];
        for (var t = 0; t < trees.Length; t++)
        {
            var tree = ensemble.Trees[t];
            trees[t] = new Tree([.. tree.LeftChild], [.. tree.RightChild], [.. tree.NumericalSplitFeatureIndexes], [.. tree.NumericalSplitThresholds],
                [.. tree.LeafValues], new double[Math.Max(0, tree.NumberOfNodes)], ensemble.TreeWeights[t]);
        }
        // Effort layers were constant in training, so no tree can split on them; checked, since the map relies on it.
        if (trees.Any(t => t.Node.Length > 0 && t.Feature.Any(j => effort[j])))
            throw new InvalidOperationException("a tree split on an effort layer");
        // Each internal node's mean output over the training rows that reach it (for the path contributions).
        var expected = ensemble.Bias;
        foreach (var tree in trees)
        {
            if (tree.Node.Length == 0)
            {
                expected += tree.Weight * tree.Leaf[0];
                continue;
            }
            var sum = new double[tree.Node.Length];
            var count = new double[tree.Node.Length];
            foreach (var row in rows)
            {
                // The row's leaf, then its path walked again, each node on it given the leaf's value (no list per row: at
                // scale 500 the lists of 60 trees × 20,000 rows × 7 fits were a third of the trees' own time and their collections).
                var node = 0;
                int next;
                while ((next = row.Features[tree.Feature[node]] <= tree.Threshold[node] ? tree.Left[node] : tree.Right[node]) >= 0) node = next;
                var value = tree.Leaf[~next];
                for (node = 0; node >= 0; node = row.Features[tree.Feature[node]] <= tree.Threshold[node] ? tree.Left[node] : tree.Right[node])
                {
                    sum[node] += value;
                    count[node]++;
                }
            }
            for (var k = 0; k < tree.Node.Length; k++) tree.Node[k] = count[k] > 0 ? sum[k] / count[k] : 0;
            expected += tree.Weight * tree.Node[0];
        }
        // Each layer's share of the split gain (ML.NET's feature weights), normalised to sum to 1.
        var gains = default(VBuffer<float>);
        fitted.Model.SubModel.GetFeatureWeights(ref gains);
        var dense = gains.DenseValues().Select(v => (double)v).ToArray();
        var total = dense.Sum();
        var weights = new double[p];
        for (var j = 0; j < p && j < dense.Length; j++) weights[j] = total > 0 ? dense[j] / total : 0;
        return new BoostedTreesModel([.. names], trees, expected, 0, 1, weights, fitted, ml);
    }

    /// <summary>The ensemble's raw score (its bias plus every tree's weighted leaf), before any calibration.</summary>
    /// <remarks>
    /// Walks the flattened splits (<see cref="Flatten"/>): the same comparisons and the same sum in the same order as walking
    /// each <see cref="Tree"/>, so the same bits (scoring every cell of a national grid was a second of processor time).
    /// </remarks>
    public double RawScore(ReadOnlySpan<double> features)
    {
        var s = _expected;
        var nodes = _nodes;
        foreach (var (root, leaves) in _roots)
        {
            var node = root;
            while (true)
            {
                var split = nodes[node];
                var next = (float)features[split.Feature] <= split.Threshold ? split.Left : split.Right;
                if (next < 0)
                {
                    s += _leafShares[leaves + ~next];
                    break;
                }
                node = root + next;
            }
        }
        return s;
    }

    /// <summary>The trees that split, laid end to end for <see cref="RawScore"/>; each leaf's share worked out once.</summary>
    private static (Split[] Nodes, (int Node, int Leaf)[] Roots, double[] LeafShares) Flatten(Tree[] trees)
    {
        var nodes = new List<Split>();
        var roots = new List<(int, int)>();
        var shares = new List<double>();
        foreach (var tree in trees)
        {
            if (tree.Node.Length == 0) continue;
            roots.Add((nodes.Count, shares.Count));
            for (var k = 0; k < tree.Left.Length; k++) nodes.Add(new Split(tree.Feature[k], tree.Threshold[k], tree.Left[k], tree.Right[k]));
            foreach (var leaf in tree.Leaf) shares.Add(tree.Weight * (leaf - tree.Node[0]));
        }
        return ([.. nodes], [.. roots], [.. shares]);
    }

    public double Logit(ReadOnlySpan<double> features) => _offset + _slope * RawScore(features);

    public void Contributions(ReadOnlySpan<double> features, Span<double> into)
    {
        into.Clear();
        var f = features;
        foreach (var tree in _trees)
        {
            if (tree.Node.Length == 0) continue;
            var node = 0;
            while (true)
            {
                var next = (float)f[tree.Feature[node]] <= tree.Threshold[node] ? tree.Left[node] : tree.Right[node];
                var value = next < 0 ? tree.Leaf[~next] : tree.Node[next];
                into[tree.Feature[node]] += _slope * tree.Weight * (value - tree.Node[node]);
                if (next < 0) break;
                node = next;
            }
        }
    }

    /// <summary>The same trees with the log-odds mapped to <paramref name="offset"/> + <paramref name="slope"/> · raw score (Platt scaling).</summary>
    public BoostedTreesModel Rescaled(double offset, double slope) => new([.. Names], _trees, _expected, offset, slope, [.. Weights], _reference, _ml);

    /// <summary>ML.NET's own raw scores for rows of <paramref name="x"/>, for the test that holds <see cref="RawScore"/> to them.</summary>
    public float[] ReferenceScores(double[] x)
    {
        if (_reference is null || _ml is null) throw new InvalidOperationException("no reference model");
        var p = Names.Count;
        var effort = Names.Select(EvidenceLayers.EffortLayers.Contains).ToArray();
        var rows = Enumerable.Range(0, x.Length / p).Select(i => new Row
        {
            Features = [.. Enumerable.Range(0, p).Select(j => effort[j] ? 0f : (float)x[i * p + j])],
        }).ToArray();
        var schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, p);
        var scored = _reference.Transform(_ml.Data.LoadFromEnumerable(rows, schema));
        return [.. scored.GetColumn<float>("Score")];
    }
}
