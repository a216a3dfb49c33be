using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Groundtruth.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class SubmissionPageIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_places_versions_submission_id",
                table: "places_versions");

            migrationBuilder.DropIndex(
                name: "IX_organisations_versions_submission_id",
                table: "organisations_versions");

            migrationBuilder.DropIndex(
                name: "IX_minefield_records_versions_submission_id",
                table: "minefield_records_versions");

            migrationBuilder.DropIndex(
                name: "IX_lines_versions_submission_id",
                table: "lines_versions");

            migrationBuilder.DropIndex(
                name: "IX_land_release_versions_submission_id",
                table: "land_release_versions");

            migrationBuilder.DropIndex(
                name: "IX_hazards_versions_submission_id",
                table: "hazards_versions");

            migrationBuilder.DropIndex(
                name: "IX_finds_versions_submission_id",
                table: "finds_versions");

            migrationBuilder.DropIndex(
                name: "IX_casualties_versions_submission_id",
                table: "casualties_versions");

            migrationBuilder.DropIndex(
                name: "IX_activities_versions_submission_id",
                table: "activities_versions");

            migrationBuilder.DropIndex(
                name: "IX_accidents_versions_submission_id",
                table: "accidents_versions");

            migrationBuilder.CreateIndex(
                name: "IX_places_versions_submission_id_record_id_version_id",
                table: "places_versions",
                columns: new[] { "submission_id", "record_id", "version_id" });

            migrationBuilder.CreateIndex(
                name: "IX_organisations_versions_submission_id_record_id_version_id",
                table: "organisations_versions",
                columns: new[] { "submission_id", "record_id", "version_id" });

            migrationBuilder.CreateIndex(
                name: "IX_minefield_records_versions_submission_id_record_id_version_id",
                table: "minefield_records_versions",
                columns: new[] { "submission_id", "record_id", "version_id" });

            migrationBuilder.CreateIndex(
                name: "IX_lines_versions_submission_id_record_id_version_id",
                table: "lines_versions",
                columns: new[] { "submission_id", "record_id", "version_id" });

            migrationBuilder.CreateIndex(
                name: "IX_land_release_versions_submission_id_record_id_version_id",
                table: "land_release_versions",
                columns: new[] { "submission_id", "record_id", "version_id" });

            migrationBuilder.CreateIndex(
                name: "IX_hazards_versions_submission_id_record_id_version_id",
                table: "hazards_versions",
                columns: new[] { "submission_id", "record_id", "version_id" });

            migrationBuilder.CreateIndex(
                name: "IX_finds_versions_submission_id_record_id_version_id",
                table: "finds_versions",
                columns: new[] { "submission_id", "record_id", "version_id" });

            migrationBuilder.CreateIndex(
                name: "IX_casualties_versions_submission_id_record_id_version_id",
                table: "casualties_versions",
                columns: new[] { "submission_id", "record_id", "version_id" });

            migrationBuilder.CreateIndex(
                name: "IX_activities_versions_submission_id_record_id_version_id",
                table: "activities_versions",
                columns: new[] { "submission_id", "record_id", "version_id" });

            migrationBuilder.CreateIndex(
                name: "IX_accidents_versions_submission_id_record_id_version_id",
                table: "accidents_versions",
                columns: new[] { "submission_id", "record_id", "version_id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_places_versions_submission_id_record_id_version_id",
                table: "places_versions");

            migrationBuilder.DropIndex(
                name: "IX_organisations_versions_submission_id_record_id_version_id",
                table: "organisations_versions");

            migrationBuilder.DropIndex(
                name: "IX_minefield_records_versions_submission_id_record_id_version_id",
                table: "minefield_records_versions");

            migrationBuilder.DropIndex(
                name: "IX_lines_versions_submission_id_record_id_version_id",
                table: "lines_versions");

            migrationBuilder.DropIndex(
                name: "IX_land_release_versions_submission_id_record_id_version_id",
                table: "land_release_versions");

            migrationBuilder.DropIndex(
                name: "IX_hazards_versions_submission_id_record_id_version_id",
                table: "hazards_versions");

            migrationBuilder.DropIndex(
                name: "IX_finds_versions_submission_id_record_id_version_id",
                table: "finds_versions");

            migrationBuilder.DropIndex(
                name: "IX_casualties_versions_submission_id_record_id_version_id",
                table: "casualties_versions");

            migrationBuilder.DropIndex(
                name: "IX_activities_versions_submission_id_record_id_version_id",
                table: "activities_versions");

            migrationBuilder.DropIndex(
                name: "IX_accidents_versions_submission_id_record_id_version_id",
                table: "accidents_versions");

            migrationBuilder.CreateIndex(
                name: "IX_places_versions_submission_id",
                table: "places_versions",
                column: "submission_id");

            migrationBuilder.CreateIndex(
                name: "IX_organisations_versions_submission_id",
                table: "organisations_versions",
                column: "submission_id");

            migrationBuilder.CreateIndex(
                name: "IX_minefield_records_versions_submission_id",
                table: "minefield_records_versions",
                column: "submission_id");

            migrationBuilder.CreateIndex(
                name: "IX_lines_versions_submission_id",
                table: "lines_versions",
                column: "submission_id");

            migrationBuilder.CreateIndex(
                name: "IX_land_release_versions_submission_id",
                table: "land_release_versions",
                column: "submission_id");

            migrationBuilder.CreateIndex(
                name: "IX_hazards_versions_submission_id",
                table: "hazards_versions",
                column: "submission_id");

            migrationBuilder.CreateIndex(
                name: "IX_finds_versions_submission_id",
                table: "finds_versions",
                column: "submission_id");

            migrationBuilder.CreateIndex(
                name: "IX_casualties_versions_submission_id",
                table: "casualties_versions",
                column: "submission_id");

            migrationBuilder.CreateIndex(
                name: "IX_activities_versions_submission_id",
                table: "activities_versions",
                column: "submission_id");

            migrationBuilder.CreateIndex(
                name: "IX_accidents_versions_submission_id",
                table: "accidents_versions",
                column: "submission_id");
        }
    }
}
