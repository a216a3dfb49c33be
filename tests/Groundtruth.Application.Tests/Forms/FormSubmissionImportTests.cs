using System.Globalization;
using System.IO.Compression;
using System.Xml.Linq;
using Groundtruth.Application.Forms;
using Groundtruth.Application.Import;
using Groundtruth.Application.Tests.Cli;
using Groundtruth.Application.Tests.Support;

namespace Groundtruth.Application.Tests.Forms;

/// <summary>Submissions of the field forms (ODK Collect's instances folder, a zip of it) imported on both backends.</summary>
public sealed class FormSubmissionImportTests
{
    private static string Instances => TestData.File(Path.Combine("registers", "odk-collect-instances"));

    private static List<XElement> Submissions(string formId) =>
        [.. Directory.EnumerateFiles(Instances, "*.xml", SearchOption.AllDirectories).Select(f => XDocument.Load(f).Root!).Where(r => r.Attribute("id")!.Value == formId)];

    private static FormSubmissionImport Importer(TestDatabase t) => new(t.Target, TimeProvider.System);

    [Theory]
    [ClassData(typeof(Backends))]
    public async Task Folder_ImportsEverySubmission_IntoItsDataset_AccidentsWithTheirCasualties(Backend backend)
    {
        await using var t = await TestDatabase.CreateAsync(backend);
        await t.ImportProgrammeAsync();
        var before = new Dictionary<string, long>();
        foreach (var table in new[] { "accidents", "casualties", "hazards", "finds", "land_release" }) before[table] = await t.CountAsync(table);

        var results = await Importer(t).HandleAsync(new FormSubmissionRequest(Instances, Actor: "test"));

        // Independent figures from the fixture's XML.
        var accidents = Submissions("groundtruth_accidents");
        var casualties = accidents.SelectMany(a => a.Elements("casualties")).ToList();
        (await t.CountAsync("accidents") - before["accidents"]).ShouldBe(accidents.Count);
        (await t.CountAsync("casualties") - before["casualties"]).ShouldBe(casualties.Count);
        (await t.CountAsync("hazards") - before["hazards"]).ShouldBe(Submissions("groundtruth_hazards").Count);
        (await t.CountAsync("finds") - before["finds"]).ShouldBe(Submissions("groundtruth_finds").Count);
        (await t.CountAsync("land_release") - before["land_release"]).ShouldBe(Submissions("groundtruth_land_release").Count);
        results.Sum(r => r.Inserted).ShouldBe(accidents.Count + casualties.Count + 3);

        var first = accidents.Single(a => a.Element("casualties") is not null && a.Elements("casualties").Count() == 2);
        var id = first.Element("meta")!.Element("instanceID")!.Value["uuid:".Length..];
        var point = first.Element("location")!.Value.Split(' ').Select(s => double.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        (await t.ScalarAsync($"SELECT count(*) FROM \"accidents\" WHERE \"id\" = '{id}' AND \"min_x\" = {point[1].ToString(CultureInfo.InvariantCulture)} AND \"min_y\" = {point[0].ToString(CultureInfo.InvariantCulture)} AND \"location_accuracy_m\" = {point[3].ToString(CultureInfo.InvariantCulture)}")).ShouldBe(1);
        (await t.ScalarAsync($"SELECT count(*) FROM \"casualties\" WHERE \"accident_id\" = '{id}'")).ShouldBe(2);
        var killed = casualties.Count(c => c.Element("outcome")!.Value == "killed");
        (await t.ScalarAsync("SELECT count(*) FROM \"casualties\" WHERE \"outcome\" = 'killed'") - await KilledInProgramme()).ShouldBe(killed);
        var ages = casualties.Select(c => c.Element("age")!.Value).Where(a => a.Length > 0).Sum(int.Parse);
        (await t.ScalarAsync($"SELECT coalesce(sum(\"age\"), 0) FROM \"casualties\" WHERE \"accident_id\" IN ({string.Join(",", accidents.Select(a => $"'{a.Element("meta")!.Element("instanceID")!.Value[5..]}'"))})")).ShouldBe(ages);
        (await t.ScalarAsync($"SELECT count(*) FROM \"casualties\" WHERE \"id\" = '{id}-1' AND \"age_group\" = 'child'")).ShouldBe(1);

        var hazard = Submissions("groundtruth_hazards").Single();
        var hazardId = hazard.Element("meta")!.Element("instanceID")!.Value[5..];
        (await t.ScalarAsync($"SELECT count(*) FROM \"hazards\" WHERE \"id\" = '{hazardId}' AND \"contamination\" = '{hazard.Element("contamination")!.Value.Replace(' ', ';')}' AND \"min_x\" = -15.41 AND \"max_y\" = -35.2")).ShouldBe(1);
        (await t.ScalarAsync("SELECT count(*) FROM \"land_release\" WHERE \"id\" = '2f0c6a52-8d1e-4c7e-9a51-0c1d00000005' AND \"min_x\" = -24.58 AND \"max_x\" = -24.575 AND \"area_m2\" > 0")).ShouldBe(1);

        var again = await Importer(t).HandleAsync(new FormSubmissionRequest(Instances, Actor: "test"));
        again.Sum(r => r.Inserted + r.Updated).ShouldBe(0);
    }

    private static Task<int> KilledInProgramme() =>
        Task.FromResult(File.ReadLines(TestData.Programme("casualties.csv")).Skip(1).Count(l => l.Split(',')[3] == "killed"));

    [Theory]
    [ClassData(typeof(Backends))]
    public async Task Zip_WithOneBadSubmission_ImportsNothing_AndNamesTheEntryLineAndField(Backend backend)
    {
        await using var t = await TestDatabase.CreateAsync(backend);
        await t.ImportProgrammeAsync();
        var zip = Path.Combine(t.Directory, "briefcase.zip");
        var badEntry = "";
        using (var archive = ZipFile.Open(zip, ZipArchiveMode.Create))
        {
            foreach (var file in Directory.EnumerateFiles(Instances, "*.xml", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                var entryName = Path.GetRelativePath(Instances, file).Replace('\\', '/');
                var text = await File.ReadAllTextAsync(file);
                if (text.Contains("<age>12</age>", StringComparison.Ordinal)) { text = text.Replace("<age>12</age>", "<age>130</age>", StringComparison.Ordinal); badEntry = entryName; }
                await using var writer = new StreamWriter(archive.CreateEntry(entryName).Open());
                await writer.WriteAsync(text);
            }
        }
        var fingerprint = await t.FingerprintAsync();

        var e = await Should.ThrowAsync<ImportRejectedException>(() => Importer(t).HandleAsync(new FormSubmissionRequest(zip, Actor: "test")));

        var problem = e.Problems.ShouldHaveSingleItem();
        problem.File.ShouldBe($"{zip}:{badEntry}");
        problem.Field.ShouldBe("age");
        problem.Value.ShouldBe("130");
        var expectedLine = File.ReadAllLines(Path.Combine(Instances, badEntry)).Select((l, i) => (l, i)).First(x => x.l.Contains("<casualties>", StringComparison.Ordinal)).i + 1;
        problem.Line.ShouldBe(expectedLine);
        (await t.FingerprintAsync()).ShouldBe(fingerprint);
    }

    [Theory]
    [ClassData(typeof(Backends))]
    public async Task Submission_BadGeopointOrUnknownForm_IsRefusedNamingFileLineAndField(Backend backend)
    {
        await using var t = await TestDatabase.CreateAsync(backend);
        var dir = Path.Combine(t.Directory, "instances");
        Directory.CreateDirectory(dir);
        await File.WriteAllTextAsync(Path.Combine(dir, "point.xml"), """
            <?xml version="1.0"?>
            <data id="groundtruth_accidents">
              <occurred_on>2024-05-02</occurred_on>
              <location>-35.25</location>
              <kind>mine_erw</kind>
              <meta><instanceID>uuid:bad-point</instanceID></meta>
            </data>
            """);
        await File.WriteAllTextAsync(Path.Combine(dir, "other.xml"), """<data id="someone_elses_form"><meta><instanceID>uuid:x</instanceID></meta></data>""");
        var fingerprint = await t.FingerprintAsync();

        var other = await Should.ThrowAsync<ImportRejectedException>(() => Importer(t).HandleAsync(new FormSubmissionRequest(dir, Actor: "test")));
        other.Problems.ShouldHaveSingleItem().File.ShouldEndWith("other.xml");
        other.Problems[0].Field.ShouldBe("id");
        File.Delete(Path.Combine(dir, "other.xml"));
        var point = await Should.ThrowAsync<ImportRejectedException>(() => Importer(t).HandleAsync(new FormSubmissionRequest(dir, Actor: "test")));

        point.Problems.Select(p => (Path.GetFileName(p.File), p.Line, p.Field)).ShouldBe([("point.xml", 4, "location")]);
        (await t.FingerprintAsync()).ShouldBe(fingerprint);
    }

    [Fact]
    public async Task Cli_FormsWritesBothFilesPerForm_AndRefusesADatasetWithoutAForm()
    {
        var dir = TestDatabase.NewDirectory();

        var (code, output, _) = await CliProcess.RunAsync("forms", "all", "--out", dir);
        var (refused, _, error) = await CliProcess.RunAsync("forms", "places", "--out", dir);
        var (missing, _, missingError) = await CliProcess.RunAsync("forms-import", Path.Combine(dir, "nothing-here"), "--db", Path.Combine(dir, "t.gpkg"));

        code.ShouldBe(0, output);
        Directory.GetFiles(dir).Select(Path.GetFileName).ShouldBe(
            FieldForm.Datasets.SelectMany(d => new[] { $"groundtruth_{d.Table}.xlsx", $"groundtruth_{d.Table}.xml" }), ignoreOrder: true);
        refused.ShouldBe(2);
        error.ShouldContain("no field form for 'places'");
        missing.ShouldBe(1, missingError);
        missingError.ShouldContain("does not exist");
    }
}
