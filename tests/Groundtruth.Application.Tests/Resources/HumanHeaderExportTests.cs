using System.Globalization;
using Groundtruth.Application.Datasets;
using Groundtruth.Application.Export;
using Groundtruth.Application.Tests.Support;

namespace Groundtruth.Application.Tests.Resources;

/// <summary><c>export --headers human</c>: the header row in the reader's words; the rows, and the default, unchanged.</summary>
public sealed class HumanHeaderExportTests
{
    [Fact]
    public async Task The_header_row_is_in_words_of_the_UI_language_and_the_rows_are_as_import_reads_them()
    {
        await using var t = await TestDatabase.CreateAsync(Backend.GeoPackage);
        await t.ImportProgrammeAsync();
        var machine = Path.Combine(t.Directory, "finds.csv");
        var human = Path.Combine(t.Directory, "finds-es.csv");
        await new ExportHandler(t.Target, TimeProvider.System).HandleAsync(new ExportRequest(DatasetCatalog.Finds, machine));
        var previous = CultureInfo.CurrentUICulture;
        try
        {
            CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("es");
            await new ExportHandler(t.Target, TimeProvider.System).HandleAsync(new ExportRequest(DatasetCatalog.Finds, human, HumanHeaders: true));
        }
        finally
        {
            CultureInfo.CurrentUICulture = previous;
        }
        var m = await File.ReadAllLinesAsync(machine);
        var h = await File.ReadAllLinesAsync(human);
        m[0].ShouldStartWith("id,found_on,category,");
        m[0].ShouldEndWith(",lon,lat");
        h[0].ShouldStartWith("Identificador nacional,Hallado el,Categoría de artefacto,");
        h[0].ShouldEndWith(",Longitud,Latitud");
        h.Skip(1).ShouldBe(m.Skip(1));
    }
}
