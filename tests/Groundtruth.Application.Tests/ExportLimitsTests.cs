using Groundtruth.Application.Datasets;
using Groundtruth.Application.Export;
using Groundtruth.Application.History;
using Groundtruth.Application.Security;
using Groundtruth.Application.Users;
using Groundtruth.Application.Tests.Support;

namespace Groundtruth.Application.Tests;

/// <summary><see cref="ExportLimits"/>: labelled minefield records left out and counted, geometry generalised to grid cells — now and as of a date.</summary>
public sealed class ExportLimitsTests
{
    private static async Task<(ExportResult Result, string[] Lines)> ExportAsync(TestDatabase t, DatasetSpec d, string role, HistoryPoint? at = null)
    {
        var file = Path.Combine(t.Directory, $"{d.Name}-{Guid.NewGuid():N}.csv");
        var result = await new ExportHandler(t.Target, TimeProvider.System).HandleAsync(new ExportRequest(d, file, Access: Access.Of("test", [role]), At: at));
        return (result, await File.ReadAllLinesAsync(file));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task LabelledMinefieldRecords_AreLeftOutAndCounted_NowAndInThePast(bool past)
    {
        await using var t = await TestDatabase.CreateAsync(Backend.GeoPackage);
        await t.ImportProgrammeAsync();
        var labelled = await t.ScalarAsync("SELECT count(*) FROM minefield_records WHERE handling IS NOT NULL AND handling <> ''");
        var all = await t.ScalarAsync("SELECT count(*) FROM minefield_records");
        labelled.ShouldBeGreaterThan(0);
        labelled.ShouldBeLessThan(all);
        var at = past ? new HistoryPoint(AsOf: new DateOnly(2100, 1, 1)) : null;

        var (kept, lines) = await ExportAsync(t, DatasetCatalog.MinefieldRecords, Roles.Analyst, at);
        var (everything, _) = await ExportAsync(t, DatasetCatalog.MinefieldRecords, Roles.Approver, at);

        kept.Records.ShouldBe((int)(all - labelled));
        kept.Withheld.ShouldBe((int)labelled);
        lines.Length.ShouldBe(1 + kept.Records);
        var handling = Array.IndexOf(lines[0].Split(','), "handling");
        lines.Skip(1).ShouldAllBe(l => l.Split(',', StringSplitOptions.None)[handling] == "");
        everything.Records.ShouldBe((int)all);
        everything.LabelledRecords.ShouldBe((int)labelled);
    }

    [Fact]
    public async Task Generalised_PointsBecomeCellCentres_WithoutOriginalCoordinates()
    {
        await using var t = await TestDatabase.CreateAsync(Backend.GeoPackage);
        await t.ImportProgrammeAsync();

        var (result, lines) = await ExportAsync(t, DatasetCatalog.Finds, Roles.Viewer);

        result.Withheld.ShouldBe(0, "only minefield records carry handling labels");
        lines[0].ShouldEndWith(",lon,lat");
        foreach (var line in lines.Skip(1))
        {
            var f = line.Split(',');
            foreach (var c in f[^2..].Select(v => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture)))
                Math.Abs(Math.Round((c - 0.005) / 0.01) * 0.01 + 0.005 - c).ShouldBeLessThan(1e-9, line);
            f[^3].ShouldBe("", "no original coordinates");
        }
        lines.ShouldContain(l => l.StartsWith("F1,", StringComparison.Ordinal) && l.EndsWith(",-24.565,-31.115", StringComparison.Ordinal),
            "F1 at (-24.565, -31.115) lies in the cell whose centre is (-24.565, -31.115)");
    }

    [Theory]
    [InlineData("viewer", false, "exporting casualties")]
    [InlineData("analyst", true, "exporting personal data")]
    [InlineData("administrator", true, "exporting personal data")]
    public async Task TheHandlerItself_RefusesWhatTheCallersAccessDoesNotAllow(string role, bool personal, string refused)
    {
        // The seam is the use case, not the route: whoever calls the handler (web, CLI, a future report page) is held to it.
        await using var t = await TestDatabase.CreateAsync(Backend.GeoPackage);
        await t.ImportProgrammeAsync();
        var file = Path.Combine(t.Directory, "casualties.csv");

        var e = await Should.ThrowAsync<ForbiddenException>(() => new ExportHandler(t.Target, TimeProvider.System)
            .HandleAsync(new ExportRequest(DatasetCatalog.Casualties, file, IncludePersonalData: personal, Access: Access.Of("test", [role]))));

        e.Message.ShouldContain(refused);
        File.Exists(file).ShouldBeFalse();
    }
}
