using System.Security.Cryptography;
using System.Text.Json;
using Groundtruth.Application.Storage;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Groundtruth.Application.Users;

/// <summary>Add a user with roles, or reset an existing user's password and roles.</summary>
/// <param name="Password">Null: a random password is generated and returned once.</param>
public sealed record AddUserRequest(string Name, IReadOnlyList<string> Roles, string? Password = null, string Actor = "cli");

/// <param name="GeneratedPassword">The password made for the user when none was given; shown once, stored only as a hash.</param>
public sealed record AddUserResult(string Name, IReadOnlyList<string> Roles, bool Created, string? GeneratedPassword);

/// <summary>Raised for a request that cannot be carried out: an unknown role, a weak password, a bad name.</summary>
public sealed class UserRequestException(string message) : InvalidRequestException("user", message);

/// <summary>
/// <c>groundtruth users add NAME --role ROLE</c>: how the first administrator comes to exist. Re-running
/// it for an existing name sets the roles and password anew (and lifts a lockout); every change is audited,
/// the password never.
/// </summary>
public sealed class AddUserHandler(DatabaseTarget target, TimeProvider clock)
{
    public async Task<AddUserResult> HandleAsync(AddUserRequest request, CancellationToken ct = default)
    {
        if (request.Roles.Count == 0) throw new UserRequestException("give at least one role: " + string.Join(", ", Roles.All));
        foreach (var role in request.Roles)
        {
            if (!Roles.IsKnown(role)) throw new UserRequestException($"unknown role '{role}'; roles: {string.Join(", ", Roles.All)}");
        }
        await using (var check = target.CreateContext()) await SchemaGuard.EnsureCurrentAsync(check, ct);

        await using var services = IdentityPolicy.Services(target, clock);
        await using var scope = services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        var roleManager = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
        var db = scope.ServiceProvider.GetRequiredService<GroundtruthDbContext>();
        foreach (var role in Roles.All)
        {
            if (!await roleManager.RoleExistsAsync(role)) Check(await roleManager.CreateAsync(new IdentityRole(role)));
        }

        var generated = request.Password is null ? NewPassword() : null;
        var password = request.Password ?? generated!;
        var user = await users.FindByNameAsync(request.Name);
        var created = user is null;
        // A password refused as too weak changes nothing: it is checked before anything is written, and the whole
        // change (password, lockout, roles, new security stamp, audit) is one transaction.
        foreach (var validator in users.PasswordValidators)
            Check(await validator.ValidateAsync(users, user ?? new IdentityUser(request.Name), password));
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (user is null)
        {
            user = new IdentityUser(request.Name);
            Check(await users.CreateAsync(user, password));
        }
        else
        {
            Check(await users.RemovePasswordAsync(user));
            Check(await users.AddPasswordAsync(user, password));
            Check(await users.SetLockoutEndDateAsync(user, null));
            Check(await users.ResetAccessFailedCountAsync(user));
            Check(await users.RemoveFromRolesAsync(user, await users.GetRolesAsync(user)));
        }
        Check(await users.AddToRolesAsync(user, request.Roles.Distinct()));
        // A new stamp ends every session and token the user had (DESIGN section 7).
        if (!created) Check(await users.UpdateSecurityStampAsync(user));
        db.AuditLog.Add(new AuditEntry
        {
            At = clock.GetUtcNow().UtcDateTime,
            Actor = request.Actor,
            Action = created ? "user_add" : "user_update",
            Dataset = "users",
            RecordId = request.Name,
            Detail = JsonSerializer.Serialize(new { roles = request.Roles }),
        });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return new AddUserResult(request.Name, [.. request.Roles.Distinct()], created, generated);
    }

    /// <summary>20 characters from a 56-letter alphabet without look-alikes: about 116 bits.</summary>
    public static string NewPassword()
    {
        const string alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        return RandomNumberGenerator.GetString(alphabet, 20);
    }

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded) throw new UserRequestException(string.Join("; ", result.Errors.Select(e => e.Description)));
    }
}
