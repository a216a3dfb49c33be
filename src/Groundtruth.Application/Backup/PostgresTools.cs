using System.Diagnostics;
using Npgsql;

namespace Groundtruth.Application.Backup;

/// <summary>
/// Runs PostgreSQL's own <c>pg_dump</c> and <c>pg_restore</c> (found on PATH) for a connection string: host, port,
/// user and database as options, the password in <c>PGPASSWORD</c> (never on a command line other users can read).
/// </summary>
internal static class PostgresTools
{
    public static Task DumpAsync(string connectionString, string file, CancellationToken ct)
    {
        var b = new NpgsqlConnectionStringBuilder(connectionString);
        return RunAsync("pg_dump", b, ["--format=custom", "--no-password", "--file", file, "--dbname", b.Database!], ct);
    }

    /// <summary>Restores into an existing, empty database in one transaction: all of it or nothing.</summary>
    public static Task RestoreAsync(string connectionString, string file, CancellationToken ct)
    {
        var b = new NpgsqlConnectionStringBuilder(connectionString);
        return RunAsync("pg_restore", b, ["--no-password", "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction", "--dbname", b.Database!, file], ct);
    }

    private static async Task RunAsync(string tool, NpgsqlConnectionStringBuilder b, string[] args, CancellationToken ct)
    {
        var path = Find(tool) ?? throw new BadDataException(
            $"{tool} is not on PATH; install PostgreSQL's client tools of the server's major version or newer (Debian: apt-get install postgresql-client-15) and try again");
        var psi = new ProcessStartInfo(path) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        if (b.Host is { } host) { psi.ArgumentList.Add("--host"); psi.ArgumentList.Add(host); }
        psi.ArgumentList.Add("--port");
        psi.ArgumentList.Add(b.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (b.Username is { } user) { psi.ArgumentList.Add("--username"); psi.ArgumentList.Add(user); }
        foreach (var a in args) psi.ArgumentList.Add(a);
        if (b.Password is { } password) psi.Environment["PGPASSWORD"] = password;
        using var process = Process.Start(psi)!;
        var stderr = process.StandardError.ReadToEndAsync(ct);
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        if (process.ExitCode != 0)
            throw new BadDataException($"{tool} failed (exit {process.ExitCode}): {(await stderr).Trim()} {(await stdout).Trim()}".TrimEnd());
    }

    private static string? Find(string tool)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, tool);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }
}
