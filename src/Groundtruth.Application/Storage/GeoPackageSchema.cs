using System.Globalization;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Groundtruth.Application.Storage;

/// <summary>
/// The GeoPackage metadata (OGC 12-128r18): SRS table, contents, geometry columns, and the file header.
/// All GeoPackage DDL goes through here, called from the SQLite migrations, so a table rebuild never
/// loses it unnoticed (the GDAL validation test reads the result).
/// </summary>
public static class GeoPackageSchema
{
    /// <summary>"GPKG" in the SQLite header's application_id.</summary>
    public const int ApplicationId = 0x47504B47;
    /// <summary>GeoPackage 1.3.0.</summary>
    public const int UserVersion = 10300;

    private const string Wgs84Definition =
        "GEOGCS[\"WGS 84\",DATUM[\"WGS_1984\",SPHEROID[\"WGS 84\",6378137,298.257223563,AUTHORITY[\"EPSG\",\"7030\"]],AUTHORITY[\"EPSG\",\"6326\"]]," +
        "PRIMEM[\"Greenwich\",0,AUTHORITY[\"EPSG\",\"8901\"]],UNIT[\"degree\",0.0174532925199433,AUTHORITY[\"EPSG\",\"9122\"]],AUTHORITY[\"EPSG\",\"4326\"]]";

    public static void CreateMetadataTables(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("""
            CREATE TABLE IF NOT EXISTS gpkg_spatial_ref_sys (
              srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY, organization TEXT NOT NULL,
              organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT);
            """);
        migrationBuilder.Sql("""
            CREATE TABLE IF NOT EXISTS gpkg_contents (
              table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE, description TEXT DEFAULT '',
              last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
              min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
              CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
            """);
        migrationBuilder.Sql("""
            CREATE TABLE IF NOT EXISTS gpkg_geometry_columns (
              table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL,
              srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,
              CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
              CONSTRAINT uk_gc_table_name UNIQUE (table_name),
              CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
              CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));
            """);
        migrationBuilder.Sql($"""
            INSERT OR IGNORE INTO gpkg_spatial_ref_sys VALUES
              ('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined cartesian coordinate reference system'),
              ('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system'),
              ('WGS 84 geodetic', 4326, 'EPSG', 4326, '{Wgs84Definition}', 'longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid');
            """);
    }

    /// <summary>
    /// Registers a feature table (a layer GIS tools list) with its geometry column, and declares that
    /// column with its GeoPackage type (POINT, MULTIPOLYGON, …) as GeoPackage readers expect. Call it
    /// right after the table is created, while it is empty.
    /// </summary>
    public static void RegisterFeatureTable(MigrationBuilder migrationBuilder, string table, string geometryType, string description)
    {
        migrationBuilder.Sql($"ALTER TABLE \"{table}\" DROP COLUMN \"{StorageNames.Geometry}\";");
        migrationBuilder.Sql($"ALTER TABLE \"{table}\" ADD COLUMN \"{StorageNames.Geometry}\" {geometryType};");
        migrationBuilder.Sql(string.Create(CultureInfo.InvariantCulture, $"""
            INSERT OR REPLACE INTO gpkg_contents (table_name, data_type, identifier, description, srs_id)
              VALUES ('{table}', 'features', '{table}', '{Escape(description)}', 4326);
            """));
        migrationBuilder.Sql($"""
            INSERT OR REPLACE INTO gpkg_geometry_columns VALUES ('{table}', '{StorageNames.Geometry}', '{geometryType}', 4326, 0, 0);
            """);
    }

    /// <summary>Registers a table without geometry as an attributes table (GIS tools list it as a table, not a map layer).</summary>
    public static void RegisterAttributesTable(MigrationBuilder migrationBuilder, string table, string description) =>
        migrationBuilder.Sql($"""
            INSERT OR REPLACE INTO gpkg_contents (table_name, data_type, identifier, description)
              VALUES ('{table}', 'attributes', '{table}', '{Escape(description)}');
            """);

    /// <summary>The statements that refresh a layer's extent and last-change time in gpkg_contents after a write.</summary>
    public static string RefreshContentsSql(string table, bool spatial) => spatial
        ? $"""
          UPDATE gpkg_contents SET last_change = strftime('%Y-%m-%dT%H:%M:%fZ','now'),
            min_x = (SELECT min(min_x) FROM "{table}"), min_y = (SELECT min(min_y) FROM "{table}"),
            max_x = (SELECT max(max_x) FROM "{table}"), max_y = (SELECT max(max_y) FROM "{table}")
          WHERE table_name = '{table}';
          """
        : $"UPDATE gpkg_contents SET last_change = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE table_name = '{table}';";

    /// <summary>The header fields that mark the SQLite file as a GeoPackage; set by <c>init</c>.</summary>
    public static string HeaderSql => string.Create(CultureInfo.InvariantCulture, $"PRAGMA application_id = {ApplicationId}; PRAGMA user_version = {UserVersion};");

    private static string Escape(string s) => s.Replace("'", "''", StringComparison.Ordinal);
}
