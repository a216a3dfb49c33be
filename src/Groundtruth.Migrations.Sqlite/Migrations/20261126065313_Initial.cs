using System;
using Groundtruth.Application.Storage;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Groundtruth.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "accidents",
                columns: table => new
                {
                    fid = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    id = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    occurred_on = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    kind = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    device_category = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    device_model = table.Column<string>(type: "TEXT", nullable: true),
                    location_accuracy_m = table.Column<double>(type: "REAL", nullable: true),
                    source = table.Column<string>(type: "TEXT", nullable: true),
                    original_crs = table.Column<string>(type: "TEXT", nullable: true),
                    original_wkt = table.Column<string>(type: "TEXT", nullable: true),
                    row_hash = table.Column<long>(type: "INTEGER", nullable: false),
                    min_x = table.Column<double>(type: "REAL", nullable: true),
                    min_y = table.Column<double>(type: "REAL", nullable: true),
                    max_x = table.Column<double>(type: "REAL", nullable: true),
                    max_y = table.Column<double>(type: "REAL", nullable: true),
                    geom = table.Column<byte[]>(type: "BLOB", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_accidents", x => x.fid);
                });

            migrationBuilder.CreateTable(
                name: "accidents_versions",
                columns: table => new
                {
                    version_id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    record_id = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    date_of_information = table.Column<string>(type: "TEXT", maxLength: 10, nullable: true),
                    recorded_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    submission_id = table.Column<long>(type: "INTEGER", nullable: true),
                    tombstone = table.Column<bool>(type: "BOOLEAN", nullable: false),
                    data = table.Column<string>(type: "TEXT", nullable: false),
                    geom = table.Column<byte[]>(type: "BLOB", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_accidents_versions", x => x.version_id);
                });

            migrationBuilder.CreateTable(
                name: "activities",
                columns: table => new
                {
                    fid = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    id = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    type = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    organisation = table.Column<string>(type: "TEXT", nullable: true),
                    hazard_id = table.Column<string>(type: "TEXT", nullable: true),
                    started_on = table.Column<string>(type: "TEXT", maxLength: 10, nullable: true),
                    completed_on = table.Column<string>(type: "TEXT", maxLength: 10, nullable: true),
                    status = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    beneficiaries_women = table.Column<int>(type: "INTEGER", nullable: true),
                    beneficiaries_men = table.Column<int>(type: "INTEGER", nullable: true),
                    beneficiaries_girls = table.Column<int>(type: "INTEGER", nullable: true),
                    beneficiaries_boys = table.Column<int>(type: "INTEGER", nullable: true),
                    original_crs = table.Column<string>(type: "TEXT", nullable: true),
                    original_wkt = table.Column<string>(type: "TEXT", nullable: true),
                    row_hash = table.Column<long>(type: "INTEGER", nullable: false),
                    min_x = table.Column<double>(type: "REAL", nullable: true),
                    min_y = table.Column<double>(type: "REAL", nullable: true),
                    max_x = table.Column<double>(type: "REAL", nullable: true),
                    max_y = table.Column<double>(type: "REAL", nullable: true),
                    geom = table.Column<byte[]>(type: "BLOB", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_activities", x => x.fid);
                });

            migrationBuilder.CreateTable(
                name: "activities_versions",
                columns: table => new
                {
                    version_id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    record_id = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    date_of_information = table.Column<string>(type: "TEXT", maxLength: 10, nullable: true),
                    recorded_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    submission_id = table.Column<long>(type: "INTEGER", nullable: true),
                    tombstone = table.Column<bool>(type: "BOOLEAN", nullable: false),
                    data = table.Column<string>(type: "TEXT", nullable: false),
                    geom = table.Column<byte[]>(type: "BLOB", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_activities_versions", x => x.version_id);
                });

            migrationBuilder.CreateTable(
                name: "audit_log",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    actor = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    action = table.Column<string>(type: "TEXT", maxLength: 60, nullable: false),
                    dataset = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    record_id = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    submission_id = table.Column<long>(type: "INTEGER", nullable: true),
                    detail = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_audit_log", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "casualties",
                columns: table => new
                {
                    fid = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    id = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    accident_id = table.Column<string>(type: "TEXT", nullable: true),
                    occurred_on = table.Column<string>(type: "TEXT", maxLength: 10, nullable: true),
                    outcome = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    sex = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    age = table.Column<int>(type: "INTEGER", nullable: true),
                    age_group = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    status = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    occupation = table.Column<string>(type: "TEXT", nullable: true),
                    activity = table.Column<string>(type: "TEXT", nullable: true),
                    device_handled = table.Column<bool>(type: "BOOLEAN", nullable: true),
                    source = table.Column<string>(type: "TEXT", nullable: true),
                    original_crs = table.Column<string>(type: "TEXT", nullable: true),
                    original_wkt = table.Column<string>(type: "TEXT", nullable: true),
                    row_hash = table.Column<long>(type: "INTEGER", nullable: false),
                    min_x = table.Column<double>(type: "REAL", nullable: true),
                    min_y = table.Column<double>(type: "REAL", nullable: true),
                    max_x = table.Column<double>(type: "REAL", nullable: true),
                    max_y = table.Column<double>(type: "REAL", nullable: true),
                    geom = table.Column<byte[]>(type: "BLOB", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_casualties", x => x.fid);
                });

            migrationBuilder.CreateTable(
                name: "casualties_versions",
                columns: table => new
                {
                    version_id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    record_id = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    date_of_information = table.Column<string>(type: "TEXT", maxLength: 10, nullable: true),
                    recorded_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    submission_id = table.Column<long>(type: "INTEGER", nullable: true),
                    tombstone = table.Column<bool>(type: "BOOLEAN", nullable: false),
                    data = table.Column<string>(type: "TEXT", nullable: false),
                    geom = table.Column<byte[]>(type: "BLOB", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_casualties_versions", x => x.version_id);
                });

            migrationBuilder.CreateTable(
                name: "casualty_personal_data",
                columns: table => new
                {
                    casualty_id = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    ciphertext = table.Column<byte[]>(type: "BLOB", nullable: false),
                    key_id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_casualty_personal_data", x => x.casualty_id);
                });

            migrationBuilder.CreateTable(
                name: "finds",
                columns: table => new
                {
                    fid = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    id = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    found_on = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    category = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    model = table.Column<string>(type: "TEXT", nullable: true),
                    quantity = table.Column<int>(type: "INTEGER", nullable: false),
                    production_year = table.Column<int>(type: "INTEGER", nullable: true),
                    markings = table.Column<string>(type: "TEXT", nullable: true),
                    condition = table.Column<string>(type: "TEXT", nullable: true),
                    depth_cm = table.Column<double>(type: "REAL", nullable: true),
                    fuze = table.Column<string>(type: "TEXT", nullable: true),
                    booby_trapped = table.Column<bool>(type: "BOOLEAN", nullable: true),
                    emplacement = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    context = table.Column<string>(type: "TEXT", nullable: true),
                    disposal = table.Column<string>(type: "TEXT", nullable: true),
                    activity_id = table.Column<string>(type: "TEXT", nullable: true),
                    hazard_id = table.Column<string>(type: "TEXT", nullable: true),
                    source = table.Column<string>(type: "TEXT", nullable: true),
                    original_crs = table.Column<string>(type: "TEXT", nullable: true),
                    original_wkt = table.Column<string>(type: "TEXT", nullable: true),
                    row_hash = table.Column<long>(type: "INTEGER", nullable: false),
                    min_x = table.Column<double>(type: "REAL", nullable: true),
                    min_y = table.Column<double>(type: "REAL", nullable: true),
                    max_x = table.Column<double>(type: "REAL", nullable: true),
                    max_y = table.Column<double>(type: "REAL", nullable: true),
                    geom = table.Column<byte[]>(type: "BLOB", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_finds", x => x.fid);
                });

            migrationBuilder.CreateTable(
                name: "finds_versions",
                columns: table => new
                {
                    version_id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    record_id = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    date_of_information = table.Column<string>(type: "TEXT", maxLength: 10, nullable: true),
                    recorded_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    submission_id = table.Column<long>(type: "INTEGER", nullable: true),
                    tombstone = table.Column<bool>(type: "BOOLEAN", nullable: false),
                    data = table.Column<string>(type: "TEXT", nullable: false),
                    geom = table.Column<byte[]>(type: "BLOB", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_finds_versions", x => x.version_id);
                });

            migrationBuilder.CreateTable(
                name: "hazards",
                columns: table => new
                {
                    fid = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    id = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    name = table.Column<string>(type: "TEXT", nullable: true),
                    classification = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    status = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    status_reason = table.Column<string>(type: "TEXT", nullable: true),
                    contamination = table.Column<string>(type: "TEXT", nullable: true),
                    evidence = table.Column<string>(type: "TEXT", nullable: true),
                    recorded_on = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    source = table.Column<string>(type: "TEXT", nullable: true),
                    derived_from = table.Column<string>(type: "TEXT", nullable: true),
                    handover_certificate = table.Column<string>(type: "TEXT", nullable: true),
                    handed_over_to = table.Column<string>(type: "TEXT", nullable: true),
                    residual_risk_owner = table.Column<string>(type: "TEXT", nullable: true),
                    handed_over_on = table.Column<string>(type: "TEXT", maxLength: 10, nullable: true),
                    area_m2 = table.Column<double>(type: "REAL", nullable: false),
                    original_crs = table.Column<string>(type: "TEXT", nullable: true),
                    original_wkt = table.Column<string>(type: "TEXT", nullable: true),
                    row_hash = table.Column<long>(type: "INTEGER", nullable: false),
                    min_x = table.Column<double>(type: "REAL", nullable: true),
                    min_y = table.Column<double>(type: "REAL", nullable: true),
                    max_x = table.Column<double>(type: "REAL", nullable: true),
                    max_y = table.Column<double>(type: "REAL", nullable: true),
                    geom = table.Column<byte[]>(type: "BLOB", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_hazards", x => x.fid);
                });

            migrationBuilder.CreateTable(
                name: "hazards_versions",
                columns: table => new
                {
                    version_id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    record_id = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    date_of_information = table.Column<string>(type: "TEXT", maxLength: 10, nullable: true),
                    recorded_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    submission_id = table.Column<long>(type: "INTEGER", nullable: true),
                    tombstone = table.Column<bool>(type: "BOOLEAN", nullable: false),
                    data = table.Column<string>(type: "TEXT", nullable: false),
                    geom = table.Column<byte[]>(type: "BLOB", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_hazards_versions", x => x.version_id);
                });

            migrationBuilder.CreateTable(
                name: "land_release",
                columns: table => new
                {
                    fid = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    id = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    activity_id = table.Column<string>(type: "TEXT", nullable: false),
                    hazard_id = table.Column<string>(type: "TEXT", nullable: false),
                    method = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    released_on = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    depth_cm = table.Column<double>(type: "REAL", nullable: true),
                    area_m2 = table.Column<double>(type: "REAL", nullable: false),
                    original_crs = table.Column<string>(type: "TEXT", nullable: true),
                    original_wkt = table.Column<string>(type: "TEXT", nullable: true),
                    row_hash = table.Column<long>(type: "INTEGER", nullable: false),
                    min_x = table.Column<double>(type: "REAL", nullable: true),
                    min_y = table.Column<double>(type: "REAL", nullable: true),
                    max_x = table.Column<double>(type: "REAL", nullable: true),
                    max_y = table.Column<double>(type: "REAL", nullable: true),
                    geom = table.Column<byte[]>(type: "BLOB", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_land_release", x => x.fid);
                });

            migrationBuilder.CreateTable(
                name: "land_release_versions",
                columns: table => new
                {
                    version_id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    record_id = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    date_of_information = table.Column<string>(type: "TEXT", maxLength: 10, nullable: true),
                    recorded_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    submission_id = table.Column<long>(type: "INTEGER", nullable: true),
                    tombstone = table.Column<bool>(type: "BOOLEAN", nullable: false),
                    data = table.Column<string>(type: "TEXT", nullable: false),
                    geom = table.Column<byte[]>(type: "BLOB", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_land_release_versions", x => x.version_id);
                });

            migrationBuilder.CreateTable(
                name: "lines",
                columns: table => new
                {
                    fid = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    id = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    kind = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    name = table.Column<string>(type: "TEXT", nullable: true),
                    original_crs = table.Column<string>(type: "TEXT", nullable: true),
                    original_wkt = table.Column<string>(type: "TEXT", nullable: true),
                    row_hash = table.Column<long>(type: "INTEGER", nullable: false),
                    min_x = table.Column<double>(type: "REAL", nullable: true),
                    min_y = table.Column<double>(type: "REAL", nullable: true),
                    max_x = table.Column<double>(type: "REAL", nullable: true),
                    max_y = table.Column<double>(type: "REAL", nullable: true),
                    geom = table.Column<byte[]>(type: "BLOB", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_lines", x => x.fid);
                });

            migrationBuilder.CreateTable(
                name: "lines_versions",
                columns: table => new
                {
                    version_id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    record_id = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    date_of_information = table.Column<string>(type: "TEXT", maxLength: 10, nullable: true),
                    recorded_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    submission_id = table.Column<long>(type: "INTEGER", nullable: true),
                    tombstone = table.Column<bool>(type: "BOOLEAN", nullable: false),
                    data = table.Column<string>(type: "TEXT", nullable: false),
                    geom = table.Column<byte[]>(type: "BLOB", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_lines_versions", x => x.version_id);
                });

            migrationBuilder.CreateTable(
                name: "minefield_records",
                columns: table => new
                {
                    fid = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    id = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    source = table.Column<string>(type: "TEXT", nullable: false),
                    reference = table.Column<string>(type: "TEXT", nullable: true),
                    laid_on = table.Column<string>(type: "TEXT", maxLength: 10, nullable: true),
                    handed_over_on = table.Column<string>(type: "TEXT", maxLength: 10, nullable: true),
                    declared_devices = table.Column<int>(type: "INTEGER", nullable: true),
                    device_models = table.Column<string>(type: "TEXT", nullable: true),
                    position_uncertainty_m = table.Column<double>(type: "REAL", nullable: true),
                    handling = table.Column<string>(type: "TEXT", nullable: true),
                    original_datum = table.Column<string>(type: "TEXT", nullable: true),
                    georeferenced_by = table.Column<string>(type: "TEXT", nullable: true),
                    georeferencing_method = table.Column<string>(type: "TEXT", nullable: true),
                    original_crs = table.Column<string>(type: "TEXT", nullable: true),
                    original_wkt = table.Column<string>(type: "TEXT", nullable: true),
                    row_hash = table.Column<long>(type: "INTEGER", nullable: false),
                    min_x = table.Column<double>(type: "REAL", nullable: true),
                    min_y = table.Column<double>(type: "REAL", nullable: true),
                    max_x = table.Column<double>(type: "REAL", nullable: true),
                    max_y = table.Column<double>(type: "REAL", nullable: true),
                    geom = table.Column<byte[]>(type: "BLOB", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_minefield_records", x => x.fid);
                });

            migrationBuilder.CreateTable(
                name: "minefield_records_versions",
                columns: table => new
                {
                    version_id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    record_id = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    date_of_information = table.Column<string>(type: "TEXT", maxLength: 10, nullable: true),
                    recorded_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    submission_id = table.Column<long>(type: "INTEGER", nullable: true),
                    tombstone = table.Column<bool>(type: "BOOLEAN", nullable: false),
                    data = table.Column<string>(type: "TEXT", nullable: false),
                    geom = table.Column<byte[]>(type: "BLOB", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_minefield_records_versions", x => x.version_id);
                });

            migrationBuilder.CreateTable(
                name: "organisations",
                columns: table => new
                {
                    fid = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    id = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    name = table.Column<string>(type: "TEXT", nullable: false),
                    kind = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    parent_id = table.Column<string>(type: "TEXT", nullable: true),
                    row_hash = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_organisations", x => x.fid);
                });

            migrationBuilder.CreateTable(
                name: "organisations_versions",
                columns: table => new
                {
                    version_id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    record_id = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    date_of_information = table.Column<string>(type: "TEXT", maxLength: 10, nullable: true),
                    recorded_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    submission_id = table.Column<long>(type: "INTEGER", nullable: true),
                    tombstone = table.Column<bool>(type: "BOOLEAN", nullable: false),
                    data = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_organisations_versions", x => x.version_id);
                });

            migrationBuilder.CreateTable(
                name: "places",
                columns: table => new
                {
                    fid = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    id = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    name = table.Column<string>(type: "TEXT", nullable: false),
                    kind = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    parent_id = table.Column<string>(type: "TEXT", nullable: true),
                    population = table.Column<long>(type: "INTEGER", nullable: true),
                    original_crs = table.Column<string>(type: "TEXT", nullable: true),
                    original_wkt = table.Column<string>(type: "TEXT", nullable: true),
                    row_hash = table.Column<long>(type: "INTEGER", nullable: false),
                    min_x = table.Column<double>(type: "REAL", nullable: true),
                    min_y = table.Column<double>(type: "REAL", nullable: true),
                    max_x = table.Column<double>(type: "REAL", nullable: true),
                    max_y = table.Column<double>(type: "REAL", nullable: true),
                    geom = table.Column<byte[]>(type: "BLOB", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_places", x => x.fid);
                });

            migrationBuilder.CreateTable(
                name: "places_versions",
                columns: table => new
                {
                    version_id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    record_id = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    date_of_information = table.Column<string>(type: "TEXT", maxLength: 10, nullable: true),
                    recorded_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    submission_id = table.Column<long>(type: "INTEGER", nullable: true),
                    tombstone = table.Column<bool>(type: "BOOLEAN", nullable: false),
                    data = table.Column<string>(type: "TEXT", nullable: false),
                    geom = table.Column<byte[]>(type: "BLOB", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_places_versions", x => x.version_id);
                });

            migrationBuilder.CreateTable(
                name: "submissions",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    dataset = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    state = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    file_name = table.Column<string>(type: "TEXT", nullable: true),
                    source = table.Column<string>(type: "TEXT", nullable: true),
                    submitted_by = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    submitted_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    decided_by = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    decided_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    reason = table.Column<string>(type: "TEXT", nullable: true),
                    record_count = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_submissions", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_accidents_id",
                table: "accidents",
                column: "id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_accidents_min_x_min_y",
                table: "accidents",
                columns: new[] { "min_x", "min_y" });

            migrationBuilder.CreateIndex(
                name: "IX_accidents_versions_record_id_recorded_at",
                table: "accidents_versions",
                columns: new[] { "record_id", "recorded_at" });

            migrationBuilder.CreateIndex(
                name: "IX_accidents_versions_submission_id",
                table: "accidents_versions",
                column: "submission_id");

            migrationBuilder.CreateIndex(
                name: "IX_activities_id",
                table: "activities",
                column: "id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_activities_min_x_min_y",
                table: "activities",
                columns: new[] { "min_x", "min_y" });

            migrationBuilder.CreateIndex(
                name: "IX_activities_versions_record_id_recorded_at",
                table: "activities_versions",
                columns: new[] { "record_id", "recorded_at" });

            migrationBuilder.CreateIndex(
                name: "IX_activities_versions_submission_id",
                table: "activities_versions",
                column: "submission_id");

            migrationBuilder.CreateIndex(
                name: "IX_audit_log_at",
                table: "audit_log",
                column: "at");

            migrationBuilder.CreateIndex(
                name: "IX_casualties_id",
                table: "casualties",
                column: "id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_casualties_min_x_min_y",
                table: "casualties",
                columns: new[] { "min_x", "min_y" });

            migrationBuilder.CreateIndex(
                name: "IX_casualties_versions_record_id_recorded_at",
                table: "casualties_versions",
                columns: new[] { "record_id", "recorded_at" });

            migrationBuilder.CreateIndex(
                name: "IX_casualties_versions_submission_id",
                table: "casualties_versions",
                column: "submission_id");

            migrationBuilder.CreateIndex(
                name: "IX_finds_id",
                table: "finds",
                column: "id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_finds_min_x_min_y",
                table: "finds",
                columns: new[] { "min_x", "min_y" });

            migrationBuilder.CreateIndex(
                name: "IX_finds_versions_record_id_recorded_at",
                table: "finds_versions",
                columns: new[] { "record_id", "recorded_at" });

            migrationBuilder.CreateIndex(
                name: "IX_finds_versions_submission_id",
                table: "finds_versions",
                column: "submission_id");

            migrationBuilder.CreateIndex(
                name: "IX_hazards_id",
                table: "hazards",
                column: "id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_hazards_min_x_min_y",
                table: "hazards",
                columns: new[] { "min_x", "min_y" });

            migrationBuilder.CreateIndex(
                name: "IX_hazards_versions_record_id_recorded_at",
                table: "hazards_versions",
                columns: new[] { "record_id", "recorded_at" });

            migrationBuilder.CreateIndex(
                name: "IX_hazards_versions_submission_id",
                table: "hazards_versions",
                column: "submission_id");

            migrationBuilder.CreateIndex(
                name: "IX_land_release_id",
                table: "land_release",
                column: "id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_land_release_min_x_min_y",
                table: "land_release",
                columns: new[] { "min_x", "min_y" });

            migrationBuilder.CreateIndex(
                name: "IX_land_release_versions_record_id_recorded_at",
                table: "land_release_versions",
                columns: new[] { "record_id", "recorded_at" });

            migrationBuilder.CreateIndex(
                name: "IX_land_release_versions_submission_id",
                table: "land_release_versions",
                column: "submission_id");

            migrationBuilder.CreateIndex(
                name: "IX_lines_id",
                table: "lines",
                column: "id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_lines_min_x_min_y",
                table: "lines",
                columns: new[] { "min_x", "min_y" });

            migrationBuilder.CreateIndex(
                name: "IX_lines_versions_record_id_recorded_at",
                table: "lines_versions",
                columns: new[] { "record_id", "recorded_at" });

            migrationBuilder.CreateIndex(
                name: "IX_lines_versions_submission_id",
                table: "lines_versions",
                column: "submission_id");

            migrationBuilder.CreateIndex(
                name: "IX_minefield_records_id",
                table: "minefield_records",
                column: "id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_minefield_records_min_x_min_y",
                table: "minefield_records",
                columns: new[] { "min_x", "min_y" });

            migrationBuilder.CreateIndex(
                name: "IX_minefield_records_versions_record_id_recorded_at",
                table: "minefield_records_versions",
                columns: new[] { "record_id", "recorded_at" });

            migrationBuilder.CreateIndex(
                name: "IX_minefield_records_versions_submission_id",
                table: "minefield_records_versions",
                column: "submission_id");

            migrationBuilder.CreateIndex(
                name: "IX_organisations_id",
                table: "organisations",
                column: "id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_organisations_versions_record_id_recorded_at",
                table: "organisations_versions",
                columns: new[] { "record_id", "recorded_at" });

            migrationBuilder.CreateIndex(
                name: "IX_organisations_versions_submission_id",
                table: "organisations_versions",
                column: "submission_id");

            migrationBuilder.CreateIndex(
                name: "IX_places_id",
                table: "places",
                column: "id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_places_min_x_min_y",
                table: "places",
                columns: new[] { "min_x", "min_y" });

            migrationBuilder.CreateIndex(
                name: "IX_places_versions_record_id_recorded_at",
                table: "places_versions",
                columns: new[] { "record_id", "recorded_at" });

            migrationBuilder.CreateIndex(
                name: "IX_places_versions_submission_id",
                table: "places_versions",
                column: "submission_id");

            // GeoPackage metadata: the layers GIS tools list. Tables not registered here (versions,
            // audit, submissions, personal data, EF's history) stay out of gpkg_contents on purpose.
            GeoPackageSchema.CreateMetadataTables(migrationBuilder);
            GeoPackageSchema.RegisterFeatureTable(migrationBuilder, "places", "GEOMETRY", "gazetteer: country, regions, districts, municipalities, villages");
            GeoPackageSchema.RegisterAttributesTable(migrationBuilder, "organisations", "national authority, operators and teams");
            GeoPackageSchema.RegisterFeatureTable(migrationBuilder, "lines", "MULTILINESTRING", "former front lines, roads, rivers");
            GeoPackageSchema.RegisterFeatureTable(migrationBuilder, "hazards", "MULTIPOLYGON", "hazardous areas (IMAS 04.10), current approved state");
            GeoPackageSchema.RegisterFeatureTable(migrationBuilder, "minefield_records", "GEOMETRY", "minefield records handed over by a party");
            GeoPackageSchema.RegisterFeatureTable(migrationBuilder, "activities", "MULTIPOLYGON", "survey, clearance and other activities");
            GeoPackageSchema.RegisterFeatureTable(migrationBuilder, "land_release", "MULTIPOLYGON", "land released: cancelled, reduced, cleared (IMAS 07.11)");
            GeoPackageSchema.RegisterFeatureTable(migrationBuilder, "finds", "POINT", "explosive ordnance finds");
            GeoPackageSchema.RegisterFeatureTable(migrationBuilder, "accidents", "POINT", "mine/ERW and demining accidents (IMAS 10.60)");
            GeoPackageSchema.RegisterFeatureTable(migrationBuilder, "casualties", "POINT", "casualties (personal data is encrypted elsewhere)");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "accidents");

            migrationBuilder.DropTable(
                name: "accidents_versions");

            migrationBuilder.DropTable(
                name: "activities");

            migrationBuilder.DropTable(
                name: "activities_versions");

            migrationBuilder.DropTable(
                name: "audit_log");

            migrationBuilder.DropTable(
                name: "casualties");

            migrationBuilder.DropTable(
                name: "casualties_versions");

            migrationBuilder.DropTable(
                name: "casualty_personal_data");

            migrationBuilder.DropTable(
                name: "finds");

            migrationBuilder.DropTable(
                name: "finds_versions");

            migrationBuilder.DropTable(
                name: "hazards");

            migrationBuilder.DropTable(
                name: "hazards_versions");

            migrationBuilder.DropTable(
                name: "land_release");

            migrationBuilder.DropTable(
                name: "land_release_versions");

            migrationBuilder.DropTable(
                name: "lines");

            migrationBuilder.DropTable(
                name: "lines_versions");

            migrationBuilder.DropTable(
                name: "minefield_records");

            migrationBuilder.DropTable(
                name: "minefield_records_versions");

            migrationBuilder.DropTable(
                name: "organisations");

            migrationBuilder.DropTable(
                name: "organisations_versions");

            migrationBuilder.DropTable(
                name: "places");

            migrationBuilder.DropTable(
                name: "places_versions");

            migrationBuilder.DropTable(
                name: "submissions");
        }
    }
}
