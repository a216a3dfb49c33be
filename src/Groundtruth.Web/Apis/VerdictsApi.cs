using Groundtruth.Application;
using Groundtruth.Application.Caching;
using System.Collections.Concurrent;
using Groundtruth.Analysis.Records;
using Groundtruth.Application.Records;
using Groundtruth.Application.Security;
using Groundtruth.Application.Storage;
using Groundtruth.Application.Users;
using Groundtruth.Domain;
using Groundtruth.Web.Setup;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Groundtruth.Web.Apis;

/// <summary>
/// Each minefield record's record-accuracy verdict (DESIGN section 6; <c>groundtruth records accuracy</c> with its
/// default parameters), for the map's "minefield records by verdict" layer. Computed by
/// <see cref="RecordAccuracyHandler"/> and cached until the data changes (<see cref="DataVersion"/>). Viewers get
/// the verdicts of the records they may see only (none carrying a handling label), and nothing but id and verdict.
/// </summary>
public static class VerdictsApi
{
    /// <summary>The verdict names, as the handler writes them in <c>per_record</c>.</summary>
    public static readonly IReadOnlyList<string> Verdicts = [.. Enum.GetValues<RecordVerdict>().Select(v => SnakeCase.Of(v))];

    /// <summary>The class of a record the method left out (its footprint is not a valid area), so it has no verdict.</summary>
    public const string Excluded = "excluded";

    private static readonly ConcurrentDictionary<string, (string Version, Lazy<Task<RecordAccuracyReport>> Report)> Cache = new();

    public static IEndpointRouteBuilder MapVerdictsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/records/accuracy/verdicts", GetVerdicts)
            .WithTags("Records")
            .RequireAuthorization(Roles.Viewer)
            .WithName(nameof(GetVerdicts))
            .WithSummary("Each minefield record's record-accuracy verdict, as groundtruth records accuracy --format json gives it in per_record")
            .WithDescription(
                "Default parameters of groundtruth records accuracy: all dates, each footprint buffered by its stated positional uncertainty " +
                "(polygons 0 m), --min-processed 0.5, accidents located within 100 m. verdict: confirmed (a mine find inside), " +
                "not_found_after_processing (at least half processed, nothing found), not_yet_processed; records whose footprint is not a " +
                "valid area are listed as excluded. Cached until the data changes. Viewers: records with a handling label are left out, " +
                "and only id and verdict are given.");
        return app;
    }

    public static async Task<Results<Ok<VerdictsResponse>, UnprocessableEntity<ProblemDetails>>> GetVerdicts(
        Access access, GroundtruthDbContext db, DatabaseTarget target, TimeProvider clock, DataVersion versions, CancellationToken ct)
    {
        RecordAccuracyReport report;
        try
        {
            report = await ReportAsync(versions, target, clock, ct);
        }
        catch (InvalidRequestException e)
        {
            // The caller gave no parameter: the default ones cannot score these data.
            return TypedResults.UnprocessableEntity(new ProblemDetails
            {
                Title = "The records cannot be scored with the default parameters",
                Detail = e.Message,
                Status = StatusCodes.Status422UnprocessableEntity,
            });
        }
        var viewer = access.AggregatesOnly;
        HashSet<string>? visible = null;
        if (viewer)
        {
            visible = [.. await db.MinefieldRecords.AsNoTracking()
                .Unlabelled().Select(r => r.Id).ToListAsync(ct)];
        }
        var rows = report.Overall.PerRecord
            .Where(r => visible is null || visible.Contains(r.Id))
            .Select(r => viewer
                ? new RecordVerdictRow(r.Id, SnakeCase.Of(r.Verdict))
                : new RecordVerdictRow(r.Id, SnakeCase.Of(r.Verdict), r.Source, r.DeclaredDevices, r.DevicesFoundInside, Math.Round(r.ProcessedShare, 4)))
            .ToList();
        var excluded = report.Overall.Exclusions.InvalidRecords.Where(id => visible is null || visible.Contains(id)).ToList();
        var counts = Verdicts.ToDictionary(v => v, v => rows.Count(r => r.Verdict == v));
        counts[Excluded] = excluded.Count;
        var options = report.Request.Options;
        return TypedResults.Ok(new VerdictsResponse(
            RecordAccuracyJson.Definition,
            new VerdictParameters(options.BufferM, options.MinProcessed, options.AccidentThresholdM, null, null),
            report.ComputedAt,
            [.. Verdicts, Excluded],
            counts,
            rows,
            excluded,
            viewer ? "records carrying a handling label are left out for your role" : null));
    }

    /// <summary>The report with the default parameters, computed once per database and data version.</summary>
    private static async Task<RecordAccuracyReport> ReportAsync(DataVersion versions, DatabaseTarget target, TimeProvider clock, CancellationToken ct)
    {
        var version = await versions.KeyAsync(ct);
        var entry = Cache.AddOrUpdate(target.Value,
            _ => (version, Compute(target, clock)),
            (_, old) => old.Version == version ? old : (version, Compute(target, clock)));
        try
        {
            return await entry.Report.Value.WaitAsync(ct);
        }
        catch (Exception) when (entry.Report.Value.IsFaulted)
        {
            Cache.TryRemove(KeyValuePair.Create(target.Value, entry));
            throw;
        }
    }

    private static Lazy<Task<RecordAccuracyReport>> Compute(DatabaseTarget target, TimeProvider clock) =>
        new(() => new RecordAccuracyHandler(target, clock).HandleAsync(new RecordAccuracyRequest(new RecordAccuracyOptions()), ct: CancellationToken.None));
}

/// <param name="Counts">Records per verdict (and <c>excluded</c>), of those returned.</param>
/// <param name="Excluded">Records the method left out: their footprint is not a valid area.</param>
/// <param name="Note">What was left out for the caller's role.</param>
public sealed record VerdictsResponse(
    string Definition,
    VerdictParameters Parameters,
    DateTime ComputedAt,
    IReadOnlyList<string> Verdicts,
    IReadOnlyDictionary<string, int> Counts,
    IReadOnlyList<RecordVerdictRow> Records,
    IReadOnlyList<string> Excluded,
    string? Note);

/// <param name="BufferM">null: each record's stated positional uncertainty.</param>
public sealed record VerdictParameters(double? BufferM, double MinProcessed, double MaxAccidentAccuracyM, string? From, string? To);

/// <summary>One record's verdict; the figures behind it for analysts and above only.</summary>
public sealed record RecordVerdictRow(
    string Id,
    string Verdict,
    string? Source = null,
    int? DeclaredDevices = null,
    long? DevicesFoundInside = null,
    double? ProcessedShare = null);
