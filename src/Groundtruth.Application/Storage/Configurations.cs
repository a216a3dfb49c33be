using Groundtruth.Application.Datasets;
using Groundtruth.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Groundtruth.Application.Storage;

/// <summary>
/// A layer table: integer <c>fid</c> for GIS tools, the domain <c>id</c> unique, a geometry column
/// <c>geom</c>, bounding-box columns for indexed filtering in SQL, and the row hash that makes a
/// re-import of an unchanged record a no-op.
/// </summary>
internal class FeatureTableConfiguration<T>(DatasetSpec dataset, StoreFlavour flavour) : IEntityTypeConfiguration<T> where T : Record
{
    public virtual void Configure(EntityTypeBuilder<T> builder)
    {
        builder.ToTable(dataset.Table);
        builder.HasKey(r => r.Fid);
        builder.Property(r => r.Fid).HasColumnName(StorageNames.Fid).ValueGeneratedOnAdd();
        builder.Property(r => r.Id).HasMaxLength(StorageNames.IdLength).IsRequired();
        builder.HasIndex(r => r.Id).IsUnique();
        // Each reference to another dataset indexed: a record page lists the records that point at it (a hazardous area's
        // finds, an accident's casualties), which without the index read the whole layer (issue 11: 0.4 s per page at scale 500).
        foreach (var field in dataset.Fields.Where(f => f.References is not null))
        {
            var property = typeof(T).GetProperties().Single(p => SnakeCase.From(p.Name) == field.Name);
            builder.HasIndex(property.Name);
        }
        builder.Property<long>(StorageNames.RowHash);
        if (!dataset.IsSpatial) return;
        var geometry = builder.Property(StorageNames.GeometryProperty).HasColumnName(StorageNames.Geometry);
        geometry.HasColumnType(GeometryColumnType(dataset.Shape, flavour));
        foreach (var c in StorageNames.BoundingBox) builder.Property<double?>(c);
        builder.HasIndex(StorageNames.BoundingBox[0], StorageNames.BoundingBox[1]);
    }

    internal static string GeometryColumnType(GeometryShape shape, StoreFlavour flavour)
    {
        var name = shape switch
        {
            GeometryShape.Point => "POINT",
            GeometryShape.MultiLineString => "MULTILINESTRING",
            GeometryShape.MultiPolygon => "MULTIPOLYGON",
            _ => "GEOMETRY",
        };
        // EF's SQLite migrations turn POINT/GEOMETRY columns into SpatiaLite calls; the model says BLOB
        // and GeoPackageSchema.RegisterFeatureTable re-declares the column with its GeoPackage type.
        if (flavour == StoreFlavour.GeoPackage) return "BLOB";
        return name == "GEOMETRY" ? "geometry(Geometry,4326)" : $"geometry({PostGisName(name)},4326)";
    }

    private static string PostGisName(string name) => name switch
    {
        "POINT" => "Point",
        "MULTILINESTRING" => "MultiLineString",
        _ => "MultiPolygon",
    };
}

internal sealed class HazardousAreaConfiguration(StoreFlavour flavour)
    : FeatureTableConfiguration<HazardousArea>(DatasetCatalog.Hazards, flavour)
{
    public override void Configure(EntityTypeBuilder<HazardousArea> builder)
    {
        base.Configure(builder);
        builder.Property(h => h.Status);
        builder.Property(h => h.StatusReason);
    }
}

internal sealed class OrganisationConfiguration(StoreFlavour flavour)
    : FeatureTableConfiguration<Organisation>(DatasetCatalog.Organisations, flavour);

internal static class RecordVersionConfiguration
{
    public static void Apply(ModelBuilder modelBuilder, DatasetSpec dataset, StoreFlavour flavour)
    {
        modelBuilder.SharedTypeEntity<RecordVersion>(dataset.VersionsTable, b =>
        {
            b.ToTable(dataset.VersionsTable);
            b.HasKey(v => v.VersionId);
            b.Property(v => v.RecordId).HasMaxLength(StorageNames.IdLength);
            b.Property(v => v.DateOfInformation).HasMaxLength(10);
            b.HasIndex(v => new { v.RecordId, v.RecordedAt });
            // A submission's records are paged in the order of their ids (ordinal on both stores, SubmissionDecisions.ReadPageAsync):
            // the index walks them in that order, so the first page of a million-row submission reads a page, not the whole batch.
            var bySubmission = b.HasIndex(v => new { v.SubmissionId, v.RecordId, v.VersionId });
            if (flavour == StoreFlavour.PostGis) bySubmission.UseCollation(null!, "C", null!);
            if (dataset.IsSpatial)
                b.Property(v => v.Geometry).HasColumnName(StorageNames.Geometry).HasColumnType(flavour == StoreFlavour.GeoPackage ? "BLOB" : "geometry(Geometry,4326)");
            else
                b.Ignore(v => v.Geometry);
        });
    }
}

internal sealed class SubmissionConfiguration : IEntityTypeConfiguration<Submission>
{
    public void Configure(EntityTypeBuilder<Submission> builder)
    {
        builder.ToTable("submissions");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Dataset).HasMaxLength(40);
        builder.Property(s => s.SubmittedBy).HasMaxLength(200);
        builder.Property(s => s.DecidedBy).HasMaxLength(200);
    }
}

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> builder)
    {
        builder.ToTable("audit_log");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Actor).HasMaxLength(200);
        builder.Property(a => a.Action).HasMaxLength(60);
        builder.Property(a => a.Dataset).HasMaxLength(40);
        builder.Property(a => a.RecordId).HasMaxLength(StorageNames.IdLength);
        builder.HasIndex(a => a.At);
        builder.Property(a => a.PrevHash).HasMaxLength(64);
        builder.Property(a => a.Hash).HasMaxLength(64);
    }
}

internal sealed class AuditChainHeadConfiguration : IEntityTypeConfiguration<AuditChainHead>
{
    public void Configure(EntityTypeBuilder<AuditChainHead> builder)
    {
        builder.ToTable("audit_chain_head");
        builder.HasKey(h => h.Id);
        builder.Property(h => h.Id).ValueGeneratedNever();
        builder.Property(h => h.LastHash).HasMaxLength(64);
        builder.HasData(new AuditChainHead { Id = 1, LastEntryId = 0, LastHash = Groundtruth.Application.Audit.AuditChain.Genesis, Entries = 0 });
    }
}

internal sealed class CasualtyPersonalDataConfiguration : IEntityTypeConfiguration<CasualtyPersonalDataRow>
{
    public void Configure(EntityTypeBuilder<CasualtyPersonalDataRow> builder)
    {
        builder.ToTable("casualty_personal_data");
        builder.HasKey(p => p.CasualtyId);
        builder.Property(p => p.CasualtyId).HasMaxLength(StorageNames.IdLength);
        builder.Property(p => p.KeyId).HasMaxLength(64);
    }
}

internal sealed class CovariateRasterConfiguration : IEntityTypeConfiguration<CovariateRasterRow>
{
    public void Configure(EntityTypeBuilder<CovariateRasterRow> builder)
    {
        builder.ToTable("covariate_rasters");
        builder.HasKey(r => r.Name);
        builder.Property(r => r.Name).HasMaxLength(64);
        builder.Property(r => r.Kind).HasMaxLength(16);
        builder.Property(r => r.SourceFile).HasMaxLength(255);
        builder.Property(r => r.AddedBy).HasMaxLength(255);
        builder.Property(r => r.Sha256).HasMaxLength(64);
    }
}
