using System.Collections.Concurrent;
using System.Text;

namespace Groundtruth.Domain;

/// <summary>The lower snake_case spelling used for enum values and field names in files, JSON and the database.</summary>
public static class SnakeCase
{
    private static readonly ConcurrentDictionary<Type, (string[] Names, Array Values)> Cache = new();

    public static string From(string pascal)
    {
        var sb = new StringBuilder(pascal.Length + 4);
        for (var i = 0; i < pascal.Length; i++)
        {
            var c = pascal[i];
            if (char.IsUpper(c))
            {
                if (i > 0 && (char.IsLower(pascal[i - 1]) || (i + 1 < pascal.Length && char.IsLower(pascal[i + 1]) && char.IsUpper(pascal[i - 1]))))
                    sb.Append('_');
                sb.Append(char.ToLowerInvariant(c));
            }
            else
            {
                sb.Append(c);
            }
        }
        return sb.ToString();
    }

    public static string Of<TEnum>(TEnum value) where TEnum : struct, Enum => From(value.ToString());

    /// <summary>Every spelling of an enum, in declaration order.</summary>
    public static IReadOnlyList<string> Names(Type enumType) => Get(enumType).Names;

    public static bool TryParse<TEnum>(string? text, out TEnum value) where TEnum : struct, Enum
    {
        if (TryParse(typeof(TEnum), text, out var boxed)) { value = (TEnum)boxed!; return true; }
        value = default;
        return false;
    }

    public static bool TryParse(Type enumType, string? text, out object? value)
    {
        value = null;
        if (text is null) return false;
        var (names, values) = Get(enumType);
        var t = text.Trim();
        for (var i = 0; i < names.Length; i++)
        {
            if (string.Equals(names[i], t, StringComparison.OrdinalIgnoreCase)) { value = values.GetValue(i); return true; }
        }
        return false;
    }

    public static TEnum Parse<TEnum>(string text) where TEnum : struct, Enum =>
        TryParse<TEnum>(text, out var v) ? v : throw new FormatException($"'{text}' is not one of {string.Join(", ", Names(typeof(TEnum)))}");

    private static (string[] Names, Array Values) Get(Type t) => Cache.GetOrAdd(t, static type =>
    {
        var named = Enum.GetValues(type);
        var names = new string[named.Length];
        for (var i = 0; i < named.Length; i++) names[i] = From(named.GetValue(i)!.ToString()!);
        return (names, named);
    });
}
