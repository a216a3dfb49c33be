using Microsoft.Playwright;

namespace Groundtruth.Web.Tests.Statistics;

/// <summary>
/// The dashboard as a reader sees it once its figures are there. The first page after the host starts or the data
/// changes waits at most 2 s for its counts and 1 s for its areas and otherwise says they are being computed
/// (<c>[data-computing]</c>); the browser's script asks again until they are. A test that reads a figure does the same,
/// so a slow or busy machine gives the same answer as a fast one.
/// </summary>
public static class DashboardComputed
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    /// <summary>The page's HTML once it holds every figure: <paramref name="get"/> is asked again every half second while it says "being computed".</summary>
    public static async Task<string> HtmlAsync(Func<Task<string>> get)
    {
        var until = DateTime.UtcNow + Patience;
        while (true)
        {
            var html = await get();
            if (!html.Contains("data-computing", StringComparison.Ordinal)) return html;
            DateTime.UtcNow.ShouldBeLessThan(until, "the dashboard's figures were never computed");
            await Task.Delay(500, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>The page at <paramref name="url"/> once it holds every figure.</summary>
    public static Task<string> HtmlAsync(HttpClient client, string url) =>
        HtmlAsync(() => client.GetStringAsync(url, TestContext.Current.CancellationToken));

    /// <summary>Opens the dashboard in the browser and waits until its script has put every figure in place.</summary>
    public static async Task GotoAsync(IPage page, string url)
    {
        await page.GotoAsync(url);
        await page.Locator("[data-computing]").First.WaitForAsync(new() { State = WaitForSelectorState.Detached, Timeout = (float)Patience.TotalMilliseconds });
    }
}
