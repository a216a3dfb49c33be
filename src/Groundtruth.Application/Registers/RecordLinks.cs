using Groundtruth.Analysis.Geodesy;
using Groundtruth.Application.Datasets;
using Groundtruth.Application.Features;
using Groundtruth.Application.Security;
using Groundtruth.Application.Storage;
using Groundtruth.Application.Workbench;
using Groundtruth.Domain;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Geometries;

namespace Groundtruth.Application.Registers;

/// <summary>A record related to the one on the page.</summary>
/// <param name="Values">Its current stored values (as the caller may read them).</param>
/// <param name="Geometry">Its geometry as GeoJSON, as the caller may see it; null when it has none.</param>
public sealed record RelatedRecord(string Id, IReadOnlyDictionary<string, object?> Values, string? Geometry);

/// <summary>Records of one dataset related to the record on the page through one field.</summary>
/// <param name="Field">The field that links them: this record's (<paramref name="Outgoing"/>: the hazardous area it names) or theirs
/// (the finds naming this hazardous area); <see cref="Inside"/> for finds inside a minefield record's footprint.</param>
/// <param name="Total">How many there are; <see cref="RegisterService.RelatedLimit"/> at most are listed.</param>
/// <param name="Withheld">Why the caller is not shown them (null: shown).</param>
public sealed record RelatedGroup(string Dataset, string Field, bool Outgoing, IReadOnlyList<RelatedRecord> Records, int Total, string? Withheld = null)
{
    public const string Inside = "inside";
}

/// <summary>The record's geometry (as the caller may see it) and its related records both ways.</summary>
public sealed record RecordLinks(string? Geometry, IReadOnlyList<RelatedGroup> Groups);

/// <summary>One version of a record as a change: what it changed against the approved version before it.</summary>
/// <param name="Who">Who submitted it (and who decided, when another person did).</param>
/// <param name="LocationChanged">Its geometry differs from the one before.</param>
public sealed record RecordChange(RecordVersionRow Version, string? Who, IReadOnlyList<FieldChange> Fields, bool LocationChanged);

public sealed partial class RegisterService
{
    /// <summary>Related records listed per dataset and field.</summary>
    public const int RelatedLimit = 100;

    /// <summary>
    /// The record's related records both ways, read as <paramref name="access"/> may read them: the records its reference
    /// fields name (a find's hazardous area and activity), the records naming it (a hazardous area's activities, land release
    /// and finds; an accident's casualties), and for a minefield record the finds inside its footprint (buffered by its stated
    /// positional uncertainty) — left out below approver for a record carrying a handling label, whose footprint they would trace.
    /// </summary>
    /// <exception cref="NotFoundException">No such dataset.</exception>
    public async Task<RecordLinks> LinksAsync(Access access, string dataset, string id, CancellationToken ct)
    {
        var spec = Find(dataset);
        access.Require(access.MayReadRecords, "reading the registers");
        var self = await FeatureQuery.ReadAsync(db, new FeatureRequest(spec, Where: [("id", id)], Limit: 1).For(access), ct);
        var record = self.Features.Count > 0 ? self.Features[0] : null;
        var groups = new List<RelatedGroup>();
        if (record is not null)
        {
            foreach (var field in spec.Fields.Where(f => f.References is not null))
            {
                if (record.Attributes.Exists(field.Name) && record.Attributes[field.Name] is { } value && value.ToString() is { Length: > 0 } target
                    && DatasetCatalog.Find(field.References!) is { } other)
                {
                    groups.Add(await RelatedAsync(access, other, field.Name, outgoing: true, [("id", target)], ct));
                }
            }
        }
        foreach (var other in DatasetCatalog.All)
        {
            foreach (var field in other.Fields.Where(f => f.References == spec.Name))
                groups.Add(await RelatedAsync(access, other, field.Name, outgoing: false, [(field.Name, id)], ct));
        }
        if (spec == DatasetCatalog.MinefieldRecords && record is not null) groups.Add(await FindsInsideAsync(access, id, ct));
        return new RecordLinks(RecordValues.GeoJsonOf(record?.Geometry), [.. groups.Where(g => g.Total > 0 || g.Withheld is not null)]);
    }

    /// <summary>
    /// Each version as a change against the approved version before it (the first against nothing): the fields it changed,
    /// who submitted it, whether its location moved. Oldest first.
    /// </summary>
    public async Task<IReadOnlyList<RecordChange>> ChangesAsync(RecordDetail detail, CancellationToken ct)
    {
        var spec = Find(detail.Dataset);
        var ids = detail.Versions.Select(v => v.VersionId).ToList();
        var geometries = await db.Versions(spec).AsNoTracking().Where(v => ids.Contains(v.VersionId))
            .Select(v => new { v.VersionId, v.Geometry }).ToDictionaryAsync(v => v.VersionId, v => v.Geometry, ct);
        var changes = new List<RecordChange>();
        Dictionary<string, object?>? before = null;
        Geometry? beforeGeometry = null;
        foreach (var v in detail.Versions.OrderBy(v => v.VersionId))
        {
            var values = RecordValues.FromVersion(spec, v.Data);
            var geometry = geometries.GetValueOrDefault(v.VersionId);
            var fields = v.Tombstone ? [] : RecordValues.Compare(spec, before, values).Where(f => f.Changed).ToList();
            var who = v.DecidedBy is { } d && d != v.SubmittedBy ? $"{v.SubmittedBy} / {d}" : v.SubmittedBy;
            changes.Add(new RecordChange(v, who, fields, before is not null && !v.Tombstone && RecordValues.GeometryChanged(beforeGeometry, geometry)));
            if (v.State == "approved")
            {
                (before, beforeGeometry) = v.Tombstone ? (null, null) : (values, geometry);
            }
        }
        return changes;
    }

    private async Task<RelatedGroup> RelatedAsync(Access access, DatasetSpec other, string field, bool outgoing, IReadOnlyList<(string, string)> where, CancellationToken ct)
    {
        FeatureRequest request;
        try
        {
            request = new FeatureRequest(other, Where: where, Limit: RelatedLimit, Sort: "id").For(access);
        }
        catch (ForbiddenException e)
        {
            return new RelatedGroup(other.Name, field, outgoing, [], 0, e.Message);
        }
        var page = await FeatureQuery.ReadAsync(db, request, ct);
        await AccessAudit.LabelledReadAsync(db, clock, access, other.Name, page.LabelledRecords, request.GeneraliseLabelled, "record page", ct);
        return new RelatedGroup(other.Name, field, outgoing, [.. page.Features.Select(Related)], page.NumberMatched);
    }

    private async Task<RelatedGroup> FindsInsideAsync(Access access, string id, CancellationToken ct)
    {
        var finds = DatasetCatalog.Finds.Name;
        var record = await db.MinefieldRecords.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, ct);
        if (record?.Geometry is null || record.Geometry.IsEmpty) return new RelatedGroup(finds, RelatedGroup.Inside, false, [], 0);
        if (HandlingLabels.IsLabelled(record.Handling) && !access.MaySeeLabelledRecords)
        {
            return new RelatedGroup(finds, RelatedGroup.Inside, false, [], 0,
                "the record carries a handling label: the finds inside its footprint are listed for approvers and administrators only");
        }
        var projection = new LocalProjection(record.Geometry.EnvelopeInternal);
        var footprint = projection.Project(record.Geometry).Buffer(Math.Max(0, record.PositionUncertaintyM ?? 0));
        var box = projection.Unproject(footprint).EnvelopeInternal;
        var request = new FeatureRequest(DatasetCatalog.Finds, Box: box, Limit: FeatureQuery.MaxLimit, Sort: "id").For(access);
        var page = await FeatureQuery.ReadAsync(db, request, ct);
        var inside = page.Features.Where(f => f.Geometry is { IsEmpty: false } g && footprint.Covers(projection.Project(g))).ToList();
        return new RelatedGroup(finds, RelatedGroup.Inside, false, [.. inside.Take(RelatedLimit).Select(Related)], inside.Count);
    }

    private static RelatedRecord Related(NetTopologySuite.Features.IFeature f) =>
        new(Convert.ToString(f.Attributes["id"], System.Globalization.CultureInfo.InvariantCulture) ?? "",
            f.Attributes.GetNames().ToDictionary(n => n, object? (n) => f.Attributes[n], StringComparer.Ordinal), RecordValues.GeoJsonOf(f.Geometry));
}
