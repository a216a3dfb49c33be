using System.CommandLine;
using Groundtruth.Application;
using Groundtruth.Domain;

namespace Groundtruth.Cli.Commands;

/// <summary><c>--from</c> and <c>--to</c>: an inclusive window of ISO dates, which may be partial (<c>--from 2006</c> is 1 January 2006, <c>--to 2006</c> is 31 December).</summary>
internal sealed class WindowOptions
{
    public Option<string?> From { get; } = new("--from") { Description = "start of the window, inclusive: YYYY, YYYY-MM or YYYY-MM-DD" };
    public Option<string?> To { get; } = new("--to") { Description = "end of the window, inclusive: YYYY, YYYY-MM or YYYY-MM-DD" };

    public void AddTo(Command command)
    {
        command.Options.Add(From);
        command.Options.Add(To);
    }

    /// <exception cref="ArgumentException">A date is not a date, or the window is reversed.</exception>
    public (DateOnly? From, DateOnly? To) Parse(ParseResult parse)
    {
        var from = Date(parse.GetValue(From), "--from")?.Start;
        var to = Date(parse.GetValue(To), "--to")?.End;
        if (from > to) throw new InvalidRequestException("from", $"{from:yyyy-MM-dd} is after --to ({to:yyyy-MM-dd})");
        return (from, to);
    }

    private static PartialDate? Date(string? text, string name)
    {
        if (text is null) return null;
        return PartialDate.TryParse(text, out var d) ? d : throw new InvalidRequestException(name.TrimStart('-').Replace('-', '_'), $"'{text}' is not a date: use YYYY, YYYY-MM or YYYY-MM-DD");
    }
}
