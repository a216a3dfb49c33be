using System.Globalization;

namespace Groundtruth.Benchmarks;

internal sealed record ImportOptions(
    IReadOnlyList<int> Rows, string? Pg, bool Gpkg, bool Memory, bool Profile, int Warmup, int Repeat, double WaitIdle, string? Dir, bool Keep, string PgFirstLoad = "direct")
{
    public static ImportOptions Parse(string[] args)
    {
        var rows = new List<int> { 1_000_000 };
        string? pg = null, dir = null, backend = null;
        bool memory = false, profile = false, keep = false;
        var firstLoad = "direct";
        int warmup = 10_000, repeat = 1;
        double waitIdle = 120;
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--rows": rows = [.. Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Count)]; break;
                case "--pg": pg = Value(); break;
                case "--backend": backend = Value(); break;
                case "--warmup": warmup = Count(Value()); break;
                case "--repeat": repeat = Math.Max(1, Count(Value())); break;
                case "--memory": memory = true; break;
                case "--profile": profile = true; break;
                case "--wait-idle": waitIdle = Count(Value()); break;
                case "--dir": dir = Value(); break;
                case "--keep": keep = true; break;
                case "--pg-first-load": firstLoad = Value(); break;
                case "--pg-insert-select": firstLoad = "insert-select"; break;
                default: throw new ArgumentException($"unknown option {args[i]}");
            }
        }
        pg ??= Environment.GetEnvironmentVariable("GROUNDTRUTH_TEST_PG");
        if (string.IsNullOrWhiteSpace(pg)) pg = null;
        var gpkg = backend is null or "gpkg" or "all";
        if (backend == "gpkg") pg = null;
        else if (backend is "pg" or "all" && pg is null) throw new ArgumentException("--backend pg needs --pg or GROUNDTRUTH_TEST_PG");
        else if (backend is not (null or "pg" or "all")) throw new ArgumentException($"unknown backend {backend}");
        if (firstLoad is not ("direct" or "staged" or "insert-select")) throw new ArgumentException($"unknown --pg-first-load {firstLoad}: direct, staged or insert-select");
        return new ImportOptions(rows, pg, gpkg, memory, profile, warmup, repeat, waitIdle, dir, keep, firstLoad);
    }

    /// <summary>1000000, 1e6, 100k, 1M.</summary>
    public static int Count(string text)
    {
        var t = text.Trim().Replace("_", "", StringComparison.Ordinal);
        var factor = 1.0;
        if (t.EndsWith('k') || t.EndsWith('K')) { factor = 1e3; t = t[..^1]; }
        else if (t.EndsWith('m') || t.EndsWith('M')) { factor = 1e6; t = t[..^1]; }
        return double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v >= 0
            ? (int)Math.Round(v * factor)
            : throw new ArgumentException($"not a count: {text}");
    }
}
