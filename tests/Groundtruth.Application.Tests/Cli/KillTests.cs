using System.Diagnostics;
using System.Globalization;
using System.Text;
using Groundtruth.Application.Tests.Support;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Groundtruth.Application.Tests.Cli;

/// <summary>A SIGKILL in the middle of a large import leaves the database intact and as it was.</summary>
public sealed class KillTests
{
    private static string LargeFindsCsv(string directory, int rows)
    {
        var path = Path.Combine(directory, "large-finds.csv");
        var sb = new StringBuilder("id,found_on,category,quantity,lon,lat\n");
        var random = new Random(7);
        for (var i = 0; i < rows; i++)
        {
            sb.Append(CultureInfo.InvariantCulture, $"K{i},2023-{1 + i % 12:D2}-{1 + i % 28:D2},anti_personnel_mine,1,{-25 + random.NextDouble() * 1.5:F6},{-32 + random.NextDouble() * 1.2:F6}\n");
        }
        File.WriteAllText(path, sb.ToString());
        return path;
    }

    [Theory]
    [ClassData(typeof(Backends))]
    public async Task SigkillDuringTheMerge_LeavesExactlyWhatWasThere(Backend backend)
    {
        await using var t = await TestDatabase.CreateAsync(backend);
        await t.ImportProgrammeAsync();
        var before = await t.FingerprintAsync();
        var csv = LargeFindsCsv(t.Directory, 300_000);
        var db = t.FilePath ?? t.Target.Value;
        using var process = CliProcess.Start("--db", db, "import", "finds", csv);
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        var watch = Stopwatch.StartNew();
        var inMerge = false;
        while (!process.HasExited && watch.Elapsed < TimeSpan.FromMinutes(3))
        {
            if (await MergeUnderWayAsync(t)) { inMerge = true; break; }
            await Task.Delay(2);
        }
        inMerge.ShouldBeTrue("the import finished (or never reached its write transaction) before it could be killed");
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();

        if (backend == Backend.GeoPackage)
        {
            await using var conn = new SqliteConnection($"Data Source={t.FilePath};Pooling=False");
            await conn.OpenAsync();
            await using var cmd = conn.CreateCommand();
            cmd.CommandText = "PRAGMA integrity_check";
            ((string)(await cmd.ExecuteScalarAsync())!).ShouldBe("ok");
        }
        (await t.FingerprintAsync()).ShouldBe(before);
        (await t.CountAsync("finds")).ShouldBe(6);
    }

    /// <summary>True once the importer holds its write transaction: a hot journal beside the GeoPackage, or its merge statement running on the server.</summary>
    private static async Task<bool> MergeUnderWayAsync(TestDatabase t)
    {
        if (t.Backend == Backend.GeoPackage) return File.Exists(t.FilePath + "-journal");
        var builder = new NpgsqlConnectionStringBuilder(t.Target.Value);
        await using var conn = new NpgsqlConnection(builder.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = @db AND state = 'active' AND query LIKE 'INSERT INTO \"finds%'", conn);
        cmd.Parameters.AddWithValue("db", builder.Database!);
        return (long)(await cmd.ExecuteScalarAsync())! > 0;
    }
}
