using System.Net;
using System.Net.Http.Json;
using Groundtruth.Application.Users;
using Groundtruth.Cli;
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
    public async Task PasswordReset_EndsTheUsersTokenAndCookie_AndOnlyTheNewPasswordSignsIn()
    {
        await using var db = await TestDatabase.CreateAsync(withHazards: false);
        await using var factory = new GroundtruthWebFactory(db.Setting);
        using var admin = await factory.ClientAsAsync(Roles.Administrator);
        using var analyst = await factory.ClientAsAsync(Roles.Analyst);
        using var analystPages = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        await PageSession.SignInAsync(analystPages, Roles.Analyst);
        (await analyst.GetAsync("/api/stats/finds", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await analystPages.GetAsync("/registers/hazards", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);

        const string fresh = "a different horse, battery and staple";
        using var reset = await admin.PostAsJsonAsync("/api/users", new { name = Roles.Analyst, roles = new[] { Roles.Analyst }, password = fresh }, Ct);
        reset.StatusCode.ShouldBe(HttpStatusCode.OK, await reset.Content.ReadAsStringAsync(Ct));

        (await analyst.GetAsync("/api/stats/finds", Ct)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized, "the token issued before the reset");
        var page = await analystPages.GetAsync("/registers/hazards", Ct);
        page.StatusCode.ShouldBe(HttpStatusCode.Redirect, "the cookie issued before the reset");
        page.Headers.Location!.ToString().ShouldContain("/login");
        using var anonymous = factory.CreateClient();
        using var old = await anonymous.PostAsJsonAsync("/api/token", new { name = Roles.Analyst, password = TestUsers.Password }, Ct);
        old.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        await TestUsers.TokenAsync(anonymous, Roles.Analyst, fresh);
    }

    /// <summary>Issue 14: <c>users add bob --role viewer --password short</c> refused the password but had already given bob the new role.</summary>
    [Fact]
    public async Task CliUsersAdd_WithATooWeakPassword_KeepsTheRoleAndThePassword()
    {
        await using var db = await TestDatabase.CreateAsync(withHazards: false);
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await GroundtruthCli.Build(new CliContext(output, error, TimeProvider.System))
            .Parse(["--db", db.Setting, "users", "add", Roles.Editor, "--role", Roles.Viewer, "--password", "short"]).InvokeAsync(cancellationToken: Ct);
        code.ShouldBe(2, output + "\n" + error);
        error.ToString().ShouldNotBeEmpty();

        await using var factory = new GroundtruthWebFactory(db.Setting);
        using var editor = await factory.ClientAsAsync(Roles.Editor); // the old password still signs in
        var users = await (await factory.ClientAsAsync(Roles.Administrator)).GetFromJsonAsync<List<UserRow>>("/api/users", Ct);
        users!.Single(u => u.Name == Roles.Editor).Roles.ShouldBe([Roles.Editor], "the refused command kept the old role");
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
