using System.Net;
using System.Text.Json;

namespace Groundtruth.Web.Tests;

/// <summary>DESIGN section 4: one code path, the same answer on PostgreSQL/PostGIS as on a GeoPackage.</summary>
public sealed class PostgresTests(HazardsHost geoPackage)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task GetHealth_OnPostgis_NamesTheKind()
    {
        await using var database = await TestDatabase.CreatePostgresAsync();
        await using var factory = new GroundtruthWebFactory(database.Setting);
        using var client = factory.CreateClient();

        using var response = await client.GetAsync("/health", Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        json.RootElement.GetProperty("database").GetString().ShouldBe("postgis");
    }

    [Fact]
    public async Task GetHazards_OnPostgis_ReturnsTheSameGeoJsonAsTheGeoPackage()
    {
        await using var database = await TestDatabase.CreatePostgresAsync();
        await using var factory = new GroundtruthWebFactory(database.Setting);
        using var postgis = await factory.ClientAsAsync("analyst");
        using var gpkg = await geoPackage.Factory.ClientAsAsync("analyst");

        foreach (var uri in new[] { "/api/hazards", "/api/hazards?bbox=-25,-32,-24.5,-30.8", "/api/hazards?bbox=-24.17,-31.38,-24,-31" })
        {
            var expected = await gpkg.GetStringAsync(uri, Ct);
            var actual = await postgis.GetStringAsync(uri, Ct);
            actual.ShouldBe(expected, uri);
        }
    }
}
