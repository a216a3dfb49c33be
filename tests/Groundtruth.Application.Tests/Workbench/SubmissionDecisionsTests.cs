using Groundtruth.Application.Datasets;
using Groundtruth.Application.Import;
using Groundtruth.Application.Tests.Support;
using Groundtruth.Application.Workbench;
using Groundtruth.Domain;
using Microsoft.EntityFrameworkCore;

namespace Groundtruth.Application.Tests.Workbench;

/// <summary>Reconciling, approving, rejecting and unapproving submissions, on both stores.</summary>
public sealed class SubmissionDecisionsTests
{
    private const string Register = """
        id,name,classification,status,recorded_on,wkt
        HA-001,North field,confirmed,open,2019-05-12,"POLYGON((-24.90 -30.90, -24.88 -30.90, -24.88 -30.88, -24.90 -30.88, -24.90 -30.90))"
        HA-002,Riverbank,suspected,open,2020-03,"POLYGON((-24.20 -31.40, -24.17 -31.40, -24.17 -31.38, -24.20 -31.38, -24.20 -31.40))"
        """;

    // An operator's file: its own ids, one of which happens to equal a national id of a different area.
    private const string Incoming = """
        id,name,classification,status,recorded_on,wkt
        HA-001,North field (resurveyed),confirmed,open,2024-02-01,"POLYGON((-24.90 -30.90, -24.87 -30.90, -24.87 -30.88, -24.90 -30.88, -24.90 -30.90))"
        OP-7,Well path,suspected,open,2024-02-03,"POLYGON((-24.50 -31.00, -24.48 -31.00, -24.48 -30.98, -24.50 -30.98, -24.50 -31.00))"
        OP-8,Riverbank again,suspected,open,2024-02-04,"POLYGON((-24.20 -31.40, -24.17 -31.40, -24.17 -31.38, -24.20 -31.38, -24.20 -31.40))"
        """;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<(TestDatabase Db, long Submission)> PendingAsync(Backend backend)
    {
        var t = await TestDatabase.CreateAsync(backend);
        var register = Path.Combine(t.Directory, "register.csv");
        await File.WriteAllTextAsync(register, Register, Ct);
        await new ImportHandler(t.Target, TimeProvider.System).HandleAsync(new ImportRequest(DatasetCatalog.Hazards, register, Actor: "test"), ct: Ct);
        var incoming = Path.Combine(t.Directory, "operator.csv");
        await File.WriteAllTextAsync(incoming, Incoming, Ct);
        var result = await new ImportHandler(t.Target, TimeProvider.System).HandleAsync(
            new ImportRequest(DatasetCatalog.Hazards, incoming, Pending: true, Actor: "operator"), ct: Ct);
        return (t, result.SubmissionId!.Value);
    }

    private static async Task<Dictionary<string, string?>> CurrentNamesAsync(TestDatabase t)
    {
        await using var db = t.Target.CreateContext();
        return await db.Hazards.AsNoTracking().ToDictionaryAsync(h => h.Id, h => h.Name, Ct);
    }

    [Theory]
    [ClassData(typeof(Backends))]
    public async Task ReadPage_GivesThePagesOfTheRecordsInIdOrder_WithTheirTotal(Backend backend)
    {
        var (t, id) = await PendingAsync(backend);
        await using var _ = t;
        var decisions = new SubmissionDecisions(t.Target, TimeProvider.System);
        var all = (await decisions.ReadAsync(id, Ct))!.Value.Items.Select(i => i.LocalId).ToList();
        all.Count.ShouldBe(3);
        all.ShouldBe([.. all.Order(StringComparer.Ordinal)]);

        var paged = new List<string>();
        for (var offset = 0; offset < all.Count + 2; offset += 2)
        {
            var page = (await decisions.ReadPageAsync(id, offset, 2, Ct))!;
            (page.Total, page.Offset, page.Limit).ShouldBe((3, offset, 2));
            page.Items.Count.ShouldBe(Math.Clamp(all.Count - offset, 0, 2));
            paged.AddRange(page.Items.Select(i => i.LocalId));
        }
        paged.ShouldBe(all);
        (await decisions.ReadPageAsync(id, 0, 0, Ct))!.Items.ShouldBeEmpty();
        (await decisions.ReadPageAsync(id + 1000, 0, 10, Ct)).ShouldBeNull();
        (await Should.ThrowAsync<InvalidRequestException>(() => decisions.ReadPageAsync(id, -1, 10, Ct))).Message.ShouldContain("offset");
        (await Should.ThrowAsync<InvalidRequestException>(() => decisions.ReadPageAsync(id, 0, -5, Ct))).Message.ShouldContain("limit");
    }

    [Theory]
    [ClassData(typeof(Backends))]
    public async Task Approve_AppliesEachDecision_UpdateNewUnderANationalIdAndLink(Backend backend)
    {
        var (t, id) = await PendingAsync(backend);
        await using var _ = t;
        var decisions = new SubmissionDecisions(t.Target, TimeProvider.System);
        (await CurrentNamesAsync(t)).Keys.ShouldBe(["HA-001", "HA-002"], ignoreOrder: true, "pending data does not count");

        var read = await decisions.ReadAsync(id, Ct);
        read!.Value.Items.Single(i => i.LocalId == "HA-001").ExistingId.ShouldBe("HA-001");
        read.Value.Items.Single(i => i.LocalId == "OP-7").ExistingId.ShouldBeNull();

        await decisions.ApproveAsync(id,
        [
            new ItemDecision("HA-001", ItemAction.Update, "HA-001"),
            new ItemDecision("OP-7", ItemAction.New, "HA-010"),
            new ItemDecision("OP-8", ItemAction.Link, "HA-002"),
        ], "approver", "checked against the survey report", Ct);

        var names = await CurrentNamesAsync(t);
        names.ShouldBe(new Dictionary<string, string?>
        {
            ["HA-001"] = "North field (resurveyed)", ["HA-002"] = "Riverbank", ["HA-010"] = "Well path",
        }, ignoreOrder: true);
        await using var db = t.Target.CreateContext();
        (await db.Versions(DatasetCatalog.Hazards).CountAsync(v => v.RecordId == "OP-7" || v.RecordId == "OP-8", Ct)).ShouldBe(0, "no local id enters the register");
        var audit = await db.AuditLog.AsNoTracking().SingleAsync(a => a.Action == "approve", Ct);
        audit.Detail!.ShouldContain("\"local\":\"OP-7\"");
        audit.Detail!.ShouldContain("HA-010");
        (await db.Submissions.SingleAsync(s => s.Id == id, Ct)).State.ShouldBe(SubmissionState.Approved);
    }

    [Theory]
    [ClassData(typeof(Backends))]
    public async Task Approve_WithoutADecisionForEveryRecord_IsRefused_NoBlindMatchingById(Backend backend)
    {
        var (t, id) = await PendingAsync(backend);
        await using var _ = t;
        var decisions = new SubmissionDecisions(t.Target, TimeProvider.System);

        var e = await Should.ThrowAsync<SubmissionDecisionException>(() =>
            decisions.ApproveAsync(id, [new ItemDecision("HA-001", ItemAction.Update)], "approver", null, Ct));
        e.Message.ShouldContain("OP-7");
        var clash = await Should.ThrowAsync<SubmissionDecisionException>(() => decisions.ApproveAsync(id,
            [new("HA-001", ItemAction.New), new("OP-7", ItemAction.New), new("OP-8", ItemAction.New)], "approver", null, Ct));
        clash.Message.ShouldContain("already exists");
        (await CurrentNamesAsync(t)).Count.ShouldBe(2);
    }

    [Theory]
    [ClassData(typeof(Backends))]
    public async Task Unapprove_ReturnsRecordsToTheirPreviousApprovedVersions(Backend backend)
    {
        var (t, id) = await PendingAsync(backend);
        await using var _ = t;
        var decisions = new SubmissionDecisions(t.Target, TimeProvider.System);
        await decisions.ApproveAsync(id, [new("HA-001", ItemAction.Update), new("OP-7", ItemAction.New, "HA-010"), new("OP-8", ItemAction.Link, "HA-002")], "approver", null, Ct);

        await decisions.UnapproveAsync(id, "approver", "the survey report was for another area", Ct);

        (await CurrentNamesAsync(t)).ShouldBe(new Dictionary<string, string?> { ["HA-001"] = "North field", ["HA-002"] = "Riverbank" }, ignoreOrder: true);
        await Should.ThrowAsync<SubmissionDecisionException>(() => decisions.UnapproveAsync(id, "approver", "again", Ct));
    }

    [Theory]
    [ClassData(typeof(Backends))]
    public async Task Reject_NeedsAReason_AndChangesNothing(Backend backend)
    {
        var (t, id) = await PendingAsync(backend);
        await using var _ = t;
        var decisions = new SubmissionDecisions(t.Target, TimeProvider.System);

        await Should.ThrowAsync<SubmissionDecisionException>(() => decisions.RejectAsync(id, "approver", " ", Ct));
        await decisions.RejectAsync(id, "approver", "duplicate of last week's report", Ct);

        (await CurrentNamesAsync(t)).Count.ShouldBe(2);
        (await decisions.ListAsync(SubmissionState.Rejected, Ct)).Single().Reason.ShouldBe("duplicate of last week's report");
        await Should.ThrowAsync<SubmissionDecisionException>(() => decisions.ApproveAsync(id, [], "approver", null, Ct));
    }
}
