using Groundtruth.Application.Progress;
using Spectre.Console;

namespace Groundtruth.Cli;

/// <summary>
/// Shows a use case's <see cref="WorkProgress"/> as a progress bar while a person watches a terminal; when output
/// is redirected nothing is drawn, so scripts read only the answer. With <c>GROUNDTRUTH_PROFILE=1</c> each stage is
/// also written to standard error with its start time (<see cref="StageTimes"/>).
/// </summary>
public static class CliProgress
{
    public static async Task<T> RunAsync<T>(CliContext context, string title, Func<IProgress<WorkProgress>?, Task<T>> work)
    {
        if (!context.Interactive)
        {
            var timed = StageTimes.Wrap(null, context.Error);
            var answer = await work(timed);
            // The profile's last line: what follows is the command writing its answer.
            timed.Stage("writing the answer", 1);
            return answer;
        }
        return await AnsiConsole.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .StartAsync(async p =>
            {
                var task = p.AddTask(title, maxValue: 1);
                task.IsIndeterminate = true;
                var progress = new SynchronousProgress(x =>
                {
                    task.Description = $"{title}: {Markup.Escape(x.Stage)}";
                    if (x.Fraction is { } f)
                    {
                        task.IsIndeterminate = false;
                        task.Value = f;
                    }
                });
                var result = await work(StageTimes.Wrap(progress, context.Error));
                task.Value = 1;
                return result;
            });
    }

    /// <summary>Calls back on the reporting thread (Progress&lt;T&gt; posts to the pool and may reorder reports).</summary>
    private sealed class SynchronousProgress(Action<WorkProgress> report) : IProgress<WorkProgress>
    {
        public void Report(WorkProgress value) => report(value);
    }
}
