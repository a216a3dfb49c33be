using Groundtruth.Application.Datasets;
using Groundtruth.Domain;
using Microsoft.EntityFrameworkCore;

namespace Groundtruth.Application.Storage;

/// <summary>The one database model, served by SQLite (a GeoPackage) and by PostgreSQL with PostGIS.</summary>
public sealed class GroundtruthDbContext(DbContextOptions<GroundtruthDbContext> options) : DbContext(options)
{
    public DbSet<Place> Places => Set<Place>();
    public DbSet<Organisation> Organisations => Set<Organisation>();
    public DbSet<Line> Lines => Set<Line>();
    public DbSet<HazardousArea> Hazards => Set<HazardousArea>();
    public DbSet<MinefieldRecord> MinefieldRecords => Set<MinefieldRecord>();
    public DbSet<Activity> Activities => Set<Activity>();
    public DbSet<LandRelease> LandReleases => Set<LandRelease>();
    public DbSet<ExplosiveOrdnanceFind> Finds => Set<ExplosiveOrdnanceFind>();
    public DbSet<Accident> Accidents => Set<Accident>();
    public DbSet<Casualty> Casualties => Set<Casualty>();
    public DbSet<Submission> Submissions => Set<Submission>();
    public DbSet<AuditEntry> AuditLog => Set<AuditEntry>();
    public DbSet<CasualtyPersonalDataRow> CasualtyPersonalData => Set<CasualtyPersonalDataRow>();

    /// <summary>The versions of one dataset's records.</summary>
    public IQueryable<RecordVersion> Versions(DatasetSpec dataset) => Set<RecordVersion>(dataset.VersionsTable);

    public bool IsSqlite => Database.ProviderName == "Microsoft.EntityFrameworkCore.Sqlite";

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        var flavour = IsSqlite ? StoreFlavour.GeoPackage : StoreFlavour.PostGis;
        if (flavour == StoreFlavour.PostGis) modelBuilder.HasPostgresExtension("postgis");
        modelBuilder.ApplyConfiguration(new FeatureTableConfiguration<Place>(DatasetCatalog.Places, flavour));
        modelBuilder.ApplyConfiguration(new OrganisationConfiguration(flavour));
        modelBuilder.ApplyConfiguration(new FeatureTableConfiguration<Line>(DatasetCatalog.Lines, flavour));
        modelBuilder.ApplyConfiguration(new HazardousAreaConfiguration(flavour));
        modelBuilder.ApplyConfiguration(new FeatureTableConfiguration<MinefieldRecord>(DatasetCatalog.MinefieldRecords, flavour));
        modelBuilder.ApplyConfiguration(new FeatureTableConfiguration<Activity>(DatasetCatalog.Activities, flavour));
        modelBuilder.ApplyConfiguration(new FeatureTableConfiguration<LandRelease>(DatasetCatalog.LandRelease, flavour));
        modelBuilder.ApplyConfiguration(new FeatureTableConfiguration<ExplosiveOrdnanceFind>(DatasetCatalog.Finds, flavour));
        modelBuilder.ApplyConfiguration(new FeatureTableConfiguration<Accident>(DatasetCatalog.Accidents, flavour));
        modelBuilder.ApplyConfiguration(new FeatureTableConfiguration<Casualty>(DatasetCatalog.Casualties, flavour));
        foreach (var dataset in DatasetCatalog.All) RecordVersionConfiguration.Apply(modelBuilder, dataset, flavour);
        modelBuilder.ApplyConfiguration(new SubmissionConfiguration());
        modelBuilder.ApplyConfiguration(new AuditEntryConfiguration());
        modelBuilder.ApplyConfiguration(new CasualtyPersonalDataConfiguration());
        StorageConventions.NameColumns(modelBuilder);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder) =>
        StorageConventions.Configure(configurationBuilder, IsSqlite ? StoreFlavour.GeoPackage : StoreFlavour.PostGis);
}

/// <summary>Which of the two stores the model is built for.</summary>
public enum StoreFlavour { GeoPackage, PostGis }
