using System.Globalization;
using Npgsql;

namespace Groundtruth.Benchmarks.E2e;

/// <summary>The options of <c>e2e</c>: which scales and stores, how many runs, where the cached demos live.</summary>
internal sealed record E2eOptions(
    IReadOnlyList<int> Scales, bool Gpkg, string? Pg, int Runs, bool Web, string? Out, double TimeoutSeconds,
    string DataDir, string? SeedGpkg, IReadOnlyList<string> Verbs, bool NoBuild, int ImportRows)
{
    public const string Usage = """
               Groundtruth.Benchmarks e2e [--scale N[,N...]] [--backend gpkg|pg|both] [--runs K] [--web] [--out FILE.md]
                                          [--timeout S] [--data-dir DIR] [--gpkg FILE] [--pg CONNSTRING] [--verbs A,B]
                                          [--import-rows N] [--no-build]
                 every CLI verb in its README forms as a child process (wall, peak RSS, exit code), the web host's
                 pages and API routes (first response after a change, warm), and beside them the PostGIS SQL
          --scale       demo scales (default 500), run smallest first; each is generated once into --data-dir and reused
          --backend     gpkg, pg or both (default: both when a PostgreSQL connection string is known)
          --runs        runs of every verb; the table shows the median (default 1)
          --web         also time the web host (pages and API routes) at the smallest scale, where the web targets are set
          --out         also write the markdown tables to this file
          --timeout     seconds before a child process (or a request, or an SQL statement) is stopped and
                        recorded as "timeout" (default 120)
          --data-dir    the cache of demos and outputs (default $TMPDIR/groundtruth-bench/e2e)
          --gpkg        seed the GeoPackage of the smallest scale from this demo file (and its .key) instead of generating it
          --pg          PostgreSQL server (default $GROUNDTRUTH_TEST_PG); the demo goes to database gt_e2e_<scale>
          --verbs       run only the verbs whose form starts with one of these (comma-separated), e.g. stats,hazards
          --import-rows rows of the finds file imported into a fresh database (default 1000000)
          --no-build    use the Release builds of src/Groundtruth.Cli and src/Groundtruth.Web as they are

""";

    public static E2eOptions Parse(string[] args)
    {
        var scales = new List<int> { 500 };
        string? pg = null, backend = null, output = null, seed = null;
        var dataDir = Path.Combine(Path.GetTempPath(), "groundtruth-bench", "e2e");
        int runs = 1, importRows = 1_000_000;
        double timeout = 120;
        bool web = false, noBuild = false;
        IReadOnlyList<string> verbs = [];
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--scale": scales = [.. Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Positive).Distinct().Order()]; break;
                case "--backend": backend = Value(); break;
                case "--runs": runs = Positive(Value()); break;
                case "--web": web = true; break;
                case "--out": output = Value(); break;
                case "--timeout": timeout = Positive(Value()); break;
                case "--data-dir": dataDir = Value(); break;
                case "--gpkg": seed = Value(); break;
                case "--pg": pg = Value(); break;
                case "--verbs": verbs = E2eVerbs.ParseFilter(Value()); break;
                case "--import-rows": importRows = ImportOptions.Count(Value()); break;
                case "--no-build": noBuild = true; break;
                default: throw new ArgumentException($"unknown option {args[i]}");
            }
        }
        pg ??= Environment.GetEnvironmentVariable("GROUNDTRUTH_TEST_PG");
        if (string.IsNullOrWhiteSpace(pg)) pg = null;
        var gpkg = backend is null or "gpkg" or "both";
        if (backend == "gpkg") pg = null;
        else if (backend is "pg" or "both" && pg is null) throw new ArgumentException("--backend pg needs --pg or GROUNDTRUTH_TEST_PG");
        else if (backend is not (null or "pg" or "both")) throw new ArgumentException($"unknown backend {backend}: gpkg, pg or both");
        if (seed is not null && !File.Exists(seed)) throw new ArgumentException($"--gpkg {seed}: no such file");
        return new E2eOptions(scales, gpkg, pg, runs, web, output, timeout, Path.GetFullPath(dataDir), seed, verbs, noBuild, importRows);
    }

    /// <summary>The connection string of database <paramref name="database"/> on the --pg server.</summary>
    public string PgDatabase(string database) => new NpgsqlConnectionStringBuilder(Pg) { Database = database }.ConnectionString;

    private static int Positive(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v > 0 ? v : throw new ArgumentException($"not a positive whole number: {text}");
}
