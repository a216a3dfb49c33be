using Groundtruth.Domain;

namespace Groundtruth.Domain.Tests;

public sealed class SnakeCaseTests
{
    [Theory]
    [InlineData(OrdnanceCategory.AntiPersonnelMine, "anti_personnel_mine")]
    [InlineData(OrdnanceCategory.Uxo, "uxo")]
    [InlineData(ActivityType.EodSpotTask, "eod_spot_task")]
    [InlineData(HazardStatus.HandedOver, "handed_over")]
    [InlineData(AccidentKind.MineErw, "mine_erw")]
    public void Of_SpellsEnumsAsTheFilesDo(object value, string text) => SnakeCase.From(value.ToString()!).ShouldBe(text);

    [Fact]
    public void TryParse_IgnoresCase_AndRefusesStrangers()
    {
        SnakeCase.TryParse<OrdnanceCategory>("Booby_Trap", out var v).ShouldBeTrue();
        v.ShouldBe(OrdnanceCategory.BoobyTrap);
        SnakeCase.TryParse<OrdnanceCategory>("BoobyTrap", out _).ShouldBeFalse();
        SnakeCase.TryParse<OrdnanceCategory>("3", out _).ShouldBeFalse();
    }

    [Fact]
    public void EveryEnumValue_RoundTrips()
    {
        foreach (var type in typeof(SnakeCase).Assembly.GetTypes().Where(t => t.IsEnum && t.IsPublic))
            foreach (var name in SnakeCase.Names(type))
            {
                SnakeCase.TryParse(type, name, out var value).ShouldBeTrue($"{type.Name}.{name}");
                SnakeCase.From(value!.ToString()!).ShouldBe(name);
            }
    }
}
