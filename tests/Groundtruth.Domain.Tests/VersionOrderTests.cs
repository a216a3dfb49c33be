namespace Groundtruth.Domain.Tests;

public sealed class VersionOrderTests
{
    private static readonly DateTime Monday = new(2026, 1, 5, 9, 0, 0, DateTimeKind.Utc);

    [Theory]
    [InlineData("2024", "2024-01-01")]
    [InlineData("2024-01", "2024-01-01")]
    [InlineData("2024-01-01", "2024")]
    public void EqualStarts_TheLaterRecordedIsCurrent(string earlier, string later) =>
        VersionOrder.Of(later, Monday.AddHours(1), 1).ShouldBeGreaterThan(VersionOrder.Of(earlier, Monday, 2));

    [Theory]
    [InlineData("2024-01-02", "2024")]
    [InlineData("2025", "2024-12-31")]
    [InlineData("2024-02", "2024-01-31")]
    public void LaterStart_IsCurrent_HoweverLateTheOtherWasRecorded(string laterStart, string earlierStart) =>
        VersionOrder.Of(laterStart, Monday, 1).ShouldBeGreaterThan(VersionOrder.Of(earlierStart, Monday.AddYears(1), 2));

    [Fact]
    public void EqualStartAndRecordedTime_TheLaterWrittenIsCurrent() =>
        VersionOrder.Of("2024", Monday, 8).ShouldBeGreaterThan(VersionOrder.Of("2024-01-01", Monday, 7));

    [Fact]
    public void UnknownDate_IsEarliest() =>
        VersionOrder.Of(null, Monday.AddYears(5), 9).ShouldBeLessThan(VersionOrder.Of("1900", Monday, 1));

    [Theory]
    [InlineData("2024", "2024-01-01")]
    [InlineData("2024-03", "2024-03-01")]
    [InlineData("2024-03-09", "2024-03-09")]
    [InlineData(null, "")]
    public void StartKey_IsTheFirstDayAsSortableText(string? date, string key) => VersionOrder.StartKey(date).ShouldBe(key);

    [Fact]
    public void StartKey_SortsAsTheOrderDoes()
    {
        var random = new Random(22);
        for (var n = 0; n < 2000; n++)
        {
            string Draw()
            {
                var y = random.Next(2018, 2022);
                return random.Next(3) switch
                {
                    0 => $"{y:D4}",
                    1 => $"{y:D4}-{random.Next(1, 13):D2}",
                    _ => $"{y:D4}-{random.Next(1, 13):D2}-{random.Next(1, 29):D2}",
                };
            }
            var (a, b) = (Draw(), Draw());
            Math.Sign(string.CompareOrdinal(VersionOrder.StartKey(a), VersionOrder.StartKey(b)))
                .ShouldBe(Math.Sign(VersionOrder.Of(a, Monday, 1).Start.CompareTo(VersionOrder.Of(b, Monday, 1).Start)), $"{a} vs {b}");
        }
    }

    [Fact]
    public void Current_PicksTheGreatest()
    {
        var versions = new[] { ("2024-01-01", 1L), ("2024", 2L), ("2023-06", 3L) };
        VersionOrder.Current(versions, v => VersionOrder.Of(v.Item1, Monday.AddMinutes(v.Item2), v.Item2)).Item2.ShouldBe(2);
    }
}
