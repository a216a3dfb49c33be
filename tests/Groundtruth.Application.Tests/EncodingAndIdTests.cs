using System.Text;
using Groundtruth.Application.Datasets;
using Groundtruth.Application.Import;
using Groundtruth.Application.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Groundtruth.Application.Tests;

/// <summary>Encodings, delimiters, ids composed or generated, numbers and month names in date parts (issue 12 parts 1, 2, 4; issue 14).</summary>
public sealed class EncodingAndIdTests
{
    private const string Header = "id,found_on,category,model,lon,lat";

    private static string WriteBytes(TestDatabase t, string name, byte[] bytes)
    {
        var path = Path.Combine(t.Directory, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static string WriteMap(TestDatabase t, string json)
    {
        var path = Path.Combine(t.Directory, "m" + Guid.NewGuid().ToString("N")[..6] + ".map.json");
        File.WriteAllText(path, json);
        return path;
    }

    private static async Task<List<string?>> ModelsAsync(TestDatabase t)
    {
        await using var db = t.Target.CreateContext();
        return await db.Finds.AsNoTracking().OrderBy(f => f.Id).Select(f => f.Model).ToListAsync();
    }

    [Fact]
    public async Task Utf8_WithACharacterSplitBetweenTwoReads_IsStillUtf8()
    {
        await using var t = await TestDatabase.CreateAsync(Backend.GeoPackage);
        // The first byte of 'à' is the last byte of the first 64 KiB the detection reads; the second opens the next read.
        var text = new StringBuilder(Header + "\n");
        var row = 1;
        while (text.Length < 65_535 - 300) text.Append($"P{row++},2023-01-02,uxo,,-24.5,-31.1\n");
        text.Append($"P{row},2023-01-02,uxo,\"");
        text.Append('x', 65_535 - text.Length - "Grenade ".Length).Append("Grenade à main\",-24.5,-31.1\n");
        var bytes = Encoding.UTF8.GetBytes(text.ToString());
        (bytes[65_535], bytes[65_536]).ShouldBe(((byte)0xC3, (byte)0xA0));

        await t.ImportAsync(DatasetCatalog.Finds, WriteBytes(t, "split.csv", bytes));

        (await ModelsAsync(t)).Single(m => m is not null).ShouldEndWith("Grenade à main");
    }

    private static string Finds(string delimiter) =>
        string.Join("\r\n", Header.Replace(",", delimiter, StringComparison.Ordinal),
            string.Join(delimiter, "E1", "2023-01-02", "uxo", "Grenade à main", "-24.5", "-31.1"),
            string.Join(delimiter, "E2", "2023-01-03", "uxo", "Обломок", "-24.6", "-31.2")) + "\r\n";

    public static TheoryData<string, string> Encodings => new()
    {
        { "utf-8", "EF BB BF" }, { "utf-8", "" }, { "utf-16le", "FF FE" }, { "utf-16be", "FE FF" }, { "utf-16le", "" },
    };

    [Theory]
    [MemberData(nameof(Encodings))]
    public async Task UnicodeEncodings_WithOrWithoutAByteOrderMark_AreDetected(string encoding, string bom)
    {
        await using var t = await TestDatabase.CreateAsync(Backend.GeoPackage);
        var text = TextDecoding.Strict(encoding).GetBytes(Finds(","));
        var preamble = bom.Length == 0 ? [] : Convert.FromHexString(bom.Replace(" ", "", StringComparison.Ordinal));
        var file = WriteBytes(t, "finds.csv", [.. preamble, .. text]);
        (await t.ImportAsync(DatasetCatalog.Finds, file)).Inserted.ShouldBe(2);
        (await ModelsAsync(t)).ShouldBe(["Grenade à main", "Обломок"]);
    }

    [Theory]
    [InlineData(";")]
    [InlineData("\t")]
    [InlineData("|")]
    [InlineData(",")]
    public async Task Delimiter_IsDetected_WhenNotStated(string delimiter)
    {
        await using var t = await TestDatabase.CreateAsync(Backend.GeoPackage);
        var file = WriteBytes(t, "finds.csv", Encoding.UTF8.GetBytes(Finds(delimiter)));
        (await t.ImportAsync(DatasetCatalog.Finds, file)).Inserted.ShouldBe(2);
        (await ModelsAsync(t)).ShouldBe(["Grenade à main", "Обломок"]);
    }

    [Fact]
    public async Task Windows1252_IsDetected_WhenTheFileIsNotUtf8()
    {
        await using var t = await TestDatabase.CreateAsync(Backend.GeoPackage);
        var file = WriteBytes(t, "finds.csv", Encoding.Latin1.GetBytes($"{Header}\nE1,2023-01-02,uxo,Grenade à main,-24.5,-31.1\n"));
        await t.ImportAsync(DatasetCatalog.Finds, file);
        (await ModelsAsync(t)).ShouldBe(["Grenade à main"]);
    }

    [Theory]
    [ClassData(typeof(Backends))]
    public async Task StatedUtf8_WithALatin1Byte_IsRefusedNamingTheLine_AndNothingIsWritten(Backend backend)
    {
        await using var t = await TestDatabase.CreateAsync(backend);
        var before = await t.FingerprintAsync();
        var body = $"{Header}\nE1,2023-01-02,uxo,ok,-24.5,-31.1\nE2,2023-01-02,uxo,Grenade à main,-24.5,-31.1\n";
        var file = WriteBytes(t, "finds.csv", Encoding.Latin1.GetBytes(body));
        var e = await Should.ThrowAsync<ImportRejectedException>(() => t.ImportAsync(DatasetCatalog.Finds, file, map: WriteMap(t, "{\"encoding\": \"utf-8\"}")));
        e.Problems.Single().Line.ShouldBe(3);
        e.Problems.Single().Reason.ShouldContain("not valid utf-8");
        e.Problems.Single().File.ShouldBe(file);
        (await t.FingerprintAsync()).ShouldBe(before);
    }

    [Fact]
    public async Task StatedWindows1252_WithAnUndefinedByte_IsRefusedNamingTheLine()
    {
        await using var t = await TestDatabase.CreateAsync(Backend.GeoPackage);
        var bytes = Encoding.ASCII.GetBytes($"{Header}\nE1,2023-01-02,uxo,ok,-24.5,-31.1\nE2,2023-01-02,uxo,bad?,-24.5,-31.1\n");
        bytes[Array.LastIndexOf(bytes, (byte)'?')] = 0x81;
        var file = WriteBytes(t, "finds.csv", bytes);
        var e = await Should.ThrowAsync<ImportRejectedException>(() => t.ImportAsync(DatasetCatalog.Finds, file, map: WriteMap(t, "{\"encoding\": \"windows-1252\"}")));
        e.Problems.Single().Line.ShouldBe(3);
        e.Problems.Single().Reason.ShouldContain("windows-1252");
    }

    [Fact]
    public async Task AByteOrderMark_ThatContradictsTheStatedEncoding_IsRefused()
    {
        await using var t = await TestDatabase.CreateAsync(Backend.GeoPackage);
        var file = WriteBytes(t, "finds.csv", [0xFF, 0xFE, .. Encoding.Unicode.GetBytes(Finds(","))]);
        var e = await Should.ThrowAsync<ImportRejectedException>(() => t.ImportAsync(DatasetCatalog.Finds, file, map: WriteMap(t, "{\"encoding\": \"latin-1\"}")));
        e.Problems.Single().Line.ShouldBe(1);
        e.Problems.Single().Reason.ShouldContain("utf-16le byte order mark");
    }

    [Fact]
    public async Task AnUnknownEncoding_IsAnArgumentError_ListingTheSupportedOnes()
    {
        await using var t = await TestDatabase.CreateAsync(Backend.GeoPackage);
        var file = WriteBytes(t, "finds.csv", Encoding.UTF8.GetBytes(Finds(",")));
        var e = await Should.ThrowAsync<InvalidRequestException>(() => t.ImportAsync(DatasetCatalog.Finds, file, map: WriteMap(t, "{\"encoding\": \"klingon\"}")));
        e.Message.ShouldContain("windows-1252");
    }

    [Theory]
    [ClassData(typeof(Backends))]
    public async Task ComposedIds_JoinTheColumnsAfterThePrefix_AndAMissingPartIsNamed(Backend backend)
    {
        await using var t = await TestDatabase.CreateAsync(backend);
        var map = WriteMap(t, """{ "id": { "columns": ["Team", "No"], "prefix": "OP-", "separator": "/" } }""");
        var good = WriteBytes(t, "finds.csv", Encoding.UTF8.GetBytes("Team,No,found_on,category,lon,lat\nA,1,2023-01-02,uxo,-24.5,-31.1\nB,1,2023-01-02,uxo,-24.5,-31.1\n"));
        await t.ImportAsync(DatasetCatalog.Finds, good, map: map);
        await using (var db = t.Target.CreateContext())
            (await db.Finds.AsNoTracking().OrderBy(f => f.Id).Select(f => f.Id).ToListAsync()).ShouldBe(["OP-A/1", "OP-B/1"]);

        var before = await t.FingerprintAsync();
        var bad = WriteBytes(t, "bad.csv", Encoding.UTF8.GetBytes("Team,No,found_on,category,lon,lat\nC,1,2023-01-02,uxo,-24.5,-31.1\nC,,2023-01-02,uxo,-24.5,-31.1\nA,1,2023-01-02,uxo,-24.5,-31.1\nA,1,2023-01-02,uxo,-24.5,-31.1\n"));
        var e = await Should.ThrowAsync<ImportRejectedException>(() => t.ImportAsync(DatasetCatalog.Finds, bad, map: map));
        e.Problems.ShouldContain(p => p.Line == 3 && p.Field == "No");
        (await t.FingerprintAsync()).ShouldBe(before);
    }

    [Fact]
    public async Task ComposedIds_FromAColumnTheFileLacks_AreRefusedOnTheHeader()
    {
        await using var t = await TestDatabase.CreateAsync(Backend.GeoPackage);
        var map = WriteMap(t, """{ "id": { "columns": ["Team", "Number"] } }""");
        var file = WriteBytes(t, "finds.csv", Encoding.UTF8.GetBytes("Team,found_on,category,lon,lat\nA,2023-01-02,uxo,-24.5,-31.1\n"));
        var e = await Should.ThrowAsync<ImportRejectedException>(() => t.ImportAsync(DatasetCatalog.Finds, file, map: map));
        e.Problems.ShouldContain(p => p.Line == 1 && p.Field == "Number");
    }

    [Fact]
    public async Task GeneratedIds_WithoutKeyColumns_HashTheWholeRow_SoAReimportChangesNothing()
    {
        await using var t = await TestDatabase.CreateAsync(Backend.GeoPackage);
        var map = WriteMap(t, """{ "id": { "generate": true, "prefix": "F-" } }""");
        var file = WriteBytes(t, "finds.csv", Encoding.UTF8.GetBytes("found_on,category,lon,lat\n2023-01-02,uxo,-24.5,-31.1\n2023-01-02,uxo,-24.5,-31.1\n2023-01-03,uxo,-24.5,-31.1\n"));
        (await t.ImportAsync(DatasetCatalog.Finds, file, map: map)).Inserted.ShouldBe(3);
        var again = await t.ImportAsync(DatasetCatalog.Finds, file, map: map);
        again.Unchanged.ShouldBe(3);
        again.Inserted.ShouldBe(0);
        await using var db = t.Target.CreateContext();
        var ids = await db.Finds.AsNoTracking().Select(f => f.Id).ToListAsync();
        ids.ShouldAllBe(id => id.StartsWith("F-", StringComparison.Ordinal));
        ids.Count(id => id.EndsWith("-2", StringComparison.Ordinal)).ShouldBe(1);
    }

    [Theory]
    [InlineData("marzo")]
    [InlineData("March")]
    [InlineData("mars")]
    [InlineData("Março")]
    [InlineData("MARCO")]
    [InlineData("mar.")]
    [InlineData("березня")]
    [InlineData("Березень")]
    [InlineData("марта")]
    [InlineData("مارس")]
    [InlineData("آذار")]
    [InlineData("3")]
    [InlineData("03")]
    public async Task MonthNames_AndYearsWithThousandsSeparators_ComposeADate(string month)
    {
        await using var t = await TestDatabase.CreateAsync(Backend.GeoPackage);
        var map = WriteMap(t, """
            { "dates": { "found_on": { "year": "Y", "month": "M", "day": "D" } },
              "numbers": { "thousands_separator": ",", "decimal_separator": "." } }
            """);
        var file = WriteBytes(t, "finds.csv", Encoding.UTF8.GetBytes($"id,Y,M,D,category,lon,lat\nF1,\"2,006\",{month},14,uxo,-24.5,-31.1\nF2,\"2,006\",{month},,uxo,-24.5,-31.1\n"));
        await t.ImportAsync(DatasetCatalog.Finds, file, map: map);
        await using var db = t.Target.CreateContext();
        (await db.Finds.AsNoTracking().OrderBy(f => f.Id).Select(f => f.FoundOn).ToListAsync()).Select(d => d.ToString()).ShouldBe(["2006-03-14", "2006-03"]);
    }

    [Fact]
    public void MonthNames_CoverEveryMonthOnce_InEachLanguage()
    {
        string[] english = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
        string[] spanish = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"];
        string[] russian = ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября", "ноября", "декабря"];
        foreach (var names in new[] { english, spanish, russian })
            names.Select(MonthNames.Parse).ShouldBe(Enumerable.Range(1, 12).Select(m => (int?)m));
        MonthNames.Parse("Smarch").ShouldBeNull();
    }

    [Fact]
    public async Task AMonthNoLanguageNames_IsRefusedNamingItsColumn()
    {
        await using var t = await TestDatabase.CreateAsync(Backend.GeoPackage);
        var map = WriteMap(t, """{ "dates": { "found_on": { "year": "Y", "month": "M" } } }""");
        var file = WriteBytes(t, "finds.csv", Encoding.UTF8.GetBytes("id,Y,M,category,lon,lat\nF1,2006,Smarch,uxo,-24.5,-31.1\n"));
        var e = await Should.ThrowAsync<ImportRejectedException>(() => t.ImportAsync(DatasetCatalog.Finds, file, map: map));
        e.Problems.Single().Line.ShouldBe(2);
        e.Problems.Single().Field.ShouldBe("M");
    }

    [Fact]
    public async Task LonLatAndWkt_BothGiven_IsRefusedNamingTheLine()
    {
        await using var t = await TestDatabase.CreateAsync(Backend.GeoPackage);
        var file = WriteBytes(t, "finds.csv", Encoding.UTF8.GetBytes("id,found_on,category,lon,lat,wkt\nF1,2023-01-02,uxo,-24.5,-31.1,\nF2,2023-01-02,uxo,-24.5,-31.1,POINT (-24.6 -31.2)\n"));
        var e = await Should.ThrowAsync<ImportRejectedException>(() => t.ImportAsync(DatasetCatalog.Finds, file));
        var p = e.Problems.Single();
        (p.Line, p.Field).ShouldBe((3, "wkt"));
        p.Reason.ShouldContain("keep one");
    }

    /// <summary>Found by afl-fuzz (fuzz/run.sh csv): a character beyond U+00FF in WKT crashed NetTopologySuite's tokenizer.</summary>
    [Theory]
    [InlineData("POLYGON((-24.5 -31.1,-24.4 -31.1,-24.4 -3ž.0,-24.5 -31.1))", "'ž' (U+017E) at position 42")]
    [InlineData("POINT (-24.5 −31.1)", "'−' (U+2212) at position 14")]
    [InlineData("POINT\u00A0(-24.5 -31.1)", "(U+00A0) at position 6")]
    public async Task Wkt_WithACharacterOutsideAscii_IsRefusedNamingIt(string wkt, string expected)
    {
        await using var t = await TestDatabase.CreateAsync(Backend.GeoPackage);
        wkt = System.Text.RegularExpressions.Regex.Unescape(wkt);
        var file = WriteBytes(t, "finds.csv", Encoding.UTF8.GetBytes($"id,found_on,category,wkt\nF1,2023-01-02,uxo,POINT (-24.5 -31.1)\nF2,2023-01-02,uxo,\"{wkt}\"\n"));
        var e = await Should.ThrowAsync<ImportRejectedException>(() => t.ImportAsync(DatasetCatalog.Finds, file));
        var p = e.Problems.Single();
        (p.Line, p.Field).ShouldBe((3, "wkt"));
        p.Reason.ShouldStartWith("not valid WKT: character ");
        p.Reason.ShouldContain(expected);
    }

    /// <summary>
    /// Found by afl-fuzz (fuzz/run.sh geojson): a trailing comma inside a feature passed the pass that finds the features
    /// and escaped the one that reads each as JsonException. Now both take comments and trailing commas; the geometry's
    /// own reader does not, and refuses it.
    /// </summary>
    [Fact]
    public async Task GeoJson_WithTrailingCommasAndCommentsInsideAFeature_IsRead_ButNotInsideItsGeometry()
    {
        await using var t = await TestDatabase.CreateAsync(Backend.GeoPackage);
        var file = WriteBytes(t, "finds.geojson", Encoding.UTF8.GetBytes("""
            {"type": "FeatureCollection", "features": [
            {"type": "Feature", "properties": {"id": "F1", "found_on": "2023-01-02", "category": "uxo", /* checked */ "model": "Grenade",},
             "geometry": {"type": "Point", "coordinates": [-24.5, -31.1]},},
            ]}
            """));
        var result = await t.ImportAsync(DatasetCatalog.Finds, file);
        result.Inserted.ShouldBe(1);
        (await ModelsAsync(t)).ShouldBe(["Grenade"]);

        var bad = WriteBytes(t, "finds2.geojson", Encoding.UTF8.GetBytes("""
            {"type": "FeatureCollection", "features": [
            {"type": "Feature", "properties": {"id": "F2", "found_on": "2023-01-02", "category": "uxo"},
             "geometry": {"type": "Point", "coordinates": [-24.5, -31.1,]}}
            ]}
            """));
        var e = await Should.ThrowAsync<ImportRejectedException>(() => t.ImportAsync(DatasetCatalog.Finds, bad));
        var p = e.Problems.ShouldHaveSingleItem();
        p.Line.ShouldBe(2);
        p.Reason.ShouldStartWith("unreadable GeoJSON geometry");
    }

    [Fact]
    public async Task GeoJson_WithIdAndIDProperties_IsRefusedNamingBoth()
    {
        await using var t = await TestDatabase.CreateAsync(Backend.GeoPackage);
        var file = WriteBytes(t, "finds.geojson", Encoding.UTF8.GetBytes("""
            {"type": "FeatureCollection", "features": [
            {"type": "Feature", "properties": {"id": "F1", "ID": "F9", "found_on": "2023-01-02", "category": "uxo"}, "geometry": {"type": "Point", "coordinates": [-24.5, -31.1]}}
            ]}
            """));
        var e = await Should.ThrowAsync<ImportRejectedException>(() => t.ImportAsync(DatasetCatalog.Finds, file));
        var p = e.Problems.Single();
        p.Line.ShouldBe(2);
        p.Reason.ShouldContain("'id' and 'ID'");
    }
}
