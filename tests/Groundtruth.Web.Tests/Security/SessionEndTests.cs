using System.Net;
using System.Net.Http.Json;
using Groundtruth.Application.Users;
using Groundtruth.Web.Apis;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Groundtruth.Web.Tests.Security;

/// <summary>
/// DESIGN section 7: a change of a user's roles or password ends that user's sessions and tokens at once — a demoted
/// administrator cannot use the token or cookie it already holds to promote itself back; a password refused as too
/// weak changes nothing.
/// </summary>
public sealed class SessionEndTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task DemotedAdministrator_LosesItsTokenAndCookie_AtOnce()
    {
        await using var db = await TestDatabase.CreateAsync(withHazards: false);
        await new AddUserHandler(db.Target, TimeProvider.System).HandleAsync(new AddUserRequest("deputy", [Roles.Administrator], TestUsers.Password, "test"), Ct);
        await using var factory = new GroundtruthWebFactory(db.Setting);
        using var admin = await factory.ClientAsAsync(Roles.Administrator);
        using var deputy = await factory.ClientAsAsync("deputy");
        using var deputyPages = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        await PageSession.SignInAsync(deputyPages, "deputy");
        (await deputy.GetAsync("/api/users", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await deputyPages.GetAsync("/audit", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);

        using var demote = await admin.PostAsJsonAsync("/api/users", new { name = "deputy", roles = new[] { Roles.Viewer }, password = TestUsers.Password }, Ct);
        demote.StatusCode.ShouldBe(HttpStatusCode.OK, await demote.Content.ReadAsStringAsync(Ct));

        (await deputy.GetAsync("/api/users", Ct)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        using var promote = await deputy.PostAsJsonAsync("/api/users", new { name = "deputy", roles = new[] { Roles.Administrator }, password = TestUsers.Password }, Ct);
        promote.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        var page = await deputyPages.GetAsync("/audit", Ct);
        page.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        page.Headers.Location!.ToString().ShouldContain("/login");

        using var fresh = await factory.ClientAsAsync("deputy");
        (await fresh.GetAsync("/api/users", Ct)).StatusCode.ShouldBe(HttpStatusCode.Forbidden, "signed in again, the deputy is a viewer");
        (await admin.GetAsync("/api/users", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK, "other users' tokens are untouched");
    }

    [Fact]
    public async Task PasswordRefusedAsTooWeak_ChangesNothing()
    {
        await using var db = await TestDatabase.CreateAsync(withHazards: false);
        var handler = new AddUserHandler(db.Target, TimeProvider.System);
        await Should.ThrowAsync<UserRequestException>(() => handler.HandleAsync(new AddUserRequest(Roles.Editor, [Roles.Viewer], "short", "test"), Ct));
        await using var factory = new GroundtruthWebFactory(db.Setting);
        using var editor = await factory.ClientAsAsync(Roles.Editor); // the old password still signs in
        var users = await (await factory.ClientAsAsync(Roles.Administrator)).GetFromJsonAsync<List<UserRow>>("/api/users", Ct);
        users!.Single(u => u.Name == Roles.Editor).Roles.ShouldBe([Roles.Editor], "the refused reset kept the old role");
    }
}
