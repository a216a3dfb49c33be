using System.Data.Common;
using System.Globalization;
using Groundtruth.Application.Audit;
using Groundtruth.Application.Backup;
using Groundtruth.Application.Datasets;
using Groundtruth.Application.Storage;
using Groundtruth.Application.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Groundtruth.Application.Tests.Backup;

/// <summary>
/// The restore drill: while a writer keeps importing and auditing, back up, restore into a fresh database, and find
/// every table equal to the source as it stood at one moment — the writes up to the restored audit chain's last
/// entry, none after — with the chain intact.
/// </summary>
public sealed class BackupDrillTests
{
    [Theory]
    [ClassData(typeof(Backends))]
    public async Task BackupUnderLoad_RestoresExactlyOneCommittedState(Backend backend)
    {
        await using var source = await TestDatabase.CreateAsync(backend);
        await source.ImportProgrammeAsync();
        var initialLast = await source.ScalarAsync("SELECT max(\"id\") FROM \"audit_log\"");

        using var stop = new CancellationTokenSource();
        var rounds = 0;
        var writer = Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var csv = Path.Combine(source.Directory, $"drill-{i}.csv");
                await File.WriteAllTextAsync(csv, string.Create(CultureInfo.InvariantCulture,
                    $"id,found_on,category,quantity,lon,lat\nDRILL-{i},2024-06-{1 + i % 28:D2},uxo,{1 + i % 3},-25.{i % 90 + 10},-32.{i % 70 + 20}\n"));
                await source.ImportAsync(DatasetCatalog.Finds, csv);
                await using (var db = source.Target.CreateContext())
                {
                    db.AuditLog.Add(new AuditEntry { At = DateTime.UtcNow, Actor = "drill", Action = "read_personal_data", Dataset = "casualties", Detail = $$"""{"round":{{i}}}""" });
                    await db.SaveChangesAsync();
                }
                Interlocked.Increment(ref rounds);
            }
        });
        await WaitForAsync(() => Volatile.Read(ref rounds) >= 3, writer);
        var backupFile = Path.Combine(source.Directory, backend == Backend.GeoPackage ? "backup.gpkg" : "backup.dump");
        var backup = await new BackupHandler(source.Target).HandleAsync(backupFile);
        var atBackup = Volatile.Read(ref rounds);
        await WaitForAsync(() => Volatile.Read(ref rounds) >= atBackup + 3, writer);
        await stop.CancelAsync();
        await writer;

        await using var restored = await TestDatabase.CreateAsync(backend, initialise: false);
        var result = await new RestoreHandler(restored.Target).HandleAsync(backup.File);
        result.Audit.ShouldNotBeNull();
        result.Audit.FirstBreak.ShouldBeNull();
        (await new AuditVerifier(source.Target).VerifyAsync()).FirstBreak.ShouldBeNull();

        var last = await ScalarAsync(restored.Target, "SELECT max(\"id\") FROM \"audit_log\"");
        var lastSubmission = await ScalarAsync(restored.Target, "SELECT max(\"id\") FROM \"submissions\"");
        last.ShouldBeGreaterThan(initialLast, "writes made before the backup are in it");
        last.ShouldBeLessThan(await source.ScalarAsync("SELECT max(\"id\") FROM \"audit_log\""), "writes made after the backup are not");
        result.Audit.Entries.ShouldBe(await source.ScalarAsync($"SELECT count(*) FROM \"audit_log\" WHERE \"id\" <= {last}"));

        var finds = DatasetCatalog.Finds;
        var filters = new Dictionary<string, string>
        {
            ["audit_log"] = $"\"id\" <= {last}",
            ["submissions"] = $"\"id\" <= {lastSubmission}",
            [finds.VersionsTable] = $"\"submission_id\" <= {lastSubmission}",
            [finds.Table] = $"\"id\" IN (SELECT \"record_id\" FROM \"{finds.VersionsTable}\" WHERE \"submission_id\" <= {lastSubmission})",
        };
        foreach (var table in TestDatabase.AllTables())
        {
            var expected = await RowsAsync(source.Target, table, filters.GetValueOrDefault(table));
            var actual = await RowsAsync(restored.Target, table, null);
            actual.ShouldBe(expected, $"table {table}");
        }
        (await RowsAsync(restored.Target, "finds", "\"id\" LIKE 'DRILL-%'")).Count.ShouldBeGreaterThanOrEqualTo(3);
    }

    [Theory]
    [ClassData(typeof(Backends))]
    public async Task Restore_RefusesATargetThatHoldsData_UnlessForced(Backend backend)
    {
        await using var source = await TestDatabase.CreateAsync(backend);
        await source.ImportAsync(DatasetCatalog.Places, TestData.Programme("places.csv"));
        var backup = await new BackupHandler(source.Target).HandleAsync(Path.Combine(source.Directory, "b.backup"));
        await using var other = await TestDatabase.CreateAsync(backend);
        await other.ImportProgrammeAsync();

        var refused = await Should.ThrowAsync<InvalidRequestException>(() => new RestoreHandler(other.Target).HandleAsync(backup.File));
        refused.Message.ShouldContain("--force");
        (await other.CountAsync("finds")).ShouldBeGreaterThan(0);

        await new RestoreHandler(other.Target).HandleAsync(backup.File, force: true);
        // The replaced PostgreSQL database was dropped: read it through connections opened after that.
        var replaced = backend == Backend.GeoPackage ? other.Target
            : DatabaseTarget.ForServer(new Npgsql.NpgsqlConnectionStringBuilder(other.Target.Value) { Pooling = false }.ConnectionString);
        (await ScalarAsync(replaced, "SELECT count(*) FROM \"finds\"")).ShouldBe(0);
        (await ScalarAsync(replaced, "SELECT count(*) FROM \"places\"")).ShouldBe(await source.CountAsync("places"));
    }

    private static async Task WaitForAsync(Func<bool> condition, Task writer)
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (!condition())
        {
            if (writer.IsFaulted) await writer;
            if (DateTime.UtcNow > deadline) throw new TimeoutException("the background writer made no progress");
            await Task.Delay(20);
        }
    }

    private static async Task<long> ScalarAsync(DatabaseTarget target, string sql)
    {
        await using var db = target.CreateContext();
        await db.Database.OpenConnectionAsync();
        await using var cmd = db.Database.GetDbConnection().CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    /// <summary>Every row of a table as text (times to the tick, bytes as hex), in key order.</summary>
    private static async Task<List<string>> RowsAsync(DatabaseTarget target, string table, string? where)
    {
        await using var db = target.CreateContext();
        await db.Database.OpenConnectionAsync();
        await using var cmd = db.Database.GetDbConnection().CreateCommand();
        cmd.CommandText = $"SELECT * FROM \"{table}\"{(where is null ? "" : " WHERE " + where)} ORDER BY 1";
        await using var reader = await cmd.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            var values = new string[reader.FieldCount];
            for (var i = 0; i < reader.FieldCount; i++) values[i] = Text(reader, i);
            rows.Add(string.Join('|', values));
        }
        return rows;
    }

    private static string Text(DbDataReader reader, int i) => reader.IsDBNull(i) ? "∅" : reader.GetValue(i) switch
    {
        byte[] b => Convert.ToHexString(b),
        DateTime d => d.ToString("O", CultureInfo.InvariantCulture),
        DateTimeOffset d => d.ToString("O", CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        var v => v.ToString() ?? "",
    };
}
