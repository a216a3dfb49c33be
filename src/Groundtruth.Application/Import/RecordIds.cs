using System.Globalization;
using System.Text;

namespace Groundtruth.Application.Import;

/// <summary>
/// What a record's id may be (docs/datasets.md): at most <see cref="MaxLength"/> characters, none of them a control
/// character (NUL, tab, line breaks) or a bidirectional-text control (an override such as U+202E can make
/// <c>HA-1‮2-AH</c> read as something else on screen). Checked by the importer, so every route — files, uploads,
/// the records API, field forms — refuses the same ids.
/// </summary>
public static class RecordIds
{
    public const int MaxLength = 200;

    /// <summary>Why <paramref name="id"/> is refused; null when it is a good id.</summary>
    public static string? Problem(string id)
    {
        if (id.Length > MaxLength) return $"an id is at most {MaxLength} characters; this one has {id.Length:N0}";
        foreach (var c in id)
        {
            if (char.IsControl(c)) return $"an id may not hold a control character (U+{(int)c:X4})";
            if (IsBidiControl(c)) return $"an id may not hold a bidirectional-text control character (U+{(int)c:X4})";
        }
        return null;
    }

    /// <summary>The id as a problem shows it: control characters escaped, cut at 40 characters.</summary>
    public static string Shown(string id)
    {
        var sb = new StringBuilder();
        foreach (var c in id.Length > 40 ? id[..40] : id)
        {
            if (char.IsControl(c) || IsBidiControl(c)) sb.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
            else sb.Append(c);
        }
        if (id.Length > 40) sb.Append('…');
        return sb.ToString();
    }

    /// <summary>The Unicode bidirectional formatting characters: embeddings, overrides, isolates and marks.</summary>
    public static bool IsBidiControl(char c) =>
        c is (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069') or '\u200E' or '\u200F' or '\u061C';
}
