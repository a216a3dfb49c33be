using System.Text.Json;
using System.Text.Json.Nodes;
using Groundtruth.Application.Datasets;
using Groundtruth.Application.Import;
using Groundtruth.Application.Storage;
using Groundtruth.Domain;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO.Converters;

namespace Groundtruth.Application.Entry;

/// <summary>One record typed by a person, through a form or the records API.</summary>
/// <param name="Record">Column name → value, as the dataset's columns (docs/datasets.md), plus <c>lon</c>/<c>lat</c> or
/// <c>wkt</c>; or a GeoJSON geometry object under <c>geometry</c>. Arrays of enum values are joined with ';'.</param>
/// <param name="Casualties">For an accident: the people it hurt, entered with it; their <c>accident_id</c> is the accident's.</param>
/// <param name="Pending">Make a submission for approval instead of changing the approved data.</param>
/// <param name="Access">Who enters it: personal data only with <see cref="Security.Access.MayWritePersonalData"/>.</param>
/// <param name="CheckOnly">Only name the problems (<see cref="EntryRejectedException"/>, perhaps with none): the form already found one
/// of its own (unreadable GeoJSON) and reports every other in the same round.</param>
public sealed record EntryRequest(
    DatasetSpec Dataset,
    JsonObject Record,
    IReadOnlyList<JsonObject> Casualties,
    bool Pending,
    Security.Access Access,
    bool CheckOnly = false)
{
    public string Actor => Access.Actor;
}

/// <summary>What an entry did: the submission it made (pending) or the approved change.</summary>
public sealed record EntryResult(
    string Dataset,
    string Id,
    bool Pending,
    long? SubmissionId,
    int Inserted,
    int Updated,
    int Unchanged,
    int Casualties,
    long? CasualtiesSubmissionId);

/// <summary>One thing wrong with an entry, named by its field: <c>status</c>, <c>casualties[1].age</c>.</summary>
public sealed record EntryProblem(string Field, string? Value, string Reason)
{
    public override string ToString() => Value is null ? $"{Field}: {Reason}" : $"{Field} '{Value}': {Reason}";
}

/// <summary>Thrown when an entry is refused; nothing was stored.</summary>
public sealed class EntryRejectedException(IReadOnlyList<EntryProblem> problems)
    : BadDataException($"{problems.Count} problem(s) in the entry; nothing was stored")
{
    public IReadOnlyList<EntryProblem> Problems { get; } = problems;
}

/// <summary>
/// Enters one record (or an accident with its casualties) through the importer: the record becomes a one-feature
/// GeoJSON file and takes exactly the path of an upload — the same parsing, the same dataset rules (hazard status
/// transitions, release method by activity type, an output on its activity's area), the same versions, submission
/// and audit entry. Nothing is stored unless every record passes.
/// </summary>
/// <remarks>
/// A record (or casualty) entered with no id gets the next id of its dataset's pattern (<see cref="IdPatterns"/>); the
/// import then accepts only new ids, checked inside its write transaction, and on a clash (another editor saved the same
/// id first) the entry is tried again with the next free ids.
/// </remarks>
public sealed class RecordEntryHandler(DatabaseTarget target, TimeProvider clock, IdPatterns? ids = null)
{
    /// <summary>How many times an entry is tried again when another editor took its generated id first.</summary>
    public const int IdAttempts = 8;

    /// <summary>The datasets people enter one record at a time (issue 6: a hazardous area, a find, an accident with its casualties).</summary>
    public static readonly IReadOnlyList<DatasetSpec> Datasets =
        [DatasetCatalog.Hazards, DatasetCatalog.Finds, DatasetCatalog.Accidents, DatasetCatalog.Casualties, DatasetCatalog.LandRelease];

    private static readonly JsonSerializerOptions GeoJson = new() { Converters = { new GeoJsonConverterFactory(SpatialRules.Factory) } };

    public async Task<EntryResult> HandleAsync(EntryRequest request, CancellationToken ct = default)
    {
        var patterns = ids ?? IdPatterns.Default;
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        for (var attempt = 1; ; attempt++)
        {
            var record = request.Record.DeepClone().AsObject();
            var generatedMain = false;
            if (Datasets.Contains(request.Dataset) && !HasValue(IdOf(record))
                && await patterns.NextAsync(target, request.Dataset, today, ct: ct) is [var id, ..])
            {
                WithId(record, id);
                generatedMain = true;
            }
            // Only an id left out or empty is given: a list or an object is refused as it stands ("give one value").
            var blank = request.Casualties.Where(c => !HasValue(IdOf(c))).ToList();
            var casualtyIds = request.Dataset == DatasetCatalog.Accidents && blank.Count > 0
                ? await patterns.NextAsync(target, DatasetCatalog.Casualties, today, blank.Count, ct: ct)
                : [];
            var next = 0;
            var casualties = request.Casualties.Select(c =>
            {
                if (HasValue(IdOf(c)) || next >= casualtyIds.Count) return c;
                var copy = c.DeepClone().AsObject();
                WithId(copy, casualtyIds[next++]);
                return copy;
            }).ToList();
            var generatedCasualties = casualtyIds.Count > 0 && next == request.Casualties.Count;
            try
            {
                return await EnterAsync(request with { Record = record, Casualties = casualties }, generatedMain, generatedCasualties, ct);
            }
            catch (Import.IdTakenException) when ((generatedMain || generatedCasualties) && attempt < IdAttempts)
            {
                // Another editor saved the same generated id first: take the next free ones.
            }
        }
    }

    private async Task<EntryResult> EnterAsync(EntryRequest request, bool newMain, bool newCasualties, CancellationToken ct)
    {
        var dataset = request.Dataset;
        if (!Datasets.Contains(dataset))
            throw new InvalidRequestException("dataset", $"{dataset.Name} is not entered record by record; upload a file (datasets entered: {string.Join(", ", Datasets.Select(d => d.Name))})");
        var problems = new List<EntryProblem>();
        if (request.Casualties.Count > 0 && dataset != DatasetCatalog.Accidents)
            problems.Add(new EntryProblem("casualties", null, "only an accident is entered with casualties"));
        CheckSingleValues(request.Record, "", problems);
        for (var i = 0; i < request.Casualties.Count; i++) CheckSingleValues(request.Casualties[i], $"casualties[{i + 1}].", problems);
        var id = Text(request.Record, "id");
        var casualties = request.Casualties.Select(c => WithAccident(c, id, Text(request.Record, "occurred_on"))).ToList();
        if (dataset == DatasetCatalog.Casualties) CheckPersonalData(request, [request.Record], "", problems);
        CheckPersonalData(request, casualties, "casualties", problems);

        // The record (and its casualties) become GeoJSON in memory: personal data never touches the disk in plain text.
        var parts = new List<ImportRequest> { Import(dataset, [request.Record]) with { NewRecordsOnly = newMain } };
        if (casualties.Count > 0 && dataset == DatasetCatalog.Accidents) parts.Add(Import(DatasetCatalog.Casualties, casualties) with { NewRecordsOnly = newCasualties });
        EntryProblem Named(ImportProblem p) => NamedAs(p, parts.Count > 1 && p.File == parts[1].FilePath ? "casualties" : "");
        ImportRequest Import(DatasetSpec d, List<JsonObject> records) => new(
            d, $"{d.Name}-entry.geojson", Pending: request.Pending, Actor: request.Actor, Access: request.Access, Content: GeoJsonOf(records),
            EnteredWith: d == DatasetCatalog.Casualties && id is not null
                ? new Dictionary<string, IReadOnlySet<string>> { [DatasetCatalog.Accidents.Name] = new HashSet<string>(StringComparer.Ordinal) { id } }
                : null);

        var importer = new ImportHandler(target, clock);
        if (problems.Count > 0 || request.CheckOnly)
        {
            // Refused already: a dry run adds what the importer finds, so every problem is named at once (personal data the
            // user may not enter is named above, by field, so the dry run does not refuse it a second time).
            try
            {
                await importer.HandleTogetherAsync([.. parts.Select(p => p with { DryRun = true, Access = null })], ct: ct);
            }
            catch (ImportRejectedException e)
            {
                problems.AddRange(e.Problems.Select(Named));
            }
            throw new EntryRejectedException(problems);
        }
        ct.ThrowIfCancellationRequested();
        try
        {
            // One import, one transaction: the accident and its casualties are stored together or not at all. Once it
            // starts it is not cancelled by the request (a client gone away mid-commit would leave the outcome unknown).
            var results = await importer.HandleTogetherAsync(parts, ct: CancellationToken.None);
            var written = results[0];
            var people = results.Count > 1 ? results[1] : null;
            return new EntryResult(dataset.Name, id ?? "", request.Pending, written.SubmissionId, written.Inserted, written.Updated, written.Unchanged,
                casualties.Count, people?.SubmissionId);
        }
        catch (ImportRejectedException e)
        {
            throw new EntryRejectedException([.. e.Problems.Select(Named)]);
        }
    }

    /// <summary>
    /// The current approved hazardous area <paramref name="id"/> as an entry (its columns and its perimeter as GeoJSON),
    /// the starting point of a status change; null when there is none.
    /// </summary>
    public async Task<JsonObject?> CurrentHazardAsync(string id, CancellationToken ct = default)
    {
        await using var db = target.CreateContext();
        var h = await db.Hazards.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct);
        if (h is null) return null;
        var record = new JsonObject
        {
            ["id"] = h.Id,
            ["name"] = h.Name,
            ["classification"] = SnakeCase.Of(h.Classification),
            ["status"] = SnakeCase.Of(h.Status),
            ["status_reason"] = h.StatusReason,
            ["contamination"] = h.Contamination,
            ["evidence"] = h.Evidence,
            ["recorded_on"] = h.RecordedOn.ToString(),
            ["source"] = h.Source,
            ["derived_from"] = h.DerivedFrom,
            ["handover_certificate"] = h.HandoverCertificate,
            ["handed_over_to"] = h.HandedOverTo,
            ["residual_risk_owner"] = h.ResidualRiskOwner,
            ["handed_over_on"] = h.HandedOverOn?.ToString(),
            [StorageNames.OriginalCrs] = h.OriginalCrs,
            [StorageNames.OriginalWkt] = h.OriginalWkt,
            ["geometry"] = h.Geometry is null ? null : JsonSerializer.SerializeToNode<Geometry>(h.Geometry, GeoJson),
        };
        return record;
    }

    /// <summary>A member as the importer reads it: a string trimmed, a number as written (<c>"id": 17</c> is id <c>17</c>).</summary>
    private static string? Text(JsonObject record, string field) => record[field] switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.String => string.IsNullOrWhiteSpace(v.GetValue<string>()) ? null : v.GetValue<string>().Trim(),
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => v.ToJsonString(),
        _ => null,
    };

    /// <summary>
    /// A member is one text, number or boolean (or the geometry): a list or object would be stored as its JSON text,
    /// and an id given as a list would leave the casualties entered with it unlinked.
    /// </summary>
    private static void CheckSingleValues(JsonObject record, string prefix, List<EntryProblem> problems)
    {
        foreach (var (name, node) in record)
        {
            if (name == "geometry" || node is not (JsonArray or JsonObject)) continue;
            problems.Add(new EntryProblem(prefix + name, null, $"give one value, not {(node is JsonArray ? "a list" : "an object")}"));
        }
    }

    /// <summary>A casualty entered with an accident belongs to it and, unless told otherwise, was hurt on its date.</summary>
    private static JsonObject WithAccident(JsonObject casualty, string? accidentId, string? occurredOn)
    {
        var copy = casualty.DeepClone().AsObject();
        copy["accident_id"] = accidentId;
        if (Text(copy, "occurred_on") is null && occurredOn is not null) copy["occurred_on"] = occurredOn;
        return copy;
    }

    /// <summary>
    /// Refuses personal data the user may not enter, found under any member the importer would read as a personal
    /// field (<c>"NAME"</c>, <c>" injuries"</c>: the same key as the importer's column binding).
    /// </summary>
    private static void CheckPersonalData(EntryRequest request, List<JsonObject> casualties, string prefix, List<EntryProblem> problems)
    {
        for (var i = 0; i < casualties.Count; i++)
        {
            var field = casualties[i]
                .Where(m => DatasetCatalog.Casualties.FieldOfColumn(m.Key)?.Personal == true && HasValue(m.Value))
                .Select(m => DatasetSpec.Key(m.Key))
                .FirstOrDefault();
            if (field is null) continue;
            var name = prefix.Length == 0 ? field : $"{prefix}[{i}].{field}";
            if (!request.Access.MayWritePersonalData)
                problems.Add(new EntryProblem(name, null, "personal data (name, date_of_birth, injuries) is entered only by a user granted personal_data"));
            else if (request.Pending)
                problems.Add(new EntryProblem(name, null, "personal data cannot wait in a pending submission (it is stored only encrypted with approved data); leave it out, or enter it approved"));
        }
    }

    /// <summary>Gives <paramref name="record"/> the id <paramref name="id"/>, in place of an empty member read as the id.</summary>
    private static void WithId(JsonObject record, string id)
    {
        foreach (var name in record.Where(m => DatasetSpec.Key(m.Key) == "id").Select(m => m.Key).ToList()) record.Remove(name);
        record["id"] = id;
    }

    /// <summary>The member the importer reads as the id (<c>"ID"</c>, <c>" id"</c>: the same key as its column binding).</summary>
    private static JsonNode? IdOf(JsonObject record) => record.FirstOrDefault(m => DatasetSpec.Key(m.Key) == "id").Value;

    private static bool HasValue(JsonNode? node) => node is not null && !(node is JsonValue v && v.TryGetValue<string>(out var s) && string.IsNullOrWhiteSpace(s));

    /// <summary>A GeoJSON FeatureCollection with one feature per line: feature <c>i</c> is on line <c>i + 2</c>.</summary>
    private static byte[] GeoJsonOf(List<JsonObject> records)
    {
        var text = new System.Text.StringBuilder("{\"type\":\"FeatureCollection\",\"features\":[");
        for (var i = 0; i < records.Count; i++)
        {
            var properties = new JsonObject();
            JsonNode? geometry = null;
            foreach (var (name, value) in records[i])
            {
                if (name == "geometry" && value is JsonObject g) geometry = g.DeepClone();
                else properties[name] = value is JsonArray list ? string.Join(';', list.Select(x => x?.ToString())) : value?.DeepClone();
            }
            var feature = new JsonObject { ["type"] = "Feature", ["properties"] = properties, ["geometry"] = geometry };
            text.Append(i == 0 ? "\n" : ",\n").Append(feature.ToJsonString());
        }
        text.Append("\n]}\n");
        return System.Text.Encoding.UTF8.GetBytes(text.ToString());
    }

    /// <summary>An importer's problem named by the entry's field: line <c>i + 2</c> of a file is its record <c>i</c>.</summary>
    private static EntryProblem NamedAs(ImportProblem p, string prefix)
    {
        var field = p.Field ?? "record";
        if (prefix.Length == 0) return new EntryProblem(field, p.Value, p.Reason);
        return new EntryProblem(p.Line >= 2 ? $"{prefix}[{p.Line - 2}].{field}" : $"{prefix}.{field}", p.Value, p.Reason);
    }
}
