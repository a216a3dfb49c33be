using System.IO.Compression;
using Groundtruth.Application.Admin;
using Groundtruth.Application.Datasets;
using Groundtruth.Application.Import;
using Groundtruth.Application.Storage;
using SharpFuzz;

namespace Groundtruth.Fuzz;

/// <summary>
/// The coverage-guided harness of the importer's readers (issue 14, item 6; docs/reliability.md): one reader per process,
/// each input imported as a dry run on a scratch GeoPackage. Under <c>afl-fuzz</c> (fuzz/run.sh, with Groundtruth's
/// assemblies instrumented by the <c>sharpfuzz</c> tool) SharpFuzz's fork server runs input after input in this process;
/// accepted, or refused with the importer's <see cref="ImportRejectedException"/>, is fine; any other exception escapes
/// and afl-fuzz records the input as a crash. Without afl-fuzz it runs the input on standard input once, or
/// <c>--replay FILE…</c> runs files and names what each did.
/// </summary>
internal static class Program
{
    private const string Usage = """
        Groundtruth.Fuzz KIND                   run under afl-fuzz (fuzz/run.sh), or once on standard input
        Groundtruth.Fuzz KIND --replay FILE...  import each file as KIND's input and say what happened
        Groundtruth.Fuzz KIND --seed DIR        write KIND's seed input (from tests/data) into DIR
        Groundtruth.Fuzz KIND --materialize FILE... DIR
                                                write each input as the file the importer read (a whole workbook or zip),
                                                with its mapping beside it, named as a tests/data/fuzz fixture
        KIND: csv, geojson, mapping, xlsx, shapefile, xlsx-zip, shapefile-zip
        """;

    /// <summary>
    /// What afl-fuzz's bytes become. <paramref name="Member"/>: the input replaces that member of the good archive
    /// <paramref name="Data"/> (a worksheet, the .shp), so that mutations reach the reader instead of dying in the zip's
    /// checksums; without it the input is the whole file (or, with <paramref name="InputIsMapping"/>, the mapping file).
    /// </summary>
    private sealed record Kind(string Name, string Dataset, string Data, string? Mapping, string? Member = null, bool InputIsMapping = false);

    private static Kind[] Kinds(string root)
    {
        string Data(string relative) => Path.Combine(root, "tests", "data", relative);
        return
        [
            new("csv", "hazards", Data("programme/hazards.csv"), null),
            new("geojson", "hazards", Data("registers/hazards-national-grid.geojson"), Data("registers/hazards-national-grid.map.json")),
            new("mapping", "finds", Data("mapping/operator-finds.csv"), Data("mapping/operator-finds.map.json"), InputIsMapping: true),
            new("xlsx", "finds", Data("registers/excel-finds.xlsx"), Data("registers/excel-finds.map.json"), Member: "xl/worksheets/sheet2.xml"),
            new("shapefile", "hazards", Data("registers/hazards-national-grid.zip"), Data("registers/hazards-national-grid.map.json"), Member: "hazards-national-grid.shp"),
            new("xlsx-zip", "finds", Data("registers/excel-finds.xlsx"), Data("registers/excel-finds.map.json")),
            new("shapefile-zip", "hazards", Data("registers/hazards-national-grid.zip"), Data("registers/hazards-national-grid.map.json")),
        ];
    }

    public static int Main(string[] args)
    {
        var root = FindRoot();
        var kind = args.Length > 0 ? Kinds(root).FirstOrDefault(k => k.Name == args[0]) : null;
        if (kind is null)
        {
            Console.Error.WriteLine(Usage);
            return 2;
        }
        if (args.Length == 3 && args[1] == "--seed")
        {
            Directory.CreateDirectory(args[2]);
            File.WriteAllBytes(Path.Combine(args[2], kind.Name + "-seed" + SeedExtension(kind)), SeedOf(kind));
            return 0;
        }

        if (args.Length > 3 && args[1] == "--materialize")
        {
            Directory.CreateDirectory(args[^1]);
            foreach (var file in args[2..^1]) Console.WriteLine(Materialize(kind, File.ReadAllBytes(file), args[^1]));
            return 0;
        }

        var scratch = Directory.CreateTempSubdirectory("groundtruth-afl-").FullName;
        try
        {
            var data = File.ReadAllBytes(kind.Data);
            var mapping = kind.Mapping is null ? null : File.ReadAllBytes(kind.Mapping);
            if (args.Length > 1 && args[1] == "--replay")
            {
                // Replays run on an uninstrumented build: instrumented code writes to afl-fuzz's shared memory, which
                // exists only inside Fuzzer.Run.
                var importer = Start(scratch);
                var failed = 0;
                foreach (var file in args.Skip(2))
                {
                    try
                    {
                        var outcome = Import(importer, kind, scratch, data, mapping, File.ReadAllBytes(file));
                        Console.WriteLine($"{file}: {outcome}");
                    }
                    catch (Exception e)
                    {
                        failed++;
                        Console.WriteLine($"{file}: ESCAPED {e}");
                    }
                }
                return failed == 0 ? 0 : 1;
            }
            if (args.Length != 1)
            {
                Console.Error.WriteLine(Usage);
                return 2;
            }
            ImportHandler? fuzzed = null;
            Fuzzer.Run(stream =>
            {
                // The scratch database is made on the first input, inside Fuzzer.Run (see above).
                fuzzed ??= Start(scratch);
                using var buffer = new MemoryStream();
                stream.CopyTo(buffer);
                try
                {
                    Import(fuzzed, kind, scratch, data, mapping, buffer.ToArray());
                }
                catch (Exception e) when (Environment.GetEnvironmentVariable("GROUNDTRUTH_FUZZ_LOG") is { Length: > 0 } log)
                {
                    // What escaped, as it escaped inside the long-running fuzzed process (a replay in a fresh one may differ).
                    File.AppendAllText(log, $"--- {DateTime.UtcNow:O}\n{e}\n");
                    throw;
                }
            });
            return 0;
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    private static ImportHandler Start(string scratch)
    {
        var target = DatabaseTarget.ForFile(Path.Combine(scratch, "fuzz.gpkg"));
        new InitHandler(target, TimeProvider.System).HandleAsync("fuzz").GetAwaiter().GetResult();
        return new ImportHandler(target, TimeProvider.System);
    }

    /// <summary>Imports one input as a dry run: "accepted …" or "refused …"; any other exception escapes.</summary>
    private static string Import(ImportHandler importer, Kind kind, string scratch, byte[] data, byte[]? mapping, byte[] input)
    {
        if (kind.InputIsMapping) mapping = input;
        else data = kind.Member is null ? input : Replace(data, kind.Member, input);
        var dataPath = Path.Combine(scratch, Path.GetFileName(kind.Data));
        File.WriteAllBytes(dataPath, data);
        string? mappingPath = null;
        if (mapping is not null)
        {
            mappingPath = dataPath + ".map.json";
            File.WriteAllBytes(mappingPath, mapping);
        }
        try
        {
            var result = importer.HandleAsync(new ImportRequest(DatasetCatalog.Find(kind.Dataset)!, dataPath, mappingPath, DryRun: true, Actor: "fuzz"))
                .GetAwaiter().GetResult();
            return $"accepted ({result.RecordsRead} read)";
        }
        catch (ImportRejectedException e)
        {
            return $"refused ({e.TotalProblems} problem(s); first: {(e.Problems.Count > 0 ? e.Problems[0].Reason : "")})";
        }
    }

    /// <summary>Writes <paramref name="input"/> as the importer's file (and mapping) in <paramref name="dir"/>; returns the file's path.</summary>
    private static string Materialize(Kind kind, byte[] input, string dir)
    {
        var data = File.ReadAllBytes(kind.Data);
        var mapping = kind.Mapping is null ? null : File.ReadAllBytes(kind.Mapping);
        if (kind.InputIsMapping) mapping = input;
        else data = kind.Member is null ? input : Replace(data, kind.Member, input);
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData([.. data, .. mapping ?? []]))[..12];
        var path = Path.Combine(dir, $"{kind.Dataset}-{kind.Name}-afl-{hash}{Path.GetExtension(kind.Data)}");
        File.WriteAllBytes(path, data);
        if (mapping is not null) File.WriteAllBytes(path + ".map.json", mapping);
        return path;
    }

    /// <summary>The good archive with <paramref name="member"/>'s content replaced, every other member as it was.</summary>
    internal static byte[] Replace(byte[] archive, string member, byte[] content)
    {
        using var source = new ZipArchive(new MemoryStream(archive), ZipArchiveMode.Read);
        var output = new MemoryStream();
        using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var entry in source.Entries)
            {
                using var write = zip.CreateEntry(entry.FullName).Open();
                if (entry.FullName == member) write.Write(content);
                else
                {
                    using var read = entry.Open();
                    read.CopyTo(write);
                }
            }
        }
        return output.ToArray();
    }

    private static byte[] SeedOf(Kind kind)
    {
        if (kind.InputIsMapping) return File.ReadAllBytes(kind.Mapping!);
        var data = File.ReadAllBytes(kind.Data);
        if (kind.Member is null) return data;
        using var zip = new ZipArchive(new MemoryStream(data), ZipArchiveMode.Read);
        using var read = zip.GetEntry(kind.Member)!.Open();
        using var buffer = new MemoryStream();
        read.CopyTo(buffer);
        return buffer.ToArray();
    }

    private static string SeedExtension(Kind kind) =>
        kind.InputIsMapping ? ".map.json" : Path.GetExtension(kind.Member ?? kind.Data);

    private static string FindRoot()
    {
        var start = Environment.GetEnvironmentVariable("GROUNDTRUTH_ROOT") ?? AppContext.BaseDirectory;
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Groundtruth.slnx"))) return dir.FullName;
        throw new InvalidOperationException("run from inside the Groundtruth repository (Groundtruth.slnx not found above the binary)");
    }
}
