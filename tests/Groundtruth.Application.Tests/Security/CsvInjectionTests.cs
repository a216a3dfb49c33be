using System.Globalization;
using CsvHelper;
using Groundtruth.Application.Datasets;
using Groundtruth.Application.Export;
using Groundtruth.Application.Tests.Cli;
using Groundtruth.Application.Tests.Support;

namespace Groundtruth.Application.Tests.Security;

/// <summary>
/// OWASP CSV injection: a text cell a spreadsheet would run as a formula is written with a leading quote, in every CSV
/// Groundtruth writes (export, hazards, priorities), numbers in numeric columns are left alone, and the importer reads
/// the neutralised cell back as it was.
/// </summary>
public sealed class CsvInjectionTests
{
    private const string Hostile = "=HYPERLINK(\"http://example.invalid\",\"x\")";

    [Theory]
    [InlineData("=1+1", "'=1+1")]
    [InlineData("+41", "'+41")]
    [InlineData("-3.5", "'-3.5")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("\tx", "'\tx")]
    [InlineData("\rx", "\"'\rx\"")]
    [InlineData("'=x", "''=x")]
    [InlineData("plain", "plain")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("=a,\"b\"", "\"'=a,\"\"b\"\"\"")]
    [InlineData("it's", "it's")]
    [InlineData("'", "'")]
    [InlineData(" padded ", "\" padded \"")]
    [InlineData("", "")]
    public void Text_NeutralisesFormulasAndQuotes(string value, string written) => CsvCell.Text(value).ShouldBe(written);

    [Fact]
    public void Restore_UndoesNeutralise_OnEveryStringOfRiskyCharacters()
    {
        // Seeded: every run draws the same 5,000 strings over the characters that matter.
        var random = new Random(14);
        const string alphabet = "'=+-@\t\rA ,\"";
        for (var n = 0; n < 5000; n++)
        {
            var value = new string([.. Enumerable.Range(0, random.Next(1, 7)).Select(_ => alphabet[random.Next(alphabet.Length)])]);
            var neutral = CsvCell.Neutralise(value);
            CsvCell.Restore(neutral).ShouldBe(value);
            "=+-@\t\r".ShouldNotContain(neutral[0], $"'{value}' was written as '{neutral}'");
        }
    }

    [Theory]
    [ClassData(typeof(Backends))]
    public async Task Export_NeutralisesTextCells_KeepsNegativeNumbers_AndReadsBackUnchanged(Backend backend)
    {
        await using var t = await TestDatabase.CreateAsync(backend);
        var finds = Path.Combine(t.Directory, "finds-in.csv");
        await File.WriteAllTextAsync(finds, $"""
            id,found_on,category,model,quantity,markings,source,lon,lat
            F1,2023-05-03,anti_personnel_mine,"{Hostile.Replace("\"", "\"\"", StringComparison.Ordinal)}",1,-3.5,@operator,-24.565,-31.115
            F2,2023-05-04,anti_personnel_mine,+plain,2,'=already,plain,-24.566,-31.116
            """, TestContext.Current.CancellationToken);
        (await t.ImportAsync(DatasetCatalog.Finds, finds)).Inserted.ShouldBe(2);
        var stored = await t.ScalarTextAsync("SELECT \"markings\" FROM \"finds\" WHERE \"id\" = 'F2'");
        stored.ShouldBe("=already", "a neutralised cell in a file imports as the value it stands for");

        var exported = Path.Combine(t.Directory, "finds.csv");
        await new ExportHandler(t.Target, TimeProvider.System).HandleAsync(new ExportRequest(DatasetCatalog.Finds, exported), TestContext.Current.CancellationToken);
        var rows = ReadCsv(exported);
        var f1 = rows.Single(r => r["id"] == "F1");
        f1["model"].ShouldBe("'" + Hostile);
        f1["markings"].ShouldBe("'-3.5", "text that looks like a number is still text");
        f1["source"].ShouldBe("'@operator");
        f1["lon"].ShouldBe("-24.565", "a number in a numeric column is written as it is");
        f1["quantity"].ShouldBe("1");
        rows.Single(r => r["id"] == "F2")["markings"].ShouldBe("'=already");
        rows.SelectMany(r => r.Values).ShouldAllBe(v => v.Length == 0 || !"=+@\t\r".Contains(v[0]));

        var again = await t.ImportAsync(DatasetCatalog.Finds, exported);
        again.Unchanged.ShouldBe(2, "re-importing the export changes nothing");
    }

    [Fact]
    public async Task HazardsAndPrioritiesCsv_FromTheCommandLine_NeutraliseNames()
    {
        await using var t = await TestDatabase.CreateAsync(Backend.GeoPackage);
        var hazards = Path.Combine(t.Directory, "hazards.csv");
        await File.WriteAllTextAsync(hazards, """
            id,name,classification,status,contamination,recorded_on,wkt
            -H1,=cmd|' /C calc'!A0,confirmed,open,anti_personnel_mine,2019-05-02,"POLYGON((-24.58 -31.12,-24.56 -31.12,-24.56 -31.10,-24.58 -31.10,-24.58 -31.12))"
            """, TestContext.Current.CancellationToken);
        (await t.ImportAsync(DatasetCatalog.Hazards, hazards)).Inserted.ShouldBe(1);

        var (code, output, error) = await CliProcess.RunAsync("--db", t.FilePath!, "hazards", "--format", "csv");
        code.ShouldBe(0, error);
        var row = ReadCsv(output).ShouldHaveSingleItem();
        row["id"].ShouldBe("'-H1");
        row["name"].ShouldBe("'=cmd|' /C calc'!A0");
        double.Parse(row["area_m2"], CultureInfo.InvariantCulture).ShouldBeGreaterThan(0);

        (code, output, error) = await CliProcess.RunAsync("--db", t.FilePath!, "priorities", "--format", "csv");
        code.ShouldBe(0, error);
        var ranked = ReadCsv(string.Join('\n', output.Split('\n').Where(l => !l.StartsWith('#')))).ShouldHaveSingleItem();
        ranked["hazard_id"].ShouldBe("'-H1");
        ranked["name"].ShouldBe("'=cmd|' /C calc'!A0");
    }

    /// <summary>Rows read by CsvHelper, an independent reader: header → cell text.</summary>
    private static List<Dictionary<string, string>> ReadCsv(string pathOrText)
    {
        using var reader = File.Exists(pathOrText) ? new StreamReader(pathOrText) : (TextReader)new StringReader(pathOrText);
        using var csv = new CsvParser(reader, CultureInfo.InvariantCulture);
        csv.Read();
        var header = csv.Record!;
        var rows = new List<Dictionary<string, string>>();
        while (csv.Read()) rows.Add(header.Select((h, i) => (h, v: csv.Record![i])).ToDictionary(p => p.h, p => p.v));
        return rows;
    }
}
