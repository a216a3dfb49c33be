using System.Net;
using System.Text.Json;
using Groundtruth.Application.Datasets;
using Groundtruth.Domain;
using NetTopologySuite.Algorithm;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO.Converters;

namespace Groundtruth.Web.Tests;

public sealed class HazardsApiTests(HazardsHost host) : IAsyncLifetime
{
    private static readonly JsonSerializerOptions GeoJson = new() { Converters = { new GeoJsonConverterFactory(SpatialRules.Factory) } };

    private HttpClient _client = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _client = await host.Factory.ClientAsAsync("analyst");

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task GetHazards_IsKeptPerDataVersion_AndAnApprovedNewAreaShowsAtTheNextRequest()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var factory = new GroundtruthWebFactory(database.Setting);
        using var analyst = await factory.ClientAsAsync("analyst");
        using var approver = await factory.ClientAsAsync("approver");
        static List<string?> Ids(string json) => [.. JsonDocument.Parse(json).RootElement.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("id").GetString())];

        var first = await analyst.GetStringAsync("/api/hazards", Ct);
        (await analyst.GetStringAsync("/api/hazards", Ct)).ShouldBe(first, "the kept answer is the computed one");
        Ids(first).ShouldBe(["HA-001", "HA-002", "HA-003", "HA-004"]);

        using var posted = await System.Net.Http.Json.HttpClientJsonExtensions.PostAsJsonAsync(approver, "/api/records/hazards", new
        {
            id = "HA-005", name = "New field", classification = "suspected", status = "open", recorded_on = "2024-02-01",
            wkt = "POLYGON((-24.50 -31.50, -24.49 -31.50, -24.49 -31.49, -24.50 -31.49, -24.50 -31.50))",
        }, Ct);
        posted.StatusCode.ShouldBe(HttpStatusCode.Created, await posted.Content.ReadAsStringAsync(Ct));

        Ids(await analyst.GetStringAsync("/api/hazards", Ct)).ShouldBe(["HA-001", "HA-002", "HA-003", "HA-004", "HA-005"]);
        Ids(await analyst.GetStringAsync("/api/hazards?bbox=-24.6,-31.6,-24.4,-31.4", Ct)).ShouldBe(["HA-005"]);
    }

    [Fact]
    public async Task RegisterPages_AreKeptPerDataVersion_AndASearchSeesAnApprovedNewAreaAtTheNextRequest()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var factory = new GroundtruthWebFactory(database.Setting);
        using var analyst = await factory.ClientAsAsync("analyst");
        using var approver = await factory.ClientAsAsync("approver");
        const string search = "/api/registers/hazards?q=field&sort=id&desc=true";
        static string Matched(string json) => JsonDocument.Parse(json).RootElement.GetRawText();

        var first = await analyst.GetStringAsync(search, Ct);
        (await analyst.GetStringAsync(search, Ct)).ShouldBe(first, "the kept page is the page read");
        first.ShouldContain("HA-001");
        first.ShouldNotContain("HA-002", Case.Sensitive, "the search keeps the areas named field");
        first.ShouldNotContain("HA-005");
        // The search ignores case: the same areas for "FiElD" (SQLite compares without lower() for an ASCII term).
        static string[] Ids(string json) => [.. System.Text.RegularExpressions.Regex.Matches(json, "\"id\":\\s*\"(HA-\\d+)\"").Select(m => m.Groups[1].Value).Distinct()];
        Ids(await analyst.GetStringAsync("/api/registers/hazards?q=FiElD&sort=id&desc=true", Ct)).ShouldBe(Ids(first));
        Ids(first).ShouldNotBeEmpty();

        using var posted = await System.Net.Http.Json.HttpClientJsonExtensions.PostAsJsonAsync(approver, "/api/records/hazards", new
        {
            id = "HA-005", name = "East field", classification = "suspected", status = "open", recorded_on = "2024-02-01",
            wkt = "POLYGON((-24.50 -31.50, -24.49 -31.50, -24.49 -31.49, -24.50 -31.49, -24.50 -31.50))",
        }, Ct);
        posted.StatusCode.ShouldBe(HttpStatusCode.Created, await posted.Content.ReadAsStringAsync(Ct));

        var after = Matched(await analyst.GetStringAsync(search, Ct));
        after.ShouldContain("HA-005");
        after.IndexOf("HA-005", StringComparison.Ordinal).ShouldBeLessThan(after.IndexOf("HA-001", StringComparison.Ordinal), "sorted by id, descending");
    }

    [Fact]
    public async Task GetHazards_ReturnsEveryCurrentAreaAsGeoJson()
    {
        using var response = await _client.GetAsync("/api/hazards", Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/geo+json");
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        json.RootElement.GetProperty("type").GetString().ShouldBe("FeatureCollection");
        var features = json.RootElement.GetProperty("features").EnumerateArray().ToList();
        features.Select(f => f.GetProperty("id").GetString()).ShouldBe(["HA-001", "HA-002", "HA-003", "HA-004"]);
        foreach (var feature in features)
        {
            feature.GetProperty("type").GetString().ShouldBe("Feature");
            feature.GetProperty("geometry").GetProperty("type").GetString().ShouldBe("MultiPolygon");
            feature.GetProperty("properties").GetProperty("id").GetString().ShouldBe(feature.GetProperty("id").GetString());
        }
    }

    [Fact]
    public async Task GetHazards_PropertiesAreTheColumnsOfTheHazardsDataset()
    {
        var features = await FeaturesAsync("/api/hazards");

        var columns = DatasetCatalog.Hazards.StoredFields.Select(f => f.Name).ToList();
        foreach (var feature in features) feature.Attributes.GetNames().ShouldBe(columns);
    }

    [Fact]
    public async Task GetHazards_PropertyValuesUseTheFileSpellings()
    {
        var features = await FeaturesAsync("/api/hazards");

        var riverbank = features.Single(f => (string)f.Attributes["id"] == "HA-002").Attributes;
        riverbank["name"].ShouldBe("Riverbank");
        riverbank["classification"].ShouldBe("suspected");
        riverbank["status"].ShouldBe("worked_on");
        riverbank["recorded_on"].ShouldBe("2020-03");
        riverbank["status_reason"].ShouldBeNull();
        riverbank["handed_over_on"].ShouldBeNull();
        // 0.03° of longitude by 0.02° of latitude at 31.39° S: about 2.85 km by 2.22 km.
        Convert.ToDouble(riverbank["area_m2"], System.Globalization.CultureInfo.InvariantCulture).ShouldBeInRange(6.2e6, 6.45e6);
        var ridge = features.Single(f => (string)f.Attributes["id"] == "HA-003").Attributes;
        (ridge["classification"], ridge["status"], ridge["recorded_on"]).ShouldBe(("defined", "closed", "2018"));
    }

    [Fact]
    public async Task GetHazards_GeometryIsAMultiPolygonWithCounterClockwiseShells()
    {
        var features = await FeaturesAsync("/api/hazards");

        var twin = features.Single(f => (string)f.Attributes["id"] == "HA-004").Geometry.ShouldBeOfType<MultiPolygon>();
        twin.NumGeometries.ShouldBe(2);
        twin.EnvelopeInternal.ShouldBe(new Envelope(-23.90, -23.68, -31.80, -31.58));
        // RFC 7946 section 3.1.6: exterior rings are counter-clockwise.
        foreach (var polygon in features.SelectMany(f => ((MultiPolygon)f.Geometry).Geometries.Cast<Polygon>()))
            Orientation.IsCCW(polygon.Shell.CoordinateSequence).ShouldBeTrue();
    }

    [Theory]
    [InlineData("-25,-31,-24.5,-30.8", new[] { "HA-001" })]
    [InlineData("-25,-32,-24.5,-30.8", new[] { "HA-001", "HA-003" })]
    [InlineData("-24.17,-31.38,-24,-31", new[] { "HA-002" })] // touches HA-002 at its north-east corner only
    [InlineData("-23.8,-31.7,-23.75,-31.65", new[] { "HA-004" })] // between the two parts, inside the bounding box
    [InlineData(" -25 , -32 , -23.5 , -30.8 ", new[] { "HA-001", "HA-002", "HA-003", "HA-004" })]
    [InlineData("-180,-90,180,90", new[] { "HA-001", "HA-002", "HA-003", "HA-004" })]
    [InlineData("10,10,11,11", new string[0])]
    public async Task GetHazards_WithBbox_ReturnsTheAreasWhoseBoundingBoxMeetsIt(string bbox, string[] expected)
    {
        var features = await FeaturesAsync("/api/hazards?bbox=" + Uri.EscapeDataString(bbox));

        features.Select(f => (string)f.Attributes["id"]).ShouldBe(expected);
    }

    [Theory]
    [InlineData("", "four numbers")]
    [InlineData("-25,-32,-24", "four numbers")]
    [InlineData("-25,-32,-24,-31,0,10", "four numbers")]
    [InlineData("west,-32,-24,-31", "'west' is not a number")]
    [InlineData("NaN,-32,-24,-31", "'NaN' is not a number")]
    [InlineData("-24,-32,-25,-31", "minLon is greater than maxLon")]
    [InlineData("-25,-31,-24,-32", "minLat is greater than maxLat")]
    [InlineData("-181,-32,-24,-31", "between -180 and 180")]
    [InlineData("-25,-32,-24,91", "between -90 and 90")]
    public async Task GetHazards_WithBadBbox_Returns400ProblemDetails(string bbox, string reason)
    {
        using var response = await _client.GetAsync("/api/hazards?bbox=" + Uri.EscapeDataString(bbox), Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        json.RootElement.GetProperty("status").GetInt32().ShouldBe(400);
        json.RootElement.GetProperty("errors").GetProperty("bbox")[0].GetString()!.ShouldContain(reason);
    }

    private async Task<List<IFeature>> FeaturesAsync(string uri)
    {
        using var response = await _client.GetAsync(uri, Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var collection = JsonSerializer.Deserialize<FeatureCollection>(await response.Content.ReadAsStringAsync(Ct), GeoJson);
        return [.. collection.ShouldNotBeNull()];
    }
}
