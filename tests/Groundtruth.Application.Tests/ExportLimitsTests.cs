using Groundtruth.Application.Datasets;
using Groundtruth.Application.Export;
using Groundtruth.Application.History;
using Groundtruth.Application.Tests.Support;

namespace Groundtruth.Application.Tests;

/// <summary><see cref="ExportLimits"/>: labelled minefield records left out and counted, geometry generalised to grid cells — now and as of a date.</summary>
public sealed class ExportLimitsTests
{
    private static async Task<(ExportResult Result, string[] Lines)> ExportAsync(TestDatabase t, DatasetSpec d, ExportLimits? limits, HistoryPoint? at = null)
    {
        var file = Path.Combine(t.Directory, $"{d.Name}-{Guid.NewGuid():N}.csv");
        var result = await new ExportHandler(t.Target, TimeProvider.System).HandleAsync(new ExportRequest(d, file, At: at, Limits: limits));
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

        var (kept, lines) = await ExportAsync(t, DatasetCatalog.MinefieldRecords, new ExportLimits(WithholdLabelledRecords: true, null), at);
        var (everything, _) = await ExportAsync(t, DatasetCatalog.MinefieldRecords, new ExportLimits(WithholdLabelledRecords: false, null), at);

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

        var (result, lines) = await ExportAsync(t, DatasetCatalog.Finds, new ExportLimits(WithholdLabelledRecords: true, 0.01));

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
}
