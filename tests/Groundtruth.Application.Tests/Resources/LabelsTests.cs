using System.Globalization;
using Groundtruth.Application.Datasets;
using Groundtruth.Application.Resources;
using Groundtruth.Domain;

namespace Groundtruth.Application.Tests.Resources;

public sealed class LabelsTests
{
    private static readonly CultureInfo English = CultureInfo.GetCultureInfo("en");
    private static readonly CultureInfo French = CultureInfo.GetCultureInfo("fr");

    [Fact]
    public void Every_dataset_field_and_enum_value_has_words_of_its_own()
    {
        // Asked of the neutral (English) file itself, so a missing key is not hidden by the fallback to the name.
        var missing = new List<string>();
        foreach (var d in DatasetCatalog.All)
        {
            foreach (var prefix in new[] { "dataset.", "record.", "description." })
                if (Labels.Find(prefix + d.Table, CultureInfo.InvariantCulture) is null) missing.Add(prefix + d.Table);
            foreach (var f in d.Fields)
            {
                if ((Labels.Find($"field.{d.Table}.{f.Name}", CultureInfo.InvariantCulture) ?? Labels.Find("field." + f.Name, CultureInfo.InvariantCulture)) is null)
                    missing.Add($"field.{f.Name} ({d.Name})");
                if (f.EnumType is { } type)
                    foreach (var v in Enum.GetValues(type).Cast<Enum>())
                        if (Labels.Find($"value.{type.Name}.{v}", CultureInfo.InvariantCulture) is null) missing.Add($"value.{type.Name}.{v}");
            }
        }
        foreach (var v in Enum.GetValues<SubmissionState>())
            if (Labels.Find($"value.SubmissionState.{v}", CultureInfo.InvariantCulture) is null) missing.Add($"value.SubmissionState.{v}");
        missing.Distinct().ShouldBeEmpty();
    }

    [Theory]
    [InlineData("en", "Confirmed hazardous area")]
    [InlineData("fr", "Zone dangereuse confirmée")]
    [InlineData("es", "Área peligrosa confirmada")]
    [InlineData("pt", "Área perigosa confirmada")]
    [InlineData("ar", "منطقة خطرة مؤكدة")]
    [InlineData("uk", "Підтверджена небезпечна територія")]
    [InlineData("ru", "Подтверждённый опасный район")]
    public void A_confirmed_hazardous_area_reads_as_the_sector_says_it(string language, string expected) =>
        Labels.Value(HazardClassification.Confirmed, CultureInfo.GetCultureInfo(language)).ShouldBe(expected);

    [Fact]
    public void A_field_takes_the_datasets_own_word_before_the_common_one()
    {
        Labels.Field(DatasetCatalog.Places, "kind", English).ShouldBe("Kind of place");
        Labels.Field(DatasetCatalog.Finds, "found_on", French).ShouldBe("Découvert le");
        Labels.Field(DatasetCatalog.Finds, "no_such_field", English).ShouldBe("No such field");
        Labels.Dataset(DatasetCatalog.LandRelease, French).ShouldBe("Remise à disposition des terres");
    }

    [Fact]
    public void Help_adds_the_date_forms_and_the_values_of_a_list()
    {
        Labels.Help(DatasetCatalog.Finds, DatasetCatalog.Finds.Field("found_on")!, English).ShouldBe("A date: YYYY-MM-DD, YYYY-MM or YYYY.");
        var contamination = Labels.Help(DatasetCatalog.Hazards, DatasetCatalog.Hazards.Field("contamination")!, French);
        contamination.ShouldStartWith("Catégories d'engins");
        contamination.ShouldContain("anti_personnel_mine (Mine antipersonnel)");
        Labels.Help(DatasetCatalog.Casualties, DatasetCatalog.Casualties.Field("name")!, English).ShouldBe("Personal data, stored encrypted.");
        Labels.Help(DatasetCatalog.Finds, DatasetCatalog.Finds.Field("model")!, English).ShouldBe("");
    }

    [Fact]
    public void Values_read_as_words_booleans_as_yes_or_no_and_numbers_rounded()
    {
        var finds = DatasetCatalog.Finds;
        Labels.Show(finds.Field("category")!, "uxo", English).ShouldBe("Unexploded ordnance (UXO)");
        Labels.Show(DatasetCatalog.Hazards.Field("contamination")!, "uxo;anti_personnel_mine", English)
            .ShouldBe("Unexploded ordnance (UXO), Anti-personnel mine");
        Labels.Show(finds.Field("category")!, "not_a_category", English).ShouldBe("not_a_category");
        Labels.Show(finds.Field("booby_trapped")!, true, English).ShouldBe("yes");
        Labels.Show(finds.Field("booby_trapped")!, "false", French).ShouldBe("non");
        Labels.Show(finds.Field("production_year")!, 1983L, English).ShouldBe("1983");
        Labels.Show(finds.Field("quantity")!, 12000L, English).ShouldBe("12,000");
        Labels.Show(DatasetCatalog.Hazards.Field("area_m2")!, 12345.678901234, English).ShouldBe("12,346 m²");
        Labels.Show(finds.Field("depth_cm")!, 12.3456, English).ShouldBe("12.35");
    }

    [Fact]
    public void Areas_and_percentages_follow_the_culture()
    {
        // Independent of Labels: the digits are those of the rounded value, the separators French's own.
        var separator = French.NumberFormat.NumberGroupSeparator;
        Labels.Area(1234567.5, French).ShouldBe($"1{separator}234{separator}568 m²");
        Labels.Area(0.4, English).ShouldBe("0 m²");
        Labels.Percent(0.12345, English).ShouldBe("12.3%");
        Labels.Percent(0.12345, French).Replace('\u00a0', ' ').Replace('\u202f', ' ').ShouldBe("12,3 %");
    }

    [Fact]
    public void The_catalogue_as_a_whole_falls_back_to_English_and_follows_the_language()
    {
        var french = Labels.All(French);
        var english = Labels.All(English);
        french.Keys.ShouldBe(english.Keys);
        french["yes"].ShouldBe("oui");
        english["yes"].ShouldBe("yes");
        french.Count.ShouldBeGreaterThan(150);
    }

    [Fact]
    public void Dates_read_in_the_cultures_way_and_partial_dates_keep_their_precision()
    {
        var found = DatasetCatalog.Finds.Field("found_on")!;
        Labels.Show(found, "2025-01-25", French).ShouldBe(new DateOnly(2025, 1, 25).ToString("d", French));
        Labels.Show(found, "2025-01-25", French).ShouldBe("25/01/2025");
        Labels.Show(found, "2025-01", English).ShouldBe("January 2025");
        Labels.Show(found, "2025", French).ShouldBe("2025");
        Labels.Show(found, "not a date", French).ShouldBe("not a date");
    }
}
