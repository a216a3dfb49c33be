using System.Collections.Concurrent;
using System.Data.Common;
using System.Globalization;
using Groundtruth.Analysis.Geodesy;
using Groundtruth.Analysis.Statistics;
using Groundtruth.Application.Datasets;
using Groundtruth.Application.Storage;
using Groundtruth.Domain;
using Microsoft.EntityFrameworkCore;

namespace Groundtruth.Application.Statistics;

/// <summary>
/// Loads the columns statistics need — the date, the point's coordinates (for a point, <c>min_x</c>,
/// <c>min_y</c> are its longitude and latitude), the quantity and the fields a query names — and keeps
/// them in memory for the next query until the database changes. The current tables hold approved data
/// only, so only approved data counts.
/// </summary>
/// <remarks>
/// A casualty with an accident takes the accident's date where it has none of its own, and the
/// accident's point where it has none (the importer requires a date or an accident; casualties of an
/// accident usually carry no point). The database is known to be unchanged when the newest version of
/// every dataset counted, of the places, and the newest submission and decision are the same as at
/// loading; one cheap query tells. A CLI process loads once; the web host keeps one cache for all requests.
/// </remarks>
public sealed class StatsSource
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    private sealed class Entry
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);
        public string? Stamp { get; set; }
        public StatsTable? Table { get; set; }
        public Gazetteer? Gazetteer { get; set; }
        public IReadOnlyList<GazetteerPlace> AllPlaces { get; set; } = [];
    }

    /// <summary>The loaded data for one query: the table with the fields asked for, and the gazetteer.</summary>
    public sealed record Loaded(StatsTable Table, Gazetteer Gazetteer, IReadOnlyList<GazetteerPlace> AllPlaces);

    /// <summary>The scope of a cache entry holding approved and pending data (see <see cref="GetAsync"/>).</summary>
    public const string PendingScope = "pending";

    /// <summary>The dataset's table with at least <paramref name="fields"/> loaded (derived <c>place</c> included).</summary>
    public Task<Loaded> GetAsync(GroundtruthDbContext db, DatasetSpec dataset, IEnumerable<StatsField> fields, CancellationToken ct) =>
        GetAsync(db, dataset, fields, null, null, ct);

    /// <summary>The dataset's table with at least <paramref name="fields"/> loaded (derived <c>place</c> included).</summary>
    /// <param name="scope">Keeps apart entries read from differently prepared connections (null: the current approved tables).</param>
    /// <param name="prepare">Runs on the connection before the first read of this call that misses the cache (e.g. shadow tables).</param>
    public async Task<Loaded> GetAsync(GroundtruthDbContext db, DatasetSpec dataset, IEnumerable<StatsField> fields,
        string? scope, Func<CancellationToken, Task>? prepare, CancellationToken ct)
    {
        var key = db.Database.GetConnectionString() + "|" + dataset.Name + "|" + scope;
        var entry = _entries.GetOrAdd(key, _ => new Entry());
        await entry.Gate.WaitAsync(ct);
        try
        {
            await db.Database.OpenConnectionAsync(ct);
            var stamp = await StampAsync(db, dataset, ct);
            var prepared = prepare is null;
            async Task PrepareAsync()
            {
                if (prepared) return;
                await prepare!(ct);
                prepared = true;
            }
            if (entry.Stamp != stamp || entry.Table is null)
            {
                await PrepareAsync();
                entry.Table = null;
                entry.Gazetteer = null;
                var (places, all) = await LoadGazetteerAsync(db, ct);
                entry.Gazetteer = places;
                entry.AllPlaces = all;
                entry.Table = await LoadCoreAsync(db, dataset, ct);
                entry.Stamp = stamp;
            }
            var table = entry.Table;
            var missing = fields.Where(f => !table.Has(f.Name)).DistinctBy(f => f.Name).ToList();
            if (missing.Any(f => f.Name == "place")) table.Add(entry.Gazetteer!.PlaceColumn(table.X, table.Y));
            var stored = missing.Where(f => f.Column is not null).ToList();
            if (stored.Count > 0)
            {
                await PrepareAsync();
                await LoadColumnsAsync(db, dataset, table, stored, ct);
            }
            return new Loaded(table, entry.Gazetteer!, entry.AllPlaces);
        }
        finally
        {
            entry.Gate.Release();
        }
    }

    /// <summary>
    /// The datasets a table of <paramref name="dataset"/> is read from: itself, the accidents (a casualty takes its
    /// accident's date and point) and the places (the gazetteer). A write to any other dataset leaves the cached table
    /// as it is (issue 11: a new find made the dashboard read 272,000 casualties again).
    /// </summary>
    public static IReadOnlyList<DatasetSpec> ReadFrom(DatasetSpec dataset) =>
        [.. new[] { dataset, DatasetCatalog.Accidents, DatasetCatalog.Places }.Distinct()];

    /// <summary>Changes whenever the counted data of <paramref name="dataset"/> may have changed.</summary>
    private static Task<string> StampAsync(GroundtruthDbContext db, DatasetSpec dataset, CancellationToken ct) =>
        StampAsync(db.Database.GetDbConnection(), ReadFrom(dataset), ct);

    /// <summary>
    /// Changes whenever data of <paramref name="datasets"/> may have changed: the newest version of each (every
    /// write appends one) and, of the submissions to each, their number, the newest decision (approval, rejection,
    /// unapproval) and which are approved and which pending. Two cheap queries: each part reads one end of a primary
    /// key or a small table.
    /// </summary>
    public static async Task<string> StampAsync(DbConnection connection, IEnumerable<DatasetSpec> datasets, CancellationToken ct)
    {
        var parts = await StampPartsAsync(connection, datasets, ct);
        return string.Join('|', parts.Select(p => p.Value));
    }

    /// <summary>
    /// <see cref="StampAsync(DbConnection, IEnumerable{DatasetSpec}, CancellationToken)"/> per dataset, in the order
    /// given: a dataset's part changes whenever its data or its submissions may have changed, and only then.
    /// </summary>
    public static async Task<IReadOnlyList<KeyValuePair<string, string>>> StampPartsAsync(DbConnection connection, IEnumerable<DatasetSpec> datasets, CancellationToken ct)
    {
        var list = datasets.Distinct().ToList();
        var parts = new string[list.Count];
        await using (var cmd = connection.CreateCommand())
        {
            cmd.CommandText = "SELECT " + string.Join(", ", list.Select(d => $"(SELECT max(\"version_id\") FROM \"{d.VersionsTable}\")"));
            await using var r = await cmd.ExecuteReaderAsync(ct);
            await r.ReadAsync(ct);
            for (var i = 0; i < parts.Length; i++) parts[i] = Text(r, i);
        }
        var submissions = new Dictionary<string, string>(StringComparer.Ordinal);
        await using (var cmd = connection.CreateCommand())
        {
            // Which submissions are approved and which pending, not only when the last decision was: decisions may carry equal or earlier times.
            cmd.CommandText = """
                SELECT "dataset", count(*), max("decided_at"),
                sum(CASE WHEN "state" = 'approved' THEN "id" ELSE 0 END), sum(CASE WHEN "state" = 'submitted' THEN "id" ELSE 0 END)
                FROM "submissions" GROUP BY "dataset"
                """;
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
                submissions[r.GetString(0)] = $"{Text(r, 1)},{Text(r, 2)},{Text(r, 3)},{Text(r, 4)}";
        }
        return [.. list.Select((d, i) => KeyValuePair.Create(d.Name, parts[i] + ";" + submissions.GetValueOrDefault(d.Name, "-")))];
    }

    private static string Text(DbDataReader r, int i) =>
        r.IsDBNull(i) ? "-" : Convert.ToString(r.GetValue(i), CultureInfo.InvariantCulture)!;

    /// <summary>The gazetteer's places with a boundary, indexed, and every place with a geometry.</summary>
    internal static async Task<(Gazetteer, IReadOnlyList<GazetteerPlace>)> LoadGazetteerAsync(GroundtruthDbContext db, CancellationToken ct)
    {
        var rows = await db.Places.AsNoTracking()
            .Select(p => new { p.Id, p.Name, p.Kind, p.ParentId, p.Geometry })
            .ToListAsync(ct);
        var places = rows.Where(p => p.Geometry is not null)
            .Select(p => new GazetteerPlace(p.Id, p.Name, SnakeCase.Of(p.Kind), p.ParentId, p.Geometry!, MetricArea.SquareMetres(p.Geometry!)))
            .OrderBy(p => p.Id, StringComparer.Ordinal)
            .ToList();
        return (new Gazetteer(places), places);
    }

    private static async Task<StatsTable> LoadCoreAsync(GroundtruthDbContext db, DatasetSpec dataset, CancellationToken ct)
    {
        var casualties = dataset == DatasetCatalog.Casualties;
        var finds = dataset == DatasetCatalog.Finds;
        var date = Q(StatsFields.DateField(dataset));
        var sql = casualties
            ? $"""
               SELECT c.{date}, c."min_x", c."min_y", a."occurred_on", a."min_x", a."min_y"
               FROM "casualties" c LEFT JOIN "accidents" a ON a."id" = c."accident_id" ORDER BY c."fid"
               """
            : $"SELECT {date}, \"min_x\", \"min_y\"{(finds ? ", \"quantity\"" : "")} FROM \"{dataset.Table}\" ORDER BY \"fid\"";
        var starts = new List<int>();
        var ends = new List<int>();
        var xs = new List<double>();
        var ys = new List<double>();
        var weights = finds ? new List<int>() : null;
        var periods = new Dictionary<string, (int, int)>(StringComparer.Ordinal);
        (int, int) Period(string text)
        {
            if (periods.TryGetValue(text, out var p)) return p;
            return periods[text] = StatsTable.Period(PartialDate.TryParse(text, out var d) ? d : null);
        }
        await using var cmd = db.Database.GetDbConnection().CreateCommand();
        cmd.CommandText = sql;
        cmd.CommandTimeout = 0;
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            var own = r.IsDBNull(0) ? null : r.GetString(0);
            var x = r.IsDBNull(1) ? double.NaN : r.GetDouble(1);
            var y = r.IsDBNull(2) ? double.NaN : r.GetDouble(2);
            if (casualties)
            {
                own ??= r.IsDBNull(3) ? null : r.GetString(3);
                if (double.IsNaN(x) && !r.IsDBNull(4))
                {
                    x = r.GetDouble(4);
                    y = r.GetDouble(5);
                }
            }
            var (s, e) = own is null ? (StatsTable.Undated, StatsTable.Undated) : Period(own);
            starts.Add(s);
            ends.Add(e);
            xs.Add(x);
            ys.Add(y);
            weights?.Add(r.IsDBNull(3) ? 1 : Convert.ToInt32(r.GetValue(3), CultureInfo.InvariantCulture));
        }
        return new StatsTable(dataset.Name, [.. starts], [.. ends], [.. xs], [.. ys], weights is null ? null : [.. weights]);
    }

    /// <summary>
    /// For a one-shot process (the CLI): the dataset's rows grouped in SQL by every column the question reads — the
    /// date, the fields asked for and, when <paramref name="points"/> is set, the point — with each group's rows and
    /// weight, instead of every row (issue 11: on PostgreSQL a question whose answer is a dozen numbers read 1.4 M
    /// casualties or 5 M finds over the wire). The engine counts a group as its rows, so every figure is the one the
    /// rows give (<see cref="StatsTable.Rows"/>); nothing is cached. With <paramref name="window"/>, a point outside
    /// it is read as none (it can lie in no place, so counts nowhere a place matters: the groups it would split
    /// are merged instead).
    /// </summary>
    /// <param name="places">The gazetteer (<see cref="LoadGazetteerAsync"/>), read before: the window comes from it.</param>
    /// <param name="points">Read the points (a place is asked for); false: no point is read.</param>
    /// <param name="window">Only points inside this envelope (its edges included) are read; null: every point.</param>
    /// <param name="idle">
    /// On PostgreSQL, rows that certainly count nowhere (see <see cref="StatsIdleRows"/>) are read without their point, so
    /// alike rows merge into one group (issue 11: grouped by point, 5 M finds stayed 5 M groups).
    /// </param>
    public static async Task<Loaded> LoadGroupedAsync(GroundtruthDbContext db, DatasetSpec dataset, IEnumerable<StatsField> fields,
        (Gazetteer Gazetteer, IReadOnlyList<GazetteerPlace> All) places, bool points, NetTopologySuite.Geometries.Envelope? window, CancellationToken ct,
        StatsIdleRows? idle = null)
    {
        await db.Database.OpenConnectionAsync(ct);
        var (gazetteer, all) = places;
        await using var cmd = db.Database.GetDbConnection().CreateCommand();
        var stored = fields.Where(f => f.Column is not null).DistinctBy(f => f.Name).ToList();
        var casualties = dataset == DatasetCatalog.Casualties;
        var finds = dataset == DatasetCatalog.Finds;
        var date = Q(StatsFields.DateField(dataset));
        var keys = new List<string> { casualties ? $"coalesce(c.{date}, a.\"occurred_on\")" : "c." + date };
        void Parameter(string name, object value, System.Data.DbType type)
        {
            var parameter = cmd.CreateParameter();
            parameter.ParameterName = "@" + name;
            parameter.Value = value;
            parameter.DbType = type;
            cmd.Parameters.Add(parameter);
        }
        // The condition that a row surely counts nowhere (PostgreSQL only), or null.
        var idleWhen = idle is not null && !db.IsSqlite ? IdleRowSql.Build(keys[0], idle, (name, value) => Parameter(name, value, System.Data.DbType.String)) : null;
        if (points)
        {
            // A casualty without a point of its own takes its accident's (both coordinates), as the full reading does.
            var (x, y) = casualties
                ? ("CASE WHEN c.\"min_x\" IS NULL AND a.\"min_x\" IS NOT NULL THEN a.\"min_x\" ELSE c.\"min_x\" END",
                   "CASE WHEN c.\"min_x\" IS NULL AND a.\"min_x\" IS NOT NULL THEN a.\"min_y\" ELSE c.\"min_y\" END")
                : ("c.\"min_x\"", "c.\"min_y\"");
            if (window is { } w)
            {
                foreach (var (name, value) in new[] { ("min_x", w.MinX), ("max_x", w.MaxX), ("min_y", w.MinY), ("max_y", w.MaxY) })
                    Parameter(name, value, System.Data.DbType.Double);
                var inside = $"{x} >= @min_x AND {x} <= @max_x AND {y} >= @min_y AND {y} <= @max_y";
                (x, y) = ($"CASE WHEN {inside} THEN {x} END", $"CASE WHEN {inside} THEN {y} END");
            }
            if (idleWhen is not null) (x, y) = ($"CASE WHEN {idleWhen} THEN NULL ELSE {x} END", $"CASE WHEN {idleWhen} THEN NULL ELSE {y} END");
            keys.Add(x);
            keys.Add(y);
        }
        var ageGroup = casualties && stored.Any(f => f.Name == "age_group");
        var columns = stored.Select(f => f.Column!).ToList();
        // The age serves only the age group unless asked for itself: read as its group (0 child, 1 adult), not 100 values.
        var ageClass = ageGroup && !columns.Contains("age");
        if (ageGroup && !columns.Contains("age")) columns.Add("age");
        var first = keys.Count;
        keys.AddRange(columns.Select(c =>
        {
            var key = casualties && c == "occurred_on" ? $"coalesce(c.\"occurred_on\", a.\"occurred_on\")"
                : ageClass && c == "age" ? string.Create(CultureInfo.InvariantCulture, $"CASE WHEN c.\"age\" IS NULL THEN NULL WHEN c.\"age\" < {CasualtyAge.AdultAge} THEN 0 ELSE 1 END")
                : "c." + Q(c);
            // A column only grouped by is not needed of an idle row (a --where's column is: its values are the valid choices).
            return idleWhen is not null && idle!.WhereColumns is { } keep && !keep.Contains(c) ? $"CASE WHEN {idleWhen} THEN NULL ELSE {key} END" : key;
        }));
        var join = casualties ? " LEFT JOIN \"accidents\" a ON a.\"id\" = c.\"accident_id\"" : "";
        var weight = finds ? "sum(coalesce(c.\"quantity\", 1))" : "count(*)";
        cmd.CommandText = $"SELECT {string.Join(", ", keys)}, count(*), {weight} FROM \"{dataset.Table}\" c{join} GROUP BY {string.Join(", ", Enumerable.Range(1, keys.Count))}";
        cmd.CommandTimeout = 0;
        // On PostgreSQL, for this statement only: no JIT (compiling the long conditions took seconds) and room to hash the groups in memory.
        await using var transaction = db.IsSqlite ? null : await db.Database.GetDbConnection().BeginTransactionAsync(ct);
        if (transaction is not null)
        {
            await using var set = db.Database.GetDbConnection().CreateCommand();
            set.Transaction = transaction;
            set.CommandText = "SET LOCAL jit = off; SET LOCAL work_mem = '64MB'";
            await set.ExecuteNonQueryAsync(ct);
            cmd.Transaction = transaction;
        }
        var starts = new List<int>();
        var ends = new List<int>();
        var xs = new List<double>();
        var ys = new List<double>();
        var rows = new List<int>();
        var weights = new List<int>();
        var periods = new Dictionary<string, (int, int)>(StringComparer.Ordinal);
        var values = stored.Select(_ => new List<string?>()).ToArray();
        var index = stored.Select(f => first + columns.IndexOf(f.Column!)).ToArray();
        var ageIndex = first + columns.IndexOf("age");
        await using (var r = await cmd.ExecuteReaderAsync(ct))
        {
            while (await r.ReadAsync(ct))
            {
                var own = r.IsDBNull(0) ? null : r.GetString(0);
                if (own is null)
                {
                    starts.Add(StatsTable.Undated);
                    ends.Add(StatsTable.Undated);
                }
                else
                {
                    if (!periods.TryGetValue(own, out var p)) periods[own] = p = StatsTable.Period(PartialDate.TryParse(own, out var d) ? d : null);
                    starts.Add(p.Item1);
                    ends.Add(p.Item2);
                }
                xs.Add(points && !r.IsDBNull(1) ? r.GetDouble(1) : double.NaN);
                ys.Add(points && !r.IsDBNull(2) ? r.GetDouble(2) : double.NaN);
                for (var k = 0; k < stored.Count; k++)
                {
                    var value = Text(r, index[k], stored[k]);
                    if (ageGroup && stored[k].Name == "age_group" && !r.IsDBNull(ageIndex))
                    {
                        var age = Convert.ToInt32(r.GetValue(ageIndex), CultureInfo.InvariantCulture);
                        value = SnakeCase.Of(ageClass ? (age == 0 ? AgeGroup.Child : AgeGroup.Adult) : CasualtyAge.GroupOf(age));
                    }
                    values[k].Add(value);
                }
                rows.Add(checked((int)Convert.ToInt64(r.GetValue(keys.Count), CultureInfo.InvariantCulture)));
                weights.Add(checked((int)Convert.ToInt64(r.GetValue(keys.Count + 1), CultureInfo.InvariantCulture)));
            }
        }
        var table = new StatsTable(dataset.Name, [.. starts], [.. ends], [.. xs], [.. ys], [.. weights], [.. rows]);
        for (var k = 0; k < stored.Count; k++)
        {
            var f = stored[k];
            var builder = new StatsColumnBuilder(f.Name, f.Kind, table.Count, f.Kind == StatsValueKind.Enum ? f.EnumNames : null);
            foreach (var v in values[k]) builder.Add(v);
            table.Add(builder.Build());
        }
        if (fields.Any(f => f.Name == "place")) table.Add(gazetteer.PlaceColumn(table.X, table.Y));
        return new Loaded(table, gazetteer, all);
    }

    private static async Task LoadColumnsAsync(GroundtruthDbContext db, DatasetSpec dataset, StatsTable table, List<StatsField> fields, CancellationToken ct)
    {
        var ageGroup = dataset == DatasetCatalog.Casualties && fields.Any(f => f.Name == "age_group");
        var columns = fields.Select(f => f.Column!).ToList();
        if (ageGroup && !columns.Contains("age")) columns.Add("age");
        var casualtyDate = dataset == DatasetCatalog.Casualties && fields.Any(f => f.Name == "occurred_on");
        var select = columns.Select(c => casualtyDate && c == "occurred_on" ? "coalesce(c.\"occurred_on\", a.\"occurred_on\")" : "c." + Q(c));
        var join = casualtyDate ? " LEFT JOIN \"accidents\" a ON a.\"id\" = c.\"accident_id\"" : "";
        await using var cmd = db.Database.GetDbConnection().CreateCommand();
        cmd.CommandText = $"SELECT {string.Join(", ", select)} FROM \"{dataset.Table}\" c{join} ORDER BY c.\"fid\"";
        cmd.CommandTimeout = 0;
        var builders = fields.Select(f => new StatsColumnBuilder(f.Name, f.Kind, table.Count, f.Kind == StatsValueKind.Enum ? f.EnumNames : null)).ToArray();
        var index = fields.Select(f => columns.IndexOf(f.Column!)).ToArray();
        var ageIndex = columns.IndexOf("age");
        var row = 0;
        await using (var r = await cmd.ExecuteReaderAsync(ct))
        {
            while (await r.ReadAsync(ct))
            {
                if (row >= table.Count) throw new ConflictException($"{dataset.Name} changed while it was read; try again");
                for (var k = 0; k < fields.Count; k++)
                {
                    var value = Text(r, index[k], fields[k]);
                    if (ageGroup && fields[k].Name == "age_group" && !r.IsDBNull(ageIndex))
                        value = SnakeCase.Of(CasualtyAge.GroupOf(Convert.ToInt32(r.GetValue(ageIndex), CultureInfo.InvariantCulture)));
                    builders[k].Add(value);
                }
                row++;
            }
        }
        if (row != table.Count) throw new ConflictException($"{dataset.Name} changed while it was read; try again");
        foreach (var b in builders) table.Add(b.Build());
    }

    /// <summary>A stored value as the text statistics compare: numbers in invariant form, booleans as true/false.</summary>
    private static string? Text(DbDataReader r, int i, StatsField field)
    {
        if (r.IsDBNull(i)) return null;
        var v = r.GetValue(i);
        return field.Kind switch
        {
            StatsValueKind.Number when field.IsInteger => Convert.ToInt64(v, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture),
            StatsValueKind.Number => Convert.ToDouble(v, CultureInfo.InvariantCulture).ToString("R", CultureInfo.InvariantCulture),
            StatsValueKind.Boolean => Convert.ToBoolean(v, CultureInfo.InvariantCulture) ? "true" : "false",
            _ => Convert.ToString(v, CultureInfo.InvariantCulture),
        };
    }

    private static string Q(string column) => "\"" + column + "\"";
}

/// <summary>
/// What tells rows that count nowhere, whatever their point: a date wholly outside the window (a record outside it
/// is neither counted, nor straddling, nor undated, nor left out), or a known value other than the one a
/// <c>--where</c> on a stored enum or free-text column asks for (such a record fails that condition with a known value,
/// so it is neither counted nor left out for an unknown). A row is judged idle only when that is certain; any doubt keeps its point.
/// </summary>
/// <param name="Known">Per <c>--where</c> on a stored enum column: the column and the value asked for, spelled as stored.</param>
/// <param name="Text">Per <c>--where</c> on a stored free-text column: the column and the value as typed (a record matches it exactly or ignoring case).</param>
/// <param name="WhereColumns">The stored columns the <c>--where</c>s read: kept for every row; other grouped columns are read as unknown for an idle row (null: every column kept).</param>
public sealed record StatsIdleRows(DateOnly? From, DateOnly? To, IReadOnlyList<(string Column, string Value)> Known,
    IReadOnlyList<(string Column, string Value)>? TextValues = null, IReadOnlySet<string>? WhereColumns = null)
{
    public IReadOnlyList<(string Column, string Value)> Text => TextValues ?? [];
}
