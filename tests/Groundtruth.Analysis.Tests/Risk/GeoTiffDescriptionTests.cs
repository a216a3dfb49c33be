using System.Text;
using Groundtruth.Analysis.Risk;

namespace Groundtruth.Analysis.Tests.Risk;

/// <summary>
/// Seen by a user reading a map with <c>gdalinfo</c>: TIFF's description tag holds ASCII only, and the characters beyond it were
/// dropped, so "trees − logistic +1.8 points" read "trees  logistic +1.8 points" and a negative figure lost its sign.
/// </summary>
public sealed class GeoTiffDescriptionTests
{
    [Theory]
    [InlineData("trees − logistic −1.8 points", "trees - logistic -1.8 points")]
    [InlineData("RESTRICTED — analysts and above", "RESTRICTED - analysts and above")]
    [InlineData("1461×1367 cells, 10–20%", "1461x1367 cells, 10-20%")]
    [InlineData("Zone dépolluée", "Zone depolluee")]
    [InlineData("the map’s model…", "the map's model...")]
    [InlineData("m² ≥ 5", "m2 >= 5")]
    [InlineData("نموذج", "?????")]
    public void AsciiText_KeepsSignsAndDashes(string text, string expected) => GeoTiff.AsciiText(text).ShouldBe(expected);

    [Fact]
    public void TheWrittenFile_CarriesTheMinusSign()
    {
        var grid = new RiskGrid(500_000, 6_000_000, 100, 2, 2, 32736);
        using var stream = new MemoryStream();
        GeoTiff.WriteFloat32(stream, grid, [0.1f, 0.2f, 0.3f, 0.4f], -9999, "trees − logistic −1.8 points");
        var text = Encoding.ASCII.GetString(stream.ToArray());
        text.ShouldContain("trees - logistic -1.8 points\0");
    }
}
