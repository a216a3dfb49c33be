using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
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
    private readonly BlockingCollection<Batch> _batches = new(boundedCapacity: 1);
    private readonly BlockingCollection<Batch> _free = new();
    private readonly int _idIndex;
    private readonly int _informationDateIndex;
    private readonly int _dataIndex;
    private readonly int _geometryIndex;
    private readonly string _layerCopy;
    private readonly string _versionsCopy;
    private NpgsqlDbType[] _layerTypes = [];
    private Batch? _batch;
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
        for (var i = 0; i < BatchesInFlight; i++) _free.Add(new Batch(), CancellationToken.None);
        _writer = Task.Factory.StartNew(WriteBatches, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <summary>
    /// Checks the id, then encodes the row at once, on the reading thread, in COPY's binary format for the layer and for
    /// the versions table: the row's objects die young, and the writer thread only moves bytes.
    /// </summary>
    public override void Stage(object?[] row)
    {
        var id = (string)row[_idIndex]!;
        if (!_firstLines.TryAdd(_idHash(id), (int)row[^1]!))
        {
            _heldBack.Add((id, (int)row[^1]!));
            return;
        }
        _batch ??= Take();
        var layer = _batch.Layer;
        layer.Row(_layerTypes.Length);
        for (var i = 0; i < _layerTypes.Length; i++) layer.Value(row[i], _layerTypes[i]);
        var versions = _batch.Versions;
        versions.Row(_geometryIndex < 0 ? 6 : 7);
        versions.Value(id, NpgsqlDbType.Varchar);
        versions.Value(row[_informationDateIndex], NpgsqlDbType.Varchar);
        versions.Value(_request.Now, NpgsqlDbType.TimestampTz);
        versions.Value(_submissionId, NpgsqlDbType.Bigint);
        versions.Value(false, NpgsqlDbType.Boolean);
        versions.Value(row[_dataIndex], NpgsqlDbType.Text);
        if (_geometryIndex >= 0) versions.Value(row[_geometryIndex], NpgsqlDbType.Geometry);
        _sent++;
        if (++_batch.Rows == BatchRows) Send();
    }

    private Batch Take()
    {
        try
        {
            return _free.Take();
        }
        catch (InvalidOperationException) when (_writer is not null)
        {
            // The writer stopped on an error and refuses more rows: raise its error here.
            _writer.GetAwaiter().GetResult();
            throw;
        }
    }

    private void Send()
    {
        try
        {
            _batches.Add(_batch!);
        }
        catch (InvalidOperationException) when (_writer is not null)
        {
            _writer.GetAwaiter().GetResult();
            throw;
        }
        _batch = null;
    }

    public override async Task EndStagingAsync(CancellationToken ct)
    {
        if (_batch is { Rows: > 0 }) Send();
        _batches.CompleteAdding();
        if (_writer is not null) await _writer;
    }

    /// <summary>The writer thread: each batch into the layer, then into the versions table, one COPY each; the batch's buffers go back to the reader.</summary>
    private void WriteBatches()
    {
        try
        {
            foreach (var batch in _batches.GetConsumingEnumerable())
            {
                if (!Copy(_layerCopy, batch.Layer) || !Copy(_versionsCopy, batch.Versions)) return;
                batch.Clear();
                _free.Add(batch);
            }
        }
        catch
        {
            _batches.CompleteAdding();
            _free.CompleteAdding();
            throw;
        }
    }

    /// <returns>False when the import was abandoned meanwhile: the COPY is cancelled instead of completed.</returns>
    private bool Copy(string command, BinaryCopyRows rows)
    {
        using var copy = _connection.BeginRawBinaryCopy(command);
        if (_abandoned)
        {
            copy.Cancel();
            return false;
        }
        copy.Write(BinaryCopyRows.Header);
        copy.Write(rows.Written);
        copy.Write(BinaryCopyRows.Trailer);
        return true;
    }

    private const int BatchesInFlight = 3;

    /// <summary>One batch of rows for each table, encoded; reused once written.</summary>
    private sealed class Batch
    {
        public BinaryCopyRows Layer { get; } = new();
        public BinaryCopyRows Versions { get; } = new();
        public int Rows { get; set; }

        public void Clear()
        {
            Layer.Clear();
            Versions.Clear();
            Rows = 0;
        }
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
        if (!_free.IsAddingCompleted) _free.CompleteAdding();
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
        _free.Dispose();
        await _tx.DisposeAsync();
        await base.DisposeAsync();
    }
}

/// <summary>
/// Rows in PostgreSQL's binary COPY format (a field count, then each field's length and bytes in the column type's binary
/// form), written into a growing buffer. Npgsql's importer encodes only onto its connection, from the thread that writes
/// there; this lets the reading thread encode while another sends.
/// </summary>
internal sealed class BinaryCopyRows
{
    /// <summary>The format's signature, flags and header extension length.</summary>
    public static ReadOnlySpan<byte> Header => [(byte)'P', (byte)'G', (byte)'C', (byte)'O', (byte)'P', (byte)'Y', (byte)'\n', 0xFF, (byte)'\r', (byte)'\n', 0, 0, 0, 0, 0, 0, 0, 0, 0];
    /// <summary>A field count of -1 ends the data.</summary>
    public static ReadOnlySpan<byte> Trailer => [0xFF, 0xFF];

    private static readonly long Epoch2000Ticks = new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc).Ticks;
    private readonly ArrayBufferWriter<byte> _buffer = new(1 << 20);
    private readonly NetTopologySuite.IO.PostGisWriter _geometry = new();

    public ReadOnlySpan<byte> Written => _buffer.WrittenSpan;

    public void Clear() => _buffer.ResetWrittenCount();

    public void Row(int fields)
    {
        BinaryPrimitives.WriteInt16BigEndian(_buffer.GetSpan(2), (short)fields);
        _buffer.Advance(2);
    }

    /// <summary>One field: null, or <paramref name="value"/> in the binary form of <paramref name="type"/>.</summary>
    public void Value(object? value, NpgsqlDbType type)
    {
        if (value is null)
        {
            Int32(-1);
            return;
        }
        switch (type)
        {
            case NpgsqlDbType.Text or NpgsqlDbType.Varchar:
                var text = (string)value;
                var span = _buffer.GetSpan(4 + Encoding.UTF8.GetMaxByteCount(text.Length));
                var length = Encoding.UTF8.GetBytes(text, span[4..]);
                BinaryPrimitives.WriteInt32BigEndian(span, length);
                _buffer.Advance(4 + length);
                break;
            case NpgsqlDbType.Integer:
                Int32(4);
                Int32(Convert.ToInt32(value, CultureInfo.InvariantCulture));
                break;
            case NpgsqlDbType.Bigint:
                Int32(8);
                BinaryPrimitives.WriteInt64BigEndian(_buffer.GetSpan(8), Convert.ToInt64(value, CultureInfo.InvariantCulture));
                _buffer.Advance(8);
                break;
            case NpgsqlDbType.Double:
                Int32(8);
                BinaryPrimitives.WriteDoubleBigEndian(_buffer.GetSpan(8), Convert.ToDouble(value, CultureInfo.InvariantCulture));
                _buffer.Advance(8);
                break;
            case NpgsqlDbType.Boolean:
                Int32(1);
                _buffer.GetSpan(1)[0] = (bool)value ? (byte)1 : (byte)0;
                _buffer.Advance(1);
                break;
            case NpgsqlDbType.TimestampTz:
                // Microseconds since 2000-01-01 UTC, as Npgsql sends a UTC DateTime.
                Int32(8);
                BinaryPrimitives.WriteInt64BigEndian(_buffer.GetSpan(8), (((DateTime)value).Ticks - Epoch2000Ticks) / 10);
                _buffer.Advance(8);
                break;
            case NpgsqlDbType.Bytea:
                Bytes((byte[])value);
                break;
            case NpgsqlDbType.Geometry:
                // PostGIS reads its extended WKB (with the SRID), the form Npgsql's NetTopologySuite plugin sends.
                Bytes(_geometry.Write((NetTopologySuite.Geometries.Geometry)value));
                break;
            default:
                throw new NotSupportedException($"no binary COPY form for {type}");
        }
    }

    private void Int32(int value)
    {
        BinaryPrimitives.WriteInt32BigEndian(_buffer.GetSpan(4), value);
        _buffer.Advance(4);
    }

    private void Bytes(byte[] bytes)
    {
        Int32(bytes.Length);
        _buffer.Write(bytes);
    }
}
