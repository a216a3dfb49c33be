using Groundtruth.Domain;

namespace Groundtruth.Domain.Tests;

public sealed class HazardStatusRulesTests
{
    [Theory]
    [InlineData(HazardStatus.Open, HazardStatus.WorkedOn)]
    [InlineData(HazardStatus.WorkedOn, HazardStatus.Closed)]
    [InlineData(HazardStatus.WorkedOn, HazardStatus.Open)]
    [InlineData(HazardStatus.Closed, HazardStatus.HandedOver)]
    [InlineData(HazardStatus.Closed, HazardStatus.Closed)]
    public void Allowed_WithoutAReason(HazardStatus from, HazardStatus to) => HazardStatusRules.Refusal(from, to, null).ShouldBeNull();

    [Fact]
    public void ClosingStraightFromOpen_NeedsACancellationBySurvey()
    {
        HazardStatusRules.Refusal(HazardStatus.Open, HazardStatus.Closed, "cancelled").ShouldNotBeNull().ShouldContain("IMAS 07.11");
        HazardStatusRules.Refusal(HazardStatus.Open, HazardStatus.Closed, null, cancelledBySurvey: true).ShouldBeNull();
        HazardStatusRules.Refusal(HazardStatus.WorkedOn, HazardStatus.Closed, null, cancelledBySurvey: false).ShouldBeNull();
    }

    [Theory]
    [InlineData(HazardStatus.Closed, HazardStatus.Open)]
    [InlineData(HazardStatus.HandedOver, HazardStatus.Open)]
    [InlineData(HazardStatus.HandedOver, HazardStatus.WorkedOn)]
    public void Reopening_NeedsAReason(HazardStatus from, HazardStatus to)
    {
        HazardStatusRules.Refusal(from, to, null).ShouldNotBeNull().ShouldContain("IMAS 08.30");
        HazardStatusRules.Refusal(from, to, "  ").ShouldNotBeNull();
        HazardStatusRules.Refusal(from, to, "AP mine found in cleared land").ShouldBeNull();
    }

    [Theory]
    [InlineData(HazardStatus.Open, HazardStatus.HandedOver)]
    [InlineData(HazardStatus.WorkedOn, HazardStatus.HandedOver)]
    [InlineData(HazardStatus.HandedOver, HazardStatus.Closed)]
    public void Refused(HazardStatus from, HazardStatus to) => HazardStatusRules.Refusal(from, to, "any reason").ShouldNotBeNull();

    [Fact]
    public void HazardousArea_GuardsItsStatus()
    {
        var area = new HazardousArea { Id = "H1" };
        area.InitialiseStatus(HazardStatus.Open);
        Should.Throw<InvalidOperationException>(() => area.ChangeStatus(HazardStatus.Closed, "cancelled"));
        area.Status.ShouldBe(HazardStatus.Open);
        area.ChangeStatus(HazardStatus.Closed, "cancelled by non-technical survey", cancelledBySurvey: true);
        area.Status.ShouldBe(HazardStatus.Closed);
        Should.Throw<InvalidOperationException>(() => area.ChangeStatus(HazardStatus.Open, null));
        area.Status.ShouldBe(HazardStatus.Closed);
        area.ChangeStatus(HazardStatus.Open, "find in released land");
        area.StatusReason.ShouldBe("find in released land");
    }

    [Fact]
    public void Confirm_TurnsSuspectedIntoConfirmed_OnlyOnce()
    {
        var area = new HazardousArea { Id = "H1", Classification = HazardClassification.Suspected };
        area.Confirm();
        area.Classification.ShouldBe(HazardClassification.Confirmed);
        var defined = new HazardousArea { Id = "H2", Classification = HazardClassification.Defined };
        defined.Confirm();
        defined.Classification.ShouldBe(HazardClassification.Defined);
    }
}
