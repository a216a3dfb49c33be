using Groundtruth.Domain;

namespace Groundtruth.Domain.Tests;

public sealed class CasualtyAgeTests
{
    [Theory]
    [InlineData(0, AgeGroup.Child)]
    [InlineData(17, AgeGroup.Child)]
    [InlineData(18, AgeGroup.Adult)]
    [InlineData(90, AgeGroup.Adult)]
    public void GroupOf_FollowsLandmineMonitor(int age, AgeGroup group) => CasualtyAge.GroupOf(age).ShouldBe(group);

    [Fact]
    public void Resolve_PrefersTheAge_OverTheRecordedGroup()
    {
        CasualtyAge.Resolve(12, AgeGroup.Unknown).ShouldBe(AgeGroup.Child);
        CasualtyAge.Resolve(null, AgeGroup.Adult).ShouldBe(AgeGroup.Adult);
        CasualtyAge.Resolve(null, AgeGroup.Unknown).ShouldBe(AgeGroup.Unknown);
    }

    [Theory]
    [InlineData("2000-05-10", "2018-05-09", 17)]
    [InlineData("2000-05-10", "2018-05-10", 18)]
    [InlineData("2000-02-29", "2018-02-28", 17)]
    [InlineData("2000-05", "2018-07-01", 18)]
    [InlineData("2000", "2018-12-31", 18)]
    public void AgeAt_CountsWholeYears(string birth, string on, int age) =>
        CasualtyAge.AgeAt(PartialDate.Parse(birth), PartialDate.Parse(on)).ShouldBe(age);

    [Theory]
    [InlineData("2000-05", "2018-05-15")]
    [InlineData("2000", "2018-06-01")]
    [InlineData("2000-06-01", "2018")]
    public void AgeAt_IsUnknown_WhenThePeriodsLeaveItOpen(string birth, string on) =>
        CasualtyAge.AgeAt(PartialDate.Parse(birth), PartialDate.Parse(on)).ShouldBeNull();
}
