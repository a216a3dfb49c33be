using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Groundtruth.Application.Storage;

/// <summary>
/// ASP.NET Core Identity's tables under <c>identity_*</c> names: snake_case like the rest of the schema,
/// apart from the dataset layers, and never registered in <c>gpkg_contents</c>, so GIS tools do not list them.
/// </summary>
internal static class IdentityTables
{
    public static void Name(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<IdentityUser>().ToTable("identity_users");
        modelBuilder.Entity<IdentityRole>().ToTable("identity_roles");
        modelBuilder.Entity<IdentityUserRole<string>>().ToTable("identity_user_roles");
        modelBuilder.Entity<IdentityUserClaim<string>>().ToTable("identity_user_claims");
        modelBuilder.Entity<IdentityUserLogin<string>>().ToTable("identity_user_logins");
        modelBuilder.Entity<IdentityUserToken<string>>().ToTable("identity_user_tokens");
        modelBuilder.Entity<IdentityRoleClaim<string>>().ToTable("identity_role_claims");
    }
}
