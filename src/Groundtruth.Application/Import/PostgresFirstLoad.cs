using System.Collections.Concurrent;
using System.Data.Common;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using Groundtruth.Application.Datasets;
using Groundtruth.Application.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Groundtruth.Application.Import;

/// <summary>How a first load into an empty PostgreSQL dataset is written (ADR 0015 and its addendum).</summary>
internal enum PostgresFirstLoadRoute
{
    /// <summary>Straight into the versions table and the layer by binary COPY while the file is read (<see cref="PostgresFirstLoad"/>).</summary>
    Direct,
    /// <summary>Staged in an unlogged table, then copied into the versions table and the layer at the merge.</summary>
    Staged,
    /// <summary>Staged, then merged by <c>INSERT … SELECT</c> like every later load.</summary>
    InsertSelect,
}

/// <summary>
/// The route of first loads on PostgreSQL: <see cref="PostgresFirstLoadRoute.Direct"/> unless the import benchmark (its
/// before/after) or a test chooses another. <paramref name="IdHash"/> replaces the 64-bit hash of ids that finds duplicates
/// in process; a test makes ids collide with it.
/// </summary>
internal sealed record FirstLoadOptions(PostgresFirstLoadRoute Route, Func<string, ulong>? IdHash = null)
{
    public static FirstLoadOptions Default { get; } = new(PostgresFirstLoadRoute.Direct);
}

/// <summary>Two different ids of a first load share a hash: the file is read again and staged, where ids are compared themselves.</summary>
internal sealed class FirstLoadHashCollisionException : Exception
{
    public FirstLoadHashCollisionException() : base("two different ids of the file share a 64-bit hash") { }
}

/// <summary>
/// A first load into an empty PostgreSQL dataset (no record and no version yet: the demo, a migration from another
/// system). The write transaction begins before the file is read and locks the versions table and the layer (other
/// writers wait, readers go on and see nothing until the commit). Every valid row goes by binary COPY straight into both
/// tables while the file is still being read: rows travel in batches to a writer thread, which runs one COPY into each
/// table per batch on the import's connection, so that parsing and the server's inserts overlap. There is no staging table.
/// <para>
/// A unique violation in the middle of a COPY could not name the file's lines, so duplicate ids are caught before a row
/// is sent: the first line of each 64-bit id hash is kept, and a row whose hash was seen is held back. At the end a
/// held-back id already written is a duplicate of that first line; one that was not is a hash collision of two different
/// ids, and the file is staged again the usual way (<see cref="FirstLoadHashCollisionException"/>).
/// </para>
/// A file with any problem is rolled back whole: nothing it sent is ever visible.
/// </summary>
internal sealed class PostgresFirstLoad : BulkLoader
{
    private const int BatchRows = 10_000;
    private const int DuplicatesReported = 200;

    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlTransaction _tx;
    private readonly MergeRequest _request;
    private readonly Func<string, ulong> _idHash;
    private readonly Dictionary<ulong, int> _firstLines = [];
    private readonly List<(string Id, int Line)> _heldBack = [];
    private readonly BlockingCollection<List<object?[]>> _batches = new(boundedCapacity: 1);
    private readonly int _idIndex;
    private readonly int _informationDateIndex;
    private readonly int _dataIndex;
    private readonly int _geometryIndex;
    private readonly string _layerCopy;
    private readonly string _versionsCopy;
    private NpgsqlDbType[] _layerTypes = [];
    private List<object?[]> _batch = new(BatchRows);
    private Task? _writer;
    private volatile bool _abandoned;
    private long _submissionId;
    private int _sent;

    private PostgresFirstLoad(NpgsqlConnection connection, NpgsqlTransaction tx, StagingLayout layout, MergeRequest request, Func<string, ulong>? idHash)
        : base(connection, layout, stageTable: "") // no staging table
    {
        _connection = connection;
        _tx = tx;
        _request = request;
        _idHash = idHash ?? (id => XxHash3.HashToUInt64(MemoryMarshal.AsBytes(id.AsSpan())));
        CurrentTransaction = tx;
        var columns = layout.AllColumns.ToList();
        _idIndex = columns.IndexOf("id");
        _informationDateIndex = columns.IndexOf(StagingLayout.InformationDate);
        _dataIndex = columns.IndexOf(StagingLayout.Data);
        _geometryIndex = layout.GeometryIndex;
        _layerCopy = $"COPY \"{Table}\" ({string.Join(", ", layout.LayerColumns.Select(Q))}) FROM STDIN (FORMAT BINARY)";
        var versionColumns = "\"record_id\", \"date_of_information\", \"recorded_at\", \"submission_id\", \"tombstone\", \"data\""
                             + (layout.Dataset.IsSpatial ? $", {Q(StorageNames.Geometry)}" : "");
        _versionsCopy = $"COPY \"{layout.Dataset.VersionsTable}\" ({versionColumns}) FROM STDIN (FORMAT BINARY)";
    }

    /// <summary>
    /// Begins the write transaction and locks the dataset's tables; returns the loader when both are empty, else rolls
    /// back and returns null (the caller stages as usual). Pending submissions and casualties (whose personal data has a
    /// table of its own) always stage.
    /// </summary>
    public static async Task<PostgresFirstLoad?> TryBeginAsync(NpgsqlConnection connection, StagingLayout layout, MergeRequest request,
        Func<string, ulong>? idHash, CancellationToken ct)
    {
        var dataset = layout.Dataset;
        if (request.Pending || dataset == DatasetCatalog.Casualties) return null;
        var tx = await connection.BeginTransactionAsync(ct);
        try
        {
            await using (var lockTables = new NpgsqlCommand($"LOCK TABLE \"{dataset.VersionsTable}\", \"{dataset.Table}\" IN SHARE ROW EXCLUSIVE MODE", connection, tx))
            {
                lockTables.CommandTimeout = 0;
                await lockTables.ExecuteNonQueryAsync(ct);
            }
            bool empty;
            await using (var check = new NpgsqlCommand($"SELECT NOT EXISTS (SELECT 1 FROM \"{dataset.Table}\") AND NOT EXISTS (SELECT 1 FROM \"{dataset.VersionsTable}\")", connection, tx))
            {
                empty = (bool)(await check.ExecuteScalarAsync(ct))!;
            }
            if (empty) return new PostgresFirstLoad(connection, tx, layout, request, idHash);
            await tx.DisposeAsync();
            return null;
        }
        catch
        {
            await tx.DisposeAsync();
            throw;
        }
    }

    public override async Task BeginStagingAsync(CancellationToken ct)
    {
        // The versions name their submission, so it is written first; its count of records follows at the merge.
        _submissionId = await InsertSubmissionAsync(_request, 0, ct);
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        await using (var cmd = Command($"SELECT column_name, udt_name FROM information_schema.columns WHERE table_name = '{Table}' AND table_schema = current_schema()"))
        await using (var r = await cmd.ExecuteReaderAsync(ct))
        {
            while (await r.ReadAsync(ct)) types[r.GetString(0)] = r.GetString(1);
        }
        _layerTypes = [.. Layout.LayerColumns.Select(c => PostgresBulkLoader.CopyType(c, types[c]))];
        _writer = Task.Factory.StartNew(WriteBatches, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    public override void Stage(object?[] row)
    {
        var id = (string)row[_idIndex]!;
        if (!_firstLines.TryAdd(_idHash(id), (int)row[^1]!))
        {
            _heldBack.Add((id, (int)row[^1]!));
            return;
        }
        _batch.Add(row);
        _sent++;
        if (_batch.Count == BatchRows) Send();
    }

    private void Send()
    {
        try
        {
            _batches.Add(_batch);
        }
        catch (InvalidOperationException) when (_writer is not null)
        {
            // The writer stopped on an error and refuses more rows: raise its error here.
            _writer.GetAwaiter().GetResult();
            throw;
        }
        _batch = new List<object?[]>(BatchRows);
    }

    public override async Task EndStagingAsync(CancellationToken ct)
    {
        if (_batch.Count > 0) Send();
        _batches.CompleteAdding();
        if (_writer is not null) await _writer;
    }

    /// <summary>The writer thread: each batch into the layer, then into the versions table, one COPY each.</summary>
    private void WriteBatches()
    {
        try
        {
            foreach (var batch in _batches.GetConsumingEnumerable())
            {
                if (!CopyLayer(batch) || !CopyVersions(batch)) return;
            }
        }
        catch
        {
            _batches.CompleteAdding();
            throw;
        }
    }

    /// <returns>False when the import was abandoned meanwhile: the COPY is cancelled (disposed before it completes).</returns>
    private bool CopyLayer(List<object?[]> batch)
    {
        using var copy = _connection.BeginBinaryImport(_layerCopy);
        foreach (var row in batch)
        {
            if (_abandoned) return false;
            copy.StartRow();
            for (var i = 0; i < _layerTypes.Length; i++)
            {
                if (row[i] is { } value) copy.Write(value, _layerTypes[i]);
                else copy.WriteNull();
            }
        }
        copy.Complete();
        return true;
    }

    /// <summary>The same values as the staged merge's versions: the record's JSON, its date of information, the import's time and submission.</summary>
    private bool CopyVersions(List<object?[]> batch)
    {
        using var copy = _connection.BeginBinaryImport(_versionsCopy);
        foreach (var row in batch)
        {
            if (_abandoned) return false;
            copy.StartRow();
            copy.Write((string)row[_idIndex]!, NpgsqlDbType.Varchar);
            if (row[_informationDateIndex] is string date) copy.Write(date, NpgsqlDbType.Varchar);
            else copy.WriteNull();
            copy.Write(_request.Now, NpgsqlDbType.TimestampTz);
            copy.Write(_submissionId, NpgsqlDbType.Bigint);
            copy.Write(false, NpgsqlDbType.Boolean);
            copy.Write((string)row[_dataIndex]!, NpgsqlDbType.Text);
            if (_geometryIndex < 0) continue;
            if (row[_geometryIndex] is NetTopologySuite.Geometries.Geometry geometry) copy.Write(geometry, NpgsqlDbType.Geometry);
            else copy.WriteNull();
        }
        copy.Complete();
        return true;
    }

    /// <summary>The held-back ids that repeat one written, with every line of each, first lines first (as the staged check gives them).</summary>
    public override async Task<List<(string Id, string Lines)>> DuplicatesAsync(CancellationToken ct)
    {
        if (_heldBack.Count == 0) return [];
        var written = new HashSet<string>(StringComparer.Ordinal);
        await using (var cmd = Command($"SELECT \"id\" FROM \"{Table}\" WHERE \"id\" = ANY(@ids)"))
        {
            Add(cmd, "ids", _heldBack.Select(h => h.Id).Distinct(StringComparer.Ordinal).ToArray());
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct)) written.Add(r.GetString(0));
        }
        var lines = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        foreach (var (id, line) in _heldBack)
        {
            if (lines.TryGetValue(id, out var seen)) seen.Add(line);
            else if (written.Contains(id)) lines[id] = [_firstLines[_idHash(id)], line];
            else throw new FirstLoadHashCollisionException();
        }
        return [.. lines.OrderBy(d => d.Value[0]).Take(DuplicatesReported).Select(d => (d.Key, string.Join(", ", d.Value)))];
    }

    public override Task<MergeCounts> CountAsync(CancellationToken ct) => Task.FromResult(new MergeCounts(_sent, _sent, 0));

    /// <summary>None: the versions table was empty when the lock was taken, and the file's ids are distinct.</summary>
    public override Task<IReadOnlyList<string>> TakenIdsAsync(DbTransaction tx, CancellationToken ct) => Task.FromResult<IReadOnlyList<string>>([]);

    public override Task<DbTransaction> BeginWriteAsync(CancellationToken ct) => Task.FromResult<DbTransaction>(_tx);

    /// <summary>The rows are in already: the submission gets its count and the audit chain its entry.</summary>
    public override async Task<(MergeCounts Counts, long SubmissionId)> MergeAsync(MergeRequest request, DbTransaction tx, CancellationToken ct)
    {
        var counts = await CountAsync(ct);
        await Exec("UPDATE \"submissions\" SET \"record_count\" = @count WHERE \"id\" = @id", ct, ("count", counts.Inserted), ("id", _submissionId));
        await AppendAuditAsync(request, counts, _submissionId, tx, ct);
        return (counts, _submissionId);
    }

    protected override string LineList() => throw new NotSupportedException("a first load has no staging table");

    /// <summary>Stops the writer (a COPY under way is cancelled) and ends the transaction: rolled back unless committed.</summary>
    public override async ValueTask DisposeAsync()
    {
        _abandoned = true;
        if (!_batches.IsAddingCompleted) _batches.CompleteAdding();
        if (_writer is not null)
        {
            try
            {
                await _writer;
            }
#pragma warning disable CA1031 // the writer's error reached the caller where rows were sent or the staging ended; what is left is the rollback
            catch (Exception)
            {
            }
#pragma warning restore CA1031
        }
        _batches.Dispose();
        await _tx.DisposeAsync();
        await base.DisposeAsync();
    }
}
