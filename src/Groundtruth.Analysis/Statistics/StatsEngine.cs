namespace Groundtruth.Analysis.Statistics;

/// <summary>One <c>--where FIELD=VALUE</c>: the records whose field holds one of <see cref="Codes"/> pass.</summary>
/// <param name="Value">The value as the user means it (canonical spelling), for reports.</param>
public sealed record StatsFilter(StatsColumn Column, IReadOnlyList<int> Codes, string Value)
{
    /// <summary>True when the filter selects the unknowns themselves (then it leaves none out).</summary>
    public bool SelectsUnknown => Codes.Contains(0);
}

/// <summary>What to count.</summary>
/// <param name="From">First day of the window (inclusive), or none.</param>
/// <param name="To">Last day of the window (inclusive), or none.</param>
/// <param name="Inside">Per record, whether its point lies in the <c>--in</c> place (from the spatial join); null: everywhere.</param>
/// <param name="By">The fields to group by, in order.</param>
/// <param name="SuppressSmallCells">Viewer mode (DESIGN section 7): hide figures from 1 to <see cref="StatsEngine.SmallCell"/> - 1.</param>
public sealed record StatsSelection(
    DateOnly? From,
    DateOnly? To,
    IReadOnlyList<StatsFilter> Where,
    bool[]? Inside,
    IReadOnlyList<StatsColumn> By,
    bool SuppressSmallCells = false);

/// <summary>One row of a grouped figure.</summary>
/// <param name="Values">The group's value of each <c>--by</c> field (<c>unknown</c> included).</param>
/// <param name="Labels">A label per value where the value is an id (a place's name), else null entries.</param>
/// <param name="Count">Records (devices, for finds); null when suppressed.</param>
/// <param name="Records">Rows counted (finds); null when suppressed.</param>
/// <param name="ShareOfKnown">Count ÷ the total of records known on every <c>--by</c> field; null for a group with an unknown value, or suppressed.</param>
/// <param name="Suppressed">Hidden from a viewer: a small cell (1 to <see cref="StatsEngine.SmallCell"/> - 1), or one hidden beside it (<paramref name="Complementary"/>).</param>
/// <param name="Complementary">
/// Hidden though not small (complementary suppression): the next smallest group, hidden so that the one small group
/// cannot be worked out from the total by subtraction. Its count may be large; only a group that is suppressed and
/// not complementary is known to be below <see cref="StatsEngine.SmallCell"/>.
/// </param>
public sealed record StatsGroup(IReadOnlyList<string> Values, IReadOnlyList<string?> Labels, long? Count, long? Records, double? ShareOfKnown, bool Suppressed, bool Complementary = false);

/// <summary>The known and unknown totals of one <c>--by</c> field.</summary>
public sealed record StatsFieldTotals(string Field, long? Known, long? Unknown);

/// <summary>The figures: totals, exclusions beside them, groups that add up to the total.</summary>
/// <param name="Total">Records (devices, for finds) that pass every filter with their whole date inside the window.</param>
/// <param name="Records">Rows behind <see cref="Total"/> (differs from it for finds).</param>
/// <param name="Straddling">Records that pass every filter but whose date period straddles an edge of the window: counted beside, not in.</param>
/// <param name="Undated">Records with no date at all, when a window is set: counted beside, not in.</param>
/// <param name="LeftOutByWhere">Per <c>--where</c>, records that pass every other filter but whose value of that field is unknown.</param>
/// <param name="KnownOnEveryField">The total of records known on every <c>--by</c> field: the denominator of <see cref="StatsGroup.ShareOfKnown"/>.</param>
public sealed record StatsFigures(
    long? Total,
    long? Records,
    long? Straddling,
    long? StraddlingRecords,
    long? Undated,
    IReadOnlyList<long?> LeftOutByWhere,
    IReadOnlyList<StatsFieldTotals> Fields,
    long? KnownOnEveryField,
    IReadOnlyList<StatsGroup> Groups,
    bool SmallCellsSuppressed);

/// <summary>
/// Counts records by published definitions (DESIGN sections 3 and 5): a record counts in a window only
/// when its whole date period lies inside it; those that straddle an edge are counted beside; every
/// share is of the records where the attribute is known, the unknowns reported beside it; groups,
/// the unknown group included, add up to the total.
/// </summary>
public static class StatsEngine
{
    /// <summary>Viewer mode hides figures below this (DESIGN section 7: cells of fewer than 5).</summary>
    public const int SmallCell = 5;

    private const long DenseKeyLimit = 1 << 22;

    public static StatsFigures Compute(StatsTable table, StatsSelection selection)
    {
        var n = table.Count;
        if (selection.Inside is { } inside && inside.Length != n) throw new ArgumentException("one inside flag per record is needed", nameof(selection));
        var where = selection.Where;
        var accept = new bool[where.Count][];
        var whereCodes = new int[where.Count][];
        for (var j = 0; j < where.Count; j++)
        {
            accept[j] = new bool[where[j].Column.Values.Length];
            foreach (var c in where[j].Codes) accept[j][c] = true;
            whereCodes[j] = where[j].Column.Codes;
        }
        var by = selection.By;
        var byCodes = by.Select(c => c.Codes).ToArray();
        var radix = by.Select(c => (long)c.Values.Length).ToArray();
        long keySpace = 1;
        foreach (var r in radix) keySpace = keySpace > DenseKeyLimit ? keySpace : keySpace * r;
        // Many grouping fields can make the packed key overflow a long: group by the codes themselves then.
        var wide = false;
        long product = 1;
        foreach (var r in radix)
        {
            if (product > long.MaxValue / Math.Max(r, 1)) { wide = true; break; }
            product *= r;
        }
        var wideGroups = wide ? new Dictionary<string, (long Count, long Records, int[] Codes)>(StringComparer.Ordinal) : null;
        var dense = !wide && keySpace <= DenseKeyLimit;
        var denseCounts = dense ? new long[keySpace] : null;
        var denseRecords = dense ? new long[keySpace] : null;
        var sparse = dense ? null : new Dictionary<long, (long Count, long Records)>();
        var known = new long[by.Count];
        long knownAll = 0;

        var windowed = selection.From is not null || selection.To is not null;
        var from = selection.From?.DayNumber ?? int.MinValue;
        var to = selection.To?.DayNumber ?? int.MaxValue;
        var starts = table.DateStart;
        var ends = table.DateEnd;
        var weights = table.Weight;
        var rows = table.Rows;
        var insideMask = selection.Inside;
        long total = 0, records = 0, straddling = 0, straddlingRecords = 0, undated = 0;
        var leftOut = new long[where.Count];

        for (var i = 0; i < n; i++)
        {
            if (insideMask is not null && !insideMask[i]) continue;
            var failed = -1;
            var failures = 0;
            for (var j = 0; j < accept.Length; j++)
            {
                if (accept[j][whereCodes[j][i]]) continue;
                failed = j;
                if (++failures > 1) break;
            }
            if (failures > 1) continue;
            var w = weights?[i] ?? 1;
            // 0: inside the window, 1: straddling an edge, 2: outside, 3: undated.
            var state = 0;
            if (windowed)
            {
                var s = starts[i];
                var e = ends[i];
                state = s == StatsTable.Undated ? 3 : s >= from && e <= to ? 0 : e >= from && s <= to ? 1 : 2;
            }
            if (failures == 1)
            {
                if (state == 0 && whereCodes[failed][i] == 0) leftOut[failed] += w;
                continue;
            }
            switch (state)
            {
                case 1:
                    straddling += w;
                    straddlingRecords += rows?[i] ?? 1;
                    continue;
                case 2:
                    continue;
                case 3:
                    undated += w;
                    continue;
            }
            total += w;
            var rowCount = rows?[i] ?? 1;
            records += rowCount;
            long key = 0;
            var allKnown = true;
            for (var k = 0; k < byCodes.Length; k++)
            {
                var code = byCodes[k][i];
                key = key * radix[k] + code;
                if (code != 0) known[k] += w;
                else allKnown = false;
            }
            if (allKnown) knownAll += w;
            if (wide)
            {
                var codes = new int[byCodes.Length];
                for (var k = 0; k < byCodes.Length; k++) codes[k] = byCodes[k][i];
                var text = string.Join(',', codes);
                var entry = wideGroups!.TryGetValue(text, out var e) ? e : (0, 0, codes);
                wideGroups[text] = (entry.Count + w, entry.Records + rowCount, entry.Codes);
            }
            else if (dense)
            {
                denseCounts![key] += w;
                denseRecords![key] += rowCount;
            }
            else
            {
                ref var slot = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(sparse!, key, out _);
                slot = (slot.Count + w, slot.Records + rowCount);
            }
        }

        var keys = new List<(long Key, long Count, long Records)>();
        if (dense)
        {
            for (long k = 0; k < keySpace; k++) if (denseRecords![k] > 0) keys.Add((k, denseCounts![k], denseRecords[k]));
        }
        else if (!wide)
        {
            foreach (var (k, v) in sparse!) keys.Add((k, v.Count, v.Records));
        }
        var groups = new List<(int[] Codes, long Count, long Records)>(keys.Count);
        if (wide) groups.AddRange(wideGroups!.Values.Select(v => (v.Codes, v.Count, v.Records)));
        foreach (var (key, count, recs) in keys)
        {
            var codes = new int[by.Count];
            var rest = key;
            for (var k = by.Count - 1; k >= 0; k--)
            {
                codes[k] = (int)(rest % radix[k]);
                rest /= radix[k];
            }
            groups.Add((codes, count, recs));
        }
        // Display order: by each field's value order, unknown last.
        groups.Sort((a, b) =>
        {
            for (var k = 0; k < a.Codes.Length; k++)
            {
                var x = a.Codes[k] == 0 ? int.MaxValue : a.Codes[k];
                var y = b.Codes[k] == 0 ? int.MaxValue : b.Codes[k];
                if (x != y) return x.CompareTo(y);
            }
            return 0;
        });

        var suppress = selection.SuppressSmallCells;
        var hidden = new bool[groups.Count];
        var complementary = new bool[groups.Count];
        // Every figure a viewer receives is suppressed below the small-cell size, with or without grouping (DESIGN section 7).
        if (suppress)
        {
            for (var g = 0; g < groups.Count; g++) hidden[g] = groups[g].Count < SmallCell;
            // One hidden cell could be recovered from the total by subtraction: hide the next smallest too.
            if (hidden.Count(h => h) == 1 && groups.Count > 1)
            {
                var next = Enumerable.Range(0, groups.Count).Where(g => !hidden[g]).MinBy(g => groups[g].Count);
                hidden[next] = complementary[next] = true;
            }
        }
        long? Shown(long v) => suppress && v is > 0 and < SmallCell ? null : v;
        var result = new List<StatsGroup>(groups.Count);
        for (var g = 0; g < groups.Count; g++)
        {
            var (codes, count, recs) = groups[g];
            var values = new string[codes.Length];
            var labels = new string?[codes.Length];
            for (var k = 0; k < codes.Length; k++)
            {
                values[k] = by[k].Values[codes[k]];
                labels[k] = by[k].Labels?[codes[k]];
            }
            double? share = codes.All(c => c != 0) && knownAll > 0 ? (double)count / knownAll : null;
            result.Add(hidden[g]
                ? new StatsGroup(values, labels, null, null, null, true, complementary[g])
                : new StatsGroup(values, labels, count, Shown(recs), share, false));
        }
        var fields = by.Select((c, k) => new StatsFieldTotals(c.Name, Shown(known[k]), Shown(total - known[k]))).ToList();
        return new StatsFigures(
            Shown(total), Shown(records), Shown(straddling), Shown(straddlingRecords), windowed ? Shown(undated) : 0,
            [.. leftOut.Select(Shown)], fields, Shown(knownAll), result, suppress);
    }
}
