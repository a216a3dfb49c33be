using System.Globalization;
using Groundtruth.Application.Admin;
using Groundtruth.Application.Datasets;
using Groundtruth.Application.Import;
using Groundtruth.Application.Security;
using Groundtruth.Application.Storage;
using Microsoft.EntityFrameworkCore;

namespace Groundtruth.Application.Demo;

/// <summary>What <c>groundtruth demo</c> generates.</summary>
/// <param name="Seed">Same seed, same programme (on the same date).</param>
/// <param name="Scale">Multiplies the hazards, records, activities, land release, finds, accidents and casualties; the gazetteer stays the same.</param>
public sealed record DemoRequest(int Seed = 1, int Scale = 1, string Actor = "demo");

/// <summary>What the demo imported, and the personal-data key file it created (null when a key was already configured, or none is needed).</summary>
public sealed record DemoResult(IReadOnlyList<ImportResult> Imports, string? KeyFile);

/// <summary>
/// Fills a new database with a synthetic, fictional mine action programme: creates (or upgrades) the
/// database, writes the demo's CSV files to a temporary directory and imports each through the real
/// importer in load order (hazards twice: the earlier state, then the current one, so the areas have a
/// history), then deletes the files.
/// </summary>
/// <remarks>
/// Casualties' personal data needs a key. When none is configured, a GeoPackage gets a new key file beside
/// it (<c>&lt;database&gt;.key</c>, reported in <see cref="DemoResult.KeyFile"/>); a PostgreSQL database gets
/// no personal data.
/// </remarks>
public sealed class DemoHandler(DatabaseTarget target, TimeProvider clock)
{
    /// <summary>Recorded as the source of every submission the demo makes.</summary>
    public const string Source = "groundtruth demo (synthetic, fictional data)";

    public async Task<DemoResult> HandleAsync(DemoRequest request, IProgress<string>? progress = null, CancellationToken ct = default)
    {
        if (request.Scale < 1) throw new ArgumentOutOfRangeException(nameof(request), request.Scale, "the scale must be at least 1");
        await new InitHandler(target, clock).HandleAsync(request.Actor, ct);
        await RefuseDataAsync(ct);

        string? keyFile = null;
        var includePersonal = PersonalDataProtector.FromConfiguration(target.FilePath) is not null;
        if (!includePersonal && target.IsGeoPackage)
        {
            keyFile = target.FilePath + ".key";
            PersonalDataProtector.WriteKeyFile(keyFile);
            includePersonal = true;
        }

        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var directory = PrivateFiles.CreateTemporaryFolder("groundtruth-demo-");
        try
        {
            progress?.Report(string.Create(CultureInfo.InvariantCulture,
                $"generating the demo programme: seed {request.Seed}, scale {request.Scale}, as of {today:yyyy-MM-dd}{(includePersonal ? "" : ", without personal data (no key)")}"));
            var files = DemoData.WriteFiles(directory, request.Seed, request.Scale, today, includePersonal);
            var importer = new ImportHandler(target, clock);
            var imports = new List<ImportResult>(files.Count);
            foreach (var file in files)
            {
                ct.ThrowIfCancellationRequested();
                var result = await importer.HandleAsync(new ImportRequest(file.Dataset, file.Path, Actor: request.Actor, Source: Source), null, ct);
                imports.Add(result);
                progress?.Report(Describe(file, result));
            }
            return new DemoResult(imports, keyFile);
        }
        finally
        {
            try
            {
                if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // A temporary directory left behind is harmless; the import's outcome matters more.
            }
        }
    }

    /// <summary>The import's one-line summary, naming the hazards' earlier state as such.</summary>
    public static string Describe(DemoFile file, ImportResult result) =>
        file.Name == DemoData.InitialHazardsName
            ? string.Concat(result.Dataset, " (earlier state)", result.Summary().AsSpan(result.Dataset.Length))
            : result.Summary();

    /// <summary>The demo never mixes with real data: it fills an empty database only.</summary>
    private async Task RefuseDataAsync(CancellationToken ct)
    {
        await using var db = target.CreateContext();
        await db.Database.OpenConnectionAsync(ct);
        foreach (var dataset in DatasetCatalog.All)
        {
            await using var cmd = db.Database.GetDbConnection().CreateCommand();
            cmd.CommandText = $"SELECT count(*) FROM (SELECT 1 FROM \"{dataset.Table}\" LIMIT 1) AS x";
            if (Convert.ToInt64(await cmd.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture) > 0)
                throw new ConflictException($"{target} already holds {dataset.Name} records; the demo fills an empty database only (choose another database)");
        }
    }
}
