using System.Globalization;
using Groundtruth.Application.Datasets;
using Groundtruth.Application.Export;
using Groundtruth.Application.Import;
using Groundtruth.Application.Import.Readers;
using Groundtruth.Application.Tests.Support;
using static Groundtruth.Application.Tests.Support.RegisterFixtures;

namespace Groundtruth.Application.Tests;

/// <summary>
/// Excel workbooks import like CSV files: the mapping's sheet, the header below title rows, serial dates in either date
/// system, formulas as their calculated values; problems are named <c>file.xlsx:Sheet!row</c>; exports to .xlsx carry
/// the CSV columns and import back unchanged.
/// </summary>
public sealed class XlsxImportTests
{
    private static string Map(TestDatabase t, string json)
    {
        var path = Path.Combine(t.Directory, "map.json");
        File.WriteAllText(path, json);
        return path;
    }

    /// <summary>
    /// Found by afl-fuzz (fuzz/run.sh xlsx): an attribute of the wrong type escaped as the SDK's FormatException once the
    /// JIT had inlined its getter into our reader (so it no longer looked like the SDK's). Now the reader turns the SDK's
    /// FormatException into damage itself, naming the cell or the row.
    /// </summary>
    [Theory]
    [InlineData("<c r=\"A4\" t=\"inlineStr\">", "<c r=\"A4\" t=\"q\">", "cell A4: The text value is not a valid enumeration value.")]
    [InlineData("<row r=\"4\">", "<row r=\"four\">", "a row's number: The input string 'four' was not in a correct format.")]
    public async Task Workbook_WithAnAttributeOfTheWrongType_IsRefusedAsDamaged_NamingIt(string good, string bad, string expected)
    {
        await using var t = await TestDatabase.CreateAsync(Backend.GeoPackage);
        var file = Path.Combine(t.Directory, "damaged.xlsx");
        File.Copy(PathOf(ExcelFinds), file);
        using (var zip = System.IO.Compression.ZipFile.Open(file, System.IO.Compression.ZipArchiveMode.Update))
        {
            var entry = zip.GetEntry("xl/worksheets/sheet2.xml")!;
            string xml;
            using (var reader = new StreamReader(entry.Open())) xml = await reader.ReadToEndAsync(TestContext.Current.CancellationToken);
            xml.ShouldContain(good);
            entry.Delete();
            await using var writer = new StreamWriter(zip.CreateEntry("xl/worksheets/sheet2.xml").Open());
            await writer.WriteAsync(xml.Replace(good, bad, StringComparison.Ordinal));
        }
        var e = await Should.ThrowAsync<ImportRejectedException>(() => t.ImportAsync(DatasetCatalog.Finds, file, PathOf(ExcelFindsMap)));
        e.Problems.ShouldHaveSingleItem().Reason.ShouldBe("a damaged Excel workbook (.xlsx): " + expected);
    }

    [Theory]
    [ClassData(typeof(Backends))]
    public async Task Workbook_SecondSheetUnderTitleRows_ImportsDatesNumbersAndFormulaValues(Backend backend)
    {
        await using var t = await TestDatabase.CreateAsync(backend);

        var result = await t.ImportAsync(DatasetCatalog.Finds, PathOf(ExcelFinds), PathOf(ExcelFindsMap));

        result.Inserted.ShouldBe(ExcelFindRows.Length);
        await ShouldHoldTheRegisterAsync(t);
    }

    private static async Task ShouldHoldTheRegisterAsync(TestDatabase t)
    {
        var rows = await FieldFormImportTests.RowsAsync(t, "SELECT \"id\", \"found_on\", \"category\", \"quantity\", \"depth_cm\", \"min_x\", \"min_y\" FROM \"finds\" ORDER BY \"id\"");
        rows.Select(r => (r[0], r[1], r[2], long.Parse(r[3]!, CultureInfo.InvariantCulture), double.Parse(r[4]!, CultureInfo.InvariantCulture),
                double.Parse(r[5]!, CultureInfo.InvariantCulture), double.Parse(r[6]!, CultureInfo.InvariantCulture)))
            .ShouldBe(ExcelFindRows.Select(f => ((string?)f.Id, (string?)f.FoundOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                (string?)ExcelTypes[f.Type], (long)f.Quantity, f.Depth, f.Lon, f.Lat)));
        (await t.ScalarAsync("SELECT sum(\"quantity\") FROM \"finds\"")).ShouldBe(ExcelFindRows.Sum(f => f.Quantity));
    }

    [Theory]
    [ClassData(typeof(Backends))]
    public async Task Workbook_In1904DateSystem_GivesTheSameDates(Backend backend)
    {
        await using var t = await TestDatabase.CreateAsync(backend);
        var path = Path.Combine(t.Directory, "finds-1904.xlsx");
        WriteExcelFinds(path, date1904: true);

        await t.ImportAsync(DatasetCatalog.Finds, path, PathOf(ExcelFindsMap));

        await ShouldHoldTheRegisterAsync(t);
    }

    [Fact]
    public async Task HeaderRow_GivenInTheMapping_IsTheRowDetected()
    {
        using var workbook = XlsxWorkbook.Open(PathOf(ExcelFinds), null);

        XlsxSourceReader.DetectHeader([.. workbook.Rows(ExcelSheet)])!.Number.ShouldBe(4);
        await using var t = await TestDatabase.CreateAsync(Backend.GeoPackage);
        var map = Map(t, ExcelMapping.Replace("\"sheet\": \"Finds register\",", "\"sheet\": \"Finds register\", \"header_row\": 4,", StringComparison.Ordinal));
        (await t.ImportAsync(DatasetCatalog.Finds, PathOf(ExcelFinds), map)).Inserted.ShouldBe(ExcelFindRows.Length);
    }

    [Theory]
    [ClassData(typeof(Backends))]
    public async Task Workbook_ABadCell_IsNamedBySheetRowAndField_AndNothingIsStored(Backend backend)
    {
        await using var t = await TestDatabase.CreateAsync(backend);
        var path = Path.Combine(t.Directory, "finds-bad.xlsx");
        WriteExcelFinds(path, finds: [.. ExcelFindRows.Select((f, i) => i == 2 ? f with { Type = "Rocket" } : f)]);
        var before = await t.FingerprintAsync();

        var e = await Should.ThrowAsync<ImportRejectedException>(() => t.ImportAsync(DatasetCatalog.Finds, path, PathOf(ExcelFindsMap)));

        e.Problems.Single().ToString().ShouldStartWith($"{path}:'Finds register'!7: field 'category' value 'Rocket': unknown value");
        (await t.FingerprintAsync()).ShouldBe(before);
    }

    [Fact]
    public async Task Workbook_AMissingSheet_IsNamedWithTheSheetsItHas()
    {
        await using var t = await TestDatabase.CreateAsync(Backend.GeoPackage);
        var map = Map(t, ExcelMapping.Replace("\"sheet\": \"Finds register\"", "\"sheet\": \"Finds 2024\"", StringComparison.Ordinal));

        var e = await Should.ThrowAsync<ImportRejectedException>(() => t.ImportAsync(DatasetCatalog.Finds, PathOf(ExcelFinds), map));

        e.Problems.Single().ToString().ShouldBe($"{PathOf(ExcelFinds)}: field 'sheet': the workbook has no sheet 'Finds 2024'; its sheets: About, Finds register");
        (await t.CountAsync("finds")).ShouldBe(0);
    }

    [Fact]
    public async Task Workbook_AFormulaNeverCalculated_IsNamed()
    {
        await using var t = await TestDatabase.CreateAsync(Backend.GeoPackage);
        var path = Path.Combine(t.Directory, "uncalculated.xlsx");
        using (var w = new XlsxWriter(path))
        {
            w.AddSheet("Finds", [
                ["id", "found_on", "category", "quantity", "lon", "lat"],
                ["F-1", new DateOnly(2024, 1, 2), "uxo", new XlsxFormula("1+1", null), -24.5, -31.1],
            ]);
        }

        var e = await Should.ThrowAsync<ImportRejectedException>(() => t.ImportAsync(DatasetCatalog.Finds, path));

        e.Problems.Single().ToString().ShouldBe($"{path}:Finds!2: field 'quantity': a formula without a calculated value; open and save the workbook in a spreadsheet program first");
    }

    [Theory]
    [ClassData(typeof(Backends))]
    public async Task Export_ToXlsx_HasTheCsvColumns_AndImportsBackUnchanged(Backend backend)
    {
        await using var t = await TestDatabase.CreateAsync(backend);
        await t.ImportAsync(DatasetCatalog.Finds, PathOf(ExcelFinds), PathOf(ExcelFindsMap));
        var xlsx = Path.Combine(t.Directory, "finds.xlsx");
        var csv = Path.Combine(t.Directory, "finds.csv");
        var exporter = new ExportHandler(t.Target, TimeProvider.System);

        (await exporter.HandleAsync(new ExportRequest(DatasetCatalog.Finds, xlsx))).Records.ShouldBe(ExcelFindRows.Length);
        await exporter.HandleAsync(new ExportRequest(DatasetCatalog.Finds, csv));
        var again = await t.ImportAsync(DatasetCatalog.Finds, xlsx);

        (again.Inserted, again.Updated, again.Unchanged).ShouldBe((0, 0, ExcelFindRows.Length));
        using var workbook = XlsxWorkbook.Open(xlsx, null);
        workbook.SheetNames.ShouldBe(["finds"]);
        var rows = workbook.Rows("finds").ToList();
        var width = rows[0].Cells.Count;
        var cells = rows.Select(r => string.Join(",", Enumerable.Range(0, width).Select(i => Quote(r.Text(i))))).ToList();
        cells.ShouldBe(File.ReadAllLines(csv));
    }

    private static string Quote(string? s) => s is null ? "" : s.Contains(',') || s.Contains('"') ? "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : s;
}
