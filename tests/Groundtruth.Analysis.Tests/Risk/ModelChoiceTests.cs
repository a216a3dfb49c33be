using Groundtruth.Analysis.Risk;

namespace Groundtruth.Analysis.Tests.Risk;

/// <summary>
/// The map's model is chosen on held-out land, first on the events lying beyond 2 km from every earlier find and accident
/// (land nobody had worked near), then, when the models hold as many of those, on all of them (ADR 44).
/// Each fold ranks 100 cells whose two distances (ln(1 + d / 250 m)) run 0, 0.05, … 4.95; the "logistic" score
/// ranks the nearest cells first, the "trees" score the cells around 3.0 (about 5 km) first.
/// </summary>
public sealed class ModelChoiceTests
{
    private const double ScaleM = 250;

    private static double Logistic(ReadOnlySpan<double> f) => -f[0];

    private static double Trees(ReadOnlySpan<double> f) => -Math.Abs(f[0] - 3.0);

    /// <summary>One training window; in every fold <paramref name="near"/> events at distance 0.2 and <paramref name="far"/> at <paramref name="farAt"/>, each fold its own block.</summary>
    private static RiskModel.ChoiceRows Rows(int near, int far, double farAt)
    {
        var folds = RiskCalibration.Folds;
        var cells = new double[1][][];
        var events = new List<(double[] Features, int Count, int Block)>[1][];
        cells[0] = new double[folds][];
        events[0] = new List<(double[], int, int)>[folds];
        for (var f = 0; f < folds; f++)
        {
            cells[0][f] = [.. Enumerable.Range(0, 100).SelectMany(i => new[] { i * 0.05, i * 0.05 })];
            events[0][f] = [.. Enumerable.Repeat<(double[], int, int)>(([0.2, 0.2], 1, f), near), .. Enumerable.Repeat<(double[], int, int)>(([farAt, farAt], 1, f), far)];
        }
        return new RiskModel.ChoiceRows { Windows = 1, Features = 2, Cells = cells, Events = events };
    }

    private static RiskCalibration.RowScore?[] Every(RiskCalibration.RowScore score) => [.. Enumerable.Repeat<RiskCalibration.RowScore?>(score, RiskCalibration.Folds)];

    [Fact]
    public void TheFarEventsDecide_EvenWhenTheNearOnesAreMore()
    {
        var choice = RiskModel.Choose(Rows(near: 8, far: 2, farAt: 3.0), Every(Logistic), Every(Trees), seed: 1, RiskModel.IsFar(ScaleM));
        // All events: the logistic model holds the 40 near ones (80%), the trees the 10 far ones (20%).
        choice.LogisticCapture!.Value.ShouldBe(0.8, 1e-12);
        choice.BoostedTreesCapture!.Value.ShouldBe(0.2, 1e-12);
        choice.FarEvents.ShouldBe(10);
        choice.FarLogisticCapture.ShouldBe(0);
        choice.FarBoostedTreesCapture.ShouldBe(1);
        choice.DecidedOnFar.ShouldBeTrue();
        choice.Chosen.ShouldBe("boosted_trees", choice.Reason);
        choice.Reason.ShouldContain("lying more than 2000 m from every find and accident known when their window began");
        choice.DifferenceInterval.ShouldBe([1.0, 1.0]);
    }

    [Fact]
    public void WhenBothHoldAsManyFarEvents_AllTheEventsDecide()
    {
        // Scorers swapped: the trees now rank the nearest cells first and hold the near events, so all the events pick the
        // trees. The far events at 4.9 lie in neither model's top 10%: a tie there, and the near ones decide.
        var choice = RiskModel.Choose(Rows(near: 8, far: 2, farAt: 4.9), Every(Trees), Every(Logistic), seed: 1, RiskModel.IsFar(ScaleM));
        choice.FarEvents.ShouldBe(10);
        choice.FarLogisticCapture.ShouldBe(choice.FarBoostedTreesCapture!.Value);
        choice.DecidedOnFar.ShouldBeFalse();
        choice.Chosen.ShouldBe("boosted_trees", choice.Reason);
        choice.Reason.ShouldContain("so all of them decide");
    }

    [Fact]
    public void WhenBothHoldAsMany_TheLogisticModelMaps_AsATie()
    {
        // Both scorers the same: every event in both top 10%s, far and near alike.
        var choice = RiskModel.Choose(Rows(near: 8, far: 2, farAt: 3.0), Every(Logistic), Every(Logistic), seed: 1, RiskModel.IsFar(ScaleM));
        choice.LogisticCapture.ShouldBe(choice.BoostedTreesCapture);
        choice.Tie.ShouldBeTrue();
        choice.Chosen.ShouldBe("logistic");
        choice.Reason.ShouldContain("neither model held more");

        // Not a tie when one holds more.
        RiskModel.Choose(Rows(near: 8, far: 2, farAt: 3.0), Every(Logistic), Every(Trees), seed: 1, RiskModel.IsFar(ScaleM)).Tie.ShouldBeFalse();
    }

    [Fact]
    public void AnEventExactly2KmFromTheNearest_IsNotFar()
    {
        // The layers' feature of a distance of 2000 m, in single precision as they compute it, at two distance scales.
        foreach (var scale in new[] { 250f, 125f })
        {
            var at = (double)MathF.Log(1 + 2000f / scale);
            var isFar = RiskModel.IsFar(scale);
            isFar([at, at]).ShouldBeFalse($"scale {scale}");
            isFar([at + 1e-6, at + 1e-6]).ShouldBeTrue($"scale {scale}");
            isFar([at + 1e-6, at]).ShouldBeFalse("far from past finds but 2 km from a past accident");
        }
    }

    [Fact]
    public void WithNoFarEvent_AllTheEventsDecide()
    {
        var choice = RiskModel.Choose(Rows(near: 8, far: 2, farAt: 2.0), Every(Trees), Every(Logistic), seed: 1, RiskModel.IsFar(ScaleM));
        // ln(1 + 2000 / 250) = 2.197: an event at 2.0 is not far.
        choice.FarEvents.ShouldBe(0);
        choice.FarLogisticCapture.ShouldBeNull();
        choice.DecidedOnFar.ShouldBeFalse();
        choice.Chosen.ShouldBe("boosted_trees", choice.Reason);
        choice.Reason.ShouldContain("none of them lay more than 2000 m");
    }

    [Fact]
    public void WhenTheRowsCannotTellFarEvents_TheReasonSaysSo()
    {
        // What the training passes when a --distance-cap at or below 2 km holds every distance: no far test.
        var choice = RiskModel.Choose(Rows(near: 8, far: 2, farAt: 3.0), Every(Logistic), Every(Trees), seed: 1, far: null);
        choice.FarEvents.ShouldBeNull();
        choice.DecidedOnFar.ShouldBeFalse();
        choice.Chosen.ShouldBe("logistic", choice.Reason);
        choice.Reason.ShouldContain("cannot be told apart");
    }
}
