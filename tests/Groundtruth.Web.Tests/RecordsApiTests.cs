using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Groundtruth.Application.Datasets;
using Groundtruth.Application.Import;
using Groundtruth.Application.Security;
using Groundtruth.Application.Users;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Groundtruth.Web.Tests;

/// <summary>
/// A database of its own for data entry (it is written to): the four test hazards, two activities, a personal-data key
/// beside the GeoPackage, and two users granted personal data — an approver and an editor.
/// </summary>
public sealed class EntryHost : IAsyncLifetime
{
    public const string Recorder = "recorder";
    public const string Clerk = "clerk";

    /// <summary>AC-TS surveyed HA-001 technically; AC-NTS surveyed HA-002 non-technically.</summary>
    public const string ActivitiesCsv = """
        id,type,hazard_id,status,started_on,completed_on
        AC-TS,technical_survey,HA-001,completed,2021-02-01,2021-03-01
        AC-NTS,non_technical_survey,HA-002,completed,2021-04-01,2021-04-02
        """;

    public TestDatabase Database { get; private set; } = null!;
    public GroundtruthWebFactory Factory { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Database = await TestDatabase.CreateAsync();
        await PrepareAsync(Database);
        Factory = new GroundtruthWebFactory(Database.Setting);
    }

    /// <summary>Adds the activities and the users granted personal data; on a GeoPackage, a key file beside it.</summary>
    public static async Task PrepareAsync(TestDatabase database)
    {
        var csv = Path.Combine(database.Folder, "activities.csv");
        await File.WriteAllTextAsync(csv, ActivitiesCsv);
        await new ImportHandler(database.Target, TimeProvider.System).HandleAsync(new ImportRequest(DatasetCatalog.Activities, csv, Actor: "test"));
        var users = new AddUserHandler(database.Target, TimeProvider.System);
        await users.HandleAsync(new AddUserRequest(Recorder, [Roles.Approver, Roles.PersonalData], TestUsers.Password, "test"));
        await users.HandleAsync(new AddUserRequest(Clerk, [Roles.Editor, Roles.PersonalData], TestUsers.Password, "test"));
        if (database.Target.FilePath is { } file) PersonalDataProtector.WriteKeyFile(file + ".key");
    }

    public async ValueTask DisposeAsync()
    {
        await Factory.DisposeAsync();
        await Database.DisposeAsync();
    }
}

/// <summary>POST /api/records/{dataset}: one record through the importer, refused by the same rules, stored the same way.</summary>
public sealed class RecordsApiTests(EntryHost host) : IClassFixture<EntryHost>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    internal static async Task<(HttpStatusCode Status, JsonNode? Body)> PostAsync(HttpClient client, string dataset, object record, string query = "")
    {
        using var response = await client.PostAsJsonAsync($"/api/records/{dataset}{query}", record, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    internal static string[] Errors(JsonNode? problem, string field) =>
        problem?["errors"]?[field]?.AsArray().Select(e => e!.GetValue<string>()).ToArray() ?? [];

    private async Task<int> SubmissionCountAsync()
    {
        using var approver = await host.Factory.ClientAsAsync(Roles.Approver);
        return JsonNode.Parse(await approver.GetStringAsync("/api/submissions", Ct))!.AsArray().Count;
    }

    private async Task<HttpStatusCode> RegisterStatusAsync(string dataset, string id)
    {
        using var analyst = await host.Factory.ClientAsAsync(Roles.Analyst);
        using var response = await analyst.GetAsync($"/api/registers/{dataset}/{id}", Ct);
        return response.StatusCode;
    }

    /// <summary>The current approved row; null when the record is only pending.</summary>
    private async Task<JsonNode?> CurrentRowAsync(string dataset, string id)
    {
        using var analyst = await host.Factory.ClientAsAsync(Roles.Analyst);
        return JsonNode.Parse(await analyst.GetStringAsync($"/api/registers/{dataset}/{id}", Ct))!["row"];
    }

    [Fact]
    public async Task Find_ByAnEditor_BecomesAPendingSubmission_NotTheApprovedData()
    {
        using var editor = await host.Factory.ClientAsAsync(Roles.Editor);

        var (status, body) = await PostAsync(editor, "finds", new { id = "FD-E1", found_on = "2024-05-02", category = "uxo", quantity = 2, lon = -24.51, lat = -31.52 });

        status.ShouldBe(HttpStatusCode.Accepted, body?.ToJsonString());
        body!["pending"]!.GetValue<bool>().ShouldBeTrue();
        var submission = body["submission_id"]!.GetValue<long>();
        using var approver = await host.Factory.ClientAsAsync(Roles.Approver);
        var detail = JsonNode.Parse(await approver.GetStringAsync($"/api/submissions/{submission}", Ct))!;
        detail["submission"]!["state"]!.GetValue<int>().ShouldBe((int)Groundtruth.Domain.SubmissionState.Submitted);
        detail["submission"]!["submitted_by"]!.GetValue<string>().ShouldBe(Roles.Editor);
        detail["items"]!.AsArray().Select(i => i!["local_id"]!.GetValue<string>()).ShouldBe(["FD-E1"]);
        (detail["total"]!.GetValue<int>(), detail["offset"]!.GetValue<int>(), detail["limit"]!.GetValue<int>()).ShouldBe((1, 0, 1000), "a page of 1,000 records by default");
        var past = JsonNode.Parse(await approver.GetStringAsync($"/api/submissions/{submission}?offset=1&limit=50000", Ct))!;
        (past["items"]!.AsArray().Count, past["total"]!.GetValue<int>(), past["limit"]!.GetValue<int>()).ShouldBe((0, 1, 10_000), "past the end: no records; the limit capped");
        (await approver.GetAsync($"/api/submissions/{submission}?offset=-1", Ct)).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await RegisterStatusAsync("finds", "FD-E1")).ShouldBe(HttpStatusCode.OK, "the record page lists pending versions");
        (await CurrentRowAsync("finds", "FD-E1")).ShouldBeNull("a pending record is not in the approved data");
    }

    [Fact]
    public async Task Find_ByAnApprover_IsStored_WithAVersionAndAnAuditEntry()
    {
        using var approver = await host.Factory.ClientAsAsync(Roles.Approver);

        var (status, body) = await PostAsync(approver, "finds", new
        {
            id = "FD-A1", found_on = "2024-06-10", category = "anti_personnel_mine", model = "PMN-2", quantity = 1, booby_trapped = false,
            geometry = new { type = "Point", coordinates = new[] { -24.61, -31.62 } },
        });

        status.ShouldBe(HttpStatusCode.Created, body?.ToJsonString());
        var row = (await CurrentRowAsync("finds", "FD-A1"))!;
        (row["category"]!.GetValue<string>(), row["model"]!.GetValue<string>(), row["found_on"]!.GetValue<string>()).ShouldBe(("anti_personnel_mine", "PMN-2", "2024-06-10"));
        using var admin = await host.Factory.ClientAsAsync(Roles.Administrator);
        var audit = JsonNode.Parse(await admin.GetStringAsync($"/api/audit?dataset=finds&actor={Roles.Approver}", Ct))!;
        audit.ToJsonString().ShouldContain("finds-entry.geojson");
    }

    [Fact]
    public async Task Find_WithABadValue_IsRefusedNamingTheField_AndNothingIsStored()
    {
        using var approver = await host.Factory.ClientAsAsync(Roles.Approver);
        var before = await SubmissionCountAsync();

        var (status, body) = await PostAsync(approver, "finds", new { id = "FD-B1", found_on = "2024-06-10", category = "banana", production_year = 1800, lon = -24.6, lat = -31.6 });

        status.ShouldBe(HttpStatusCode.UnprocessableEntity);
        body!["status"]!.GetValue<int>().ShouldBe(422);
        Errors(body, "category").Single().ShouldStartWith("unknown value; valid: anti_personnel_mine");
        Errors(body, "production_year").Single().ShouldBe("must be at least 1900");
        (await SubmissionCountAsync()).ShouldBe(before);
        (await RegisterStatusAsync("finds", "FD-B1")).ShouldBe(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("HA-003", "open", null, "status", "reopening a closed area needs a reason (status_reason)")]
    [InlineData("HA-001", "handed_over", null, "status", "an area is handed over only after it is closed (it is open)")]
    [InlineData("HA-003", "handed_over", null, "handover_certificate", "a handed-over area needs its handover certificate")]
    public async Task Hazard_IllegalStatusChange_IsRefusedNamingTheField(string id, string to, string? reason, string field, string expected)
    {
        using var approver = await host.Factory.ClientAsAsync(Roles.Approver);
        var before = (await CurrentRowAsync("hazards", id))!;

        var (status, body) = await PostAsync(approver, "hazards", Hazard(id, to, reason));

        status.ShouldBe(HttpStatusCode.UnprocessableEntity, body?.ToJsonString());
        Errors(body, field).ShouldContain(e => e.StartsWith(expected, StringComparison.Ordinal), body!.ToJsonString());
        (await CurrentRowAsync("hazards", id))!["status"]!.GetValue<string>().ShouldBe(before["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Hazard_ClosedThenReopened_NeedsTheReason_AndEachChangeIsAVersion()
    {
        using var approver = await host.Factory.ClientAsAsync(Roles.Approver);

        var (straight, straightProblem) = await PostAsync(approver, "hazards", Hazard("HA-004", "closed", "cancelled", "2022-03-01"));
        var (worked, _) = await PostAsync(approver, "hazards", Hazard("HA-004", "worked_on", "technical survey", "2022-03-01"));
        var (closed, _) = await PostAsync(approver, "hazards", Hazard("HA-004", "closed", "cleared", "2023-06-01"));
        var (refused, problem) = await PostAsync(approver, "hazards", Hazard("HA-004", "open", null, "2024-01-15"));
        var (reopened, body) = await PostAsync(approver, "hazards", Hazard("HA-004", "open", "a find in released land (farmer's report)", "2024-01-15"));

        straight.ShouldBe(HttpStatusCode.UnprocessableEntity, "an open area without a cancellation output does not close straight away");
        Errors(straightProblem, "status").Single().ShouldStartWith("an open area closes straight away only when non-technical survey cancels it (IMAS 07.11)");
        worked.ShouldBe(HttpStatusCode.Created);
        closed.ShouldBe(HttpStatusCode.Created);
        refused.ShouldBe(HttpStatusCode.UnprocessableEntity);
        Errors(problem, "status").Single().ShouldStartWith("reopening a closed area needs a reason");
        reopened.ShouldBe(HttpStatusCode.Created, body?.ToJsonString());
        var row = (await CurrentRowAsync("hazards", "HA-004"))!;
        (row["status"]!.GetValue<string>(), row["status_reason"]!.GetValue<string>()).ShouldBe(("open", "a find in released land (farmer's report)"));
        using var analyst = await host.Factory.ClientAsAsync(Roles.Analyst);
        var versions = JsonNode.Parse(await analyst.GetStringAsync("/api/registers/hazards/HA-004", Ct))!["versions"]!.AsArray();
        versions.Select(v => v!["date_of_information"]!.GetValue<string>()).Order().ShouldBe(["2021-07-01", "2022-03-01", "2023-06-01", "2024-01-15"]);
    }

    private static readonly Dictionary<string, (string Name, string Classification, string Wkt)> TestHazards = new()
    {
        ["HA-001"] = ("North field", "confirmed", "POLYGON((-24.90 -30.90, -24.88 -30.90, -24.88 -30.88, -24.90 -30.88, -24.90 -30.90))"),
        ["HA-003"] = ("South ridge", "defined", "POLYGON((-24.80 -31.95, -24.78 -31.95, -24.78 -31.93, -24.80 -31.93, -24.80 -31.95))"),
        ["HA-004"] = ("Twin plots", "confirmed", "MULTIPOLYGON(((-23.90 -31.80, -23.88 -31.80, -23.88 -31.78, -23.90 -31.78, -23.90 -31.80)), ((-23.70 -31.60, -23.68 -31.60, -23.68 -31.58, -23.70 -31.58, -23.70 -31.60)))"),
    };

    /// <summary>A test hazard (TestDatabase.HazardsCsv) with a new status, recorded on a later date.</summary>
    internal static object Hazard(string id, string status, string? reason, string recordedOn = "2024-01-15") => new
    {
        id, name = TestHazards[id].Name, classification = TestHazards[id].Classification, status, status_reason = reason,
        recorded_on = recordedOn, wkt = TestHazards[id].Wkt,
    };

    [Fact]
    public async Task LandRelease_MethodNotOfItsActivity_AndAnotherArea_AreRefused()
    {
        using var approver = await host.Factory.ClientAsAsync(Roles.Approver);

        var (status, body) = await PostAsync(approver, "land-release", new
        {
            id = "LR-E1", activity_id = "AC-TS", hazard_id = "HA-002", method = "cancelled", released_on = "2021-03-01",
            wkt = "POLYGON((-24.90 -30.90, -24.89 -30.90, -24.89 -30.89, -24.90 -30.89, -24.90 -30.90))",
        });

        status.ShouldBe(HttpStatusCode.UnprocessableEntity);
        Errors(body, "method").Single().ShouldBe("land is cancelled only by non-technical survey (IMAS 07.11), not by technical survey");
        Errors(body, "hazard_id").Single().ShouldBe("activity AC-TS worked on hazardous area HA-001; an output belongs to the area of its activity");
        (await RegisterStatusAsync("land-release", "LR-E1")).ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task LandRelease_ReducedByItsTechnicalSurvey_IsStoredWithItsArea()
    {
        using var approver = await host.Factory.ClientAsAsync(Roles.Approver);

        var (status, body) = await PostAsync(approver, "land-release", new
        {
            id = "LR-E2", activity_id = "AC-TS", hazard_id = "HA-001", method = "reduced", released_on = "2021-03-01",
            wkt = "POLYGON((-24.90 -30.90, -24.89 -30.90, -24.89 -30.89, -24.90 -30.89, -24.90 -30.90))",
        });

        status.ShouldBe(HttpStatusCode.Created, body?.ToJsonString());
        // 0.01° × 0.01° at 30.9° S: about 1,112 m × 955 m; the importer computes it in the UTM zone.
        (await CurrentRowAsync("land-release", "LR-E2"))!["area_m2"]!.GetValue<double>().ShouldBeInRange(1.0e6, 1.1e6);
    }

    [Fact]
    public async Task Accident_WithCasualties_StoresAllOfThem_AndABadCasualtyRefusesTheWhole()
    {
        using var approver = await host.Factory.ClientAsAsync(Roles.Approver);
        var bad = new
        {
            id = "AC-E1", occurred_on = "2023-09-14", kind = "mine_erw", device_category = "anti_personnel_mine", lon = -24.3, lat = -31.3,
            casualties = new object[]
            {
                new { id = "CA-E1", outcome = "injured", sex = "male", age = 34, status = "civilian" },
                new { id = "CA-E2", outcome = "killed", sex = "female", age = 12, age_group = "adult" },
            },
        };
        var (refused, problem) = await PostAsync(approver, "accidents", bad);
        refused.ShouldBe(HttpStatusCode.UnprocessableEntity);
        Errors(problem, "casualties[1].age_group").Single().ShouldBe("age 12 makes the casualty child (a child is under 18)");
        problem!["problems"]!.AsArray().ShouldContain(p => p!["field"]!.GetValue<string>() == "casualties[1].age_group" && p["value"]!.GetValue<string>() == "adult");
        (await RegisterStatusAsync("accidents", "AC-E1")).ShouldBe(HttpStatusCode.NotFound, "nothing is stored when a casualty is refused");

        var good = new
        {
            bad.id, bad.occurred_on, bad.kind, bad.device_category, bad.lon, bad.lat,
            casualties = new object[]
            {
                new { id = "CA-E1", outcome = "injured", sex = "male", age = 34, status = "civilian" },
                new { id = "CA-E2", outcome = "killed", sex = "female", age = 12 },
            },
        };
        var (status, body) = await PostAsync(approver, "accidents", good);

        status.ShouldBe(HttpStatusCode.Created, body?.ToJsonString());
        body!["casualties"]!.GetValue<int>().ShouldBe(2);
        var child = (await CurrentRowAsync("casualties", "CA-E2"))!;
        (child["accident_id"]!.GetValue<string>(), child["age_group"]!.GetValue<string>(), child["occurred_on"]!.GetValue<string>())
            .ShouldBe(("AC-E1", "child", "2023-09-14"));
    }

    [Fact]
    public async Task Accident_WithANumericId_LendsItToItsCasualties()
    {
        using var approver = await host.Factory.ClientAsAsync(Roles.Approver);

        var (status, body) = await PostAsync(approver, "accidents", new
        {
            id = 7001, occurred_on = "2023-10-01", kind = "demining", lon = -24.31, lat = -31.31,
            casualties = new object[] { new { id = "CA-7001-1", outcome = "injured", status = "deminer" } },
        });

        status.ShouldBe(HttpStatusCode.Created, body?.ToJsonString());
        (await CurrentRowAsync("casualties", "CA-7001-1"))!["accident_id"]!.GetValue<string>().ShouldBe("7001");
    }

    [Fact]
    public async Task CasualtyPersonalData_NeedsTheGrant_IsRefusedPending_AndIsStoredEncrypted()
    {
        object Accident(string id) => new
        {
            id, occurred_on = "2022-11-03", kind = "mine_erw", lon = -24.2, lat = -31.2,
            casualties = new object[] { new { id = id + "-1", outcome = "injured", name = "Fictional Person Ondra", date_of_birth = "1990-02-03" } },
        };
        using var approver = await host.Factory.ClientAsAsync(Roles.Approver);
        using var clerk = await host.Factory.ClientAsAsync(EntryHost.Clerk);
        using var recorder = await host.Factory.ClientAsAsync(EntryHost.Recorder);

        var (withoutGrant, p1) = await PostAsync(approver, "accidents", Accident("AC-P1"));
        var (pending, p2) = await PostAsync(clerk, "accidents", Accident("AC-P2"));
        var (granted, body) = await PostAsync(recorder, "accidents", Accident("AC-P3"));

        withoutGrant.ShouldBe(HttpStatusCode.UnprocessableEntity);
        Errors(p1, "casualties[0].name").Single().ShouldContain("granted personal_data");
        pending.ShouldBe(HttpStatusCode.UnprocessableEntity);
        Errors(p2, "casualties[0].name").Single().ShouldContain("pending");
        granted.ShouldBe(HttpStatusCode.Created, body?.ToJsonString());
        (await CurrentRowAsync("casualties", "AC-P3-1"))!["age"]!.GetValue<int>().ShouldBe(32, "the age comes from the date of birth at the accident date");
        using var keeper = await host.Factory.ClientAsAsync(TestUsers.Keeper);
        var personal = JsonNode.Parse(await keeper.GetStringAsync("/api/casualties/AC-P3-1/personal-data", Ct))!;
        personal["name"]!.GetValue<string>().ShouldBe("Fictional Person Ondra");
        await using var connection = new SqliteConnection($"Data Source={host.Database.Path};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM casualty_personal_data WHERE casualty_id = 'AC-P3-1' AND instr(CAST(ciphertext AS TEXT), 'Ondra') = 0";
        Convert.ToInt32(await command.ExecuteScalarAsync(Ct), System.Globalization.CultureInfo.InvariantCulture).ShouldBe(1, "stored, and not in plain text");
        (await RegisterStatusAsync("accidents", "AC-P1")).ShouldBe(HttpStatusCode.NotFound);
        (await RegisterStatusAsync("accidents", "AC-P2")).ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Accident_WhoseCasualtyTheDatabaseRefusesAtMerge_IsNotStoredEither()
    {
        // A trigger is the database refusing a casualties row at write time (as a constraint, a lock or a full disk
        // would), after every check passed and the accident was already merged: the accident must go with it.
        await AccidentAndCasualtyAreAllOrNothingAsync(host.Factory, host.Database,
            $"CREATE TRIGGER refuse_casualty BEFORE INSERT ON \"{DatasetCatalog.Casualties.VersionsTable}\" WHEN NEW.record_id = 'AC-AT-1' " +
            "BEGIN SELECT RAISE(ABORT, 'refused by the test trigger'); END",
            "DROP TRIGGER refuse_casualty");
    }

    /// <summary>
    /// Enters accident AC-AT with casualty AC-AT-1 while <paramref name="refuse"/> makes the database refuse that casualty
    /// when it is written: nothing of the accident (row, version, submission, audit entry) is stored; once
    /// <paramref name="allow"/> lifts it, the same entry is stored whole.
    /// </summary>
    internal static async Task AccidentAndCasualtyAreAllOrNothingAsync(GroundtruthWebFactory factory, TestDatabase database, string refuse, string allow)
    {
        var entry = new
        {
            id = "AC-AT", occurred_on = "2023-08-01", kind = "mine_erw", lon = -24.33, lat = -31.33,
            casualties = new object[] { new { id = "AC-AT-1", outcome = "injured", status = "civilian" } },
        };
        const string Stored = """
            SELECT (SELECT count(*) FROM "accidents" WHERE "id" = 'AC-AT') + (SELECT count(*) FROM "accidents_versions" WHERE "record_id" = 'AC-AT')
                 + (SELECT count(*) FROM "casualties_versions" WHERE "record_id" = 'AC-AT-1')
            """;
        const string Written = """SELECT (SELECT count(*) FROM "submissions") + (SELECT count(*) FROM "audit_log")""";
        using var approver = await factory.ClientAsAsync(Roles.Approver);
        await ExecuteAsync(database, refuse);
        var writtenBefore = await ScalarAsync(database, Written);

        using (var refused = await approver.PostAsJsonAsync("/api/records/accidents", entry, Ct))
        {
            refused.IsSuccessStatusCode.ShouldBeFalse();
        }

        (await ScalarAsync(database, Stored)).ShouldBe(0, "the accident is stored with its casualties or not at all");
        (await ScalarAsync(database, Written)).ShouldBe(writtenBefore, "no submission and no audit entry for what was not stored");
        await ExecuteAsync(database, allow);
        var (status, body) = await PostAsync(approver, "accidents", entry);
        status.ShouldBe(HttpStatusCode.Created, body?.ToJsonString());
        (await ScalarAsync(database, Stored)).ShouldBe(3);
    }

    private static async Task ExecuteAsync(TestDatabase database, string sql)
    {
        await using var db = database.Target.CreateContext();
        await db.Database.ExecuteSqlRawAsync(sql, Ct);
    }

    private static async Task<long> ScalarAsync(TestDatabase database, string sql)
    {
        await using var db = database.Target.CreateContext();
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(Ct), System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task CasualtyPersonalData_UnderAnyCaseOrSpacing_StillNeedsTheGrant()
    {
        // The importer reads "NAME" and " injuries" as name and injuries, so the grant check must too.
        using var approver = await host.Factory.ClientAsAsync(Roles.Approver);
        using var clerk = await host.Factory.ClientAsAsync(EntryHost.Clerk);
        var upper = new JsonObject { ["id"] = "AC-K1-1", ["outcome"] = "injured", ["NAME"] = "Fictional Person Vesna" };
        var spaced = new JsonObject { ["id"] = "AC-K2-1", ["outcome"] = "injured", [" injuries"] = "fictional leg wound" };
        JsonObject Accident(string id, JsonObject casualty) => new()
        {
            ["id"] = id, ["occurred_on"] = "2022-06-01", ["kind"] = "mine_erw", ["lon"] = -24.25, ["lat"] = -31.25, ["casualties"] = new JsonArray(casualty),
        };

        var (withoutGrant, p1) = await PostAsync(approver, "accidents", Accident("AC-K1", upper));
        var (pending, p2) = await PostAsync(clerk, "accidents", Accident("AC-K2", spaced));
        var (direct, p3) = await PostAsync(approver, "casualties", new JsonObject { ["id"] = "CA-K3", ["outcome"] = "killed", ["Date_Of_Birth "] = "1980" });

        withoutGrant.ShouldBe(HttpStatusCode.UnprocessableEntity, p1?.ToJsonString());
        Errors(p1, "casualties[0].name").Single().ShouldContain("granted personal_data");
        pending.ShouldBe(HttpStatusCode.UnprocessableEntity, p2?.ToJsonString());
        Errors(p2, "casualties[0].injuries").Single().ShouldContain("pending");
        direct.ShouldBe(HttpStatusCode.UnprocessableEntity, p3?.ToJsonString());
        Errors(p3, "date_of_birth").Single().ShouldContain("granted personal_data");
        (await RegisterStatusAsync("accidents", "AC-K1")).ShouldBe(HttpStatusCode.NotFound);
        (await RegisterStatusAsync("casualties", "AC-K1-1")).ShouldBe(HttpStatusCode.NotFound);
        (await RegisterStatusAsync("casualties", "CA-K3")).ShouldBe(HttpStatusCode.NotFound);
        (await ScalarAsync(host.Database, """
            SELECT (SELECT count(*) FROM accidents_versions WHERE record_id IN ('AC-K1', 'AC-K2'))
                 + (SELECT count(*) FROM casualty_personal_data WHERE casualty_id IN ('AC-K1-1', 'AC-K2-1', 'CA-K3'))
            """)).ShouldBe(0, "nothing is stored, pending or approved");
    }

    [Theory]
    [InlineData(Roles.Viewer, HttpStatusCode.Forbidden)]
    [InlineData(Roles.Analyst, HttpStatusCode.Forbidden)]
    [InlineData(TestUsers.Keeper, HttpStatusCode.Forbidden)]
    [InlineData("anonymous", HttpStatusCode.Unauthorized)]
    public async Task Entry_BelowEditor_IsRefused_AndStoresNothing(string caller, HttpStatusCode expected)
    {
        using var client = await host.Factory.ClientAsAsync(caller);

        var (status, _) = await PostAsync(client, "finds", new { id = "FD-X-" + caller, found_on = "2024", category = "uxo", lon = -24.5, lat = -31.5 });

        status.ShouldBe(expected);
        (await RegisterStatusAsync("finds", "FD-X-" + caller)).ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Entry_OfADatasetLoadedFromFiles_IsABadRequest_AndTheApiIsDescribed()
    {
        using var approver = await host.Factory.ClientAsAsync(Roles.Approver);
        var (status, body) = await PostAsync(approver, "places", new { id = "PL-1" });
        status.ShouldBe(HttpStatusCode.BadRequest);
        body!["detail"]!.GetValue<string>().ShouldContain("/api/uploads/places");

        using var anonymous = host.Factory.CreateClient();
        var openApi = JsonNode.Parse(await anonymous.GetStringAsync("/openapi/v1.json", Ct))!;
        openApi["paths"]!["/api/records/{dataset}"]!["post"].ShouldNotBeNull();
    }
}
