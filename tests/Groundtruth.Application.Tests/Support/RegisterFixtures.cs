using System.Globalization;
using System.IO.Compression;
using System.Text;
using Groundtruth.Application.Export;

namespace Groundtruth.Application.Tests.Support;

/// <summary>
/// Writes the register fixtures in tests/data/registers from the synthetic, fictional records below, in the shapes the
/// files arrive in: an operator's Excel workbook, and KoboToolbox and ODK Central exports of field forms (column order,
/// metadata columns, group paths and split geopoint columns as those servers write them). The records are also the
/// independent source of the figures the import tests expect. Regenerate with
/// <c>GROUNDTRUTH_WRITE_FIXTURES=1 dotnet test --project tests/Groundtruth.Application.Tests -- --filter-class '*RegisterFixturesTests'</c>.
/// </summary>
public static class RegisterFixtures
{
    public const string ExcelFinds = "excel-finds.xlsx";
    public const string ExcelFindsMap = "excel-finds.map.json";
    public const string KoboAccidents = "kobo-accident-casualties.xlsx";
    public const string OdkAccidents = "odk-accident-casualties.zip";
    public const string KoboFinds = "kobo-finds.xlsx";
    public const string KoboHazards = "kobo-hazards.xlsx";
    public const string ExcelSheet = "Finds register";

    public static string PathOf(string name) => TestData.File(Path.Combine("registers", name));

    public sealed record Casualty(string Outcome, string Sex, int Age, string Status, string Activity, bool DeviceHandled);

    public sealed record Accident(string Uuid, string OccurredOn, string Kind, string DeviceCategory, string? DeviceModel,
        double Lat, double Lon, double Altitude, double Accuracy, string Source, Casualty[] Casualties);

    /// <summary>Four accidents near the fictional village of Tollan, one of them hurting nobody.</summary>
    public static readonly Accident[] Accidents =
    [
        new("3f2a9c1e-0b7d-4e59-9a61-5c8d2e7f4a10", "2024-03-12", "mine_erw", "anti_personnel_mine", "E-001 M", -31.1043, -24.5712, 12, 4.5, "Tollan clinic",
            [new("injured", "male", 34, "civilian", "ploughing", false), new("killed", "female", 12, "civilian", "herding", false)]),
        new("8b61d4f0-2c3e-4a7b-b5d9-0e1f6a2c9b33", "2024-05-02", "mine_erw", "anti_vehicle_mine", "AT-9", -31.2987, -24.2034, 8.5, 12, "Police",
            [new("killed", "male", 45, "civilian", "driving", false), new("injured", "male", 51, "civilian", "passenger", false),
             new("injured", "female", 38, "civilian", "passenger", false)]),
        new("c7e03b5a-91d2-4f86-8e0c-7a4b3d2f1e05", "2024-06-18", "demining", "anti_personnel_mine", "E-001 M", -31.1155, -24.5651, 10, 3.2, "Fieldsafe Demining",
            [new("injured", "male", 29, "deminer", "clearance", true)]),
        new("e19d5f27-4a6c-4b08-93f1-2d7c8e0a6b44", "2024-07-30", "demining", "uxo", null, -31.0102, -24.0155, 15, 25, "Fieldsafe Demining", []),
    ];

    public sealed record Find(string Id, DateOnly FoundOn, bool DateAsText, string Type, string Model, int Quantity, double Depth, double Lon, double Lat);

    /// <summary>An operator's finds register; one date typed as text, one quantity in the thousands, depths as formulas.</summary>
    public static readonly Find[] ExcelFindRows =
    [
        new("FSD-0101", new(2024, 5, 3), false, "AP mine", "E-001 M", 1, 5, -24.5651, -31.1151),
        new("FSD-0102", new(2024, 5, 4), false, "AP mine", "E-001 M", 3, 7.5, -24.5662, -31.1163),
        new("FSD-0103", new(2024, 6, 3), true, "AV mine", "AT-9", 1, 20, -24.5702, -31.1128),
        new("FSD-0104", new(2024, 6, 11), false, "UXO", "Mortar 81 mm", 2, 0, -24.5733, -31.1109),
        new("FSD-0105", new(2024, 7, 1), false, "Stored ammunition", "Rifle cartridges", 1200, 0, -24.5741, -31.1102),
    ];

    public static readonly IReadOnlyDictionary<string, string> ExcelTypes = new Dictionary<string, string>
    {
        ["AP mine"] = "anti_personnel_mine", ["AV mine"] = "anti_vehicle_mine", ["UXO"] = "uxo", ["Stored ammunition"] = "stored_ammunition",
    };

    public sealed record FormFind(string Uuid, string FoundOn, string Category, string Model, int Quantity, double Lat, double Lon, double Accuracy);

    public static readonly FormFind[] KoboFindRows =
    [
        new("5a0c7e19-d3b2-4f61-8c4e-1b9a2d7f3e60", "2024-08-05", "anti_personnel_mine", "E-001 M", 1, -31.1142, -24.5668, 3.9),
        new("6d2e8f30-a4c5-4b72-9d5f-2c0b3e8a4f71", "2024-08-05", "anti_personnel_mine", "E-001 M", 2, -31.1147, -24.5671, 4.1),
        new("7e3f9041-b5d6-4c83-8e60-3d1c4f9b5082", "2024-08-06", "uxo", "Grenade", 1, -31.1131, -24.5659, 6.0),
    ];

    public sealed record FormHazard(string Uuid, string Name, string Classification, string Status, string[] Contamination, string RecordedOn, (double Lat, double Lon)[] Perimeter);

    public static readonly FormHazard[] KoboHazardRows =
    [
        new("8f40a152-c6e7-4d94-9f71-4e2d5a0c6193", "Tollan south pasture", "suspected", "open", ["anti_personnel_mine", "uxo"], "2024-08-07",
            [(-31.130, -24.580), (-31.130, -24.570), (-31.125, -24.570), (-31.125, -24.580)]),
        new("9051b263-d7f8-4ea5-8082-5f3e6b1d72a4", "Meriva well", "confirmed", "open", ["anti_vehicle_mine"], "2024-08-08",
            [(-31.010, -24.030), (-31.010, -24.025), (-31.005, -24.025), (-31.010, -24.030)]),
    ];

    public static void WriteAll(string directory)
    {
        Directory.CreateDirectory(directory);
        WriteExcelFinds(Path.Combine(directory, ExcelFinds));
        File.WriteAllText(Path.Combine(directory, ExcelFindsMap), ExcelMapping);
        WriteKoboAccidents(Path.Combine(directory, KoboAccidents));
        WriteOdkAccidents(Path.Combine(directory, OdkAccidents));
        WriteKoboFinds(Path.Combine(directory, KoboFinds));
        WriteKoboHazards(Path.Combine(directory, KoboHazards));
    }

    public const string ExcelMapping = """
        {
          "sheet": "Finds register",
          "columns": {
            "Find ID": "id", "Date found": "found_on", "Type": "category", "Model": "model",
            "Qty": "quantity", "Depth (cm)": "depth_cm", "Longitude": "lon", "Latitude": "lat"
          },
          "values": {
            "category": { "AP mine": "anti_personnel_mine", "AV mine": "anti_vehicle_mine", "UXO": "uxo", "Stored ammunition": "stored_ammunition" }
          },
          "constants": { "source": "Fieldsafe Demining" }
        }

        """;

    private static string Iso(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    private static string Num(double d) => d.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>A notes sheet first (with a total as a formula), then the register under a title and a date line.</summary>
    public static void WriteExcelFinds(string path, bool date1904 = false, Find[]? finds = null)
    {
        var rowsIn = finds ?? ExcelFindRows;
        using var w = new XlsxWriter(path, date1904);
        var last = 4 + rowsIn.Length;
        w.AddSheet("About", [
            ["Fieldsafe Demining: finds register (synthetic, fictional data)"],
            ["Devices found", new XlsxFormula($"SUM('{ExcelSheet}'!E5:E{last})", (double)rowsIn.Sum(f => f.Quantity))],
        ], header: false);
        var rows = new List<IReadOnlyList<object?>>
        {
            new object?[] { "Finds register, Tollan east fields" },
            new object?[] { "Exported 2024-08-01" },
            new object?[] { "Find ID", "Date found", "Type", "Model", "Qty", "Depth (cm)", "Longitude", "Latitude" },
        };
        foreach (var f in rowsIn)
        {
            rows.Add([f.Id, f.DateAsText ? Iso(f.FoundOn) : f.FoundOn, f.Type, f.Model, f.Quantity,
                new XlsxFormula($"{Num(f.Depth * 2)}/2", f.Depth), f.Lon, f.Lat]);
        }
        w.AddSheet(ExcelSheet, [rows[0], [], rows[1], .. rows[2..]], header: false);
    }

    private static readonly string[] KoboSubmissionMetadata =
        ["_id", "_uuid", "_submission_time", "_validation_status", "_notes", "_status", "_submitted_by", "__version__", "_tags", "_index"];

    private static object?[] KoboMetadata(int index, string uuid, string day) =>
        [100000 + index, uuid, day + "T16:02:11", "", "", "submitted_via_web", "fieldteam1", "vQpL3xT7bK9cR2mN", "", index];

    public static void WriteKoboAccidents(string path, Accident[]? accidents = null, int parentIndexShift = 0)
    {
        accidents ??= Accidents;
        using var w = new XlsxWriter(path);
        string[] header =
        [
            "start", "end", "today", "deviceid", "accident/occurred_on", "accident/kind", "accident/device_category", "accident/device_model",
            "location", "_location_latitude", "_location_longitude", "_location_altitude", "_location_precision", "source", .. KoboSubmissionMetadata,
        ];
        var main = new List<IReadOnlyList<object?>> { header };
        var casualties = new List<IReadOnlyList<object?>>
        {
            new object?[]
            {
                "casualties/outcome", "casualties/sex", "casualties/age", "casualties/status", "casualties/activity", "casualties/device_handled",
                "_index", "_parent_table_name", "_parent_index", "_submission__id", "_submission__uuid", "_submission__submission_time",
                "_submission__validation_status", "_submission__notes", "_submission__status", "_submission__submitted_by",
                "_submission___version__", "_submission__tags",
            },
        };
        var repeatIndex = 0;
        for (var i = 0; i < accidents.Length; i++)
        {
            var a = accidents[i];
            var index = i + 1;
            main.Add([
                a.OccurredOn + "T09:14:00.000+00:00", a.OccurredOn + "T09:31:00.000+00:00", a.OccurredOn, "collect:Fz81kQ2w" + index,
                a.OccurredOn, a.Kind, a.DeviceCategory, a.DeviceModel,
                $"{Num(a.Lat)} {Num(a.Lon)} {Num(a.Altitude)} {Num(a.Accuracy)}", a.Lat, a.Lon, a.Altitude, a.Accuracy, a.Source,
                .. KoboMetadata(index, a.Uuid, a.OccurredOn),
            ]);
            foreach (var c in a.Casualties)
            {
                casualties.Add([
                    c.Outcome, c.Sex, c.Age, c.Status, c.Activity, c.DeviceHandled ? "yes" : "no",
                    ++repeatIndex, "Accident report", index + parentIndexShift, 100000 + index, a.Uuid, a.OccurredOn + "T16:02:11", "", "", "submitted_via_web", "fieldteam1",
                    "vQpL3xT7bK9cR2mN", "",
                ]);
            }
        }
        w.AddSheet("Accident report", main);
        w.AddSheet("casualties", casualties);
    }

    /// <summary>The same submissions as ODK Central's "CSV zip" writes them: group paths with '-', geopoints split.</summary>
    public static void WriteOdkAccidents(string path, Accident[]? accidents = null, string? orphanParent = null)
    {
        accidents ??= Accidents;
        var main = new StringBuilder();
        main.AppendLine("SubmissionDate,start,end,today,deviceid,accident-occurred_on,accident-kind,accident-device_category,accident-device_model," +
                        "location-Latitude,location-Longitude,location-Altitude,location-Accuracy,source,meta-instanceID,KEY,SubmitterID,SubmitterName," +
                        "AttachmentsPresent,AttachmentsExpected,Status,ReviewState,DeviceID,Edits,FormVersion");
        var repeat = new StringBuilder();
        repeat.AppendLine("outcome,sex,age,status,activity,device_handled,PARENT_KEY,KEY");
        foreach (var a in accidents)
        {
            var key = "uuid:" + a.Uuid;
            main.AppendLine(string.Join(',',
                a.OccurredOn + "T16:02:11.041Z", a.OccurredOn + "T09:14:00.000+00:00", a.OccurredOn + "T09:31:00.000+00:00", a.OccurredOn, "collect:Fz81kQ2w",
                a.OccurredOn, a.Kind, a.DeviceCategory, a.DeviceModel ?? "", Num(a.Lat), Num(a.Lon), Num(a.Altitude), Num(a.Accuracy), a.Source,
                key, key, "7", "Field team 1", "0", "0", "", "", "collect:Fz81kQ2w", "0", "2024061801"));
            for (var i = 0; i < a.Casualties.Length; i++)
            {
                var c = a.Casualties[i];
                var parent = orphanParent is not null && a == accidents[0] && i == 0 ? orphanParent : key;
                repeat.AppendLine(string.Join(',', c.Outcome, c.Sex, c.Age.ToString(CultureInfo.InvariantCulture), c.Status, c.Activity,
                    c.DeviceHandled ? "yes" : "no", parent, $"{parent}/casualties[{i + 1}]"));
            }
        }
        WriteZip(path, ("accident_report.csv", main.ToString()), ("accident_report-casualties.csv", repeat.ToString()));
    }

    public static void WriteZip(string path, params (string Name, string Text)[] entries)
    {
        File.Delete(path);
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        foreach (var (name, text) in entries)
        {
            var entry = zip.CreateEntry(name);
            entry.LastWriteTime = new DateTimeOffset(2024, 8, 1, 0, 0, 0, TimeSpan.Zero);
            using var stream = entry.Open();
            stream.Write(Encoding.UTF8.GetBytes(text));
        }
    }

    public static void WriteKoboFinds(string path)
    {
        using var w = new XlsxWriter(path);
        object?[] header =
        [
            "start", "end", "today", "deviceid", "found_on", "find/category", "find/model", "find/quantity",
            "location", "_location_latitude", "_location_longitude", "_location_altitude", "_location_precision", .. KoboSubmissionMetadata,
        ];
        var rows = new List<IReadOnlyList<object?>> { header };
        for (var i = 0; i < KoboFindRows.Length; i++)
        {
            var f = KoboFindRows[i];
            rows.Add([
                f.FoundOn + "T08:00:00.000+00:00", f.FoundOn + "T08:05:00.000+00:00", f.FoundOn, "collect:Fz81kQ2w",
                f.FoundOn, f.Category, f.Model, f.Quantity, $"{Num(f.Lat)} {Num(f.Lon)} 0 {Num(f.Accuracy)}", f.Lat, f.Lon, 0, f.Accuracy,
                .. KoboMetadata(i + 1, f.Uuid, f.FoundOn),
            ]);
        }
        w.AddSheet("Finds", rows);
    }

    /// <summary>A hazard form: a geoshape <c>perimeter</c> and a select_multiple with KoboToolbox's 0/1 column per choice.</summary>
    public static void WriteKoboHazards(string path)
    {
        using var w = new XlsxWriter(path);
        string[] choices = ["anti_personnel_mine", "anti_vehicle_mine", "uxo"];
        object?[] header = ["start", "end", "name", "classification", "status", "contamination", .. choices.Select(c => "contamination/" + c), "recorded_on", "perimeter", .. KoboSubmissionMetadata];
        var rows = new List<IReadOnlyList<object?>> { header };
        for (var i = 0; i < KoboHazardRows.Length; i++)
        {
            var h = KoboHazardRows[i];
            rows.Add([
                h.RecordedOn + "T10:00:00.000+00:00", h.RecordedOn + "T10:20:00.000+00:00", h.Name, h.Classification, h.Status,
                string.Join(' ', h.Contamination), .. choices.Select(c => (object?)(h.Contamination.Contains(c) ? 1 : 0)), h.RecordedOn,
                string.Join(";", h.Perimeter.Select(p => $"{Num(p.Lat)} {Num(p.Lon)} 0 5")),
                .. KoboMetadata(i + 1, h.Uuid, h.RecordedOn),
            ]);
        }
        w.AddSheet("Hazard report", rows);
    }
}
