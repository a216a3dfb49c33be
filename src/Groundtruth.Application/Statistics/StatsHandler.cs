using System.Globalization;
using Groundtruth.Analysis.Statistics;
using Groundtruth.Application.Datasets;
using Groundtruth.Application.Storage;
using Groundtruth.Domain;

namespace Groundtruth.Application.Statistics;

/// <summary>A question for <c>stats</c>, as typed on the command line or sent to the HTTP API.</summary>
/// <param name="Dataset"><c>casualties</c>, <c>finds</c> or <c>accidents</c>.</param>
/// <param name="From">Start of the window, inclusive: <c>YYYY</c>, <c>YYYY-MM</c> or <c>YYYY-MM-DD</c>.</param>
/// <param name="To">End of the window, inclusive (<c>2006</c> means to 31 December 2006).</param>
/// <param name="Where"><c>FIELD=VALUE</c> conditions, all of which must hold.</param>
/// <param name="In">A gazetteer place (id or name) whose polygon must cover the record's point.</param>
/// <param name="By">Fields to group by; each item may hold several separated by commas.</param>
/// <param name="SuppressSmallCells">Viewer mode (DESIGN section 7): figures from 1 to 4 are hidden and marked.</param>
/// <param name="IncludePending">Count the submissions waiting for approval too, as if approved as submitted (DESIGN section 7: only when a query asks).</param>
public sealed record StatsRequest(
    string Dataset,
    string? From = null,
    string? To = null,
    IReadOnlyList<string>? Where = null,
    string? In = null,
    IReadOnlyList<string>? By = null,
    bool SuppressSmallCells = false,
    History.HistoryPoint? At = null,
    bool IncludePending = false)
{
    /// <summary>This question as <paramref name="access"/> may ask it: small cells always suppressed for viewers, pending data for analysts and above.</summary>
    public StatsRequest For(Security.Access access)
    {
        access.Require(!IncludePending || access.MayReadPending, "counting pending submissions");
        return access.AggregatesOnly ? this with { SuppressSmallCells = true } : this;
    }
}

/// <summary>A bad question: an unknown dataset, field, value or place, or a bad date. The message lists the valid choices.</summary>
/// <param name="Parameter">The parameter at fault: <c>dataset</c>, <c>from</c>, <c>to</c>, <c>where</c>, <c>in</c> or <c>by</c>.</param>
public sealed class StatsArgumentException(string parameter, string message) : InvalidRequestException(parameter, message);

/// <summary>A <c>--where</c> as applied: the field, the value in its canonical spelling, and the records it left out because their value is unknown.</summary>
public sealed record StatsWhere(string Field, string Value, long? UnknownLeftOut);

/// <summary>A gazetteer place as a report names it.</summary>
public sealed record StatsPlace(string Id, string Name, string Kind);

/// <summary>The answer: the question as understood, the definition in words, the figures and when they were computed.</summary>
public sealed record StatsReport(
    DatasetSpec Dataset,
    DateOnly? From,
    DateOnly? To,
    IReadOnlyList<StatsWhere> Where,
    StatsPlace? In,
    IReadOnlyList<string> By,
    string Definition,
    StatsFigures Figures,
    DateTimeOffset ComputedAt)
{
    /// <summary>Finds count devices (the sum of quantity); <c>records</c> counts rows beside them.</summary>
    public bool CountsDevices => Dataset == DatasetCatalog.Finds;

    /// <summary>The figures count pending submissions beside approved data; the JSON says <c>"includes_pending": true</c>.</summary>
    public bool IncludesPending { get; init; }
}

/// <summary>
/// <c>groundtruth stats</c> and <c>GET /api/stats/{dataset}</c>: counts casualties, finds or accidents by
/// published definitions, with the unknowns, the exclusions and the definition beside the figures.
/// Loads the needed columns (<see cref="StatsSource"/>) and computes in Analysis (<see cref="StatsEngine"/>);
/// selection by place goes through the spatial join engine.
/// </summary>
public sealed class StatsHandler(DatabaseTarget target, TimeProvider clock, StatsSource? source = null)
{
    private const int ListedChoices = 40;
    private readonly StatsSource _source = source ?? new StatsSource();

    /// <summary>
    /// A one-shot process (the CLI) asks one question and exits: the current data is read grouped in SQL by the
    /// columns the question needs (<see cref="StatsSource.LoadGroupedAsync"/>), not row by row into a cache no later
    /// question will use. The figures are the same.
    /// </summary>
    /// <remarks>PostgreSQL only: on a GeoPackage the rows are local and grouping by point in SQLite was slower than reading them (issue 11, scale 500).</remarks>
    public bool OneShot { get; init; }

    /// <summary>For tests: read grouped on a GeoPackage too.</summary>
    internal bool GroupOnGeoPackage { get; init; }

    public Task<StatsReport> HandleAsync(StatsRequest request, CancellationToken ct = default) => HandleAsync(request, null, ct);

    /// <summary>As above, reporting its two steps (reading the columns, counting) to <paramref name="progress"/>.</summary>
    public async Task<StatsReport> HandleAsync(StatsRequest request, IProgress<Progress.WorkProgress>? progress, CancellationToken ct = default)
    {
        var dataset = StatsFields.Datasets.FirstOrDefault(d => string.Equals(d.Name, request.Dataset?.Trim(), StringComparison.OrdinalIgnoreCase))
            ?? throw new StatsArgumentException("dataset", $"stats counts {string.Join(", ", StatsFields.DatasetNames)}; not '{request.Dataset}'");
        var from = ParseDate(request.From, "from")?.Start;
        var to = ParseDate(request.To, "to")?.End;
        if (from is { } f && to is { } t && f > t)
            throw new StatsArgumentException("from", $"from ({f:yyyy-MM-dd}) is after to ({t:yyyy-MM-dd})");
        var wheres = (request.Where ?? []).Select(w => ParseWhere(dataset, w)).ToList();
        var by = ParseBy(dataset, request.By);
        var needed = wheres.Select(w => w.Field).Concat(by).ToList();

        await using var db = target.CreateContext();
        await SchemaGuard.EnsureCurrentAsync(db, ct);
        progress?.Report(Progress.WorkProgress.Step($"reading {dataset.Name}", 0, 2));
        var point = request.At ?? History.HistoryPoint.Current;
        if (request.IncludePending) point = point with { IncludePending = true };
        DatasetSpec[] read = [dataset, DatasetCatalog.Accidents, DatasetCatalog.Places];
        StatsSource.Loaded loaded;
        if (point.IsCurrent && OneShot && (!db.IsSqlite || GroupOnGeoPackage))
        {
            var places = await StatsSource.LoadGazetteerAsync(db, ct);
            var window = string.IsNullOrWhiteSpace(request.In) ? null : ResolvePlace(places.Item1, request.In, "in").Geometry.EnvelopeInternal;
            // Rows that count nowhere need no point: a --where on a stored enum (not the derived age group) whose value is spelled as an enum name.
            var known = wheres
                .Where(w => w.Field.Kind == StatsValueKind.Enum && w.Field.Column is not null && !(dataset == DatasetCatalog.Casualties && w.Field.Name == "age_group"))
                .Select(w => (w.Field.Column!, Value: w.Field.EnumNames.FirstOrDefault(n => string.Equals(n, w.Value, StringComparison.OrdinalIgnoreCase))))
                .Where(w => w.Value is not null && w.Value != StatsColumn.Unknown)
                .Select(w => (w.Item1, w.Value!)).ToList();
            loaded = await StatsSource.LoadGroupedAsync(db, dataset, needed, places, window is not null || needed.Any(f => f.Name == "place"), window, ct,
                new StatsIdleRows(from, to, known, [.. wheres.Where(w => w.Field.Kind == StatsValueKind.Text && w.Field.Column is not null
                    && !string.Equals(w.Value, StatsColumn.Unknown, StringComparison.OrdinalIgnoreCase)).Select(w => (w.Field.Column!, w.Value))],
                    WhereColumns(dataset, wheres.Select(w => w.Field))));
        }
        else if (point.IsCurrent)
        {
            loaded = await _source.GetAsync(db, dataset, needed, ct);
        }
        else if (point is { AsOf: null, RecordedBefore: null })
        {
            // Approved and pending data: shadow tables on this connection, made only when the cache must (re)load.
            loaded = await _source.GetAsync(db, dataset, needed, StatsSource.PendingScope, c => History.HistoryScope.ShadowAsync(db, point, read, c), ct);
        }
        else
        {
            // The past is read through shadow tables on this connection, never from (or into) the cache.
            await History.HistoryScope.ShadowAsync(db, point, read, ct);
            loaded = await new StatsSource().GetAsync(db, dataset, needed, ct);
        }
        var table = loaded.Table;
        progress?.Report(Progress.WorkProgress.Step("counting", 1, 2));

        StatsPlace? inPlace = null;
        bool[]? inside = null;
        if (!string.IsNullOrWhiteSpace(request.In))
        {
            var place = ResolvePlace(loaded.Gazetteer, request.In, "in");
            inPlace = new StatsPlace(place.Id, place.Name, place.Kind);
            inside = Gazetteer.Inside(place, table.X, table.Y);
        }
        var filters = wheres.Select(w => Resolve(loaded, w.Field, w.Value)).ToList();
        var selection = new StatsSelection(from, to, filters, inside, [.. by.Select(b => table.Column(b.Name))], request.SuppressSmallCells);
        var figures = StatsEngine.Compute(table, selection);
        var applied = filters.Select((x, i) => new StatsWhere(x.Column.Name, x.Value, x.SelectsUnknown ? 0 : figures.LeftOutByWhere[i])).ToList();
        var report = new StatsReport(dataset, from, to, applied, inPlace, [.. by.Select(b => b.Name)], "", figures, clock.GetUtcNow()) { IncludesPending = point.IncludePending };
        return report with { Definition = StatsDefinitions.Describe(report, CultureInfo.InvariantCulture) };
    }

    /// <summary>The stored columns the <c>--where</c>s read (a casualty's age group reads its age too).</summary>
    private static HashSet<string> WhereColumns(DatasetSpec dataset, IEnumerable<StatsField> wheres)
    {
        var columns = wheres.Where(f => f.Column is not null).Select(f => f.Column!).ToHashSet(StringComparer.Ordinal);
        if (dataset == DatasetCatalog.Casualties && columns.Contains("age_group")) columns.Add("age");
        return columns;
    }

    private static PartialDate? ParseDate(string? text, string parameter)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        return PartialDate.TryParse(text, out var d) ? d
            : throw new StatsArgumentException(parameter, $"'{text}' is not a date: use YYYY, YYYY-MM or YYYY-MM-DD (a partial date stands for its whole period)");
    }

    private static (StatsField Field, string Value) ParseWhere(DatasetSpec dataset, string text)
    {
        var eq = text.IndexOf('=', StringComparison.Ordinal);
        if (eq <= 0)
            throw new StatsArgumentException("where", $"where '{text}' is not FIELD=VALUE; fields of {dataset.Name}: {FieldList(dataset)}");
        var name = text[..eq].Trim();
        var value = text[(eq + 1)..].Trim();
        if (value.Length >= 2 && (value[0] == '"' || value[0] == '\'') && value[^1] == value[0]) value = value[1..^1];
        var field = StatsFields.Find(dataset, name)
            ?? throw new StatsArgumentException("where", $"unknown field '{name}' for {dataset.Name}; valid fields: {FieldList(dataset)}");
        if (value.Length == 0) throw new StatsArgumentException("where", $"where {field.Name}= has no value; use {field.Name}=unknown to select records where it is not known");
        return (field, value);
    }

    private static List<StatsField> ParseBy(DatasetSpec dataset, IReadOnlyList<string>? by)
    {
        var fields = new List<StatsField>();
        foreach (var name in (by ?? []).SelectMany(b => b.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            var field = StatsFields.Find(dataset, name)
                ?? throw new StatsArgumentException("by", $"unknown field '{name}' for {dataset.Name}; valid fields: {FieldList(dataset)}");
            if (fields.Contains(field)) throw new StatsArgumentException("by", $"by names {field.Name} twice");
            fields.Add(field);
        }
        return fields;
    }

    private static string FieldList(DatasetSpec dataset) => string.Join(", ", StatsFields.Of(dataset).Select(f => f.Name));

    /// <summary>The codes a <c>--where</c> value selects; a value no record could hold exits 2 with the valid ones.</summary>
    private static StatsFilter Resolve(StatsSource.Loaded loaded, StatsField field, string value)
    {
        var column = loaded.Table.Column(field.Name);
        if (string.Equals(value, StatsColumn.Unknown, StringComparison.OrdinalIgnoreCase)) return new StatsFilter(column, [0], StatsColumn.Unknown);
        string Invalid(string why) => $"where {field.Name}={value}: {why}";
        string? canonical;
        switch (field.Kind)
        {
            case StatsValueKind.Enum:
                canonical = field.EnumNames.FirstOrDefault(n => string.Equals(n, value, StringComparison.OrdinalIgnoreCase));
                if (canonical is null) throw new StatsArgumentException("where", Invalid($"not a value of {field.Name}; valid: {string.Join(", ", field.EnumNames)}"));
                break;
            case StatsValueKind.Boolean:
                canonical = value.ToLowerInvariant() is "true" or "false" ? value.ToLowerInvariant() : null;
                if (canonical is null) throw new StatsArgumentException("where", Invalid("valid: true, false, unknown"));
                break;
            case StatsValueKind.Number:
            {
                if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) || !double.IsFinite(number)
                    || (field.IsInteger && number != Math.Floor(number)))
                    throw new StatsArgumentException("where", Invalid($"not {(field.IsInteger ? "a whole number" : "a number")}"));
                var (min, max) = (field.Spec?.Min, field.Spec?.Max);
                if ((min is { } lo && number < lo) || (max is { } hi && number > hi))
                    throw new StatsArgumentException("where", Invalid(string.Create(CultureInfo.InvariantCulture, $"{field.Name} lies between {min?.ToString(CultureInfo.InvariantCulture) ?? "-∞"} and {max?.ToString(CultureInfo.InvariantCulture) ?? "∞"}")));
                canonical = field.IsInteger
                    ? ((long)number).ToString(CultureInfo.InvariantCulture)
                    : number.ToString("R", CultureInfo.InvariantCulture);
                break;
            }
            case StatsValueKind.Date:
                canonical = PartialDate.TryParse(value, out var date) ? date.ToString() : null;
                if (canonical is null) throw new StatsArgumentException("where", Invalid("not a date: use YYYY, YYYY-MM or YYYY-MM-DD"));
                break;
            case StatsValueKind.Year:
                canonical = value.Length == 4 && int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out _) ? value : null;
                if (canonical is null) throw new StatsArgumentException("where", Invalid("a year is YYYY"));
                break;
            case StatsValueKind.Month:
                canonical = PartialDate.TryParse(value, out var month) && month.Precision == DatePrecision.Month ? month.ToString() : null;
                if (canonical is null) throw new StatsArgumentException("where", Invalid("a month is YYYY-MM"));
                break;
            case StatsValueKind.Place:
                canonical = ResolvePlace(loaded.Gazetteer, value, "where").Id;
                break;
            default:
                canonical = column.CodeOf(value) >= 0 ? value
                    : column.KnownValues.Where(v => string.Equals(v, value, StringComparison.OrdinalIgnoreCase)).ToList() is [var single] ? single
                    : throw new StatsArgumentException("where", Invalid($"no record has this {field.Name}; valid: {Choices(column.KnownValues)}"));
                break;
        }
        var code = column.CodeOf(canonical);
        return new StatsFilter(column, code >= 0 ? [code] : [], canonical);
    }

    private static string Choices(IEnumerable<string> values)
    {
        var list = values.ToList();
        if (list.Count == 0) return "(none: no record has a value)";
        var shown = string.Join(", ", list.Take(ListedChoices).Select(v => v.Contains(' ', StringComparison.Ordinal) ? $"\"{v}\"" : v));
        return list.Count > ListedChoices ? $"{shown} … and {list.Count - ListedChoices} more" : shown;
    }

    /// <summary>A place by id, or by name when the name is unique; an ambiguous name exits 2 with the candidates.</summary>
    private static GazetteerPlace ResolvePlace(Gazetteer gazetteer, string text, string parameter)
    {
        var wanted = text.Trim();
        var polygons = gazetteer.Places;
        var byId = polygons.FirstOrDefault(p => p.Id == wanted) ?? polygons.FirstOrDefault(p => string.Equals(p.Id, wanted, StringComparison.OrdinalIgnoreCase));
        if (byId is not null) return byId;
        var named = polygons.Where(p => string.Equals(p.Name, wanted, StringComparison.OrdinalIgnoreCase)).ToList();
        if (named.Count == 1) return named[0];
        var option = parameter == "in" ? "in" : "where place=";
        if (named.Count > 1)
            throw new StatsArgumentException(parameter, $"{option} '{wanted}' is ambiguous: {string.Join("; ", named.Select(Describe))}; give the id");
        if (polygons.Count == 0)
            throw new StatsArgumentException(parameter, $"{option} '{wanted}': the gazetteer holds no place with a boundary polygon; import places first");
        var similar = polygons.Where(p => p.Name.Contains(wanted, StringComparison.OrdinalIgnoreCase) || p.Id.Contains(wanted, StringComparison.OrdinalIgnoreCase)).ToList();
        var candidates = similar.Count > 0 ? similar : [.. polygons];
        var listed = string.Join("; ", candidates.Take(ListedChoices).Select(Describe)) + (candidates.Count > ListedChoices ? $" … and {candidates.Count - ListedChoices} more" : "");
        throw new StatsArgumentException(parameter,
            $"{option} '{wanted}' names no place with a boundary polygon (points such as villages cannot contain records); {(similar.Count > 0 ? "did you mean" : "places")}: {listed}");
    }

    private static string Describe(GazetteerPlace p) => $"{p.Id} {p.Name} ({p.Kind}{(p.ParentId is null ? "" : ", in " + p.ParentId)})";
}
