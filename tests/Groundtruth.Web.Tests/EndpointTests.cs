using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Groundtruth.Web.Tests;

public sealed class EndpointTests(HazardsHost host)
{
    [Fact]
    public void Endpoints_EachHasANameAndAnOpenApiSummary()
    {
        using var client = host.Factory.CreateClient();
        var endpoints = host.Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText is { } r && (r.StartsWith("/api", StringComparison.Ordinal) || r == "/health")).ToList();

        endpoints.Select(e => e.RoutePattern.RawText?.TrimEnd('/')).Distinct().ShouldBe(AuthorizationMatrixTests.Endpoints.Select(e => e.Route).Distinct(), ignoreOrder: true);
        foreach (var endpoint in endpoints)
        {
            endpoint.Metadata.GetMetadata<IEndpointNameMetadata>().ShouldNotBeNull();
            endpoint.Metadata.GetMetadata<IEndpointSummaryMetadata>()!.Summary.ShouldNotBeNullOrWhiteSpace();
        }
    }
}
