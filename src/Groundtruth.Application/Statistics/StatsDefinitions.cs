using System.Globalization;
using System.Resources;
using Groundtruth.Analysis.Statistics;
using Groundtruth.Application.Datasets;
using Groundtruth.Application.Resources;

namespace Groundtruth.Application.Statistics;

/// <summary>The definition of a figure in words, printed under the table and carried in the JSON's <c>definition</c>.</summary>
/// <remarks>
/// Casualty figures follow the Landmine Monitor conventions (DESIGN section 3); docs/statistics.md is the reference.
/// The sentences are in <c>Resources/Messages.resx</c> (keys <c>definition.*</c>) and its translations: the JSON and the
/// command line carry the English (invariant culture), the pages the reader's language
/// (<see cref="Describe(StatsReport, CultureInfo)"/>, fields and values in the catalogue's words, dates in the culture's format).
/// </remarks>
public static class StatsDefinitions
{
    private static readonly ResourceManager Resources = new("Groundtruth.Application.Resources.Messages", typeof(StatsDefinitions).Assembly);

    /// <summary>
    /// The definition in <paramref name="culture"/>'s language. In English (and the invariant culture, what the API and the
    /// CLI write): field names and values as stored, dates as ISO 8601.
    /// </summary>
    public static string Describe(StatsReport report, CultureInfo culture)
    {
        var words = new Words(culture, report.Dataset);
        var d = report.Dataset;
        var unit = report.CountsDevices ? words.T("definition.devices") : words.DatasetName();
        var sentences = new List<string>
        {
            words.T(d == DatasetCatalog.Casualties ? "definition.casualties" : d == DatasetCatalog.Finds ? "definition.finds" : "definition.accidents"),
            words.T(report.IncludesPending ? "definition.pending" : "definition.approved_only"),
        };
        if (report.From is not null || report.To is not null)
            sentences.Add(words.F("definition.window", words.Field(StatsFields.DateField(d)), Window(report.From, report.To, culture)));
        foreach (var w in report.Where)
        {
            sentences.Add(w.Value == StatsColumn.Unknown
                ? words.F("definition.where_unknown", words.Field(w.Field), words.Value(w.Field, w.Value))
                : words.F("definition.where", words.Field(w.Field), words.Value(w.Field, w.Value), words.Figure(w.UnknownLeftOut), unit));
        }
        if (report.In is { } place)
            sentences.Add(words.F("definition.in", place.Name, place.Id, words.PlaceKind(place.Kind)));
        if (report.By.Count > 0)
        {
            var fields = string.Join($" {words.T("definition.and")} ", report.By.Select(words.Field));
            sentences.Add(words.F("definition.grouped", fields));
            sentences.Add(words.F(report.By.Count > 1 ? "definition.share_many" : "definition.share_one", unit, fields));
            if (report.By.Contains("place")) sentences.Add(words.T("definition.place"));
            if (report.By.Contains("month")) sentences.Add(words.T("definition.month"));
        }
        if (d == DatasetCatalog.Casualties && (report.By.Contains("age_group") || report.Where.Any(w => w.Field == "age_group")))
            sentences.Add(words.T("definition.child"));
        if (d == DatasetCatalog.Casualties && (report.By.Contains("status") || report.Where.Any(w => w.Field == "status")))
            sentences.Add(words.T("definition.deminers"));
        if (report.Figures.SmallCellsSuppressed)
            sentences.Add(words.F("definition.viewer", StatsEngine.SmallCell - 1));
        return string.Join(' ', sentences);
    }

    /// <summary>The period in <paramref name="culture"/>'s language, dates in its short format; in English with ISO dates ("within 2024-01-01 to 2024-12-31 (both inclusive)").</summary>
    public static string Window(DateOnly? from, DateOnly? to, CultureInfo culture)
    {
        var words = new Words(culture, null);
        return (from, to) switch
        {
            ({ } f, { } t) => words.F("definition.window_from_to", words.Date(f), words.Date(t)),
            ({ } f, null) => words.F("definition.window_from", words.Date(f)),
            (null, { } t) => words.F("definition.window_to", words.Date(t)),
            _ => words.T("definition.window_any"),
        };
    }

    /// <summary>The words of one language: English keeps the stored spellings and ISO dates; the others the catalogue's words.</summary>
    private sealed class Words(CultureInfo culture, DatasetSpec? dataset)
    {
        private readonly bool _english = culture.TwoLetterISOLanguageName is "en" or "iv";
        private readonly CultureInfo _format = culture.TwoLetterISOLanguageName is "en" or "iv" ? CultureInfo.InvariantCulture : Gregorian(culture);

        public string T(string key) => Resources.GetString(key, culture) ?? throw new InvalidOperationException($"definition text '{key}' is missing");

        public string F(string key, params object?[] args) => string.Format(_format, T(key), args);

        /// <summary>What a count of records is counted in: the dataset's name in English ("accidents"), "records" in the other languages.</summary>
        public string DatasetName() => _english ? dataset?.Name ?? "" : T("definition.unit_records");

        public string Field(string field) =>
            _english ? field : dataset is not null && dataset.Field(field) is not null ? Labels.Field(dataset, field, culture) : Labels.Field(field, culture);

        public string Value(string field, string value) =>
            _english || value == StatsColumn.Unknown ? value : dataset?.Field(field) is { } spec ? Labels.Show(spec, value, culture) : value;

        public string PlaceKind(string kind) => _english ? kind : Labels.Value(typeof(Domain.PlaceKind), kind, culture);

        public string Figure(long? value) => value?.ToString(_english ? "0" : "N0", _format) ?? F("definition.fewer_than", StatsEngine.SmallCell);

        public string Date(DateOnly date) => _english ? date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : date.ToString("d", _format);

        private static CultureInfo Gregorian(CultureInfo culture)
        {
            if (culture.DateTimeFormat.Calendar is GregorianCalendar) return culture;
            var clone = (CultureInfo)culture.Clone();
            clone.DateTimeFormat.Calendar = new GregorianCalendar();
            return clone;
        }
    }
}
