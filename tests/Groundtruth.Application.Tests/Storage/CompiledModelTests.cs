using System.Text;
using Groundtruth.Application.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Shouldly;

namespace Groundtruth.Application.Tests.Storage;

/// <summary>
/// The storage model compiled ahead of time for each store is the model the entity configuration builds: the same entities,
/// tables, columns with their store types, nullability and converters, keys, indexes and foreign keys. A change to the
/// entities without compiling the model again fails here (docs/decisions/0049-compiled-storage-model.md says how to make it).
/// </summary>
public sealed class CompiledModelTests
{
    public static TheoryData<StoreFlavour> Flavours => [StoreFlavour.GeoPackage, StoreFlavour.PostGis];

    private static DatabaseTarget TargetOf(StoreFlavour flavour) => flavour == StoreFlavour.GeoPackage
        ? DatabaseTarget.ForFile(Path.Combine(Path.GetTempPath(), "compiled-model-test.gpkg"))
        : DatabaseTarget.ForServer("Host=localhost;Database=compiled_model_test");

    /// <summary>Everything about the model that reaches the database or the values read from it, one line per fact, in a fixed order.</summary>
    private static string Describe(IModel model)
    {
        var text = new StringBuilder();
        foreach (var entity in model.GetEntityTypes().OrderBy(e => e.Name, StringComparer.Ordinal))
        {
            text.AppendLine($"entity {entity.Name} clr {entity.ClrType.FullName} table {entity.GetSchema()}.{entity.GetTableName()} view {entity.GetViewName()}");
            foreach (var p in entity.GetProperties().OrderBy(p => p.Name, StringComparer.Ordinal))
                text.AppendLine($"  property {p.Name} {p.ClrType.FullName} column {p.GetColumnName()} type {p.GetColumnType()} null {p.IsNullable} " +
                    $"converter {p.GetValueConverter()?.GetType().FullName} max {p.GetMaxLength()} generated {p.ValueGenerated} concurrency {p.IsConcurrencyToken}");
            foreach (var k in entity.GetKeys().OrderBy(k => string.Join(",", k.Properties.Select(p => p.Name)), StringComparer.Ordinal))
                text.AppendLine($"  key {string.Join(",", k.Properties.Select(p => p.Name))} primary {k.IsPrimaryKey()}");
            foreach (var i in entity.GetIndexes().OrderBy(i => i.GetDatabaseName(), StringComparer.Ordinal))
                text.AppendLine($"  index {i.GetDatabaseName()} on {string.Join(",", i.Properties.Select(p => p.Name))} unique {i.IsUnique} filter {i.GetFilter()}");
            foreach (var f in entity.GetForeignKeys().OrderBy(f => f.GetConstraintName(), StringComparer.Ordinal))
                text.AppendLine($"  foreign key {f.GetConstraintName()} {string.Join(",", f.Properties.Select(p => p.Name))} -> {f.PrincipalEntityType.Name} delete {f.DeleteBehavior}");
        }
        foreach (var table in model.GetRelationalModel().Tables.OrderBy(t => t.SchemaQualifiedName, StringComparer.Ordinal))
        {
            text.AppendLine($"table {table.SchemaQualifiedName}");
            foreach (var c in table.Columns.OrderBy(c => c.Name, StringComparer.Ordinal))
                text.AppendLine($"  column {c.Name} {c.StoreType} null {c.IsNullable}");
        }
        return text.ToString();
    }

    [Theory]
    [MemberData(nameof(Flavours))]
    public void TheCompiledModel_IsTheModelTheConfigurationBuilds(StoreFlavour flavour)
    {
        var target = TargetOf(flavour);
        var compiled = CompiledModels.For(flavour);
        compiled.ShouldNotBeNull("the store's migrations assembly holds a compiled model");
        // A context made as every command makes it runs on the compiled model (initialised for the store by the context).
        using var context = target.CreateContext();
        context.Model.ShouldBeSameAs(compiled);
        using var building = target.CreateContextBuildingTheModel();
        building.Model.ShouldNotBeSameAs(compiled);
        Describe(context.Model).ShouldBe(Describe(building.Model));
    }
}
