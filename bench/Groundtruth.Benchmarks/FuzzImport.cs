using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Groundtruth.Application.Admin;
using Groundtruth.Application.Datasets;
using Groundtruth.Application.Import;
using Groundtruth.Application.Storage;

namespace Groundtruth.Benchmarks;

/// <summary>
/// Seeded mutation fuzzing of the importer (issue 14, item 6), opt-in: <c>Groundtruth.Benchmarks fuzz</c>. Each run takes
/// a good file of one kind — CSV, GeoJSON, a mapping file, an Excel workbook, a zipped Shapefile — changes a few bytes,
/// lines or, inside a workbook or a zip, one member, and imports it as a dry run. Accepted or refused with
/// <see cref="ImportRejectedException"/> is fine; any other exception is a finding, written to <c>--out</c> as a file
/// that <c>FuzzFixtureTests</c> replays once it is copied to <c>tests/data/fuzz</c>.
/// </summary>
/// <remarks>
/// Blind but reproducible: the same seed gives the same inputs. The coverage-guided counterpart is the afl-fuzz harness
/// in fuzz/ (fuzz/run.sh, SharpFuzz).
/// </remarks>
internal static class FuzzImport
{
    public const string Usage = """

               Groundtruth.Benchmarks fuzz [--seed N] [--runs N] [--kinds csv,geojson,mapping,xlsx,shapefile] [--out DIR]
                 imports mutated copies of good files (dry runs on a scratch GeoPackage); any exception other than the
                 importer's refusal is written to DIR (default ./fuzz-findings) with the mutated file, to become a fixture
        """;

    private sealed record Kind(string Name, string Dataset, string Data, string? Mapping, bool MutateMapping = false);

    public static async Task<int> RunAsync(string[] args)
    {
        var seed = 14;
        var runs = 2000;
        var outDir = Path.GetFullPath("fuzz-findings");
        string[]? only = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--seed": seed = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--runs": runs = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--out": outDir = Path.GetFullPath(args[++i]); break;
                case "--kinds": only = args[++i].Split(','); break;
                default: throw new ArgumentException($"fuzz: unknown option '{args[i]}'");
            }
        }
        var root = FindRoot();
        string Data(string relative) => Path.Combine(root, "tests", "data", relative);
        Kind[] kinds =
        [
            new("csv", "finds", Data("programme/finds.csv"), null),
            new("geojson", "hazards", Data("registers/hazards-national-grid.geojson"), Data("registers/hazards-national-grid.map.json")),
            new("mapping", "finds", Data("mapping/operator-finds.csv"), Data("mapping/operator-finds.map.json"), MutateMapping: true),
            new("xlsx", "finds", Data("registers/excel-finds.xlsx"), Data("registers/excel-finds.map.json")),
            new("shapefile", "hazards", Data("registers/hazards-national-grid.zip"), Data("registers/hazards-national-grid.map.json")),
        ];
        if (only is not null) kinds = [.. kinds.Where(k => only.Contains(k.Name))];
        if (kinds.Length == 0) throw new ArgumentException("fuzz: --kinds names none of csv, geojson, mapping, xlsx, shapefile");

        var scratch = Directory.CreateTempSubdirectory("groundtruth-fuzz-").FullName;
        try
        {
            var target = DatabaseTarget.ForFile(Path.Combine(scratch, "fuzz.gpkg"));
            await new InitHandler(target, TimeProvider.System).HandleAsync("fuzz");
            var importer = new ImportHandler(target, TimeProvider.System);
            var random = new Random(seed);
            var counts = kinds.ToDictionary(k => k.Name, _ => (Accepted: 0, Refused: 0, Findings: 0));
            var findings = new HashSet<string>(StringComparer.Ordinal);
            var watch = Stopwatch.StartNew();
            for (var run = 0; run < runs; run++)
            {
                var kind = kinds[run % kinds.Length];
                var data = await File.ReadAllBytesAsync(kind.Data);
                var mapping = kind.Mapping is null ? null : await File.ReadAllBytesAsync(kind.Mapping);
                if (kind.MutateMapping) mapping = Mutate(mapping!, random);
                else data = Path.GetExtension(kind.Data) is ".xlsx" or ".zip" ? MutateArchive(data, random) : Mutate(data, random);

                var name = Path.GetFileName(kind.Data);
                var dataPath = Path.Combine(scratch, name);
                await File.WriteAllBytesAsync(dataPath, data);
                string? mappingPath = null;
                if (mapping is not null)
                {
                    mappingPath = dataPath + ".map.json";
                    await File.WriteAllBytesAsync(mappingPath, mapping);
                }
                var c = counts[kind.Name];
                try
                {
                    await importer.HandleAsync(new ImportRequest(DatasetCatalog.Find(kind.Dataset)!, dataPath, mappingPath, DryRun: true, Actor: "fuzz"));
                    c.Accepted++;
                }
                catch (ImportRejectedException)
                {
                    c.Refused++;
                }
                catch (Exception e)
                {
                    c.Findings++;
                    var signature = $"{kind.Name}|{e.GetType().FullName}|{e.StackTrace?.Split('\n').FirstOrDefault(l => l.Contains("Groundtruth", StringComparison.Ordinal))?.Trim()}";
                    if (findings.Add(signature))
                    {
                        Directory.CreateDirectory(outDir);
                        var stem = $"{kind.Dataset}-{kind.Name}-{Convert.ToHexStringLower(SHA256.HashData(data.Concat(mapping ?? []).ToArray()))[..12]}";
                        var ext = Path.GetExtension(kind.Data);
                        await File.WriteAllBytesAsync(Path.Combine(outDir, stem + ext), data);
                        if (mapping is not null) await File.WriteAllBytesAsync(Path.Combine(outDir, stem + ext + ".map.json"), mapping);
                        await File.WriteAllTextAsync(Path.Combine(outDir, stem + ".txt"), $"seed {seed}, run {run}\n{e}\n");
                        await Console.Error.WriteLineAsync($"finding (run {run}, {kind.Name}): {e.GetType().Name}: {e.Message}");
                    }
                }
                counts[kind.Name] = c;
                if ((run + 1) % 250 == 0) await Console.Error.WriteLineAsync($"{run + 1}/{runs} runs, {findings.Count} distinct finding(s)");
            }
            watch.Stop();
            foreach (var (kind, c) in counts)
                Console.WriteLine($$"""{"fuzz":"{{kind}}","seed":{{seed}},"runs":{{c.Accepted + c.Refused + c.Findings}},"accepted":{{c.Accepted}},"refused":{{c.Refused}},"findings":{{c.Findings}}}""");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $$"""{"fuzz":"all","seed":{{seed}},"runs":{{runs}},"distinct_findings":{{findings.Count}},"seconds":{{watch.Elapsed.TotalSeconds:F1}},"runs_per_second":{{runs / watch.Elapsed.TotalSeconds:F1}}}"""));
            return findings.Count == 0 ? 0 : 1;
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    /// <summary>Bytes and text fragments that tend to matter to parsers: delimiters, quotes, brackets, odd code points.</summary>
    private static readonly byte[][] Tokens =
    [
        .. new[] { ",", ";", "\t", "\"", "\"\"", "'", "\n", "\r\n", "\r", "{", "}", "[", "]", ":", "null", "-1", "1e309", "NaN", "0",
            "99999999999999999999", "2024-13-45", "2024", "\u202E", "\uFEFF", "\u0000", "é", "POLYGON((", "POINT(", ")))", "=1+1", "-", "" }
            .Select(Encoding.UTF8.GetBytes),
        [0xFF], [0xC3], [0x80], [0xFE, 0xFF],
    ];

    /// <summary>One to eight mutations: a byte changed, a token inserted or substituted, a span deleted, repeated or cut short.</summary>
    internal static byte[] Mutate(byte[] input, Random random)
    {
        var bytes = new List<byte>(input);
        var count = random.Next(1, 9);
        for (var m = 0; m < count; m++)
        {
            if (bytes.Count == 0) bytes.AddRange(Tokens[random.Next(Tokens.Length)]);
            var at = random.Next(bytes.Count);
            switch (random.Next(6))
            {
                case 0:
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1:
                    bytes.InsertRange(at, Tokens[random.Next(Tokens.Length)]);
                    break;
                case 2:
                {
                    var token = Tokens[random.Next(Tokens.Length)];
                    bytes.RemoveRange(at, Math.Min(token.Length == 0 ? 1 : token.Length, bytes.Count - at));
                    bytes.InsertRange(at, token);
                    break;
                }
                case 3:
                    bytes.RemoveRange(at, Math.Min(random.Next(1, 64), bytes.Count - at));
                    break;
                case 4:
                {
                    var length = Math.Min(random.Next(1, 256), bytes.Count - at);
                    var span = bytes.GetRange(at, length);
                    bytes.InsertRange(random.Next(bytes.Count), span);
                    break;
                }
                default:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
            }
        }
        return [.. bytes];
    }

    /// <summary>A workbook or zipped Shapefile: most often one member mutated and the archive rebuilt, sometimes the archive's own bytes.</summary>
    internal static byte[] MutateArchive(byte[] input, Random random)
    {
        if (random.Next(4) == 0) return Mutate(input, random);
        using var source = new ZipArchive(new MemoryStream(input), ZipArchiveMode.Read);
        var members = source.Entries.Where(e => e.Length > 0).ToList();
        var victim = members[random.Next(members.Count)].FullName;
        var output = new MemoryStream();
        using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var entry in source.Entries)
            {
                using var read = entry.Open();
                using var buffer = new MemoryStream();
                read.CopyTo(buffer);
                var content = entry.FullName == victim ? Mutate(buffer.ToArray(), random) : buffer.ToArray();
                using var write = zip.CreateEntry(entry.FullName).Open();
                write.Write(content);
            }
        }
        return output.ToArray();
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Groundtruth.slnx"))) return dir.FullName;
        throw new InvalidOperationException("run from inside the Groundtruth repository (Groundtruth.slnx not found above the binary)");
    }
}
