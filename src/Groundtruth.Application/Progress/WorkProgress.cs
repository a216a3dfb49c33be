namespace Groundtruth.Application.Progress;

/// <summary>
/// How far a long computation has come, reported by use cases through <see cref="IProgress{T}"/> so the CLI
/// (a progress bar on a terminal) and the web pages (a polled status) show the same stages.
/// </summary>
/// <param name="Stage">What is being done now, in the user's words ("reading finds", "buffering records").</param>
/// <param name="Fraction">Share of the whole work done, 0 to 1; null when the stage cannot tell.</param>
public sealed record WorkProgress(string Stage, double? Fraction)
{
    /// <summary>Reports <paramref name="stage"/> as step <paramref name="step"/> (0-based) of <paramref name="steps"/>.</summary>
    public static WorkProgress Step(string stage, int step, int steps) =>
        new(stage, steps <= 0 ? null : Math.Clamp((double)step / steps, 0, 1));
}

/// <summary>Helpers for reporting <see cref="WorkProgress"/> when no one may be listening.</summary>
public static class WorkProgressExtensions
{
    public static void Stage(this IProgress<WorkProgress>? progress, string stage, double? fraction = null) =>
        progress?.Report(new WorkProgress(stage, fraction));
}

/// <summary>
/// Reports on the computing thread (<see cref="Progress{T}"/> would post each report to the thread pool and may reorder
/// them): for the web host's background computations, which keep their last report for a status route to read.
/// </summary>
public sealed class InlineProgress(Action<WorkProgress> report) : IProgress<WorkProgress>
{
    public void Report(WorkProgress value) => report(value);
}
