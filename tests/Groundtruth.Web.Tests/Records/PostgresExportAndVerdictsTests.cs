using System.Net;
using System.Text.Json.Nodes;
using Groundtruth.Application.Datasets;
using Groundtruth.Application.Import;
using Groundtruth.Application.Users;
using Groundtruth.Cli;
using Groundtruth.Web.Apis;

namespace Groundtruth.Web.Tests.Records;

/// <summary>Exports by role and verdicts on PostgreSQL/PostGIS: the same rules and the same verdicts as the CLI.</summary>
public sealed class PostgresExportAndVerdictsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ExportAndVerdicts_OnPostgis_FollowTheSameRules()
    {
        await using var database = await TestDatabase.CreatePostgresAsync();
        var csv = Path.Combine(database.Folder, "records.csv");
        await File.WriteAllTextAsync(csv, """
            id,source,reference,handed_over_on,declared_devices,handling,wkt
            MR-L1,Test Brigade,TB/1,2024-05-01,10,not for publication,"POLYGON((-24.90 -30.90, -24.89 -30.90, -24.89 -30.89, -24.90 -30.89, -24.90 -30.90))"
            MR-U1,Test Brigade,TB/2,2024-05-01,12,,"POLYGON((-24.20 -31.40, -24.19 -31.40, -24.19 -31.39, -24.20 -31.39, -24.20 -31.40))"
            """, Ct);
        await new ImportHandler(database.Target, TimeProvider.System).HandleAsync(new ImportRequest(DatasetCatalog.MinefieldRecords, csv, Actor: "test"), ct: Ct);
        await using var factory = new GroundtruthWebFactory(database.Setting);

        using var analyst = await factory.ClientAsAsync(Roles.Analyst);
        using var approver = await factory.ClientAsAsync(Roles.Approver);
        using var analystExport = await analyst.GetAsync("/api/export/minefield-records?format=geojson", Ct);
        var a = JsonNode.Parse(await analystExport.Content.ReadAsStringAsync(Ct))!;
        var p = JsonNode.Parse(await approver.GetStringAsync("/api/export/minefield-records?format=geojson", Ct))!;

        a["features"]!.AsArray().Select(f => f!["id"]!.GetValue<string>()).ShouldBe(["MR-U1"]);
        a["withheld"]!["records"]!.GetValue<int>().ShouldBe(1);
        analystExport.Headers.GetValues(ExportApi.WithheldHeader).Single().ShouldBe("1");
        p["features"]!.AsArray().Select(f => f!["id"]!.GetValue<string>()).ShouldBe(["MR-L1", "MR-U1"]);

        using var output = new StringWriter();
        using var error = new StringWriter();
        (await GroundtruthCli.RunAsync(["--db", database.Setting, "records", "accuracy", "--format", "json"], output, error)).ShouldBe(0, error.ToString());
        var cli = JsonNode.Parse(output.ToString())!["per_record"]!.AsArray().ToDictionary(r => r!["id"]!.GetValue<string>(), r => r!["verdict"]!.GetValue<string>());
        using var viewer = await factory.ClientAsAsync(Roles.Viewer);
        using var response = await viewer.GetAsync("/api/records/accuracy/verdicts", Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var verdicts = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!["records"]!.AsArray();
        verdicts.Select(r => (r!["id"]!.GetValue<string>(), r["verdict"]!.GetValue<string>())).ShouldBe([("MR-U1", cli["MR-U1"])]);
    }
}
