using System.Text.Json.Nodes;
using Groundtruth.Application.Datasets;
using Groundtruth.Application.Entry;
using Groundtruth.Application.Security;
using Groundtruth.Application.Tests.Support;
using Groundtruth.Application.Users;
using Groundtruth.Application.Workbench;
using Groundtruth.Domain;
using Microsoft.EntityFrameworkCore;

namespace Groundtruth.Application.Tests.Workbench;

/// <summary>
/// The workbench's review and its defaults (issue 13 part 2), on a real GeoPackage and PostgreSQL: each incoming record
/// beside the current record of its id with its changed fields, the proposed decision (new when nothing matches, the
/// update of the match when one does), and an accident with its casualties approved or rejected together, all or nothing.
/// </summary>
public sealed class GroupApprovalTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly Access Editor = Access.Of("editor", [Roles.Editor]);
    private static readonly Access Approver = Access.Of("approver", [Roles.Approver]);

    private static JsonObject Json(string text) => JsonNode.Parse(text)!.AsObject();

    /// <summary>An editor's accident with two casualties: two pending submissions made in one import.</summary>
    private static async Task<EntryResult> AccidentAsync(TestDatabase t) =>
        await new RecordEntryHandler(t.Target, TimeProvider.System).HandleAsync(new EntryRequest(DatasetCatalog.Accidents,
            Json("""{"id": "OP-A1", "occurred_on": "2024-03-02", "kind": "mine_erw", "lon": -24.3, "lat": -31.3}"""),
            [Json("""{"id": "OP-C1", "outcome": "injured", "age": 30}"""), Json("""{"id": "OP-C2", "outcome": "killed", "age": 11}""")],
            Pending: true, Editor), Ct);

    private static async Task<SubmissionState> StateAsync(TestDatabase t, long id)
    {
        await using var db = t.Target.CreateContext();
        return (await db.Submissions.AsNoTracking().SingleAsync(s => s.Id == id, Ct)).State;
    }

    [Theory]
    [ClassData(typeof(Backends))]
    public async Task Review_ProposesNewWhenNothingMatches_AndTheUpdateOfTheMatch_WithTheChangedFields(Backend backend)
    {
        await using var t = await TestDatabase.CreateAsync(backend);
        var entry = new RecordEntryHandler(t.Target, TimeProvider.System);
        await entry.HandleAsync(new EntryRequest(DatasetCatalog.Finds,
            Json("""{"id": "FND-1", "found_on": "2024-01-10", "category": "uxo", "quantity": 2, "model": "M-1", "lon": -24.30, "lat": -31.30}"""), [], Pending: false, Approver), Ct);
        var pending = await entry.HandleAsync(new EntryRequest(DatasetCatalog.Finds,
            Json("""{"id": "FND-1", "found_on": "2024-01-10", "category": "uxo", "quantity": 3, "model": "M-1", "lon": -24.30, "lat": -31.30}"""), [], Pending: true, Editor), Ct);
        var fresh = await entry.HandleAsync(new EntryRequest(DatasetCatalog.Finds,
            Json("""{"id": "OP-9", "found_on": "2024-02-11", "category": "anti_personnel_mine", "lon": -24.31, "lat": -31.31}"""), [], Pending: true, Editor), Ct);
        var decisions = new SubmissionDecisions(t.Target, TimeProvider.System);

        var update = (await decisions.ReviewAsync(pending.SubmissionId!.Value, Editor, Ct))!.Items.Single();
        update.MatchId.ShouldBe("FND-1");
        update.Default.ShouldBe(new ItemDecision("FND-1", ItemAction.Update, "FND-1", "finds"));
        update.Fields.Where(f => f.Changed).Select(f => (f.Field, Convert.ToDouble(f.Before, System.Globalization.CultureInfo.InvariantCulture), Convert.ToDouble(f.After, System.Globalization.CultureInfo.InvariantCulture)))
            .ShouldBe([("quantity", 2d, 3d)], "only the quantity differs from the current record");
        update.GeometryChanged.ShouldBeFalse();
        update.IncomingGeometry.ShouldNotBeNull().ShouldContain("-24.3");

        var created = (await decisions.ReviewAsync(fresh.SubmissionId!.Value, Editor, Ct))!.Items.Single();
        created.MatchId.ShouldBeNull();
        created.Default.ShouldBe(new ItemDecision("OP-9", ItemAction.New, "OP-9", "finds"));
        created.Fields.Single(f => f.Field == "category").After.ShouldBe("anti_personnel_mine");

        // Approving with the defaults applies exactly the decisions proposed.
        await decisions.ApproveAsync(pending.SubmissionId.Value, [], "approver", null, defaults: true, Ct);
        await decisions.ApproveAsync(fresh.SubmissionId.Value, [], "approver", null, defaults: true, Ct);
        await using var db = t.Target.CreateContext();
        (await db.Finds.AsNoTracking().OrderBy(f => f.Id).Select(f => new { f.Id, f.Quantity }).ToListAsync(Ct))
            .Select(f => (f.Id, f.Quantity)).ShouldBe([("FND-1", 3), ("OP-9", 1)]);
        (await decisions.WaitingAsync(Approver, Ct)).ShouldBe(0);
    }

    [Theory]
    [ClassData(typeof(Backends))]
    public async Task AnAccidentAndItsCasualties_AreReviewedAndApprovedTogether_TheCasualtiesFollowTheAccidentsNationalId(Backend backend)
    {
        await using var t = await TestDatabase.CreateAsync(backend);
        var entered = await AccidentAsync(t);
        var decisions = new SubmissionDecisions(t.Target, TimeProvider.System);
        (await decisions.WaitingAsync(Approver, Ct)).ShouldBe(2);

        var fromCasualties = (await decisions.ReviewAsync(entered.CasualtiesSubmissionId!.Value, Editor, Ct))!;
        fromCasualties.Group.Select(g => g.Id).ShouldBe([entered.SubmissionId!.Value, entered.CasualtiesSubmissionId.Value], "the accident leads its group from either page");
        fromCasualties.Items.Select(i => (i.Dataset, i.LocalId, i.Default.Action)).ShouldBe(
            [("accidents", "OP-A1", ItemAction.New), ("casualties", "OP-C1", ItemAction.New), ("casualties", "OP-C2", ItemAction.New)]);

        var outcome = await decisions.ApproveAsync(entered.SubmissionId.Value, [new ItemDecision("OP-A1", ItemAction.New, "ACC-2024-0001", "accidents")],
            "approver", "checked", defaults: true, Ct);
        outcome.Submissions.ShouldBe([entered.SubmissionId.Value, entered.CasualtiesSubmissionId.Value]);
        outcome.Records.Select(r => (r.LocalId, r.NationalId)).ShouldBe([("OP-A1", "ACC-2024-0001"), ("OP-C1", "OP-C1"), ("OP-C2", "OP-C2")]);
        (await StateAsync(t, entered.CasualtiesSubmissionId.Value)).ShouldBe(SubmissionState.Approved);
        await using var db = t.Target.CreateContext();
        (await db.Accidents.AsNoTracking().Select(a => a.Id).ToListAsync(Ct)).ShouldBe(["ACC-2024-0001"]);
        (await db.Casualties.AsNoTracking().OrderBy(c => c.Id).Select(c => c.AccidentId).ToListAsync(Ct))
            .ShouldBe(["ACC-2024-0001", "ACC-2024-0001"], "each casualty names its accident by the national id it was given");

        var review = (await decisions.ReviewAsync(entered.SubmissionId.Value, Editor, Ct))!;
        review.Outcome.Select(o => (o.Dataset, o.NationalId)).ShouldBe([("accidents", "ACC-2024-0001"), ("casualties", "OP-C1"), ("casualties", "OP-C2")],
            "the page confirms what became of each record");

        await decisions.UnapproveAsync(entered.CasualtiesSubmissionId.Value, "approver", "wrong date", Ct);
        (await StateAsync(t, entered.SubmissionId.Value)).ShouldBe(SubmissionState.Submitted, "taken back together too");
        (await db.Accidents.AsNoTracking().CountAsync(Ct) + await db.Casualties.AsNoTracking().CountAsync(Ct)).ShouldBe(0);
    }

    [Theory]
    [ClassData(typeof(Backends))]
    public async Task AGroupApproval_ThatOneCasualtyRefuses_ChangesNothing(Backend backend)
    {
        await using var t = await TestDatabase.CreateAsync(backend);
        var entered = await AccidentAsync(t);
        var decisions = new SubmissionDecisions(t.Target, TimeProvider.System);
        var before = await t.FingerprintAsync();

        var e = await Should.ThrowAsync<SubmissionDecisionException>(() => decisions.ApproveAsync(entered.SubmissionId!.Value,
            [new ItemDecision("OP-C2", ItemAction.Update, "CAS-404", "casualties")], "approver", null, defaults: true, Ct));
        e.Message.ShouldContain("CAS-404");
        (await t.FingerprintAsync()).ShouldBe(before, "the accident approved before the casualty refused is rolled back");
        (await StateAsync(t, entered.SubmissionId!.Value)).ShouldBe(SubmissionState.Submitted);
        (await StateAsync(t, entered.CasualtiesSubmissionId!.Value)).ShouldBe(SubmissionState.Submitted);

        var undecided = await Should.ThrowAsync<SubmissionDecisionException>(() => decisions.ApproveAsync(entered.SubmissionId.Value,
            [new ItemDecision("OP-A1", ItemAction.New)], "approver", null, Ct));
        undecided.Message.ShouldContain("undecided casualties: OP-C1, OP-C2", Case.Sensitive, "without defaults every record of the group is decided");
        (await t.FingerprintAsync()).ShouldBe(before);

        await decisions.RejectAsync(entered.SubmissionId.Value, "approver", "duplicate of a police report", Ct);
        (await StateAsync(t, entered.CasualtiesSubmissionId.Value)).ShouldBe(SubmissionState.Rejected, "one decision applies to the group");
        (await decisions.WaitingAsync(Approver, Ct)).ShouldBe(0);
    }

    [Fact]
    public async Task TheReview_IsRefusedToAnAnalyst_AndTheCountToAnEditor()
    {
        await using var t = await TestDatabase.CreateAsync(Backend.GeoPackage);
        var decisions = new SubmissionDecisions(t.Target, TimeProvider.System);
        await Should.ThrowAsync<ForbiddenException>(() => decisions.ReviewAsync(1, Access.Of("analyst", [Roles.Analyst]), Ct));
        await Should.ThrowAsync<ForbiddenException>(() => decisions.WaitingAsync(Editor, Ct));
    }
}
