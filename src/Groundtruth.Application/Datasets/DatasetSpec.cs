using Groundtruth.Domain;

namespace Groundtruth.Application.Datasets;

/// <summary>How a field's text is read and stored.</summary>
public enum FieldType
{
    Text,
    /// <summary>A 32-bit whole number.</summary>
    Integer,
    /// <summary>A 64-bit whole number (population).</summary>
    Long,
    Real,
    /// <summary>An ISO 8601 date that may be partial: YYYY, YYYY-MM or YYYY-MM-DD.</summary>
    Date,
    Boolean,
    /// <summary>One value of an enum, spelled lower snake_case.</summary>
    Enum,
    /// <summary>Several values of an enum separated by semicolons.</summary>
    EnumList,
}

/// <summary>One column of a dataset as it appears in files, JSON and the database.</summary>
/// <param name="Name">The snake_case name: file column, JSON property and database column.</param>
/// <param name="References">The dataset whose id this field holds, if any.</param>
/// <param name="Computed">Derived on import (e.g. <c>area_m2</c>); a value in the file is ignored.</param>
/// <param name="Personal">Personal data: encrypted at rest, never a column of the layer table.</param>
/// <param name="DefaultValue">Used when the file has no value.</param>
public sealed record FieldSpec(
    string Name,
    FieldType Type,
    bool Required = false,
    Type? EnumType = null,
    string? References = null,
    double? Min = null,
    double? Max = null,
    bool Computed = false,
    bool Personal = false,
    string? DefaultValue = null,
    string Description = "")
{
    public IReadOnlyList<string> EnumNames => EnumType is null ? [] : SnakeCase.Names(EnumType);
}

/// <summary>A dataset: its name on the command line, its table, its fields and its geometry.</summary>
/// <param name="Name">The name users type: <c>land-release</c>.</param>
/// <param name="Table">The database table and GeoPackage layer: <c>land_release</c>.</param>
/// <param name="InformationDateField">The field whose date is the record's date of information, if any.</param>
public sealed record DatasetSpec(
    string Name,
    string Table,
    GeometryShape Shape,
    bool GeometryRequired,
    IReadOnlyList<FieldSpec> Fields,
    string? InformationDateField,
    string Description)
{
    public bool IsSpatial => Shape != GeometryShape.None;

    /// <summary>The append-only table holding every version of every record.</summary>
    public string VersionsTable => Table + "_versions";

    /// <summary>Fields stored as columns of the layer table (not personal data).</summary>
    public IEnumerable<FieldSpec> StoredFields => Fields.Where(f => !f.Personal);

    public FieldSpec? Field(string name) => Fields.FirstOrDefault(f => f.Name == name);

    /// <summary>
    /// The field name a column of a file, or a member of an entered record, stands for: <c>" NAME"</c> is <c>name</c>.
    /// The importer binds columns by this key, so every check on field names uses it too.
    /// </summary>
    public static string Key(string column) => column.Trim().ToLowerInvariant();

    /// <summary>The field a column stands for (<see cref="Key"/>), if any.</summary>
    public FieldSpec? FieldOfColumn(string column) => Field(Key(column));

    public int IndexOf(string name)
    {
        for (var i = 0; i < Fields.Count; i++) if (Fields[i].Name == name) return i;
        return -1;
    }
}
