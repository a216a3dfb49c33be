using System.Globalization;
using System.Text.Json;
using Groundtruth.Application.Caching;
using Groundtruth.Application.Storage;
using Groundtruth.Application.Users;
using Groundtruth.Domain;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;

namespace Groundtruth.Web.Apis;

/// <summary>Hazardous areas (IMAS 04.10): the current approved state of the <c>hazards</c> dataset.</summary>
public static class HazardsApi
{
    /// <summary>The media type of GeoJSON (RFC 7946 section 12).</summary>
    public const string GeoJsonMediaType = "application/geo+json";

    // The indexed envelope columns of every layer table (StorageNames.BoundingBox), EF shadow properties.
    private const string MinX = "min_x", MinY = "min_y", MaxX = "max_x", MaxY = "max_y";

    public static IEndpointRouteBuilder MapHazardsApi(this IEndpointRouteBuilder app)
    {
        // Exact perimeters: analysts and above; viewers read /api/features/hazards, generalised.
        var api = app.MapGroup("/api/hazards").WithTags("Hazards").RequireAuthorization(Roles.Analyst);
        api.MapGet("", GetHazards)
            .WithName(nameof(GetHazards))
            .WithSummary("The current hazardous areas as a GeoJSON FeatureCollection")
            .WithDescription(
                "Each feature's properties are the columns of the hazards dataset (docs/datasets.md), the geometry a MultiPolygon in WGS84. " +
                $"bbox={BoundingBox.Format} keeps the areas whose bounding box meets the box, edges included.")
            .Produces<FeatureCollection>(StatusCodes.Status200OK, GeoJsonMediaType);
        return app;
    }

    public static async Task<Results<FileContentHttpResult, ValidationProblem>> GetHazards(
        DatabaseTarget target, DataVersion version, ResponseCache cache, Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json,
        string? bbox, CancellationToken ct)
    {
        BoundingBox? box = null;
        if (bbox is not null)
        {
            if (!BoundingBox.TryParse(bbox, out var parsed, out var problem))
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["bbox"] = [problem!] });
            box = parsed;
        }
        // Kept per data version like the statistics and feature pages (ADR 0010): every analyst gets the same answer.
        var key = box is { } b ? string.Create(CultureInfo.InvariantCulture, $"hazards {b.MinLon:R},{b.MinLat:R},{b.MaxLon:R},{b.MaxLat:R}") : "hazards";
        var bytes = await cache.GetOrAddAsync(await version.CurrentAsync(ct), key, async () =>
        {
            await using var db = target.CreateContext();
            var hazards = db.Hazards.AsNoTracking();
            if (box is { } area)
            {
                // DESIGN section 4: no spatial LINQ; the envelope columns are indexed and answer the same on both stores.
                hazards = hazards.Where(h =>
                    EF.Property<double?>(h, MaxX) >= area.MinLon && EF.Property<double?>(h, MinX) <= area.MaxLon &&
                    EF.Property<double?>(h, MaxY) >= area.MinLat && EF.Property<double?>(h, MinY) <= area.MaxLat);
            }
            var rows = await hazards
                .OrderBy(h => h.Id)
                .Select(h => new HazardRow(
                    h.Id, h.Name, h.Classification, h.Status, h.StatusReason, h.Contamination, h.Evidence, h.RecordedOn, h.Source,
                    h.DerivedFrom, h.HandoverCertificate, h.HandedOverTo, h.ResidualRiskOwner, h.HandedOverOn, h.AreaM2, h.Geometry))
                .ToListAsync(CancellationToken.None);
            var features = new FeatureCollection();
            foreach (var row in rows) features.Add(row.ToFeature());
            return JsonSerializer.SerializeToUtf8Bytes(features, json.Value.SerializerOptions);
        });
        return TypedResults.Bytes(bytes, GeoJsonMediaType);
    }
}

/// <summary>One hazardous area as read for the map: the dataset's columns and the perimeter.</summary>
public sealed record HazardRow(
    string Id,
    string? Name,
    HazardClassification Classification,
    HazardStatus Status,
    string? StatusReason,
    string? Contamination,
    string? Evidence,
    PartialDate RecordedOn,
    string? Source,
    string? DerivedFrom,
    string? HandoverCertificate,
    string? HandedOverTo,
    string? ResidualRiskOwner,
    PartialDate? HandedOverOn,
    double AreaM2,
    MultiPolygon? Geometry)
{
    /// <summary>A GeoJSON feature whose id is the national id and whose properties use the file column names and enum spellings.</summary>
    public IFeature ToFeature() => new IdentifiedFeature(Id, Geometry, new AttributesTable
    {
        { "id", Id },
        { "name", Name },
        { "classification", SnakeCase.Of(Classification) },
        { "status", SnakeCase.Of(Status) },
        { "status_reason", StatusReason },
        { "contamination", Contamination },
        { "evidence", Evidence },
        { "recorded_on", RecordedOn.ToString() },
        { "source", Source },
        { "derived_from", DerivedFrom },
        { "handover_certificate", HandoverCertificate },
        { "handed_over_to", HandedOverTo },
        { "residual_risk_owner", ResidualRiskOwner },
        { "handed_over_on", HandedOverOn?.ToString() },
        { "area_m2", AreaM2 },
    });
}

/// <summary>A feature that carries its record id as the GeoJSON feature id (RFC 7946 section 3.2) as well as in its properties.</summary>
internal sealed class IdentifiedFeature(string id, Geometry? geometry, IAttributesTable attributes) : IFeature, IUnique
{
    public object Id => id;
    public Geometry? Geometry { get; set; } = geometry;
    public Envelope? BoundingBox { get; set; }
    public IAttributesTable Attributes { get; set; } = attributes;
}
