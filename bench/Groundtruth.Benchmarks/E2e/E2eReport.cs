using System.Globalization;
using System.Text;

namespace Groundtruth.Benchmarks.E2e;

/// <summary>What the issue asks of a verb at a demo scale.</summary>
internal sealed record E2eTargets(double WallSeconds, double PeakMb, bool NotSlowerThanSql)
{
    public const double WebFirstSeconds = 3.0;
    public const double WebWarmSeconds = 0.2;
    public const double MaxGrowth = 6.0;

    /// <summary>Up to scale 500: 10 s and 2 GiB; from 2500 on: 60 s, 6 GiB and no slower than PostGIS SQL.</summary>
    public static E2eTargets For(int scale) => scale >= 2500 ? new(60, 6 * 1024, true) : new(10, 2 * 1024, false);
}

/// <summary>A timed PostGIS question: its time, or why there is none.</summary>
internal sealed record SqlTime(double? Seconds, string? Note = null)
{
    public static readonly SqlTime Timeout = new(null, "timeout");
}

/// <summary>One verb on one store: every run, and the SQL answering the same question.</summary>
internal sealed record VerbRow(string Form, string Backend, IReadOnlyList<ChildResult> Runs, SqlTime? Sql)
{
    public bool AllOk => Runs.Count > 0 && Runs.All(r => r.Ok);
    public double? MedianWall => AllOk ? Median(Runs.Select(r => r.WallSeconds)) : null;
    public double? PeakMb => AllOk && Runs.All(r => r.PeakMb is not null) ? Runs.Max(r => r.PeakMb!.Value) : null;

    public bool Met(E2eTargets targets) =>
        MedianWall is { } wall && PeakMb is { } peak && wall <= targets.WallSeconds && peak <= targets.PeakMb
        && (!targets.NotSlowerThanSql || Sql?.Seconds is not { } sql || wall <= sql);

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0) throw new ArgumentException("no values", nameof(values));
        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}

/// <summary>One page or API route: the first response after a change of the data, and the warm ones.</summary>
/// <param name="NotCached">Why the row has no warm response (the host starting, a sign-in, the write itself): nothing an
/// answer could be kept for; such a row is judged on its one response (≤ the first-response target).</param>
internal sealed record WebRow(string Route, string Backend, double? FirstSeconds, int FirstStatus, IReadOnlyList<double> WarmSeconds, int WarmStatus, string? Note = null,
    string? NotCached = null)
{
    public double? MedianWarm => WarmSeconds.Count == 0 ? null : VerbRow.Median(WarmSeconds);

    /// <summary>After a 202 (a route asked with <c>Prefer: respond-async</c>): when its status said the result was ready.</summary>
    public double? ReadySeconds { get; init; }

    public bool Met => NotCached is not null
        ? FirstSeconds is { } once && once <= E2eTargets.WebFirstSeconds && FirstStatus is > 0 and < 500
        : FirstSeconds is { } first && MedianWarm is { } warm
          && first <= E2eTargets.WebFirstSeconds && warm <= E2eTargets.WebWarmSeconds && FirstStatus < 500 && WarmStatus < 500;
}

/// <summary>The markdown tables of an <c>e2e</c> run.</summary>
internal static class E2eReport
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string VerbTable(int scale, IReadOnlyList<VerbRow> rows)
    {
        var t = E2eTargets.For(scale);
        var sb = new StringBuilder();
        sb.Append(Inv, $"### Scale {scale}: CLI verbs (target ≤ {t.WallSeconds:0} s, ≤ {t.PeakMb / 1024:0} GiB{(t.NotSlowerThanSql ? ", no slower than PostGIS SQL" : "")})\n\n");
        sb.Append("| verb | backend | wall (median) | peak MB | PostGIS SQL | target |\n|---|---|---|---|---|---|\n");
        foreach (var r in rows)
        {
            sb.Append(Inv, $"| `{Escape(r.Form)}` | {r.Backend} | {Wall(r)} | {(r.PeakMb is { } p ? p.ToString("N0", Inv) : "–")} | {Sql(r.Sql)} | {(r.Runs.Count == 0 ? "– (not run)" : r.Met(t) ? "met" : "**missed**")} |\n");
        }
        var judged = rows.Where(r => r.Runs.Count > 0).ToList();
        var met = judged.Count(r => r.Met(t));
        sb.Append(Inv, $"\n{met} of {judged.Count} met{(judged.Count < rows.Count ? $" ({rows.Count - judged.Count} not run)" : "")}.\n");
        return sb.ToString();
    }

    public static string WebTable(int scale, IReadOnlyList<WebRow> rows)
    {
        var sb = new StringBuilder();
        sb.Append(Inv, $"### Scale {scale}: web host (target: first response after a change ≤ {E2eTargets.WebFirstSeconds:0} s, cached ≤ {E2eTargets.WebWarmSeconds * 1000:0} ms)\n\n");
        sb.Append("| route | backend | first after a change | status | warm (median) | target |\n|---|---|---|---|---|---|\n");
        foreach (var r in rows)
        {
            var first = r.FirstSeconds is { } f ? Ms(f) + (r.ReadySeconds is { } ready ? $" (202; ready after {Ms(ready)})" : "") : r.Note ?? "timeout";
            var warm = r.MedianWarm is { } w ? Ms(w) : r.NotCached is { } why ? $"– ({why})" : "–";
            sb.Append(Inv, $"| `{Escape(r.Route)}` | {r.Backend} | {first} | {r.FirstStatus} | {warm} | {(r.Met ? "met" : "**missed**")} |\n");
        }
        sb.Append(Inv, $"\n{rows.Count(r => r.Met)} of {rows.Count} met.\n");
        return sb.ToString();
    }

    /// <summary>Wall time at the largest scale ÷ at the smallest, per verb and store (target ≤ ~6).</summary>
    public static string GrowthTable(int small, IReadOnlyList<VerbRow> smallRows, int large, IReadOnlyList<VerbRow> largeRows)
    {
        var sb = new StringBuilder();
        sb.Append(Inv, $"### Growth {large}/{small} (target ≤ ~{E2eTargets.MaxGrowth:0})\n\n| verb | backend | {small} | {large} | growth | target |\n|---|---|---|---|---|---|\n");
        foreach (var s in smallRows)
        {
            var l = largeRows.FirstOrDefault(x => x.Form == s.Form && x.Backend == s.Backend);
            if (l is null) continue;
            // Judged on the ratio as shown (one decimal): 6.04 reads 6.0 and is met.
            var ratio = s.MedianWall is { } a && l.MedianWall is { } b && a > 0 ? Math.Round(b / a, 1) : (double?)null;
            var judged = ratio is not { } r ? "–" : r <= E2eTargets.MaxGrowth ? "met" : $"**over ~{E2eTargets.MaxGrowth:0}**";
            sb.Append(Inv, $"| `{Escape(s.Form)}` | {s.Backend} | {Wall(s)} | {Wall(l)} | {(ratio is { } g ? g.ToString("0.0", Inv) : "–")} | {judged} |\n");
        }
        return sb.ToString();
    }

    public static string Wall(VerbRow r)
    {
        if (r.Runs.Count == 0) return "not run";
        if (r.Runs.Any(x => x.TimedOut)) return $"timeout (> {r.Runs.Max(x => x.WallSeconds):0} s)";
        if (r.Runs.FirstOrDefault(x => x.ExitCode != 0) is { } failed) return $"exit {failed.ExitCode}";
        return Seconds(r.MedianWall!.Value);
    }

    private static string Sql(SqlTime? sql) => sql switch
    {
        null => "",
        { Seconds: { } s } => Seconds(s),
        { Note: { } n } => n,
        _ => "",
    };

    public static string Seconds(double s) => s < 10 ? s.ToString("0.00 's'", Inv) : s.ToString("0.0 's'", Inv);

    private static string Ms(double s) => s < 1 ? (s * 1000).ToString("0 'ms'", Inv) : Seconds(s);

    private static string Escape(string text) => text.Replace("|", "\\|", StringComparison.Ordinal);
}
