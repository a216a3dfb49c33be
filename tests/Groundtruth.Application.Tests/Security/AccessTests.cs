using Groundtruth.Application.Security;
using Groundtruth.Application.Users;

namespace Groundtruth.Application.Tests.Security;

/// <summary>The permissions of each rank and of the personal-data grant, against the table of DESIGN section 7 written out by hand.</summary>
public sealed class AccessTests
{
    // rank → aggregates only, records, pending, labelled exact, enter, decide, administer
    public static TheoryData<string?, bool, bool, bool, bool, bool, bool, bool> Ranks => new()
    {
        { null, true, false, false, false, false, false, false },
        { Roles.Viewer, true, false, false, false, false, false, false },
        { Roles.Analyst, false, true, true, false, false, false, false },
        { Roles.Editor, false, true, true, false, true, false, false },
        { Roles.Approver, false, true, true, true, true, true, false },
        { Roles.Administrator, false, true, true, true, true, true, true },
    };

    [Theory]
    [MemberData(nameof(Ranks))]
    public void Of_EachRank_GrantsWhatDesignSection7Says(string? rank, bool aggregatesOnly, bool records, bool pending, bool labelled, bool enter, bool decide, bool administer)
    {
        var access = Access.Of("someone", rank is null ? [] : [rank]);

        access.AggregatesOnly.ShouldBe(aggregatesOnly);
        access.MayReadRecords.ShouldBe(records);
        access.MayReadRefusalDetail.ShouldBe(records, "a refusal may name labelled records: analysts and above");
        access.MayReadPending.ShouldBe(pending);
        access.MaySeeLabelledRecords.ShouldBe(labelled);
        access.MayEnter.ShouldBe(enter);
        access.MayDecide.ShouldBe(decide);
        access.MayAdminister.ShouldBe(administer);
        access.MaySeePersonalDataReads.ShouldBe(administer);
        access.EntersPending(asked: false).ShouldBe(!decide, "an entry waits for approval unless its author may approve");
        access.EntersPending(asked: true).ShouldBeTrue();
        access.MayReadPersonalData.ShouldBeFalse("without the grant no rank reads personal data");
        access.MayWritePersonalData.ShouldBeFalse("without the grant no rank writes personal data");
    }

    [Theory]
    [InlineData(Roles.Viewer, false, false)]
    [InlineData(Roles.Analyst, true, false)]
    [InlineData(Roles.Editor, true, true)]
    [InlineData(Roles.Approver, true, true)]
    public void PersonalDataGrant_ReadsFromAnalyst_WritesFromEditor(string rank, bool read, bool write)
    {
        var access = Access.Of("keeper", [rank, Roles.PersonalData]);

        access.MayReadPersonalData.ShouldBe(read);
        access.MayWritePersonalData.ShouldBe(write);
    }

    [Fact]
    public void Of_SeveralRanks_TakesTheHighest_AndIgnoresUnknownRoles()
    {
        var access = Access.Of("both", [Roles.Editor, "king", Roles.Analyst]);

        access.Rank.ShouldBe(Roles.Editor);
        access.MayDecide.ShouldBeFalse();
    }

    [Fact]
    public void Full_MayDoEverything()
    {
        var cli = Access.Full();

        cli.MayAdminister.ShouldBeTrue();
        cli.MaySeeLabelledRecords.ShouldBeTrue();
        cli.MayWritePersonalData.ShouldBeTrue();
        cli.EntersPending(asked: false).ShouldBeFalse();
    }

    [Fact]
    public void Require_RefusesWithForbidden_NamingWhatAndWho()
    {
        var viewer = Access.Of("vera", [Roles.Viewer]);

        var e = Should.Throw<ForbiddenException>(() => viewer.Require(viewer.MayReadPending, "reading pending submissions"));

        e.Message.ShouldContain("reading pending submissions");
        e.Message.ShouldContain("vera");
        Should.NotThrow(() => Access.Full().Require(Access.Full().MayReadPending, "reading pending submissions"));
    }
}
