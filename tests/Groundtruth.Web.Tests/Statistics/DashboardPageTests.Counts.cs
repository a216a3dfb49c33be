using System.Globalization;
using System.Text.RegularExpressions;
using Groundtruth.Application.Datasets;
using Groundtruth.Application.Import;
using Groundtruth.Application.Statistics;
using Groundtruth.Application.Users;
using Microsoft.Extensions.DependencyInjection;

namespace Groundtruth.Web.Tests.Statistics;

/// <summary>
/// The dashboard's counts are kept per version of the datasets they are read from (<see cref="DashboardCounts"/>,
/// issue 11): a reload counts nothing again, a viewer's suppressed counts are kept apart from an analyst's, and a find
/// written outside the host (as the CLI would) shows within the check interval. (The page's own figures: the other part.)
/// </summary>
public sealed partial class DashboardPageTests
{
    private static long Devices(string html) =>
        long.Parse(Regex.Match(html, "data-figure=\"finds\"[^>]*>.*?data-total=\"(\\d+)\"", RegexOptions.Singleline).Groups[1].Value, CultureInfo.InvariantCulture);

    [Fact]
    public async Task AReload_IsAnsweredFromTheKeptCounts_EachRoleItsOwn_AndAChangeIsSeen()
    {
        var kept = host.Factory.Services.GetRequiredService<DashboardCounts>();
        using var analyst = await host.Factory.ClientAsAsync(Roles.Analyst);
        using var viewer = await host.Factory.ClientAsAsync(Roles.Viewer);
        var first = await DashboardComputed.HtmlAsync(analyst, "/");
        var questions = kept.Count;
        questions.ShouldBeGreaterThanOrEqualTo(1);

        var again = await DashboardComputed.HtmlAsync(analyst, "/");
        kept.Count.ShouldBe(questions, "a reload asks no new question");
        Devices(again).ShouldBe(Devices(first));

        // A viewer sees small cells suppressed: another question, not the analyst's counts (kept already when another test of
        // this host asked it first), and a viewer's reload asks nothing new either.
        var viewed = await DashboardComputed.HtmlAsync(viewer, "/");
        var withViewer = kept.Count;
        withViewer.ShouldBeInRange(questions, questions + 1);
        await DashboardComputed.HtmlAsync(viewer, "/");
        kept.Count.ShouldBe(withViewer, "a viewer's reload asks no new question");
        viewed.ShouldContain("&lt; 5");
        (await DashboardComputed.HtmlAsync(analyst, "/")).ShouldNotContain("&lt; 5");

        // A device of this year (the stopped clock's, 2026) imported outside the host: seen within the check interval (1 s).
        var csv = Path.Combine(Path.GetDirectoryName(host.DatabasePath)!, "one-find.csv");
        await File.WriteAllTextAsync(csv, """
            id,found_on,category,model,quantity,production_year,markings,condition,depth_cm,fuze,booby_trapped,emplacement,context,disposal,activity_id,hazard_id,source,lon,lat
            F-COUNTED-1,2026-03-04,anti_personnel_mine,E-001 M,1,2021,,good,5,pressure,false,emplaced,field,destroyed in situ,,,Test Demining,-24.565,-31.115
            """, Ct);
        var target = Application.Storage.DatabaseTarget.Parse(host.DatabasePath);
        (await new ImportHandler(target, TimeProvider.System).HandleAsync(new ImportRequest(DatasetCatalog.Finds, csv, Actor: "test"), ct: Ct)).Inserted.ShouldBe(1);

        var deadline = DateTime.UtcNow.AddSeconds(10);
        long devices;
        do
        {
            await Task.Delay(200, Ct);
            devices = Devices(await DashboardComputed.HtmlAsync(analyst, "/"));
        }
        while (devices == Devices(first) && DateTime.UtcNow < deadline);
        devices.ShouldBe(Devices(first) + 1);
    }
}
