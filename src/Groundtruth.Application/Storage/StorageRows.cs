using NetTopologySuite.Geometries;

namespace Groundtruth.Application.Storage;

/// <summary>One version of one record in a dataset's append-only versions table.</summary>
/// <remarks>
/// History has two clocks: <see cref="DateOfInformation"/> (when the fact became true or known in the
/// field) and <see cref="RecordedAt"/> (when it entered the database). A tombstone marks a deletion.
/// </remarks>
public sealed class RecordVersion
{
    public long VersionId { get; set; }
    public required string RecordId { get; set; }
    /// <summary>ISO 8601, possibly partial; null when the record carries no date.</summary>
    public string? DateOfInformation { get; set; }
    public DateTime RecordedAt { get; set; }
    public long? SubmissionId { get; set; }
    public bool Tombstone { get; set; }
    /// <summary>The record's fields as a JSON object (snake_case names, as in files); personal data never.</summary>
    public required string Data { get; set; }
    public Geometry? Geometry { get; set; }
}

/// <summary>An append-only audit entry: who did what, when, to which records.</summary>
public sealed class AuditEntry
{
    public long Id { get; set; }
    public DateTime At { get; set; }
    public required string Actor { get; set; }
    /// <summary>What was done: <c>init</c>, <c>import</c>, <c>export</c>, <c>read_personal_data</c>, …</summary>
    public required string Action { get; set; }
    public string? Dataset { get; set; }
    public string? RecordId { get; set; }
    public long? SubmissionId { get; set; }
    /// <summary>Details as JSON: counts, the file, before/after for single edits.</summary>
    public string? Detail { get; set; }
    /// <summary>The <see cref="Hash"/> of the entry before this one (64 zeros for the first): the link of the chain.</summary>
    public string? PrevHash { get; set; }
    /// <summary>SHA-256 (hex) of this entry's canonical form and <see cref="PrevHash"/>; null only before the chain is sealed.</summary>
    public string? Hash { get; set; }
}

/// <summary>
/// The audit chain's head: the last chained entry, its hash and the number of entries. One row; appends lock it,
/// so writers on several hosts append one at a time, and a deleted tail of the log no longer matches it.
/// </summary>
public sealed class AuditChainHead
{
    public int Id { get; set; }
    public long LastEntryId { get; set; }
    public required string LastHash { get; set; }
    public long Entries { get; set; }
}

/// <summary>A casualty's personal data, encrypted with a key kept outside the database.</summary>
public sealed class CasualtyPersonalDataRow
{
    public required string CasualtyId { get; set; }
    /// <summary>AES-256-GCM: nonce, tag and ciphertext of the JSON of the personal data.</summary>
    public required byte[] Ciphertext { get; set; }
    /// <summary>A fingerprint of the key that encrypted it, so a wrong key is reported as such.</summary>
    public required string KeyId { get; set; }
}

/// <summary>
/// A covariate raster a programme holds (<c>groundtruth layers add</c>): the GeoTIFF as it was given, byte for byte,
/// and what the listing shows of it (docs/decisions/0030-covariate-rasters-in-the-database.md).
/// </summary>
public sealed class CovariateRasterRow
{
    /// <summary>The layer's name in the model, e.g. <c>elevation</c>.</summary>
    public required string Name { get; set; }
    /// <summary><c>continuous</c> or <c>categorical</c>.</summary>
    public required string Kind { get; set; }
    /// <summary>The file name it was added from (no directory).</summary>
    public required string SourceFile { get; set; }
    public DateTime AddedAt { get; set; }
    public required string AddedBy { get; set; }
    /// <summary>The EPSG code of the raster's own reference system.</summary>
    public int Epsg { get; set; }
    public int Columns { get; set; }
    public int Rows { get; set; }
    /// <summary>The extent in WGS84 longitude/latitude.</summary>
    public double West { get; set; }
    public double South { get; set; }
    public double East { get; set; }
    public double North { get; set; }
    /// <summary>SHA-256 (hex) of <see cref="Tiff"/>.</summary>
    public required string Sha256 { get; set; }
    /// <summary>The GeoTIFF file.</summary>
    public required byte[] Tiff { get; set; }
}
