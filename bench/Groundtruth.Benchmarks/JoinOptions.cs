using System.Globalization;
using Groundtruth.Benchmarks.Tiers;

namespace Groundtruth.Benchmarks;

/// <summary>The options of <c>join</c>; see <see cref="Usage"/>.</summary>
internal sealed record JoinOptions(
    TierSpec Tier, string? Pg, int Repeat, int PgRepeat, string Nts, bool Profile, double WaitIdle, string? Cache, bool KeepDb, bool PgAnalyze)
{
    public const string Usage = """

               Groundtruth.Benchmarks join --tier S|M [--pg CONNSTRING | --no-pg] [--repeat N] [--pg-repeat N]
                                           [--nts auto|on|off] [--profile] [--pg-analyze] [--wait-idle S] [--cache DIR] [--keep-db]

          --tier       S: 20k polygons, 100k points; M: 100k polygons, 5 M points (hazards and finds of the demo
                       generator, generated once into the cache and reused)
          --pg         PostgreSQL/PostGIS connection string for the baseline (default: $GROUNDTRUTH_TEST_PG); the
                       same data is loaded into a fresh database <Database>_join_<pid>, dropped afterwards
          --repeat     timed runs of the engine (default 5, after one untimed warm-up; the median counts) and of
                       each PostGIS query (default 3 at tier S, 1 at tier M; an explicit --repeat applies to both)
          --pg-repeat  timed runs of each PostGIS query, whatever --repeat says
          --nts        the straightforward NetTopologySuite path for orientation (STRtree of prepared geometries,
                       a Point per query, Parallel.For): auto (default) runs it when a 1 % sample predicts < 60 s
          --profile    add the engine's profile: candidates per point, lookup vs point-in-polygon time
          --pg-analyze also run EXPLAIN ANALYZE (TIMING OFF) at tier M, for the workers launched (one more full query each)
          --wait-idle  before each timed section, wait up to S seconds for an idle machine (default 60, 0 = don't)
          --cache      the tier cache (default $GROUNDTRUTH_BENCH_CACHE or $TMPDIR/groundtruth-bench)
          --keep-db    keep the PostgreSQL database
        """;

    public static JoinOptions Parse(string[] args)
    {
        TierSpec? tier = null;
        string? pg = null, cache = null, nts = "auto";
        int? repeat = null, pgRepeat = null;
        bool noPg = false, profile = false, keepDb = false, pgAnalyze = false;
        double waitIdle = 60;
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--tier": tier = TierSpec.Parse(Value()); break;
                case "--pg": pg = Value(); break;
                case "--no-pg": noPg = true; break;
                case "--repeat": repeat = Positive(Value()); break;
                case "--pg-repeat": pgRepeat = Positive(Value()); break;
                case "--nts": nts = Value(); if (nts is not ("auto" or "on" or "off")) throw new ArgumentException("--nts takes auto, on or off"); break;
                case "--profile": profile = true; break;
                case "--pg-analyze": pgAnalyze = true; break;
                case "--wait-idle": waitIdle = double.Parse(Value(), NumberStyles.Float, CultureInfo.InvariantCulture); break;
                case "--cache": cache = Value(); break;
                case "--keep-db": keepDb = true; break;
                default: throw new ArgumentException($"unknown option {args[i]}");
            }
        }
        if (tier is null) throw new ArgumentException("join needs --tier S or --tier M");
        pg ??= Environment.GetEnvironmentVariable("GROUNDTRUTH_TEST_PG");
        if (noPg || string.IsNullOrWhiteSpace(pg)) pg = null;
        var engineRepeat = repeat ?? 5;
        var pgRuns = pgRepeat ?? repeat ?? (tier == TierSpec.M ? 1 : 3);
        return new JoinOptions(tier, pg, engineRepeat, pgRuns, nts, profile, waitIdle, cache, keepDb, pgAnalyze || tier != TierSpec.M);
    }

    private static int Positive(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : throw new ArgumentException($"not a positive count: {text}");
}
