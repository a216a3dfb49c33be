using System.Net;
using System.Text.Json.Nodes;
using Groundtruth.Application.Risk;
using Groundtruth.Application.Users;
using Groundtruth.Web.Tests.Records;
using SkiaSharp;

namespace Groundtruth.Web.Tests.Languages;

/// <summary>
/// The application's error messages on a page and the risk map's PNG legend follow the reader's language; the API's
/// problem details stay the one English text programs read (docs/decisions/0033).
/// </summary>
public sealed class TranslatedErrorsTests(LabelledDemoHost host) : IClassFixture<LabelledDemoHost>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static HttpRequestMessage Get(string path, string language)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.AcceptLanguage.ParseAdd(language);
        request.Headers.Add("Cookie", $".AspNetCore.Culture=c%3D{language}%7Cuic%3D{language}");
        return request;
    }

    private static async Task<(HttpStatusCode Status, string Body)> SendAsync(HttpClient client, HttpRequestMessage request)
    {
        using (request)
        using (var response = await client.SendAsync(request, Ct))
            return (response.StatusCode, await response.Content.ReadAsStringAsync(Ct));
    }

    [Theory]
    [InlineData("uk", "комірка має бути цілим кратним 10 метрів, від 50 до 5000")]
    [InlineData("ar", "يجب أن تكون الخلية مضاعفًا صحيحًا لـ 10 متر، من 50 إلى 5000")]
    [InlineData("en", "cell must be a whole multiple of 10 metres from 50 to 5000")]
    public async Task A_refused_cell_size_reads_in_the_pages_language(string language, string expected)
    {
        using var analyst = await host.Factory.ClientAsAsync(Roles.Analyst);
        var (status, html) = await SendAsync(analyst, Get("/risk?cell=255", language));
        status.ShouldBe(HttpStatusCode.OK);
        var error = System.Net.WebUtility.HtmlDecode(html[html.IndexOf("id=\"risk-error\"", StringComparison.Ordinal)..]);
        error.ShouldContain(expected);
        if (language != "en") error[..300].ShouldNotContain("multiple of");
    }

    [Theory]
    [InlineData("uk", "in: немає місця «Nowhere Land»; місця з площею: ")]
    [InlineData("ar", "in: لا يوجد مكان «Nowhere Land»؛ الأماكن التي لها مساحة: ")]
    public async Task An_unknown_place_reads_in_the_pages_language_with_the_name_as_typed_and_the_API_stays_English(string language, string expected)
    {
        using var analyst = await host.Factory.ClientAsAsync(Roles.Analyst);
        // The map is computed in the background: the page shows its progress until the computation has failed.
        var html = "";
        // A busy machine (CI runs the test projects side by side) may take a while: asked again for up to two minutes.
        var until = DateTime.UtcNow.AddMinutes(2);
        for (var attempt = 0; DateTime.UtcNow < until && !html.Contains("id=\"risk-error\"", StringComparison.Ordinal); attempt++)
        {
            if (attempt > 0) await Task.Delay(500, Ct);
            html = (await SendAsync(analyst, Get("/risk?cell=5000&in=Nowhere%20Land", language))).Body;
        }
        html.ShouldContain("id=\"risk-error\"", Case.Sensitive, "the risk page never showed the computation's error");
        var error = System.Net.WebUtility.HtmlDecode(html[html.IndexOf("id=\"risk-error\"", StringComparison.Ordinal)..]);
        error.ShouldContain(expected);
        error[..200].ShouldNotContain("places with an area");

        var (status, problem) = await SendAsync(analyst, Get("/api/risk/map?cell=5000&in=Nowhere%20Land", language));
        status.ShouldBe(HttpStatusCode.BadRequest, problem);
        JsonNode.Parse(problem)!["detail"]!.GetValue<string>().ShouldStartWith("in: no place 'Nowhere Land'; places with an area: ");
    }

    [Fact]
    public async Task The_risk_PNG_legend_is_in_the_readers_language_and_the_map_pixels_are_the_same()
    {
        using var analyst = await host.Factory.ClientAsAsync(Roles.Analyst);
        async Task<SKBitmap> PngAsync(string language)
        {
            using var request = Get("/api/risk/map/risk.png?cell=1000", language);
            using var response = await analyst.SendAsync(request, Ct);
            response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Ct));
            return SKBitmap.Decode(await response.Content.ReadAsByteArrayAsync(Ct));
        }
        using var english = await PngAsync("en");
        using var ukrainian = await PngAsync("uk");
        using var again = await PngAsync("uk");
        var mapWidth = english.Width - RiskPreview.LegendWidth;
        ukrainian.Width.ShouldBe(english.Width);
        ukrainian.Height.ShouldBeGreaterThanOrEqualTo(english.Height);

        var mapDifferences = 0;
        var legendDifferences = 0;
        for (var y = 0; y < ukrainian.Height; y++)
            for (var x = 0; x < english.Width; x++)
            {
                var theirs = y < english.Height ? english.GetPixel(x, y) : SKColors.White;
                var differs = ukrainian.GetPixel(x, y) != theirs;
                if (x < mapWidth && y >= RiskPreview.MarkingHeight) mapDifferences += differs ? 1 : 0;
                else legendDifferences += differs ? 1 : 0;
            }
        mapDifferences.ShouldBe(0, "the map's pixels are the same in every language");
        legendDifferences.ShouldBeGreaterThan(1000, "the marking and the legend are drawn in Ukrainian");
        again.Pixels.SequenceEqual(ukrainian.Pixels).ShouldBeTrue("the second request is served the same drawing");
    }
}
