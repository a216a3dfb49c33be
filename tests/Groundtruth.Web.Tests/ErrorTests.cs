using System.Net;
using System.Text.Json;

namespace Groundtruth.Web.Tests;

/// <summary>Every error leaves as RFC 7807 problem details, with no stack trace.</summary>
public sealed class ErrorTests(HazardsHost host)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task UnknownPath_Returns404ProblemDetails()
    {
        using var client = await host.Factory.ClientAsAsync("viewer");

        using var response = await client.GetAsync("/api/no-such-thing", Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
    }

    [Fact]
    public async Task FailingDatabase_Returns500ProblemDetailsWithoutStackTrace()
    {
        await using var database = await TestDatabase.CreateAsync(withHazards: false);
        await using var factory = new GroundtruthWebFactory(database.Setting);
        using var client = await factory.ClientAsAsync("analyst");
        await File.WriteAllTextAsync(database.Path, "this is not a database, it is a note", Ct);

        using var response = await client.GetAsync("/api/hazards", Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.InternalServerError);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        var body = await response.Content.ReadAsStringAsync(Ct);
        using var json = JsonDocument.Parse(body);
        json.RootElement.GetProperty("status").GetInt32().ShouldBe(500);
        body.ShouldNotContain("Exception");
        body.ShouldNotContain(" at ");
        body.ShouldNotContain(database.Folder);
    }
}
