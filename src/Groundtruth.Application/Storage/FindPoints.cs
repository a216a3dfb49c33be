using Groundtruth.Analysis.Records;
using Groundtruth.Domain;
using Microsoft.EntityFrameworkCore;

namespace Groundtruth.Application.Storage;

/// <summary>
/// Every find with a point, as the analyses take them (<see cref="FindInput"/>): a million rows at national scale,
/// read in the order and from the table (or history shadow) the EF query would read, without EF's per-row
/// materialisation (<see cref="RawRows"/>).
/// </summary>
/// <remarks>
/// Each distinct category, emplacement and date text is parsed once. A test compares the rows with the EF query's on
/// both backends (issue 11: reading the finds was a third of the time of every analysis that uses them).
/// </remarks>
public static class FindPoints
{
    /// <summary>Every find with a point, its id read or not.</summary>
    /// <param name="withIds">False: every find's id is left empty, not read (an analysis that never names a find and whose
    /// figures do not depend on the finds' order — the risk model — is spared a million strings).</param>
    public static Task<List<FindInput>> ReadAsync(GroundtruthDbContext db, bool withIds, CancellationToken ct) => ReadAsync(db, Query(db), withIds, ct);

    /// <summary>Every find with its id.</summary>
    public static Task<List<FindInput>> ReadAsync(GroundtruthDbContext db, CancellationToken ct) => ReadAsync(db, true, ct);

    private static Task<List<FindInput>> ReadAsync(GroundtruthDbContext db, IQueryable<FindRow> query, bool withIds, CancellationToken ct)
    {
        var categories = new ParsedText<OrdnanceCategory>(SnakeCase.Parse<OrdnanceCategory>);
        var emplacements = new ParsedText<Emplacement>(SnakeCase.Parse<Emplacement>);
        var dates = new ParsedText<PartialDate>(PartialDate.Parse);
        return RawRows.ReadAsync(db, query, r => r.IsDBNull(1) || r.IsDBNull(2) ? null
            : new FindInput(withIds ? r.GetString(0) : "", r.GetDouble(1), r.GetDouble(2), r.GetInt32(3), r.GetParsed(4, categories), r.GetParsed(5, emplacements), r.GetParsed(6, dates)), ct);
    }

    /// <summary>
    /// The current finds (the layer table, not a history shadow), read beside whatever <paramref name="db"/> does next: the
    /// rows <see cref="ReadAsync"/> gives, in its order. On the GeoPackage the table is read in two halves of its feature ids,
    /// each on a connection of its own, side by side (issue 16: at scale 500 the million finds were the last of the risk
    /// map's reads to end, 1.5 s after the others); on PostgreSQL in one read on another connection.
    /// </summary>
    public static Task<List<FindInput>> ReadBesideAsync(GroundtruthDbContext db, CancellationToken ct) => ReadBesideAsync(db, true, ct);

    /// <summary>The same, the ids read or not as <see cref="ReadAsync(GroundtruthDbContext, bool, CancellationToken)"/> says.</summary>
    public static Task<List<FindInput>> ReadBesideAsync(GroundtruthDbContext db, bool withIds, CancellationToken ct)
    {
        if (!db.IsSqlite) return db.ReadBesideAsync(other => ReadAsync(other, withIds, ct), ct);
        // Both contexts are made here, on the caller's thread (GroundtruthDbContext.ReadBesideAsync says why).
        var first = db.Sibling();
        var second = db.Sibling();
        return Task.Run(async () =>
        {
            await using (first)
            await using (second)
            {
                await first.Database.OpenConnectionAsync(ct);
                // The GeoPackage's feature id is SQLite's rowid: a scan reads in its order, so the lower half then the upper
                // is the order of the whole table. The middle is written into the SQL (a constant): RawRows runs EF's SQL text.
                var last = await first.Finds.Select(x => (long?)EF.Property<long>(x, "Fid")).MaxAsync(ct) ?? 0;
                var middle = last / 2;
                var upper = Task.Run(async () =>
                {
                    await second.Database.OpenConnectionAsync(ct);
                    return await ReadAsync(second, Query(second, x => EF.Property<long>(x, "Fid") > EF.Constant(middle)), withIds, ct);
                }, CancellationToken.None);
                List<FindInput> lower;
                try
                {
                    lower = await ReadAsync(first, Query(first, x => EF.Property<long>(x, "Fid") <= EF.Constant(middle)), withIds, ct);
                }
                catch
                {
                    // The upper half's context is disposed only once its read has ended.
                    await Task.WhenAny(upper);
                    throw;
                }
                lower.AddRange(await upper);
                return lower;
            }
        }, CancellationToken.None);
    }

    /// <summary>The typed query whose SQL <see cref="ReadAsync"/> runs, in its column order: id, lon, lat, quantity, category, emplacement, found on.</summary>
    public static IQueryable<FindRow> Query(GroundtruthDbContext db) => Query(db, null);

    private static IQueryable<FindRow> Query(GroundtruthDbContext db, System.Linq.Expressions.Expression<Func<ExplosiveOrdnanceFind, bool>>? where) =>
        (where is null ? db.Finds.AsNoTracking() : db.Finds.AsNoTracking().Where(where))
            .Select(x => new FindRow(x.Id, EF.Property<double?>(x, "min_x"), EF.Property<double?>(x, "min_y"), x.Quantity, x.Category, x.Emplacement, x.FoundOn));

    /// <summary>One row of <see cref="Query"/>.</summary>
    public sealed record FindRow(string Id, double? Lon, double? Lat, int Quantity, OrdnanceCategory Category, Emplacement Emplacement, PartialDate FoundOn);
}
