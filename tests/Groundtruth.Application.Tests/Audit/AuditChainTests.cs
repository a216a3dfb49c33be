using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Groundtruth.Application.Admin;
using Groundtruth.Application.Audit;
using Groundtruth.Application.Datasets;
using Groundtruth.Application.Storage;
using Groundtruth.Application.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Storage;

namespace Groundtruth.Application.Tests.Audit;

/// <summary>The audit log's hash chain: intact after normal work and concurrent writers; every direct tampering detected.</summary>
public sealed class AuditChainTests
{
    public enum Tampering { Edit, DeleteMiddle, DeleteFirst, DeleteLast, Reorder, Insert }

    public static TheoryData<Backend, Tampering> Cases()
    {
        var data = new TheoryData<Backend, Tampering>();
        foreach (var backend in new[] { Backend.GeoPackage, Backend.Postgres })
            foreach (var kind in Enum.GetValues<Tampering>()) data.Add(backend, kind);
        return data;
    }

    [Fact]
    public void Compute_IsSha256OverTheLengthPrefixedFields()
    {
        var entry = new AuditEntry
        {
            Id = 7, At = new DateTime(2026, 3, 1, 12, 30, 5, 123, 456, DateTimeKind.Utc), Actor = "ana", Action = "import",
            Dataset = "finds", RecordId = null, SubmissionId = 3, Detail = """{"inserted":2}""",
        };
        var prev = new string('a', 64);
        var bytes = new List<byte>();
        foreach (var field in new[] { "groundtruth-audit/1", "7", "2026-03-01T12:30:05.123456Z", "ana", "import", "finds", null, "3", """{"inserted":2}""", prev })
        {
            if (field is null) { bytes.Add(0); continue; }
            var utf8 = Encoding.UTF8.GetBytes(field);
            bytes.Add(1);
            bytes.AddRange([(byte)(utf8.Length >> 24), (byte)(utf8.Length >> 16), (byte)(utf8.Length >> 8), (byte)utf8.Length]);
            bytes.AddRange(utf8);
        }
        AuditChain.Compute(entry, prev).ShouldBe(Convert.ToHexStringLower(SHA256.HashData(bytes.ToArray())));
    }

    [Theory]
    [ClassData(typeof(Backends))]
    public async Task Verify_AfterImportsAndEdits_IsIntactAndCountsEveryEntry(Backend backend)
    {
        await using var t = await TestDatabase.CreateAsync(backend);
        await t.ImportProgrammeAsync();
        var result = await new AuditVerifier(t.Target).VerifyAsync();
        result.FirstBreak.ShouldBeNull();
        result.Entries.ShouldBe(await t.CountAsync("audit_log"));
        result.Entries.ShouldBe(1 + DatasetCatalog.All.Count);
        (await t.ScalarAsync("SELECT count(*) FROM \"audit_log\" WHERE \"hash\" IS NULL")).ShouldBe(0);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Verify_DetectsDirectTampering(Backend backend, Tampering kind)
    {
        await using var t = await TestDatabase.CreateAsync(backend);
        await t.ImportProgrammeAsync();
        var ids = await IdsAsync(t);
        ids.Count.ShouldBeGreaterThan(6);
        var (sql, brokenAt, words) = kind switch
        {
            Tampering.Edit => ($"UPDATE \"audit_log\" SET \"detail\" = '{{\"inserted\":0}}' WHERE \"id\" = {ids[3]}", ids[3], "edited"),
            Tampering.DeleteMiddle => ($"DELETE FROM \"audit_log\" WHERE \"id\" = {ids[3]}", ids[4], "does not follow"),
            Tampering.DeleteFirst => ($"DELETE FROM \"audit_log\" WHERE \"id\" = {ids[0]}", ids[1], "does not start"),
            Tampering.DeleteLast => ($"DELETE FROM \"audit_log\" WHERE \"id\" = {ids[^1]}", ids[^2], "at the end were deleted"),
            Tampering.Reorder => ($"""
                UPDATE "audit_log" SET "id" = -1 WHERE "id" = {ids[3]};
                UPDATE "audit_log" SET "id" = {ids[3]} WHERE "id" = {ids[4]};
                UPDATE "audit_log" SET "id" = {ids[4]} WHERE "id" = -1;
                """, ids[3], "does not follow"),
            Tampering.Insert => ($"""
                INSERT INTO "audit_log" ("id", "at", "actor", "action", "detail") VALUES ({ids[^1] + 100}, '2026-01-01 00:00:00', 'intruder', 'import', NULL)
                """, ids[^1] + 100, "not chained"),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
        (await new AuditVerifier(t.Target).VerifyAsync()).FirstBreak.ShouldBeNull();
        await ExecAsync(t, sql);

        var result = await new AuditVerifier(t.Target).VerifyAsync();
        result.FirstBreak.ShouldNotBeNull();
        result.FirstBreak.EntryId.ShouldBe(brokenAt);
        result.FirstBreak.Problem.ShouldContain(words);
    }

    /// <summary>
    /// An intruder who rewrites every hash after an edit (the algorithm is public, there is no secret) leaves a chain
    /// that verifies on its own; a head hash recorded elsewhere before the rewrite (the anchor) exposes it.
    /// </summary>
    [Theory]
    [ClassData(typeof(Backends))]
    public async Task Verify_WithAnAnchor_DetectsARecomputedChain(Backend backend)
    {
        await using var t = await TestDatabase.CreateAsync(backend);
        await t.ImportProgrammeAsync();
        var anchor = (await new AuditVerifier(t.Target).VerifyAsync()).HeadHash;
        (await new AuditVerifier(t.Target).VerifyAsync(anchor)).FirstBreak.ShouldBeNull();

        await using (var db = t.Target.CreateContext())
        {
            await using var tx = await db.Database.BeginTransactionAsync();
            var entries = await db.AuditLog.OrderBy(a => a.Id).ToListAsync();
            entries[2].Detail = """{"inserted":0}""";
            var head = AuditChain.Link(entries, new ChainHead(0, AuditChain.Genesis, 0));
            await db.SaveChangesAsync();
            await AuditChain.WriteHeadAsync(db.Database.GetDbConnection(), tx.GetDbTransaction(), head, default);
            await tx.CommitAsync();
        }

        (await new AuditVerifier(t.Target).VerifyAsync()).FirstBreak.ShouldBeNull("a recomputed chain is self-consistent: only an anchor tells");
        var anchored = await new AuditVerifier(t.Target).VerifyAsync(anchor);
        anchored.FirstBreak.ShouldNotBeNull();
        anchored.FirstBreak.Problem.ShouldContain("anchor");
    }

    /// <summary>Several writers at once (record entries through EF and bulk imports, as two web hosts would) append one chain.</summary>
    [Theory]
    [ClassData(typeof(Backends))]
    public async Task Appends_FromConcurrentWriters_FormOneUnbrokenChain(Backend backend)
    {
        await using var t = await TestDatabase.CreateAsync(backend);
        const int Writers = 4, EntriesEach = 15, Importers = 2, ImportsEach = 3;
        var entryWriters = Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < EntriesEach; i++)
            {
                await using var db = t.Target.CreateContext();
                db.AuditLog.Add(new AuditEntry { At = DateTime.UtcNow, Actor = $"writer{w}", Action = "test", Detail = $$"""{"i":{{i}}}""" });
                await db.SaveChangesAsync();
            }
        }));
        var importers = Enumerable.Range(0, Importers).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < ImportsEach; i++)
            {
                var csv = Path.Combine(t.Directory, $"finds-{w}-{i}.csv");
                await File.WriteAllTextAsync(csv, $"id,found_on,category,quantity,lon,lat\nC{w}-{i},2024-05-0{1 + i},uxo,1,-25.{w}{i},-32.5\n");
                await t.ImportAsync(DatasetCatalog.Finds, csv);
            }
        }));
        await Task.WhenAll(entryWriters.Concat(importers));

        var result = await new AuditVerifier(t.Target).VerifyAsync();
        result.FirstBreak.ShouldBeNull();
        result.Entries.ShouldBe(1 + Writers * EntriesEach + Importers * ImportsEach);
    }

    /// <summary>A database written before the chain existed has its entries chained when <c>init</c> upgrades it.</summary>
    [Theory]
    [ClassData(typeof(Backends))]
    public async Task Init_ChainsTheEntriesOfAnOlderDatabase(Backend backend)
    {
        await using var t = await TestDatabase.CreateAsync(backend, initialise: false);
        if (t.FilePath is not null) Directory.CreateDirectory(Path.GetDirectoryName(t.FilePath)!);
        await using (var db = t.Target.CreateContext())
        {
            var before = db.Database.GetMigrations().Single(m => m.EndsWith("_FindLocationAccuracy", StringComparison.Ordinal));
            await db.GetService<IMigrator>().MigrateAsync(before);
        }
        for (var i = 0; i < 3; i++)
            await ExecAsync(t, $"INSERT INTO \"audit_log\" (\"at\", \"actor\", \"action\", \"detail\") VALUES ('2025-0{i + 1}-01 10:00:00.1234567', 'old', 'import', '{{\"n\":{i}}}')");

        await new InitHandler(t.Target, TimeProvider.System).HandleAsync("test");

        var result = await new AuditVerifier(t.Target).VerifyAsync();
        result.FirstBreak.ShouldBeNull();
        result.Entries.ShouldBe(4);
        (await t.ScalarAsync("SELECT count(*) FROM \"audit_log\" WHERE \"actor\" = 'old' AND \"hash\" IS NOT NULL")).ShouldBe(3);
    }

    private static async Task<List<long>> IdsAsync(TestDatabase t)
    {
        await using var db = t.Target.CreateContext();
        return await db.AuditLog.OrderBy(a => a.Id).Select(a => a.Id).ToListAsync();
    }

    private static async Task ExecAsync(TestDatabase t, string sql)
    {
        await using var db = t.Target.CreateContext();
        await db.Database.OpenConnectionAsync();
        await using var cmd = db.Database.GetDbConnection().CreateCommand();
        cmd.CommandText = sql;
        await cmd.ExecuteNonQueryAsync();
    }
}
