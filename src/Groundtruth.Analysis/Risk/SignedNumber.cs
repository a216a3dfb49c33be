using System.Globalization;

namespace Groundtruth.Analysis.Risk;

/// <summary>
/// Signed figures (contributions, coefficients, differences) written with a format such as <c>+0.000;-0.000</c>.
/// .NET writes a negative value that rounds to zero as a negative zero in the FIRST section, minus sign included:
/// −0.0000001 becomes "-+0.000", and so does negative zero (a zero coefficient times a negative value, −0.0, which is
/// not below 0). Such a value is zero at the precision shown and is written as zero.
/// </summary>
public static class SignedNumber
{
    public static string Format(double value, string format, IFormatProvider provider)
    {
        if (double.IsNegative(value))
        {
            var zero = 0.0.ToString(format, provider);
            if (Math.Abs(value).ToString(format, provider) == zero) return zero;
        }
        return value.ToString(format, provider);
    }

    /// <summary>With the invariant culture (the command line's tables and the verdict's text).</summary>
    public static string Invariant(double value, string format = "+0.000;-0.000") => Format(value, format, CultureInfo.InvariantCulture);
}
