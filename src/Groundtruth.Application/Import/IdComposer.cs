using System.Security.Cryptography;
using System.Text;

namespace Groundtruth.Application.Import;

/// <summary>
/// Gives the records of a register without ids their ids (ADR 0016). Composed: <c>prefix</c> + the columns' values joined
/// by <c>separator</c> (every value required). Generated: <c>prefix</c> + the first 12 hex digits of SHA-256 over the key
/// columns' values (trimmed, spaces collapsed, upper case), so the same key in a later delivery gives the same id; rows of
/// one file with the same key are numbered in file order (<c>-2</c>, <c>-3</c>…).
/// </summary>
internal sealed class IdComposer(IdMapping mapping, ImportMapping whole)
{
    private readonly Dictionary<string, int> _seen = new(StringComparer.Ordinal);

    public IReadOnlyList<string> Columns => mapping.Columns;

    public string? Compose(SourceRecord source, int line, ProblemList problems)
    {
        if (!mapping.Generate)
        {
            if (mapping.Columns.Count == 0)
            {
                problems.Add(line, "id", null, "the mapping's \"id\" needs \"columns\" to compose the id from, or \"generate\": true");
                return null;
            }
            var parts = new List<string>();
            foreach (var column in mapping.Columns)
            {
                var value = Get(source, column);
                if (value is null)
                {
                    problems.Add(line, column, null, "a value is required: the id is composed from this column");
                    return null;
                }
                parts.Add(value);
            }
            return mapping.Prefix + string.Join(mapping.Separator ?? "-", parts);
        }
        var key = mapping.Columns.Count > 0
            ? mapping.Columns.Select(c => Get(source, c))
            : source.Values.Where(kv => !whole.Ignore.Contains(kv.Key, StringComparer.OrdinalIgnoreCase)).Select(kv => kv.Value);
        var text = string.Join("\u001f", key.Select(Normalise));
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..12];
        var id = mapping.Prefix + hash;
        var n = _seen[id] = _seen.GetValueOrDefault(id) + 1;
        return n == 1 ? id : $"{id}{mapping.Separator ?? "-"}{n}";
    }

    private static string Normalise(string? value) =>
        value is null ? "" : string.Join(' ', value.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).ToUpperInvariant();

    private static string? Get(SourceRecord source, string column)
    {
        if (source.Values.TryGetValue(column, out var v)) return v;
        foreach (var (k, value) in source.Values)
        {
            if (string.Equals(k.Trim(), column.Trim(), StringComparison.OrdinalIgnoreCase)) return value;
        }
        return null;
    }
}
