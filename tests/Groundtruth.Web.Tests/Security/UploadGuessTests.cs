using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Groundtruth.Application.Users;
using Groundtruth.Web.Tests.Records;

namespace Groundtruth.Web.Tests.Security;

/// <summary>
/// Issue 14: the importer guessed silently — Latin-1 text stored as U+FFFD, bytes valid in no encoding stored, a point given
/// both as lon/lat and as wkt (wkt won without a word), GeoJSON properties <c>id</c> and <c>ID</c> (one chosen). Through the
/// upload endpoint, as a user sends them.
/// </summary>
public sealed class UploadGuessTests(EntryHost host) : IClassFixture<EntryHost>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<(HttpStatusCode Status, JsonNode? Body)> UploadAsync(string dataset, byte[] content, string name)
    {
        using var approver = await host.Factory.ClientAsAsync(Roles.Approver);
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", name);
        using var response = await approver.PostAsync($"/api/uploads/{dataset}", form, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    private static string[] Problems(JsonNode? body) => [.. body!["problems"]!.AsArray().Select(p => p!.GetValue<string>())];

    [Fact]
    public async Task Latin1Text_IsStoredAsWritten_NotAsReplacementCharacters()
    {
        var csv = Encoding.Latin1.GetBytes("id,found_on,category,model,lon,lat\nFD-GU-1,2023-01-02,uxo,Grenade à main,-24.5,-31.1\n");
        var (status, body) = await UploadAsync("finds", csv, "finds-latin1.csv");
        status.ShouldBe(HttpStatusCode.OK, body?.ToJsonString());

        using var analyst = await host.Factory.ClientAsAsync(Roles.Analyst);
        var row = JsonNode.Parse(await analyst.GetStringAsync("/api/registers/finds/FD-GU-1", Ct))!["row"]!;
        row["model"]!.GetValue<string>().ShouldBe("Grenade à main");
    }

    [Fact]
    public async Task BytesValidInNoEncoding_AreRefusedNamingTheLine()
    {
        var csv = Encoding.ASCII.GetBytes("id,found_on,category,model,lon,lat\nFD-GU-2,2023-01-02,uxo,ok,-24.5,-31.1\nFD-GU-3,2023-01-02,uxo,bad?,-24.5,-31.1\n");
        csv[Array.LastIndexOf(csv, (byte)'?')] = 0x81; // not UTF-8 and undefined in windows-1252
        var (status, body) = await UploadAsync("finds", csv, "finds-bad-bytes.csv");
        status.ShouldBe(HttpStatusCode.UnprocessableEntity, body?.ToJsonString());
        Problems(body).ShouldHaveSingleItem().ShouldContain("finds-bad-bytes.csv:3");
        Problems(body)[0].ShouldContain("byte 81 is not defined in windows-1252");
        using var analyst = await host.Factory.ClientAsAsync(Roles.Analyst);
        (await analyst.GetAsync("/api/registers/finds/FD-GU-2", Ct)).StatusCode.ShouldBe(HttpStatusCode.NotFound, "nothing of the file is stored");
    }

    [Fact]
    public async Task LonLatAndWkt_BothGiven_AreRefusedNamingTheLine()
    {
        var csv = Encoding.UTF8.GetBytes("id,found_on,category,lon,lat,wkt\nFD-GU-4,2023-01-02,uxo,-24.5,-31.1,\nFD-GU-5,2023-01-02,uxo,-24.5,-31.1,POINT (-24.6 -31.2)\n");
        var (status, body) = await UploadAsync("finds", csv, "finds-both.csv");
        status.ShouldBe(HttpStatusCode.UnprocessableEntity, body?.ToJsonString());
        var problem = Problems(body).ShouldHaveSingleItem();
        problem.ShouldContain("finds-both.csv:3: field 'wkt'");
        problem.ShouldContain("keep one");
    }

    [Fact]
    public async Task GeoJsonWithIdAndID_IsRefusedNamingBoth()
    {
        var geojson = Encoding.UTF8.GetBytes("""
            {"type": "FeatureCollection", "features": [
            {"type": "Feature", "properties": {"id": "FD-GU-6", "ID": "FD-GU-9", "found_on": "2023-01-02", "category": "uxo"}, "geometry": {"type": "Point", "coordinates": [-24.5, -31.1]}}
            ]}
            """);
        var (status, body) = await UploadAsync("finds", geojson, "finds-ids.geojson");
        status.ShouldBe(HttpStatusCode.UnprocessableEntity, body?.ToJsonString());
        Problems(body).ShouldHaveSingleItem().ShouldContain("'id' and 'ID'");
    }
}
