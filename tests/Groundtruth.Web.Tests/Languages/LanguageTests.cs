using System.Net;
using System.Text.Json.Nodes;
using Groundtruth.Application.Users;
using Groundtruth.Web.Tests.Records;

namespace Groundtruth.Web.Tests.Languages;

/// <summary>
/// The language of a request (cookie from the selector, the user's profile, Accept-Language) changes what people read,
/// never what programs read: exports and the API answer byte for byte the same in English, French and Arabic.
/// </summary>
public sealed class LanguageTests(LabelledDemoHost host) : IClassFixture<LabelledDemoHost>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static HttpRequestMessage Get(string path, string? acceptLanguage = null, string? cookieLanguage = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (acceptLanguage is not null) request.Headers.AcceptLanguage.ParseAdd(acceptLanguage);
        if (cookieLanguage is not null) request.Headers.Add("Cookie", $".AspNetCore.Culture=c%3D{cookieLanguage}%7Cuic%3D{cookieLanguage}");
        return request;
    }

    private async Task<string> TextAsync(HttpClient client, HttpRequestMessage request)
    {
        using (request)
        using (var response = await client.SendAsync(request, Ct))
        {
            var body = await response.Content.ReadAsStringAsync(Ct);
            response.StatusCode.ShouldBe(HttpStatusCode.OK, $"{request.RequestUri}: {body}");
            return body;
        }
    }

    [Theory]
    [InlineData("ar", "rtl", "تسجيل الدخول")]
    [InlineData("uk", "ltr", "Вхід")]
    [InlineData("fr-CA,fr;q=0.9", "ltr", "Connexion")]
    [InlineData("de", "ltr", "Sign in")]
    public async Task The_browsers_language_sets_the_page_language_and_direction(string acceptLanguage, string direction, string signIn)
    {
        using var client = await host.Factory.ClientAsAsync("anonymous");
        var html = await TextAsync(client, Get("/login", acceptLanguage));
        var language = acceptLanguage == "de" ? "en" : acceptLanguage[..2];
        html.ShouldContain($"<html lang=\"{language}\" dir=\"{direction}\">");
        html.ShouldContain($"<h1>{signIn}</h1>");
    }

    [Fact]
    public async Task The_selector_sets_a_cookie_that_wins_over_the_browser_and_never_redirects_away()
    {
        using var client = await host.Factory.ClientAsAsync("anonymous");
        using var chosen = await client.SendAsync(Get("/language?culture=ru&return=/login%3Fx%3D1"), Ct);
        chosen.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        chosen.Headers.Location!.OriginalString.ShouldBe("/login?x=1");
        var cookie = chosen.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(".AspNetCore.Culture=", StringComparison.Ordinal));
        cookie.ShouldContain("c%3Dru%7Cuic%3Dru");

        var html = await TextAsync(client, Get("/login", "en", cookieLanguage: "ru"));
        html.ShouldContain("<html lang=\"ru\" dir=\"ltr\">");
        html.ShouldContain("<h1>Вход</h1>");

        using var away = await client.SendAsync(Get("/language?culture=fr&return=//evil.example/"), Ct);
        away.Headers.Location!.OriginalString.ShouldBe("/");
        using var unknown = await client.SendAsync(Get("/language?culture=xx&return=/login"), Ct);
        unknown.Headers.Contains("Set-Cookie").ShouldBeFalse();
    }

    [Fact]
    public async Task A_signed_in_users_choice_is_kept_in_their_profile_for_their_next_sign_in()
    {
        using var client = await host.Factory.ClientAsAsync(Roles.Editor);
        using (var chosen = await client.SendAsync(Get("/language?culture=pt&return=/"), Ct)) chosen.StatusCode.ShouldBe(HttpStatusCode.Redirect);

        // A new sign-in (a new token: no cookie, an English browser) carries the stored language.
        using var again = await host.Factory.ClientAsAsync(Roles.Editor);
        var html = await TextAsync(again, Get("/entry", "en"));
        html.ShouldContain("<html lang=\"pt\" dir=\"ltr\">");
        html.ShouldContain("<h1>Introduzir dados</h1>");

        using (var back = await client.SendAsync(Get("/language?culture=en&return=/"), Ct)) back.StatusCode.ShouldBe(HttpStatusCode.Redirect);
    }

    [Theory]
    [InlineData("/api/export/finds?format=csv")]
    [InlineData("/api/export/hazards?format=csv")]
    [InlineData("/api/export/finds?format=geojson")]
    [InlineData("/api/registers/land-release?limit=20")]
    [InlineData("/api/stats/finds?by=category")]
    [InlineData("/api/features/hazards?limit=5")]
    public async Task Exports_and_the_API_are_the_same_in_every_language(string path)
    {
        using var client = await host.Factory.ClientAsAsync(Roles.Approver);
        var english = await TextAsync(client, Get(path, "en"));
        var french = await TextAsync(client, Get(path, "fr", cookieLanguage: "fr"));
        var arabic = await TextAsync(client, Get(path, "ar", cookieLanguage: "ar"));
        english.ShouldContain(".", customMessage: "the answer carries decimals, so a culture's comma would show");
        french.ShouldBe(english);
        arabic.ShouldBe(english);
    }

    [Fact]
    public async Task A_human_header_row_is_in_the_readers_language_and_the_values_stay_as_they_are()
    {
        using var client = await host.Factory.ClientAsAsync(Roles.Analyst);
        var machine = (await TextAsync(client, Get("/api/export/finds?format=csv", "fr", cookieLanguage: "fr"))).Split("\r\n");
        var human = (await TextAsync(client, Get("/api/export/finds?format=csv&headers=human", "fr", cookieLanguage: "fr"))).Split("\r\n");
        machine[0].ShouldStartWith("id,found_on,category,");
        human[0].ShouldStartWith("Identifiant national,Découvert le,Catégorie d'engin,");
        human[0].Split(',').Length.ShouldBe(machine[0].Split(',').Length);
        human.Skip(1).ShouldBe(machine.Skip(1));

        using var refused = await client.SendAsync(Get("/api/export/finds?format=csv&headers=pretty"), Ct);
        refused.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await refused.Content.ReadAsStringAsync(Ct)).ShouldContain("headers");
    }

    [Fact]
    public async Task The_label_catalogue_is_served_in_the_requests_language()
    {
        using var client = await host.Factory.ClientAsAsync(Roles.Viewer);
        var arabic = JsonNode.Parse(await TextAsync(client, Get("/api/labels", "ar")))!;
        arabic["language"]!.GetValue<string>().ShouldBe("ar");
        arabic["direction"]!.GetValue<string>().ShouldBe("rtl");
        arabic["values"]!["hazards.classification"]!["confirmed"]!.GetValue<string>().ShouldBe("منطقة خطرة مؤكدة");
        arabic["labels"]!["field.found_on"]!.GetValue<string>().ShouldBe("تاريخ الاكتشاف");
        arabic["map"]!["open_record"]!.GetValue<string>().ShouldBe("فتح السجل");
        var english = JsonNode.Parse(await TextAsync(client, Get("/api/labels", "en")))!;
        english["labels"]!["yes"]!.GetValue<string>().ShouldBe("yes");
    }

    [Fact]
    public async Task Pages_show_labels_values_in_words_and_numbers_in_the_culture()
    {
        using var client = await host.Factory.ClientAsAsync(Roles.Analyst);
        var register = await TextAsync(client, Get("/registers/hazards", "fr", cookieLanguage: "fr"));
        register.ShouldContain(">Classification<");
        register.ShouldContain("Zone dangereuse confirmée");
        register.ShouldNotContain(">confirmed<");
        var help = await TextAsync(client, Get("/help/finds", "uk", cookieLanguage: "uk"));
        help.ShouldContain("Дата виявлення");
        help.ShouldContain("<code>found_on</code>");
        // Over every year of the demo (the dashboard shows this year unless told otherwise).
        var dashboard = await Statistics.DashboardComputed.HtmlAsync(() => TextAsync(client, Get("/?from=1990", "fr", cookieLanguage: "fr")));
        dashboard.ShouldContain("Mine antipersonnel");
        // Thousands grouped the French way (a narrow no-break space, which the page writes as a character reference), never with a comma.
        dashboard.ShouldMatch(@"data-total=""\d{4,}"">\d{1,3}(&#x202F;|\u202f)\d{3}<");
    }

    [Fact]
    public async Task The_OpenAPI_document_describes_each_datasets_fields_from_the_catalogue_in_English()
    {
        using var client = await host.Factory.ClientAsAsync("anonymous");
        var document = JsonNode.Parse(await TextAsync(client, Get("/openapi/v1.json", "ar", cookieLanguage: "ar")))!;
        var finds = document["components"]!["schemas"]!["dataset_finds"]!;
        finds["properties"]!["found_on"]!["title"]!.GetValue<string>().ShouldBe("Found on");
        finds["properties"]!["category"]!["description"]!.GetValue<string>().ShouldContain("uxo: Unexploded ordnance (UXO)");
        finds["required"]!.AsArray().Select(n => n!.GetValue<string>()).ShouldContain("found_on");
    }
}
