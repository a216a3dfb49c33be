using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Groundtruth.Web.Setup;
using Microsoft.AspNetCore.Hosting;

namespace Groundtruth.Web.Tests;

/// <summary>
/// What the map and the API reference fetch from the host itself: the optional PMTiles basemap (by byte range, as the
/// PMTiles reader asks), the favicon, and Scalar's page (its script allowed by a nonce, never by 'unsafe-inline').
/// </summary>
public sealed partial class MapBasemapTests(HazardsHost host)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task PmTiles_IsServedByRange_ToSignedInUsersOnly()
    {
        var file = Path.Combine(Path.GetTempPath(), $"basemap-{Guid.NewGuid():N}.pmtiles");
        var bytes = new byte[4096];
        new Random(13).NextBytes(bytes);
        await File.WriteAllBytesAsync(file, bytes, Ct);
        try
        {
            await using var factory = host.Factory.WithWebHostBuilder(b => b.UseSetting(WebOptions.PmTilesKey, file));
            using var viewer = await factory.ClientAsAsync("viewer");
            using var request = new HttpRequestMessage(HttpMethod.Get, WebOptions.PmTilesRoute);
            request.Headers.Range = new RangeHeaderValue(127, 127 + 511);
            using var part = await viewer.SendAsync(request, Ct);
            part.StatusCode.ShouldBe(HttpStatusCode.PartialContent);
            (await part.Content.ReadAsByteArrayAsync(Ct)).ShouldBe(bytes[127..(127 + 512)]);
            part.Content.Headers.ContentRange!.Length.ShouldBe(bytes.Length);

            using var whole = await viewer.GetAsync(WebOptions.PmTilesRoute, Ct);
            whole.StatusCode.ShouldBe(HttpStatusCode.OK);
            (await whole.Content.ReadAsByteArrayAsync(Ct)).ShouldBe(bytes);

            using var anonymous = await factory.ClientAsAsync("anonymous");
            using var refused = await anonymous.GetAsync(WebOptions.PmTilesRoute, Ct);
            ((int)refused.StatusCode).ShouldBeOneOf(302, 401);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task PmTiles_WithoutASetting_IsNotFound_AndTheMapPageDoesNotAskForIt()
    {
        using var viewer = await host.Factory.ClientAsAsync("viewer");
        using var response = await viewer.GetAsync(WebOptions.PmTilesRoute, Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Favicon_IsServedToAnyone()
    {
        using var client = await host.Factory.ClientAsAsync("anonymous");
        using var response = await client.GetAsync("/favicon.ico", Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var bytes = await response.Content.ReadAsByteArrayAsync(Ct);
        bytes[..4].ShouldBe(new byte[] { 0, 0, 1, 0 }, "an ICO header");
    }

    [Fact]
    public async Task Scalar_DeclaresItsLanguage_AndItsScriptsCarryTheNonceOfTheContentSecurityPolicy()
    {
        using var client = await host.Factory.ClientAsAsync("anonymous");
        using var response = await client.GetAsync("/scalar/", Ct);
        response.EnsureSuccessStatusCode();
        var html = await response.Content.ReadAsStringAsync(Ct);
        html.ShouldContain("<html lang=\"en\">");
        var policy = response.Headers.GetValues("Content-Security-Policy").Single();
        var scripts = policy.Split(';').Select(d => d.Trim()).Single(d => d.StartsWith("script-src ", StringComparison.Ordinal));
        scripts.ShouldNotContain("unsafe-inline");
        var nonce = NonceSource().Match(scripts);
        nonce.Success.ShouldBeTrue(scripts);
        var tags = ScriptTag().Matches(html);
        tags.Count.ShouldBeGreaterThan(0);
        foreach (Match tag in tags) tag.Value.ShouldContain($"nonce=\"{nonce.Groups[1].Value}\"");
        html.ShouldNotContain("fonts.scalar.com");
    }

    [GeneratedRegex("'nonce-([A-Za-z0-9_+/=-]+)'")]
    private static partial Regex NonceSource();

    [GeneratedRegex("<script[^>]*>")]
    private static partial Regex ScriptTag();
}
