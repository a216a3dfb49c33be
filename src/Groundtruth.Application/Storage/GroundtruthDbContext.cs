using Groundtruth.Application.Audit;
using Groundtruth.Application.Datasets;
using Groundtruth.Domain;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;

namespace Groundtruth.Application.Storage;

/// <summary>The one database model, served by SQLite (a GeoPackage) and by PostgreSQL with PostGIS.</summary>
/// <remarks>
/// Users and roles (ASP.NET Core Identity) live in the same model and database, in <c>identity_*</c>
/// tables that are not GeoPackage layers (docs/decisions/0006-web-app.md).
/// </remarks>
public sealed class GroundtruthDbContext(DbContextOptions<GroundtruthDbContext> options)
    : IdentityDbContext<IdentityUser, IdentityRole, string>(options)
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
    public DbSet<AuditChainHead> AuditChainHead => Set<AuditChainHead>();
    public DbSet<CasualtyPersonalDataRow> CasualtyPersonalData => Set<CasualtyPersonalDataRow>();
    public DbSet<CovariateRasterRow> CovariateRasters => Set<CovariateRasterRow>();

    /// <summary>The versions of one dataset's records.</summary>
    public IQueryable<RecordVersion> Versions(DatasetSpec dataset) => Set<RecordVersion>(dataset.VersionsTable);

    /// <summary>Fixed, so the model is the same whether or not the context comes from a host's services.</summary>
    protected override Version SchemaVersion => IdentitySchemaVersions.Version2;

    /// <summary>
    /// Another context on the same database with its own connection, for a read that runs beside this context's
    /// (issue 11: the large layers are read at the same time on two cores). It does not see this connection's
    /// temporary tables, so history shadows (<see cref="History.HistoryScope"/>) must be read on the context that made them.
    /// </summary>
    public GroundtruthDbContext Sibling() => new((DbContextOptions<GroundtruthDbContext>)this.GetService<IDbContextOptions>());

    /// <summary>Runs <paramref name="read"/> on a <see cref="Sibling"/> context on the thread pool, beside whatever this context does next.</summary>
    /// <remarks>
    /// The sibling is made here, on the caller's thread: made inside the task it would read this context's services while
    /// the caller's next query may still be configuring this context ("a second operation … while it is being configured").
    /// </remarks>
    public Task<T> ReadBesideAsync<T>(Func<GroundtruthDbContext, Task<T>> read, CancellationToken ct)
    {
        var other = Sibling();
        return Task.Run(async () =>
        {
            await using (other)
            {
                await other.Database.OpenConnectionAsync(ct);
                return await read(other);
            }
        }, CancellationToken.None); // always run, so the sibling is always disposed; the read itself observes ct
    }

    public bool IsSqlite => Database.ProviderName == "Microsoft.EntityFrameworkCore.Sqlite";

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        IdentityTables.Name(builder);
        var flavour = IsSqlite ? StoreFlavour.GeoPackage : StoreFlavour.PostGis;
        if (flavour == StoreFlavour.PostGis) builder.HasPostgresExtension("postgis");
        builder.ApplyConfiguration(new FeatureTableConfiguration<Place>(DatasetCatalog.Places, flavour));
        builder.ApplyConfiguration(new OrganisationConfiguration(flavour));
        builder.ApplyConfiguration(new FeatureTableConfiguration<Line>(DatasetCatalog.Lines, flavour));
        builder.ApplyConfiguration(new HazardousAreaConfiguration(flavour));
        builder.ApplyConfiguration(new FeatureTableConfiguration<MinefieldRecord>(DatasetCatalog.MinefieldRecords, flavour));
        builder.ApplyConfiguration(new FeatureTableConfiguration<Activity>(DatasetCatalog.Activities, flavour));
        builder.ApplyConfiguration(new FeatureTableConfiguration<LandRelease>(DatasetCatalog.LandRelease, flavour));
        builder.ApplyConfiguration(new FeatureTableConfiguration<ExplosiveOrdnanceFind>(DatasetCatalog.Finds, flavour));
        builder.ApplyConfiguration(new FeatureTableConfiguration<Accident>(DatasetCatalog.Accidents, flavour));
        builder.ApplyConfiguration(new FeatureTableConfiguration<Casualty>(DatasetCatalog.Casualties, flavour));
        foreach (var dataset in DatasetCatalog.All) RecordVersionConfiguration.Apply(builder, dataset, flavour);
        builder.ApplyConfiguration(new SubmissionConfiguration());
        builder.ApplyConfiguration(new AuditEntryConfiguration());
        builder.ApplyConfiguration(new AuditChainHeadConfiguration());
        builder.ApplyConfiguration(new CasualtyPersonalDataConfiguration());
        builder.ApplyConfiguration(new CovariateRasterConfiguration());
        StorageConventions.NameColumns(builder);
    }

    /// <summary>Audit entries added to the context are chained (docs/decisions/0021-audit-chain-and-backups.md) in the same transaction.</summary>
    public override int SaveChanges(bool acceptAllChangesOnSuccess) =>
        SaveChangesAsync(acceptAllChangesOnSuccess).GetAwaiter().GetResult();

    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        var added = ChangeTracker.Entries<AuditEntry>().Where(e => e.State == EntityState.Added).Select(e => e.Entity).ToList();
        if (added.Count == 0) return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        var own = Database.CurrentTransaction is null ? await Database.BeginTransactionAsync(cancellationToken) : null;
        try
        {
            var connection = Database.GetDbConnection();
            var transaction = Database.CurrentTransaction!.GetDbTransaction();
            var head = await AuditChain.LockHeadAsync(connection, transaction, cancellationToken);
            foreach (var entry in added) AuditChain.Normalise(entry);
            var written = await base.SaveChangesAsync(true, cancellationToken);
            head = AuditChain.Link(added.OrderBy(e => e.Id), head);
            await base.SaveChangesAsync(true, cancellationToken);
            await AuditChain.WriteHeadAsync(connection, transaction, head, cancellationToken);
            if (own is not null) await own.CommitAsync(cancellationToken);
            return written;
        }
        finally
        {
            if (own is not null) await own.DisposeAsync();
        }
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder) =>
        StorageConventions.Configure(configurationBuilder, IsSqlite ? StoreFlavour.GeoPackage : StoreFlavour.PostGis);
}

/// <summary>Which of the two stores the model is built for.</summary>
public enum StoreFlavour { GeoPackage, PostGis }
