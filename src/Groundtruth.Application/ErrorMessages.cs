using System.Globalization;
using System.Resources;
using System.Text.RegularExpressions;
using Groundtruth.Application.Import;

namespace Groundtruth.Application;

/// <summary>
/// The application's error messages (<see cref="GroundtruthException"/>, the risk model's refusals), always written in
/// English — the API's problem details, the CLI's exit messages for scripts and the tests read them — in the reader's
/// language, for the pages and the command line under <c>LANG</c> (docs/decisions/0033). As for the importer's reasons
/// (<see cref="ImportReasons"/>), each known message is a pattern of its English text whose parts (a value, a name, a
/// list, a date) are carried unchanged into the translated sentence (<c>Resources/Messages.resx</c>, keys
/// <c>error.*</c>); a message no pattern knows comes back as it is.
/// </summary>
public static class ErrorMessages
{
    private static readonly ResourceManager Resources = new("Groundtruth.Application.Resources.Messages", typeof(ErrorMessages).Assembly);

    private static Regex P(string pattern) => new(pattern, RegexOptions.CultureInvariant | RegexOptions.Singleline);

    /// <summary>Each message the pages translate: its resource key and the pattern of its English text.</summary>
    public static IReadOnlyList<(string Key, Regex Pattern)> Known { get; } =
    [
        // Risk map and evaluation (RiskDataException, the place and the cell).
        ("error.no_place", P("^no place '(.*)'; places with an area: (.*)$")),
        ("error.place_is_point", P("^place '(.*)' is a point, not an area; places with an area: (.*)$")),
        ("error.no_area_to_map", P(@"^there is no area to map: the database holds no country polygon, finds, accidents, hazardous areas or records \(or in named no area\)$")),
        ("error.no_cell_centre", P("^the area holds no cell centre: choose a smaller cell or a larger area$")),
        ("error.train_all_without", P(@"^cannot train: the (\d+) training cell\(s\) are all without finds$")),
        ("error.train_all_with", P(@"^cannot train: the (\d+) training cell\(s\) are all with finds$")),
        ("error.window_all_without", P(@"^cannot train: the (\d+) processed cell\(s\) in the training window are all without finds$")),
        ("error.window_all_with", P(@"^cannot train: the (\d+) processed cell\(s\) in the training window are all with finds$")),
        ("error.no_find_processed", P(@"^cannot train: no find was made in land processed \(technical survey, clearance, battle area clearance\) between (\S+) and (\S+) inside the area \((\d+) processed cells\)$")),
        ("error.covariate_classes", P(@"^covariate (\S+): (\d+) classes, at most (\d+) \(each class is a layer\)$")),
        ("error.too_many_cells", P(@"^(\d+×\d+) cells is too many; choose a larger cell")),
        ("error.cell_steps", P(@"^cell must be a whole multiple of (\S+) metres from (\S+) to (\S+) \(other sizes: groundtruth risk map\)$")),
        ("error.not_geotiff", P(@"^'(.*)': the map is a GeoTIFF, name it \.tif$")),
        // Shared limits of a number.
        ("error.zero_or_more", P("^must be zero or more$")),
        ("error.positive", P("^must be positive$")),
        ("error.between", P(@"^must be between (\S+) and (\S+)$")),
        ("error.at_least_metre", P("^must be at least 1 metre$")),
        ("error.share", P("^must be a share between 0 and 1$")),
        // Dates and periods.
        ("error.not_date_period", P(@"^'(.*)' is not a date: use YYYY, YYYY-MM or YYYY-MM-DD \(a partial date stands for its whole period\)$")),
        ("error.not_date", P("^'(.*)' is not a date: use YYYY, YYYY-MM or YYYY-MM-DD$")),
        ("error.from_after_to", P(@"^from \((\S+)\) is after to \((\S+)\)$")),
        ("error.after_to", P(@"^(\S+) is after --to \((\S+)\)$")),
        // Reports.
        ("error.not_report", P("^'(.*)' is not a report; use situation or article7$")),
        ("error.not_report_format", P("^'(.*)' is not a format of this report; use (.*)$")),
        ("error.year_required", P("^the reporting year is required$")),
        ("error.not_reporting_year", P(@"^(\S+) is not a reporting year$")),
        ("error.not_report_language", P("^'(.*)' is not a report language; use one of (.*)$")),
        ("error.report_file", P(@"^must be a \.html or \.pdf file, not '(.*)'$")),
        ("error.article7_format", P(@"^unsupported report format '(.*)'; use \.pdf, \.docx, \.html or \.csv$")),
        ("error.no_such_file", P("^(.*): no such file$")),
        ("error.not_image", P("^(.*): not a PNG or JPEG image$")),
        // Importing a file.
        ("error.upload_kind", P(@"^upload a \.csv/\.tsv, \.geojson, \.xlsx, zipped Shapefile \(\.zip\), \.kml, \.kmz, \.gpx or \.gpkg file, a KoboToolbox \(\.xlsx\) or ODK Central \(\.zip\) export, or a form submission \(\.xml\)$")),
        ("error.upload_too_large", P(@"^the file is larger than (\d+) MB; import it with the command line$")),
        ("error.unknown_encoding", P("^unknown encoding '(.*)'; supported: (.*)$")),
        ("error.mapped_twice", P("^two columns are matched to '(.*)': match one and leave the other out$")),
        ("error.personal_data_import", P(@"^(.*) line (\d+) holds casualties' personal data \(name, date_of_birth, injuries\), which only a user granted personal_data may write; (.*) is not\. Nothing was imported: leave the personal columns empty, or ask a user with the grant\.$")),
        // Exporting, the demo, backups.
        ("error.export_format", P(@"^unsupported export format '(.*)'; use \.csv, \.geojson or \.xlsx$")),
        ("error.no_field", P("^(\\S+) has no field '(.*)'; fields: (.*)$")),
        ("error.demo_not_empty", P(@"^(.*) already holds (\S+) records; the demo fills an empty database only \(choose another database\)$")),
        ("error.backup_exists", P(@"^(.*) exists; choose another file \(a backup never overwrites\)$")),
        ("error.changed_while_read", P(@"^(\S+) changed while it was read; try again$")),
        // Deciding a submission.
        ("error.decide_every_casualty", P(@"^decide every record before approving \(new, update or link\); undecided casualties: (.*)$")),
        ("error.decide_every_record", P(@"^decide every record before approving \(new, update or link\); undecided: (.*)$")),
        ("error.national_id_taken", P("^(.*): '(.*)' already exists in (\\S+); choose update or link, or another national id$")),
        ("error.nothing_to_update", P("^(.*): (\\S+) has no record '(.*)' to update$")),
        ("error.nothing_to_link", P("^(.*): (\\S+) has no record '(.*)' to link to$")),
        ("error.reason_rejection", P("^give a reason for the rejection$")),
        ("error.reason_unapproval", P("^give a reason for the unapproval$")),
        ("error.no_submission", P(@"^there is no submission (\d+)$")),
    ];

    /// <summary>The message of <paramref name="error"/> in <paramref name="culture"/> (default: the current UI culture).</summary>
    /// <remarks>A request's error keeps its parameter's name as the use case names it (<c>cell: …</c>); only the reason is translated.</remarks>
    public static string Localise(Exception error, CultureInfo? culture = null) => error switch
    {
        InvalidRequestException e => $"{e.Parameter}: {Localise(e.Reason, culture)}",
        _ => Localise(error.Message, culture),
    };

    /// <summary><paramref name="message"/> in <paramref name="culture"/> (default: the current UI culture); as it is when no pattern knows it.</summary>
    public static string Localise(string message, CultureInfo? culture = null)
    {
        var language = culture ?? CultureInfo.CurrentUICulture;
        if (language.TwoLetterISOLanguageName is "en" or "iv") return message;
        if (ImportReasons.ByPattern(Resources, Known, message, language) is { } whole) return whole;
        // "parameter: reason", as an InvalidRequestException's message reads once it is only text (a computation's failure).
        var colon = message.IndexOf(": ", StringComparison.Ordinal);
        if (colon > 0 && message[..colon].All(c => c is '_' or (>= 'a' and <= 'z')))
        {
            var reason = message[(colon + 2)..];
            if (ImportReasons.ByPattern(Resources, Known, reason, language) is { } translated) return $"{message[..colon]}: {translated}";
        }
        return message;
    }
}
