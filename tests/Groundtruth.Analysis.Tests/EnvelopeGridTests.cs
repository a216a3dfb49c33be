using Groundtruth.Analysis.Tests.Support;
using CsCheck;
using Groundtruth.Analysis.Spatial;
using NetTopologySuite.Geometries;

namespace Groundtruth.Analysis.Tests;

public sealed class EnvelopeGridTests
{
    /// <summary>Rectangles on a coarse grid of coordinates, so they often touch edge to edge or corner to corner.</summary>
    private static readonly Gen<Envelope> Rectangle =
        Gen.Select(Gen.Int[0, 100], Gen.Int[0, 100], Gen.Int[0, 30], Gen.Int[0, 30], Gen.Int[0, 20])
           .Select((x, y, w, h, empty) => empty == 0 ? new Envelope() : new Envelope(x / 4.0, (x + w) / 4.0, y / 4.0, (y + h) / 4.0));

    [Fact]
    public void Query_ReportsEveryRectangleThatMeetsTheQuery_OnceEach()
    {
        FixedSeeds.Check(Gen.Select(Rectangle.List[0, 300], Rectangle.List[1, 20]), pair =>
        {
            var (rectangles, queries) = pair;
            var grid = new EnvelopeGrid(rectangles);
            var found = new List<int>();
            foreach (var q in queries)
            {
                found.Clear();
                grid.Query(q, found);
                var expected = Enumerable.Range(0, rectangles.Count).Where(i => !q.IsNull && rectangles[i].Intersects(q)).ToList();
                if (!found.Order().SequenceEqual(expected)) return false;
            }
            return true;
        }, iter: 2_000);
    }
}
