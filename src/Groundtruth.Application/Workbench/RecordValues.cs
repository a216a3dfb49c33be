using System.Globalization;
using System.Text.Json;
using Groundtruth.Application.Datasets;
using Groundtruth.Domain;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO.Converters;

namespace Groundtruth.Application.Workbench;

/// <summary>One field of a record before and after a change, as stored values (the pages put them in words).</summary>
/// <param name="Field">The dataset's column name.</param>
/// <param name="Changed">The two values differ (numbers compared as numbers, text as trimmed text, empty as absent).</param>
public sealed record FieldChange(string Field, object? Before, object? After, bool Changed);

/// <summary>
/// A record's stored values read from a version's JSON or a current row, compared field by field; geometry as GeoJSON
/// for the small maps of the workbench and the record pages.
/// </summary>
public static class RecordValues
{
    private static readonly JsonSerializerOptions GeoJson = new() { Converters = { new GeoJsonConverterFactory(SpatialRules.Factory) } };

    /// <summary>A version's fields (its JSON) as typed values: numbers, yes/no, text; personal data is never in a version.</summary>
    public static Dictionary<string, object?> FromVersion(DatasetSpec dataset, string data)
    {
        using var json = JsonDocument.Parse(data);
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (json.RootElement.ValueKind != JsonValueKind.Object) return values;
        foreach (var field in dataset.StoredFields)
        {
            if (!json.RootElement.TryGetProperty(field.Name, out var v) || v.ValueKind == JsonValueKind.Null) continue;
            values[field.Name] = v.ValueKind switch
            {
                JsonValueKind.Number when v.TryGetInt64(out var whole) && field.Type is FieldType.Integer or FieldType.Long => whole,
                JsonValueKind.Number => v.GetDouble(),
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                JsonValueKind.String => v.GetString(),
                _ => v.GetRawText(),
            };
        }
        return values;
    }

    /// <summary>
    /// Every stored field of <paramref name="dataset"/> but the id, before and after; <paramref name="before"/> null for a new record.
    /// Fields empty on both sides are left out.
    /// </summary>
    public static IReadOnlyList<FieldChange> Compare(DatasetSpec dataset, IReadOnlyDictionary<string, object?>? before, IReadOnlyDictionary<string, object?> after)
    {
        var rows = new List<FieldChange>();
        foreach (var field in dataset.StoredFields)
        {
            if (field.Name == "id") continue;
            var b = before?.GetValueOrDefault(field.Name);
            var a = after.GetValueOrDefault(field.Name);
            var (nb, na) = (Normal(b), Normal(a));
            if (nb is null && na is null) continue;
            rows.Add(new FieldChange(field.Name, b, a, !Same(nb, na)));
        }
        return rows;
    }

    /// <summary>The geometry as a GeoJSON geometry object, or null.</summary>
    public static string? GeoJsonOf(Geometry? geometry) => geometry is null || geometry.IsEmpty ? null : JsonSerializer.Serialize(geometry, GeoJson);

    /// <summary>Whether two geometries differ (one missing, or not the same coordinates within a millionth of a degree).</summary>
    public static bool GeometryChanged(Geometry? before, Geometry? after) =>
        (before is null || before.IsEmpty) != (after is null || after.IsEmpty)
        || (before is { IsEmpty: false } && after is { IsEmpty: false } && !before.EqualsExact(after, 1e-6));

    private static string? Normal(object? value) => value switch
    {
        null => null,
        bool b => b ? "true" : "false",
        double or float or decimal or int or long or short => Convert.ToDouble(value, CultureInfo.InvariantCulture).ToString("R", CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture)?.Trim() is { Length: > 0 } s ? s : null,
    };

    private static bool Same(string? a, string? b)
    {
        if (string.Equals(a, b, StringComparison.Ordinal)) return true;
        if (a is null || b is null) return false;
        if (double.TryParse(a, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) && double.TryParse(b, NumberStyles.Float, CultureInfo.InvariantCulture, out var y))
            return Math.Abs(x - y) <= 1e-9 * Math.Max(1, Math.Abs(x));
        return string.Equals(a, "1", StringComparison.Ordinal) && b == "true" || string.Equals(a, "0", StringComparison.Ordinal) && b == "false"
            || string.Equals(b, "1", StringComparison.Ordinal) && a == "true" || string.Equals(b, "0", StringComparison.Ordinal) && a == "false";
    }
}
