using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Groundtruth.Application.Users;

namespace Groundtruth.Web.Tests;

/// <summary>
/// <c>POST /api/submissions/{id}/approve</c> for an accident entered with its casualties: the two submissions are approved
/// together, with the default decisions when asked, and the answer says what became of each record; the navigation's
/// badge counts what waits, for approvers only.
/// </summary>
public sealed class ApprovalApiTests(EntryHost host) : IClassFixture<EntryHost>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AnAccidentWithCasualties_IsApprovedTogether_WithTheDefaults()
    {
        using var editor = await host.Factory.ClientAsAsync(Roles.Editor);
        using var entered = await editor.PostAsJsonAsync("/api/records/accidents", new JsonObject
        {
            ["id"] = "AC-API-G1", ["occurred_on"] = "2024-06-01", ["kind"] = "mine_erw", ["lon"] = -24.31, ["lat"] = -31.31,
            ["casualties"] = new JsonArray(new JsonObject { ["id"] = "CA-API-G1", ["outcome"] = "injured", ["age"] = 40 },
                new JsonObject { ["id"] = "CA-API-G2", ["outcome"] = "killed", ["age"] = 8 }),
        }, Ct);
        entered.StatusCode.ShouldBe(HttpStatusCode.Accepted, await entered.Content.ReadAsStringAsync(Ct));
        var result = JsonNode.Parse(await entered.Content.ReadAsStringAsync(Ct))!;
        var (accidents, casualties) = (result["submission_id"]!.GetValue<long>(), result["casualties_submission_id"]!.GetValue<long>());

        using var approver = await host.Factory.ClientAsAsync(Roles.Approver);
        using var undecided = await approver.PostAsJsonAsync($"/api/submissions/{accidents}/approve",
            new { items = new[] { new { local_id = "AC-API-G1", action = "new" } } }, Ct);
        undecided.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await undecided.Content.ReadAsStringAsync(Ct)).ShouldContain("CA-API-G1");

        using var approved = await approver.PostAsJsonAsync($"/api/submissions/{casualties}/approve",
            new { items = new[] { new { local_id = "AC-API-G1", action = "new", national_id = "ACC-API-1", dataset = "accidents" } }, defaults = true }, Ct);
        approved.StatusCode.ShouldBe(HttpStatusCode.OK, await approved.Content.ReadAsStringAsync(Ct));
        var outcome = JsonNode.Parse(await approved.Content.ReadAsStringAsync(Ct))!;
        outcome["submissions"]!.AsArray().Select(s => s!.GetValue<long>()).ShouldBe([accidents, casualties]);
        outcome["records"]!.AsArray().Select(r => (r!["local_id"]!.GetValue<string>(), r["action"]!.GetValue<string>(), r["national_id"]!.GetValue<string>()))
            .ShouldBe([("AC-API-G1", "new", "ACC-API-1"), ("CA-API-G1", "new", "CA-API-G1"), ("CA-API-G2", "new", "CA-API-G2")]);

        using var analyst = await host.Factory.ClientAsAsync(Roles.Analyst);
        var casualty = JsonNode.Parse(await analyst.GetStringAsync("/api/registers/casualties/CA-API-G2", Ct))!;
        casualty["row"]!["accident_id"]!.GetValue<string>().ShouldBe("ACC-API-1");
    }

    [Fact]
    public async Task TheBadge_CountsWaitingSubmissions_ForApproversOnly()
    {
        using var approver = host.Factory.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = true });
        await PageSession.SignInAsync(approver, Roles.Approver);
        using var api = await host.Factory.ClientAsAsync(Roles.Approver);
        using var writer = await host.Factory.ClientAsAsync(Roles.Editor);
        using var entered = await writer.PostAsJsonAsync("/api/records/finds",
            new { id = "FD-BADGE-1", found_on = "2024-06-02", category = "uxo", lon = -24.32, lat = -31.32 }, Ct);
        entered.StatusCode.ShouldBe(HttpStatusCode.Accepted, await entered.Content.ReadAsStringAsync(Ct));
        var waiting = JsonNode.Parse(await api.GetStringAsync("/api/submissions?state=submitted", Ct))!.AsArray().Count;
        waiting.ShouldBeGreaterThan(0);
        (await approver.GetStringAsync("/help", Ct)).ShouldContain($"<span class=\"badge\" id=\"waiting-badge\" aria-hidden=\"true\">{waiting}</span>");

        using var editor = host.Factory.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = true });
        await PageSession.SignInAsync(editor, Roles.Editor);
        (await editor.GetStringAsync("/help", Ct)).ShouldNotContain("waiting-badge");
    }
}
