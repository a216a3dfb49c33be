using System.Net;
using System.Text.RegularExpressions;
using Groundtruth.Application.Security;
using Groundtruth.Application.Users;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Geometries;

namespace Groundtruth.Web.Tests.Records;

/// <summary>
/// Record pages link records both ways (issue 13 part 5) through the same seam as every read (<see cref="Access"/>): a
/// viewer opens no record page; the finds inside a minefield record carrying a handling label (which would trace its
/// footprint) are listed for approvers only; related lists and register ids are links, checked against the database.
/// </summary>
public sealed partial class RecordPageTests(LabelledDemoHost host) : IClassFixture<LabelledDemoHost>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<HttpClient> SignedInAsync(string name)
    {
        var client = host.Factory.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = true });
        await PageSession.SignInAsync(client, name);
        return client;
    }

    /// <summary>The ids linked under the related group of <paramref name="dataset"/> in <paramref name="html"/> (every list of that dataset).</summary>
    private static List<string> LinkedIds(string html, string dataset)
    {
        var ids = new List<string>();
        foreach (Match list in RelatedList().Matches(html))
        {
            if (list.Groups["dataset"].Value != dataset) continue;
            ids.AddRange(RecordLink().Matches(list.Groups["body"].Value).Where(m => m.Groups["dataset"].Value == dataset).Select(m => Uri.UnescapeDataString(m.Groups["id"].Value)));
        }
        return ids;
    }

    [Fact]
    public async Task AViewer_OpensNoRecordPage_SoNoRelatedLinkLeadsPastTheSeam()
    {
        using var viewer = await SignedInAsync(Roles.Viewer);
        foreach (var url in new[] { "/registers/hazards/HA-000001", "/registers/accidents/ACC-0000001", "/registers/minefield-records/MR-U1" })
        {
            using var response = await viewer.GetAsync(url, Ct);
            response.StatusCode.ShouldBe(HttpStatusCode.Redirect, url);
            response.Headers.Location!.AbsolutePath.ShouldBe("/denied", url);
        }
    }

    [Fact]
    public async Task TheFindsInsideALabelledMinefieldRecord_AreListedForApproversOnly()
    {
        // Independently of the application: a labelled polygon record with no stated uncertainty and the finds its footprint covers.
        await using var db = host.Database.Target.CreateContext();
        var records = await db.MinefieldRecords.AsNoTracking().Where(r => r.Handling != null && r.Handling != "").ToListAsync(Ct);
        var finds = await db.Finds.AsNoTracking().Where(f => f.Geometry != null).Select(f => new { f.Id, f.Geometry }).ToListAsync(Ct);
        var (record, inside) = records.Where(r => r.Geometry is Polygon or MultiPolygon && (r.PositionUncertaintyM ?? 0) == 0)
            .Select(r => (r, finds.Where(f => r.Geometry!.Covers(f.Geometry)).Select(f => f.Id).Order(StringComparer.Ordinal).ToList()))
            .FirstOrDefault(x => x.Item2.Count is > 0 and <= 100);
        record.ShouldNotBeNull("the demo has a labelled polygon record with finds inside");

        using var approver = await SignedInAsync(Roles.Approver);
        var html = await approver.GetStringAsync($"/registers/minefield-records/{record.Id}", Ct);
        LinkedIds(html, "finds").Order(StringComparer.Ordinal).ShouldBe(inside);
        html.ShouldContain("id=\"verdict\"");

        using var analyst = await SignedInAsync(Roles.Analyst);
        var generalised = await analyst.GetStringAsync($"/registers/minefield-records/{record.Id}", Ct);
        LinkedIds(generalised, "finds").ShouldBeEmpty();
        foreach (var id in inside) generalised.ShouldNotContain($"/registers/finds/{id}\"");
        generalised.ShouldContain("the finds inside its footprint are listed for approvers and administrators only");

        // The approver's read of the labelled record is in its audit entries, in words (no raw JSON).
        var again = await approver.GetStringAsync($"/registers/minefield-records/{record.Id}", Ct);
        var audit = again[again.IndexOf("<table id=\"audit\">", StringComparison.Ordinal)..];
        audit = audit[..audit.IndexOf("</table>", StringComparison.Ordinal)];
        audit.ShouldContain("<dl class=\"audit-detail\">");
        audit.ShouldNotContain("{");
        audit.ShouldNotContain("read_labelled_records");
    }

    [Fact]
    public async Task AHazardsPage_ListsTheFindsNamingIt_AndEachFindLinksBack_AsTheRegisterDoes()
    {
        await using var db = host.Database.Target.CreateContext();
        var hazard = await db.Finds.AsNoTracking().Where(f => f.HazardId != null).GroupBy(f => f.HazardId!)
            .OrderBy(g => g.Key).Select(g => g.Key).FirstAsync(Ct);
        var expected = (await db.Finds.AsNoTracking().Where(f => f.HazardId == hazard).Select(f => f.Id).ToListAsync(Ct)).Order(StringComparer.Ordinal).Take(100).ToList();

        using var analyst = await SignedInAsync(Roles.Analyst);
        var html = await analyst.GetStringAsync($"/registers/hazards/{hazard}", Ct);
        LinkedIds(html, "finds").ShouldBe(expected, "sorted by id, the first hundred");
        html.ShouldContain("id=\"record-map\"");
        html.ShouldContain("id=\"history\"");

        var find = await analyst.GetStringAsync($"/registers/finds/{expected[0]}", Ct);
        LinkedIds(find, "hazards").ShouldBe([hazard], "the find names its hazardous area");
        find.ShouldContain($"<a href=\"/registers/hazards/{hazard}\">{hazard}</a>", Case.Sensitive, "the reference field is a link");

        var register = await analyst.GetStringAsync($"/registers/finds?q={expected[0]}", Ct);
        register.ShouldContain($"<a href=\"/registers/finds/{expected[0]}\">{expected[0]}</a>");
        register.ShouldContain($"<a href=\"/registers/hazards/{hazard}\">{hazard}</a>", Case.Sensitive, "ids in registers are links, references too");
    }

    [Fact]
    public async Task AnAccidentsPage_ListsItsCasualties_WithoutPersonalData()
    {
        await using var db = host.Database.Target.CreateContext();
        var accident = await db.Casualties.AsNoTracking().Where(c => c.AccidentId != null).OrderBy(c => c.AccidentId).Select(c => c.AccidentId!).FirstAsync(Ct);
        var expected = (await db.Casualties.AsNoTracking().Where(c => c.AccidentId == accident).Select(c => c.Id).ToListAsync(Ct)).Order(StringComparer.Ordinal).ToList();

        using var analyst = await SignedInAsync(Roles.Analyst);
        var html = await analyst.GetStringAsync($"/registers/accidents/{accident}", Ct);
        LinkedIds(html, "casualties").ShouldBe(expected);
        var casualty = await analyst.GetStringAsync($"/registers/casualties/{expected[0]}", Ct);
        LinkedIds(casualty, "accidents").ShouldBe([accident]);
        casualty.ShouldNotContain("data-field=\"name\"");
        casualty.ShouldNotContain("data-field=\"date_of_birth\"");
    }

    [GeneratedRegex("<ul data-related=\"(?<dataset>[a-z-]+)\">(?<body>.*?)</ul>", RegexOptions.Singleline)]
    private static partial Regex RelatedList();

    [GeneratedRegex("<a href=\"/registers/(?<dataset>[a-z-]+)/(?<id>[^\"]+)\">")]
    private static partial Regex RecordLink();
}
