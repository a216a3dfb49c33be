using System.Text.Json;
using System.Text.Json.Nodes;
using Groundtruth.Application.Datasets;
using Groundtruth.Application.Entry;
using Groundtruth.Application.Security;
using Groundtruth.Application.Storage;
using Groundtruth.Application.Users;
using Groundtruth.Web.Setup;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Groundtruth.Web.Apis;

/// <summary>
/// Data entry one record at a time: the record goes through the importer exactly as an uploaded file does, so every
/// dataset rule refuses it the same way (hazard status transitions, handover certificate, release method by
/// activity type, an output on its activity's area). Editors' entries wait for approval; an approver's enter
/// approved unless they ask for review. Bearer token only (no cookie, so no cross-site forgery).
/// </summary>
public static class RecordsApi
{
    public static IEndpointRouteBuilder MapRecordsApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/records/{dataset}", PostRecord)
            .WithTags("Submissions")
            .RequireAuthorization(Roles.Editor, SecuritySetup.BearerOnly)
            .DisableAntiforgery()
            .WithName(nameof(PostRecord))
            .WithSummary("Enter one record: a hazardous area, a find, an accident with its casualties, a casualty or a land release output")
            .WithDescription(
                "The body is one JSON object whose members are the dataset's columns (docs/datasets.md), with the geometry as a GeoJSON " +
                "object under 'geometry', or 'wkt', or 'lon' and 'lat'. An accident may carry 'casualties': an array of casualty objects " +
                "(their accident_id is the accident's). 201 when applied, 202 when it waits for approval (editors always; approvers with " +
                "pending=true); 422 with 'errors' (field → reasons) when a value or a rule refuses it, and nothing is stored. " +
                "Casualties' personal data (name, date_of_birth, injuries) needs the personal_data grant and an approved entry.")
            .Accepts<JsonObject>("application/json")
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);
        return app;
    }

    public static async Task<Results<Created<EntryResult>, Accepted<EntryResult>, ProblemHttpResult, NotFound<ProblemDetails>>> PostRecord(
        string dataset, [FromBody] JsonElement body, bool? pending, Access access, DatabaseTarget target, TimeProvider clock, Application.Entry.IdPatterns ids, CancellationToken ct)
    {
        // Read as a JsonElement, which refuses a member given twice (400 naming it); a JsonObject would throw a bare ArgumentException.
        if (JsonObject.Create(body) is not { } record)
            return TypedResults.Problem(title: "Bad request", detail: "the body must be one JSON object: the record's fields", statusCode: StatusCodes.Status400BadRequest);
        if (DatasetCatalog.Find(dataset) is not { } spec) return RegistersApi.NoSuchDataset(dataset);
        if (!RecordEntryHandler.Datasets.Contains(spec))
        {
            return TypedResults.Problem(title: "Not entered record by record", statusCode: StatusCodes.Status400BadRequest,
                detail: $"{spec.Name} is loaded from files (POST /api/uploads/{spec.Name}); records are entered for {string.Join(", ", RecordEntryHandler.Datasets.Select(d => d.Name))}");
        }
        var casualties = new List<JsonObject>();
        if (record["casualties"] is { } people)
        {
            if (people is not JsonArray list || list.Any(p => p is not JsonObject))
                return Refused([new EntryProblem("casualties", null, "an array of casualty objects is expected")]);
            casualties.AddRange(list.Select(p => p!.AsObject()));
            record.Remove("casualties");
        }
        var request = new EntryRequest(spec, record, casualties, Pending: access.EntersPending(pending == true), access);
        try
        {
            var result = await new RecordEntryHandler(target, clock, ids).HandleAsync(request, ct);
            return result.Pending
                ? TypedResults.Accepted($"/api/submissions/{result.SubmissionId}", result)
                : TypedResults.Created($"/api/registers/{spec.Name}/{Uri.EscapeDataString(result.Id)}", result);
        }
        catch (EntryRejectedException e)
        {
            return Refused(e.Problems);
        }
    }

    /// <summary>RFC 7807 validation problem details: <c>errors</c> maps each field to its reasons; <c>problems</c> lists them with the values.</summary>
    internal static ProblemHttpResult Refused(IReadOnlyList<EntryProblem> problems) =>
        TypedResults.Problem(new HttpValidationProblemDetails(problems.GroupBy(p => p.Field).ToDictionary(g => g.Key, g => g.Select(p => p.Reason).ToArray()))
        {
            Title = "The record was not stored",
            Detail = string.Join("; ", problems.Select(p => p.ToString())),
            Status = StatusCodes.Status422UnprocessableEntity,
            Extensions = { ["problems"] = problems },
        });
}
