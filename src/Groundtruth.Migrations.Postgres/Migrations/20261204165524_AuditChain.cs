using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Groundtruth.Migrations.Postgres.Migrations
{
    /// <summary>
    /// The audit log becomes a hash chain: each entry's link (prev_hash) and hash, and the one-row chain head. The
    /// entries a database already holds are chained by <c>groundtruth init</c> right after this migration
    /// (docs/decisions/0021-audit-chain-and-backups.md).
    /// </summary>
    public partial class AuditChain : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "hash",
                table: "audit_log",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "prev_hash",
                table: "audit_log",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "audit_chain_head",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false),
                    last_entry_id = table.Column<long>(type: "bigint", nullable: false),
                    last_hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    entries = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_audit_chain_head", x => x.id);
                });

            migrationBuilder.InsertData(
                table: "audit_chain_head",
                columns: new[] { "id", "entries", "last_entry_id", "last_hash" },
                values: new object[] { 1, 0L, 0L, "0000000000000000000000000000000000000000000000000000000000000000" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "audit_chain_head");

            migrationBuilder.DropColumn(
                name: "hash",
                table: "audit_log");

            migrationBuilder.DropColumn(
                name: "prev_hash",
                table: "audit_log");
        }
    }
}
