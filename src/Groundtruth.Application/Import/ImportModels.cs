using Groundtruth.Application.Datasets;

namespace Groundtruth.Application.Import;

/// <summary>What to import and how.</summary>
/// <param name="Crs">The reference system of the file's coordinates, e.g. <c>EPSG:32634</c>; WGS84 when null.</param>
/// <param name="DryRun">Validate only; nothing is written.</param>
/// <param name="Pending">Make a submission that needs approval instead of changing the approved data.</param>
/// <param name="Repair">Repair invalid geometry instead of rejecting it.</param>
/// <param name="EnteredWith">Ids entered together with this file in other datasets (dataset name → ids), accepted as
/// references although they are not yet in the approved data: an accident's id for the casualties entered with it.</param>
/// <param name="Content">The file's bytes, read from memory instead of <paramref name="FilePath"/>, which then only names it
/// (its extension gives the format): what a person enters is imported without a plaintext copy on disk.</param>
/// <param name="Mapping">A mapping already read (the web upload's guided step); <paramref name="MappingPath"/> is then not read.</param>
/// <param name="Part">The repeat group of a field-form export to read (its sheet, or its CSV in the zip), e.g. <c>casualties</c>;
/// null reads the submissions themselves.</param>
/// <param name="Access">Who imports: casualties' personal data only with <see cref="Security.Access.MayWritePersonalData"/>; null is the
/// command line's full access (it still needs the key).</param>
/// <param name="NewRecordsOnly">Every record must be new: an id already stored (in any version) refuses the import, checked inside the
/// write transaction with <see cref="IdTakenException"/> (generated national ids, <see cref="Entry.IdPatterns"/>).</param>
public sealed record ImportRequest(
    DatasetSpec Dataset,
    string FilePath,
    string? MappingPath = null,
    string? Crs = null,
    bool DryRun = false,
    bool Pending = false,
    bool Repair = false,
    string Actor = "cli",
    string? Source = null,
    IReadOnlyDictionary<string, IReadOnlySet<string>>? EnteredWith = null,
    ReadOnlyMemory<byte>? Content = null,
    ImportMapping? Mapping = null,
    string? Part = null,
    Security.Access? Access = null,
    bool NewRecordsOnly = false);

/// <summary>An import of new records only found ids already stored when it came to write; nothing was written.</summary>
public sealed class IdTakenException(string dataset, IReadOnlyList<string> ids)
    : BadDataException($"{dataset}: id(s) already taken: {string.Join(", ", ids)}; nothing was written")
{
    public string Dataset { get; } = dataset;
    public IReadOnlyList<string> Ids { get; } = ids;
}

/// <summary>One thing wrong with an input file, located so the user can fix it.</summary>
/// <param name="Line">The file's own line number (a CSV header is line 1); 0 when the problem is not on a line.</param>
/// <param name="Location">Where in the file, in words, when a line number alone does not say it: <c>Sheet!12</c> in a workbook,
/// <c>form-casualties.csv:3</c> inside a zip, <c>record 3</c> of a Shapefile, <c>doc.kml:line 12</c> of a KMZ,
/// <c>layer 'finds' fid 7</c> of a GeoPackage; printed after the file instead of the line.</param>
public sealed record ImportProblem(string File, int Line, string? Field, string? Value, string Reason, string? Location = null)
{
    public override string ToString()
    {
        var where = Location is not null ? $"{File}:{Location}" : Line > 0 ? $"{File}:{Line}" : File;
        var field = Field is null ? "" : $" field '{Field}'";
        var value = Value is null ? "" : $" value '{Truncate(Value)}'";
        return field.Length + value.Length == 0 ? $"{where}: {Reason}" : $"{where}:{field}{value}: {Reason}";
    }

    private static string Truncate(string s) => s.Length <= 60 ? s : s[..57] + "...";
}

/// <summary>Thrown when a file cannot be imported; carries every problem found (up to a cap).</summary>
public sealed class ImportRejectedException(IReadOnlyList<ImportProblem> problems, int totalProblems)
    : BadDataException($"{totalProblems} problem(s) in the input; nothing was imported")
{
    public IReadOnlyList<ImportProblem> Problems { get; } = problems;
    public int TotalProblems { get; } = totalProblems;
}

/// <summary>What an import did.</summary>
public sealed record ImportResult(
    string Dataset,
    int RecordsRead,
    int Inserted,
    int Updated,
    int Unchanged,
    long? SubmissionId,
    bool DryRun,
    bool Pending,
    TimeSpan Elapsed)
{
    public string Summary()
    {
        var verb = DryRun ? "validated" : Pending ? "submitted for approval" : "imported";
        var sub = SubmissionId is { } s ? $", submission {s}" : "";
        return $"{Dataset}: {RecordsRead} record(s) {verb} — {Inserted} new, {Updated} changed, {Unchanged} unchanged{sub} ({Elapsed.TotalSeconds:F1} s)";
    }
}

/// <summary>Progress of a long import: records read and the share of the file consumed.</summary>
public readonly record struct ImportProgress(long Records, long BytesRead, long BytesTotal, string Phase);
