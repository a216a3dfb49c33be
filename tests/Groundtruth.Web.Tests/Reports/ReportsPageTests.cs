using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Groundtruth.Application.Users;
using Groundtruth.Web.Tests.Records;

namespace Groundtruth.Web.Tests.Reports;

/// <summary>
/// The Reports page (issue 15 part 4): an analyst picks a report, period, language and format, the report is built in
/// the background with its progress shown, downloaded, and the download written to the audit log; viewers are refused;
/// nobody sees another user's report.
/// </summary>
public sealed partial class ReportsPageTests(LabelledDemoHost host) : IClassFixture<LabelledDemoHost>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<HttpClient> SignedInAsync(string role)
    {
        var client = host.Factory.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = true });
        await PageSession.SignInAsync(client, role);
        return client;
    }

    /// <summary>Posts the form, follows the job until the page offers the file; returns the job's page and id.</summary>
    private static async Task<(string Html, string Job)> BuildAsync(HttpClient client, params (string Key, string Value)[] fields)
    {
        var form = await client.GetStringAsync("/reports", Ct);
        var token = Antiforgery().Match(form).Groups[1].Value;
        token.ShouldNotBeEmpty();
        using var content = new FormUrlEncodedContent([.. fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value)), new("__RequestVerificationToken", token)]);
        using var posted = await client.PostAsync("/reports", content, Ct);
        posted.StatusCode.ShouldBe(HttpStatusCode.Redirect, await posted.Content.ReadAsStringAsync(Ct));
        var location = posted.Headers.Location!.ToString();
        var job = Regex.Match(location, "job=([0-9a-f]{32})").Groups[1].Value;
        job.ShouldNotBeEmpty(location);
        for (var i = 0; i < 240; i++)
        {
            var status = JsonNode.Parse(await client.GetStringAsync($"/api/reports/{job}/status", Ct))!;
            if (status["state"]!.GetValue<string>() != "computing") break;
            await Task.Delay(250, Ct);
        }
        return (await client.GetStringAsync(location, Ct), job);
    }

    [Fact]
    public async Task Analyst_BuildsTheSituationReportInFrench_DownloadsThePdf_AndTheDownloadIsAudited()
    {
        using var analyst = await SignedInAsync(Roles.Analyst);
        using var admin = await host.Factory.ClientAsAsync(Roles.Administrator);
        var before = JsonNode.Parse(await admin.GetStringAsync("/api/audit?action=report&limit=1000", Ct))!.AsArray().Count;

        var (html, job) = await BuildAsync(analyst, ("Report", "situation"), ("From", "2015"), ("To", "2024"), ("Language", "fr"), ("Format", "pdf"));
        html.ShouldContain("id=\"report-ready\"");
        using var file = await analyst.GetAsync($"/api/reports/{job}/file", Ct);
        file.StatusCode.ShouldBe(HttpStatusCode.OK);
        file.Content.Headers.ContentType!.MediaType.ShouldBe("application/pdf");
        var bytes = await file.Content.ReadAsByteArrayAsync(Ct);
        using (var pdf = UglyToad.PdfPig.PdfDocument.Open(bytes))
        {
            var first = string.Join(" ", pdf.GetPage(1).GetWords().Select(w => w.Text));
            first.ShouldContain("Rapport de situation");
            first.ShouldContain("du 1 janvier 2015 au 31 décembre 2024");
        }

        var audit = JsonNode.Parse(await admin.GetStringAsync("/api/audit?action=report&limit=1000", Ct))!.AsArray();
        audit.Count.ShouldBe(before + 1);
        var detail = audit.Select(e => e!["detail"]!.GetValue<string>()).First(d => d.Contains("\"language\":\"fr\"", StringComparison.Ordinal));
        detail.ShouldContain("\"report\":\"situation\"");
        detail.ShouldContain("\"format\":\"pdf\"");
        detail.ShouldContain("\"from\":\"2015\"");

        // Another user (here an administrator) can neither see nor download it.
        using var other = await SignedInAsync(Roles.Administrator);
        (await other.GetAsync($"/api/reports/{job}/status", Ct)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await other.GetAsync($"/api/reports/{job}/file", Ct)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Article7_AsWord()
    {
        using var analyst = await SignedInAsync(Roles.Analyst);
        var (_, job) = await BuildAsync(analyst, ("Report", "article7"), ("Year", "2024"), ("Language", "en"), ("Format", "docx"));
        using var file = await analyst.GetAsync($"/api/reports/{job}/file", Ct);
        file.StatusCode.ShouldBe(HttpStatusCode.OK);
        file.Content.Headers.ContentDisposition!.FileNameStar.ShouldBe("groundtruth-article7-2024-en.docx");
        (await file.Content.ReadAsByteArrayAsync(Ct))[..2].ShouldBe("PK"u8.ToArray(), "a .docx is a zip package");
    }

    [Fact]
    public async Task ABadChoice_IsShownOnThePage_AndNothingIsBuilt()
    {
        using var analyst = await SignedInAsync(Roles.Analyst);
        var form = await analyst.GetStringAsync("/reports", Ct);
        var token = Antiforgery().Match(form).Groups[1].Value;
        using var content = new FormUrlEncodedContent([new("Report", "situation"), new("Format", "docx"), new("Language", "en"), new("__RequestVerificationToken", token)]);
        using var posted = await analyst.PostAsync("/reports", content, Ct);
        posted.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await posted.Content.ReadAsStringAsync(Ct)).ShouldContain("not a format of this report");
    }

    [Fact]
    public async Task Viewer_IsRefused_AndHasNoLinkToThePage()
    {
        using var viewer = await SignedInAsync(Roles.Viewer);
        using var page = await viewer.GetAsync("/reports", Ct);
        page.StatusCode.ShouldNotBe(HttpStatusCode.OK);
        (await viewer.GetStringAsync("/", Ct)).ShouldNotContain("href=\"/reports\"");
        using var analyst = await SignedInAsync(Roles.Analyst);
        (await analyst.GetStringAsync("/", Ct)).ShouldContain("href=\"/reports\"");
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Antiforgery();
}
