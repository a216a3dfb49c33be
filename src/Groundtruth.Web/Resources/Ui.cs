using System.Collections;
using System.Globalization;
using System.Resources;

namespace Groundtruth.Web.Resources;

/// <summary>
/// The web application's own words (layout, navigation, pages; Ui.resx and its translations) in the request's
/// language (<see cref="CultureInfo.CurrentUICulture"/>, set by <see cref="Setup.LanguageSetup"/>). Datasets, fields
/// and values come from the label catalogue, <see cref="Application.Resources.Labels"/>.
/// </summary>
public static class Ui
{
    private static readonly ResourceManager Resources = new("Groundtruth.Web.Resources.Ui", typeof(Ui).Assembly);

    /// <summary>The text of <paramref name="key"/>; the key itself when there is none (a test keeps every key translated).</summary>
    public static string T(string key) => Resources.GetString(key, CultureInfo.CurrentUICulture) ?? key;

    /// <summary>The text of <paramref name="key"/> with its <c>{0}</c>… filled in, numbers in the culture's format.</summary>
    public static string T(string key, params object?[] args) => string.Format(CultureInfo.CurrentCulture, T(key), args);

    /// <summary>The request's language as <c>&lt;html lang&gt;</c> takes it: <c>ar</c>, <c>uk</c>.</summary>
    public static string Language => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName is { Length: 2 } l && l != "iv" ? l : "en";

    /// <summary><c>rtl</c> for a language written right to left (Arabic), else <c>ltr</c>.</summary>
    public static string Direction => CultureInfo.CurrentUICulture.TextInfo.IsRightToLeft ? "rtl" : "ltr";

    /// <summary>
    /// A moment (UTC) as "7 Dec 2026 16:24 UTC": day, the month's short name in the request's language, year, a 24-hour
    /// time, always in the Gregorian calendar. Not the culture's short pattern, whose English is the US month/day order.
    /// </summary>
    public static string When(DateTime utc) => utc.ToString("d MMM yyyy HH:mm", Dates) + " UTC";

    /// <summary>A day as "7 Dec 2026", the month's short name in the request's language, always in the Gregorian calendar.</summary>
    public static string Day(DateOnly day) => day.ToString("d MMM yyyy", Dates);

    /// <summary>A number in the request's culture with a .NET format (<c>0.000</c>, <c>#,0.###</c>).</summary>
    public static string Number(double value, string format) => Groundtruth.Analysis.Risk.SignedNumber.Format(value, format, CultureInfo.CurrentCulture);

    /// <summary>The request's culture, its calendar made Gregorian where the culture's default is another.</summary>
    private static CultureInfo Dates
    {
        get
        {
            var culture = CultureInfo.CurrentCulture;
            if (culture.DateTimeFormat.Calendar is GregorianCalendar) return culture;
            var gregorian = (CultureInfo)culture.Clone();
            gregorian.DateTimeFormat.Calendar = new GregorianCalendar();
            return gregorian;
        }
    }

    /// <summary>The text of <paramref name="key"/> when the resources have one, else null (for words looked up by a stored name).</summary>
    public static string? Find(string key) => Resources.GetString(key, CultureInfo.CurrentUICulture);

    /// <summary>Every key starting with <paramref name="prefix"/> (without it) in the request's language, for the pages' scripts.</summary>
    public static IReadOnlyDictionary<string, string> Starting(string prefix) =>
        Resources.GetResourceSet(CultureInfo.InvariantCulture, createIfNotExists: true, tryParents: true)!
            .Cast<DictionaryEntry>().Select(e => (string)e.Key)
            .Where(k => k.StartsWith(prefix, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToDictionary(k => k[prefix.Length..], T, StringComparer.Ordinal);
}
