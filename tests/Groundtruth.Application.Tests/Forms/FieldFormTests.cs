using System.Diagnostics;
using System.Xml.Linq;
using Groundtruth.Application.Datasets;
using Groundtruth.Application.Forms;
using Groundtruth.Application.Tests.Support;
using Groundtruth.Domain;

namespace Groundtruth.Application.Tests.Forms;

/// <summary>The field forms derived from the dataset catalogue, as XLSForm and as ODK XForm.</summary>
public sealed class FieldFormTests
{
    public static TheoryData<string> Forms() => [.. FieldForm.Datasets.Select(d => d.Name)];

    private static readonly XNamespace XForms = "http://www.w3.org/2002/xforms";

    [Theory]
    [MemberData(nameof(Forms))]
    public void For_NamesQuestionsAfterTheCatalogue_LeavingOutIdsComputedValuesAndPersonalData(string name)
    {
        var dataset = DatasetCatalog.Find(name)!;
        var form = FieldForm.For(dataset);

        foreach (var q in form.Questions)
        {
            if (q.Field is null) q.Name.ShouldBe(dataset.Shape == GeometryShape.Point ? "location" : "perimeter");
            else dataset.Field(q.Name).ShouldNotBeNull();
        }
        var asked = form.Questions.Select(q => q.Name).ToHashSet();
        var expected = dataset.Fields.Where(f => f.Name != "id" && !f.Computed && !f.Personal && f.Name != "location_accuracy_m").Select(f => f.Name);
        asked.ShouldBe(expected.Append(dataset.Shape == GeometryShape.Point ? "location" : "perimeter"), ignoreOrder: true);
        form.Questions.Where(q => q.Field?.Required == true || q.Field is null).ShouldAllBe(q => q.RequiredWhen == "true()");
        form.FormId.ShouldBe("groundtruth_" + dataset.Table);
    }

    [Fact]
    public void Accidents_HaveACasualtiesRepeat_WithoutPersonalData_OrTheAccidentsOwnFields()
    {
        var repeat = FieldForm.For(DatasetCatalog.Accidents).Repeat.ShouldNotBeNull();

        repeat.Name.ShouldBe("casualties");
        repeat.Questions.Select(q => q.Name).ShouldBe(
            ["outcome", "sex", "age", "age_group", "status", "occupation", "activity", "device_handled", "source"]);
        var age = repeat.Questions.Single(q => q.Name == "age");
        age.Constraint.ShouldBe(". >= 0 and . <= 120");
        age.ConstraintMessage.ShouldBe("A value from 0 to 120.");
        repeat.Questions.Single(q => q.Name == "age_group").Relevant.ShouldBe("${age} = ''");
    }

    [Fact]
    public void Choices_AreTheEnumsValues_WithHumanLabels()
    {
        var form = FieldForm.For(DatasetCatalog.Finds);
        var category = form.Question("category")!.Choices!;

        category.Choices.Select(c => c.Name).ShouldBe(SnakeCase.Names(typeof(OrdnanceCategory)));
        category.Choices[0].Label.ShouldBe("Anti-personnel mine");
        foreach (var list in FieldForm.Datasets.Select(FieldForm.For).SelectMany(f => f.ChoiceLists))
        {
            list.Choices.ShouldAllBe(c => !c.Label.Contains('_') && char.IsUpper(c.Label[0]), list.Name);
        }
        form.Question("booby_trapped")!.Choices.ShouldBe(FormChoiceList.YesNo);
    }

    [Theory]
    [MemberData(nameof(Forms))]
    public void Dates_CannotBeInTheFuture_AndRangesMirrorTheImportChecks(string name)
    {
        var form = FieldForm.For(DatasetCatalog.Find(name)!);

        foreach (var q in form.Questions.Concat(form.Repeat?.Questions ?? []))
        {
            if (q.Type == FormQuestionType.Date) q.Constraint.ShouldBe(". <= today()");
            if (q.Field is { Min: { } min } && q.Type is FormQuestionType.Integer or FormQuestionType.Decimal)
                q.Constraint.ShouldNotBeNull().ShouldStartWith($". >= {min}");
        }
    }

    [Theory]
    [MemberData(nameof(Forms))]
    public void XForm_BindsEveryQuestion_ToANodeOfTheInstance_WithXPathReferences(string name)
    {
        var form = FieldForm.For(DatasetCatalog.Find(name)!);
        var document = XFormWriter.Document(form);

        var instance = document.Descendants(XForms + "instance").Single().Elements().Single();
        instance.Name.LocalName.ShouldBe("data");
        instance.Attribute("id")!.Value.ShouldBe(form.FormId);
        var binds = document.Descendants(XForms + "bind").ToList();
        foreach (var bind in binds)
        {
            var path = bind.Attribute("nodeset")!.Value.Split('/', StringSplitOptions.RemoveEmptyEntries).Skip(1);
            var node = path.Aggregate(instance, (e, step) => e.Element(XForms + step).ShouldNotBeNull(bind.ToString()));
            node.ShouldNotBeNull();
            bind.Attributes().ShouldAllBe(a => !a.Value.Contains("${"), bind.ToString());
        }
        var controls = document.Descendants().Where(e => e.Name.LocalName is "input" or "select1" or "select").Select(e => e.Attribute("ref")!.Value).ToList();
        controls.ShouldBe(binds.Select(b => b.Attribute("nodeset")!.Value).Where(p => !p.EndsWith("/meta/instanceID", StringComparison.Ordinal)), ignoreOrder: true);
        if (form.Repeat is not null)
        {
            document.Descendants(XForms + "bind").Single(b => b.Attribute("nodeset")!.Value == "/data/casualties/age_group")
                .Attribute("relevant")!.Value.ShouldBe("../age = ''");
        }
    }

    [Theory]
    [MemberData(nameof(Forms))]
    public void XlsForm_ReadByGdal_HoldsTheSurveyChoicesAndSettingsSheets(string name)
    {
        var form = FieldForm.For(DatasetCatalog.Find(name)!);
        var dir = TestDatabase.NewDirectory();
        var (xlsx, _) = FieldFormFiles.Write(form, dir);

        var survey = Sheet(xlsx, "survey", dir);
        var choices = Sheet(xlsx, "choices", dir);
        var settings = Sheet(xlsx, "settings", dir);

        var expected = XlsFormWriter.Survey(form).Skip(1).ToList();
        survey.Select(r => r["name"]).ShouldBe(expected.Select(r => r[1]));
        survey.Select(r => r["type"]).ShouldBe(expected.Select(r => r[0]));
        choices.Count.ShouldBe(form.ChoiceLists.Sum(l => l.Choices.Count));
        settings.Single()["form_id"].ShouldBe(form.FormId);
        settings.Single()["version"].ShouldBe(form.Version);
    }

    /// <summary>A sheet read by GDAL's XLSX driver (an independent reader), as rows of column → text.</summary>
    private static List<Dictionary<string, string>> Sheet(string xlsx, string sheet, string dir)
    {
        var csv = Path.Combine(dir, sheet + ".csv");
        var psi = new ProcessStartInfo("ogr2ogr") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in new[] { "--config", "OGR_XLSX_HEADERS", "FORCE", "--config", "OGR_XLSX_FIELD_TYPES", "STRING", "-f", "CSV", csv, xlsx, sheet })
            psi.ArgumentList.Add(a);
        Process p;
        try
        {
            p = Process.Start(psi)!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase)) Assert.Fail("ogr2ogr is missing under CI");
            Assert.Skip("ogr2ogr (gdal-bin) is not installed");
            throw;
        }
        using (p)
        {
            var error = p.StandardError.ReadToEnd();
            p.WaitForExit();
            p.ExitCode.ShouldBe(0, error);
        }
        using var reader = new StreamReader(csv);
        using var parser = new CsvHelper.CsvParser(reader, System.Globalization.CultureInfo.InvariantCulture);
        parser.Read();
        var header = parser.Record!;
        var rows = new List<Dictionary<string, string>>();
        while (parser.Read()) rows.Add(header.Select((h, i) => (h, v: parser.Record![i])).ToDictionary(x => x.h, x => x.v));
        return rows;
    }
}
