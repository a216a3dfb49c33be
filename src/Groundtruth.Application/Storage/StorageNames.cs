namespace Groundtruth.Application.Storage;

/// <summary>Column names shared by every layer table.</summary>
public static class StorageNames
{
    public const string Fid = "fid";
    public const string Geometry = "geom";
    public const string GeometryProperty = "Geometry";
    public const string RowHash = "row_hash";
    public const string OriginalCrs = "original_crs";
    public const string OriginalWkt = "original_wkt";
    public const int IdLength = 100;

    /// <summary>min_x, min_y, max_x, max_y: the geometry's envelope, for filtering by bounding box in SQL.</summary>
    public static readonly string[] BoundingBox = ["min_x", "min_y", "max_x", "max_y"];
}
