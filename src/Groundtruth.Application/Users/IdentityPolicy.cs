using Groundtruth.Application.Storage;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Groundtruth.Application.Users;

/// <summary>The password and lockout rules, the same for the web host and the <c>users</c> command.</summary>
public static class IdentityPolicy
{
    /// <summary>
    /// Failed sign-ins in a row before an account is locked: the backstop against guessing from many addresses; the web
    /// host also limits attempts per address (docs/web.md, "Sign-in and lockout").
    /// </summary>
    public const int MaxFailedAttempts = 10;

    public static readonly TimeSpan LockoutDuration = TimeSpan.FromMinutes(15);

    public static void Configure(IdentityOptions options)
    {
        options.Password.RequiredLength = 12;
        options.Password.RequireNonAlphanumeric = false;
        options.Password.RequireUppercase = false;
        options.Password.RequireLowercase = false;
        options.Password.RequireDigit = false;
        options.Password.RequiredUniqueChars = 4;
        options.Lockout.AllowedForNewUsers = true;
        options.Lockout.MaxFailedAccessAttempts = MaxFailedAttempts;
        options.Lockout.DefaultLockoutTimeSpan = LockoutDuration;
        options.User.RequireUniqueEmail = false;
        options.User.AllowedUserNameCharacters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._@+";
    }

    /// <summary>Identity's user and role managers over one database, for use outside a web host (the CLI, tests).</summary>
    public static ServiceProvider Services(DatabaseTarget target, TimeProvider clock)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(clock);
        services.AddSingleton(target.Options());
        services.AddScoped<GroundtruthDbContext>();
        services.AddIdentityCore<IdentityUser>(Configure)
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<GroundtruthDbContext>();
        return services.BuildServiceProvider();
    }
}
