using System.Globalization;
using System.Text;
using Groundtruth.Domain;

namespace Groundtruth.Benchmarks;

/// <summary>
/// Writes a synthetic finds CSV: deterministic (fixed seed), valid for the finds dataset, with fictional
/// points in lon -25..-23.5, lat -32..-30.8 (open ocean, nobody's minefield).
/// </summary>
internal static class FindsCsv
{
    public const string Header = "id,found_on,category,model,quantity,production_year,lon,lat";
    public const int DefaultSeed = 20_261_126;

    private static readonly string[] Models =
        ["PMN-2", "PMA-3", "PROM-1", "TMA-4", "TM-62M", "MRUD", "PMR-2A", "M-75 grenade", "KB-1 submunition", "120 mm mortar", "82 mm mortar", "RPG-7 rocket"];

    private static readonly DateOnly FirstDate = new(1995, 1, 1);

    public static void Write(string path, int rows, int seed = DefaultSeed)
    {
        var categories = SnakeCase.Names(typeof(OrdnanceCategory));
        var rng = new Random(seed);
        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(false), 1 << 16);
        writer.Write(Header);
        writer.Write('\n');
        var line = new StringBuilder(128);
        for (var i = 1; i <= rows; i++)
        {
            line.Clear();
            var date = FirstDate.AddDays(rng.Next(0, 11_000));
            var precision = rng.Next(100);
            // 93 % full dates, 5 % year-month, 2 % year only: partial dates are normal in mine action records.
            var foundOn = precision < 93 ? date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
                : precision < 98 ? date.ToString("yyyy-MM", CultureInfo.InvariantCulture)
                : date.Year.ToString(CultureInfo.InvariantCulture);
            var category = categories[rng.Next(categories.Count)];
            var model = rng.Next(100) < 15 ? "" : Models[rng.Next(Models.Length)];
            var quantity = rng.Next(10) == 0 ? rng.Next(2, 50) : 1;
            var productionYear = rng.Next(100) < 30 ? "" : rng.Next(1940, date.Year + 1).ToString(CultureInfo.InvariantCulture);
            var lon = -25.0 + rng.NextDouble() * 1.5;
            var lat = -32.0 + rng.NextDouble() * 1.2;
            line.Append(CultureInfo.InvariantCulture, $"F{i:D7},{foundOn},{category},{model},{quantity},{productionYear},{lon:F6},{lat:F6}");
            line.Append('\n');
            writer.Write(line);
        }
    }
}
