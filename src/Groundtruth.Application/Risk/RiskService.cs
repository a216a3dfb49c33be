using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Groundtruth.Analysis.Risk;
using Groundtruth.Application.Caching;
using Groundtruth.Application.Progress;
using Groundtruth.Application.Security;
using Groundtruth.Application.Storage;

namespace Groundtruth.Application.Risk;

/// <summary>
/// The risk maps and clearance priorities a host serves (issue 14: one service that the pages and the API both
/// call, with the caller's <see cref="Access"/>): analysts and above only, each computed on demand, kept until the
/// data version moves on, and every delivery written to the audit log here. One instance per host (a singleton):
/// its maps (<see cref="RiskMaps"/>) and its ranking are the host's caches, keyed by the data version.
/// </summary>
/// <param name="weightsFile">The priority weights file (<c>Groundtruth:PriorityWeights</c>), else the built-in weights.</param>
public sealed class RiskService(RiskMaps maps, DataVersion versions, DatabaseTarget target, TimeProvider clock, string? weightsFile)
{
    public const string DownloadAction = "download_risk_map";
    public const string ViewMapAction = "view_risk_map";
    public const string ViewPrioritiesAction = "view_priorities";
    public const string ExportPrioritiesAction = "export_priorities";

    /// <summary>How long a page waits for a computation before it shows its progress instead (a quick map shows at once).</summary>
    public static readonly TimeSpan PageWait = TimeSpan.FromSeconds(2);

    private readonly Lock _lock = new();
    private Ranking? _ranking;

    public RiskMaps Maps => maps;

    private static void Require(Access access, string what) => access.Require(access.MayReadRecords, what);

    // ---- risk map ----

    /// <summary>The map for a cell size and place, computed if there is none under the current data version; held until the lease is disposed.</summary>
    /// <exception cref="InvalidRequestException">An unknown place.</exception>
    /// <exception cref="Analysis.Risk.RiskDataException">The data cannot support a model.</exception>
    public async Task<RiskMaps.Lease> MapAsync(Access access, double cell, string? place, CancellationToken ct)
    {
        Require(access, "the risk map");
        return await maps.LeaseAsync(target, clock, access.Actor, await versions.CurrentAsync(ct), cell, place, ct);
    }

    /// <summary>
    /// Starts the map in the background if needed and waits for it up to <see cref="PageWait"/> after it was first
    /// asked for — once per computation: a page reloaded while the map is computed answers at once with its progress
    /// (as the dashboard does for its areas); returns where it stands.
    /// </summary>
    /// <param name="wait">Wait this long from now instead (an API client's <c>Prefer: wait</c>).</param>
    public async Task<RiskMapStatus> BeginMapAsync(Access access, double cell, string? place, CancellationToken ct, TimeSpan? wait = null)
    {
        Require(access, "the risk map");
        var version = await versions.CurrentAsync(ct);
        var status = maps.Begin(target, clock, access.Actor, version, cell, place);
        wait ??= PageWait - maps.AskedFor(cell, place);
        // Counted by the clock, not by turns of the loop: on two busy cores a 100 ms delay can take half as long again
        // (issue 11: a 202 meant after 2 s came after 3.1 s).
        var waiting = System.Diagnostics.Stopwatch.StartNew();
        while (status.State is "computing" or "waiting" && waiting.Elapsed < wait)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Clamp((wait.Value - waiting.Elapsed).TotalMilliseconds, 1, 100)), ct);
            status = maps.Status(cell, place);
            if (status.State == "none") status = maps.Begin(target, clock, access.Actor, version, cell, place);
        }
        return status;
    }

    /// <summary>Where the map for a cell size and place stands; starts nothing.</summary>
    public RiskMapStatus MapStatus(Access access, double cell, string? place)
    {
        Require(access, "the risk map");
        return maps.Status(cell, place);
    }

    // ---- priorities ----

    /// <summary>One ranking being computed or computed, with the last stage it reported.</summary>
    private sealed class Ranking(string version, long dataVersion)
    {
        public string Version { get; } = version;
        /// <summary>The data version read before the ranking (<see cref="DataVersion.CurrentAsync"/>), under which its risk map is leased.</summary>
        public long DataVersion { get; } = dataVersion;
        /// <summary>The cell of the risk map the ranking waits for before it takes its turn; set before <see cref="Mapping"/>.</summary>
        public double MapCell;
        /// <summary>The share of the ranking's progress bar its risk map fills: none when the map was kept already.</summary>
        public double MapShare;
        /// <summary>While true, the ranking waits for its risk map (<see cref="RiskMaps"/>): its status is the map's.</summary>
        public volatile bool Mapping;
        public Lazy<Task<PrioritiesReport>> Report { get; set; } = null!;
        public volatile WorkProgress? Progress;
        public volatile bool Started;
        /// <summary>When the ranking was first asked for (a page waits for it once, not on every reload).</summary>
        public long Created { get; } = System.Diagnostics.Stopwatch.GetTimestamp();
    }

    /// <summary>
    /// The ranking with the configured weights, computed once per data version and weights file; the computation
    /// takes its turn among the host's risk map computations (<see cref="RiskMaps.ExclusiveAsync"/>). Its risk map (the
    /// whole programme at the weights' <c>risk_cell_m</c>, 100 m by default) is the host's map of that cell, the one the
    /// risk page shows: leased from <see cref="RiskMaps"/> (computed there if absent) before the ranking takes its turn.
    /// </summary>
    /// <exception cref="InvalidRequestException">The weights file is missing or not valid.</exception>
    public async Task<PrioritiesReport> PrioritiesAsync(Access access, CancellationToken ct)
    {
        Require(access, "the clearance priorities");
        var entry = await RankingAsync(access, ct);
        try
        {
            return await entry.Report.Value.WaitAsync(ct);
        }
        catch (Exception) when (entry.Report.Value.IsFaulted)
        {
            lock (_lock) if (ReferenceEquals(_ranking, entry)) _ranking = null;
            throw;
        }
    }

    /// <summary>
    /// Starts the ranking in the background when it is not computed under the current data and waits for it up to
    /// <see cref="PageWait"/> after it was first asked for (once per computation, as for the map; the page shows its
    /// progress); returns where it stands.
    /// </summary>
    /// <param name="wait">Wait this long from now instead (an API client's <c>Prefer: wait</c>).</param>
    public async Task<RiskMapStatus> BeginPrioritiesAsync(Access access, CancellationToken ct, TimeSpan? wait = null)
    {
        Require(access, "the clearance priorities");
        var entry = await RankingAsync(access, ct);
        wait ??= PageWait - System.Diagnostics.Stopwatch.GetElapsedTime(entry.Created);
        if (wait > TimeSpan.Zero) await Task.WhenAny(entry.Report.Value, Task.Delay(wait.Value, ct));
        return StatusOf(entry);
    }

    /// <summary>Where the ranking stands (none when nothing was asked for); starts nothing.</summary>
    public RiskMapStatus PrioritiesStatus(Access access)
    {
        Require(access, "the clearance priorities");
        Ranking? entry;
        lock (_lock) entry = _ranking;
        return entry is not null && entry.Report.IsValueCreated ? StatusOf(entry) : new RiskMapStatus("none", null, null, null);
    }

    /// <summary>The share of the ranking's progress bar its risk map fills when the map must be computed (the map at 100 m was about two thirds of the ranking's time on the demo).</summary>
    private const double MapShare = 0.6;

    private RiskMapStatus StatusOf(Ranking entry)
    {
        var task = entry.Report.Value;
        if (task.IsCompletedSuccessfully) return new RiskMapStatus("ready", "done", 1, null);
        if (task.IsFaulted) return new RiskMapStatus("failed", null, null, task.Exception?.InnerException?.Message);
        if (entry.Mapping)
        {
            // Waiting for its risk map: where the map stands, its stages said as the risk page says them.
            var map = maps.Status(entry.MapCell, null);
            return map.State switch
            {
                "waiting" => new RiskMapStatus("waiting", map.Stage, 0, null),
                "computing" => new RiskMapStatus("computing", map.Stage, map.Fraction * entry.MapShare, null),
                _ => new RiskMapStatus("computing", "starting", entry.MapShare, null),
            };
        }
        return entry.Started ? new RiskMapStatus("computing", entry.Progress?.Stage ?? "starting", entry.Progress?.Fraction is { } f ? entry.MapShare + (1 - entry.MapShare) * f : null, null)
            : new RiskMapStatus("waiting", "waiting for another computation to finish", entry.MapShare, null);
    }

    private async Task<Ranking> RankingAsync(Access access, CancellationToken ct)
    {
        var stamp = weightsFile is not null && File.Exists(weightsFile) ? File.GetLastWriteTimeUtc(weightsFile).Ticks.ToString(CultureInfo.InvariantCulture) : "";
        var key = await versions.KeyAsync(ct);
        var version = $"{key}|{weightsFile}|{stamp}";
        lock (_lock)
        {
            if (_ranking?.Version == version) return _ranking;
            var entry = new Ranking(version, key.Order);
            // Started on the thread pool, as the maps are: the reading runs synchronously on SQLite, and with the host's
            // turn free it ran on the asking request's thread (issue 11: a 202 meant after 2 s came after 3).
            entry.Report = new(() => Task.Run(() => RankAsync(entry, access.Actor), CancellationToken.None));
            return _ranking = entry;
        }
    }

    private async Task<PrioritiesReport> RankAsync(Ranking entry, string actor)
    {
        // The risk map first, outside the ranking's turn: its computation takes a turn of its own, and asked for inside
        // the ranking's it would wait for the turn its own ranking holds. A map that fails is said by the ranking when
        // it needs the map (risk left out with a note, as on the command line).
        var cell = RiskCell();
        Task<RiskMaps.Lease>? lease = null;
        if (cell is { } c)
        {
            // At the default cell the map is the risk page's with no cell asked for (/risk): that map starts at the default
            // and keeps it whenever the data support it, with the same pixels as the map of that cell asked for (the choice
            // only picks the cell), so the two pages share one map in either order. Only when it chose a finer cell (few
            // processed cells), or failed, is the map of the ranking's own cell computed.
            var shared = c == new RiskOptions().CellM;
            entry.MapCell = shared ? RiskMapOutputs.AutomaticCell : c;
            entry.MapShare = maps.Status(entry.MapCell, null).State == "ready" ? 0 : MapShare;
            entry.Mapping = true;
            try
            {
                if (shared)
                {
                    try
                    {
                        var automatic = await maps.LeaseAsync(target, clock, actor, entry.DataVersion, RiskMapOutputs.AutomaticCell, null, CancellationToken.None);
                        if (automatic.Output.CellM == c) lease = Task.FromResult(automatic);
                        else automatic.Dispose();
                    }
                    catch (Exception)
                    {
                        // The map of the ranking's own cell below says why, if it fails too.
                    }
                }
                if (lease is null)
                {
                    entry.MapCell = c;
                    entry.MapShare = maps.Status(c, null).State == "ready" ? 0 : MapShare;
                    lease = maps.LeaseAsync(target, clock, actor, entry.DataVersion, c, null, CancellationToken.None);
                    try
                    {
                        await lease;
                    }
                    catch (Exception)
                    {
                        // Thrown again to the ranking by KeptAsync.
                    }
                }
            }
            finally
            {
                entry.Mapping = false;
            }
        }
        try
        {
            return await maps.ExclusiveAsync(() =>
            {
                entry.Started = true;
                return new PrioritiesHandler(target, clock, KeptAsync).HandleAsync(new PrioritiesRequest(WeightsFile: weightsFile, Actor: actor, Format: "table"),
                    new InlineProgress(p => entry.Progress = p), CancellationToken.None);
            }, CancellationToken.None);
        }
        finally
        {
            if (lease is { IsCompletedSuccessfully: true }) lease.Result.Dispose();
        }

        async Task<KeptMap?> KeptAsync(double cellM, CancellationToken ct)
        {
            // None when the weights file changed its cell since it was read above: the ranking maps risk itself.
            if (lease is null || cellM != cell) return null;
            var held = await lease;
            // Read while the lease holds the folder (an evicted map's files are deleted once no lease holds them).
            return new KeptMap(RiskLikelihood.Read(Path.Combine(held.Output.Folder, "risk.tif")), held.Output.KnownBefore);
        }
    }

    /// <summary>The cell of the risk map the ranking will ask for (null when the weights give risk no weight, or cannot be read: the ranking says why).</summary>
    private double? RiskCell()
    {
        try
        {
            var weights = PrioritiesHandler.ReadWeights(weightsFile);
            return weights.Risk > 0 ? weights.RiskCellM : null;
        }
        catch (InvalidRequestException)
        {
            return null;
        }
    }

    // ---- audit ----

    /// <summary>Writes one audit entry for a delivery of a restricted output (a page, a summary, a file) to <paramref name="access"/>.</summary>
    public async Task AuditAsync(Access access, string action, object detail, CancellationToken ct)
    {
        await using var db = target.CreateContext();
        db.AuditLog.Add(new AuditEntry
        {
            At = clock.GetUtcNow().UtcDateTime,
            Actor = access.Actor,
            Action = action,
            Detail = JsonSerializer.Serialize(detail),
        });
        await db.SaveChangesAsync(ct);
    }
}
