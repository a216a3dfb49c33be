namespace Groundtruth.Analysis.Risk;

/// <summary>
/// Reports how far a risk computation has come: a stage in the user's words and the share of the whole
/// work done (0 to 1). A part of the work gets a slice of the range (<see cref="Part"/>), so nested steps
/// report on one scale. Does nothing when no one listens.
/// </summary>
public sealed class RiskProgress
{
    private readonly Action<string, double>? _report;
    private readonly double _from;
    private readonly double _to;

    public RiskProgress(Action<string, double>? report, double from = 0, double to = 1)
    {
        _report = report;
        _from = from;
        _to = to;
    }

    /// <summary>Listens to nothing.</summary>
    public static readonly RiskProgress None = new(null);

    /// <summary>Reports <paramref name="stage"/> at <paramref name="fraction"/> of this part.</summary>
    public void Report(string stage, double fraction = 0) =>
        _report?.Invoke(stage, _from + (_to - _from) * Math.Clamp(fraction, 0, 1));

    /// <summary>The slice [<paramref name="from"/>, <paramref name="to"/>] of this part, as a part of its own.</summary>
    public RiskProgress Part(double from, double to) =>
        _report is null ? this : new RiskProgress(_report, _from + (_to - _from) * from, _from + (_to - _from) * to);
}
