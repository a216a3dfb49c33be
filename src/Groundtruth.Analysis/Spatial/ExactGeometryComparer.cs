using NetTopologySuite.Geometries;

namespace Groundtruth.Analysis.Spatial;

/// <summary>
/// Geometries equal vertex for vertex (<see cref="Geometry.EqualsExact(Geometry)"/>): to drop exact copies before a union,
/// whose result they cannot change. The hash reads the envelope and the vertex count only, so it is cheap.
/// </summary>
public sealed class ExactGeometryComparer : IEqualityComparer<Geometry>
{
    public static ExactGeometryComparer Instance { get; } = new();

    public bool Equals(Geometry? x, Geometry? y) =>
        ReferenceEquals(x, y) || (x is not null && y is not null && x.EqualsExact(y));

    public int GetHashCode(Geometry obj)
    {
        var e = obj.EnvelopeInternal;
        return HashCode.Combine(obj.NumPoints, e.MinX, e.MinY, e.MaxX, e.MaxY);
    }
}
