using System.Text.Json;
using Groundtruth.Application.Registers;
using Groundtruth.Application.Security;
using Groundtruth.Application.Storage;
using Groundtruth.Application.Users;
using Groundtruth.Web.Setup;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Groundtruth.Web.Apis;

/// <summary>Users, the audit log and casualties' personal data: the most restricted reads and writes.</summary>
public static class AdministrationApi
{
    public static IEndpointRouteBuilder MapAdministrationApi(this IEndpointRouteBuilder app)
    {
        var users = app.MapGroup("/api/users").WithTags("Users").RequireAuthorization(Roles.Administrator);
        users.MapGet("", GetUsers).WithName(nameof(GetUsers)).WithSummary("Every user with roles and lockout state");
        users.MapPost("", PostUser).WithName(nameof(PostUser)).RequireAuthorization(SecuritySetup.BearerOnly).DisableAntiforgery()
            .WithSummary("Add a user (or reset one) with roles; answers the generated password once when none is given");
        app.MapGet("/api/audit", GetAudit).WithTags("Audit").WithName(nameof(GetAudit)).RequireAuthorization(Roles.Administrator)
            .WithSummary("The audit log, newest first: filter by actor, action, dataset, record_id, from/to (UTC dates); offset, limit");
        app.MapGet("/api/casualties/{id}/personal-data", GetPersonalData).WithTags("Personal data").WithName(nameof(GetPersonalData))
            .RequireAuthorization(Roles.PersonalData)
            .WithSummary("A casualty's name, date of birth and injuries, for users granted personal data; every read is audited");
        return app;
    }

    public static async Task<Ok<List<UserRow>>> GetUsers(UserManager<IdentityUser> users, CancellationToken ct)
    {
        var rows = new List<UserRow>();
        foreach (var u in await users.Users.OrderBy(u => u.UserName).ToListAsync(ct))
            rows.Add(new UserRow(u.UserName!, [.. await users.GetRolesAsync(u)], u.LockoutEnd > DateTimeOffset.UtcNow, u.AccessFailedCount));
        return TypedResults.Ok(rows);
    }

    public static async Task<Results<Ok<AddUserResult>, ValidationProblem>> PostUser(NewUser request, HttpContext context, DatabaseTarget target, TimeProvider clock, CancellationToken ct)
    {
        try
        {
            return TypedResults.Ok(await new AddUserHandler(target, clock).HandleAsync(
                new AddUserRequest(request.Name ?? "", request.Roles ?? [], request.Password, context.User.Actor()), ct));
        }
        catch (UserRequestException e)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["user"] = [e.Message] });
        }
    }

    public static async Task<Ok<List<AuditRow>>> GetAudit(GroundtruthDbContext db, Access access, string? actor, string? action, string? dataset,
        [FromQuery(Name = "record_id")] string? recordId, DateOnly? from, DateOnly? to, int? offset, int? limit, CancellationToken ct) =>
        TypedResults.Ok(await AuditLogQuery.ReadAsync(db, access, new AuditFilter(actor, action, dataset, recordId, from, to, offset ?? 0, limit ?? 100), ct));

    public static async Task<Results<Ok<PersonalDataResponse>, NotFound<ProblemDetails>, ProblemHttpResult>> GetPersonalData(
        string id, HttpContext context, GroundtruthDbContext db, DatabaseTarget target, TimeProvider clock, CancellationToken ct)
    {
        var row = await db.CasualtyPersonalData.AsNoTracking().FirstOrDefaultAsync(p => p.CasualtyId == id, ct);
        if (row is null) return TypedResults.NotFound(new ProblemDetails { Title = "No personal data", Status = 404, Detail = $"casualty '{id}' has no personal data on record" });
        var protector = PersonalDataProtector.FromConfiguration(target.FilePath);
        if (protector is null) return TypedResults.Problem(title: "No personal-data key", detail: "the server has no personal-data key configured (docs/personal-data.md)", statusCode: 503);
        var data = protector.Unprotect(row.Ciphertext);
        db.AuditLog.Add(new AuditEntry
        {
            At = clock.GetUtcNow().UtcDateTime, Actor = context.User.Actor(), Action = AccessAudit.ReadPersonalData, Dataset = "casualties", RecordId = id,
            Detail = JsonSerializer.Serialize(new { via = "web" }),
        });
        await db.SaveChangesAsync(ct);
        // Personal data is kept by no cache, shared or private (a proxy, the browser's back button).
        context.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(new PersonalDataResponse(id, data.Name, data.DateOfBirth?.ToString(), data.Injuries));
    }
}

public sealed record UserRow(string Name, IReadOnlyList<string> Roles, bool LockedOut, int FailedAttempts);

public sealed record NewUser(string? Name, IReadOnlyList<string>? Roles, string? Password);

public sealed record PersonalDataResponse(string Id, string? Name, string? DateOfBirth, string? Injuries);
