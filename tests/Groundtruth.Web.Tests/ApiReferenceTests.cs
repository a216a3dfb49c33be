using System.Text.Json;

namespace Groundtruth.Web.Tests;

/// <summary>The API is described with OpenAPI and browsable with Scalar, served from the host itself (no CDN).</summary>
public sealed class ApiReferenceTests(HazardsHost host)
{
    [Fact]
    public async Task OpenApiDocument_DescribesTheApi()
    {
        using var client = host.Factory.CreateClient();
        var response = await client.GetAsync("/openapi/v1.json");
        response.EnsureSuccessStatusCode();
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var paths = doc.RootElement.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        foreach (var path in new[] { "/api/features/{dataset}", "/api/stats/{dataset}", "/api/submissions/{id}/approve", "/api/uploads/{dataset}", "/api/token" })
            paths.ShouldContain(path);
    }

    [Fact]
    public async Task ScalarReference_IsServedLocally()
    {
        using var client = host.Factory.CreateClient();
        var html = await client.GetStringAsync("/scalar/");
        html.ShouldContain("scalar.js");
        html.ShouldNotContain("cdn.", Case.Insensitive);
        (await client.GetAsync("/scalar/scalar.js")).IsSuccessStatusCode.ShouldBeTrue();
    }
}
