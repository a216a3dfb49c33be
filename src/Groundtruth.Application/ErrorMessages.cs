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

    /// <summary>
    /// A message the pages translate: its resource key, the pattern of its English text and the groups that are themselves
    /// the application's words (what a role may not do, a submission's state, a reason inside a reason), translated in
    /// turn through <see cref="Known"/>; every other group is a value as typed and carried over unchanged.
    /// </summary>
    public sealed record Pattern(string Key, Regex English, params int[] Translated)
    {
        public static implicit operator Pattern((string Key, Regex English) entry) => new(entry.Key, entry.English);

        public void Deconstruct(out string key, out Regex english) => (key, english) = (Key, English);
    }

    /// <summary>Each message the pages translate, the first that reads a message wins.</summary>
    public static IReadOnlyList<Pattern> Known { get; } =
    [
        // Risk map and evaluation (RiskDataException, the place and the cell).
        ("error.no_place", P("^no place '(.*)'; places with an area: (.*)$")),
        ("error.place_is_point", P("^place '(.*)' is a point, not an area; places with an area: (.*)$")),
        ("error.no_area_to_map", P(@"^there is no area to map: the database holds no country polygon, finds, accidents, hazardous areas or records \(at the date asked for, if one was\), or the place given has no area$")),
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
        // A role refusal (Access.Require) and each thing a role may be refused.
        new("error.not_allowed_no_role", P(@"^(.*) is not allowed for (.*) \(no role\)$"), 1),
        new("error.not_allowed", P(@"^(.*) is not allowed for (.*) \((\S+)\)$"), 1),
        ("error.what.approving", P(@"^approving a submission$")),
        ("error.what.rejecting", P(@"^rejecting a submission$")),
        ("error.what.unapproving", P(@"^unapproving a submission$")),
        ("error.what.reading_submissions", P(@"^reading submissions$")),
        ("error.what.counting_waiting", P(@"^counting submissions waiting for a decision$")),
        ("error.what.producing_reports", P(@"^producing reports$")),
        ("error.what.verdicts", P(@"^the verdicts of minefield records$")),
        ("error.what.reading_registers", P(@"^reading the registers$")),
        ("error.what.reading_audit", P(@"^reading the audit log$")),
        ("error.what.counting_pending", P(@"^counting pending submissions$")),
        ("error.what.risk_map", P(@"^the risk map$")),
        ("error.what.priorities", P(@"^the clearance priorities$")),
        ("error.what.exporting_casualties", P(@"^exporting casualties$")),
        ("error.what.exporting_personal", P(@"^exporting personal data$")),
        ("error.what.reading_pending_records", P(@"^reading records of pending submissions$")),
        ("error.what.reading_casualties", P(@"^reading casualty records$")),
        // A submission in the wrong state for a decision, and the states.
        new("error.submission_state_approve", P(@"^submission (\d+) is (\S+); only a (\S+) submission can be approved$"), 2, 3),
        new("error.submission_state_reject", P(@"^submission (\d+) is (\S+); only a (\S+) submission can be rejected$"), 2, 3),
        new("error.submission_state_unapprove", P(@"^submission (\d+) is (\S+); only a (\S+) submission can be unapproved$"), 2, 3),
        ("error.state.draft", P(@"^draft$")),
        ("error.state.submitted", P(@"^submitted$")),
        ("error.state.approved", P(@"^approved$")),
        ("error.state.rejected", P(@"^rejected$")),
        // The database not ready.
        ("error.database_missing", P(@"^(.*) does not exist; create it with 'groundtruth init' \(or 'groundtruth demo'\)$")),
        ("error.cannot_open_database", P(@"^cannot open the database: (.*)$")),
        ("error.schema_not_current", P(@"^the database schema is not current \((\d+) migration\(s\) pending\); run 'groundtruth init' to create or upgrade it$")),
        ("error.not_groundtruth_database", P(@"^(.*) is not a Groundtruth database \(it has tables but no Groundtruth schema\); choose another database$")),
        ("error.not_sqlite", P(@"^(.*) is not a SQLite/GeoPackage file: (.*)$")),
        // Entering, finding and reading records; users.
        ("error.not_searchable", P(@"^(\S+) cannot be searched; searchable: (.*)$")),
        ("error.not_entered", P(@"^(\S+) is not entered record by record; upload a file \(datasets entered: (.*)\)$")),
        ("error.no_field_form", P(@"^no field form for (\S+); forms exist for: (.*)$")),
        ("error.not_field_value", P(@"^'(.*)' is not FIELD=VALUE$")),
        ("error.no_record", P(@"^(\S+) has no record '(.*)'$")),
        ("error.not_dataset", P(@"^'(.*)' is not a dataset; datasets: (.*)$")),
        ("error.no_sort_field", P(@"^(\S+) has no field '(.*)' to sort by$")),
        ("error.ids_taken", P(@"^(\S+): id\(s\) already taken: (.*); nothing was written$")),
        ("error.give_role", P(@"^give at least one role: (.*)$")),
        ("error.unknown_role", P(@"^unknown role '(.*)'; roles: (.*)$")),
        // The statistics: what to count, where, by, in.
        ("error.stats_dataset", P(@"^stats counts (.*); not '(.*)'$")),
        ("error.where_not_field_value", P(@"^where '(.*)' is not FIELD=VALUE; fields of (\S+): (.*)$")),
        ("error.unknown_field", P(@"^unknown field '(.*)' for (\S+); valid fields: (.*)$")),
        ("error.where_no_value", P(@"^where (\S+)= has no value; use (\S+)=unknown to select records where it is not known$")),
        ("error.by_twice", P(@"^by names (\S+) twice$")),
        ("error.not_enum_value", P(@"^not a value of (\S+); valid: (.*)$")),
        ("error.true_false_unknown", P(@"^valid: true, false, unknown$")),
        ("error.not_number", P(@"^not a number$")),
        ("error.not_whole_number", P(@"^not a whole number$")),
        ("error.lies_between", P(@"^(\S+) lies between (\S+) and (\S+)$")),
        ("error.not_date_use", P(@"^not a date: use YYYY, YYYY-MM or YYYY-MM-DD$")),
        ("error.year_is", P(@"^a year is YYYY$")),
        ("error.month_is", P(@"^a month is YYYY-MM$")),
        new("error.no_record_has", P(@"^no record has this (\S+); valid: (.*)$"), 2),
        ("error.place_ambiguous", P(@"^(in|where place=) '(.*)' is ambiguous: (.*); give the id$")),
        ("error.no_gazetteer", P(@"^(in|where place=) '(.*)': the gazetteer holds no place with a boundary polygon; import places first$")),
        new("error.no_place_polygon_similar", P(@"^(in|where place=) '(.*)' names no place with a boundary polygon \(points such as villages cannot contain records\); did you mean: (.*)$"), 3),
        new("error.no_place_polygon", P(@"^(in|where place=) '(.*)' names no place with a boundary polygon \(points such as villages cannot contain records\); places: (.*)$"), 3),
        // A where refusal around its reason: after the specific ones.
        new("error.where_value", P(@"^where ([^=\s]+)=(.*?): (.+)$"), 3),
        // Backup and restore.
        ("error.restore_gpkg_to_pg", P(@"^(.*) is a GeoPackage backup; restore it to a \.gpkg file, not to PostgreSQL$")),
        ("error.restore_pg_to_gpkg", P(@"^(.*) is a PostgreSQL dump; restore it to a PostgreSQL database \('Host=…;Database=…'\)$")),
        ("error.not_a_backup", P(@"^(.*) is neither a GeoPackage backup nor a pg_dump archive \(-Fc\)$")),
        ("error.backup_same_file", P(@"^the backup and the target are the same file$")),
        ("error.restore_file_not_empty", P(@"^(.*) is not empty; restore to a new file, or add --force to replace it$")),
        ("error.restore_database_not_empty", P(@"^database (\S+) is not empty; restore to a new database, or add --force to replace it$")),
        ("error.sqlite_not_groundtruth", P(@"^(.*) is a SQLite file but not a Groundtruth database$")),
        ("error.no_database_name", P(@"^the PostgreSQL connection string names no Database$")),
        ("error.integrity_restored", P(@"^the restored database failed SQLite's integrity check: (.*)$")),
        ("error.integrity_copy", P(@"^the copy failed SQLite's integrity check: (.*)$")),
        ("error.tool_missing", P(@"^(\S+) is not on PATH; install PostgreSQL's client tools of the server's major version or newer \(Debian: apt-get install postgresql-client-15\) and try again$")),
        ("error.tool_failed", P(@"^(\S+) failed \(exit (\d+)\): (.*)$")),
        // The personal-data key.
        ("error.key_invalid", P(@"^the personal-data key \((.*)\) must be 32 bytes in base64: (.*)$")),
        ("error.key_needed_export", P(@"^exporting personal data needs the key: set GROUNDTRUTH_PERSONAL_DATA_KEY or GROUNDTRUTH_KEY_FILE$")),
        ("error.only_casualties_personal", P(@"^only casualties have personal data$")),
        ("error.personal_not_in_history", P(@"^personal data is not kept in history; export it without as_of/recorded_before$")),
        // The priorities' weights file.
        ("error.no_file_named", P(@"^no file '(.*)'$")),
        ("error.weights_empty", P(@"^(.*): empty weights file$")),
        ("error.weights_unknown_field", P(@"^(.*): unknown field '(.*)'; the fields are (.*); see docs/risk\.md$")),
        ("error.weights_invalid", P(@"^(.*): not a valid weights file \((.*)\); see docs/risk\.md$")),
        new("error.weights_refused", P(@"^(.*): (.*); see docs/risk\.md$"), 2),
        ("error.weights_not_negative", P(@"^priority weights and distances must be zero or more$")),
        ("error.weights_one_positive", P(@"^at least one priority weight must be positive$")),
        ("error.weights_risk_cell", P(@"^risk_cell_m must be at least 1 metre$")),
        // Covariate layers and their GeoTIFFs.
        ("error.layer_name", P(@"^'(.*)': a layer name is lower-case letters, digits and _ \(starting with a letter, at most 40\)$")),
        ("error.layer_built_in", P(@"^'(.*)' is a built-in layer \((.*)\)$")),
        ("error.layer_exists", P(@"^a layer '(.*)' exists already; 'groundtruth layers remove (.*)' first$")),
        ("error.layer_outside", P(@"^(.*): the raster \(longitude (\S+) to (\S+), latitude (\S+) to (\S+)\) lies outside the programme's extent \(longitude (\S+) to (\S+), latitude (\S+) to (\S+)\)$")),
        ("error.no_layer_none", P(@"^no covariate layer '(.*)'; layers: none$")),
        ("error.no_layer", P(@"^no covariate layer '(.*)'; layers: (.*)$")),
        ("error.layer_kind", P(@"^'(.*)': continuous or categorical$")),
        ("error.layer_classes", P(@"^(.*): (\d+) classes in a categorical raster, at most (\d+) \(each class is a layer of the model\); is it continuous\?$")),
        ("error.layer_not_whole", P(@"^(.*): a categorical layer needs whole-number class codes, but the raster holds (\S+); is it continuous \(--kind continuous\)\?$")),
        ("error.layer_large_code", P(@"^(.*): the class code (\S+) cannot be kept apart from its neighbours \(beyond 16777216 a layer's values are 32-bit floats, which skip whole numbers\); renumber the classes \(gdal_calc\.py or a reclassification in QGIS\)$")),
        ("error.layer_bands", P(@"^(.*): the raster has (\d+) bands, a layer needs exactly one; extract the band you mean first \(gdal_translate -b 1\)$")),
        ("error.layer_no_value", P(@"^(.*): every cell is nodata; a layer needs at least one cell with a value$")),
        ("error.layer_directory", P(@"^'(.*)' is a directory, not a file$")),
        ("error.tiff_not_tiff", P(@"^(.*): not a TIFF file \(a GeoTIFF is expected\)$")),
        ("error.tiff_empty", P(@"^(.*): the image has no rows or columns$")),
        ("error.tiff_too_large", P(@"^(.*): (\d+×\d+) cells is more than the 200 million a covariate may hold; resample it first \(gdalwarp -tr\)$")),
        ("error.tiff_samples", P(@"^(.*): (\d+)-bit (\S+) samples are not supported \(8, 16, 32 or 64-bit integers, 32 or 64-bit floats\)$")),
        ("error.tiff_rotated", P(@"^(.*): the raster is rotated or sheared \(ModelTransformation\); warp it north-up first \(gdalwarp\)$")),
        ("error.tiff_no_georeference", P(@"^(.*): no georeferencing \(ModelPixelScale and ModelTiepoint\): a plain TIFF is not a GeoTIFF$")),
        ("error.tiff_cell_size", P(@"^(.*): the cell size is not positive$")),
        ("error.tiff_no_crs", P(@"^(.*): no coordinate reference system \(no EPSG code in its GeoTIFF keys\); assign one, e\.g\. gdal_edit\.py -a_srs EPSG:4326$")),
        new("error.tiff_crs_unsupported", P(@"^(.*): EPSG:(\d+) is not supported; supported: (.*) \(reproject with gdalwarp -t_srs\)$"), 3),
        ("error.tiff_tile", P(@"^(.*): tile at column (\d+), row (\d+) cannot be read$")),
        ("error.tiff_row", P(@"^(.*): row (\d+) cannot be read$")),
        ("error.tiff_decode", P(@"^(.*): the image data cannot be decoded: (.*)$")),
        // Reference systems (a file's or a mapping's crs).
        ("error.systems_supported", P(@"^EPSG:4326 \(WGS84 longitude/latitude\), EPSG:32601-32660 and EPSG:32701-32760 \(WGS84 / UTM zones north and south\), EPSG:3857 \(web mercator\)$")),
        new("error.crs_unsupported", P(@"^unsupported reference system '(.*)'; give one of (.*), or the system as WKT \(the text of a \.prj file\)$"), 2),
        ("error.wkt2", P(@"^WKT 2 is not read; give the system as WKT 1 \(PROJCS\[\.\.\.\] or GEOGCS\[\.\.\.\], as in a \.prj file\)$")),
        new("error.wkt_unreadable", P(@"^the reference system's WKT cannot be read: (.*)$"), 1),
        ("error.wkt_closing_bracket", P(@"^a closing bracket with no opening one at character (\d+)$")),
        ("error.wkt_quote", P(@"^a quoted name is not closed$")),
        ("error.wkt_bracket_open", P(@"^a bracket is not closed \(the text ends too early\)$")),
        ("error.wkt_trailing", P(@"^text after the end of the system at character (\d+)$")),
        ("error.wkt_not_system", P(@"^the WKT is not a coordinate system \(PROJCS\[\.\.\.\] or GEOGCS\[\.\.\.\] expected\)$")),
        ("error.wkt_kind", P(@"^the WKT describes a (\S+); a projected \(PROJCS\) or geographic \(GEOGCS\) system is expected$")),
        ("error.prj_missing", P(@"^the \.prj file '(.*)' does not exist$")),
        // The risk model's and the record accuracy's options; the command line's own refusals.
        ("error.split_or_blocks", P(@"^give a split date or a number of spatial blocks \(one of the two\)$")),
        ("error.split_after_as_of", P(@"^(\S+) is after the date the data is read as of \((\S+)\): there is nothing later to test the model on$")),
        ("error.split_after_data", P(@"^(\S+) is after the last date in the data \((\S+)\): there is nothing later to test the model on$")),
        ("error.between_automatic", P(@"^must be between (\S+) \(automatic\) and (\S+)$")),
        ("error.zero_or_metres", P(@"^must be zero \(no cap\) or a positive number of metres$")),
        ("error.zero_or_more_metres", P(@"^must be zero or more metres$")),
        ("error.is_after_to", P(@"^is after to$")),
        ("error.no_source", P(@"^no minefield record has source '(.*)'; sources: (.*)$")),
        ("error.no_uncertainty", P(@"^(\d+) point or line record\(s\) have no stated positional uncertainty and so no area: give a buffer in metres \(buffer > 0\)\. Records: (.*)$")),
        ("error.demo_personal_data", P(@"^goes with --out; into a database the demo adds personal data whenever a key is available \(a GeoPackage gets <database>\.key\)$")),
        ("error.serve_db_with_demo", P(@"^cannot be given with --demo, which serves a database of its own$")),
        ("error.draft_exists", P(@"^(.*) exists: give a new path \(a mapping you edited is not overwritten\)$")),
        ("error.not_time", P(@"^'(.*)' is not a time: use ISO 8601, e\.g\. (\S+)$")),
        // A file the importer cannot read (ImportReasons asks these when no reason.* pattern reads a reason).
        ("error.file.unsupported_type", P(@"^unsupported file type '(.*)'; use \.csv or \.tsv \(lon/lat or wkt columns\), \.geojson, \.xlsx, a field-form export \(\.xlsx, \.zip\), a form submission \(\.xml\), a Shapefile \(\.shp or \.zip\), \.kml, \.kmz, \.gpx or \.gpkg$")),
        ("error.file.missing_or_folder", P(@"^the file or folder does not exist$")),
        ("error.file.empty", P(@"^the file is empty: a header line is expected$")),
        ("error.file.column_twice", P(@"^the column appears twice in the header$")),
        ("error.file.value_without_header", P(@"^a value in a column without a header$")),
        ("error.file.unknown_encoding", P(@"^not an encoding this importer knows \(UTF-8, 1252, ISO-8859-1, …\)$")),
        ("error.file.bom_mismatch", P(@"^the file starts with a (\S+) byte order mark but the mapping states the encoding '(.*)'$")),
        ("error.file.bytes_invalid", P(@"^bytes (.*) are not valid (\S+); state the file's ""encoding"" in the mapping \(e\.g\. windows-1252\) or save it as UTF-8$")),
        ("error.file.nul", P(@"^a NUL character: the file is not (\S+) text \(UTF-16 without a byte order mark\? state its ""encoding""\)$")),
        ("error.file.byte_1252", P(@"^byte ([0-9A-F]+) is not defined in windows-1252; state the file's ""encoding"" in the mapping$")),
        ("error.file.not_utf8_geojson", P(@"^not UTF-8 text: GeoJSON is UTF-8 \(RFC 8259 section 8\.1\); save the file as UTF-8$")),
        ("error.file.not_json", P(@"^not valid JSON: (.*)$")),
        ("error.file.not_xml", P(@"^not well-formed XML: (.*)$")),
        ("error.file.not_zip", P(@"^not a readable zip file: (.*)$")),
        ("error.file.not_zip_archive", P(@"^not a readable \.zip archive: (.*)$")),
        ("error.file.zip_entry", P(@"^this entry of the \.zip archive cannot be read: (.*)$")),
        ("error.file.mapping_invalid", P(@"^not a valid mapping file: (.*)$")),
        ("error.file.xlsx_damaged", P(@"^a damaged Excel workbook \(\.xlsx\): (.*)$")),
        ("error.file.not_xlsx", P(@"^not an Excel workbook \(\.xlsx\): the file cannot be opened as one$")),
        ("error.file.no_sheet", P(@"^the workbook has no sheet$")),
        ("error.file.no_sheet_named", P(@"^the workbook has no sheet '(.*)'; its sheets: (.*)$")),
        ("error.file.geojson_object", P(@"^a GeoJSON FeatureCollection object is expected$")),
        ("error.file.geojson_type", P(@"^a FeatureCollection is expected, not a (.*)$")),
        ("error.file.geojson_no_features", P(@"^the FeatureCollection has no 'features' array$")),
        ("error.file.geojson_features_array", P(@"^'features' must be an array$")),
        ("error.file.geojson_feature_object", P(@"^a feature must be an object$")),
        ("error.file.geojson_crs", P(@"^GeoJSON 'crs' members are not read \(RFC 7946 coordinates are WGS84\); remove it and pass --crs instead$")),
        ("error.file.geojson_id_kind", P(@"^the feature's id must be a string or a number \(RFC 7946 section 3\.2\), not a list or an object$")),
        ("error.file.id_kind", P(@"^an id must be a string or a number, not a list or an object$")),
        ("error.file.properties_case", P(@"^the properties '(.*)' and '(.*)' differ only in case; rename or remove one$")),
        ("error.file.id_disagree", P(@"^the feature's id '(.*)' and its property '(.*)' disagree; keep one$")),
        ("error.file.geojson_geometry", P(@"^unreadable GeoJSON geometry: (.*)$")),
        ("error.file.shapefile_parts", P(@"^a Shapefile is several files: upload the \.shp, \.dbf, \.prj \(and \.cpg\) together in one \.zip$")),
        ("error.file.dbf_missing", P(@"^the attribute table '(.*)' is missing beside the \.shp; a Shapefile needs its \.dbf$")),
        ("error.file.dbf_missing_zip", P(@"^the attribute table '(.*)' is missing from the archive; a Shapefile needs its \.dbf$")),
        ("error.file.layer_not_shapefile", P(@"^the mapping's layer '(.*)' is not a Shapefile in the archive; it holds: (.*)$")),
        ("error.file.several_shapefiles", P(@"^the archive holds (\d+) Shapefiles \((.*)\); choose one with the mapping's \""layer\""$")),
        ("error.file.not_shapefile", P(@"^not a readable Shapefile: (.*)$")),
        ("error.file.record_unreadable", P(@"^the record cannot be read: (.*)$")),
        new("error.file.prj_crs", P(@"^(.*); give the system with --crs or the mapping's ""crs""$"), 1),
        ("error.file.not_geopackage", P(@"^not a readable GeoPackage: (.*)$")),
        ("error.file.gpkg_geometry", P(@"^not a readable GeoPackage geometry: (.*)$")),
        ("error.file.gpkg_no_layer", P(@"^the GeoPackage has no feature layer$")),
        ("error.file.gpkg_layers", P(@"^the GeoPackage holds (\d+) feature layers \((.*)\); choose one with the mapping's \""layer\""$")),
        ("error.file.gpkg_layer_unknown", P(@"^the mapping's layer '(.*)' is not a feature layer of the GeoPackage; its layers: (.*)$")),
        ("error.file.gpkg_no_geometry_row", P(@"^the layer '(.*)' has no row in gpkg_geometry_columns$")),
        ("error.file.gpkg_srs_missing", P(@"^the layer's srs_id (\S+) is not in gpkg_spatial_ref_sys$")),
        new("error.file.gpkg_srs_unreadable", P(@"^the layer's reference system \((.*)\) cannot be read: (.*); give it with --crs or the mapping's ""crs""$"), 2),
        ("error.file.kmz_no_kml", P(@"^the KMZ holds no \.kml document \(doc\.kml expected\)$")),
        ("error.file.kml_time", P(@"^'(.*)' is not an ISO 8601 date-time$")),
        ("error.file.kml_point", P(@"^a Point has one position, not (\d+)$")),
        ("error.file.kml_line", P(@"^a LineString needs at least two positions$")),
        ("error.file.kml_polygon", P(@"^a Polygon needs an outerBoundaryIs/LinearRing$")),
        ("error.file.kml_multi_empty", P(@"^the MultiGeometry is empty$")),
        ("error.file.kml_unread", P(@"^a (\S+) is not read; use Point, LineString, Polygon or MultiGeometry$")),
        ("error.file.kml_ring", P(@"^a polygon ring needs at least three distinct positions$")),
        ("error.file.kml_no_coordinates", P(@"^the (\S+) has no coordinates$")),
        ("error.file.kml_position", P(@"^'(.*)' is not longitude,latitude\[,altitude\] \(position (\d+)\)$")),
        ("error.file.gpx_root", P(@"^a <gpx> document is expected, not <(.*)>$")),
        ("error.file.gpx_layer_unknown", P(@"^the mapping's layer '(.*)' is not one of a GPX's layers: (.*)$")),
        ("error.file.gpx_several", P(@"^the file holds (.*); choose one with the mapping's \""layer\""$")),
        ("error.file.gpx_longitude", P(@"^'(.*)' is not a longitude \(<(\S+)> on line (\d+)\)$")),
        ("error.file.gpx_latitude", P(@"^'(.*)' is not a latitude \(<(\S+)> on line (\d+)\)$")),
        ("error.file.no_form_submission", P(@"^no form submission \(\.xml\) found$")),
        ("error.file.not_our_form", P(@"^not a submission of a Groundtruth field form; forms: (.*)$")),
        ("error.file.form_xml", P(@"^not a readable form submission \(XML\): (.*)$")),
        ("error.file.form_no_repeat", P(@"^the form (\S+) has no repeat group '(.*)'$")),
        ("error.file.no_instance_id", P(@"^the submission has no instance id$")),
        ("error.file.not_geopoint", P(@"^not a geopoint: expected 'latitude longitude \[altitude \[accuracy\]\]' in decimal degrees$")),
        ("error.file.perimeter", P(@"^a perimeter needs at least three distinct points$")),
        ("error.file.export_no_repeat_sheet", P(@"^the export has no repeat group '(.*)' \(sheets: (.*)\)$")),
        ("error.file.export_no_repeat_file", P(@"^the export has no repeat group '(.*)' \(files: (.*)\)$")),
        ("error.file.not_odk_export", P(@"^not an ODK Central export: no CSV file in the zip has the KEY and SubmissionDate columns$")),
        // The mapping, the columns and the data rules of a record.
        ("error.row.id_needs_columns", P(@"^the mapping's ""id"" needs ""columns"" to compose the id from, or ""generate"": true$")),
        ("error.row.id_column_value", P(@"^a value is required: the id is composed from this column$")),
        ("error.row.id_column_missing", P(@"^the mapping's ""id"" names this column but the header has no such column$")),
        ("error.row.id_twice", P(@"^the file has an id column and the mapping composes ids: map or ignore one of them$")),
        ("error.row.placeholder", P(@"^the mapping leaves this value to be filled in \(""(.*)"" under ""values""\); valid: (.*)$")),
        new("error.row.no_geometry_columns", P(@"^no geometry columns: give 'lon' and 'lat' \(or 'x' and 'y'\) for points, or 'wkt' for (.*)$"), 1),
        ("error.shape.point", P(@"^a point$")),
        ("error.shape.line", P(@"^a line or multiline$")),
        ("error.shape.polygon", P(@"^a polygon or multipolygon$")),
        ("error.shape.point_or_polygon", P(@"^a point, polygon or multipolygon$")),
        ("error.shape.any", P(@"^points, lines or polygons$")),
        ("error.row.geometry_and_lonlat", P(@"^both a geometry and lon/lat coordinates are given: keep one \(leave the other empty, or list its column under ""ignore"" in the mapping\)$")),
        ("error.row.future", P(@"^the date is in the future$")),
        ("error.row.not_real_date", P(@"^not a real date: (.*)$")),
        ("error.row.no_area_id", P(@"^no hazardous area has this id, in the database or the file$")),
        ("error.row.handover_certificate", P(@"^a handed-over area needs its handover certificate$")),
        ("error.row.derived_from_itself", P(@"^an area cannot be derived from itself$")),
        ("error.row.output_area", P(@"^activity (\S+) worked on hazardous area (\S+); an output belongs to the area of its activity$")),
        ("error.row.produced_after_found", P(@"^produced after it was found \((\S+)\)$")),
        ("error.row.casualty_date", P(@"^a casualty without accident_id needs occurred_on$")),
        ("error.row.age_from_birth", P(@"^the date of birth gives (\d+) at the accident date$")),
        ("error.row.age_group", P(@"^age (\d+) makes the casualty (\S+) \(a child is under (\d+)\)$")),
        ("error.row.before", P(@"^(\S+) is before (\S+) \((.*)\)$")),
        ("error.row.personal_key", P(@"^personal data \(name, date_of_birth, injuries\) needs a key to be stored encrypted: set GROUNDTRUTH_PERSONAL_DATA_KEY or GROUNDTRUTH_KEY_FILE \(docs/personal-data\.md\)$")),
        ("error.row.personal_pending_import", P(@"^personal data cannot be submitted as pending; import it approved, or leave the personal columns out$")),
        ("error.entry.casualties_accident", P(@"^only an accident is entered with casualties$")),
        ("error.entry.one_value", P(@"^give one value, not a list$")),
        ("error.entry.personal_grant", P(@"^personal data \(name, date_of_birth, injuries\) is entered only by a user granted personal_data$")),
        ("error.entry.personal_pending", P(@"^personal data cannot wait in a pending submission \(it is stored only encrypted with approved data\); leave it out, or enter it approved$")),
        ("error.entry.casualties_array", P(@"^an array of casualty objects is expected$")),
        // The hazardous-area and land-release rules (Groundtruth.Domain) and the activities they name.
        ("error.rule.close_open", P(@"^an open area closes straight away only when non-technical survey cancels it \(IMAS 07\.11\): record its cancellation output first, or move it to worked_on while technical survey or clearance releases it$")),
        ("error.rule.reopen_reason", P(@"^reopening a (\S+) area needs a reason \(status_reason\), such as a find in released land \(IMAS 08\.30\)$")),
        ("error.rule.handover_closed", P(@"^an area is handed over only after it is closed \(it is (\S+)\)$")),
        ("error.rule.status_change", P(@"^status cannot change from (\S+) to (\S+)$")),
        ("error.rule.suspected_again", P(@"^a confirmed area becomes suspected again only with a reason \(status_reason\): confirmation rests on direct evidence \(IMAS 04\.10\)$")),
        new("error.rule.cancelled_by", P(@"^land is cancelled only by non-technical survey \(IMAS 07\.11\), not by (.+)$"), 1),
        new("error.rule.reduced_by", P(@"^land is reduced only by technical survey \(IMAS 07\.11\), not by (.+)$"), 1),
        new("error.rule.cleared_by", P(@"^land is cleared only by clearance or battle area clearance \(IMAS 07\.11\), not by (.+)$"), 1),
        ("error.activity.non_technical_survey", P(@"^non-technical survey$")),
        ("error.activity.technical_survey", P(@"^technical survey$")),
        ("error.activity.clearance", P(@"^clearance$")),
        ("error.activity.battle_area_clearance", P(@"^battle area clearance$")),
        ("error.activity.eod_spot_task", P(@"^EOD spot task$")),
        ("error.activity.marking", P(@"^marking$")),
        ("error.activity.risk_education", P(@"^risk education$")),
        ("error.activity.quality_visit", P(@"^QA/QC visit$")),
        // A suggested mapping's notes.
        ("error.note.column_ignored", P(@"^column '(.*)' matched no (\S+) column: it is under ""ignore""; map it under ""columns"" if it holds data$")),
        ("error.note.column_guessed", P(@"^column '(.*)' was taken for '(.*)' from a word in its name: check it$")),
        ("error.note.dates_unknown", P(@"^the dates in '(.*)' \(e\.g\. '(.*)'\) are in no format recognised: give ""dates"": (.*)$")),
        ("error.note.dates_ambiguous", P(@"^the dates in '(.*)' read as day first \((.*)\) or month first alike: check ""dates""$")),
        ("error.note.months_unknown", P(@"^months not recognised in '(.*)': (.*)$")),
        ("error.note.values_unfilled", P(@"^(\d+) value\(s\) of '(.*)' need a value for (\S+) \((.*)\): replace each ""(.*)"" under ""values""\.""(\S+)"" \((.*)\)$")),
        ("error.note.ids_generated", P(@"^no id column: ids are generated from a hash of (.*); keep under ""id""\.""columns"" only the columns that stay the same between deliveries of this register \(see docs/import-mapping\.md\)$")),
        ("error.note.both_decimal_marks", P(@"^numbers use both decimal marks \((\d+) with ',', (\d+) with '\.'\): check ""numbers""$")),
        ("error.note.mark_twice", P(@"^'(.*)' is used both as the decimal mark and between thousands: check ""numbers""$")),
        // An audit chain's break.
        new("error.audit.at_entry", P(@"^entry (\d+) \((.*)Z\): (.+)$"), 3),
        ("error.audit.no_hash", P(@"^not chained: it has no hash \(written directly into the table, or by a Groundtruth older than the chain\)$")),
        ("error.audit.not_start", P(@"^the chain does not start here: an entry before it was deleted, or it was moved$")),
        ("error.audit.not_follow", P(@"^does not follow entry (\d+): an entry between them was deleted or inserted, or entries were reordered$")),
        ("error.audit.edited", P(@"^its content differs from what was written \(hash mismatch\): the entry was edited$")),
        ("error.audit.no_head", P(@"^the chain's head row \(table audit_chain_head\) is missing$")),
        ("error.audit.ends_early", P(@"^the chain ends at entry (\S+) after (\d+) entries, but its head records entry (\d+) after (\d+): entries at the end were deleted, or the head was altered$")),
        ("error.audit.anchor", P(@"^the anchor (\S+) is not a hash in the chain: the log was rewritten since that hash was recorded$")),
        // Parts of a list, and a message that reads almost anything: last.
        ("error.no_values", P(@"^\(none: no record has a value\)$")),
        ("error.and_more", P(@"^(.*) … and (\d+) more$")),
        ("error.does_not_exist", P(@"^(.*) does not exist$")),
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
        if (ByPattern(message, language, 0) is { } whole) return whole;
        // "parameter: reason", as an InvalidRequestException's message reads once it is only text (a computation's failure).
        var colon = message.IndexOf(": ", StringComparison.Ordinal);
        if (colon > 0 && message[..colon].All(c => c is '_' or (>= 'a' and <= 'z')))
        {
            var reason = message[(colon + 2)..];
            if (ByPattern(reason, language, 0) is { } translated) return $"{message[..colon]}: {translated}";
        }
        return message;
    }

    /// <summary><paramref name="english"/> in <paramref name="language"/> when a pattern reads it whole; null otherwise (the importer's reasons fall back on it).</summary>
    internal static string? Translate(string english, CultureInfo language) => ByPattern(english, language, 0);

    /// <summary>
    /// <paramref name="english"/> through the first pattern that reads it: that key's sentence in <paramref name="language"/>
    /// with the groups carried over as <c>{0}</c>, <c>{1}</c>…, a translated group in the reader's words when a pattern
    /// knows it (as typed otherwise); null when no pattern reads the message.
    /// </summary>
    private static string? ByPattern(string english, CultureInfo language, int depth)
    {
        foreach (var pattern in Known)
        {
            var match = pattern.English.Match(english);
            if (!match.Success) continue;
            if (Resources.GetString(pattern.Key, language) is not { } text) return null;
            var parts = new object[match.Groups.Count - 1];
            for (var i = 1; i < match.Groups.Count; i++)
            {
                var value = match.Groups[i].Value;
                parts[i - 1] = depth < 3 && pattern.Translated.Contains(i) ? ByPattern(value, language, depth + 1) ?? value : value;
            }
            return string.Format(language, text, parts);
        }
        return null;
    }
}
