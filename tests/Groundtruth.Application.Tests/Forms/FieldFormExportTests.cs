using System.Collections.Concurrent;
using Groundtruth.Application.Datasets;
using Groundtruth.Application.Forms;
using Groundtruth.Application.Import;
using Groundtruth.Application.Tests.Cli;
using Groundtruth.Application.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Groundtruth.Application.Tests.Forms;

/// <summary>
/// The exports KoboToolbox (XLSX) and ODK Central (CSV zip) write of each field form import with no mapping, and store
/// exactly what the same submissions store when imported as ODK Collect's instance files
/// (tests/data/registers/groundtruth-forms and odk-collect-instances, written by make-field-form-exports.sh and make-odk-collect-instances.sh).
/// The readers of those exports are import-xlsx's (issue 12); a branch without them skips these tests.
/// </summary>
public sealed class FieldFormExportTests(FieldFormExportTests.Instances instances) : IClassFixture<FieldFormExportTests.Instances>
{
    public static TheoryData<string, string, Backend> Exports()
    {
        var data = new TheoryData<string, string, Backend>();
        foreach (var d in FieldForm.Datasets)
        {
            foreach (var file in new[] { $"kobo-{d.Name}.xlsx", $"odk-central-{d.Name}.zip" })
            {
                data.Add(d.Name, file, Backend.GeoPackage);
                data.Add(d.Name, file, Backend.Postgres);
            }
        }
        return data;
    }

    /// <summary>
    /// What the ODK Collect instance files of each form store, imported once per form into a GeoPackage of its own and
    /// compared with each of that form's four exports (two formats, two stores).
    /// </summary>
    public sealed class Instances
    {
        private readonly ConcurrentDictionary<string, Lazy<Task<IReadOnlyDictionary<string, List<string>>>>> _rows = new(StringComparer.Ordinal);

        public Task<IReadOnlyDictionary<string, List<string>>> RowsAsync(DatasetSpec spec) =>
            _rows.GetOrAdd(spec.Name, _ => new(() => ImportAsync(spec))).Value;

        private static async Task<IReadOnlyDictionary<string, List<string>>> ImportAsync(DatasetSpec spec)
        {
            await using var fromInstances = await TestDatabase.CreateAsync(Backend.GeoPackage);
            await fromInstances.ImportProgrammeAsync();
            var folder = Path.Combine(fromInstances.Directory, "instances");
            Directory.CreateDirectory(folder);
            foreach (var submission in Directory.EnumerateFiles(TestData.File(Path.Combine("registers", "odk-collect-instances")), "*.xml", SearchOption.AllDirectories)
                         .Where(f => Path.GetFileName(f).StartsWith(FieldForm.For(spec).FormId + "_", StringComparison.Ordinal)))
                File.Copy(submission, Path.Combine(folder, Path.GetFileName(submission)));
            await new FormSubmissionImport(fromInstances.Target, TimeProvider.System).HandleAsync(new FormSubmissionRequest(folder, Actor: "test"));
            var rows = new Dictionary<string, List<string>>(StringComparer.Ordinal);
            foreach (var table in Tables(spec)) rows[table.Name] = await FieldFormExportTests.RowsAsync(fromInstances, table);
            return rows;
        }
    }

    private static DatasetSpec[] Tables(DatasetSpec spec) => FieldForm.For(spec).Repeat is { } repeat ? [spec, repeat.Dataset] : [spec];

    [Theory]
    [MemberData(nameof(Exports))]
    public async Task Export_ImportsWithNoMapping_AsTheSameSubmissionsDo(string dataset, string file, Backend backend)
    {
        if (!SourceReader.Extensions.Contains(Path.GetExtension(file)))
            Assert.Skip($"no reader for {Path.GetExtension(file)} files yet: the field-form export readers come with import-xlsx (issue 12)");
        var spec = DatasetCatalog.Find(dataset)!;
        await using var fromExport = await TestDatabase.CreateAsync(backend);
        await fromExport.ImportProgrammeAsync();

        var (code, output, error) = await CliProcess.RunAsync("import", dataset, TestData.File(Path.Combine("registers", "groundtruth-forms", file)), "--db", fromExport.Target.Value);
        code.ShouldBe(0, output + error);

        var fromInstances = await instances.RowsAsync(spec);
        foreach (var table in Tables(spec))
        {
            var expected = fromInstances[table.Name];
            expected.Count.ShouldBeGreaterThan(0);
            (await RowsAsync(fromExport, table)).ShouldBe(expected, $"{table.Name} from {file}");
        }
    }

    /// <summary>The records entered by the forms (not the programme's), every stored column and the envelope, as text.</summary>
    private static async Task<List<string>> RowsAsync(TestDatabase t, DatasetSpec dataset)
    {
        var columns = dataset.StoredFields.Select(f => f.Name).Concat(dataset.IsSpatial ? ["min_x", "min_y", "max_x", "max_y"] : []).ToList();
        await using var db = t.Target.CreateContext();
        await db.Database.OpenConnectionAsync();
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = $"SELECT {string.Join(", ", columns.Select(c => $"\"{c}\""))} FROM \"{dataset.Table}\" WHERE \"id\" LIKE '2f0c6a52-%' ORDER BY \"id\"";
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            rows.Add(string.Join("|", Enumerable.Range(0, columns.Count).Select(i => reader.IsDBNull(i) ? "" : reader.GetValue(i) switch
            {
                double d => Math.Round(d, 6).ToString(System.Globalization.CultureInfo.InvariantCulture),
                bool b => b ? "1" : "0",
                var v => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture),
            })));
        }
        return rows;
    }
}
