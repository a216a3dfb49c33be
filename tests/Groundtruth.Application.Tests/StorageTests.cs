using Groundtruth.Application.Datasets;
using Groundtruth.Application.Storage;
using Groundtruth.Application.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Groundtruth.Application.Tests;

public sealed class StorageTests
{
    [Theory]
    [ClassData(typeof(Backends))]
    public async Task Model_HasNoPendingChanges(Backend backend)
    {
        await using var t = await TestDatabase.CreateAsync(backend, initialise: false);
        await using var db = t.Target.CreateContext();
        db.Database.HasPendingModelChanges().ShouldBeFalse($"add a migration for {backend}: dotnet ef migrations add <Name> in src/Groundtruth.Migrations.*");
    }

    [Theory]
    [ClassData(typeof(Backends))]
    public async Task Init_IsRepeatable_AndLeavesNoPendingMigrations(Backend backend)
    {
        await using var t = await TestDatabase.CreateAsync(backend);
        var again = await new Admin.InitHandler(t.Target, TimeProvider.System).HandleAsync("test");
        again.AppliedMigrations.ShouldBeEmpty();
        await using var db = t.Target.CreateContext();
        (await db.Database.GetPendingMigrationsAsync()).ShouldBeEmpty();
        (await t.ScalarAsync("SELECT count(*) FROM \"audit_log\" WHERE \"action\" = 'init'")).ShouldBe(1);
    }

    [Theory]
    [ClassData(typeof(Backends))]
    public async Task LayerColumns_MatchTheDatasetCatalogue(Backend backend)
    {
        await using var t = await TestDatabase.CreateAsync(backend, initialise: false);
        await using var db = t.Target.CreateContext();
        foreach (var dataset in DatasetCatalog.All)
        {
            var entity = db.Model.GetEntityTypes().Single(e => e.GetTableName() == dataset.Table);
            var columns = entity.GetProperties().Select(p => p.GetColumnName()).ToHashSet();
            var expected = dataset.StoredFields.Select(f => f.Name).Append(StorageNames.Fid).Append(StorageNames.RowHash).ToList();
            if (dataset.IsSpatial) expected.AddRange([StorageNames.OriginalCrs, StorageNames.OriginalWkt, StorageNames.Geometry, .. StorageNames.BoundingBox]);
            columns.OrderBy(c => c).ShouldBe(expected.OrderBy(c => c), $"{dataset.Table} columns differ from the catalogue");
        }
    }

    [Fact]
    public async Task GeoPackage_HeaderAndPragmas_AreSet()
    {
        await using var t = await TestDatabase.CreateAsync(Backend.GeoPackage);
        (await t.ScalarAsync("PRAGMA application_id")).ShouldBe(GeoPackageSchema.ApplicationId);
        (await t.ScalarAsync("PRAGMA user_version")).ShouldBe(GeoPackageSchema.UserVersion);
        await using var db = t.Target.CreateContext();
        await db.Database.OpenConnectionAsync();
        await using var cmd = db.Database.GetDbConnection().CreateCommand();
        cmd.CommandText = "PRAGMA journal_mode";
        ((string)(await cmd.ExecuteScalarAsync())!).ShouldBe("delete");
        cmd.CommandText = "PRAGMA synchronous";
        Convert.ToInt64(await cmd.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture).ShouldBe(2, "synchronous=FULL");
    }

    [Fact]
    public async Task GeoPackage_RegistersExactlyTheDatasetLayers_AndTheQgisStyles()
    {
        await using var t = await TestDatabase.CreateAsync(Backend.GeoPackage);
        await using var db = t.Target.CreateContext();
        var registered = await db.Database.SqlQueryRaw<string>("SELECT table_name AS \"Value\" FROM gpkg_contents").ToListAsync();
        registered.OrderBy(x => x, StringComparer.Ordinal).ShouldBe(DatasetCatalog.All.Select(d => d.Table).Append(QgisLayerStyles.Table).OrderBy(x => x, StringComparer.Ordinal));
    }

    [Fact]
    public async Task Init_RefusesAForeignSqliteFile()
    {
        var dir = TestDatabase.NewDirectory();
        var path = Path.Combine(dir, "other.sqlite");
        await using (var c = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Pooling=False"))
        {
            await c.OpenAsync();
            await using var cmd = c.CreateCommand();
            cmd.CommandText = "CREATE TABLE mine (x INTEGER)";
            await cmd.ExecuteNonQueryAsync();
        }
        var before = await File.ReadAllBytesAsync(path);
        await Should.ThrowAsync<DatabaseNotReadyException>(() => new Admin.InitHandler(DatabaseTarget.ForFile(path), TimeProvider.System).HandleAsync());
        (await File.ReadAllBytesAsync(path)).ShouldBe(before);
    }

    [Theory]
    [InlineData("groundtruth.gpkg", true)]
    [InlineData("Host=localhost;Database=gt", false)]
    [InlineData("postgres://user:secret@db.example:5433/gt", false)]
    public void DatabaseTarget_TellsFilesFromServers(string text, bool file)
    {
        var target = DatabaseTarget.Parse(text);
        target.IsGeoPackage.ShouldBe(file);
        target.ToString().ShouldNotContain("secret");
    }
}

public sealed class DatasetReferenceTests
{
    [Fact]
    public void DocsDatasetsMd_IsTheCatalogue()
    {
        var doc = File.ReadAllText(TestData.File("../../docs/datasets.md")).ReplaceLineEndings("\n");
        doc.ShouldBe(DatasetReference.Markdown().ReplaceLineEndings("\n"),
            "docs/datasets.md is out of date: regenerate it with `dotnet run --project src/Groundtruth.Cli -- datasets --markdown > docs/datasets.md`");
    }

    [Fact]
    public void EveryEnumField_ListsItsSpellings()
    {
        var doc = DatasetReference.Markdown();
        foreach (var field in DatasetCatalog.All.SelectMany(d => d.Fields).Where(f => f.EnumType is not null))
            foreach (var name in field.EnumNames) doc.ShouldContain($"`{name}`");
    }
}
