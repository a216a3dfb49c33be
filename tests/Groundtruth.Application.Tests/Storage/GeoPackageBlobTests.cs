using Groundtruth.Application.Storage;
using Groundtruth.Domain;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace Groundtruth.Application.Tests.Storage;

/// <summary>
/// <see cref="GeoPackageBlob.Read"/> skips the GeoPackage header itself and reads the well-known binary with one set
/// of geometry services: it must give what NetTopologySuite's <see cref="GeoPackageGeoReader"/> gives (then WGS84
/// set on every part), to the bit, for every kind of geometry, with and without an envelope in the header.
/// </summary>
public sealed class GeoPackageBlobTests
{
    private static readonly WKTReader Wkt = new();

    public static TheoryData<string> Shapes() =>
    [
        "POINT (-20.123456789012345 -40.98765432109876)",
        "POINT EMPTY",
        "LINESTRING (-20 -40, -20.5 -40.25, -21.000000000000004 -40.1)",
        "POLYGON ((-20 -40, -20 -41, -21 -41, -21 -40, -20 -40), (-20.2 -40.2, -20.8 -40.2, -20.8 -40.8, -20.2 -40.2))",
        "MULTIPOLYGON (((-20 -40, -20 -41, -21 -41, -20 -40)), ((-22 -40, -22 -41, -23 -41, -22 -40), (-22.1 -40.5, -22.2 -40.6, -22.15 -40.7, -22.1 -40.5)))",
        "MULTILINESTRING ((-20 -40, -21 -41), (-22 -42, -23 -43, -24 -42))",
        "MULTIPOINT ((-20 -40), (-21 -41))",
        "GEOMETRYCOLLECTION (POINT (-20 -40), LINESTRING (-20 -40, -21 -41), POLYGON ((-20 -40, -20 -41, -21 -41, -20 -40)))",
        "POLYGON EMPTY",
        "POINT Z (-20 -40 12.5)",
        "LINESTRING Z (-20 -40 1, -21 -41 2)",
    ];

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Read_EqualsTheLibraryReader_ToTheBit(string wkt)
    {
        var geometry = Wkt.Read(wkt);
        geometry.SRID = SpatialRules.Wgs84;
        foreach (var (ordinates, strip) in new[] { (Ordinates.XY, false), (Ordinates.XYZ, false), (Ordinates.XY, true), (Ordinates.XYZ, true) })
        {
            var writer = new GeoPackageGeoWriter { HandleOrdinates = ordinates };
            var blob = writer.Write(geometry);
            if (strip) blob = WithoutEnvelope(blob) is { } stripped ? stripped : blob;
            var expected = GeoPackageBlob.ReadByLibrary(blob);
            var fast = GeoPackageBlob.Read(blob);
            Same(fast, expected, $"{wkt} {ordinates} {(strip ? "no envelope" : "envelope")}");
        }
    }

    [Fact]
    public void Read_ABlobWithoutTheMagic_ReadsAsTheLibraryReadsIt()
    {
        var blob = new GeoPackageGeoWriter().Write(Wkt.Read("POLYGON ((-20 -40, -20 -41, -21 -41, -20 -40))"));
        blob[0] = (byte)'X';
        Same(GeoPackageBlob.Read(blob), GeoPackageBlob.ReadByLibrary(blob), "no magic");
    }

    /// <summary>The same blob with the header's envelope taken out (flags bits 1–3 zero), as other writers store it.</summary>
    private static byte[]? WithoutEnvelope(byte[] blob)
    {
        var size = ((blob[3] >> 1) & 0x7) switch { 0 => 0, 1 => 32, 2 or 3 => 48, 4 => 64, _ => -1 };
        if (size <= 0) return null;
        var result = new byte[blob.Length - size];
        Array.Copy(blob, result, 8);
        result[3] = (byte)(blob[3] & ~0x0E);
        Array.Copy(blob, 8 + size, result, 8, blob.Length - 8 - size);
        return result;
    }

    private static void Same(Geometry fast, Geometry expected, string what)
    {
        fast.GetType().ShouldBe(expected.GetType(), what);
        fast.SRID.ShouldBe(SpatialRules.Wgs84, what);
        fast.IsEmpty.ShouldBe(expected.IsEmpty, what);
        fast.NumGeometries.ShouldBe(expected.NumGeometries, what);
        fast.Factory.SRID.ShouldBe(expected.Factory.SRID, what);
        fast.Factory.PrecisionModel.ShouldBe(expected.Factory.PrecisionModel, what);
        fast.EqualsExact(expected).ShouldBeTrue(what);
        for (var i = 0; i < fast.NumGeometries; i++)
        {
            var (f, e) = (fast.GetGeometryN(i), expected.GetGeometryN(i));
            f.SRID.ShouldBe(e.SRID, $"{what} part {i}");
            f.Factory.SRID.ShouldBe(e.Factory.SRID, $"{what} part {i}");
        }
        var (fc, ec) = (fast.Coordinates, expected.Coordinates);
        fc.Length.ShouldBe(ec.Length, what);
        for (var i = 0; i < fc.Length; i++)
        {
            BitConverter.DoubleToInt64Bits(fc[i].X).ShouldBe(BitConverter.DoubleToInt64Bits(ec[i].X), $"{what} x {i}");
            BitConverter.DoubleToInt64Bits(fc[i].Y).ShouldBe(BitConverter.DoubleToInt64Bits(ec[i].Y), $"{what} y {i}");
            BitConverter.DoubleToInt64Bits(fc[i].Z).ShouldBe(BitConverter.DoubleToInt64Bits(ec[i].Z), $"{what} z {i}");
            fc[i].GetType().ShouldBe(ec[i].GetType(), $"{what} coordinate type {i}");
        }
    }
}
