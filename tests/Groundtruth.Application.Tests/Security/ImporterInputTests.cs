using System.Text;
using Groundtruth.Application.Datasets;
using Groundtruth.Application.Import;
using Groundtruth.Application.Records;
using Groundtruth.Application.Tests.Cli;
using Groundtruth.Application.Tests.Support;

namespace Groundtruth.Application.Tests.Security;

/// <summary>What the importer refuses whatever the route (RecordIds), and problems in a minified GeoJSON file named by feature.</summary>
public sealed class ImporterInputTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("\"HA-\n1\"", "id", "U+000A")]
    [InlineData("HA-\u202E1", "id", "U+202E")]
    [InlineData("HA-\u20661", "id", "U+2066")]
    [InlineData("HA-\u00001", null, "a NUL character")] // refused already as text that is not UTF-8
    public async Task CsvIds_WithControlOrBidiCharacters_AreRefused_NamingLineAndField(string id, string? field, string reason)
    {
        await using var t = await TestDatabase.CreateAsync(Backend.GeoPackage);
        var file = Path.Combine(t.Directory, "places.csv");
        await File.WriteAllTextAsync(file, $"id,name,kind,lon,lat\nP-1,Good,village,-24.5,-31.1\n{id},Bad,village,-24.5,-31.1\n", Ct);

        var e = await Should.ThrowAsync<ImportRejectedException>(() => t.ImportAsync(DatasetCatalog.Places, file));

        var problem = e.Problems.ShouldHaveSingleItem();
        (problem.Line, problem.Field).ShouldBe((3, field));
        problem.Reason.ShouldContain(reason);
        problem.ToString().ShouldNotContain("\u202E");
        (await t.CountAsync("places")).ShouldBe(0, "all or nothing");
    }

    [Fact]
    public async Task IdOf100000Characters_IsRefused_AndShownCut()
    {
        await using var t = await TestDatabase.CreateAsync(Backend.GeoPackage);
        var file = Path.Combine(t.Directory, "places.csv");
        await File.WriteAllTextAsync(file, $"id,name,kind,lon,lat\n{new string('P', 100_000)},Long,village,-24.5,-31.1\n", Ct);

        var e = await Should.ThrowAsync<ImportRejectedException>(() => t.ImportAsync(DatasetCatalog.Places, file));

        var problem = e.Problems.ShouldHaveSingleItem();
        problem.Reason.ShouldBe($"an id is at most {RecordIds.MaxLength} characters; this one has 100,000");
        problem.Value!.Length.ShouldBeLessThan(50);
        var fine = Path.Combine(t.Directory, "fine.csv");
        await File.WriteAllTextAsync(fine, $"id,name,kind,lon,lat\n{new string('P', RecordIds.MaxLength)},Long,village,-24.5,-31.1\n", Ct);
        (await t.ImportAsync(DatasetCatalog.Places, fine)).Inserted.ShouldBe(1, "an id of exactly the limit is taken");
    }

    [Fact]
    public async Task GeoJsonFeatureIdGivenAsAList_IsRefused()
    {
        await using var t = await TestDatabase.CreateAsync(Backend.GeoPackage);
        var file = Path.Combine(t.Directory, "places.geojson");
        await File.WriteAllTextAsync(file, """
            {"type":"FeatureCollection","features":[
            {"type":"Feature","id":["P-1","P-2"],"geometry":{"type":"Point","coordinates":[-24.5,-31.1]},"properties":{"name":"A","kind":"village"}}
            ]}
            """, Ct);

        var e = await Should.ThrowAsync<ImportRejectedException>(() => t.ImportAsync(DatasetCatalog.Places, file));

        e.Problems.ShouldContain(p => p.Field == "id" && p.Reason.Contains("not a list"));
    }

    [Fact]
    public async Task MinifiedGeoJson_ProblemsNameTheFeature()
    {
        await using var t = await TestDatabase.CreateAsync(Backend.GeoPackage);
        var features = Enumerable.Range(1, 5).Select(i =>
            $$$"""{"type":"Feature","geometry":{"type":"Point","coordinates":[-24.5,-31.1]},"properties":{"id":"P-{{{i}}}","name":"Place {{{i}}}","kind":"{{{(i == 4 ? "castle" : "village")}}}"}}""");
        var file = Path.Combine(t.Directory, "places.geojson");
        await File.WriteAllTextAsync(file, $$"""{"type":"FeatureCollection","features":[{{string.Join(",", features)}}]}""", Ct);

        var e = await Should.ThrowAsync<ImportRejectedException>(() => t.ImportAsync(DatasetCatalog.Places, file));

        var problem = e.Problems.ShouldHaveSingleItem();
        problem.ToString().ShouldStartWith(file + ":1 (feature 4): field 'kind' value 'castle'");
    }

    [Fact]
    public async Task GeoJsonOnePerLine_KeepsItsLines_AndNamesTheFeature()
    {
        await using var t = await TestDatabase.CreateAsync(Backend.GeoPackage);
        var lines = new StringBuilder("{\"type\":\"FeatureCollection\",\"features\":[\n");
        for (var i = 1; i <= 3; i++)
            lines.Append(System.Globalization.CultureInfo.InvariantCulture, $$$"""{"type":"Feature","geometry":{"type":"Point","coordinates":[-24.5,-31.1]},"properties":{"id":"P-{{{i}}}","name":"Place {{{i}}}","kind":"{{{(i == 3 ? "castle" : "village")}}}"}}""").Append(i < 3 ? ",\n" : "\n");
        lines.Append("]}\n");
        var file = Path.Combine(t.Directory, "places.geojson");
        await File.WriteAllTextAsync(file, lines.ToString(), Ct);

        var e = await Should.ThrowAsync<ImportRejectedException>(() => t.ImportAsync(DatasetCatalog.Places, file));

        var problem = e.Problems.ShouldHaveSingleItem();
        problem.Line.ShouldBe(4);
        problem.ToString().ShouldStartWith(file + ":4 (feature 3): field 'kind'");
    }

    [Fact]
    public async Task MinProcessedNaN_IsRefused()
    {
        await using var t = await TestDatabase.CreateAsync(Backend.GeoPackage);
        var (code, _, error) = await CliProcess.RunAsync("--db", t.FilePath!, "records", "accuracy", "--min-processed", "NaN");

        code.ShouldBe(2, error);
        error.ShouldContain("--min-processed");
    }
}
