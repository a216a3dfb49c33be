using Groundtruth.Domain;

namespace Groundtruth.Analysis.Statistics;

/// <summary>How much a data-quality finding matters: an error makes figures wrong; a warning may; information is for the record.</summary>
public enum FindingSeverity { Error, Warning, Information }

/// <summary>One thing the data-quality report found, naming the records involved.</summary>
public sealed record QualityFinding(string Dataset, IReadOnlyList<string> RecordIds, string Message);

/// <summary>A find as the duplicate rule sees it.</summary>
public readonly record struct FindPoint(string Id, string Category, string? Model, int Quantity, int Day, double Lon, double Lat, string? Source);

/// <summary>A casualty as the duplicate rule sees it.</summary>
/// <param name="Place">What ties reports of one event together: the accident id, or the date and the point rounded to about 100 m.</param>
public readonly record struct CasualtyKey(string Id, string Place, string Sex, int? Age, string Status, string? Source);

/// <summary>One recorded version of a casualty's outcome: when it was recorded and the date of information it carries.</summary>
public readonly record struct OutcomeVersion(string RecordId, long Version, PartialDate? DateOfInformation, string Outcome);

/// <summary>
/// The pure rules of <c>groundtruth check</c>: they report, they never change the data. Each returns the
/// findings with the ids of the records involved, so a person can look and decide.
/// </summary>
public static class QualityRules
{
    /// <summary>Two finds closer than this (metres) may be one device.</summary>
    public const double SameDeviceMetres = 2;
    /// <summary>… when found within this many days of each other (report, verification, destruction).</summary>
    public const int SameDeviceDays = 30;
    /// <summary>Mines in one find from this many up are probably a cache, not a minefield.</summary>
    public const int CacheQuantity = 20;

    private static readonly HashSet<string> MineCategories = new(StringComparer.Ordinal)
        { "anti_personnel_mine", "anti_vehicle_mine", "improvised_mine", "unspecified_mine" };

    /// <summary>
    /// The same device reported, verified and destroyed as several finds: same category, model and
    /// quantity, points within <see cref="SameDeviceMetres"/> and dates within <see cref="SameDeviceDays"/>.
    /// </summary>
    public static List<QualityFinding> DuplicateFinds(IReadOnlyList<FindPoint> finds)
    {
        const double metresPerDegree = 111_320;
        var cellLat = SameDeviceMetres / metresPerDegree;
        // Finds of one device share category, model and quantity: each such kind is numbered once, so cells compare as
        // numbers, not strings (issue 11: a million finds at national scale).
        var kinds = new Dictionary<(string, string?, int), int>();
        // One cell width in longitude for every find, wide enough at the finds' highest latitude: two finds within
        // the distance then always lie in neighbouring cells (cells sized by each find's own latitude missed pairs,
        // more so towards the poles).
        var widest = 0.0;
        foreach (var f in finds) if (!double.IsNaN(f.Lat)) widest = Math.Max(widest, Math.Abs(f.Lat));
        var cellLon = cellLat / Math.Max(Math.Cos(widest * Math.PI / 180), 0.01);
        var parent = Enumerable.Range(0, finds.Count).ToArray();
        int Root(int i)
        {
            while (parent[i] != i) i = parent[i] = parent[parent[i]];
            return i;
        }
        // The finds sorted by kind, then cell row, then cell column: each cell's finds are one run, and the three cells
        // of the next row that touch it follow in order, so one pass compares every pair of neighbouring cells once
        // (the cell itself, the next in its row, the three below) — no hashed grid, whose random reads were most of the
        // rule's time at a million finds. A pair's distance takes the cosine of the later find's latitude (by input
        // order), as every pair compared directly does (DuplicateFindsTests).
        var cells = new List<FindCell>(finds.Count);
        for (var i = 0; i < finds.Count; i++)
        {
            var f = finds[i];
            if (double.IsNaN(f.Lon) || double.IsNaN(f.Lat)) continue;
            if (!kinds.TryGetValue((f.Category, f.Model, f.Quantity), out var kind)) kinds[(f.Category, f.Model, f.Quantity)] = kind = kinds.Count;
            cells.Add(new FindCell(kind, Cell(f.Lat / cellLat), Cell(f.Lon / cellLon), i));
        }
        var sorted = cells.ToArray();
        Array.Sort(sorted);
        void Join(int a, int b)
        {
            var (f, g) = a > b ? (finds[a], finds[b]) : (finds[b], finds[a]);
            if (Math.Abs(g.Day - f.Day) > SameDeviceDays) return;
            var cosLat = Math.Max(Math.Cos(f.Lat * Math.PI / 180), 0.01);
            var ex = (g.Lon - f.Lon) * metresPerDegree * cosLat;
            var ey = (g.Lat - f.Lat) * metresPerDegree;
            if (ex * ex + ey * ey <= SameDeviceMetres * SameDeviceMetres) parent[Root(a)] = Root(b);
        }
        void JoinRuns(int from, int to, int otherFrom, int otherTo)
        {
            for (var p = from; p < to; p++)
                for (var q = otherFrom; q < otherTo; q++) Join(sorted[p].Index, sorted[q].Index);
        }
        int RunEnd(int start)
        {
            var end = start + 1;
            while (end < sorted.Length && sorted[end].SameCell(sorted[start])) end++;
            return end;
        }
        var below = 0;
        for (var start = 0; start < sorted.Length;)
        {
            var cell = sorted[start];
            var end = RunEnd(start);
            for (var p = start; p < end; p++)
                for (var q = p + 1; q < end; q++) Join(sorted[p].Index, sorted[q].Index);
            if (end < sorted.Length && sorted[end].Kind == cell.Kind && sorted[end].Row == cell.Row && sorted[end].Column == cell.Column + 1)
                JoinRuns(start, end, end, RunEnd(end));
            // The row below, columns one left to one right: after the cursor, which only moves forward.
            var first = cell with { Row = cell.Row + 1, Column = cell.Column - 1 };
            var last = cell with { Row = cell.Row + 1, Column = cell.Column + 1 };
            below = Math.Max(below, end);
            while (below < sorted.Length && sorted[below].CompareCell(first) < 0) below++;
            for (var q = below; q < sorted.Length && sorted[q].CompareCell(last) <= 0;)
            {
                var qEnd = RunEnd(q);
                JoinRuns(start, end, q, qEnd);
                q = qEnd;
            }
            start = end;
        }
        // Only finds joined to another form a group: most are alone, so they are counted, not grouped.
        var size = new int[finds.Count];
        for (var i = 0; i < finds.Count; i++) size[Root(i)]++;
        var groups = new Dictionary<int, List<FindPoint>>();
        for (var i = 0; i < finds.Count; i++)
        {
            var root = Root(i);
            if (size[root] < 2) continue;
            if (!groups.TryGetValue(root, out var members)) groups[root] = members = [];
            members.Add(finds[i]);
        }
        return [.. groups.Values
            .Select(g => g.OrderBy(f => f.Day).ThenBy(f => f.Id, StringComparer.Ordinal).ToList())
            .OrderBy(g => g[0].Id, StringComparer.Ordinal)
            .Select(g => new QualityFinding("finds", [.. g.Select(f => f.Id)],
                $"{g.Count} finds of {g[0].Quantity} {g[0].Model ?? g[0].Category} within {SameDeviceMetres:0} m and {SameDeviceDays} days: likely one device reported, verified and destroyed, counted {g.Count} times"))];
    }

    /// <summary>Mine finds of <see cref="CacheQuantity"/> or more devices not marked cached: likely a depot counted as laid.</summary>
    public static List<QualityFinding> CachedCountedAsLaid(IEnumerable<(string Id, string Category, int Quantity, string Emplacement)> finds) =>
        [.. finds.Where(f => MineCategories.Contains(f.Category) && f.Quantity >= CacheQuantity && f.Emplacement != "cached")
            .Select(f => new QualityFinding("finds", [f.Id],
                $"{f.Quantity} {f.Category} in one find, emplacement {f.Emplacement}: a cache of mines is not mines laid; mark it cached if it was a depot"))];

    /// <summary>
    /// One person reported by several sources: casualties of the same event with the same known sex,
    /// age and status. A person reported by several sources is one casualty linked to all of them.
    /// </summary>
    public static List<QualityFinding> DuplicateCasualties(IEnumerable<CasualtyKey> casualties) =>
        [.. casualties.Where(c => c.Sex != "unknown" && c.Age is not null)
            .GroupBy(c => (c.Place, c.Sex, c.Age, c.Status))
            .Where(g => g.Count() > 1)
            .Select(g => g.OrderBy(c => c.Id, StringComparer.Ordinal).ToList())
            .OrderBy(g => g[0].Id, StringComparer.Ordinal)
            .Select(g =>
            {
                var sources = g.Select(c => c.Source ?? "no source").Distinct().ToList();
                var how = sources.Count > 1 ? $"reported by {string.Join(", ", sources)}" : $"all from {sources[0]}";
                return new QualityFinding("casualties", [.. g.Select(c => c.Id)],
                    $"{g.Count} casualties of one event, {g[0].Sex}, aged {g[0].Age}, {g[0].Status}, {how}: likely one person recorded {g.Count} times");
            })];

    /// <summary>A casualty recorded killed and later injured, or whose death is dated before an injury.</summary>
    public static List<QualityFinding> DeathBeforeInjury(IEnumerable<OutcomeVersion> versions)
    {
        var findings = new List<QualityFinding>();
        foreach (var record in versions.GroupBy(v => v.RecordId).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var ordered = record.OrderBy(v => v.Version).ToList();
            var killedAt = ordered.FindIndex(v => v.Outcome == "killed");
            if (killedAt < 0) continue;
            var injuredLater = ordered.Skip(killedAt + 1).Any(v => v.Outcome == "injured");
            var killedDate = ordered.Where(v => v.Outcome == "killed" && v.DateOfInformation is not null).Select(v => v.DateOfInformation!.Value).DefaultIfEmpty().Min();
            var injuryAfter = ordered.Where(v => v.Outcome == "injured" && v.DateOfInformation is { } d && killedDate != default && d.Start > killedDate.End).ToList();
            if (injuredLater)
                findings.Add(new QualityFinding("casualties", [record.Key], "recorded killed, then injured in a later version: a death is recorded before an injury"));
            else if (injuryAfter.Count > 0)
                findings.Add(new QualityFinding("casualties", [record.Key], $"the death is dated {killedDate}, before the injury dated {injuryAfter[0].DateOfInformation}"));
        }
        return findings;
    }

    /// <summary>
    /// The grid cell of a coordinate in cells, kept far from the ends of <see cref="long"/> (an infinite or absurd
    /// coordinate lands in the last cell, and its neighbours' numbers do not wrap): two finds within a cell of each other
    /// stay within a cell of each other, and the distance itself decides.
    /// </summary>
    private static long Cell(double cells) => (long)Math.Clamp(Math.Floor(cells), -(double)(1L << 60), 1L << 60);

    /// <summary>A find's grid cell (kind, row, column) and its place in the input; ordered by cell, then by place.</summary>
    private readonly record struct FindCell(int Kind, long Row, long Column, int Index) : IComparable<FindCell>
    {
        public bool SameCell(FindCell other) => Kind == other.Kind && Row == other.Row && Column == other.Column;

        public int CompareCell(FindCell other)
        {
            var c = Kind.CompareTo(other.Kind);
            if (c == 0) c = Row.CompareTo(other.Row);
            return c != 0 ? c : Column.CompareTo(other.Column);
        }

        public int CompareTo(FindCell other) => CompareCell(other) is var c && c != 0 ? c : Index.CompareTo(other.Index);
    }
}
