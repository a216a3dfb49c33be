using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Groundtruth.Application.Datasets;
using Groundtruth.Application.Storage;
using Microsoft.EntityFrameworkCore;

namespace Groundtruth.Application.Entry;

/// <summary>
/// A national id pattern such as <c>FND-{yyyy}-{seq:00000}</c>: literal text, the entry date's <c>{yyyy}</c>, <c>{yy}</c>
/// or <c>{MM}</c>, and one <c>{seq}</c> (its zeros give the width) numbering the ids that share the rest of the pattern:
/// <c>FND-2026-00041</c> is followed by <c>FND-2026-00042</c>, and a new year starts again at 1.
/// </summary>
public sealed partial class IdPattern
{
    private readonly string _text;
    private readonly int _width;

    private IdPattern(string text, int width)
    {
        _text = text;
        _width = width;
    }

    public override string ToString() => _text;

    /// <summary>Reads a pattern; throws <see cref="FormatException"/> naming what is wrong.</summary>
    public static IdPattern Parse(string pattern)
    {
        var seqs = Token().Matches(pattern).Count(m => m.Groups[1].Value.StartsWith("seq", StringComparison.Ordinal));
        if (seqs != 1) throw new FormatException($"the id pattern '{pattern}' needs exactly one {{seq}} (or {{seq:00000}} for a width); it has {seqs}");
        var rest = Token().Replace(pattern, "");
        if (rest.Contains('{') || rest.Contains('}'))
            throw new FormatException($"the id pattern '{pattern}' has an unknown {{…}}: use {{yyyy}}, {{yy}}, {{MM}} and {{seq:0000}}");
        if (Import.RecordIds.Problem(rest) is { } bad) throw new FormatException($"the id pattern '{pattern}': {bad}");
        var seq = Token().Matches(pattern).First(m => m.Groups[1].Value.StartsWith("seq", StringComparison.Ordinal));
        return new IdPattern(pattern, seq.Groups[2].Success ? seq.Groups[2].Value.Length : 1);
    }

    /// <summary>The text before and after the number on <paramref name="day"/>: <c>("FND-2026-", "")</c>.</summary>
    public (string Before, string After) Around(DateOnly day)
    {
        var sb = new StringBuilder();
        string? before = null;
        var last = 0;
        foreach (Match m in Token().Matches(_text))
        {
            sb.Append(_text, last, m.Index - last);
            last = m.Index + m.Length;
            var name = m.Groups[1].Value;
            if (name.StartsWith("seq", StringComparison.Ordinal))
            {
                before = sb.ToString();
                sb.Clear();
                continue;
            }
            sb.Append(name switch
            {
                "yyyy" => day.Year.ToString("D4", CultureInfo.InvariantCulture),
                "yy" => (day.Year % 100).ToString("D2", CultureInfo.InvariantCulture),
                _ => day.Month.ToString("D2", CultureInfo.InvariantCulture),
            });
        }
        sb.Append(_text, last, _text.Length - last);
        return (before!, sb.ToString());
    }

    /// <summary>The id numbered <paramref name="seq"/> on <paramref name="day"/>.</summary>
    public string Format(DateOnly day, long seq)
    {
        var (before, after) = Around(day);
        return before + seq.ToString(new string('0', _width), CultureInfo.InvariantCulture) + after;
    }

    /// <summary>The number of <paramref name="id"/> when it has this pattern on <paramref name="day"/>; null otherwise.</summary>
    public long? SequenceOf(string id, DateOnly day)
    {
        var (before, after) = Around(day);
        if (id.Length <= before.Length + after.Length || !id.StartsWith(before, StringComparison.Ordinal) || !id.EndsWith(after, StringComparison.Ordinal)) return null;
        var digits = id.AsSpan(before.Length, id.Length - before.Length - after.Length);
        foreach (var c in digits) if (c is < '0' or > '9') return null;
        return digits.Length <= 18 ? long.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture) : null;
    }

    [GeneratedRegex(@"\{(yyyy|yy|MM|seq(?::(0+))?)\}")]
    private static partial Regex Token();
}

/// <summary>
/// The id pattern of each dataset entered record by record (setting <c>Groundtruth:Ids:&lt;dataset&gt;</c>; docs/web.md,
/// "National ids"). A record entered with no id gets the next id of its pattern; an empty setting turns generation off
/// for that dataset, so its id must be typed. The id is proposed before saving and confirmed inside the write
/// transaction (<see cref="Import.ImportRequest.NewRecordsOnly"/>): two editors saving at once never get the same id.
/// </summary>
public sealed class IdPatterns
{
    /// <summary>The patterns used when the configuration says nothing.</summary>
    public static readonly IReadOnlyDictionary<string, string> Defaults = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [DatasetCatalog.Hazards.Name] = "HA-{yyyy}-{seq:0000}",
        [DatasetCatalog.Finds.Name] = "FND-{yyyy}-{seq:00000}",
        [DatasetCatalog.Accidents.Name] = "ACC-{yyyy}-{seq:0000}",
        [DatasetCatalog.Casualties.Name] = "CAS-{yyyy}-{seq:00000}",
        [DatasetCatalog.LandRelease.Name] = "LR-{yyyy}-{seq:00000}",
    };

    /// <summary>The configuration section under which a dataset's pattern is set: <c>Groundtruth:Ids:finds</c>.</summary>
    public const string Section = "Groundtruth:Ids";

    private readonly Dictionary<string, IdPattern?> _patterns = new(StringComparer.Ordinal);

    /// <summary>The default patterns.</summary>
    public static IdPatterns Default { get; } = new(new Dictionary<string, string?>());

    /// <param name="settings">Dataset name → pattern, over the defaults; an empty pattern means "typed by the user".</param>
    /// <exception cref="InvalidOperationException">A setting names no dataset or holds a bad pattern; the message names the setting.</exception>
    public IdPatterns(IReadOnlyDictionary<string, string?> settings)
    {
        foreach (var (name, pattern) in Defaults) _patterns[name] = IdPattern.Parse(pattern);
        foreach (var (name, pattern) in settings)
        {
            if (DatasetCatalog.Find(name) is null)
                throw new InvalidOperationException($"{Section}:{name}: no dataset is called {name} (datasets entered: {string.Join(", ", Defaults.Keys)})");
            try
            {
                _patterns[name] = string.IsNullOrWhiteSpace(pattern) ? null : IdPattern.Parse(pattern.Trim());
            }
            catch (FormatException e)
            {
                throw new InvalidOperationException($"{Section}:{name}: {e.Message}", e);
            }
        }
    }

    /// <summary>The pattern of <paramref name="dataset"/>; null when its ids are typed.</summary>
    public IdPattern? Of(DatasetSpec dataset) => _patterns.GetValueOrDefault(dataset.Name);

    /// <summary>
    /// The next <paramref name="count"/> free ids of <paramref name="dataset"/> on <paramref name="day"/>, after every id
    /// of the pattern ever stored (approved, pending, rejected or deleted: an id is never given twice) and
    /// <paramref name="after"/>; empty when the dataset has no pattern.
    /// </summary>
    public async Task<IReadOnlyList<string>> NextAsync(DatabaseTarget target, DatasetSpec dataset, DateOnly day, int count = 1, long after = 0, CancellationToken ct = default)
    {
        if (Of(dataset) is not { } pattern || count <= 0) return [];
        var highest = Math.Max(after, await HighestAsync(target, dataset, pattern, day, ct));
        return [.. Enumerable.Range(1, count).Select(i => pattern.Format(day, highest + i))];
    }

    private static async Task<long> HighestAsync(DatabaseTarget target, DatasetSpec dataset, IdPattern pattern, DateOnly day, CancellationToken ct)
    {
        var (before, _) = pattern.Around(day);
        await using var db = target.CreateContext();
        await SchemaGuard.EnsureCurrentAsync(db, ct);
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        await using var cmd = connection.CreateCommand();
        // Every version, not only the current state: an id deleted or rejected is not given again. The ids with the
        // prefix are a range in code-point order (the prefix up to the prefix with its last character's successor):
        // the record_id index answers it on SQLite (binary collation), and "C" keeps PostgreSQL's comparison in that order.
        var collate = target.IsGeoPackage ? "" : " COLLATE \"C\"";
        cmd.CommandText = before.Length == 0
            ? $"SELECT DISTINCT \"record_id\" FROM \"{dataset.VersionsTable}\""
            : $"SELECT DISTINCT \"record_id\" FROM \"{dataset.VersionsTable}\" WHERE \"record_id\"{collate} >= @low AND \"record_id\"{collate} < @high";
        void Add(string name, string value)
        {
            var p = cmd.CreateParameter();
            p.ParameterName = name;
            p.Value = value;
            cmd.Parameters.Add(p);
        }
        if (before.Length > 0)
        {
            Add("low", before);
            Add("high", before[..^1] + (char)(before[^1] + 1));
        }
        long highest = 0;
        await using DbDataReader r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            if (pattern.SequenceOf(r.GetString(0), day) is { } n && n > highest) highest = n;
        }
        return highest;
    }
}
