using System.Buffers;

namespace Groundtruth.Application.Export;

/// <summary>
/// How every CSV Groundtruth writes spells a text cell: quoted when it holds a comma, quote or line break or starts or ends with a space, and
/// neutralised when a spreadsheet would read it as a formula. Numbers are written by their callers, never through
/// here, so <c>-3.5</c> in a numeric column stays a number.
/// </summary>
/// <remarks>
/// OWASP, CSV injection: a cell starting with <c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, tab or carriage return is
/// prefixed with a single quote, which spreadsheets show as text. A cell already starting with quotes before such a
/// character gets one more, so the importer can take exactly one away (<see cref="Restore"/>) and
/// <c>import(export(db))</c> still changes nothing: <c>=SUM(A1)</c> is written <c>'=SUM(A1)</c> and read back as
/// <c>=SUM(A1)</c>; <c>'=x</c> is written <c>''=x</c>.
/// </remarks>
public static class CsvCell
{
    private static readonly SearchValues<char> FormulaStart = SearchValues.Create("=+-@\t\r");
    private static readonly SearchValues<char> NeedsQuotes = SearchValues.Create(",\"\r\n");

    /// <summary>The cell as it is written: neutralised, then quoted if needed; empty for null.</summary>
    public static string Text(string? value)
    {
        if (string.IsNullOrEmpty(value)) return "";
        var cell = Neutralise(value);
        return !MustQuote(cell) ? cell : "\"" + cell.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    /// <summary>Writes <see cref="Text"/> of the value without building the quoted string when none is needed.</summary>
    public static void Write(TextWriter writer, string? value)
    {
        if (string.IsNullOrEmpty(value)) return;
        var cell = Neutralise(value);
        if (!MustQuote(cell))
        {
            writer.Write(cell);
            return;
        }
        writer.Write('"');
        writer.Write(cell.Replace("\"", "\"\"", StringComparison.Ordinal));
        writer.Write('"');
    }

    /// <summary>The value with a leading single quote when a spreadsheet would take it for a formula.</summary>
    public static string Neutralise(string value) => LooksLikeFormula(value) ? "'" + value : value;

    /// <summary>The reverse of <see cref="Neutralise"/>, for the importer: one leading quote is taken off a neutralised cell.</summary>
    public static string Restore(string value) =>
        value.Length > 1 && value[0] == '\'' && LooksLikeFormula(value) ? value[1..] : value;

    /// <summary>A delimiter, quote or line break inside, or spaces at either end (which a reader may trim).</summary>
    private static bool MustQuote(string cell) => cell.AsSpan().IndexOfAny(NeedsQuotes) >= 0 || cell[0] == ' ' || cell[^1] == ' ';

    /// <summary>Whether the value starts, after any single quotes, with a character that starts a formula.</summary>
    private static bool LooksLikeFormula(string value)
    {
        var i = 0;
        while (i < value.Length && value[i] == '\'') i++;
        return i < value.Length && FormulaStart.Contains(value[i]);
    }
}
