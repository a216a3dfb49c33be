using System.Globalization;
using Groundtruth.Web.Resources;

namespace Groundtruth.Web.Tests.Languages;

/// <summary>
/// Pages write a day as "7 Dec 2026" and a moment as "7 Dec 2026 04:24 UTC" in the request's language, in the
/// Gregorian calendar: never the US month/day order of English's short pattern beside "1 Jan 2026" on the same page.
/// </summary>
public sealed class UiDatesTests
{
    private static T In<T>(string culture, Func<T> write)
    {
        var (before, beforeUi) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(culture);
        try { return write(); }
        finally { (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = (before, beforeUi); }
    }

    [Fact]
    public void When_IsDayMonthYear_TwentyFourHourClock_InUtc()
    {
        In("en", () => Ui.When(new DateTime(2026, 12, 7, 16, 24, 59, DateTimeKind.Utc))).ShouldBe("7 Dec 2026 16:24 UTC");
        In("en", () => Ui.When(new DateTime(2026, 12, 7, 4, 24, 0, DateTimeKind.Utc))).ShouldBe("7 Dec 2026 04:24 UTC");
    }

    [Fact]
    public void Day_IsDayMonthYear()
    {
        In("en", () => Ui.Day(new DateOnly(2026, 12, 7))).ShouldBe("7 Dec 2026");
        In("fr", () => Ui.Day(new DateOnly(2026, 1, 1))).ShouldBe("1 " + CultureInfo.GetCultureInfo("fr").DateTimeFormat.AbbreviatedMonthGenitiveNames[0] + " 2026");
    }

    [Theory]
    [InlineData("ar")]
    [InlineData("ar-SA")]
    public void When_And_Day_AreGregorian_WhereTheCulturesCalendarIsAnother(string culture)
    {
        In(culture, () => Ui.Day(new DateOnly(2026, 12, 7))).ShouldEndWith("2026");
        In(culture, () => Ui.When(new DateTime(2026, 12, 7, 4, 24, 0, DateTimeKind.Utc))).ShouldEndWith("2026 04:24 UTC");
    }
}
