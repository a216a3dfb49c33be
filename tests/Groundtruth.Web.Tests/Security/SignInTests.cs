using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Groundtruth.Application.Users;
using Groundtruth.Web.Setup;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Groundtruth.Web.Tests.Security;

/// <summary>
/// docs/web.md, "Sign-in and lockout": attempts from one address are limited (429 beyond the limit, on Kestrel as
/// deployed), and an unknown name, a wrong password and a locked account get the same answer.
/// </summary>
public sealed class SignInTests
{
    private static readonly TimeSpan Startup = TimeSpan.FromSeconds(90);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ManyAttemptsFromOneAddress_AreRefusedWith429_OnTheRealHost()
    {
        await using var database = await TestDatabase.CreateAsync(withHazards: false);
        using var web = WebProcess.Start(database.Folder, "--urls", "http://127.0.0.1:0", "--Groundtruth:Database", database.Path);
        var (url, _) = await web.ListeningAsync(Startup);
        using var client = new HttpClient { BaseAddress = url };

        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < SignInSetup.DefaultAttemptsPerMinute + 5; i++)
        {
            using var response = await client.PostAsJsonAsync("/api/token", new { name = Roles.Administrator, password = "wrong password " + i }, Ct);
            answers.Add(response.StatusCode);
        }

        answers.Take(SignInSetup.DefaultAttemptsPerMinute).ShouldAllBe(s => s == HttpStatusCode.Unauthorized);
        answers.Skip(SignInSetup.DefaultAttemptsPerMinute).ShouldAllBe(s => s == HttpStatusCode.TooManyRequests);
        using var limited = await client.PostAsJsonAsync("/api/token", new { name = Roles.Administrator, password = TestUsers.Password }, Ct);
        limited.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests, "even the right password waits once the address is over the limit");
        limited.Headers.RetryAfter.ShouldNotBeNull();
        var problem = await limited.Content.ReadFromJsonAsync<JsonElement>(Ct);
        problem.GetProperty("title").GetString().ShouldBe("Too many sign-in attempts");
        using var page = await client.PostAsync("/login", new FormUrlEncodedContent([new("Name", Roles.Administrator), new("Password", "x")]), Ct);
        page.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests, "the sign-in page counts against the same address");
        using var health = await client.GetAsync("/health", Ct);
        health.StatusCode.ShouldBe(HttpStatusCode.OK, "other routes are not limited");
    }

    [Fact]
    public async Task UnknownName_WrongPassword_AndLockedAccount_GetTheSameAnswer()
    {
        await using var database = await TestDatabase.CreateAsync(withHazards: false);
        await using (var identity = IdentityPolicy.Services(database.Target, TimeProvider.System))
        {
            await using var scope = identity.CreateAsyncScope();
            var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
            var approver = await users.FindByNameAsync(Roles.Approver);
            (await users.SetLockoutEndDateAsync(approver!, DateTimeOffset.UtcNow.AddMinutes(10))).Succeeded.ShouldBeTrue();
        }
        await using var factory = new GroundtruthWebFactory(database.Setting);
        using var client = factory.CreateClient();

        async Task<string> Answer(string name, string password)
        {
            using var response = await client.PostAsJsonAsync("/api/token", new { name, password }, Ct);
            response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized, $"{name}/{password}");
            var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
            return $"{body.GetProperty("title").GetString()}|{body.GetProperty("detail").GetString()}";
        }

        var unknown = await Answer("nobody-by-this-name", "wrong password");
        var wrong = await Answer(Roles.Editor, "wrong password");
        var locked = await Answer(Roles.Approver, TestUsers.Password);
        var lockedWrong = await Answer(Roles.Approver, "wrong password");

        unknown.ShouldBe($"Sign-in failed|{SignInSetup.Failure}");
        wrong.ShouldBe(unknown);
        locked.ShouldBe(unknown, "a locked account is not told apart, even with its right password");
        lockedWrong.ShouldBe(unknown);
        (await TestUsers.TokenAsync(client, Roles.Editor)).ShouldNotBeNullOrEmpty("one failure does not lock");
    }

    [Fact]
    public async Task LockoutNeedsTenFailuresInARow()
    {
        await using var database = await TestDatabase.CreateAsync(withHazards: false);
        await using var factory = new GroundtruthWebFactory(database.Setting);
        using var client = factory.CreateClient();
        for (var i = 0; i < IdentityPolicy.MaxFailedAttempts - 1; i++)
            (await client.PostAsJsonAsync("/api/token", new { name = Roles.Administrator, password = "wrong" }, Ct)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await TestUsers.TokenAsync(client, Roles.Administrator)).ShouldNotBeNullOrEmpty($"{IdentityPolicy.MaxFailedAttempts - 1} failures do not lock");
        for (var i = 0; i < IdentityPolicy.MaxFailedAttempts; i++)
            (await client.PostAsJsonAsync("/api/token", new { name = Roles.Administrator, password = "wrong" }, Ct)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        using var locked = await client.PostAsJsonAsync("/api/token", new { name = Roles.Administrator, password = TestUsers.Password }, Ct);
        locked.StatusCode.ShouldBe(HttpStatusCode.Unauthorized, $"{IdentityPolicy.MaxFailedAttempts} failures in a row lock the account");
    }
}
