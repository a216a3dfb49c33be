using System.Net;
using System.Text.Json;

namespace Groundtruth.Web.Tests;

public sealed class HealthApiTests(HazardsHost host)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task GetHealth_DatabaseAnswers_ReturnsOkWithItsKind()
    {
        using var client = host.Factory.CreateClient();

        using var response = await client.GetAsync("/health", Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/json");
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        json.RootElement.GetProperty("status").GetString().ShouldBe("ok");
        json.RootElement.GetProperty("database").GetString().ShouldBe("geopackage");
        json.RootElement.GetProperty("schema").GetString().ShouldBe("current");
    }

    [Fact]
    public async Task GetHealth_DatabaseGoneAfterStart_Returns503ProblemDetailsThatNameNoFile()
    {
        await using var database = await TestDatabase.CreateAsync(withHazards: false);
        await using var factory = new GroundtruthWebFactory(database.Setting);
        using var client = factory.CreateClient();
        File.Delete(database.Path);

        using var response = await client.GetAsync("/health", Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        var body = await response.Content.ReadAsStringAsync(Ct);
        using var json = JsonDocument.Parse(body);
        json.RootElement.GetProperty("status").GetInt32().ShouldBe(503);
        json.RootElement.GetProperty("title").GetString().ShouldBe("The database is not ready");
        body.ShouldNotContain(database.Folder);
        File.Exists(database.Path).ShouldBeFalse("checking health must not create an empty database");
    }
}
