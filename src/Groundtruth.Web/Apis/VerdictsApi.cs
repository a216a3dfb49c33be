using Groundtruth.Application;
using Groundtruth.Application.Caching;
using Groundtruth.Analysis.Records;
using Groundtruth.Application.Records;
using Groundtruth.Application.Risk;
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
/// <see cref="VerdictService"/> (kept until the data changes). Viewers get
/// the verdicts of the records they may see only (none carrying a handling label), and nothing but id and verdict.
/// </summary>
public static class VerdictsApi
{
    /// <summary>The verdict names, as the handler writes them in <c>per_record</c>.</summary>
    public static readonly IReadOnlyList<string> Verdicts = [.. Enum.GetValues<RecordVerdict>().Select(v => SnakeCase.Of(v))];

    /// <summary>The class of a record the method left out (its footprint is not a valid area), so it has no verdict.</summary>
    public const string Excluded = "excluded";

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
                "and only id and verdict are given." + AsyncPreference.Description);
        app.MapGet("/api/records/accuracy/verdicts/status", GetVerdictsStatus)
            .WithTags("Records")
            .RequireAuthorization(Roles.Viewer)
            .WithName(nameof(GetVerdictsStatus))
            .WithSummary("Where the verdicts under the current data stand: none (not asked for since the data last changed), computing (with its stage and share done), ready or failed")
            .WithDescription("Starts nothing: ask /api/records/accuracy/verdicts (with Prefer: respond-async not to wait) to start them.");
        return app;
    }

    public static async Task<Results<Ok<VerdictsResponse>, Accepted<RiskMapStatus>, UnprocessableEntity<ProblemDetails>>> GetVerdicts(
        HttpContext context, Access access, VerdictService verdicts, CancellationToken ct)
    {
        // A client that asked not to wait: 202 while the verdicts compute (a failure answers below, as without the preference).
        VerdictService.Computation? judged = null;
        if (AsyncPreference.Of(context.Request) is { } prefer)
        {
            var (status, computation) = await verdicts.BeginAsync(access, prefer.Wait, ct);
            if (status.State == "computing") return AsyncPreference.Accepted(context, "/api/records/accuracy/verdicts/status", status);
            // Ready or failed: that computation's answer, even if the data changed meanwhile (no second wait).
            judged = computation;
        }
        VerdictsView view;
        try
        {
            view = await verdicts.VerdictsAsync(access, ct, judged);
        }
        catch (InvalidRequestException e)
        {
            // The caller gave no parameter: the default ones cannot score these data.
            return TypedResults.UnprocessableEntity(new ProblemDetails
            {
                Title = "The records cannot be scored with the default parameters",
                Detail = VerdictService.FailureFor(access, e),
                Status = StatusCodes.Status422UnprocessableEntity,
            });
        }
        var rows = view.Records
            .Select(r => view.IdsAndVerdictsOnly
                ? new RecordVerdictRow(r.Id, SnakeCase.Of(r.Verdict))
                : new RecordVerdictRow(r.Id, SnakeCase.Of(r.Verdict), r.Source, r.DeclaredDevices, r.DevicesFoundInside, Math.Round(r.ProcessedShare, 4)))
            .ToList();
        var counts = Verdicts.ToDictionary(v => v, v => rows.Count(r => r.Verdict == v));
        counts[Excluded] = view.Excluded.Count;
        var options = view.Report.Request.Options;
        return TypedResults.Ok(new VerdictsResponse(
            RecordAccuracyJson.Definition,
            new VerdictParameters(options.BufferM, options.MinProcessed, options.AccidentThresholdM, null, null),
            view.Report.ComputedAt,
            [.. Verdicts, Excluded],
            counts,
            rows,
            view.Excluded,
            view.IdsAndVerdictsOnly ? "records carrying a handling label are left out for your role" : null));
    }

    /// <summary>Where the verdicts stand; starts nothing.</summary>
    public static async Task<Ok<RiskMapStatus>> GetVerdictsStatus(Access access, VerdictService verdicts, CancellationToken ct) =>
        TypedResults.Ok(await verdicts.StatusAsync(access, ct));
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
