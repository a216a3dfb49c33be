using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Groundtruth.Application.Users;
using Groundtruth.Web.Tests.Statistics;

namespace Groundtruth.Web.Tests;

/// <summary>One API endpoint as the matrix calls it: a request that passes validation when the caller may call it.</summary>
/// <param name="Route">The route template, as the endpoint data source lists it.</param>
/// <param name="Allowed">Who gets <paramref name="Success"/>; every other signed-in caller gets 403, anonymous 401.</param>
public sealed record MatrixEndpoint(string Method, string Route, string Url, Func<HttpContent?> Body, HttpStatusCode Success, Func<string, bool> Allowed)
{
    public override string ToString() => $"{Method} {Url}";
}

/// <summary>
/// Every endpoint × every role and anonymous → the expected status (DESIGN section 7). Calls that are
/// allowed are made harmless (a bad file, a submission that does not exist) so the matrix changes nothing.
/// </summary>
public sealed class AuthorizationMatrixTests(HazardsHost host)
{
    private static bool AtLeast(string role, string caller) =>
        caller != "anonymous" && Roles.AtLeast(role).Contains(caller == TestUsers.Keeper ? Roles.Analyst : caller);

    private static MultipartFormDataContent BadCsv() => new MultipartFormDataContent
    {
        { new StringContent("id,name,classification,status,recorded_on,wkt\nHA-900,x,probable,open,2020,POINT(0 0)\n"), "file", "bad.csv" },
    };

    private static JsonContent Json(object o) => JsonContent.Create(o);

    /// <summary>
    /// Verdicts, exports, risk map and priorities (docs/web.md). On this database (four hazards, nothing else) the risk
    /// model has no data to learn from, so an allowed caller gets 422, which still proves it was let in.
    /// </summary>
    private static readonly MatrixEndpoint[] VerdictsExportAndRiskEndpoints =
    [
        new("GET", "/api/records/accuracy/verdicts", "/api/records/accuracy/verdicts", () => null, HttpStatusCode.OK, c => AtLeast(Roles.Viewer, c)),
        new("GET", "/api/records/accuracy/verdicts/status", "/api/records/accuracy/verdicts/status", () => null, HttpStatusCode.OK, c => AtLeast(Roles.Viewer, c)),
        new("GET", "/api/export/{dataset}", "/api/export/hazards?format=csv", () => null, HttpStatusCode.OK, c => AtLeast(Roles.Viewer, c)),
        new("GET", "/api/export/{dataset}", "/api/export/casualties?format=geojson", () => null, HttpStatusCode.OK, c => AtLeast(Roles.Analyst, c)),
        new("GET", "/api/risk/map", "/api/risk/map?cell=500", () => null, HttpStatusCode.UnprocessableEntity, c => AtLeast(Roles.Analyst, c)),
        new("GET", "/api/risk/map/{file}", "/api/risk/map/risk.tif?cell=500", () => null, HttpStatusCode.UnprocessableEntity, c => AtLeast(Roles.Analyst, c)),
        new("GET", "/api/priorities", "/api/priorities?format=csv", () => null, HttpStatusCode.OK, c => AtLeast(Roles.Analyst, c)),
        new("GET", "/api/risk/map/status", "/api/risk/map/status?cell=500", () => null, HttpStatusCode.OK, c => AtLeast(Roles.Analyst, c)),
        new("GET", "/api/priorities/status", "/api/priorities/status", () => null, HttpStatusCode.OK, c => AtLeast(Roles.Analyst, c)),
        new("GET", "/api/reports/{id}/status", "/api/reports/0123456789abcdef0123456789abcdef/status", () => null, HttpStatusCode.NotFound, c => AtLeast(Roles.Analyst, c)),
        new("GET", "/api/reports/{id}/file", "/api/reports/0123456789abcdef0123456789abcdef/file", () => null, HttpStatusCode.NotFound, c => AtLeast(Roles.Analyst, c)),
    ];

    public static readonly IReadOnlyList<MatrixEndpoint> Endpoints =
    [
        .. VerdictsExportAndRiskEndpoints,
        new("GET", "/health", "/health", () => null, HttpStatusCode.OK, _ => true),
        new("POST", "/api/token", "/api/token", () => Json(new { name = "nobody", password = "wrong password!" }), HttpStatusCode.Unauthorized, _ => true),
        new("GET", "/api/me", "/api/me", () => null, HttpStatusCode.OK, c => AtLeast(Roles.Viewer, c)),
        new("GET", "/api/labels", "/api/labels", () => null, HttpStatusCode.OK, c => AtLeast(Roles.Viewer, c)),
        new("GET", "/api/hazards", "/api/hazards", () => null, HttpStatusCode.OK, c => AtLeast(Roles.Analyst, c)),
        new("GET", "/api/stats/{dataset}", "/api/stats/casualties?by=outcome", () => null, HttpStatusCode.OK, c => AtLeast(Roles.Viewer, c)),
        new("GET", "/api/features/{dataset}", "/api/features/hazards", () => null, HttpStatusCode.OK, c => AtLeast(Roles.Viewer, c)),
        new("GET", "/api/features/{dataset}", "/api/features/casualties", () => null, HttpStatusCode.OK, c => AtLeast(Roles.Analyst, c)),
        new("GET", "/api/stats/{dataset}", "/api/stats/casualties?by=outcome&include_pending=true", () => null, HttpStatusCode.OK, c => AtLeast(Roles.Analyst, c)),
        new("GET", "/api/features/{dataset}", "/api/features/hazards?include_pending=true", () => null, HttpStatusCode.OK, c => AtLeast(Roles.Analyst, c)),
        new("GET", "/api/registers/{dataset}", "/api/registers/hazards", () => null, HttpStatusCode.OK, c => AtLeast(Roles.Analyst, c)),
        new("GET", "/api/registers/{dataset}", "/api/registers/casualties", () => null, HttpStatusCode.OK, c => AtLeast(Roles.Analyst, c)),
        new("GET", "/api/registers/{dataset}/{id}", "/api/registers/hazards/HA-001", () => null, HttpStatusCode.OK, c => AtLeast(Roles.Analyst, c)),
        new("POST", "/api/uploads/{dataset}", "/api/uploads/hazards", BadCsv, HttpStatusCode.UnprocessableEntity, c => AtLeast(Roles.Editor, c)),
        new("POST", "/api/records/{dataset}", "/api/records/finds", () => Json(new { id = "FD-900", found_on = "2020", category = "banana", lon = -24.5, lat = -31.5 }), HttpStatusCode.UnprocessableEntity, c => AtLeast(Roles.Editor, c)),
        new("GET", "/api/lookup/{dataset}", "/api/lookup/hazards?q=HA", () => null, HttpStatusCode.OK, c => AtLeast(Roles.Editor, c)),
        new("GET", "/api/submissions", "/api/submissions", () => null, HttpStatusCode.OK, c => AtLeast(Roles.Editor, c)),
        new("GET", "/api/submissions/{id:long}", "/api/submissions/1", () => null, HttpStatusCode.OK, c => AtLeast(Roles.Editor, c)),
        new("POST", "/api/submissions/{id:long}/approve", "/api/submissions/999999/approve", () => Json(new { items = Array.Empty<object>() }), HttpStatusCode.Conflict, c => AtLeast(Roles.Approver, c)),
        new("POST", "/api/submissions/{id:long}/reject", "/api/submissions/999999/reject", () => Json(new { reason = "test" }), HttpStatusCode.Conflict, c => AtLeast(Roles.Approver, c)),
        new("POST", "/api/submissions/{id:long}/unapprove", "/api/submissions/999999/unapprove", () => Json(new { reason = "test" }), HttpStatusCode.Conflict, c => AtLeast(Roles.Approver, c)),
        new("GET", "/api/users", "/api/users", () => null, HttpStatusCode.OK, c => c == Roles.Administrator),
        new("POST", "/api/users", "/api/users", () => Json(new { name = "x", roles = new[] { "king" } }), HttpStatusCode.BadRequest, c => c == Roles.Administrator),
        new("GET", "/api/audit", "/api/audit", () => null, HttpStatusCode.OK, c => c == Roles.Administrator),
        new("GET", "/api/casualties/{id}/personal-data", "/api/casualties/CA-1/personal-data", () => null, HttpStatusCode.NotFound, c => c == TestUsers.Keeper),
    ];

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var caller in TestUsers.Callers)
        {
            foreach (var e in Endpoints) data.Add(caller, e.ToString());
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Endpoint_AnswersEachCallerAsTheRolesSay(string caller, string endpoint)
    {
        var e = Endpoints.Single(x => x.ToString() == endpoint);
        using var client = await host.Factory.ClientAsAsync(caller);
        using var request = new HttpRequestMessage(new HttpMethod(e.Method), e.Url) { Content = e.Body() };

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);

        var expected = e.Allowed(caller) ? e.Success : caller == "anonymous" ? HttpStatusCode.Unauthorized : HttpStatusCode.Forbidden;
        response.StatusCode.ShouldBe(expected, $"{caller}: {e}: {await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)}");
        response.Headers.Location.ShouldBeNull("the API never redirects to the sign-in page");
    }

    [Fact]
    public async Task Writes_RefuseTheCookie_SoNoCrossSiteRequestCanMakeThem()
    {
        using var client = host.Factory.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = true });
        await PageSession.SignInAsync(client, Roles.Administrator);
        (await client.GetAsync("/api/me", TestContext.Current.CancellationToken)).StatusCode.ShouldBe(HttpStatusCode.OK);

        using var upload = await client.PostAsync("/api/uploads/hazards", BadCsv(), TestContext.Current.CancellationToken);
        upload.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        using var entry = await client.PostAsync("/api/records/finds", Json(new { id = "FD-901" }), TestContext.Current.CancellationToken);
        entry.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        using var approve = await client.PostAsync("/api/submissions/1/reject", Json(new { reason = "x" }), TestContext.Current.CancellationToken);
        approve.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Responses_CarrySecurityHeaders()
    {
        using var client = host.Factory.CreateClient();
        using var response = await client.GetAsync("/health", TestContext.Current.CancellationToken);
        response.Headers.GetValues("X-Content-Type-Options").ShouldBe(["nosniff"]);
        response.Headers.GetValues("X-Frame-Options").ShouldBe(["DENY"]);
        response.Headers.GetValues("Content-Security-Policy").Single().ShouldContain("default-src 'self'");
        response.Headers.GetValues("Referrer-Policy").ShouldBe(["no-referrer"]);
    }
}

/// <summary>What each role reads, asserted on the raw JSON: fields, and how precise the geometry is.</summary>
public sealed class ReadPrecisionTests(DemoStatsHost host) : IClassFixture<DemoStatsHost>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static IEnumerable<double> Coordinates(JsonNode? node) => node switch
    {
        JsonArray a when a.Count > 0 && a[0] is JsonValue => a.Select(v => v!.GetValue<double>()),
        JsonArray a => a.SelectMany(Coordinates),
        _ => [],
    };

    private static bool OnGrid(double v, double offset) => Math.Abs(Math.Round((v - offset) / 0.01) * 0.01 + offset - v) < 1e-9;

    [Theory]
    [InlineData("finds", 0.005)]
    [InlineData("accidents", 0.005)]
    [InlineData("hazards", 0.0)]
    [InlineData("land-release", 0.0)]
    public async Task Viewer_GetsGridCellsOnly_NeverAnExactCoordinate(string dataset, double offset)
    {
        using var viewer = await host.Factory.ClientAsAsync(Roles.Viewer);
        using var analyst = await host.Factory.ClientAsAsync(Roles.Analyst);
        var generalised = JsonNode.Parse(await viewer.GetStringAsync($"/api/features/{dataset}?limit=10000", Ct))!;
        var exact = JsonNode.Parse(await analyst.GetStringAsync($"/api/features/{dataset}?limit=10000", Ct))!;

        generalised["generalised_to_degrees"]!.GetValue<double>().ShouldBe(0.01);
        var features = generalised["features"]!.AsArray();
        features.Count.ShouldBeGreaterThan(0);
        foreach (var f in features)
        {
            foreach (var c in Coordinates(f!["geometry"]!["coordinates"])) OnGrid(c, offset).ShouldBeTrue($"{dataset} {f["id"]}: {c} is not on the 0.01° grid");
            f["properties"]!.AsObject().ContainsKey("original_wkt").ShouldBeFalse();
        }
        var exactCoordinates = exact["features"]!.AsArray().SelectMany(f => Coordinates(f!["geometry"]!["coordinates"])).ToHashSet();
        exactCoordinates.Any(c => !OnGrid(c, offset)).ShouldBeTrue("the analyst's geometry is exact");
        features.SelectMany(f => Coordinates(f!["geometry"]!["coordinates"])).Where(c => !OnGrid(c, offset)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Viewer_DoesNotGetMinefieldRecordsUnderAHandlingLabel()
    {
        using var viewer = await host.Factory.ClientAsAsync(Roles.Viewer);
        using var analyst = await host.Factory.ClientAsAsync(Roles.Analyst);
        var v = JsonNode.Parse(await viewer.GetStringAsync("/api/features/minefield-records?limit=10000", Ct))!["features"]!.AsArray();
        var a = JsonNode.Parse(await analyst.GetStringAsync("/api/features/minefield-records?limit=10000", Ct))!["features"]!.AsArray();
        a.ShouldContain(f => f!["properties"]!["handling"] != null);
        v.ShouldAllBe(f => f!["properties"]!["handling"] == null);
        v.Count.ShouldBeLessThan(a.Count);
    }

    [Theory]
    [InlineData("/api/features/casualties?limit=10000")]
    [InlineData("/api/registers/casualties?limit=10000")]
    public async Task Casualties_NeverCarryPersonalData(string url)
    {
        using var analyst = await host.Factory.ClientAsAsync(TestUsers.Keeper);
        var body = await analyst.GetStringAsync(url, Ct);
        body.ShouldNotContain("\"name\"");
        body.ShouldNotContain("date_of_birth");
        body.ShouldNotContain("injuries");
    }

    [Fact]
    public async Task Features_FilterByBoxDateAndAttribute_AndPage()
    {
        using var analyst = await host.Factory.ClientAsAsync(Roles.Analyst);
        var all = JsonNode.Parse(await analyst.GetStringAsync("/api/features/finds?limit=0", Ct))!;
        var total = all["number_matched"]!.GetValue<int>();
        all["number_returned"]!.GetValue<int>().ShouldBe(0);
        var page = JsonNode.Parse(await analyst.GetStringAsync("/api/features/finds?limit=10&offset=5", Ct))!;
        page["number_returned"]!.GetValue<int>().ShouldBe(10);
        var booby = JsonNode.Parse(await analyst.GetStringAsync("/api/features/finds?where=category%3Dbooby_trap&from=2023&limit=10000", Ct))!;
        booby["number_matched"]!.GetValue<int>().ShouldBeLessThan(total);
        foreach (var f in booby["features"]!.AsArray())
        {
            f!["properties"]!["category"]!.GetValue<string>().ShouldBe("booby_trap");
            string.CompareOrdinal(f["properties"]!["found_on"]!.GetValue<string>(), "2023").ShouldBeGreaterThanOrEqualTo(0);
        }
        var box = JsonNode.Parse(await analyst.GetStringAsync("/api/features/finds?bbox=-25,-32,-24.5,-31.5&limit=10000", Ct))!;
        foreach (var f in box["features"]!.AsArray())
        {
            var c = Coordinates(f!["geometry"]!["coordinates"]).ToArray();
            c[0].ShouldBeInRange(-25, -24.5);
            c[1].ShouldBeInRange(-32, -31.5);
        }
    }
}

/// <summary>Signs a cookie client in through the login page, antiforgery token and all.</summary>
public static partial class PageSession
{
    public static async Task SignInAsync(HttpClient client, string name, string password = TestUsers.Password)
    {
        var page = await client.GetStringAsync("/login");
        var token = AntiforgeryField().Match(page).Groups[1].Value;
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Name"] = name, ["Password"] = password, ["__RequestVerificationToken"] = token,
        });
        using var response = await client.PostAsync("/login", form);
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect, await response.Content.ReadAsStringAsync());
    }

    [System.Text.RegularExpressions.GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial System.Text.RegularExpressions.Regex AntiforgeryField();
}
