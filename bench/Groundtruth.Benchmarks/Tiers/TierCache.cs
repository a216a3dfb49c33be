using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Groundtruth.Application.Demo;

namespace Groundtruth.Benchmarks.Tiers;

/// <summary>What a cached tier holds: the demo's <c>hazards.csv</c> (the polygons) and <c>finds.csv</c> (the points).</summary>
/// <param name="GenerateSeconds">How long the demo took to write the files (when this cache was made).</param>
internal sealed record TierManifest(
    int FormatVersion, string Tier, int Seed, int Scale, string Today, int PointStride,
    long Polygons, long Points, long DemoFinds, long PolygonsBytes, long PointsBytes, double GenerateSeconds, string CreatedUtc);

/// <summary>A tier's files on disk.</summary>
internal sealed record TierFiles(TierSpec Spec, string Directory, string PolygonsCsv, string PointsCsv, TierManifest Manifest, bool Generated);

/// <summary>
/// Generates a tier's CSVs once with the demo generator and keeps them in a cache directory
/// (<c>$GROUNDTRUTH_BENCH_CACHE</c>, else <c>$TMPDIR/groundtruth-bench</c>): <c>tier-&lt;name&gt;/hazards.csv</c>,
/// <c>finds.csv</c> and <c>manifest.json</c>. The manifest is written last and the directory renamed into
/// place, so a run that was interrupted never leaves a half-written tier that looks complete; a lock file
/// keeps two benchmark processes from generating the same tier at once.
/// </summary>
internal static class TierCache
{
    public const string PolygonsFile = "hazards.csv";
    public const string PointsFile = "finds.csv";
    public const string ManifestFile = "manifest.json";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static string DefaultRoot() =>
        Environment.GetEnvironmentVariable("GROUNDTRUTH_BENCH_CACHE") is { Length: > 0 } root
            ? root
            : Path.Combine(Path.GetTempPath(), "groundtruth-bench");

    /// <summary>The tier's files, generated first when the cache lacks them or holds another version.</summary>
    public static TierFiles Ensure(TierSpec spec, string? root = null, Action<string>? log = null)
    {
        root ??= DefaultRoot();
        Directory.CreateDirectory(root);
        var dir = Path.Combine(root, $"tier-{spec.Name}");
        if (TryOpen(spec, dir) is { } cached) return cached;

        using var lockFile = AcquireLock(Path.Combine(root, $".tier-{spec.Name}.lock"), log);
        if (TryOpen(spec, dir) is { } madeMeanwhile) return madeMeanwhile;

        log?.Invoke($"tier {spec.Name}: generating the demo at scale {spec.Scale} (seed {TierSpec.Seed}, as of {TierSpec.Today:yyyy-MM-dd}) into {dir}; this happens once");
        var work = Path.Combine(root, $"tier-{spec.Name}.tmp-{Environment.ProcessId}");
        if (Directory.Exists(work)) Directory.Delete(work, recursive: true);
        var watch = Stopwatch.StartNew();
        var files = DemoData.WriteFiles(work, TierSpec.Seed, spec.Scale, TierSpec.Today);
        var generateSeconds = watch.Elapsed.TotalSeconds;
        var hazards = files.Single(f => f.Name == "hazards");
        var finds = files.Single(f => f.Name == "finds");
        foreach (var f in files.Where(f => f != hazards && f != finds)) File.Delete(f.Path);
        var points = finds.Records;
        if (spec.PointStride > 1)
        {
            var subset = Path.Combine(work, "finds.subset.csv");
            points = KeepEveryNth(finds.Path, subset, spec.PointStride);
            File.Move(subset, finds.Path, overwrite: true);
        }
        log?.Invoke(string.Create(CultureInfo.InvariantCulture,
            $"tier {spec.Name}: {hazards.Records} hazards, {finds.Records} finds{(spec.PointStride > 1 ? $" (every {spec.PointStride}th kept: {points})" : "")} in {generateSeconds:F1} s"));

        var manifest = new TierManifest(
            TierSpec.FormatVersion, spec.Name, TierSpec.Seed, spec.Scale, TierSpec.Today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), spec.PointStride,
            hazards.Records, points, finds.Records, new FileInfo(hazards.Path).Length, new FileInfo(finds.Path).Length,
            Math.Round(generateSeconds, 1), DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
        File.WriteAllText(Path.Combine(work, ManifestFile), JsonSerializer.Serialize(manifest, Json));
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        Directory.Move(work, dir);
        return TryOpen(spec, dir, generated: true) ?? throw new InvalidOperationException($"tier {spec.Name}: the cache in {dir} is not readable after generating it");
    }

    private static TierFiles? TryOpen(TierSpec spec, string dir, bool generated = false)
    {
        var manifestPath = Path.Combine(dir, ManifestFile);
        if (!File.Exists(manifestPath)) return null;
        TierManifest? m;
        try
        {
            m = JsonSerializer.Deserialize<TierManifest>(File.ReadAllText(manifestPath), Json);
        }
        catch (JsonException)
        {
            return null;
        }
        var polygons = Path.Combine(dir, PolygonsFile);
        var points = Path.Combine(dir, PointsFile);
        if (m is null || m.FormatVersion != TierSpec.FormatVersion || m.Seed != TierSpec.Seed || m.Scale != spec.Scale || m.PointStride != spec.PointStride
            || m.Today != TierSpec.Today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
            || !File.Exists(polygons) || !File.Exists(points)
            || new FileInfo(polygons).Length != m.PolygonsBytes || new FileInfo(points).Length != m.PointsBytes)
        {
            return null;
        }
        return new TierFiles(spec, dir, polygons, points, m, generated);
    }

    /// <summary>Copies the header and every <paramref name="stride"/>-th data row (the 1st, the (n+1)th, ...); returns the rows kept.</summary>
    private static long KeepEveryNth(string source, string target, int stride)
    {
        using var reader = new StreamReader(source, Encoding.UTF8, false, 1 << 16);
        using var writer = new StreamWriter(target, false, new UTF8Encoding(false), 1 << 16);
        var header = reader.ReadLine() ?? throw new InvalidDataException($"{source} is empty");
        writer.Write(header);
        writer.Write('\n');
        long row = 0, kept = 0;
        while (reader.ReadLine() is { } line)
        {
            // The demo quotes fields with commas or quotes but writes no line breaks inside fields: a line is a row.
            if (line.AsSpan().Count('"') % 2 != 0) throw new InvalidDataException($"{source}: row {row + 1} spans lines");
            if (row++ % stride != 0) continue;
            writer.Write(line);
            writer.Write('\n');
            kept++;
        }
        return kept;
    }

    private static FileStream AcquireLock(string path, Action<string>? log)
    {
        var watch = Stopwatch.StartNew();
        var told = false;
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            }
            catch (IOException) when (watch.Elapsed < TimeSpan.FromMinutes(30))
            {
                if (!told) log?.Invoke($"waiting for another process generating the same tier ({path})");
                told = true;
                Thread.Sleep(2000);
            }
        }
    }
}
