using System.Runtime.Intrinsics;

namespace Groundtruth.Analysis.Risk;

/// <summary>
/// Logistic regression on standardised features with a ridge (L2) penalty, fitted by iteratively
/// reweighted least squares (Newton's method). Interpretable by construction: a coefficient is the change
/// in log-odds for one standard deviation of its feature, and a cell's score is the sum of its features'
/// contributions (coefficient × standardised value) plus the intercept (docs/decisions/0007-risk-model.md).
/// Fitted with <c>bounded</c>, a feature is read within the range it took among the training rows, as trees read it:
/// a layer that barely varied in training (event density in a window with few earlier events) is not stretched by
/// its tiny standard deviation into contributions of thousands of log-odds where it varies more
/// (docs/decisions/0037-the-logistic-model-reads-layers-within-their-training-range.md).
/// </summary>
public sealed class LogisticModel : IRiskModel
{
    private LogisticModel(string[] names, double[] means, double[] scales, double intercept, double[] coefficients, int positives, int negatives, int[] signs, double[]? lows = null, double[]? highs = null)
    {
        (Names, Means, Scales, Intercept, Coefficients, Positives, Negatives, Signs) = (names, means, scales, intercept, coefficients, positives, negatives, signs);
        (_lows, _highs) = (lows, highs);
    }

    private readonly double[]? _lows, _highs;

    /// <summary>Whether each feature is read within its training range (<see cref="Low"/>..<see cref="High"/>).</summary>
    public bool Bounded => _lows is not null;

    /// <summary>The lowest value of feature <paramref name="j"/> among the training rows (−∞ when not <see cref="Bounded"/>).</summary>
    public double Low(int j) => _lows?[j] ?? double.NegativeInfinity;

    /// <summary>The highest value of feature <paramref name="j"/> among the training rows (+∞ when not <see cref="Bounded"/>).</summary>
    public double High(int j) => _highs?[j] ?? double.PositiveInfinity;

    public IReadOnlyList<string> Names { get; }
    public IReadOnlyList<double> Means { get; }
    public IReadOnlyList<double> Scales { get; }
    public double Intercept { get; }
    /// <summary>Per standard deviation of each feature, in log-odds.</summary>
    public IReadOnlyList<double> Coefficients { get; }
    public int Positives { get; }
    public int Negatives { get; }
    /// <summary>The sign each coefficient was constrained to: +1 not below 0, −1 not above 0, 0 free.</summary>
    public IReadOnlyList<int> Signs { get; }

    /// <summary>
    /// Fits the model to rows of <paramref name="x"/> (<c>n × names.Count</c>, row-major) and their labels, with
    /// each coefficient kept to its sign in <paramref name="signs"/> (+1 not below 0, −1 not above 0, 0 free): a
    /// feature whose unconstrained coefficient takes the forbidden sign is held at 0 (the one furthest wrong
    /// first) and the rest refitted, until every coefficient keeps its sign. <paramref name="bounded"/>: the model reads
    /// each feature within the range it took among these rows (a value beyond it counts as the nearest end).
    /// </summary>
    /// <param name="maxRows">With more rows than this, the fit learns from a seeded sample of this many (both labels kept), as
    /// the trees do (<see cref="BoostedTreesModel.MaxRows"/>); the model keeps the number so its refits sample alike
    /// (<see cref="MaxRows"/>). The counts of positives and negatives it reports are the rows given.</param>
    public static LogisticModel Fit(IReadOnlyList<string> names, double[] x, bool[] y, double l2, IReadOnlyList<int>? signs = null, bool bounded = false, int maxRows = int.MaxValue)
    {
        var p = names.Count;
        var sign = signs is null ? new int[p] : [.. signs];
        if (sign.Length != p) throw new ArgumentException("one sign per feature is needed", nameof(signs));
        if (x.Length != y.Length * p) throw new ArgumentException("one row of features per label is needed", nameof(x));
        var given = (Positives: y.Count(v => v), Rows: y.Length);
        if (given.Positives == 0 || given.Positives == given.Rows)
            throw new RiskDataException($"cannot train: the {given.Rows} processed cell(s) in the training window are all {(given.Positives == 0 ? "without" : "with")} finds");
        (x, y) = Sample(x, y, p, maxRows);
        var n = y.Length;
        var positives = y.Count(v => v);

        // Each feature's mean, standard deviation and range over the rows: the same for every refit holding features at 0.
        var means = new double[p];
        var scales = new double[p];
        var lows = bounded ? new double[p] : null;
        var highs = bounded ? new double[p] : null;
        for (var j = 0; j < p; j++)
        {
            double s = 0, ss = 0, low = double.PositiveInfinity, high = double.NegativeInfinity;
            for (var i = 0; i < n; i++)
            {
                var v = x[i * p + j];
                s += v;
                low = Math.Min(low, v);
                high = Math.Max(high, v);
            }
            if (lows is not null) (lows[j], highs![j]) = (low, high);
            var m = s / n;
            for (var i = 0; i < n; i++) ss += (x[i * p + j] - m) * (x[i * p + j] - m);
            means[j] = m;
            var sd = Math.Sqrt(ss / n);
            scales[j] = sd > 1e-12 ? sd : 0; // a constant feature carries no information: its coefficient stays 0
        }
        var held = new bool[p];
        // One buffer for the standardised rows of every refit (each fills as many columns as it fits): at scale 500 a
        // fresh one per refit was 15 MB on the large-object heap five times a fit, and the collections it brought on.
        var z = GC.AllocateUninitializedArray<double>(n * (p + 1));
        // Each refit starts from the last fit's coefficients (the features' means and scales are the same): a few Newton
        // steps from near the optimum instead of all of them from the prior.
        LogisticModel? last = null;
        while (true)
        {
            var m = FitHolding(names, x, y, l2, held, sign, z, positives, means, scales, lows, highs, last);
            last = m;
            var worst = -1;
            var worstValue = 0.0;
            for (var j = 0; j < p; j++)
            {
                var wrong = sign[j] * m.Coefficients[j] < 0 ? Math.Abs(m.Coefficients[j]) : 0;
                if (wrong > worstValue) (worst, worstValue) = (j, wrong);
            }
            if (worst < 0) return maxRows == int.MaxValue ? m : m.Counted(given.Positives, given.Rows - given.Positives, maxRows);
            held[worst] = true;
        }
    }

    /// <summary>The rows a fit of at most <paramref name="maxRows"/> learns from (<see cref="RowSample"/>): all of them, or a seeded sample in their order.</summary>
    private static (double[] X, bool[] Y) Sample(double[] x, bool[] y, int p, int maxRows)
    {
        if (y.Length <= maxRows) return (x, y);
        var take = RowSample.Take(y, maxRows, SampleSeed);
        if (take.Length == y.Length) return (x, y);
        var xs = new double[take.Length * p];
        var ys = new bool[take.Length];
        for (var r = 0; r < take.Length; r++)
        {
            Array.Copy(x, take[r] * p, xs, r * p, p);
            ys[r] = y[take[r]];
        }
        return (xs, ys);
    }

    /// <summary>The seed of <see cref="Sample"/>: fixed, so the same rows give the same fit.</summary>
    internal const int SampleSeed = 1;

    /// <summary>Rows beyond which a risk model's logistic fit learns from a sample (<see cref="Fit"/>'s <c>maxRows</c>; docs/decisions/0045-…).</summary>
    public const int NationalMaxRows = 50_000;

    /// <summary>The most rows this model learnt from (<see cref="Fit"/>'s <c>maxRows</c>): its refits (the calibration's folds) sample alike.</summary>
    public int MaxRows { get; private init; } = int.MaxValue;

    private LogisticModel Counted(int positives, int negatives, int maxRows) =>
        new([.. Names], [.. Means], [.. Scales], Intercept, [.. Coefficients], positives, negatives, [.. Signs], _lows, _highs) { MaxRows = maxRows };

    /// <param name="z">Room for the standardised rows, at least <c>rows × (fitted features + 1)</c>; what lies beyond is not read.</param>
    /// <param name="from">Where Newton's method starts (its intercept and its coefficients of the features fitted); null: the prior log-odds, no slope.</param>
    private static LogisticModel FitHolding(IReadOnlyList<string> names, double[] x, bool[] y, double l2, bool[] held, int[] signs, double[] z,
        int positives, double[] means, double[] scales, double[]? lows, double[]? highs, LogisticModel? from = null)
    {
        var p = names.Count;
        var n = y.Length;
        // Only the features that can move are fitted: a held or constant feature's coefficient stays 0, and leaving its
        // column out gives the others the same bits as fitting it as a zero column did (each sum meets only zeros for it:
        // its Hessian row and gradient are 0, and the Cholesky factor's entries for it off the diagonal are 0), for
        // (active/all)² of the work — most refits hold a feature or more (issue 11).
        var active = Enumerable.Range(0, p).Where(j => !held[j] && scales[j] > 0).ToArray();
        var q = active.Length + 1;
        for (var i = 0; i < n; i++)
        {
            z[i * q] = 1;
            for (var a = 0; a < active.Length; a++)
            {
                var j = active[a];
                z[i * q + a + 1] = (x[i * p + j] - means[j]) / scales[j];
            }
        }

        var beta = new double[q];
        var prior = (double)positives / n;
        beta[0] = Math.Log(prior / (1 - prior));
        if (from is not null)
        {
            beta[0] = from.Intercept;
            for (var a = 0; a < active.Length; a++) beta[a + 1] = from.Coefficients[active[a]];
        }
        var h = new double[q * q];
        var g = new double[q];
        var hNext = new double[q * q];
        var gNext = new double[q];
        var current = Pass(z, y, q, l2, beta, h, g);
        var candidate = new double[q];
        for (var iteration = 0; iteration < MaxNewtonSteps; iteration++)
        {
            var step = Solve(h, g, q);
            // Damped Newton: a step longer than 2 log-odds is shortened, so near-separable data cannot diverge.
            var longest = step.Max(Math.Abs);
            if (longest > 2) for (var j = 0; j < q; j++) step[j] *= 2 / longest;
            // Backtracking (Armijo): the step is halved until the penalised log-likelihood rises by a share of what the
            // gradient promises. Without it, on a few dozen positives the full steps could circle the optimum without
            // reaching it (seen on demo seed 2: 200 steps, the fit 28 log-likelihood units short of the optimum).
            // The full step is tried with the whole pass (the next Hessian and gradient with its objective), so a step
            // taken whole, the usual case, costs one pass over the rows; halved steps are judged on the objective alone.
            var promised = 0.0;
            for (var j = 0; j < q; j++) promised += g[j] * step[j];
            // Newton's decrement: when the step promises less than the objective's last digits can show, the optimum is reached.
            // The step is taken whole and the fit ends (before, the line search halved it up to 39 times against rounding
            // noise: a third of the passes at scale 500).
            if (promised <= 1e-12 * Math.Abs(current))
            {
                for (var j = 0; j < q; j++) beta[j] += step[j];
                break;
            }
            var t = 1.0;
            for (var j = 0; j < q; j++) candidate[j] = beta[j] + step[j];
            var next = Pass(z, y, q, l2, candidate, hNext, gNext);
            var moved = next >= current + 1e-4 * promised;
            var passed = moved;
            for (var halving = 1; !moved && halving < 40; halving++)
            {
                t /= 2;
                for (var j = 0; j < q; j++) candidate[j] = beta[j] + t * step[j];
                next = Objective(z, y, q, l2, candidate);
                moved = next >= current + 1e-4 * t * promised;
            }
            if (!moved) break; // no step raises the objective measurably: at the optimum to the precision of doubles
            var change = 0.0;
            for (var j = 0; j < q; j++)
            {
                change = Math.Max(change, Math.Abs(candidate[j] - beta[j]));
                beta[j] = candidate[j];
            }
            current = next;
            if (change < 1e-9) break;
            if (passed) (h, hNext, g, gNext) = (hNext, h, gNext, g);
            else current = Pass(z, y, q, l2, beta, h, g);
        }
        var coefficients = new double[p];
        for (var a = 0; a < active.Length; a++) coefficients[active[a]] = beta[a + 1];
        return new LogisticModel([.. names], means, scales, beta[0], coefficients, positives, n - positives, signs, lows, highs);
    }

    /// <summary>The same model with its log-odds mapped to <paramref name="intercept"/> + <paramref name="slope"/> · log-odds (Platt scaling): contributions keep adding up.</summary>
    public LogisticModel Rescaled(double intercept, double slope) =>
        new([.. Names], [.. Means], [.. Scales], intercept + slope * Intercept, [.. Coefficients.Select(c => slope * c)], Positives, Negatives, [.. Signs], _lows, _highs) { MaxRows = MaxRows };

    /// <summary>The log-odds for one cell's raw features.</summary>
    public double Logit(ReadOnlySpan<double> features)
    {
        var eta = Intercept;
        for (var j = 0; j < Coefficients.Count; j++) eta += Contribution(j, features[j]);
        return eta;
    }

    public double Probability(ReadOnlySpan<double> features) => Sigmoid(Logit(features));

    public string Kind => "logistic";

    public IReadOnlyList<double> Weights => Coefficients;

    public void Contributions(ReadOnlySpan<double> features, Span<double> into)
    {
        for (var j = 0; j < Coefficients.Count; j++) into[j] = Contribution(j, features[j]);
    }

    /// <summary>Feature <paramref name="j"/>'s share of the log-odds: coefficient × standardised value (read within the training range when <see cref="Bounded"/>).</summary>
    public double Contribution(int j, double value)
    {
        if (!(Scales[j] > 0)) return 0;
        if (_lows is not null) value = Math.Clamp(value, _lows[j], _highs![j]);
        return Coefficients[j] * (value - Means[j]) / Scales[j];
    }

    /// <summary>Newton steps at most per fit; with the line search a fit needs a handful.</summary>
    private const int MaxNewtonSteps = 200;

    /// <summary>
    /// One pass over the rows at <paramref name="beta"/>: the penalised log-likelihood's Hessian (negated, so positive
    /// definite) into <paramref name="h"/> and gradient into <paramref name="g"/>, and the objective itself, as
    /// <see cref="Objective"/> computes it (the same row loss and penalty, in the same order).
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static double Pass(double[] z, bool[] y, int q, double l2, double[] beta, double[] h, double[] g)
    {
        Array.Clear(h);
        Array.Clear(g);
        var total = 0.0;
        // The rows a block at a time, turned into columns (each column's values, and the same times the row's weight), so the
        // Hessian's entries and the gradient are dot products of columns, four products at a time (issue 16: adding each row's
        // outer product entry by entry, short spans at a time, was a tenth of the risk map's processor time at scale 500).
        var columns = new double[q * PassBlock];
        var weighted = new double[q * PassBlock];
        var residuals = new double[PassBlock];
        for (var start = 0; start < y.Length; start += PassBlock)
        {
            var count = Math.Min(PassBlock, y.Length - start);
            for (var t = 0; t < count; t++)
            {
                var i = start + t;
                var row = z.AsSpan(i * q, q);
                double eta = 0;
                for (var j = 0; j < q; j++) eta += row[j] * beta[j];
                // One exponential serves the row's log-likelihood and its probability (both read exp(−|eta|), the same bits as apart).
                var e = Math.Exp(-Math.Abs(eta));
                total += LogLikelihood(eta, y[i], e);
                var mu = Sigmoid(eta, e);
                var w = Math.Max(mu * (1 - mu), 1e-12);
                residuals[t] = (y[i] ? 1 : 0) - mu;
                for (var j = 0; j < q; j++)
                {
                    columns[j * PassBlock + t] = row[j];
                    weighted[j * PassBlock + t] = w * row[j];
                }
            }
            var r = residuals.AsSpan(0, count);
            for (var j = 0; j < q; j++)
            {
                var column = columns.AsSpan(j * PassBlock, count);
                g[j] += Dot(column, r);
                var wj = weighted.AsSpan(j * PassBlock, count);
                for (var k = 0; k <= j; k++) h[j * q + k] += Dot(wj, columns.AsSpan(k * PassBlock, count));
            }
        }
        total = Penalised(total, beta, q, l2);
        for (var j = 1; j < q; j++)
        {
            g[j] -= l2 * beta[j];
            h[j * q + j] += l2;
        }
        for (var j = 0; j < q; j++)
            for (var k = j + 1; k < q; k++) h[j * q + k] = h[k * q + j];
        return total;
    }

    /// <summary>The penalised log-likelihood of <paramref name="beta"/> on the standardised rows <paramref name="z"/> (intercept first, not penalised).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static double Objective(double[] z, bool[] y, int q, double l2, double[] beta)
    {
        var total = 0.0;
        for (var i = 0; i < y.Length; i++)
        {
            double eta = 0;
            for (var j = 0; j < q; j++) eta += z[i * q + j] * beta[j];
            total += LogLikelihood(eta, y[i], Math.Exp(-Math.Abs(eta)));
        }
        return Penalised(total, beta, q, l2);
    }

    /// <summary>
    /// A row's log-likelihood: log σ(eta) for a positive, log σ(−eta) for a negative, that is −softplus(∓eta), computed without
    /// overflow from <paramref name="e"/> = exp(−|eta|) (for u = ∓eta, exp(−u) when u &gt; 0 and exp(u) otherwise are both it).
    /// </summary>
    private static double LogLikelihood(double eta, bool positive, double e)
    {
        var u = positive ? -eta : eta;
        return -(u > 0 ? u + Math.Log(1 + e) : Math.Log(1 + e));
    }

    /// <summary><paramref name="logLikelihood"/> less the ridge penalty on each coefficient in turn (the intercept, first, is not penalised).</summary>
    private static double Penalised(double logLikelihood, double[] beta, int q, double l2)
    {
        for (var j = 1; j < q; j++) logLikelihood -= 0.5 * l2 * beta[j] * beta[j];
        return logLikelihood;
    }

    public static double Sigmoid(double eta) => Sigmoid(eta, Math.Exp(-Math.Abs(eta)));

    /// <summary>σ(eta) from <paramref name="e"/> = exp(−|eta|): 1 / (1 + e) for eta ≥ 0, e / (1 + e) below, without overflow.</summary>
    private static double Sigmoid(double eta, double e) => eta >= 0 ? 1 / (1 + e) : e / (1 + e);

    /// <summary>Rows a <see cref="Pass"/> turns into columns at a time.</summary>
    private const int PassBlock = 256;

    /// <summary>
    /// Σ a[k]·b[k] in four running sums (k mod 4), added as (s0 + s1) + (s2 + s3), then the last few products in order: four
    /// lanes at a time where the processor can, the same sums one at a time where it cannot (no fused multiply-add), so the
    /// fit is the same bits on every machine.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        var k = 0;
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        var whole = a.Length - a.Length % 4;
        if (Vector256.IsHardwareAccelerated)
        {
            var sum = Vector256<double>.Zero;
            for (; k < whole; k += 4) sum += Vector256.Create<double>(a[k..]) * Vector256.Create<double>(b[k..]);
            (s0, s1, s2, s3) = (sum[0], sum[1], sum[2], sum[3]);
        }
        else
        {
            for (; k < whole; k += 4)
            {
                s0 += a[k] * b[k];
                s1 += a[k + 1] * b[k + 1];
                s2 += a[k + 2] * b[k + 2];
                s3 += a[k + 3] * b[k + 3];
            }
        }
        var total = (s0 + s1) + (s2 + s3);
        for (; k < a.Length; k++) total += a[k] * b[k];
        return total;
    }

    /// <summary>Cholesky solve of the symmetric positive definite system a·x = b.</summary>
    private static double[] Solve(double[] a, double[] b, int n)
    {
        var l = new double[n * n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j <= i; j++)
            {
                var s = a[i * n + j];
                for (var k = 0; k < j; k++) s -= l[i * n + k] * l[j * n + k];
                l[i * n + j] = i == j ? Math.Sqrt(Math.Max(s, 1e-12)) : s / l[j * n + j];
            }
        }
        var y = new double[n];
        for (var i = 0; i < n; i++)
        {
            var s = b[i];
            for (var k = 0; k < i; k++) s -= l[i * n + k] * y[k];
            y[i] = s / l[i * n + i];
        }
        var x = new double[n];
        for (var i = n - 1; i >= 0; i--)
        {
            var s = y[i];
            for (var k = i + 1; k < n; k++) s -= l[k * n + i] * x[k];
            x[i] = s / l[i * n + i];
        }
        return x;
    }
}
