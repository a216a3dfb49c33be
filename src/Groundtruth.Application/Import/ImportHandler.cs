using System.Diagnostics;
using Groundtruth.Application.Datasets;
using Groundtruth.Application.Import.Readers;
using Groundtruth.Application.Security;
using Groundtruth.Application.Storage;
using Groundtruth.Domain;
using Microsoft.EntityFrameworkCore;

namespace Groundtruth.Application.Import;

/// <summary>
/// Imports one file into one dataset, all or nothing: a first streaming pass parses, validates and
/// stages every record without touching the database; only a file with no problem is merged, in one
/// transaction. Re-importing the same file changes nothing (records are matched by id).
/// Several files imported together (an accident and its casualties) are all or nothing together.
/// </summary>
public sealed class ImportHandler(DatabaseTarget target, TimeProvider clock)
{
    /// <summary>How a first load into an empty PostgreSQL dataset is written; tests choose another route to compare.</summary>
    internal FirstLoadOptions FirstLoads { get; init; } = DefaultFirstLoads;

    /// <summary>The route of every handler made afterwards: the import benchmark's before/after (<c>--pg-first-load</c>, set by reflection).</summary>
    internal static FirstLoadOptions DefaultFirstLoads { get; set; } = FirstLoadOptions.Default;

    public async Task<ImportResult> HandleAsync(ImportRequest request, IProgress<ImportProgress>? progress = null, CancellationToken ct = default) =>
        (await HandleTogetherAsync([request], progress, ct))[0];

    /// <summary>
    /// Imports <paramref name="requests"/>, each file into its dataset, on one connection: every file is validated and
    /// staged (the problems of all of them are reported together), then one transaction merges them in order — one
    /// submission and audit entry per file — and either all of them are stored or none is. A field-form export of
    /// accidents brings its casualties repeat group along as one more file (<see cref="Readers.FieldFormExport.Expand"/>).
    /// </summary>
    public async Task<IReadOnlyList<ImportResult>> HandleTogetherAsync(
        IReadOnlyList<ImportRequest> requests, IProgress<ImportProgress>? progress = null, CancellationToken ct = default)
    {
        if (requests.Count == 0) throw new ArgumentException("no file to import", nameof(requests));
        requests = Readers.FieldFormExport.Expand(requests);
        if (requests.Any(r => r.DryRun != requests[0].DryRun)) throw new ArgumentException("files imported together are all dry runs or none", nameof(requests));
        var watch = Stopwatch.StartNew();
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = target.CreateContext();
        var staged = new List<StagedFile>();
        try
        {
            var problems = new List<ImportProblem>();
            var total = 0;
            for (var i = 0; i < requests.Count; i++)
            {
                try
                {
                    // A single file may be a first load, written straight into the tables as it is read (PostgresFirstLoad).
                    var firstLoad = requests.Count == 1 && !requests[i].DryRun;
                    staged.Add(await StageAsync(db, requests[i], i == 0 ? "gt_stage" : $"gt_stage_{i}", now, firstLoad, progress, ct));
                }
                catch (ImportRejectedException e)
                {
                    problems.AddRange(e.Problems);
                    total += e.TotalProblems;
                }
            }
            if (total > 0) throw new ImportRejectedException(problems, total);

            var results = new List<ImportResult>();
            if (requests[0].DryRun)
            {
                foreach (var s in staged)
                {
                    var counts = await s.Loader.CountAsync(ct);
                    results.Add(new ImportResult(s.Request.Dataset.Name, s.Read, counts.Inserted, counts.Updated, counts.Unchanged, null, true, s.Request.Pending, watch.Elapsed));
                }
                return results;
            }
            progress?.Report(new ImportProgress(staged.Sum(s => s.Read), 1, 1, "writing"));
            await using var tx = await staged[0].Loader.BeginWriteAsync(ct);
            // Ids that must be new are checked under the write lock, so two writers cannot both take one.
            foreach (var s in staged.Where(s => s.Request.NewRecordsOnly))
            {
                var taken = await s.Loader.TakenIdsAsync(tx, ct);
                if (taken.Count > 0) throw new IdTakenException(s.Request.Dataset.Name, taken);
            }
            foreach (var s in staged)
            {
                var r = s.Request;
                var (merged, submission) = await s.Loader.MergeAsync(MergeRequestOf(r, now), tx, ct);
                results.Add(new ImportResult(r.Dataset.Name, s.Read, merged.Inserted, merged.Updated, merged.Unchanged, submission, false, r.Pending, watch.Elapsed));
            }
            await tx.CommitAsync(ct);
            return results;
        }
        finally
        {
            foreach (var s in staged) await s.Loader.DisposeAsync();
        }
    }

    private sealed record StagedFile(ImportRequest Request, BulkLoader Loader, int Read);

    private static MergeRequest MergeRequestOf(ImportRequest r, DateTime now) =>
        new(r.Actor, Path.GetFileName(r.FilePath) + (r.Part is null ? "" : ":" + r.Part), r.Source, r.Pending, now);

    /// <summary>
    /// Validates one file and stages its records in <paramref name="stageTable"/>, or, for a <paramref name="firstLoad"/> into
    /// an empty PostgreSQL dataset, writes them straight into its tables inside the write transaction; throws its problems,
    /// leaving the database as it was. Two ids of a first load that share a hash send the file the staged way.
    /// </summary>
    private async Task<StagedFile> StageAsync(GroundtruthDbContext db, ImportRequest request, string stageTable, DateTime now, bool firstLoad,
        IProgress<ImportProgress>? progress, CancellationToken ct)
    {
        try
        {
            return await StageOnceAsync(db, request, stageTable, now, firstLoad, progress, ct);
        }
        catch (FirstLoadHashCollisionException)
        {
            return await StageOnceAsync(db, request, stageTable, now, firstLoad: false, progress, ct);
        }
    }

    private async Task<StagedFile> StageOnceAsync(GroundtruthDbContext db, ImportRequest request, string stageTable, DateTime now, bool firstLoad,
        IProgress<ImportProgress>? progress, CancellationToken ct)
    {
        var dataset = request.Dataset;
        var file = request.FilePath;
        if (request.Content is null && !File.Exists(file)) throw new ImportRejectedException([new ImportProblem(file, 0, null, null, "the file does not exist")], 1);
        var mapping = request.Mapping ?? (request.MappingPath is null ? ImportMapping.Identity : ImportMapping.Load(request.MappingPath));
        // Stated by the user (--crs, then the mapping) before what the file states (a .prj, a GeoPackage srs).
        var statedCrs = StatedReferenceSystem.Resolve(request.Crs, mapping, request.MappingPath);
        var problems = new ProblemList(file);
        var protector = dataset == DatasetCatalog.Casualties ? PersonalDataProtector.FromConfiguration(target.FilePath) : null;

        await SchemaGuard.EnsureCurrentAsync(db, ct);
        var context = new RuleContext { HasPersonalDataKey = protector is not null, Today = DateOnly.FromDateTime(now) };
        if (dataset == DatasetCatalog.Hazards)
        {
            var since = new Dictionary<string, DateOnly>(StringComparer.Ordinal);
            foreach (var h in await db.Hazards.AsNoTracking().Select(h => new { h.Id, h.Status, h.Classification, h.RecordedOn }).ToListAsync(ct))
            {
                context.HazardStatuses[h.Id] = h.Status;
                context.HazardClassifications[h.Id] = h.Classification;
                since[h.Id] = h.RecordedOn.Start;
            }
            // A cancellation counts only if it may have been made since the area's current state was recorded: one
            // from before a reopening (a find in released land) does not close the reopened area again.
            foreach (var c in await db.LandReleases.AsNoTracking().Where(r => r.Method == ReleaseMethod.Cancelled).Select(r => new { r.HazardId, r.ReleasedOn }).ToListAsync(ct))
            {
                if (since.TryGetValue(c.HazardId, out var start) && c.ReleasedOn.End >= start) context.CancelledBySurvey.Add(c.HazardId);
            }
        }
        if (dataset == DatasetCatalog.LandRelease)
        {
            foreach (var a in await db.Activities.AsNoTracking().Select(a => new { a.Id, a.Type, a.HazardId }).ToListAsync(ct))
                context.Activities[a.Id] = (a.Type, a.HazardId);
        }
        var references = new ReferenceChecker(dataset, problems);
        await references.LoadAsync(db, ct);
        foreach (var (name, ids) in request.EnteredWith ?? new Dictionary<string, IReadOnlySet<string>>()) references.Accept(name, ids);

        await db.Database.OpenConnectionAsync(ct);
        var layout = new StagingLayout(dataset);
        var loader = await BulkLoader.CreateAsync(db.Database.GetDbConnection(), layout, stageTable, FirstLoads, firstLoad ? MergeRequestOf(request, now) : null, ct);
        try
        {
            var builder = new StagingRowBuilder(layout, protector, PartialDate.FromDate(DateOnly.FromDateTime(now)).ToString());
            var read = 0;
            // Personal values seen in any record: a GeoJSON file has no header to tell, so the pending check below
            // looks at the values themselves as well as at a CSV's columns.
            var personal = dataset.Fields.Select((f, i) => (f, i)).Where(x => x.f.Personal).Select(x => x.i).ToArray();
            var sawPersonal = false;
            using (var reader = SourceReader.Open(file, mapping, request.Content, dataset, request.Part))
            {
                var parser = new RecordParser(dataset, mapping, statedCrs ?? reader.ReferenceSystem, request.Repair, problems) { Today = context.Today };
                problems.Locate = reader.Locate;
                parser.CheckHeader(reader.HeaderColumns);
                if (problems.Total > 0) throw problems.ToException();
                await loader.BeginStagingAsync(ct);
                foreach (var source in reader.Records())
                {
                    ct.ThrowIfCancellationRequested();
                    read++;
                    var record = parser.Parse(source);
                    if (record is not null)
                    {
                        if (!sawPersonal && personal.Length > 0) sawPersonal = personal.Any(i => record.Values[i] is not null);
                        // Personal data is written only by users granted it, through every route (DESIGN section 7): refused before anything is stored.
                        if (sawPersonal && request.Access is { MayWritePersonalData: false } access)
                        {
                            throw new ForbiddenException($"{Path.GetFileName(file)} line {record.Line} holds casualties' personal data (name, date_of_birth, injuries), " +
                                $"which only a user granted personal_data may write; {access.Actor} is not. Nothing was imported: leave the personal columns empty, or ask a user with the grant.");
                        }
                        var before = problems.Total;
                        DatasetRules.Apply(dataset, record, problems, context);
                        // Only lineage (derived_from) reads the file's own ids; keeping them for every dataset costs memory on large files.
                        if (dataset == DatasetCatalog.Hazards) context.FileIds.Add(record.Id);
                        references.Check(record);
                        if (problems.Total == before && problems.Total == 0) loader.Stage(builder.Build(record));
                    }
                    if (read % 10_000 == 0) progress?.Report(new ImportProgress(read, reader.BytesRead, reader.BytesTotal, "validating"));
                }
                progress?.Report(new ImportProgress(read, reader.BytesTotal, reader.BytesTotal, "validating"));
                await loader.EndStagingAsync(ct);
            }
            references.CheckDeferred();
            foreach (var (line, parent) in context.DeferredParents.Where(d => !context.FileIds.Contains(d.Parent)))
                problems.Add(line, "derived_from", parent, "no hazardous area has this id, in the database or the file");
            if (problems.Total == 0)
            {
                foreach (var (id, lines) in await loader.DuplicatesAsync(ct))
                    problems.Add(int.Parse(lines.Split(',')[1].Trim(), System.Globalization.CultureInfo.InvariantCulture), "id", id, $"duplicate id in the file (lines {lines})");
            }
            if (read == 0 && problems.Total == 0) problems.Add(0, null, null, "the file holds no records");
            if (problems.Total > 0) throw problems.ToException();
            if (request.Pending && protector is not null && dataset == DatasetCatalog.Casualties && (sawPersonal || HasPersonalColumns(request, mapping)))
                throw new ImportRejectedException([new ImportProblem(file, 1, "name", null, "personal data cannot be submitted as pending; import it approved, or leave the personal columns out")], 1);
            return new StagedFile(request, loader, read);
        }
        catch
        {
            await loader.DisposeAsync();
            throw;
        }
    }

    private static bool HasPersonalColumns(ImportRequest request, ImportMapping mapping)
    {
        using var reader = SourceReader.Open(request.FilePath, mapping, request.Content, request.Dataset, request.Part);
        return reader.HeaderColumns.Any(c => request.Dataset.FieldOfColumn(mapping.Columns.GetValueOrDefault(c) ?? c)?.Personal == true);
    }
}

/// <summary>Checks that every reference names a record that exists, in the database or in the same file.</summary>
internal sealed class ReferenceChecker(DatasetSpec dataset, ProblemList problems)
{
    private readonly Dictionary<string, HashSet<string>> _existing = [];
    private readonly HashSet<string> _fileIds = new(StringComparer.Ordinal);
    private readonly List<(int Line, string Field, string Value)> _deferred = [];
    private readonly (FieldSpec Field, int Index)[] _refs = [.. dataset.Fields.Select((f, i) => (f, i)).Where(x => x.f.References is not null)];
    private bool SelfReferencing => _refs.Any(r => r.Field.References == dataset.Name);

    public async Task LoadAsync(GroundtruthDbContext db, CancellationToken ct)
    {
        foreach (var name in _refs.Select(r => r.Field.References!).Distinct())
        {
            var target = DatasetCatalog.Find(name)!;
            var ids = new HashSet<string>(StringComparer.Ordinal);
            var conn = db.Database.GetDbConnection();
            await db.Database.OpenConnectionAsync(ct);
            await using var cmd = conn.CreateCommand();
            cmd.CommandText = $"SELECT \"id\" FROM \"{target.Table}\"";
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct)) ids.Add(r.GetString(0));
            _existing[name] = ids;
        }
    }

    /// <summary>Accepts <paramref name="ids"/> of <paramref name="name"/> as existing (entered in the same form).</summary>
    public void Accept(string name, IEnumerable<string> ids)
    {
        if (_existing.TryGetValue(name, out var existing)) existing.UnionWith(ids);
    }

    public void Check(ParsedRecord record)
    {
        if (SelfReferencing) _fileIds.Add(record.Id);
        foreach (var (field, index) in _refs)
        {
            if (record.Values[index] is not string value) continue;
            if (_existing[field.References!].Contains(value)) continue;
            if (field.References == dataset.Name) { _deferred.Add((record.Line, field.Name, value)); continue; }
            problems.Add(record.Line, field.Name, value, $"no {field.References} record has this id");
        }
    }

    /// <summary>References to records later in the same file are resolved once the whole file is read.</summary>
    public void CheckDeferred()
    {
        foreach (var (line, field, value) in _deferred)
        {
            if (!_fileIds.Contains(value)) problems.Add(line, field, value, $"no {dataset.Name} record has this id, in the database or the file");
        }
    }
}
