using System.Diagnostics;
using System.Globalization;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;
using Groundtruth.Application.Storage;
using Groundtruth.Domain;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Geometries;
using Npgsql;
using NpgsqlTypes;

namespace Groundtruth.Benchmarks;

/// <summary>One find as the baseline parses it: the typed values the importer stores in the layer table.</summary>
internal sealed class FindRow
{
    public required string Id { get; init; }
    public required string FoundOn { get; init; }
    public required string Category { get; init; }
    public string? Model { get; init; }
    public int Quantity { get; init; }
    public int? ProductionYear { get; init; }
    public string Emplacement { get; init; } = "unknown";
    public required Point Point { get; init; }
    public byte[]? Blob { get; set; }
    public long RowHash { get; init; }
}

/// <summary>
/// The baseline the import is measured against: the same CSV parsed into typed rows (CsvHelper, as the
/// importer reads it), then only a raw prepared INSERT (GeoPackage) or a binary COPY (PostgreSQL) of
/// those rows into the <c>finds</c> layer table of a fresh database with the same schema and pragmas.
/// </summary>
internal static class Baseline
{
    /// <summary>The columns the importer fills for a finds CSV with these eight columns (the others stay NULL).</summary>
    private static readonly string[] Columns =
        ["id", "found_on", "category", "model", "quantity", "production_year", "emplacement", "row_hash", "min_x", "min_y", "max_x", "max_y", "geom"];

    /// <summary>Parses the CSV into rows; with <paramref name="geoPackageBlobs"/> also encodes each point as a GeoPackage blob.</summary>
    public static List<FindRow> Parse(string csv, bool geoPackageBlobs)
    {
        var rows = new List<FindRow>();
        using var stream = new FileStream(csv, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        using var parser = new CsvParser(reader, new CsvConfiguration(CultureInfo.InvariantCulture) { BadDataFound = null, IgnoreBlankLines = true });
        if (!parser.Read()) throw new InvalidDataException("empty CSV");
        var header = parser.Record!.Select(h => h.Trim()).ToList();
        int Col(string name) => header.IndexOf(name) is var i and >= 0 ? i : throw new InvalidDataException($"no column {name}");
        int id = Col("id"), foundOn = Col("found_on"), category = Col("category"), model = Col("model"), quantity = Col("quantity"),
            productionYear = Col("production_year"), lon = Col("lon"), lat = Col("lat");
        while (parser.Read())
        {
            var f = parser.Record!;
            string? Text(int i) => i < f.Length && !string.IsNullOrWhiteSpace(f[i]) ? f[i].Trim() : null;
            var idText = Text(id) ?? throw Bad(parser, "id");
            var date = PartialDate.TryParse(Text(foundOn), out var d) ? d.ToString() : throw Bad(parser, "found_on");
            var cat = SnakeCase.TryParse<OrdnanceCategory>(Text(category), out var c) ? SnakeCase.Of(c) : throw Bad(parser, "category");
            var qty = Text(quantity) is { } q ? int.Parse(q, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture) : 1;
            int? year = Text(productionYear) is { } y ? int.Parse(y, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture) : null;
            var x = double.Parse(Text(lon) ?? throw Bad(parser, "lon"), NumberStyles.Float, CultureInfo.InvariantCulture);
            var yy = double.Parse(Text(lat) ?? throw Bad(parser, "lat"), NumberStyles.Float, CultureInfo.InvariantCulture);
            var point = SpatialRules.Factory.CreatePoint(new Coordinate(x, yy));
            var modelText = Text(model);
            var row = new FindRow
            {
                Id = idText,
                FoundOn = date,
                Category = cat,
                Model = modelText,
                Quantity = qty,
                ProductionYear = year,
                Point = point,
                RowHash = Fnv(idText, date, cat, modelText, qty, year, x, yy),
            };
            if (geoPackageBlobs) row.Blob = GeoPackageBlob.Write(point);
            rows.Add(row);
        }
        return rows;
    }

    private static InvalidDataException Bad(CsvParser parser, string field) => new($"line {parser.RawRow}: bad {field}");

    /// <summary>A 64-bit FNV-1a of the values, so row_hash takes the same 8 bytes as the importer's hash.</summary>
    private static long Fnv(string id, string date, string category, string? model, int quantity, int? year, double x, double y)
    {
        var h = 14695981039346656037UL;
        void Mix(string? s)
        {
            foreach (var ch in s ?? "\0") { h ^= ch; h *= 1099511628211UL; }
            h ^= 0x1f; h *= 1099511628211UL;
        }
        Mix(id); Mix(date); Mix(category); Mix(model);
        h ^= (ulong)quantity; h *= 1099511628211UL;
        h ^= (ulong)(year ?? -1); h *= 1099511628211UL;
        h ^= (ulong)BitConverter.DoubleToInt64Bits(x); h *= 1099511628211UL;
        h ^= (ulong)BitConverter.DoubleToInt64Bits(y); h *= 1099511628211UL;
        return unchecked((long)h);
    }

    /// <summary>
    /// One prepared INSERT per row into <c>finds</c>, in one transaction, on a connection opened through the
    /// EF context so the GeoPackage pragmas (journal_mode=DELETE, synchronous=FULL, temp_store=FILE) apply, with the
    /// importer's 64 MB page cache.
    /// Returns the seconds from BEGIN to after COMMIT, and the pragmas in force.
    /// </summary>
    public static async Task<(double Seconds, string Pragmas)> InsertGeoPackageAsync(DatabaseTarget target, IReadOnlyList<FindRow> rows)
    {
        await using var db = target.CreateContext();
        await db.Database.OpenConnectionAsync();
        var conn = (SqliteConnection)db.Database.GetDbConnection();
        // The same 64 MB page cache the importer's connection takes (SqliteBulkLoader), so the ratio compares like with like.
        await using (var cache = conn.CreateCommand())
        {
            cache.CommandText = "PRAGMA cache_size=-65536";
            await cache.ExecuteNonQueryAsync();
        }
        var pragmas = await PragmasAsync(conn);
        var watch = Stopwatch.StartNew();
        using (var tx = conn.BeginTransaction(deferred: false))
        using (var cmd = conn.CreateCommand())
        {
            cmd.Transaction = tx;
            cmd.CommandText = $"INSERT INTO \"finds\" ({string.Join(", ", Columns.Select(c => $"\"{c}\""))}) VALUES ({string.Join(", ", Columns.Select((_, i) => "$p" + i))})";
            var p = Columns.Select((_, i) => cmd.Parameters.Add(new SqliteParameter("$p" + i, null))).ToArray();
            cmd.Prepare();
            foreach (var r in rows)
            {
                p[0].Value = r.Id;
                p[1].Value = r.FoundOn;
                p[2].Value = r.Category;
                p[3].Value = (object?)r.Model ?? DBNull.Value;
                p[4].Value = r.Quantity;
                p[5].Value = (object?)r.ProductionYear ?? DBNull.Value;
                p[6].Value = r.Emplacement;
                p[7].Value = r.RowHash;
                p[8].Value = r.Point.X;
                p[9].Value = r.Point.Y;
                p[10].Value = r.Point.X;
                p[11].Value = r.Point.Y;
                p[12].Value = r.Blob!;
                cmd.ExecuteNonQuery();
            }
            tx.Commit();
        }
        watch.Stop();
        await db.Database.CloseConnectionAsync();
        return (watch.Elapsed.TotalSeconds, pragmas);
    }

    private static async Task<string> PragmasAsync(SqliteConnection conn)
    {
        var parts = new List<string>();
        foreach (var name in new[] { "journal_mode", "synchronous", "temp_store", "page_size", "cache_size" })
        {
            await using var cmd = conn.CreateCommand();
            cmd.CommandText = "PRAGMA " + name;
            parts.Add($"{name}={await cmd.ExecuteScalarAsync()}");
        }
        return string.Join(' ', parts);
    }

    /// <summary>One binary COPY of the rows into <c>finds</c> (a single statement, so a single transaction). Returns the seconds.</summary>
    public static async Task<double> CopyPostgresAsync(DatabaseTarget target, IReadOnlyList<FindRow> rows)
    {
        await using var db = target.CreateContext();
        await db.Database.OpenConnectionAsync();
        // The context's connection carries the NetTopologySuite type plugin, as the importer's does.
        var conn = (NpgsqlConnection)db.Database.GetDbConnection();
        var types = await ColumnTypesAsync(conn);
        var watch = Stopwatch.StartNew();
        await using (var copy = await conn.BeginBinaryImportAsync(
            $"COPY \"finds\" ({string.Join(", ", Columns.Select(c => $"\"{c}\""))}) FROM STDIN (FORMAT BINARY)"))
        {
            // Synchronous writes, as the importer's staging COPY does: the buffer is flushed only when full.
            foreach (var r in rows)
            {
                copy.StartRow();
                copy.Write(r.Id, types[0]);
                copy.Write(r.FoundOn, types[1]);
                copy.Write(r.Category, types[2]);
                if (r.Model is null) copy.WriteNull(); else copy.Write(r.Model, types[3]);
                copy.Write(r.Quantity, types[4]);
                if (r.ProductionYear is null) copy.WriteNull(); else copy.Write(r.ProductionYear.Value, types[5]);
                copy.Write(r.Emplacement, types[6]);
                copy.Write(r.RowHash, types[7]);
                copy.Write(r.Point.X, types[8]);
                copy.Write(r.Point.Y, types[9]);
                copy.Write(r.Point.X, types[10]);
                copy.Write(r.Point.Y, types[11]);
                copy.Write<Geometry>(r.Point, types[12]);
            }
            await copy.CompleteAsync();
        }
        watch.Stop();
        await db.Database.CloseConnectionAsync();
        return watch.Elapsed.TotalSeconds;
    }

    private static async Task<NpgsqlDbType[]> ColumnTypesAsync(NpgsqlConnection conn)
    {
        var types = new Dictionary<string, string>();
        await using (var cmd = conn.CreateCommand())
        {
            cmd.CommandText = "SELECT column_name, udt_name FROM information_schema.columns WHERE table_name = 'finds' AND table_schema = current_schema()";
            await using var r = await cmd.ExecuteReaderAsync();
            while (await r.ReadAsync()) types[r.GetString(0)] = r.GetString(1);
        }
        return [.. Columns.Select(c => types[c] switch
        {
            "text" => NpgsqlDbType.Text,
            "varchar" => NpgsqlDbType.Varchar,
            "int4" => NpgsqlDbType.Integer,
            "int8" => NpgsqlDbType.Bigint,
            "float8" => NpgsqlDbType.Double,
            "geometry" => NpgsqlDbType.Geometry,
            var other => throw new NotSupportedException($"finds.{c} has type {other}"),
        })];
    }
}
