using System.Diagnostics;
using Groundtruth.Analysis.Records;
using Groundtruth.Application.Caching;
using Groundtruth.Application.Progress;
using Groundtruth.Application.Risk;
using Groundtruth.Application.Security;
using Groundtruth.Application.Storage;
using Microsoft.EntityFrameworkCore;

namespace Groundtruth.Application.Records;

/// <summary>What a caller may see of the verdicts: the records, those left out as invalid, and whether only ids and verdicts may be shown.</summary>
/// <param name="IdsAndVerdictsOnly">A viewer: nothing but each record's id and verdict.</param>
public sealed record VerdictsView(RecordAccuracyReport Report, IReadOnlyList<RecordRow> Records, IReadOnlyList<string> Excluded, bool IdsAndVerdictsOnly);

/// <summary>
/// Each minefield record's record-accuracy verdict with the default parameters (the map's "minefield records by
/// verdict" layer), computed once per data version on the thread pool and kept by the host (a singleton), with the
/// stage it has reached for a client that asked not to wait (<see cref="BeginAsync"/>). The caller's <see cref="Access"/>
/// decides what is shown: viewers get the records they may see only (none carrying a handling label), ids and
/// verdicts only.
/// </summary>
public sealed class VerdictService(DataVersion versions, DatabaseTarget target, TimeProvider clock)
{
    private readonly Lock _lock = new();
    private Computation? _current;

    /// <summary>The verdicts under one data version, being computed or computed, with the last stage reported.</summary>
    public sealed class Computation
    {
        internal Computation(DataKey version) => Version = version;
        internal DataKey Version { get; }
        internal Task<RecordAccuracyReport> Report { get; set; } = null!;
        internal volatile WorkProgress? Progress;
        /// <summary>When the verdicts were first asked for under this version (a client's default wait counts from then).</summary>
        internal long Created { get; } = Stopwatch.GetTimestamp();
    }

    /// <param name="computation">The one <see cref="BeginAsync"/> judged ready or failed (its answer, not a newer computation's); null: the current one.</param>
    /// <exception cref="InvalidRequestException">The default parameters cannot score these data.</exception>
    public async Task<VerdictsView> VerdictsAsync(Access access, CancellationToken ct, Computation? computation = null)
    {
        Require(access);
        computation ??= await ComputationAsync(ct);
        RecordAccuracyReport report;
        try
        {
            report = await computation.Report.WaitAsync(ct);
        }
        catch (Exception) when (computation.Report.IsFaulted)
        {
            // Not kept: the next request computes again.
            lock (_lock) if (ReferenceEquals(_current, computation)) _current = null;
            throw;
        }
        HashSet<string>? visible = null;
        if (access.AggregatesOnly)
        {
            await using var db = target.CreateContext();
            visible = [.. await db.MinefieldRecords.AsNoTracking().Unlabelled().Select(r => r.Id).ToListAsync(ct)];
        }
        return new VerdictsView(report,
            [.. report.Overall.PerRecord.Where(r => visible is null || visible.Contains(r.Id))],
            [.. report.Overall.Exclusions.InvalidRecords.Where(id => visible is null || visible.Contains(id))],
            access.AggregatesOnly);
    }

    /// <summary>
    /// Starts the verdicts in the background when they are not computed under the current data and waits for them up to
    /// <paramref name="wait"/> (by default <see cref="RiskService.PageWait"/> after they were first asked for, as for the
    /// risk map); returns where they stand.
    /// </summary>
    /// <returns>The status, and the computation it describes: the answer to give when it is ready or failed.</returns>
    public async Task<(RiskMapStatus Status, Computation Computation)> BeginAsync(Access access, TimeSpan? wait, CancellationToken ct)
    {
        Require(access);
        var computation = await ComputationAsync(ct);
        wait ??= RiskService.PageWait - Stopwatch.GetElapsedTime(computation.Created);
        if (wait > TimeSpan.Zero) await Task.WhenAny(computation.Report, Task.Delay(wait.Value, ct));
        return (StatusOf(access, computation), computation);
    }

    /// <summary>Where the verdicts under the current data stand (none when nothing asked for them since the data last changed); starts nothing.</summary>
    public async Task<RiskMapStatus> StatusAsync(Access access, CancellationToken ct)
    {
        Require(access);
        var version = await versions.KeyAsync(ct);
        Computation? computation;
        lock (_lock) computation = _current;
        return computation is not null && computation.Version == version ? StatusOf(access, computation) : new RiskMapStatus("none", null, null, null);
    }

    private static void Require(Access access) => access.Require(access.AtLeast(Users.Roles.Viewer), "the verdicts of minefield records");

    /// <summary>The reason a computation failed, as far as <paramref name="access"/> may read it.</summary>
    /// <remarks>Only the method's own refusal is told, and only to whom <see cref="Access.MayReadRefusalDetail"/>: it may name records carrying a handling label;
    /// any other failure may name files or servers (the request for the verdicts then answers as for any error).</remarks>
    public static string FailureFor(Access access, Exception? failure) =>
        failure is InvalidRequestException && access.MayReadRefusalDetail ? failure.Message
        : failure is InvalidRequestException ? "The default parameters cannot score every minefield record; an analyst can see which."
        : "The verdicts could not be computed; the server log says why.";

    private static RiskMapStatus StatusOf(Access access, Computation computation)
    {
        var task = computation.Report;
        return task.IsCompletedSuccessfully ? new RiskMapStatus("ready", "done", 1, null)
            : task.IsFaulted ? new RiskMapStatus("failed", null, null, FailureFor(access, task.Exception?.InnerException))
            : new RiskMapStatus("computing", computation.Progress?.Stage ?? "starting", computation.Progress?.Fraction, null);
    }

    /// <summary>
    /// The computation under the current data version: kept, or started now. A request that read an older version than
    /// the one kept gets the kept one (newer data) rather than a computation of its own.
    /// </summary>
    private async Task<Computation> ComputationAsync(CancellationToken ct)
    {
        var version = await versions.KeyAsync(ct);
        lock (_lock)
        {
            if (_current is { } kept && (kept.Version == version || version.Order < kept.Version.Order)) return kept;
            var computation = new Computation(version);
            // On the thread pool: the reading runs synchronously on SQLite, and a client that asked not to wait must
            // get its answer while the verdicts compute.
            computation.Report = Task.Run(() => new RecordAccuracyHandler(target, clock).HandleAsync(
                new RecordAccuracyRequest(new RecordAccuracyOptions()), new InlineProgress(p => computation.Progress = p), CancellationToken.None));
            // A computation replaced by newer data before anyone read it: its failure is observed here, not left unobserved.
            computation.Report.ContinueWith(t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            return _current = computation;
        }
    }
}
