using System.Globalization;
using System.Resources;

namespace Groundtruth.Application.Reports;

/// <summary>
/// The words of the reports in one language (resources <c>Resources/Reports.*.resx</c>), with dates and numbers
/// in that culture's format. Dates are always Gregorian (Arabic cultures default to other calendars).
/// </summary>
public sealed class ReportText
{
    private static readonly ResourceManager Resources = new("Groundtruth.Application.Resources.Reports", typeof(ReportText).Assembly);

    /// <summary>The languages the reports are written in.</summary>
    public static IReadOnlyList<string> Languages { get; } = ["en", "fr", "es", "pt", "ar", "uk", "ru"];

    public static ReportText English { get; } = new(CultureInfo.GetCultureInfo("en"));

    public CultureInfo Culture { get; }

    /// <summary>Arabic is written right to left: the PDF mirrors its layout and shapes its text.</summary>
    public bool RightToLeft => Culture.TextInfo.IsRightToLeft;

    private readonly CultureInfo _dates;

    private ReportText(CultureInfo culture)
    {
        Culture = culture;
        var dates = (CultureInfo)culture.Clone();
        if (dates.DateTimeFormat.Calendar is not GregorianCalendar)
            dates.DateTimeFormat.Calendar = new GregorianCalendar();
        _dates = dates;
    }

    /// <summary>The text for a language code (<c>en</c>, <c>fr</c>, …; null: English).</summary>
    /// <exception cref="InvalidRequestException">The language is not one of <see cref="Languages"/>.</exception>
    public static ReportText For(string? language)
    {
        if (string.IsNullOrWhiteSpace(language)) return English;
        var code = language.Trim().ToLowerInvariant();
        if (!Languages.Contains(code))
            throw new InvalidRequestException("language", $"'{language}' is not a report language; use one of {string.Join(", ", Languages)}");
        return new ReportText(CultureInfo.GetCultureInfo(code));
    }

    public string this[string key] =>
        Resources.GetString(key, Culture) ?? throw new InvalidOperationException($"report text '{key}' is missing");

    public string Format(string key, params object?[] args) => string.Format(Culture, this[key], args);

    /// <summary>A count in the culture's format; a suppressed small cell (null) as "&lt;N".</summary>
    public string Count(long? value) => value is { } v ? v.ToString("N0", Culture) : $"<{Groundtruth.Analysis.Statistics.StatsEngine.SmallCell}";

    public string Number(double value) => value.ToString("N0", Culture);

    public string Percent(double share) => (share * 100).ToString("F1", Culture) + "\u00a0%";

    /// <summary>A day in words: "1 January 2024", "1 janvier 2024", "1 января 2024".</summary>
    public string Date(DateOnly date) => date.ToString(Culture.TwoLetterISOLanguageName is "es" or "pt" ? "d 'de' MMMM 'de' yyyy" : "d MMMM yyyy", _dates);

    /// <summary>The period in words; "all records" when open at both ends.</summary>
    public string Period(DateOnly? from, DateOnly? to) => (from, to) switch
    {
        ({ } f, { } t) => Format("PeriodFromTo", Date(f), Date(t)),
        ({ } f, null) => Format("PeriodFrom", Date(f)),
        (null, { } t) => Format("PeriodUntil", Date(t)),
        _ => this["PeriodAll"],
    };
}
