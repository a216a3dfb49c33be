using Groundtruth.Application.Datasets;
using Groundtruth.Application.Registers;
using Groundtruth.Application.Security;
using Groundtruth.Application.Storage;
using Groundtruth.Application.Users;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Groundtruth.Web.Apis;

/// <summary>
/// The registers: every dataset as rows of its columns (no geometry), searchable, sortable and paged, and one
/// record with its versions and audit entries. Record-level data is for analysts and above (viewers see
/// aggregates only); casualties' personal data is never part of it.
/// </summary>
public static class RegistersApi
{
    public static IEndpointRouteBuilder MapRegistersApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/registers").WithTags("Registers").RequireAuthorization(Roles.Analyst);
        api.MapGet("/{dataset}", GetRegister)
            .WithName(nameof(GetRegister))
            .WithSummary("One dataset's current approved records as JSON rows")
            .WithDescription("q searches the text, enum and date columns (case-insensitive); sort=FIELD, desc=true; offset, limit (default 50, at most 10000); where=FIELD=VALUE (repeatable).");
        api.MapGet("/{dataset}/{id}", GetRecord)
            .WithName(nameof(GetRecord))
            .WithSummary("One record: its current row, every version (pending ones marked) and the audit entries that touch it");
        return app;
    }

    public static async Task<Ok<RegisterPage>> GetRegister(
        string dataset, RegisterService registers, Access access, string? q, string? sort, bool? desc, int? offset, int? limit,
        [FromQuery] string[]? where, CancellationToken ct) =>
        TypedResults.Ok(await registers.PageAsync(access, dataset, q, sort, desc == true, offset ?? 0, limit ?? RegisterService.DefaultLimit, where ?? [], ct));

    public static async Task<Ok<RecordDetail>> GetRecord(string dataset, string id, RegisterService registers, Access access, CancellationToken ct) =>
        TypedResults.Ok(await registers.RecordAsync(access, dataset, id, ct));

    internal static NotFound<ProblemDetails> NoSuchDataset(string dataset) => TypedResults.NotFound(new ProblemDetails
    {
        Title = "No such dataset",
        Detail = $"'{dataset}' is not a dataset; datasets: {string.Join(", ", DatasetCatalog.All.Select(d => d.Name))}",
        Status = StatusCodes.Status404NotFound,
    });
}
