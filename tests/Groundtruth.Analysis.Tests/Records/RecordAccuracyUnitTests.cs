using Groundtruth.Analysis.Records;
using Groundtruth.Domain;
using NetTopologySuite.IO;

namespace Groundtruth.Analysis.Tests.Records;

public sealed class RecordAccuracyUnitTests
{
    private static readonly WKTReader Wkt = new();

    private static RecordInput Record(string id, string laid) =>
        new(id, "Party", Wkt.Read("POLYGON((-24.5 -31.1,-24.499 -31.1,-24.499 -31.099,-24.5 -31.099,-24.5 -31.1))"), 10, PartialDate.Parse(laid), null);

    private static AccidentInput Accident(string id, string when, double lon = -24.4995) =>
        new(id, lon, -31.0995, AccidentKind.MineErw, OrdnanceCategory.AntiPersonnelMine, PartialDate.Parse(when), 5);

    [Fact]
    public void AnAccidentBeforeAnyRecordWasLaid_IsExcluded_AndOneInsideARecordNotYetLaid_IsOutside()
    {
        var result = RecordAccuracy.Compute([Record("R1", "2010"), Record("R2", "2012")], [],
            [Accident("A-before", "2005-03-01"), Accident("A-between", "2011-03-01"), Accident("A-after", "2015-03-01")], [], new RecordAccuracyOptions());
        result.Exclusions.AccidentsBeforeLaying.ShouldBe(1);
        result.Accidents.ShouldBe(2);
        result.AccidentsOutsideRecords.ShouldBe(0, "R1 was laid by 2011");
        var onlyLater = RecordAccuracy.Compute([Record("R2", "2012")], [], [Accident("A-between", "2011-03-01"), Accident("A-after", "2015-03-01")], [], new RecordAccuracyOptions());
        onlyLater.Exclusions.AccidentsBeforeLaying.ShouldBe(1);
        onlyLater.AccidentsOutsideRecords.ShouldBe(0);
    }

    [Fact]
    public void Intervals_AreReproducibleForASeed_AndContainTheFigure()
    {
        var accidents = Enumerable.Range(0, 40).Select(i => Accident($"A{i}", "2015-03-01", i % 3 == 0 ? -24.4995 : -24.3)).ToList();
        var options = new RecordAccuracyOptions(Seed: 7);
        var a = RecordAccuracy.Compute([Record("R1", "2010")], [], accidents, [], options);
        var b = RecordAccuracy.Compute([Record("R1", "2010")], [], accidents, [], options);
        a.AccidentOutsideShareCi.ShouldBe(b.AccidentOutsideShareCi);
        a.AccidentOutsideShare!.Value.ShouldBe(26.0 / 40, 1e-12);
        a.AccidentOutsideShareCi![0].ShouldBeLessThanOrEqualTo(a.AccidentOutsideShare.Value);
        a.AccidentOutsideShareCi[1].ShouldBeGreaterThanOrEqualTo(a.AccidentOutsideShare.Value);
        // The 14 accidents inside R1 are one cluster: a resample that leaves it out puts every accident outside.
        a.AccidentOutsideShareCi[1].ShouldBe(1.0);
        a.AccidentOutsideShareCi[0].ShouldBeLessThan(0.6);
    }

    [Fact]
    public void NothingToScore_GivesNoRatesRatherThanZero()
    {
        var result = RecordAccuracy.Compute([], [], [], [], new RecordAccuracyOptions());
        result.RecordConfirmationRate.ShouldBeNull();
        result.FindCoverage.ShouldBeNull();
        result.AccidentOutsideShare.ShouldBeNull();
        result.RecordConfirmationRateCi.ShouldBeNull();
    }
}
