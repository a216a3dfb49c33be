using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Groundtruth.Application.Import;
using Groundtruth.Domain;

namespace Groundtruth.Application.Tests.Errors;

/// <summary>
/// Every message the application throws at a person (src/Groundtruth.Application, Analysis and Cli) has a pattern in
/// <see cref="ErrorMessages"/>: the test reads the source, rebuilds each message from its string literals with its holes
/// filled (a word, a number, or the literals a hole chooses between) and fails when the message reads the same in
/// Ukrainian or Arabic as in English. A message that passes another's text on (<c>e.Message</c>) is that other's. The same
/// for the reasons the importer and record entry give (read through <c>ImportReasons</c>) and the data rules' refusals.
/// </summary>
public sealed partial class ErrorMessagesCoverageTests
{
    private static readonly CultureInfo[] Languages = [CultureInfo.GetCultureInfo("uk"), CultureInfo.GetCultureInfo("ar")];

    /// <summary>The exceptions a page or the terminal shows, and which argument is the message (0: the first; -1: built in the class).</summary>
    private static readonly Dictionary<string, int> Shown = new(StringComparer.Ordinal)
    {
        ["InvalidRequestException"] = 1, ["StatsArgumentException"] = 1, ["UserRequestException"] = 0,
        ["NotFoundException"] = 0, ["ForbiddenException"] = 0, ["ConflictException"] = 0, ["BadDataException"] = 0,
        ["SubmissionDecisionException"] = 0, ["DatabaseNotReadyException"] = 0, ["RiskDataException"] = 0,
        ["GeoTiffReadException"] = 0, ["RecordAccuracyArgumentException"] = 0, ["IdTakenException"] = -1,
        // Not exceptions: the notes of a suggested mapping (the upload page, import --suggest-map), an audit chain's break.
        ["notes.Add"] = 0, ["AuditBreak"] = 2, ["Broken"] = 0,
    };

    /// <summary>Files whose other exceptions reach a person inside one of the above (a reference system, the weights file).</summary>
    private static readonly (string File, string Exception, string Frame)[] Carried =
    [
        ("Groundtruth.Analysis/Geodesy/ReferenceSystems.cs", "FormatException", "{0}"),
        ("Groundtruth.Application/Import/Readers/SpatialSources.cs", "FormatException", "{0}"),
        ("Groundtruth.Analysis/Risk/Priorities.cs", "ArgumentException", "weights.json: {0}; see docs/risk.md"),
    ];

    /// <summary>Values a file's holes take from its callers or locals (the verb a submission's decision passes on, a GPX position's place).</summary>
    private static readonly Dictionary<string, string[]> Hints = new(StringComparer.Ordinal)
    {
        ["Groundtruth.Application/Workbench/SubmissionDecisions.cs"] = ["approved", "rejected", "unapproved"],
        ["Groundtruth.Application/Import/Readers/GpxSourceReader.cs"] = [" (<trkpt> on line 12)"],
        ["Groundtruth.Application/Import/Readers/FieldFormSourceReader.cs"] = ["sheet", "file"],
    };

    /// <summary>Messages no person meets: a broken invariant of the stored data, not an input to fix.</summary>
    private static readonly string[] Internal = ["names an unknown dataset"];

    [Fact]
    public void Every_message_thrown_at_a_person_has_a_pattern()
    {
        var messages = Messages().ToList();
        messages.Count.ShouldBeGreaterThan(120);
        var untranslated = messages
            .Where(m => !Internal.Any(i => m.Sample(0).Contains(i, StringComparison.Ordinal)))
            .Where(m => !m.Samples().Take(4096).Any(s => Languages.All(l => ErrorMessages.Localise(s, l) != s)))
            .Select(m => $"{m.Where}: {m.Sample(0)}")
            .ToList();
        untranslated.ShouldBeEmpty();
    }

    /// <summary>Where the importer and record entry put a reason: the call and which argument (-1: the last).</summary>
    private static readonly Dictionary<string, int> ReasonAt = new(StringComparer.Ordinal)
    {
        ["new ImportProblem("] = 4, ["problems.Add("] = 3, ["problems.Add(("] = 2, ["new EntryProblem("] = 2,
        ["new KmlGeometryException("] = 2, ["new GpxPositionException("] = 1, ["SourceProblem.Entry("] = 1, ["Rejected("] = -1,
    };

    [Fact]
    public void Every_reason_the_importer_and_record_entry_give_has_a_pattern()
    {
        var root = Root();
        var reasons = new List<Message>();
        var calls = new Regex(string.Join("|", ReasonAt.Keys.OrderByDescending(k => k.Length).Select(k => (k == "Rejected(" ? @"\b" : "") + Regex.Escape(k))));
        foreach (var file in SourceFiles())
        {
            var text = File.ReadAllText(file);
            foreach (Match m in calls.Matches(text))
            {
                var args = Arguments(text, m.Index + m.Length);
                var at = ReasonAt[m.Value] is var i && i < 0 ? args.Count - 1 : ReasonAt[m.Value];
                if (at < 0 || args.Count <= at || Parse(args[at]) is not { } parts) continue;
                var line = text[..m.Index].Count(c => c == '\n') + 1;
                var relative = Path.GetRelativePath(root, file).Replace('\\', '/');
                var reason = new Message($"{relative}:{line}", parts, Hints.GetValueOrDefault(relative, []));
                if (reason.Sample(0).Length > 0) reasons.Add(reason); // an empty literal marks a reason given elsewhere
            }
        }
        reasons.Count.ShouldBeGreaterThan(120);
        var untranslated = reasons
            .Where(m => !m.Samples().Take(4096).Any(s => Languages.All(l => ImportReasons.Localise(s, l) != s)))
            .Select(m => $"{m.Where}: {m.Sample(0)}")
            .ToList();
        untranslated.ShouldBeEmpty();
    }

    [Fact]
    public void Every_refusal_of_the_hazardous_area_and_land_release_rules_reads_in_the_language()
    {
        var refusals = new List<(string Text, string? Activity)>();
        foreach (var from in Enum.GetValues<HazardStatus>())
            foreach (var to in Enum.GetValues<HazardStatus>())
                if (HazardStatusRules.Refusal(from, to, null) is { } refusal) refusals.Add((refusal, null));
        foreach (var from in Enum.GetValues<HazardClassification>())
            foreach (var to in Enum.GetValues<HazardClassification>())
                if (HazardClassificationRules.Refusal(from, to, null) is { } refusal) refusals.Add((refusal, null));
        foreach (var method in Enum.GetValues<ReleaseMethod>())
            foreach (var activity in Enum.GetValues<ActivityType>())
                if (LandReleaseRules.Refusal(method, activity) is { } refusal) refusals.Add((refusal, LandReleaseRules.Words(activity)));
        refusals.Count.ShouldBeGreaterThan(20);
        foreach (var (text, activity) in refusals)
        {
            foreach (var language in Languages)
            {
                var localised = ImportReasons.Localise(text, language);
                localised.ShouldNotBe(text, $"{language.Name}: {text}");
                // The activity refused is named in the reader's words too.
                if (activity is not null) localised.ShouldNotContain(activity, Case.Sensitive, $"{language.Name}: {localised}");
            }
        }
    }

    [Fact]
    public void Every_refusal_of_a_role_names_what_was_refused_in_the_language()
    {
        var refused = new List<string>();
        foreach (var file in SourceFiles())
        {
            foreach (Match m in RequireCall().Matches(File.ReadAllText(file)))
            {
                var what = m.Groups[1].Value;
                var message = $"{what} is not allowed for ana (viewer)";
                refused.Add(what);
                foreach (var language in Languages)
                {
                    var localised = ErrorMessages.Localise(message, language);
                    localised.ShouldNotContain(what, Case.Sensitive, $"{language.Name}: {localised}");
                    localised.ShouldContain("ana (viewer)", Case.Sensitive, $"{language.Name}: {localised}");
                }
            }
        }
        refused.Distinct().Count().ShouldBeGreaterThan(12);
    }

    [GeneratedRegex("""Require\((?:[^;]*?), "([^"]+)"\);""")] private static partial Regex RequireCall();

    private static string Root()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Groundtruth.slnx"))) return Path.Combine(dir.FullName, "src");
        throw new InvalidOperationException("Groundtruth.slnx not found above " + AppContext.BaseDirectory);
    }

    private static IEnumerable<string> SourceFiles() =>
        new[] { "Groundtruth.Application", "Groundtruth.Analysis", "Groundtruth.Cli", "Groundtruth.Web" }
            .SelectMany(p => Directory.EnumerateFiles(Path.Combine(Root(), p), "*.cs", SearchOption.AllDirectories))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal));

    private static IEnumerable<Message> Messages()
    {
        var root = Root();
        foreach (var file in SourceFiles())
        {
            var text = File.ReadAllText(file);
            var relative = Path.GetRelativePath(root, file).Replace('\\', '/');
            var kinds = Shown.Select(s => (s.Key, s.Value, Frame: "{0}")).ToList();
            kinds.AddRange(Carried.Where(c => c.File == relative).Select(c => (c.Exception, 0, c.Frame)));
            foreach (var (exception, argument, frame) in kinds)
            {
                if (argument < 0) continue;
                foreach (Match m in Regex.Matches(text, exception.Contains('.', StringComparison.Ordinal) ? $@"{Regex.Escape(exception)}\(" : exception == "Broken" ? @"\bBroken\(" : $@"new {exception}\("))
                {
                    var args = Arguments(text, m.Index + m.Length);
                    if (args.Count <= argument) continue;
                    var line = text[..m.Index].Count(c => c == '\n') + 1;
                    if (Parse(args[argument]) is { } parts) yield return new Message($"{relative}:{line}", Framed(frame, parts), Hints.GetValueOrDefault(relative, []));
                }
            }
        }
    }

    private static List<Part> Framed(string frame, List<Part> parts)
    {
        var at = frame.IndexOf("{0}", StringComparison.Ordinal);
        return [new Part(frame[..at], null), .. parts, new Part(frame[(at + 3)..], null)];
    }

    /// <summary>A message as text and holes; null when it holds no literal text of its own (another's message passed on).</summary>
    private static List<Part>? Parse(string expression)
    {
        var e = expression.Trim();
        foreach (var (wrapper, prefix) in new[] { ("Invalid(", "where field=value: "), ("Fail(", "layer.tif: ") })
            if (e.StartsWith(wrapper, StringComparison.Ordinal) && e.EndsWith(')'))
                return Parse(e[wrapper.Length..^1]) is { } inner ? [new Part(prefix, null), .. inner] : null;
        if (e.StartsWith("string.Create(", StringComparison.Ordinal))
            return Parse(Arguments(e, "string.Create(".Length)[1]);
        var parts = new List<Part>();
        var literal = false;
        foreach (var piece in SplitTopLevel(e, '+'))
        {
            var p = piece.Trim();
            if (p.StartsWith("$\"", StringComparison.Ordinal)) { parts.AddRange(Interpolated(p, 2)); literal = true; }
            else if (p.StartsWith('"')) { parts.Add(new Part(Literal(p, 1, out _), null)); literal = true; }
            else parts.Add(new Part("", []));
        }
        return literal ? parts : null;
    }

    private static IEnumerable<Part> Interpolated(string text, int start)
    {
        var current = new StringBuilder();
        for (var i = start; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '"') break;
            if (c == '\\') { current.Append(Escape(text[++i])); continue; }
            if (c == '{' && text[i + 1] == '{') { current.Append('{'); i++; continue; }
            if (c == '}' && text[i + 1] == '}') { current.Append('}'); i++; continue; }
            if (c != '{') { current.Append(c); continue; }
            yield return new Part(current.ToString(), null);
            current.Clear();
            var (end, literals, formatted) = Hole(text, i + 1);
            yield return new Part("", formatted ? ["12"] : literals);
            i = end;
        }
        yield return new Part(current.ToString(), null);
    }

    /// <summary>A hole from <paramref name="start"/> to its closing brace: the string literals it holds, and whether it has a format.</summary>
    private static (int End, List<string> Literals, bool Formatted) Hole(string text, int start)
    {
        var depth = 0;
        var literals = new List<string>();
        var formatted = false;
        for (var i = start; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '"') { literals.Add(Literal(text, i + 1, out var end)); i = end; continue; }
            if (c is '(' or '[' or '{') depth++;
            else if (c is ')' or ']') depth--;
            else if (c == '}' && depth-- == 0) return (i, literals, formatted);
            else if (c == ':' && depth == 0) formatted = true;
        }
        throw new FormatException("an interpolation hole is not closed: " + text);
    }

    private static string Literal(string text, int start, out int end)
    {
        var s = new StringBuilder();
        for (end = start; end < text.Length && text[end] != '"'; end++)
            s.Append(text[end] == '\\' ? Escape(text[++end]) : text[end]);
        return s.ToString();
    }

    private static char Escape(char c) => c switch { 'n' => '\n', 't' => '\t', '0' => '\0', _ => c };

    /// <summary>The arguments of a call whose opening parenthesis ends just before <paramref name="start"/>.</summary>
    private static List<string> Arguments(string text, int start)
    {
        var depth = 0;
        for (var i = start; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '"') { SkipString(text, ref i); continue; }
            if (c == '\'') { i += text[i + 1] == '\\' ? 3 : 2; continue; }
            if (c is '(' or '[' or '{') depth++;
            else if (c is ')' or ']' or '}' && depth-- == 0) return SplitTopLevel(text[start..i], ',');
        }
        throw new FormatException("a call is not closed");
    }

    private static void SkipString(string text, ref int i)
    {
        var interpolated = i > 0 && text[i - 1] == '$';
        var holes = 0;
        for (i++; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\\') { i++; continue; }
            if (interpolated && c == '{') { if (text[i + 1] == '{') i++; else holes++; continue; }
            if (interpolated && c == '}') { if (holes > 0) holes--; else i++; continue; }
            if (c == '"' && holes > 0) { SkipString(text, ref i); continue; }
            if (c == '"') return;
        }
    }

    private static List<string> SplitTopLevel(string text, char separator)
    {
        var pieces = new List<string>();
        var (depth, from) = (0, 0);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '"') { SkipString(text, ref i); continue; }
            if (c == '\'') { i += text[i + 1] == '\\' ? 3 : 2; continue; }
            if (c is '(' or '[' or '{') depth++;
            else if (c is ')' or ']' or '}') depth--;
            else if (c == separator && depth == 0) { pieces.Add(text[from..i]); from = i + 1; }
        }
        pieces.Add(text[from..]);
        return pieces;
    }

    /// <summary>Literal text (<see cref="Choices"/> null) or a hole and the values tried in it.</summary>
    private sealed record Part(string Text, List<string>? Choices);

    private sealed record Message(string Where, List<Part> Parts, string[] Hints)
    {
        private static readonly string[] Defaults = ["12", "Word7", "3×4", "in"];

        private List<string[]> Options => [.. Parts.Select(p => p.Choices is null ? new[] { p.Text } : [.. p.Choices, .. Defaults, .. Hints])];

        public string Sample(int index) => Samples().ElementAt(index);

        /// <summary>Every filling of the holes, the first choices first.</summary>
        public IEnumerable<string> Samples()
        {
            var options = Options;
            var chosen = new int[options.Count];
            while (true)
            {
                yield return string.Concat(options.Select((o, i) => o[chosen[i]]));
                var k = options.Count - 1;
                while (k >= 0 && ++chosen[k] == options[k].Length) chosen[k--] = 0;
                if (k < 0) yield break;
            }
        }
    }
}
