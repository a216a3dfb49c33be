using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Groundtruth.Application.Users;

namespace Groundtruth.Web.Tests.Security;

/// <summary>
/// Odd input gets a 400 or 422 that names what is wrong, never a 500: repeated JSON members, query values of the wrong
/// type, ids holding control or bidirectional characters or too long, an id given as a list.
/// </summary>
public sealed class BadInputTests(HazardsHost host) : IClassFixture<HazardsHost>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RepeatedJsonMember_Is400NamingIt()
    {
        using var editor = await host.Factory.ClientAsAsync(Roles.Editor);
        using var body = new StringContent("""{"id":"HA-50","id":"HA-51","name":"Twice"}""", Encoding.UTF8, "application/json");
        using var response = await editor.PostAsync("/api/records/hazards", body, Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var detail = (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("detail").GetString()!;
        detail.ShouldContain("Duplicate property 'id'");
    }

    [Theory]
    [InlineData("/api/registers/hazards?limit=abc", "limit")]
    [InlineData("/api/registers/hazards?desc=perhaps", "desc")]
    [InlineData("/api/audit?from=yesterday", "from")]
    public async Task QueryValueOfTheWrongType_Is400NamingTheParameter(string url, string parameter)
    {
        using var administrator = await host.Factory.ClientAsAsync(Roles.Administrator);
        using var response = await administrator.GetAsync(url, Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("detail").GetString()!.ShouldContain(parameter);
    }

    [Theory]
    [InlineData("HA-\u0000-1", "control character (U+0000)")]
    [InlineData("HA-\n1", "control character (U+000A)")]
    [InlineData("HA-\u202E1-AH", "bidirectional-text control character (U+202E)")]
    [InlineData(null, "at most 200 characters")]
    public async Task BadIds_AreRefusedByTheImporter_ThroughTheRecordsApi(string? id, string reason)
    {
        using var editor = await host.Factory.ClientAsAsync(Roles.Editor);
        id ??= new string('7', 100_000);
        using var response = await editor.PostAsJsonAsync("/api/records/hazards", Hazard(id), Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity, await response.Content.ReadAsStringAsync(Ct));
        var problems = (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("problems").EnumerateArray()
            .Select(p => (Field: p.GetProperty("field").GetString(), Reason: p.GetProperty("reason").GetString()!)).ToList();
        problems.ShouldContain(p => p.Field == "id" && p.Reason.Contains(reason), string.Join("\n", problems));
    }

    [Fact]
    public async Task IdGivenAsAList_IsRefused_AndSoAreItsCasualties()
    {
        using var editor = await host.Factory.ClientAsAsync(Roles.Editor);
        var accident = new Dictionary<string, object?>
        {
            ["id"] = new[] { "ACC-1", "ACC-2" },
            ["occurred_on"] = "2024-03-02",
            ["lon"] = -24.5,
            ["lat"] = -31.1,
            ["casualties"] = new[] { new Dictionary<string, object?> { ["id"] = "CAS-1", ["outcome"] = "injured" } },
        };
        using var response = await editor.PostAsJsonAsync("/api/records/accidents", accident, Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity, await response.Content.ReadAsStringAsync(Ct));
        (await response.Content.ReadAsStringAsync(Ct)).ShouldContain("give one value, not a list");
        using var admin = await host.Factory.ClientAsAsync(Roles.Administrator);
        var page = await admin.GetFromJsonAsync<JsonElement>("/api/registers/casualties", Ct);
        page.GetProperty("number_matched").GetInt32().ShouldBe(0, "nothing was stored");
    }

    private static Dictionary<string, object?> Hazard(string id) => new()
    {
        ["id"] = id,
        ["name"] = "Odd id",
        ["classification"] = "suspected",
        ["status"] = "open",
        ["recorded_on"] = "2024-01-01",
        ["geometry"] = JsonDocument.Parse("""{"type":"Polygon","coordinates":[[[-24.6,-31.2],[-24.59,-31.2],[-24.59,-31.19],[-24.6,-31.2]]]}""").RootElement,
    };
}
