using System.Data.Common;
using Groundtruth.Application.Audit;
using Groundtruth.Application.Datasets;
using Groundtruth.Application.Storage;
using Groundtruth.Domain;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;

namespace Groundtruth.Application.Import;

/// <summary>Counts of what a merge would do or did.</summary>
internal readonly record struct MergeCounts(int Staged, int Inserted, int Updated)
{
    public int Unchanged => Staged - Inserted - Updated;
}

/// <summary>Who merges what, for the submission and audit rows.</summary>
internal sealed record MergeRequest(string Actor, string? FileName, string? Source, bool Pending, DateTime Now);

/// <summary>
/// The bulk path (DESIGN section 4): rows go to a temporary staging table while the file is validated
/// (nothing of the database changes), then one transaction merges them set-based into the versions
/// table, the current state, personal data and the audit log. EF change tracking never sees the rows.
/// Several loaders on one connection (files imported together) each stage into a table of their own
/// and merge in one transaction the caller begins and commits.
/// </summary>
internal abstract class BulkLoader(DbConnection connection, StagingLayout layout, string stageTable) : IAsyncDisposable
{
    protected string StageTable { get; set; } = stageTable;
    protected DbConnection Connection { get; } = connection;
    protected StagingLayout Layout { get; } = layout;
    protected string Table => Layout.Dataset.Table;

    /// <param name="stageTable">The temporary table's name, one per loader on a connection.</param>
    public static BulkLoader Create(DbConnection connection, StagingLayout layout, string stageTable = "gt_stage") => connection switch
    {
        SqliteConnection s => new SqliteBulkLoader(s, layout, stageTable),
        NpgsqlConnection n => new PostgresBulkLoader(n, layout, stageTable),
        _ => throw new NotSupportedException(connection.GetType().Name),
    };

    /// <summary>
    /// The loader for one file. On PostgreSQL, when <paramref name="firstLoad"/> is given and the dataset holds no record
    /// and no version yet, the rows go straight into the versions table and the layer inside a write transaction begun
    /// here (<see cref="PostgresFirstLoad"/>); otherwise they are staged as usual.
    /// </summary>
    public static async Task<BulkLoader> CreateAsync(DbConnection connection, StagingLayout layout, string stageTable,
        FirstLoadOptions options, MergeRequest? firstLoad, CancellationToken ct)
    {
        if (connection is not NpgsqlConnection n) return Create(connection, layout, stageTable);
        if (firstLoad is not null && options.Route == PostgresFirstLoadRoute.Direct
            && await PostgresFirstLoad.TryBeginAsync(n, layout, firstLoad, options.IdHash, ct) is { } direct)
            return direct;
        return new PostgresBulkLoader(n, layout, stageTable) { CopyFirstLoads = options.Route != PostgresFirstLoadRoute.InsertSelect };
    }

    public abstract Task BeginStagingAsync(CancellationToken ct);
    public abstract void Stage(object?[] row);
    public abstract Task EndStagingAsync(CancellationToken ct);

    /// <summary>Ids that occur more than once in the staged rows, with their lines.</summary>
    public virtual async Task<List<(string Id, string Lines)>> DuplicatesAsync(CancellationToken ct)
    {
        var result = new List<(string, string)>();
        await using var cmd = Command($"""
            SELECT "id", {LineList()} FROM {StageTable} GROUP BY "id" HAVING count(*) > 1 ORDER BY min({Q(StagingLayout.Line)}) LIMIT 200
            """);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) result.Add((r.GetString(0), r.GetString(1)));
        return result;
    }

    public virtual async Task<MergeCounts> CountAsync(CancellationToken ct)
    {
        await using var cmd = Command($"""
            SELECT count(*),
                   coalesce(sum(CASE WHEN c."id" IS NULL THEN 1 ELSE 0 END), 0),
                   coalesce(sum(CASE WHEN c."id" IS NOT NULL AND c."row_hash" <> s."row_hash" THEN 1 ELSE 0 END), 0)
            FROM {StageTable} s LEFT JOIN "{Table}" c ON c."id" = s."id"
            """);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        await r.ReadAsync(ct);
        return new MergeCounts(Convert.ToInt32(r.GetValue(0), System.Globalization.CultureInfo.InvariantCulture),
            Convert.ToInt32(r.GetValue(1), System.Globalization.CultureInfo.InvariantCulture),
            Convert.ToInt32(r.GetValue(2), System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// Merges the staged rows within <paramref name="tx"/> (from <see cref="BeginWriteAsync"/> on the same connection);
    /// returns the counts and the submission id. The caller commits.
    /// </summary>
    public virtual async Task<(MergeCounts Counts, long SubmissionId)> MergeAsync(MergeRequest request, DbTransaction tx, CancellationToken ct)
    {
        CurrentTransaction = tx;
        var counts = await CountAsync(ct);
        var submissionId = await InsertSubmissionAsync(request, counts.Inserted + counts.Updated, ct);
        var geometry = Layout.Dataset.IsSpatial ? $", \"{StorageNames.Geometry}\"" : "";
        var sGeometry = Layout.Dataset.IsSpatial ? $", s.\"{StorageNames.Geometry}\"" : "";
        // Every staged record is new and goes straight in: the store may write it without the row-by-row INSERT … SELECT.
        var copied = !request.Pending && counts.Updated == 0 && counts.Inserted == counts.Staged
            && !await AnyEarlierVersionsAsync(ct)
            && await CopyNewRowsAsync(request.Now, submissionId, ct);
        if (!copied)
        await Exec($"""
            INSERT INTO "{Layout.Dataset.VersionsTable}" ("record_id", "date_of_information", "recorded_at", "submission_id", "tombstone", "data"{geometry})
            SELECT s."id", s.{Q(StagingLayout.InformationDate)}, @now, @sub, {False}, s.{Q(StagingLayout.Data)}{sGeometry}
            FROM {StageTable} s LEFT JOIN "{Table}" c ON c."id" = s."id"
            WHERE c."id" IS NULL OR c."row_hash" <> s."row_hash"
            """, ct, ("now", request.Now), ("sub", submissionId));
        if (!request.Pending && !copied)
        {
            var cols = string.Join(", ", Layout.LayerColumns.Select(Q));
            var set = string.Join(", ", Layout.LayerColumns.Where(c => c != "id").Select(c => $"{Q(c)} = excluded.{Q(c)}"));
            // A staged row becomes the current state unless an approved version already written starts later
            // (VersionOrder: this import's versions are recorded last, so on an equal start they win).
            await Exec($"""
                INSERT INTO "{Table}" ({cols}) SELECT {cols} FROM {StageTable} s WHERE NOT EXISTS (
                    SELECT 1 FROM "{Layout.Dataset.VersionsTable}" v JOIN "submissions" vs ON vs."id" = v."submission_id"
                    WHERE v."record_id" = s."id" AND vs."state" = 'approved' AND v."submission_id" <> @sub
                      AND {StartKeySql("v.\"date_of_information\"")} > {StartKeySql($"s.{Q(StagingLayout.InformationDate)}")})
                ON CONFLICT ("id") DO UPDATE SET {set} WHERE "{Table}"."row_hash" <> excluded."row_hash"
                """, ct, ("sub", submissionId));
        }
        if (!request.Pending)
        {
            if (Layout.Dataset == DatasetCatalog.Casualties)
            {
                await Exec($"""
                    INSERT INTO "casualty_personal_data" ("casualty_id", "ciphertext", "key_id")
                    SELECT "id", {Q(StagingLayout.Personal)}, {Q(StagingLayout.KeyId)} FROM {StageTable} WHERE {Q(StagingLayout.Personal)} IS NOT NULL
                    ON CONFLICT ("casualty_id") DO UPDATE SET "ciphertext" = excluded."ciphertext", "key_id" = excluded."key_id"
                    """, ct);
            }
            await AfterMergeAsync(ct);
        }
        await AppendAuditAsync(request, counts, submissionId, tx, ct);
        return (counts, submissionId);
    }

    /// <summary>The submission row of this import, holding <paramref name="recordCount"/> new or changed records; returns its id.</summary>
    protected async Task<long> InsertSubmissionAsync(MergeRequest request, int recordCount, CancellationToken ct)
    {
        var state = request.Pending ? SubmissionState.Submitted : SubmissionState.Approved;
        await using var cmd = Command("""
            INSERT INTO "submissions" ("dataset", "state", "file_name", "source", "submitted_by", "submitted_at", "decided_by", "decided_at", "reason", "record_count")
            VALUES (@dataset, @state, @file, @source, @actor, @now, @decidedBy, @decidedAt, NULL, @count) RETURNING "id"
            """);
        Add(cmd, "dataset", Layout.Dataset.Name);
        Add(cmd, "state", SnakeCase.Of(state));
        Add(cmd, "file", request.FileName);
        Add(cmd, "source", request.Source);
        Add(cmd, "actor", request.Actor);
        Add(cmd, "now", request.Now);
        Add(cmd, "decidedBy", request.Pending ? null : request.Actor);
        Add(cmd, "decidedAt", request.Pending ? null : request.Now);
        Add(cmd, "count", recordCount);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The import's entry in the audit chain, with its counts.</summary>
    protected async Task AppendAuditAsync(MergeRequest request, MergeCounts counts, long submissionId, DbTransaction tx, CancellationToken ct)
    {
        var detail = System.Text.Json.JsonSerializer.Serialize(new
        {
            file = request.FileName,
            inserted = counts.Inserted,
            updated = counts.Updated,
            unchanged = counts.Unchanged,
            pending = request.Pending,
        });
        await AuditChain.AppendAsync(Connection, tx, new AuditEntry
        {
            At = request.Now,
            Actor = request.Actor,
            Action = request.Pending ? "submit" : "import",
            Dataset = Layout.Dataset.Name,
            SubmissionId = submissionId,
            Detail = detail,
        }, ct);
    }

    protected virtual string False => "false";

    /// <summary>
    /// The staged ids already stored in any version, read within <paramref name="tx"/> after taking the lock that keeps
    /// another writer from adding versions until it ends (SQLite's write transaction holds it already).
    /// </summary>
    public virtual async Task<IReadOnlyList<string>> TakenIdsAsync(DbTransaction tx, CancellationToken ct)
    {
        CurrentTransaction = tx;
        await LockVersionsAsync(ct);
        await using var cmd = Command($"""
            SELECT DISTINCT s."id" FROM {StageTable} s WHERE EXISTS (SELECT 1 FROM "{Layout.Dataset.VersionsTable}" v WHERE v."record_id" = s."id") ORDER BY s."id"
            """);
        var ids = new List<string>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) ids.Add(r.GetString(0));
        return ids;
    }

    /// <summary>Keeps other writers from adding versions of this dataset until the transaction ends.</summary>
    protected virtual Task LockVersionsAsync(CancellationToken ct) => Task.CompletedTask;

    /// <summary>
    /// Writes the staged rows, all of them new records, into the versions table and the current state by a faster
    /// route than <c>INSERT … SELECT</c>; false when this store has none (the caller then merges as usual).
    /// </summary>
    protected virtual Task<bool> CopyNewRowsAsync(DateTime now, long submissionId, CancellationToken ct) => Task.FromResult(false);

    /// <summary>
    /// <see cref="VersionOrder.StartKey"/> in SQL (the same in SQLite and PostgreSQL): the first day of a stored
    /// date of information as sortable text, <c>2024</c> → <c>2024-01-01</c>, <c>2024-03</c> → <c>2024-03-01</c>,
    /// empty when there is none. A back-dated correction (an earlier start than the current version's) is kept as a
    /// version but does not replace the current state.
    /// </summary>
    internal static string StartKeySql(string column) =>
        $"(CASE length({column}) WHEN 4 THEN {column} || '-01-01' WHEN 7 THEN {column} || '-01' ELSE coalesce({column}, '') END)";

    /// <summary>Whether a staged record has versions already (it was deleted, or entered and rejected): the fast path for new records does not apply.</summary>
    private async Task<bool> AnyEarlierVersionsAsync(CancellationToken ct)
    {
        await using var cmd = Command($"""
            SELECT count(*) FROM {StageTable} s WHERE EXISTS (SELECT 1 FROM "{Layout.Dataset.VersionsTable}" v WHERE v."record_id" = s."id")
            """);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture) > 0;
    }
    protected abstract string LineList();

    /// <summary>Begins the write transaction (on SQLite, taking the write lock at once).</summary>
    public abstract Task<DbTransaction> BeginWriteAsync(CancellationToken ct);
    protected virtual Task AfterMergeAsync(CancellationToken ct) => Task.CompletedTask;

    protected static string Q(string column) => "\"" + column + "\"";

    protected DbCommand Command(string sql)
    {
        var cmd = Connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.CommandTimeout = 0;
        cmd.Transaction = CurrentTransaction;
        return cmd;
    }

    protected DbTransaction? CurrentTransaction { get; set; }

    protected async Task Exec(string sql, CancellationToken ct, params (string Name, object? Value)[] parameters)
    {
        await using var cmd = Command(sql);
        foreach (var (n, v) in parameters) Add(cmd, n, v);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    protected static void Add(DbCommand cmd, string name, object? value)
    {
        var p = cmd.CreateParameter();
        p.ParameterName = name;
        p.Value = value ?? DBNull.Value;
        cmd.Parameters.Add(p);
    }

    public virtual async ValueTask DisposeAsync()
    {
        try
        {
            CurrentTransaction = null;
            if (StageTable.Length > 0)
            {
                await using var cmd = Command($"DROP TABLE IF EXISTS {StageTable}");
                await cmd.ExecuteNonQueryAsync();
            }
        }
        catch (DbException)
        {
            // The connection is going away with its temporary table.
        }
        GC.SuppressFinalize(this);
    }
}

/// <summary>
/// SQLite: a TEMP staging table (written to the temporary store, never the .gpkg) filled by one prepared INSERT,
/// bound by position through SQLitePCL's raw API (the ADO.NET parameter path costs about a third of the import:
/// docs/benchmarks.md, "Import"), with a 64 MB page cache for the import's connection.
/// </summary>
internal sealed class SqliteBulkLoader(SqliteConnection connection, StagingLayout layout, string stageTable) : BulkLoader(connection, layout, stageTable)
{
    private const int ImportCacheKib = 64 * 1024;
    private SQLitePCL.sqlite3_stmt? _insert;
    private SqliteTransaction? _stagingTx;

    public override async Task BeginStagingAsync(CancellationToken ct)
    {
        var cols = string.Join(", ", Layout.AllColumns.Select(Q));
        await Exec($"PRAGMA cache_size=-{ImportCacheKib}; DROP TABLE IF EXISTS temp.{StageTable}; CREATE TEMP TABLE {StageTable} ({cols})", ct);
        _stagingTx = connection.BeginTransaction(deferred: true);
        var sql = $"INSERT INTO temp.{StageTable} ({cols}) VALUES ({string.Join(", ", Layout.AllColumns.Select((_, i) => "?" + (i + 1)))})";
        Check(SQLitePCL.raw.sqlite3_prepare_v2(connection.Handle, sql, out var statement));
        _insert = statement;
    }

    public override void Stage(object?[] row)
    {
        var statement = _insert!;
        for (var i = 0; i < row.Length; i++)
        {
            var position = i + 1;
            Check(row[i] switch
            {
                null => SQLitePCL.raw.sqlite3_bind_null(statement, position),
                string text => SQLitePCL.raw.sqlite3_bind_text(statement, position, text),
                long n => SQLitePCL.raw.sqlite3_bind_int64(statement, position, n),
                int n => SQLitePCL.raw.sqlite3_bind_int64(statement, position, n),
                short n => SQLitePCL.raw.sqlite3_bind_int64(statement, position, n),
                bool b => SQLitePCL.raw.sqlite3_bind_int64(statement, position, b ? 1 : 0),
                double d => SQLitePCL.raw.sqlite3_bind_double(statement, position, d),
                float f => SQLitePCL.raw.sqlite3_bind_double(statement, position, f),
                byte[] bytes => SQLitePCL.raw.sqlite3_bind_blob(statement, position, bytes),
                NetTopologySuite.Geometries.Geometry g => SQLitePCL.raw.sqlite3_bind_blob(statement, position, GeoPackageBlob.Write(g)),
                var other => throw new NotSupportedException($"staging column {Layout.AllColumns[i]}: no SQLite binding for {other.GetType().Name}"),
            });
        }
        var step = SQLitePCL.raw.sqlite3_step(statement);
        SQLitePCL.raw.sqlite3_reset(statement);
        if (step != SQLitePCL.raw.SQLITE_DONE) Check(step);
    }

    /// <summary>Raises SQLite's own message for a failed call, as Microsoft.Data.Sqlite would.</summary>
    private void Check(int rc)
    {
        if (rc is SQLitePCL.raw.SQLITE_OK or SQLitePCL.raw.SQLITE_DONE or SQLitePCL.raw.SQLITE_ROW) return;
        throw new SqliteException($"SQLite Error {rc}: '{SQLitePCL.raw.sqlite3_errmsg(connection.Handle).utf8_to_string()}'.", rc);
    }

    public override Task EndStagingAsync(CancellationToken ct)
    {
        _insert?.Dispose();
        _insert = null;
        _stagingTx?.Commit();
        _stagingTx?.Dispose();
        _stagingTx = null;
        return Task.CompletedTask;
    }

    protected override string LineList() => $"group_concat({Q(StagingLayout.Line)}, ', ')";

    public override Task<DbTransaction> BeginWriteAsync(CancellationToken ct) =>
        Task.FromResult<DbTransaction>(connection.BeginTransaction(deferred: false));

    protected override Task AfterMergeAsync(CancellationToken ct) =>
        Exec(GeoPackageSchema.RefreshContentsSql(Table, Layout.Dataset.IsSpatial), ct);

    public override async ValueTask DisposeAsync()
    {
        _insert?.Dispose();
        _stagingTx?.Dispose();
        await base.DisposeAsync();
    }
}

/// <summary>
/// PostgreSQL: a staging table with the layer's column types, filled by binary COPY. Usually TEMP; when the layer is
/// empty (a first load) an UNLOGGED table of a name of its own, which a second connection can read, so that the merge
/// can stream the rows back out with binary <c>COPY … TO STDOUT</c> and into the versions table and the layer with
/// binary <c>COPY … FROM STDIN</c> inside the write transaction: COPY inserts in batches, <c>INSERT … SELECT</c> row
/// by row (docs/benchmarks.md, "Import").
/// </summary>
internal sealed class PostgresBulkLoader(NpgsqlConnection connection, StagingLayout layout, string stageTable) : BulkLoader(connection, layout, stageTable)
{
    private NpgsqlBinaryImporter? _copy;
    private NpgsqlDbType[] _types = [];
    private bool _shared;

    /// <summary>Off: every merge goes through <c>INSERT … SELECT</c> (<see cref="PostgresFirstLoadRoute.InsertSelect"/>).</summary>
    internal bool CopyFirstLoads { get; init; } = true;

    public override async Task BeginStagingAsync(CancellationToken ct)
    {
        var layer = string.Join(", ", Layout.LayerColumns.Select(Q));
        if (CopyFirstLoads)
        {
            await using var cmd = Command($"SELECT NOT EXISTS (SELECT 1 FROM \"{Table}\")");
            _shared = (bool)(await cmd.ExecuteScalarAsync(ct))!;
        }
        if (_shared) StageTable = $"gt_stage_{Guid.NewGuid():N}";
        await Exec($"""
            DROP TABLE IF EXISTS {(_shared ? "" : "pg_temp.")}{StageTable};
            CREATE {(_shared ? "UNLOGGED" : "TEMP")} TABLE {StageTable} AS SELECT {layer} FROM "{Table}" WITH NO DATA;
            ALTER TABLE {StageTable} ADD COLUMN {Q(StagingLayout.Data)} text, ADD COLUMN {Q(StagingLayout.InformationDate)} text,
              ADD COLUMN {Q(StagingLayout.Personal)} bytea, ADD COLUMN {Q(StagingLayout.KeyId)} text, ADD COLUMN {Q(StagingLayout.Line)} integer;
            """, ct);
        var types = new Dictionary<string, string>();
        await using (var cmd = Command($"SELECT column_name, udt_name FROM information_schema.columns WHERE table_name = '{StageTable}' AND table_schema = {(_shared ? "current_schema()" : "(SELECT nspname FROM pg_namespace WHERE oid = pg_my_temp_schema())")}"))
        await using (var r = await cmd.ExecuteReaderAsync(ct))
        {
            while (await r.ReadAsync(ct)) types[r.GetString(0)] = r.GetString(1);
        }
        _types = [.. Layout.AllColumns.Select(c => CopyType(c, types[c]))];
        _copy = await connection.BeginBinaryImportAsync($"COPY {StageTable} ({string.Join(", ", Layout.AllColumns.Select(Q))}) FROM STDIN (FORMAT BINARY)", ct);
    }

    /// <summary>The binary COPY type of a column of PostgreSQL type <paramref name="udtName"/> (information_schema's name).</summary>
    internal static NpgsqlDbType CopyType(string column, string udtName) => udtName switch
    {
        "text" => NpgsqlDbType.Text,
        "varchar" => NpgsqlDbType.Varchar,
        "int4" => NpgsqlDbType.Integer,
        "int8" => NpgsqlDbType.Bigint,
        "float8" => NpgsqlDbType.Double,
        "bool" => NpgsqlDbType.Boolean,
        "bytea" => NpgsqlDbType.Bytea,
        "geometry" => NpgsqlDbType.Geometry,
        "timestamptz" => NpgsqlDbType.TimestampTz,
        var other => throw new NotSupportedException($"column {column} has type {other}"),
    };

    public override void Stage(object?[] row)
    {
        _copy!.StartRow();
        for (var i = 0; i < row.Length; i++)
        {
            if (row[i] is null) _copy.WriteNull();
            else _copy.Write(row[i], _types[i]);
        }
    }

    public override async Task EndStagingAsync(CancellationToken ct)
    {
        if (_copy is null) return;
        await _copy.CompleteAsync(ct);
        await _copy.DisposeAsync();
        _copy = null;
    }

    protected override string LineList() => $"string_agg({Q(StagingLayout.Line)}::text, ', ')";

    protected override Task LockVersionsAsync(CancellationToken ct) =>
        Exec($"LOCK TABLE \"{Layout.Dataset.VersionsTable}\" IN SHARE ROW EXCLUSIVE MODE", ct);

    protected override async Task<bool> CopyNewRowsAsync(DateTime now, long submissionId, CancellationToken ct)
    {
        if (!_shared) return false;
        // No other writer may add records between the check and the commit; readers go on as before.
        await Exec($"LOCK TABLE \"{Table}\" IN SHARE ROW EXCLUSIVE MODE", ct);
        await using (var cmd = Command($"SELECT NOT EXISTS (SELECT 1 FROM \"{Table}\")"))
        {
            if (!(bool)(await cmd.ExecuteScalarAsync(ct))!) return false;
        }
        var versionColumns = new List<string> { "record_id", "date_of_information", "recorded_at", "submission_id", "tombstone", "data" };
        var recordedAt = now.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var values = new List<string>
        {
            "s.\"id\"", $"s.{Q(StagingLayout.InformationDate)}", $"'{recordedAt}'",
            submissionId.ToString(System.Globalization.CultureInfo.InvariantCulture), "false", $"s.{Q(StagingLayout.Data)}",
        };
        if (Layout.Dataset.IsSpatial)
        {
            versionColumns.Add(StorageNames.Geometry);
            values.Add($"s.{Q(StorageNames.Geometry)}");
        }
        // Binary COPY needs each value in the target column's exact type.
        var types = new Dictionary<string, string>();
        await using (var cmd = Command($"""
            SELECT a.attname, format_type(a.atttypid, a.atttypmod) FROM pg_attribute a
            WHERE a.attrelid = '"{Layout.Dataset.VersionsTable}"'::regclass AND a.attnum > 0 AND NOT a.attisdropped
            """))
        await using (var r = await cmd.ExecuteReaderAsync(ct))
        {
            while (await r.ReadAsync(ct)) types[r.GetString(0)] = r.GetString(1);
        }
        var select = string.Join(", ", values.Select((v, i) => $"({v})::{types[versionColumns[i]]}"));
        await CopyAcrossAsync($"SELECT {select} FROM {StageTable} s", $"\"{Layout.Dataset.VersionsTable}\" ({string.Join(", ", versionColumns.Select(Q))})", ct);
        var layer = string.Join(", ", Layout.LayerColumns.Select(Q));
        await CopyAcrossAsync($"SELECT {layer} FROM {StageTable}", $"\"{Table}\" ({layer})", ct);
        return true;
    }

    /// <summary>Streams the rows of <paramref name="query"/>, read on a second connection, into <paramref name="target"/> on this one.</summary>
    private async Task CopyAcrossAsync(string query, string target, CancellationToken ct)
    {
        await using var reader = (NpgsqlConnection)((ICloneable)connection).Clone();
        await reader.OpenAsync(ct);
        await using var source = await reader.BeginRawBinaryCopyAsync($"COPY ({query}) TO STDOUT (FORMAT BINARY)", ct);
        await using var sink = await connection.BeginRawBinaryCopyAsync($"COPY {target} FROM STDIN (FORMAT BINARY)", ct);
        await source.CopyToAsync(sink, 1 << 16, ct);
    }

    public override async Task<DbTransaction> BeginWriteAsync(CancellationToken ct) => await connection.BeginTransactionAsync(ct);

    public override async ValueTask DisposeAsync()
    {
        if (_copy is not null) await _copy.DisposeAsync();
        await base.DisposeAsync();
    }
}
