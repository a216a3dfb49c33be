using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Groundtruth.Migrations.Sqlite.Migrations
{
    /// <summary>
    /// Finds keep a position's stated accuracy (a field form's GPS fix). Only the column is added: the model's column
    /// order puts it before the geometry columns, which an existing table keeps where they are (SQLite cannot move a
    /// column without rebuilding the GeoPackage table); every read names its columns.
    /// </summary>
    public partial class FindLocationAccuracy : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<double>(
                name: "location_accuracy_m",
                table: "finds",
                type: "REAL",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "location_accuracy_m",
                table: "finds");
        }
    }
}
