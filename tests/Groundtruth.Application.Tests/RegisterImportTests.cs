using System.Globalization;
using System.Text;
using Groundtruth.Application.Datasets;
using Groundtruth.Application.Import;
using Groundtruth.Application.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Groundtruth.Application.Tests;

/// <summary>
/// The registers of tests/data/registers as they arrive (issue 12): a Latin-1 semicolon casualty register without ids,
/// with decimal commas, years written 2.006 and months as Spanish names, and a UTF-16 tab-separated one; each imported
/// through a mapping that --suggest-map wrote (and a user edited), its figures checked against the file read here
/// independently (Latin-1 / UTF-16 decoding and a plain split, with the register's own words translated by hand).
/// </summary>
public sealed class RegisterImportTests
{
    private static readonly string Latin = TestData.File("registers/casualty-register-latin1.csv");
    private static readonly string LatinLater = TestData.File("registers/casualty-register-latin1-later.csv");
    private static readonly string LatinMap = TestData.File("registers/casualty-register-latin1.map.json");
    private static readonly string LatinSuggested = TestData.File("registers/casualty-register-latin1.suggested.map.json");
    private static readonly string Utf16 = TestData.File("registers/casualty-register-utf16.tsv");
    private static readonly string Utf16Map = TestData.File("registers/casualty-register-utf16.map.json");

    private static readonly Dictionary<string, string> SpanishOutcome = new()
    {
        ["Muerto"] = "killed", ["Muerta"] = "killed", ["Herido"] = "injured", ["Herida"] = "injured", ["Desaparecido"] = "unknown",
    };

    private static readonly Dictionary<string, string> SpanishSex = new() { ["Hombre"] = "male", ["Mujer"] = "female", ["Sin información"] = "unknown" };

    /// <summary>The register's rows as column → text, read with a plain split (the fixture has no quotes).</summary>
    private static List<Dictionary<string, string>> ReadPlain(string path, Encoding encoding, char delimiter)
    {
        var lines = File.ReadAllText(path, encoding).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var header = lines[0].Split(delimiter);
        return [.. lines.Skip(1).Select(l => header.Zip(l.Split(delimiter)).ToDictionary(p => p.First, p => p.Second))];
    }

    private static async Task<Dictionary<string, long>> CountByAsync(TestDatabase t, string expression)
    {
        await using var db = t.Target.CreateContext();
        await db.Database.OpenConnectionAsync();
        await using var cmd = db.Database.GetDbConnection().CreateCommand();
        cmd.CommandText = $"SELECT {expression}, count(*) FROM \"casualties\" GROUP BY {expression}";
        var result = new Dictionary<string, long>();
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync()) result[r.IsDBNull(0) ? "" : Convert.ToString(r.GetValue(0), CultureInfo.InvariantCulture)!] = Convert.ToInt64(r.GetValue(1), CultureInfo.InvariantCulture);
        return result;
    }

    private static Dictionary<string, long> Count(IEnumerable<string> keys) => keys.GroupBy(k => k).ToDictionary(g => g.Key, g => (long)g.Count());

    [Theory]
    [ClassData(typeof(Backends))]
    public async Task LatinRegister_WithTheEditedSuggestion_HasTheFilesFigures(Backend backend)
    {
        await using var t = await TestDatabase.CreateAsync(backend);
        var result = await t.ImportAsync(DatasetCatalog.Casualties, Latin, map: LatinMap);
        var rows = ReadPlain(Latin, Encoding.Latin1, ';');
        result.Inserted.ShouldBe(rows.Count);

        (await CountByAsync(t, "\"outcome\"")).ShouldBe(Count(rows.Select(r => SpanishOutcome[r["Estado"]])), ignoreOrder: true);
        (await CountByAsync(t, "\"sex\"")).ShouldBe(Count(rows.Select(r => SpanishSex[r["Sexo"]])), ignoreOrder: true);
        (await CountByAsync(t, "substr(\"occurred_on\", 1, 4)")).ShouldBe(Count(rows.Select(r => r["Año"].Replace(".", "", StringComparison.Ordinal))), ignoreOrder: true);
        // A missing day gives a month-precision date: as many as the register has rows without a day.
        (await t.ScalarAsync("SELECT count(*) FROM \"casualties\" WHERE length(\"occurred_on\") = 7")).ShouldBe(rows.Count(r => r["Día"].Length == 0));

        await using var db = t.Target.CreateContext();
        var stored = await db.Casualties.AsNoTracking().ToListAsync();
        stored.Sum(c => c.Geometry!.X).ShouldBe(rows.Sum(r => double.Parse(r["Longitud"].Replace(',', '.'), CultureInfo.InvariantCulture)), 1e-6);
        stored.Count(c => c.Activity == "Recolección de leña").ShouldBe(rows.Count(r => r["Actividad"] == "Recolección de leña"));
        stored.ShouldAllBe(c => c.Source == "Registro nacional de víctimas (synthetic)");
        // The last row repeats row 6 in every key column: its id is row 6's numbered -2.
        stored.Count(c => c.Id.EndsWith("-2", StringComparison.Ordinal)).ShouldBe(1);
    }

    [Fact]
    public void SuggestMap_WritesTheCommittedDraft()
    {
        var suggestion = MappingSuggester.Suggest(DatasetCatalog.Casualties, Latin);
        MappingSuggestion.ToJson(suggestion.ToMapping()).ReplaceLineEndings().TrimEnd().ShouldBe(File.ReadAllText(LatinSuggested).ReplaceLineEndings().TrimEnd());
        suggestion.Encoding.ShouldBe("windows-1252");
        suggestion.Delimiter.ShouldBe(";");
        suggestion.Numbers.DecimalSeparator.ShouldBe(",");
        suggestion.Numbers.ThousandsSeparator.ShouldBe(".");
        suggestion.Values["outcome"]["Desaparecido"].ShouldBe(ImportMapping.Placeholder);
        suggestion.Values["outcome"]["Muerta"].ShouldBe("killed");
        suggestion.Unfilled.ShouldBe(1);
        suggestion.Preview.Count.ShouldBe(5);
        suggestion.Preview[0][0].ShouldBe("2.013");
    }

    [Theory]
    [ClassData(typeof(Backends))]
    public async Task SuggestedMapping_Unedited_IsRefusedOnEveryPlaceholderLine_AndNothingIsWritten(Backend backend)
    {
        await using var t = await TestDatabase.CreateAsync(backend);
        var before = await t.FingerprintAsync();
        var e = await Should.ThrowAsync<ImportRejectedException>(() => t.ImportAsync(DatasetCatalog.Casualties, Latin, map: LatinSuggested));
        var lines = ReadPlain(Latin, Encoding.Latin1, ';').Select((r, i) => (r, Line: i + 2)).Where(x => x.r["Estado"] == "Desaparecido").Select(x => x.Line).ToList();
        e.Problems.Select(p => p.Line).ShouldBe(lines);
        e.Problems.ShouldAllBe(p => p.Field == "outcome" && p.Value == "Desaparecido" && p.File == Latin);
        (await t.FingerprintAsync()).ShouldBe(before);
    }

    [Theory]
    [ClassData(typeof(Backends))]
    public async Task LaterDelivery_UpdatesCorrectedRows_KeepsTheRest_AndInsertsTheNew(Backend backend)
    {
        await using var t = await TestDatabase.CreateAsync(backend);
        await t.ImportAsync(DatasetCatalog.Casualties, Latin, map: LatinMap);
        var first = await IdsAsync(t);
        var result = await t.ImportAsync(DatasetCatalog.Casualties, LatinLater, map: LatinMap);
        // The later file: three rows corrected in outcome or activity (not key columns), two added (see make-registers.py).
        var before = ReadPlain(Latin, Encoding.Latin1, ';');
        var after = ReadPlain(LatinLater, Encoding.Latin1, ';');
        var changed = before.Zip(after).Count(p => !p.First.OrderBy(kv => kv.Key).SequenceEqual(p.Second.OrderBy(kv => kv.Key)));
        changed.ShouldBe(3);
        result.Updated.ShouldBe(changed);
        result.Inserted.ShouldBe(after.Count - before.Count);
        result.Unchanged.ShouldBe(before.Count - changed);
        var second = await IdsAsync(t);
        second.IsSupersetOf(first).ShouldBeTrue();
        second.Count.ShouldBe(after.Count);
        (await t.CountAsync("casualties_versions")).ShouldBe(after.Count + changed);
        (await CountByAsync(t, "\"outcome\"")).ShouldBe(Count(after.Select(r => SpanishOutcome[r["Estado"]])), ignoreOrder: true);
    }

    private static async Task<HashSet<string>> IdsAsync(TestDatabase t)
    {
        await using var db = t.Target.CreateContext();
        return [.. await db.Casualties.AsNoTracking().Select(c => c.Id).ToListAsync()];
    }

    [Theory]
    [ClassData(typeof(Backends))]
    public async Task Utf16TabRegister_ImportsWithItsSuggestedMapping(Backend backend)
    {
        var suggestion = MappingSuggester.Suggest(DatasetCatalog.Casualties, Utf16);
        MappingSuggestion.ToJson(suggestion.ToMapping()).ReplaceLineEndings().TrimEnd().ShouldBe(File.ReadAllText(Utf16Map).ReplaceLineEndings().TrimEnd());
        await using var t = await TestDatabase.CreateAsync(backend);
        var result = await t.ImportAsync(DatasetCatalog.Casualties, Utf16, map: Utf16Map);
        var rows = ReadPlain(Utf16, Encoding.Unicode, '\t');
        result.Inserted.ShouldBe(rows.Count);
        var french = new Dictionary<string, string> { ["Tué"] = "killed", ["Tuée"] = "killed", ["Blessé"] = "injured", ["Blessée"] = "injured" };
        (await CountByAsync(t, "\"outcome\"")).ShouldBe(Count(rows.Select(r => french[r["Issue"]])), ignoreOrder: true);
        (await CountByAsync(t, "\"occurred_on\"")).ShouldBe(Count(rows.Select(r =>
            DateOnly.ParseExact(r["Date de l'accident"], "dd/MM/yyyy", CultureInfo.InvariantCulture).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))), ignoreOrder: true);
        (await t.ScalarAsync("SELECT count(*) FROM \"casualties\" WHERE \"status\" = 'deminer'")).ShouldBe(rows.Count(r => r["Statut"] == "Démineur"));
    }
}
