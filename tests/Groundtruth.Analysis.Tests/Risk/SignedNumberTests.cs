using System.Globalization;
using Groundtruth.Analysis.Risk;

namespace Groundtruth.Analysis.Tests.Risk;

/// <summary>
/// Seen on the risk page (a contribution of −0.0000001 shown as "-+0.000", and again for negative zero, the contribution of a
/// layer held at 0 in a cell below its mean): a negative value that rounds to zero is
/// written as zero; every other value as the format writes it, sign included.
/// </summary>
public sealed class SignedNumberTests
{
    [Theory]
    [InlineData(-1e-7, "+0.000")]
    [InlineData(-0.0004, "+0.000")]
    [InlineData(0.0, "+0.000")]
    [InlineData(-0.0005001, "-0.001")]
    [InlineData(-0.25, "-0.250")]
    [InlineData(0.25, "+0.250")]
    [InlineData(1e-7, "+0.000")]
    public void Invariant_WritesANegativeThatRoundsToZero_AsZero(double value, string expected)
    {
        SignedNumber.Invariant(value).ShouldBe(expected);
        SignedNumber.Invariant(value).ShouldNotStartWith("-+");
    }

    [Fact]
    public void NegativeZero_IsWrittenAsZero()
    {
        var negativeZero = 0.0 * -1;
        double.IsNegative(negativeZero).ShouldBeTrue();
        negativeZero.ToString("+0.000;-0.000", CultureInfo.InvariantCulture).ShouldBe("-+0.000", "what .NET writes, and the page showed");
        SignedNumber.Invariant(negativeZero).ShouldBe("+0.000");
    }

    [Fact]
    public void Format_FollowsTheCulture_AndTheFormatGiven()
    {
        var french = CultureInfo.GetCultureInfo("fr-FR");
        SignedNumber.Format(-0.25, "+0.000;-0.000", french).ShouldBe((-0.25).ToString("+0.000;-0.000", french));
        SignedNumber.Format(-1e-9, "+0.000;-0.000", french).ShouldBe(0.0.ToString("+0.000;-0.000", french));
        SignedNumber.Format(-1234.5, "#,0.###", CultureInfo.InvariantCulture).ShouldBe("-1,234.5");
        SignedNumber.Format(-1e-9, "#,0.###", CultureInfo.InvariantCulture).ShouldBe("0");
    }
}
