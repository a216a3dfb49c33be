using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Groundtruth.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class ReferenceIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_places_parent_id",
                table: "places",
                column: "parent_id");

            migrationBuilder.CreateIndex(
                name: "IX_organisations_parent_id",
                table: "organisations",
                column: "parent_id");

            migrationBuilder.CreateIndex(
                name: "IX_land_release_activity_id",
                table: "land_release",
                column: "activity_id");

            migrationBuilder.CreateIndex(
                name: "IX_land_release_hazard_id",
                table: "land_release",
                column: "hazard_id");

            migrationBuilder.CreateIndex(
                name: "IX_finds_activity_id",
                table: "finds",
                column: "activity_id");

            migrationBuilder.CreateIndex(
                name: "IX_finds_hazard_id",
                table: "finds",
                column: "hazard_id");

            migrationBuilder.CreateIndex(
                name: "IX_casualties_accident_id",
                table: "casualties",
                column: "accident_id");

            migrationBuilder.CreateIndex(
                name: "IX_activities_hazard_id",
                table: "activities",
                column: "hazard_id");

            migrationBuilder.CreateIndex(
                name: "IX_activities_organisation",
                table: "activities",
                column: "organisation");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_places_parent_id",
                table: "places");

            migrationBuilder.DropIndex(
                name: "IX_organisations_parent_id",
                table: "organisations");

            migrationBuilder.DropIndex(
                name: "IX_land_release_activity_id",
                table: "land_release");

            migrationBuilder.DropIndex(
                name: "IX_land_release_hazard_id",
                table: "land_release");

            migrationBuilder.DropIndex(
                name: "IX_finds_activity_id",
                table: "finds");

            migrationBuilder.DropIndex(
                name: "IX_finds_hazard_id",
                table: "finds");

            migrationBuilder.DropIndex(
                name: "IX_casualties_accident_id",
                table: "casualties");

            migrationBuilder.DropIndex(
                name: "IX_activities_hazard_id",
                table: "activities");

            migrationBuilder.DropIndex(
                name: "IX_activities_organisation",
                table: "activities");
        }
    }
}
