using System.Text;
using System.Text.Unicode;

namespace Groundtruth.Application.Import;

/// <summary>How a text file's bytes become characters and fields: its encoding and delimiter, stated or detected.</summary>
/// <param name="Encoding">A strict encoding: a byte sequence that is not valid in it throws instead of becoming U+FFFD.</param>
/// <param name="Name">The encoding as a mapping file names it (<c>utf-8</c>, <c>utf-16le</c>, <c>windows-1252</c>…).</param>
/// <param name="PreambleLength">Bytes of byte order mark to skip.</param>
internal sealed record TextFormat(Encoding Encoding, string Name, int PreambleLength, bool EncodingDetected);

/// <summary>
/// Decides a text file's encoding (ADR 0016): a stated encoding is used strictly; otherwise a byte order mark decides,
/// then a NUL-byte pattern (UTF-16 without a mark), then whether the whole file is valid UTF-8 (UTF-8) or not (Windows-1252).
/// </summary>
internal static class TextDecoding
{
    static TextDecoding() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public const string Supported = "utf-8, utf-16 (utf-16le), utf-16be, windows-1252, latin-1 (iso-8859-1), and other Windows/ISO code pages such as windows-1251";

    /// <summary>The mapping's name for an encoding, lower case, with common aliases folded.</summary>
    public static string Canonical(string name)
    {
        var n = name.Trim().ToLowerInvariant().Replace('_', '-');
        return n switch
        {
            "utf8" or "utf-8-sig" => "utf-8",
            "utf16" or "utf-16" or "unicode" or "ucs-2" or "utf-16le" => "utf-16le",
            "utf16be" or "utf-16be" => "utf-16be",
            "latin-1" or "latin1" or "iso8859-1" or "iso-8859-1" => "latin-1",
            "cp1252" or "ansi" or "windows1252" or "windows-1252" => "windows-1252",
            _ => n,
        };
    }

    /// <summary>A strict encoding for <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">Not an encoding .NET knows; the message lists the supported ones.</exception>
    public static Encoding Strict(string name)
    {
        var canonical = Canonical(name);
        try
        {
            return canonical switch
            {
                "utf-8" => new UTF8Encoding(false, throwOnInvalidBytes: true),
                "utf-16le" => new UnicodeEncoding(false, false, throwOnInvalidBytes: true),
                "utf-16be" => new UnicodeEncoding(true, false, throwOnInvalidBytes: true),
                "latin-1" => Encoding.GetEncoding("iso-8859-1", EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback),
                _ => Encoding.GetEncoding(canonical, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback),
            };
        }
        catch (ArgumentException)
        {
            throw new InvalidRequestException("encoding", $"unknown encoding '{name}'; supported: {Supported}");
        }
    }

    /// <summary>The format of the text in <paramref name="stream"/> (left at its start).</summary>
    public static TextFormat Detect(Stream stream, string? stated, string file)
    {
        var head = new byte[Math.Min(stream.Length, 1 << 16)];
        stream.Position = 0;
        stream.ReadExactly(head);
        stream.Position = 0;
        var bom = head switch
        {
            [0xEF, 0xBB, 0xBF, ..] => ("utf-8", 3),
            [0xFF, 0xFE, ..] => ("utf-16le", 2),
            [0xFE, 0xFF, ..] => ("utf-16be", 2),
            _ => ((string, int)?)null,
        };
        if (stated is not null)
        {
            var name = Canonical(stated);
            var encoding = Strict(stated);
            if (bom is { } b && b.Item1 != name)
                throw Rejected(file, 1, $"the file starts with a {b.Item1} byte order mark but the mapping states the encoding '{stated}'");
            return new TextFormat(encoding, name, bom?.Item2 ?? 0, false);
        }
        if (bom is { } mark) return new TextFormat(Strict(mark.Item1), mark.Item1, mark.Item2, true);
        int zerosEven = 0, zerosOdd = 0;
        for (var i = 0; i < head.Length; i++)
        {
            if (head[i] != 0) continue;
            if (i % 2 == 0) zerosEven++;
            else zerosOdd++;
        }
        if (head.Length >= 4 && (zerosEven + zerosOdd) * 4 >= head.Length)
        {
            var name = zerosOdd >= zerosEven ? "utf-16le" : "utf-16be";
            return new TextFormat(Strict(name), name, 0, true);
        }
        var utf8 = IsValidUtf8(stream);
        stream.Position = 0;
        return utf8 ? new TextFormat(Strict("utf-8"), "utf-8", 0, true) : new TextFormat(Strict("windows-1252"), "windows-1252", 0, true);
    }

    private static bool IsValidUtf8(Stream stream)
    {
        var decoder = new UTF8Encoding(false, true).GetDecoder();
        var buffer = new byte[1 << 16];
        // GetChars, not GetCharCount: only GetChars keeps the decoder's state, so a character split between two reads
        // (its first bytes at the end of one, the rest at the start of the next) is joined instead of refused.
        var chars = new char[decoder.GetCharCount(new byte[buffer.Length], 0, buffer.Length, flush: false) + 4];
        try
        {
            int n;
            while ((n = stream.Read(buffer)) > 0)
            {
                if (Utf8.IsValid(buffer.AsSpan(0, n))) continue;
                decoder.GetChars(buffer, 0, n, chars, 0, flush: false);
            }
            decoder.GetChars([], 0, 0, chars, 0, flush: true);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }

    /// <summary>The delimiter of a CSV file: the one of <c>, ; tab |</c> seen most often outside quotes on its first line; a comma on a tie.</summary>
    public static string DetectDelimiter(Stream stream, TextFormat format)
    {
        var head = new byte[Math.Min(stream.Length, 1 << 16)];
        stream.Position = 0;
        stream.ReadExactly(head);
        stream.Position = 0;
        var lenient = Encoding.GetEncoding(format.Encoding.CodePage, EncoderFallback.ReplacementFallback, DecoderFallback.ReplacementFallback);
        var text = lenient.GetString(head, format.PreambleLength, head.Length - format.PreambleLength);
        var counts = new Dictionary<char, int> { [','] = 0, [';'] = 0, ['\t'] = 0, ['|'] = 0 };
        var quoted = false;
        foreach (var c in text)
        {
            if (c == '"') quoted = !quoted;
            else if (!quoted && c is '\n' or '\r') break;
            else if (!quoted && counts.TryGetValue(c, out var k)) counts[c] = k + 1;
        }
        var best = counts.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key == ',' ? 0 : 1).First();
        return best.Value == 0 ? "," : best.Key.ToString();
    }

    public static ImportRejectedException Rejected(string file, int line, string reason) =>
        new([new ImportProblem(file, line, null, null, reason)], 1);
}

/// <summary>
/// Decodes a stream with a strict encoding, refusing (with the line) a byte sequence that is not valid in it, a NUL
/// character, or a byte Windows-1252 does not define, rather than storing a replacement character.
/// </summary>
internal sealed class StrictTextReader : TextReader
{
    private readonly Stream _stream;
    private readonly TextFormat _format;
    private readonly string _file;
    private readonly Decoder _decoder;
    private readonly byte[] _bytes = new byte[1 << 16];
    private readonly char[] _chars;
    private int _pos;
    private int _len;
    private int _newlines;
    private bool _done;

    public StrictTextReader(Stream stream, TextFormat format, string file)
    {
        _stream = stream;
        _format = format;
        _file = file;
        _decoder = format.Encoding.GetDecoder();
        _chars = new char[format.Encoding.GetMaxCharCount(_bytes.Length) + 4];
        stream.Position = format.PreambleLength;
    }

    private bool Fill()
    {
        while (_pos >= _len)
        {
            if (_done) return false;
            var n = _stream.Read(_bytes);
            try
            {
                _len = _decoder.GetChars(_bytes, 0, n, _chars, 0, flush: n == 0);
            }
            catch (DecoderFallbackException e)
            {
                var before = Math.Clamp(e.Index, 0, n);
                var lenient = Encoding.GetEncoding(_format.Encoding.CodePage, EncoderFallback.ReplacementFallback, DecoderFallback.ReplacementFallback);
                var line = _newlines + 1 + lenient.GetString(_bytes, 0, before).Count(c => c == '\n');
                var bad = string.Join(" ", (e.BytesUnknown ?? []).Select(b => b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture)));
                throw TextDecoding.Rejected(_file, line, $"bytes {bad} are not valid {_format.Name}; state the file's \"encoding\" in the mapping (e.g. windows-1252) or save it as UTF-8");
            }
            _pos = 0;
            if (n == 0) _done = true;
            for (var i = 0; i < _len; i++)
            {
                var c = _chars[i];
                if (c == '\n') _newlines++;
                else if (c == '\0')
                    throw TextDecoding.Rejected(_file, _newlines + 1, $"a NUL character: the file is not {_format.Name} text (UTF-16 without a byte order mark? state its \"encoding\")");
                else if (c is >= '\u0080' and <= '\u009f' && _format.Encoding.CodePage == 1252)
                    throw TextDecoding.Rejected(_file, _newlines + 1, $"byte {(int)c:X2} is not defined in windows-1252; state the file's \"encoding\" in the mapping");
            }
        }
        return true;
    }

    public override int Peek() => Fill() ? _chars[_pos] : -1;

    public override int Read() => Fill() ? _chars[_pos++] : -1;

    public override int Read(char[] buffer, int index, int count) => Read(buffer.AsSpan(index, count));

    public override int Read(Span<char> buffer)
    {
        if (buffer.Length == 0 || !Fill()) return 0;
        var n = Math.Min(buffer.Length, _len - _pos);
        _chars.AsSpan(_pos, n).CopyTo(buffer);
        _pos += n;
        return n;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _stream.Dispose();
        base.Dispose(disposing);
    }
}
