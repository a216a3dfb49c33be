using System.Text;
using Groundtruth.Application.Datasets;
using Groundtruth.Application.History;
using Groundtruth.Application.Import;
using Groundtruth.Application.Tests.Support;
using Groundtruth.Application.Workbench;
using Microsoft.EntityFrameworkCore;

namespace Groundtruth.Application.Tests.Versions;

/// <summary>
/// Decision 22: one rule for the current version. The same out-of-order and partial-date versions go through the bulk
/// merge (approved imports), the history reader and the approval path (pending imports approved one by one), and all
/// three name the same current version — the one an independent reading of the rule expects.
/// </summary>
public sealed class CurrentVersionAgreementTests
{
    /// <summary>Per record, its dates of information in the order the versions arrive.</summary>
    private static readonly (string Id, string[] Dates)[] Arrivals =
    [
        ("HA-1", ["2024-01-01", "2024"]),                     // equal start, the later report wins
        ("HA-2", ["2024", "2024-01-01"]),
        ("HA-3", ["2024-01-01", "2024", "2023-06", "2024-01"]),
        ("HA-4", ["2025-03", "2024-12-31", "2025"]),           // back-dated corrections stay in history
        ("HA-5", ["2020", "2019-12"]),
        ("HA-6", ["2019-12-31", "2020"]),
        ("HA-7", ["2021-06-15", "2021-06", "2021-06-30", "2021"]),
    ];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [ClassData(typeof(Backends))]
    public async Task BulkMerge_HistoryReader_AndApproval_AgreeOnTheCurrentVersion(Backend backend)
    {
        var steps = Arrivals.Max(a => a.Dates.Length);
        await using var bulk = await TestDatabase.CreateAsync(backend);
        await using var approved = await TestDatabase.CreateAsync(backend);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var step = 0; step < steps; step++)
        {
            var file = Path.Combine(bulk.Directory, $"step{step}.csv");
            await File.WriteAllTextAsync(file, StepCsv(step), Ct);
            await bulk.ImportAsync(DatasetCatalog.Hazards, file);

            var pending = await approved.ImportAsync(DatasetCatalog.Hazards, file, pending: true);
            var decisions = Arrivals.Where(a => a.Dates.Length > step)
                .Select(a => seen.Add(a.Id) ? new ItemDecision(a.Id, ItemAction.New) : new ItemDecision(a.Id, ItemAction.Update, a.Id))
                .ToList();
            await new SubmissionDecisions(approved.Target, TimeProvider.System).ApproveAsync(pending.SubmissionId!.Value, decisions, "approver", null, Ct);
        }

        var expected = new SortedDictionary<string, string>(Arrivals.ToDictionary(a => a.Id, a => Name(a.Id, Expected(a.Dates))), StringComparer.Ordinal);
        var fromBulk = await CurrentNamesAsync(bulk);
        var fromApproval = await CurrentNamesAsync(approved);
        await using var db = bulk.Target.CreateContext();
        var fromHistory = (await VersionReader.ReadAsync(db, DatasetCatalog.Hazards, HistoryPoint.Current, Ct))
            .ToDictionary(r => r.Id, r => r.Text("name")!);
        await using var db2 = approved.Target.CreateContext();
        var fromApprovedHistory = (await VersionReader.ReadAsync(db2, DatasetCatalog.Hazards, HistoryPoint.Current, Ct))
            .ToDictionary(r => r.Id, r => r.Text("name")!);

        new SortedDictionary<string, string>(fromBulk, StringComparer.Ordinal).ShouldBe(expected, "the bulk merge's current rows");
        new SortedDictionary<string, string>(fromHistory, StringComparer.Ordinal).ShouldBe(expected, "the history reader over the bulk merge's versions");
        new SortedDictionary<string, string>(fromApproval, StringComparer.Ordinal).ShouldBe(expected, "the approval path's current rows");
        new SortedDictionary<string, string>(fromApprovedHistory, StringComparer.Ordinal).ShouldBe(expected, "the history reader over the approved versions");
    }

    /// <summary>The rule read independently: the latest first day of the period; on a tie, the later arrival.</summary>
    private static int Expected(string[] dates)
    {
        static string FirstDay(string d) => d.Length switch { 4 => d + "-01-01", 7 => d + "-01", _ => d };
        var best = 0;
        for (var i = 1; i < dates.Length; i++)
            if (string.CompareOrdinal(FirstDay(dates[i]), FirstDay(dates[best])) >= 0) best = i;
        return best;
    }

    private static string Name(string id, int arrival) => $"{id} arrival {arrival}";

    private static string StepCsv(int step)
    {
        var csv = new StringBuilder("id,name,classification,status,recorded_on,wkt\n");
        var k = 0;
        foreach (var (id, dates) in Arrivals)
        {
            k++;
            if (dates.Length <= step) continue;
            var x = -24.9 + k * 0.05;
            csv.Append(System.Globalization.CultureInfo.InvariantCulture,
                $"{id},{Name(id, step)},confirmed,open,{dates[step]},\"POLYGON(({x} -30.9, {x + 0.01} -30.9, {x + 0.01} -30.89, {x} -30.89, {x} -30.9))\"\n");
        }
        return csv.ToString();
    }

    private static async Task<Dictionary<string, string>> CurrentNamesAsync(TestDatabase t)
    {
        await using var db = t.Target.CreateContext();
        await db.Database.OpenConnectionAsync(Ct);
        await using var cmd = db.Database.GetDbConnection().CreateCommand();
        cmd.CommandText = "SELECT \"id\", \"name\" FROM \"hazards\"";
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        await using var r = await cmd.ExecuteReaderAsync(Ct);
        while (await r.ReadAsync(Ct)) names[r.GetString(0)] = r.GetString(1);
        return names;
    }
}
