using System.IO.Compression;
using System.Xml.Linq;
using Groundtruth.Application.Users;

namespace Groundtruth.Web.Tests.Records;

/// <summary><c>GET /api/export/{dataset}?format=xlsx</c>: the CSV export's columns and rows in an Excel workbook.</summary>
public sealed class XlsxExportApiTests(LabelledDemoHost host) : IClassFixture<LabelledDemoHost>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Finds_AsXlsx_HoldTheCsvExportsHeaderAndRows()
    {
        using var client = await host.Factory.ClientAsAsync(Roles.Analyst);
        var csv = (await client.GetStringAsync("/api/export/finds?format=csv", Ct)).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        using var response = await client.GetAsync("/api/export/finds?format=xlsx", Ct);

        response.EnsureSuccessStatusCode();
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        using var zip = new ZipArchive(await response.Content.ReadAsStreamAsync(Ct));
        var sheet = XDocument.Load(zip.Entries.Single(e => e.FullName.StartsWith("xl/worksheets/", StringComparison.Ordinal)).Open());
        XNamespace main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
        var rows = sheet.Descendants(main + "row").ToList();
        rows.Count.ShouldBe(csv.Length);
        rows[0].Elements(main + "c").Select(c => c.Value).ShouldBe(csv[0].TrimEnd('\r').Split(','));
    }
}
