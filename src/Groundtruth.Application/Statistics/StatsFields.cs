using Groundtruth.Analysis.Statistics;
using Groundtruth.Application.Datasets;

namespace Groundtruth.Application.Statistics;

/// <summary>A field statistics can filter and group by: a canonical column of the dataset, or a derived one.</summary>
/// <param name="Column">The stored column it is read from; null for fields derived from others.</param>
/// <param name="Spec">The catalogue's field, for ranges and enum spellings; null for derived fields.</param>
public sealed record StatsField(string Name, StatsValueKind Kind, string? Column, FieldSpec? Spec, string Meaning)
{
    public IReadOnlyList<string> EnumNames => Spec?.EnumNames ?? [];
    public bool IsInteger => Spec?.Type is FieldType.Integer or FieldType.Long;
}

/// <summary>The datasets statistics count and the fields of each (every canonical field but the id and personal data, plus the derived ones).</summary>
public static class StatsFields
{
    /// <summary>The datasets <c>stats</c> answers for.</summary>
    public static readonly IReadOnlyList<DatasetSpec> Datasets = [DatasetCatalog.Casualties, DatasetCatalog.Finds, DatasetCatalog.Accidents];

    public static IEnumerable<string> DatasetNames => Datasets.Select(d => d.Name);

    private static readonly Dictionary<string, IReadOnlyList<StatsField>> ByDataset = Datasets.ToDictionary(d => d.Name, Build, StringComparer.Ordinal);

    /// <summary>The dataset's statistics fields, canonical first, then derived.</summary>
    public static IReadOnlyList<StatsField> Of(DatasetSpec dataset) => ByDataset[dataset.Name];

    public static StatsField? Find(DatasetSpec dataset, string name) =>
        Of(dataset).FirstOrDefault(f => string.Equals(f.Name, name.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>The field whose date places a record in a window: <c>found_on</c>, <c>occurred_on</c>.</summary>
    public static string DateField(DatasetSpec dataset) => dataset.InformationDateField!;

    private static IReadOnlyList<StatsField> Build(DatasetSpec dataset)
    {
        var fields = new List<StatsField>();
        foreach (var f in dataset.StoredFields.Where(f => f.Name != "id" && !f.Computed))
        {
            var kind = f.Type switch
            {
                FieldType.Enum => StatsValueKind.Enum,
                FieldType.Integer or FieldType.Long or FieldType.Real => StatsValueKind.Number,
                FieldType.Boolean => StatsValueKind.Boolean,
                FieldType.Date => StatsValueKind.Date,
                _ => StatsValueKind.Text,
            };
            var meaning = f.Description;
            if (dataset == DatasetCatalog.Casualties && f.Name == "age_group")
                meaning = "derived: child (under 18) or adult from the age at the accident date; the recorded group when the age is unknown";
            if (dataset == DatasetCatalog.Casualties && f.Name == "occurred_on")
                meaning = "the casualty's date, or its accident's when it has none";
            fields.Add(new StatsField(f.Name, kind, f.Name, f, meaning));
        }
        fields.Add(new StatsField("year", StatsValueKind.Year, null, null, $"derived: the year of {DateField(dataset)}"));
        fields.Add(new StatsField("month", StatsValueKind.Month, null, null, $"derived: the month (YYYY-MM) of {DateField(dataset)}; unknown when the date is known to the year only"));
        fields.Add(new StatsField("place", StatsValueKind.Place, null, null,
            "derived: the record's assigned location, the smallest gazetteer place whose polygon covers its point (ties to the lowest id)"));
        return fields;
    }
}
