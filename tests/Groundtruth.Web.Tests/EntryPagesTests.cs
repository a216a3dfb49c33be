using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Groundtruth.Application.Datasets;
using Groundtruth.Application.Entry;
using Groundtruth.Application.Security;
using Groundtruth.Application.Users;
using Groundtruth.Web.Setup;
using Microsoft.AspNetCore.Hosting;

namespace Groundtruth.Web.Tests;

/// <summary>The entry forms over plain HTTP with a cookie: who may open them, errors next to fields with values kept, and what is stored.</summary>
public sealed partial class EntryPagesTests(EntryHost host) : IClassFixture<EntryHost>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<HttpClient> SignedInAsync(string name)
    {
        var client = host.Factory.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = true });
        await PageSession.SignInAsync(client, name);
        return client;
    }

    /// <summary>Posts <paramref name="fields"/> to the form at <paramref name="url"/> with the antiforgery token of <paramref name="page"/>.</summary>
    private static async Task<HttpResponseMessage> PostFormAsync(HttpClient client, string url, string page, IEnumerable<KeyValuePair<string, string>> fields)
    {
        var html = await client.GetStringAsync(page, Ct);
        var token = Antiforgery().Match(html).Groups[1].Value;
        token.ShouldNotBeEmpty();
        using var form = new FormUrlEncodedContent(fields.Append(new("__RequestVerificationToken", token)));
        return await client.PostAsync(url, form, Ct);
    }

    private static string FieldError(string html, string key) =>
        Regex.Match(html, $"<span class=\"error field-error\" data-for=\"{Regex.Escape(key)}\">([^<]*)</span>").Groups[1].Value.Replace("&#x27;", "'", StringComparison.Ordinal);

    [Theory]
    [InlineData("anonymous", "/login")]
    [InlineData(Roles.Viewer, "/denied")]
    [InlineData(Roles.Analyst, "/denied")]
    public async Task EntryForms_AreForEditorsAndAbove(string caller, string redirect)
    {
        using var client = caller == "anonymous" ? host.Factory.CreateClient(new() { AllowAutoRedirect = false }) : await SignedInAsync(caller);
        foreach (var url in new[] { "/entry", "/entry/finds", "/entry/accidents", "/entry/hazards/HA-001/status" })
        {
            using var response = await client.GetAsync(url, Ct);
            response.StatusCode.ShouldBe(HttpStatusCode.Redirect, url);
            response.Headers.Location!.AbsolutePath.ShouldBe(redirect, url);
        }
        using var editor = await SignedInAsync(Roles.Editor);
        (await editor.GetAsync("/entry/accidents", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await editor.GetAsync("/entry/places", Ct)).StatusCode.ShouldBe(HttpStatusCode.NotFound, "places come from files");
        (await editor.GetStringAsync("/registers/finds", Ct)).ShouldContain("href=\"/entry\">Enter</a>");
    }

    [Fact]
    public async Task EntryForm_WithoutTheAntiforgeryToken_IsRefused()
    {
        using var editor = await SignedInAsync(Roles.Editor);
        using var form = new FormUrlEncodedContent([new("id", "FD-T0"), new("found_on", "2024"), new("category", "uxo")]);
        using var response = await editor.PostAsync("/entry/finds", form, Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task HazardForm_ShowsEachProblemNextToItsField_KeepsTheValues_ThenStores()
    {
        using var approver = await SignedInAsync(Roles.Approver);
        KeyValuePair<string, string>[] Fields(string status, string certificate) =>
        [
            new("id", "HA-F1"), new("name", "Orchard edge"), new("classification", "suspected"), new("status", status),
            new("recorded_on", "2024-04-02"), new("contamination", "anti_personnel_mine;uxo"), new("handover_certificate", certificate),
            new("geometry", "POLYGON((-24.50 -31.00, -24.49 -31.00, -24.49 -30.99, -24.50 -30.99, -24.50 -31.00))"), new("action", "save"),
        ];

        using var refused = await PostFormAsync(approver, "/entry/hazards", "/entry/hazards", Fields("handed_over", ""));
        var html = await refused.Content.ReadAsStringAsync(Ct);

        refused.StatusCode.ShouldBe(HttpStatusCode.OK);
        FieldError(html, "handover_certificate").ShouldBe("a handed-over area needs its handover certificate");
        html.ShouldContain("value=\"Orchard edge\"");
        html.ShouldContain("POLYGON((-24.50 -31.00");
        html.ShouldContain("<option value=\"handed_over\" selected=\"selected\">");

        using var stored = await PostFormAsync(approver, "/entry/hazards", "/entry/hazards", Fields("handed_over", "HC-2024-17"));
        stored.StatusCode.ShouldBe(HttpStatusCode.Redirect, await stored.Content.ReadAsStringAsync(Ct));
        stored.Headers.Location!.ToString().ShouldBe("/registers/hazards/HA-F1");
        var record = await approver.GetStringAsync("/registers/hazards/HA-F1", Ct);
        record.ShouldContain("HC-2024-17");
        record.ShouldContain(Groundtruth.Application.Resources.Labels.Show(Groundtruth.Application.Datasets.DatasetCatalog.Hazards.Field("contamination")!, "anti_personnel_mine;uxo"), Case.Sensitive, "the record page shows the values in words");
    }

    [Fact]
    public async Task StatusForm_OnTheRegisterPage_RefusesAReopeningWithoutReason_AndTakesOneWithIt()
    {
        using var approver = await SignedInAsync(Roles.Approver);
        var register = await approver.GetStringAsync("/registers/hazards/HA-002", Ct);
        register.ShouldContain("id=\"status-form\"");
        using var closed = await PostFormAsync(approver, "/entry/hazards/HA-002/status", "/registers/hazards/HA-002",
            [new("status", "closed"), new("status_reason", "cleared"), new("recorded_on", "2022-05-01")]);
        closed.StatusCode.ShouldBe(HttpStatusCode.Redirect, await closed.Content.ReadAsStringAsync(Ct));

        using var refused = await PostFormAsync(approver, "/entry/hazards/HA-002/status", "/entry/hazards/HA-002/status",
            [new("status", "worked_on"), new("recorded_on", "2023-01-10")]);
        var html = await refused.Content.ReadAsStringAsync(Ct);
        refused.StatusCode.ShouldBe(HttpStatusCode.OK);
        FieldError(html, "status").ShouldStartWith("reopening a closed area needs a reason (status_reason)");
        html.ShouldContain("value=\"2023-01-10\"");

        using var reopened = await PostFormAsync(approver, "/entry/hazards/HA-002/status", "/entry/hazards/HA-002/status",
            [new("status", "worked_on"), new("status_reason", "device found by a farmer"), new("recorded_on", "2023-01-10")]);
        reopened.StatusCode.ShouldBe(HttpStatusCode.Redirect, await reopened.Content.ReadAsStringAsync(Ct));
        using var analyst = await host.Factory.ClientAsAsync(Roles.Analyst);
        var row = JsonNode.Parse(await analyst.GetStringAsync("/api/registers/hazards/HA-002", Ct))!["row"]!;
        (row["status"]!.GetValue<string>(), row["status_reason"]!.GetValue<string>(), row["name"]!.GetValue<string>()).ShouldBe(("worked_on", "device found by a farmer", "Riverbank"));
        row["area_m2"]!.GetValue<double>().ShouldBeGreaterThan(0, "the perimeter is kept");
    }

    /// <summary>Issue 14: the accident form coming back with a casualty's name must be kept by no cache; without the grant it holds none.</summary>
    [Fact]
    public async Task AccidentForm_ComingBackWithPersonalData_IsKeptByNoCache()
    {
        KeyValuePair<string, string>[] accident =
        [
            new("id", "AC-NS1"), new("occurred_on", "2024-02-21"), new("kind", "mine_erw"), new("lon", "-24.35"), new("lat", "-31.35"),
            new("casualty_rows", "1"), new("c0.id", "CA-NS1"), new("c0.outcome", "injured"), new("c0.name", "Fictional Person Ilse"), new("action", "add_casualty"),
        ];
        using var recorder = await SignedInAsync(EntryHost.Recorder);
        using var kept = await PostFormAsync(recorder, "/entry/accidents", "/entry/accidents", accident);
        kept.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await kept.Content.ReadAsStringAsync(Ct)).ShouldContain("Fictional Person Ilse");
        kept.Headers.CacheControl?.NoStore.ShouldBe(true);

        using var editor = await SignedInAsync(Roles.Editor);
        using var plain = await PostFormAsync(editor, "/entry/accidents", "/entry/accidents", accident);
        plain.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await plain.Content.ReadAsStringAsync(Ct)).ShouldNotContain("Fictional Person Ilse", Case.Sensitive, "an editor without the grant is given no name field");
    }

    [Fact]
    public async Task AccidentForm_AddsCasualtyRows_AndAnEditorsEntryWaitsForApproval()
    {
        using var editor = await SignedInAsync(Roles.Editor);
        List<KeyValuePair<string, string>> accident =
        [
            new("id", "AC-F1"), new("occurred_on", "2024-02-20"), new("kind", "mine_erw"), new("lon", "-24.35"), new("lat", "-31.35"),
            new("casualty_rows", "1"), new("c0.id", "CA-F1"), new("c0.outcome", "injured"), new("c0.age", "9"),
        ];

        using var added = await PostFormAsync(editor, "/entry/accidents", "/entry/accidents", [.. accident, new("action", "add_casualty")]);
        var html = await added.Content.ReadAsStringAsync(Ct);
        html.ShouldContain("name=\"c1.outcome\"");
        html.ShouldContain("value=\"CA-F1\"");

        using var refused = await PostFormAsync(editor, "/entry/accidents", "/entry/accidents",
            [.. accident.Where(kv => kv.Key != "casualty_rows"), new("casualty_rows", "2"), new("c1.id", "CA-F2"), new("c1.outcome", "maimed"), new("action", "save")]);
        FieldError(await refused.Content.ReadAsStringAsync(Ct), "c1.outcome").ShouldStartWith("unknown value; valid: unknown, killed, injured");

        using var stored = await PostFormAsync(editor, "/entry/accidents", "/entry/accidents",
            [.. accident.Where(kv => kv.Key != "casualty_rows"), new("casualty_rows", "2"), new("c1.id", "CA-F2"), new("c1.outcome", "killed"), new("action", "save")]);
        stored.StatusCode.ShouldBe(HttpStatusCode.Redirect, await stored.Content.ReadAsStringAsync(Ct));
        stored.Headers.Location!.ToString().ShouldStartWith("/workbench/");
        using var approver = await host.Factory.ClientAsAsync(Roles.Approver);
        var submissions = JsonNode.Parse(await approver.GetStringAsync("/api/submissions", Ct))!.AsArray()
            .Where(s => s!["submitted_by"]!.GetValue<string>() == Roles.Editor && s["file_name"]?.GetValue<string>() is "accidents-entry.geojson" or "casualties-entry.geojson")
            .Select(s => (s!["dataset"]!.GetValue<string>(), s["record_count"]!.GetValue<int>())).ToList();
        submissions.ShouldContain(("accidents", 1));
        submissions.ShouldContain(("casualties", 2));
    }

    [Fact]
    public async Task FindForm_ShowsTheNextId_MarksRequiredFieldsInWords_AndKeepsCoordinatesLeftToRight()
    {
        using var editor = await SignedInAsync(Roles.Editor);
        var html = await editor.GetStringAsync("/entry/finds", Ct);
        var year = DateTime.UtcNow.Year;
        Regex.IsMatch(html, $"placeholder=\"FND-{year}-\\d{{5}}\"").ShouldBeTrue("the next id is shown before saving");
        html.ShouldContain($"FND-{year}-");
        // found_on and category are required: said in words and to assistive technology; the id is not (it is given).
        Regex.IsMatch(html, "<label for=\"found_on\">[^<]*<span class=\"required\"> \\(required\\)</span>\\s*</label>").ShouldBeTrue(Regex.Match(html, "<label for=\"found_on\">.{0,120}").Value);
        Regex.IsMatch(html, "id=\"found_on\"[^>]*aria-required=\"true\"").ShouldBeTrue();
        Regex.IsMatch(html, "<label for=\"id\">[^<]*</label>").ShouldBeTrue("the id is not required when the pattern gives it");
        Regex.IsMatch(html, "<small id=\"found_on-help\">[^<]*A date: YYYY-MM-DD, YYYY-MM or YYYY.</small>").ShouldBeTrue("partial dates are allowed, and said");
        Regex.IsMatch(html, "id=\"found_on\"[^>]*aria-describedby=\"found_on-help\"").ShouldBeTrue();
        Regex.IsMatch(html, "id=\"lon\"[^>]*dir=\"ltr\"").ShouldBeTrue();
        // The hazard reference is a combobox searching the hazardous areas, with "nearest".
        Regex.IsMatch(html, "data-lookup=\"/api/lookup/hazards\"[^>]*>\\s*<input id=\"hazard_id\"[^>]*role=\"combobox\"").ShouldBeTrue();
        html.ShouldContain("data-nearest");
    }

    [Fact]
    public async Task FindForm_WithABadCoordinateAndAFutureDate_ReportsBothInOneRound_ThenStoresWithTheGeneratedId()
    {
        using var approver = await SignedInAsync(Roles.Approver);
        var future = DateTime.UtcNow.AddYears(1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        KeyValuePair<string, string>[] Fields(string lon, string foundOn) =>
            [new("found_on", foundOn), new("category", "uxo"), new("lon", lon), new("lat", "-30.89"), new("hazard_id", "HA-001"), new("action", "save")];

        using var refused = await PostFormAsync(approver, "/entry/finds", "/entry/finds", Fields("-524.89", future));
        var html = await refused.Content.ReadAsStringAsync(Ct);
        refused.StatusCode.ShouldBe(HttpStatusCode.OK);
        FieldError(html, "found_on").ShouldBe("the date is in the future");
        FieldError(html, "lon").ShouldNotBeEmpty("the coordinate is named in the same round");
        html.ShouldContain("Nothing was stored: 2 problem(s)");
        html.ShouldContain("<a href=\"#found_on\">");

        using var unreadable = await PostFormAsync(approver, "/entry/finds", "/entry/finds",
            [.. Fields("", future).Where(kv => kv.Key is not ("lon" or "lat")), new("geometry", "{not json")]);
        var both = await unreadable.Content.ReadAsStringAsync(Ct);
        FieldError(both, "geometry").ShouldStartWith("not valid GeoJSON");
        FieldError(both, "found_on").ShouldBe("the date is in the future", "a problem the form finds itself does not hide the others");

        using var stored = await PostFormAsync(approver, "/entry/finds", "/entry/finds", Fields("-24.89", "2024-05"));
        stored.StatusCode.ShouldBe(HttpStatusCode.Redirect, await stored.Content.ReadAsStringAsync(Ct));
        stored.Headers.Location!.ToString().ShouldMatch($"^/registers/finds/FND-{DateTime.UtcNow.Year}-\\d{{5}}$");
    }

    [Fact]
    public async Task FindForm_KeepsTheIdItShows_UntilAWriteMovesItOn_AndSavingTakesTheNextFreeIdWhateverWasShown()
    {
        // A host that reads the data's change stamp once an hour: only its own writes (and the stamp's first read)
        // move the key under which it keeps the form's next id (NextIdsCache).
        await using var hourly = host.Factory.WithWebHostBuilder(b => b.UseSetting(CachingSetup.CheckIntervalKey, "3600000"));
        using var approver = hourly.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = true });
        await PageSession.SignInAsync(approver, Roles.Approver);
        static string Shown(string html) => Regex.Match(html, "placeholder=\"(FND-\\d{4}-\\d{5})\"").Groups[1].Value;
        static string Plus(string id, int n) => id[..^5] + (int.Parse(id[^5..], CultureInfo.InvariantCulture) + n).ToString("00000", CultureInfo.InvariantCulture);
        var shown = Shown(await approver.GetStringAsync("/entry/finds", Ct));
        shown.ShouldNotBeEmpty();

        // Another process takes that id: this host does not know yet, and keeps showing it.
        var outside = await new RecordEntryHandler(host.Database.Target, TimeProvider.System).HandleAsync(
            new EntryRequest(DatasetCatalog.Finds, new JsonObject { ["found_on"] = "2024-06", ["category"] = "uxo", ["lon"] = "-24.88", ["lat"] = "-30.88" }, [],
                Pending: false, Access.Full("another process")), Ct);
        outside.Id.ShouldBe(shown);
        Shown(await approver.GetStringAsync("/entry/finds", Ct)).ShouldBe(shown, "kept until the check interval or a write through this host");

        // Saving reads the ids afresh and takes the next free one; the form then shows the one after it.
        using var stored = await PostFormAsync(approver, "/entry/finds", "/entry/finds",
            [new("found_on", "2024-06"), new("category", "uxo"), new("lon", "-24.89"), new("lat", "-30.89"), new("hazard_id", "HA-001"), new("action", "save")]);
        stored.StatusCode.ShouldBe(HttpStatusCode.Redirect, await stored.Content.ReadAsStringAsync(Ct));
        stored.Headers.Location!.ToString().ShouldBe($"/registers/finds/{Plus(shown, 1)}");
        Shown(await approver.GetStringAsync("/entry/finds", Ct)).ShouldBe(Plus(shown, 2), "the host's own write moved the key at once");
    }

    [Fact]
    public async Task Lookup_FindsRecordsByText_AndNearestToAPoint_ForEditorsOnly()
    {
        using var editor = await host.Factory.ClientAsAsync(Roles.Editor);
        var byText = JsonNode.Parse(await editor.GetStringAsync("/api/lookup/hazards?q=river", Ct))!.AsArray();
        byText.Select(i => i!["id"]!.GetValue<string>()).ShouldBe(["HA-002"]);
        byText[0]!["label"]!.GetValue<string>().ShouldStartWith("Riverbank");

        // Inside HA-001 (0 m), then HA-002 about 90 km away: the order and the distances an independent haversine gives.
        var near = JsonNode.Parse(await editor.GetStringAsync("/api/lookup/hazards?lon=-24.89&lat=-30.89", Ct))!.AsArray();
        near[0]!["id"]!.GetValue<string>().ShouldBe("HA-001");
        near[0]!["distance_m"]!.GetValue<double>().ShouldBe(0);
        var second = near.First(i => i!["id"]!.GetValue<string>() == "HA-002")!["distance_m"]!.GetValue<double>();
        // The nearest corner of HA-002 is (-24.20, -31.38).
        second.ShouldBe(Haversine(-24.89, -30.89, -24.20, -31.38), 1.0);

        (await editor.GetAsync("/api/lookup/finds?q=x", Ct)).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await editor.GetAsync("/api/lookup/hazards?lon=500&lat=0", Ct)).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        using var viewer = await host.Factory.ClientAsAsync(Roles.Viewer);
        (await viewer.GetAsync("/api/lookup/hazards?q=HA", Ct)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    private static double Haversine(double lon1, double lat1, double lon2, double lat2)
    {
        static double Rad(double d) => d * Math.PI / 180;
        var h = Math.Pow(Math.Sin(Rad(lat2 - lat1) / 2), 2) + Math.Cos(Rad(lat1)) * Math.Cos(Rad(lat2)) * Math.Pow(Math.Sin(Rad(lon2 - lon1) / 2), 2);
        return 2 * 6_371_008.8 * Math.Asin(Math.Sqrt(h));
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Antiforgery();
}
