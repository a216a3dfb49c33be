using System.Globalization;
using System.Resources;
using System.Text.RegularExpressions;
using Groundtruth.Analysis.Risk;
using Groundtruth.Application.Import;
using Groundtruth.Application.Risk;
using Groundtruth.Application.Security;
using Groundtruth.Application.Statistics;
using Groundtruth.Application.Tests.Support;
using Groundtruth.Application.Users;

namespace Groundtruth.Application.Tests.Errors;

/// <summary>
/// The application's error messages in the reader's language (pages, the CLI under LANG): each pattern is the English
/// text the code writes, every language has its sentence with the message's parts carried over unchanged; real
/// failures are translated; English and unknown messages come back word for word.
/// </summary>
public sealed class ErrorMessagesTests
{
    private static readonly string[] Translations = ["fr", "es", "pt", "ar", "uk", "ru"];

    private static readonly ResourceManager Messages = new("Groundtruth.Application.Resources.Messages", typeof(ErrorMessages).Assembly);

    /// <summary>Stand-ins for a message's parts, each found only where it was put.</summary>
    private static readonly string[] Parts = ["PartZero7", "PartOne3", "PartTwo9", "PartThree5", "PartFour2", "PartFive8", "PartSix4", "PartSeven6", "PartEight1"];

    [Fact]
    public void Each_pattern_reads_its_English_sentence_and_each_language_carries_the_parts_over()
    {
        ErrorMessages.Known.Count.ShouldBeGreaterThan(170);
        foreach (var (key, pattern, translated) in ErrorMessages.Known)
        {
            var template = Messages.GetString(key, CultureInfo.InvariantCulture);
            template.ShouldNotBeNull(key);
            var groups = pattern.GetGroupNumbers().Length - 1;
            var english = Filled(template, pattern);
            var match = pattern.Match(english);
            match.Success.ShouldBeTrue($"{key}: the pattern {pattern} does not read its English sentence \"{english}\"");
            ErrorMessages.Known.First(k => k.English.IsMatch(english)).Key.ShouldBe(key, $"another pattern reads \"{english}\" first");
            ErrorMessages.Localise(english, CultureInfo.GetCultureInfo("en")).ShouldBe(english);
            foreach (var language in Translations)
            {
                var localised = ErrorMessages.Localise(english, CultureInfo.GetCultureInfo(language));
                // A frame around a translated part (where FIELD=VALUE: reason) may read as in English; its part does not.
                var frameOnly = translated.Length > 0 && Messages.GetString(key, CultureInfo.GetCultureInfo(language)) == template;
                if (!frameOnly) localised.ShouldNotBe(english, $"{language}: {key}");
                foreach (var group in match.Groups.Cast<Group>().Skip(1))
                    localised.ShouldContain(group.Value, Case.Sensitive, $"{language}: {localised}");
                Regex.Count(Messages.GetString(key, CultureInfo.GetCultureInfo(language))!, @"\{\d\}").ShouldBe(groups, $"{language}: {key}");
            }
        }
    }

    /// <summary>
    /// The template with each placeholder filled so the pattern reads it: a word where the pattern takes anything,
    /// a number or a grid size where it takes digits, the option a place refusal names (every combination tried).
    /// </summary>
    private static string Filled(string template, Regex pattern)
    {
        var slots = Regex.Count(template, @"\{\d\}");
        string[] kinds = ["word", "12", "90×80", "in"];
        for (var combination = 0; combination < Math.Pow(kinds.Length, slots); combination++)
        {
            var c = combination;
            var values = new string[slots];
            for (var i = 0; i < slots; i++, c /= kinds.Length) values[i] = kinds[c % kinds.Length] == "word" ? Parts[i] : kinds[c % kinds.Length];
            var text = Regex.Replace(template, @"\{(\d)\}", m => values[int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)]);
            if (pattern.IsMatch(text)) return text;
        }
        return template;
    }

    [Fact]
    public async Task A_real_refusal_reads_in_the_language_with_the_parameter_and_the_value_as_typed()
    {
        await using var t = await TestDatabase.CreateAsync(Backend.GeoPackage);
        var handler = new RiskHandler(t.Target, TimeProvider.System);
        var refused = await Should.ThrowAsync<InvalidRequestException>(() => handler.MapAsync(new RiskMapRequest(Path.Combine(t.Directory, "map.png"), new RiskOptions())));
        refused.Message.ShouldBe($"out: '{Path.Combine(t.Directory, "map.png")}': the map is a GeoTIFF, name it .tif");
        ErrorMessages.Localise(refused, CultureInfo.GetCultureInfo("fr")).ShouldBe($"out: « {Path.Combine(t.Directory, "map.png")} » : la carte est un GeoTIFF, nommez-la .tif");
        ErrorMessages.Localise(refused, CultureInfo.GetCultureInfo("en")).ShouldBe(refused.Message);
        // A computation's failure kept as text: "parameter: reason" is read the same way.
        ErrorMessages.Localise(refused.Message, CultureInfo.GetCultureInfo("uk")).ShouldBe($"out: «{Path.Combine(t.Directory, "map.png")}»: карта — це GeoTIFF, назвіть її .tif");

        var empty = await Should.ThrowAsync<RiskDataException>(() => handler.MapAsync(new RiskMapRequest(Path.Combine(t.Directory, "map.tif"), new RiskOptions())));
        ErrorMessages.Localise(empty, CultureInfo.GetCultureInfo("ar")).ShouldStartWith("لا توجد منطقة لرسم خريطتها");
        ErrorMessages.Localise(empty, CultureInfo.GetCultureInfo("ru")).ShouldStartWith("нет территории для карты");
    }

    [Fact]
    public async Task A_real_statistics_refusal_and_a_role_refusal_read_in_the_language()
    {
        await using var t = await TestDatabase.CreateAsync(Backend.GeoPackage);
        var stats = new StatsHandler(t.Target, TimeProvider.System);
        var by = await Should.ThrowAsync<StatsArgumentException>(() => stats.HandleAsync(new StatsRequest("finds", By: ["nothing"])));
        var fields = by.Reason[(by.Reason.IndexOf("valid fields: ", StringComparison.Ordinal) + "valid fields: ".Length)..];
        ErrorMessages.Localise(by, CultureInfo.GetCultureInfo("uk")).ShouldBe($"by: невідоме поле «nothing» для finds; допустимі поля: {fields}");
        var where = await Should.ThrowAsync<StatsArgumentException>(() => stats.HandleAsync(new StatsRequest("finds", Where: ["found_on=soon"])));
        ErrorMessages.Localise(where, CultureInfo.GetCultureInfo("ar")).ShouldBe("where: where found_on=soon: ليس تاريخًا: استخدم YYYY أو YYYY-MM أو YYYY-MM-DD");

        var viewer = Access.Of("ana", [Roles.Viewer]);
        var refused = Should.Throw<ForbiddenException>(() => viewer.Require(viewer.MayProduceReports, "producing reports"));
        ErrorMessages.Localise(refused, CultureInfo.GetCultureInfo("uk")).ShouldBe("не дозволено для ana (viewer): створення звітів");
        ErrorMessages.Localise(refused, CultureInfo.GetCultureInfo("en")).ShouldBe(refused.Message);
    }

    [Theory]
    [InlineData("unsupported file type '.doc'; use .csv or .tsv (lon/lat or wkt columns), .geojson, .xlsx, a field-form export (.xlsx, .zip), a form submission (.xml), a Shapefile (.shp or .zip), .kml, .kmz, .gpx or .gpkg", "uk",
        "непідтримуваний тип файлу «.doc»; використовуйте .csv або .tsv (стовпці lon/lat або wkt), .geojson, .xlsx, експорт польової форми (.xlsx, .zip), подання форми (.xml), Shapefile (.shp або .zip), .kml, .kmz, .gpx або .gpkg")]
    [InlineData("'abc' is not a longitude (<trkpt> on line 12)", "ar", "«abc» ليس خط طول (<trkpt> في السطر 12)")]
    [InlineData("land is cleared only by clearance or battle area clearance (IMAS 07.11), not by technical survey", "uk",
        "землю очищують лише розмінуванням або очищенням району бойових дій (IMAS 07.11), а не так: технічне обстеження")]
    [InlineData("no geometry columns: give 'lon' and 'lat' (or 'x' and 'y') for points, or 'wkt' for a polygon or multipolygon", "ar",
        "لا أعمدة للشكل الهندسي: حدّد «lon» و«lat» (أو «x» و«y») للنقاط، أو «wkt» لـمضلّع أو مضلّع متعدد")]
    [InlineData("a reason no pattern knows", "uk", "a reason no pattern knows")]
    [InlineData("a value is required", "uk", "потрібне значення")]
    public void A_reason_of_the_importer_reads_in_the_language_with_its_values_as_typed(string reason, string language, string expected) =>
        ImportReasons.Localise(reason, CultureInfo.GetCultureInfo(language)).ShouldBe(expected);

    [Theory]
    [InlineData("cannot train: the 42 training cell(s) are all without finds", "uk", "навчання неможливе: усі 42 навчальні комірки без знахідок")]
    [InlineData("from (2025-03-01) is after to (2024-01-01)", "es", "el inicio (2025-03-01) es posterior al fin (2024-01-01)")]
    [InlineData("cell: 90000×80000 cells is too many; choose a larger cell (Parameter 'cell')\nActual value was 1.", "fr", "cell: 90000×80000 cellules, c'est trop ; choisissez une cellule plus grande")]
    // A role refusal: what was refused in the reader's words, the user and the role as stored.
    [InlineData("producing reports is not allowed for ana.field (viewer)", "uk", "не дозволено для ana.field (viewer): створення звітів")]
    [InlineData("producing reports is not allowed for ana.field (viewer)", "ar", "غير مسموح لـana.field (viewer): إعداد التقارير")]
    [InlineData("the risk map is not allowed for guest (no role)", "uk", "не дозволено для guest (без ролі): карта ризику")]
    [InlineData("the risk map is not allowed for guest (no role)", "ar", "غير مسموح لـguest (بلا دور): خريطة المخاطر")]
    // A submission in the wrong state: both states in the reader's words.
    [InlineData("submission 17 is rejected; only a submitted submission can be approved", "uk", "подання 17 має стан «відхилено»; затвердити можна лише подання зі станом «подано»")]
    [InlineData("submission 17 is approved; only a submitted submission can be rejected", "ar", "الإرسال 17 موافَق عليه؛ لا يمكن رفض إلا إرسال مُقدَّم")]
    // The statistics' where and by: the field, the value and the valid values as typed, the reason inside translated.
    [InlineData("unknown field 'nothing' for finds; valid fields: category, found_on", "uk", "невідоме поле «nothing» для finds; допустимі поля: category, found_on")]
    [InlineData("where category=landmine: not a value of category; valid: uxo, anti_personnel_mine", "ar", "where category=landmine: ليست قيمة من قيم category؛ القيم الصالحة: uxo, anti_personnel_mine")]
    [InlineData("where operator=Acme: no record has this operator; valid: A, B … and 7 more", "uk", "where operator=Acme: жоден запис не має такого operator; допустимі: A, B … і ще 7")]
    [InlineData("where depth_cm=abc: not a whole number", "uk", "where depth_cm=abc: не ціле число")]
    [InlineData("where depth_cm=900: depth_cm lies between 0 and 500", "ar", "where depth_cm=900: تقع قيمة depth_cm بين 0 و500")]
    [InlineData("where place= 'North': the gazetteer holds no place with a boundary polygon; import places first", "uk", "where place= «North»: довідник місць не містить жодного місця з полігоном меж; спершу імпортуйте місця")]
    [InlineData("by names category twice", "ar", "يذكر by الحقل category مرتين")]
    // Backup and restore, the weights file, covariate layers, the personal-data key.
    [InlineData("/tmp/b.gpkg is a PostgreSQL dump; restore it to a PostgreSQL database ('Host=…;Database=…')", "uk", "/tmp/b.gpkg — дамп PostgreSQL; відновіть його в базу даних PostgreSQL («Host=…;Database=…»)")]
    [InlineData("database gt_restore is not empty; restore to a new database, or add --force to replace it", "ar", "قاعدة البيانات gt_restore ليست فارغة؛ استعد إلى قاعدة جديدة، أو أضف \u200e--force لاستبدالها")]
    [InlineData("w.json: at least one priority weight must be positive; see docs/risk.md", "uk", "w.json: щонайменше одна вага пріоритету має бути додатною; див. docs/risk.md")]
    [InlineData("w.json: not a valid weights file ('x' is an invalid start of a value.); see docs/risk.md", "ar", "w.json: ليس ملف أوزان صالحًا ('x' is an invalid start of a value.)؛ انظر docs/risk.md")]
    [InlineData("'Roads-2': a layer name is lower-case letters, digits and _ (starting with a letter, at most 40)", "uk", "«Roads-2»: назва шару — малі латинські літери, цифри та _ (починається з літери, не більше 40)")]
    [InlineData("dem.tif: EPSG:2154 is not supported; supported: EPSG:4326 (WGS84 longitude/latitude), EPSG:32601-32660 and EPSG:32701-32760 (WGS84 / UTM zones north and south), EPSG:3857 (web mercator) (reproject with gdalwarp -t_srs)", "uk",
        "dem.tif: EPSG:2154 не підтримується; підтримуються: EPSG:4326 (WGS84 довгота/широта), EPSG:32601-32660 і EPSG:32701-32760 (WGS84 / зони UTM північ і південь), EPSG:3857 (Web Mercator) (перепроєктуйте за допомогою gdalwarp -t_srs)")]
    [InlineData("lc.tif: a categorical layer needs whole-number class codes, but the raster holds -3.7; is it continuous (--kind continuous)?", "uk",
        "lc.tif: категорійному шару потрібні цілі коди класів, а растр містить -3.7; можливо, він неперервний (--kind continuous)?")]
    [InlineData("rgb.tif: the raster has 3 bands, a layer needs exactly one; extract the band you mean first (gdal_translate -b 1)", "fr",
        "rgb.tif : le raster a 3 bandes, une couche en demande exactement une ; extrayez d'abord la bande voulue (gdal_translate -b 1)")]
    [InlineData("dem.tif: every cell is nodata; a layer needs at least one cell with a value", "es", "dem.tif: todas las celdas son sin valor (nodata); una capa necesita al menos una celda con valor")]
    [InlineData("'/data/rasters' is a directory, not a file", "ar", "«/data/rasters» مجلد وليس ملفًا")]
    [InlineData("the personal-data key (/srv/gt.key) must be 32 bytes in base64: The input is not a valid Base-64 string.", "ar", "يجب أن يكون مفتاح البيانات الشخصية (/srv/gt.key) 32 بايتًا بترميز base64: The input is not a valid Base-64 string.")]
    // A suggested mapping's note: the columns and the values as the file has them.
    [InlineData("column 'Fecha hallazgo' was taken for 'found_on' from a word in its name: check it", "uk", "стовпець «Fecha hallazgo» взято як «found_on» за словом у його назві: перевірте його")]
    [InlineData("something no pattern knows", "ar", "something no pattern knows")]
    [InlineData("where: something no pattern knows", "uk", "where: something no pattern knows")]
    public void A_message_reads_in_the_language(string message, string language, string expected) =>
        ErrorMessages.Localise(message, CultureInfo.GetCultureInfo(language)).ShouldBe(expected);
}
