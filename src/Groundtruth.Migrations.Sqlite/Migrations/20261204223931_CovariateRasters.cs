using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Groundtruth.Migrations.Sqlite.Migrations
{
    /// <summary>
    /// Covariate rasters (<c>groundtruth layers add</c>): the GeoTIFF as given and what the listing shows of it
    /// (docs/decisions/0030-covariate-rasters-in-the-database.md).
    /// </summary>
    public partial class CovariateRasters : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "covariate_rasters",
                columns: table => new
                {
                    name = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    kind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    source_file = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    added_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    added_by = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    epsg = table.Column<int>(type: "INTEGER", nullable: false),
                    columns = table.Column<int>(type: "INTEGER", nullable: false),
                    rows = table.Column<int>(type: "INTEGER", nullable: false),
                    west = table.Column<double>(type: "REAL", nullable: false),
                    south = table.Column<double>(type: "REAL", nullable: false),
                    east = table.Column<double>(type: "REAL", nullable: false),
                    north = table.Column<double>(type: "REAL", nullable: false),
                    sha256 = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    tiff = table.Column<byte[]>(type: "BLOB", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_covariate_rasters", x => x.name);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "covariate_rasters");
        }
    }
}
