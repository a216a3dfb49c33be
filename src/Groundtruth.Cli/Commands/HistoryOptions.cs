using System.CommandLine;
using System.Globalization;
using Groundtruth.Application;
using Groundtruth.Application.History;
using Groundtruth.Domain;

namespace Groundtruth.Cli.Commands;

/// <summary><c>--as-of DATE</c> (date of information) and <c>--recorded-before TIME</c> (what the database held then).</summary>
internal sealed class HistoryOptions
{
    public Option<string?> AsOf { get; } = new("--as-of") { Description = "answer with what was true by this date of information (YYYY, YYYY-MM or YYYY-MM-DD: the end of that period)" };
    public Option<string?> RecordedBefore { get; } = new("--recorded-before") { Description = "answer with what the database held before this time (ISO 8601, UTC unless it has an offset), to reproduce a published figure" };

    public void AddTo(Command command)
    {
        command.Options.Add(AsOf);
        command.Options.Add(RecordedBefore);
    }

    /// <exception cref="ArgumentException">A date or time is not one.</exception>
    public HistoryPoint Parse(ParseResult parse)
    {
        DateOnly? asOf = null;
        if (parse.GetValue(AsOf) is { } a)
            asOf = PartialDate.TryParse(a, out var d) ? d.End : throw new InvalidRequestException("as_of", $"'{a}' is not a date: use YYYY, YYYY-MM or YYYY-MM-DD");
        DateTime? before = null;
        if (parse.GetValue(RecordedBefore) is { } r)
        {
            if (!DateTimeOffset.TryParse(r, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t))
                throw new InvalidRequestException("recorded_before", $"'{r}' is not a time: use ISO 8601, e.g. 2026-03-01T12:00:00Z");
            before = t.UtcDateTime;
        }
        return new HistoryPoint(asOf, before);
    }
}
