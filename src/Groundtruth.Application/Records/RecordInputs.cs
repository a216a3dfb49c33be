using Groundtruth.Analysis.Records;
using Groundtruth.Application.History;
using Groundtruth.Domain;
using NetTopologySuite.Geometries;

namespace Groundtruth.Application.Records;

/// <summary>The analysis inputs read from versions: one mapping, shared by record accuracy and the risk map.</summary>
public static class RecordInputs
{
    public static IEnumerable<FindInput> Finds(IEnumerable<VersionRow> rows) => rows
        .Where(f => f.Geometry is Point)
        .Select(f => new FindInput(f.Id, ((Point)f.Geometry!).X, ((Point)f.Geometry!).Y, (int)(f.Number("quantity") ?? 1),
            f.Enum<OrdnanceCategory>("category")!.Value, f.Enum<Emplacement>("emplacement") ?? Emplacement.Unknown, f.Date("found_on")!.Value));

    public static IEnumerable<AccidentInput> Accidents(IEnumerable<VersionRow> rows) => rows
        .Where(a => a.Geometry is Point)
        .Select(a => new AccidentInput(a.Id, ((Point)a.Geometry!).X, ((Point)a.Geometry!).Y, a.Enum<AccidentKind>("kind")!.Value,
            a.Enum<OrdnanceCategory>("device_category"), a.Date("occurred_on")!.Value, a.Number("location_accuracy_m")));

    public static RecordInput Record(VersionRow r) =>
        new(r.Id, r.Text("source")!, r.Geometry!, (int?)r.Number("declared_devices"), r.Date("laid_on"), r.Number("position_uncertainty_m"));
}
