using Groundtruth.Application.Datasets;
using Groundtruth.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using NetTopologySuite.Geometries;

namespace Groundtruth.Application.Storage;

/// <summary>Model-wide rules: snake_case columns, enums as snake_case strings, partial dates as ISO text, geometry per store.</summary>
internal static class StorageConventions
{
    /// <summary>Type-wide mappings, set before the model is discovered.</summary>
    public static void Configure(ModelConfigurationBuilder configuration, StoreFlavour flavour)
    {
        configuration.Properties<PartialDate>().HaveConversion<PartialDateConverter>().HaveMaxLength(10);
        configuration.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        foreach (var type in typeof(PartialDate).Assembly.GetTypes().Where(t => t.IsEnum && t.IsPublic))
            configuration.Properties(type).HaveConversion(typeof(SnakeCaseEnumConverter<>).MakeGenericType(type)).HaveMaxLength(40);
        if (flavour != StoreFlavour.GeoPackage) return;
        configuration.Properties<bool>().HaveColumnType("BOOLEAN");
        foreach (var type in new[] { typeof(Geometry), typeof(Point), typeof(MultiLineString), typeof(MultiPolygon) })
            configuration.Properties(type).HaveConversion(typeof(GeoPackageBlobConverter<>).MakeGenericType(type));
    }

    /// <summary>Columns are the snake_case of the property names unless a configuration named them.</summary>
    public static void NameColumns(ModelBuilder modelBuilder)
    {
        foreach (var entity in modelBuilder.Model.GetEntityTypes())
        {
            foreach (var property in entity.GetProperties())
            {
                if (property.GetColumnName() == property.Name) property.SetColumnName(SnakeCase.From(property.Name));
            }
            var dataset = DatasetCatalog.All.FirstOrDefault(d => d.Table == entity.GetTableName());
            if (dataset is not null) OrderColumns(entity, dataset);
        }
    }

    /// <summary>fid, id, the dataset's fields in catalogue order, then bookkeeping, geometry last: what a GIS user sees.</summary>
    private static void OrderColumns(IMutableEntityType entity, DatasetSpec dataset)
    {
        string[] head = [StorageNames.Fid, "id"];
        string[] tail = [StorageNames.OriginalCrs, StorageNames.OriginalWkt, StorageNames.RowHash, .. StorageNames.BoundingBox, StorageNames.Geometry];
        var order = head.Concat(dataset.StoredFields.Select(f => f.Name).Where(n => n != "id")).Concat(tail).ToList();
        foreach (var property in entity.GetProperties())
        {
            var i = order.IndexOf(property.GetColumnName());
            property.SetColumnOrder(i >= 0 ? i : order.Count);
        }
    }
}

public sealed class SnakeCaseEnumConverter<TEnum>() : ValueConverter<TEnum, string>(
    v => SnakeCase.Of(v), s => SnakeCase.Parse<TEnum>(s)) where TEnum : struct, Enum;

public sealed class PartialDateConverter() : ValueConverter<PartialDate, string>(
    v => v.ToString(), s => PartialDate.Parse(s));

/// <summary>Timestamps are stored as UTC and read back as UTC.</summary>
public sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
    v => v.Kind == DateTimeKind.Utc ? v : v.ToUniversalTime(), v => DateTime.SpecifyKind(v, DateTimeKind.Utc));

/// <summary>A geometry as a GeoPackage blob (header with SRS and envelope, then WKB).</summary>
public sealed class GeoPackageBlobConverter<TGeometry>() : ValueConverter<TGeometry, byte[]>(
    v => GeoPackageBlob.Write(v), b => (TGeometry)GeoPackageBlob.Read(b)) where TGeometry : Geometry;
