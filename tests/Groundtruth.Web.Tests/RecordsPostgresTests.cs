using System.Net;
using System.Text.Json.Nodes;
using Groundtruth.Application.Users;

namespace Groundtruth.Web.Tests;

/// <summary>POST /api/records on PostgreSQL/PostGIS: the same importer path refuses and stores as on the GeoPackage.</summary>
public sealed class RecordsPostgresTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Records_OnPostgis_RefuseIllegalTransitionsAndMethods_AndStoreWhatPasses()
    {
        await using var database = await TestDatabase.CreatePostgresAsync();
        await EntryHost.PrepareAsync(database);
        await using var factory = new GroundtruthWebFactory(database.Setting);
        using var approver = await factory.ClientAsAsync(Roles.Approver);
        using var editor = await factory.ClientAsAsync(Roles.Editor);

        var (reopen, reopenProblem) = await RecordsApiTests.PostAsync(approver, "hazards", RecordsApiTests.Hazard("HA-003", "open", null));
        var (method, methodProblem) = await RecordsApiTests.PostAsync(approver, "land-release", new
        {
            id = "LR-P1", activity_id = "AC-NTS", hazard_id = "HA-002", method = "cleared", released_on = "2021-04-02",
            wkt = "POLYGON((-24.20 -31.40, -24.19 -31.40, -24.19 -31.39, -24.20 -31.39, -24.20 -31.40))",
        });
        var (cancelled, cancelledBody) = await RecordsApiTests.PostAsync(approver, "land-release", new
        {
            id = "LR-P2", activity_id = "AC-NTS", hazard_id = "HA-002", method = "cancelled", released_on = "2021-04-02",
            wkt = "POLYGON((-24.20 -31.40, -24.19 -31.40, -24.19 -31.39, -24.20 -31.39, -24.20 -31.40))",
        });
        var (pending, pendingBody) = await RecordsApiTests.PostAsync(editor, "finds", new { id = "FD-P1", found_on = "2024-05-02", category = "uxo", lon = -24.51, lat = -31.52 });

        reopen.ShouldBe(HttpStatusCode.UnprocessableEntity);
        RecordsApiTests.Errors(reopenProblem, "status").Single().ShouldStartWith("reopening a closed area needs a reason (status_reason)");
        method.ShouldBe(HttpStatusCode.UnprocessableEntity);
        RecordsApiTests.Errors(methodProblem, "method").Single().ShouldBe("land is cleared only by clearance or battle area clearance (IMAS 07.11), not by non-technical survey");
        cancelled.ShouldBe(HttpStatusCode.Created, cancelledBody?.ToJsonString());
        pending.ShouldBe(HttpStatusCode.Accepted, pendingBody?.ToJsonString());
        using var analyst = await factory.ClientAsAsync(Roles.Analyst);
        var hazard = JsonNode.Parse(await analyst.GetStringAsync("/api/registers/hazards/HA-003", Ct))!["row"]!;
        hazard["status"]!.GetValue<string>().ShouldBe("closed");
        (await analyst.GetAsync("/api/registers/land-release/LR-P1", Ct)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var output = JsonNode.Parse(await analyst.GetStringAsync("/api/registers/land-release/LR-P2", Ct))!["row"]!;
        output["method"]!.GetValue<string>().ShouldBe("cancelled");
        JsonNode.Parse(await analyst.GetStringAsync("/api/registers/finds/FD-P1", Ct))!["row"].ShouldBeNull("an editor's entry waits for approval");
    }

    [Fact]
    public async Task Accident_WhoseCasualtyPostgisRefusesAtMerge_IsNotStoredEither()
    {
        await using var database = await TestDatabase.CreatePostgresAsync();
        await EntryHost.PrepareAsync(database);
        await using var factory = new GroundtruthWebFactory(database.Setting);

        await RecordsApiTests.AccidentAndCasualtyAreAllOrNothingAsync(factory, database, """
            CREATE FUNCTION refuse_casualty() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              IF NEW.record_id = 'AC-AT-1' THEN RAISE EXCEPTION 'refused by the test trigger'; END IF;
              RETURN NEW;
            END $$;
            CREATE TRIGGER refuse_casualty BEFORE INSERT ON casualties_versions FOR EACH ROW EXECUTE FUNCTION refuse_casualty();
            """, "DROP TRIGGER refuse_casualty ON casualties_versions");
    }
}
