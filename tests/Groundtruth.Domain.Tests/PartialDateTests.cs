using Groundtruth.Domain;

namespace Groundtruth.Domain.Tests;

public sealed class PartialDateTests
{
    [Theory]
    [InlineData("2006", DatePrecision.Year, "2006-01-01", "2006-12-31")]
    [InlineData("2006-02", DatePrecision.Month, "2006-02-01", "2006-02-28")]
    [InlineData("2008-02", DatePrecision.Month, "2008-02-01", "2008-02-29")]
    [InlineData("2006-03-14", DatePrecision.Day, "2006-03-14", "2006-03-14")]
    [InlineData("2006-03-14T10:00:00", DatePrecision.Day, "2006-03-14", "2006-03-14")]
    public void Parse_KnowsThePeriodItStandsFor(string text, DatePrecision precision, string start, string end)
    {
        var d = PartialDate.Parse(text);
        d.Precision.ShouldBe(precision);
        d.Start.ShouldBe(DateOnly.Parse(start, System.Globalization.CultureInfo.InvariantCulture));
        d.End.ShouldBe(DateOnly.Parse(end, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("2006")]
    [InlineData("2006-03")]
    [InlineData("2006-03-04")]
    public void ToString_RoundTrips(string text) => PartialDate.Parse(text).ToString().ShouldBe(text);

    [Theory]
    [InlineData("")]
    [InlineData("06")]
    [InlineData("2006-3")]
    [InlineData("2006-13")]
    [InlineData("2006-02-30")]
    [InlineData("14/03/2006")]
    [InlineData("yesterday")]
    public void TryParse_RefusesWhatIsNotADate(string text) => PartialDate.TryParse(text, out _).ShouldBeFalse();

    [Fact]
    public void Window_CountsWholePeriodsInside_AndReportsStraddlers()
    {
        DateOnly from = new(2006, 3, 1), to = new(2006, 12, 31);
        PartialDate.Parse("2006-03").LiesWithin(from, to).ShouldBeTrue();
        PartialDate.Parse("2006").LiesWithin(from, to).ShouldBeFalse();
        PartialDate.Parse("2006").Straddles(from, to).ShouldBeTrue();
        PartialDate.Parse("2005").Straddles(from, to).ShouldBeFalse("wholly before the window");
        PartialDate.Parse("2006-12-31").LiesWithin(from, to).ShouldBeTrue("--to is inclusive");
        PartialDate.Parse("2007-01-01").LiesWithin(from, null).ShouldBeTrue("an open end");
    }

    [Fact]
    public void Ordering_IsByStartThenPrecision()
    {
        PartialDate.Parse("2006").ShouldBeLessThan(PartialDate.Parse("2006-01"));
        PartialDate.Parse("2006-01").ShouldBeLessThan(PartialDate.Parse("2006-01-01"));
        PartialDate.Parse("2005-12-31").ShouldBeLessThan(PartialDate.Parse("2006"));
    }
}
