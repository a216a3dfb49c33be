namespace Groundtruth.Benchmarks.Tiers;

/// <summary>
/// A benchmark tier: the demo programme at one scale, its hazardous areas as the polygon set and its
/// finds as the points. Shared by every benchmark that needs realistic polygons and points.
/// </summary>
/// <remarks>
/// The demo gives 40 hazards and about 2,000 finds per unit of scale, so the polygon count fixes the
/// scale; a tier with fewer points than the demo writes keeps every <see cref="PointStride"/>-th find
/// (a deterministic, spatially unbiased subsample: the demo writes finds hazard by hazard, so a prefix
/// would cover only the first hazards). Seed and date are fixed so the files are byte-identical on every
/// machine and every day.
/// </remarks>
/// <param name="Name">S, M.</param>
/// <param name="Scale">The demo's scale.</param>
/// <param name="PointStride">Keep every n-th find (1: all).</param>
/// <param name="NominalPolygons">The size the tier is meant to have (the actual counts come from the demo).</param>
/// <param name="NominalPoints">Likewise for points.</param>
internal sealed record TierSpec(string Name, int Scale, int PointStride, int NominalPolygons, int NominalPoints)
{
    /// <summary>The demo's seed for every tier.</summary>
    public const int Seed = 1;

    /// <summary>The demo's "today" for every tier: fixed, so the data does not change from day to day.</summary>
    public static readonly DateOnly Today = new(2025, 1, 1);

    /// <summary>Bumped whenever the cached files' layout changes, so old caches are regenerated.</summary>
    public const int FormatVersion = 1;

    /// <summary>20k polygons, 100k points: the demo at scale 500 (1 M finds, every 10th kept).</summary>
    public static readonly TierSpec S = new("S", 500, 10, 20_000, 100_000);

    /// <summary>100k polygons, 5 M points: the demo at scale 2500, every find.</summary>
    public static readonly TierSpec M = new("M", 2500, 1, 100_000, 5_000_000);

    public static IReadOnlyList<TierSpec> All { get; } = [S, M];

    public static TierSpec Parse(string name) =>
        All.FirstOrDefault(t => string.Equals(t.Name, name.Trim(), StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"unknown tier {name} (known: {string.Join(", ", All.Select(t => t.Name))})");
}
