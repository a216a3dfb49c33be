using Groundtruth.Application.Datasets;
using Groundtruth.Application.Statistics;
using Groundtruth.Application.Tests.Support;

namespace Groundtruth.Application.Tests.Statistics;

/// <summary>
/// A hand-built programme whose answers are known by hand: two districts sharing a border at longitude
/// -24.25 (the eastern one smaller, so a point on the border is assigned to it), two small places both
/// named "Twin", a village as a point, finds and casualties on the border, outside every place, with
/// partial dates that straddle the test windows, and unknowns. Fictional coordinates in the open sea.
/// </summary>
internal static class StatsFixture
{
    public const string Places = """
        id,name,kind,parent_id,population,wkt
        C1,Testland,country,,,"POLYGON((-25 -31.5,-23.5 -31.5,-23.5 -30.8,-25 -30.8,-25 -31.5))"
        D1,West,district,C1,,"POLYGON((-25 -31.5,-24.25 -31.5,-24.25 -30.8,-25 -30.8,-25 -31.5))"
        D2,East,district,C1,,"POLYGON((-24.25 -31.5,-23.6 -31.5,-23.6 -30.8,-24.25 -30.8,-24.25 -31.5))"
        T1,Twin,municipality,D1,,"POLYGON((-24.9 -31,-24.8 -31,-24.8 -30.9,-24.9 -30.9,-24.9 -31))"
        T2,Twin,municipality,D2,,"POLYGON((-24 -31,-23.9 -31,-23.9 -30.9,-24 -30.9,-24 -31))"
        V1,Tollan,village,D1,1200,POINT(-24.6 -31.1)
        """;

    public const string Finds = """
        id,found_on,category,model,quantity,emplacement,context,lon,lat
        F1,2021-03-05,anti_personnel_mine,E-001 M,1,emplaced,,-24.6,-31.2
        F2,2021-04,anti_personnel_mine,E-001 M,2,emplaced,house entrance,-24.25,-31.2
        F3,2021,booby_trap,,1,emplaced,courtyard,-24.85,-30.95
        F4,2020,uxo,,3,unknown,,-24.0,-31.2
        F5,2020-12,uxo,,1,,,-24.0,-31.2
        F6,2021-12,anti_vehicle_mine,AV-40,1,emplaced,,-24.0,-31.6
        F7,2020,anti_personnel_mine,E-001 M,1,emplaced,,-23.95,-30.95
        F8,2022-01-15,stored_ammunition,,400,cached,cache in a barn,-24.1,-31.3
        """;

    public const string Accidents = """
        id,occurred_on,kind,device_category,device_model,location_accuracy_m,lon,lat
        A1,2021-05-10,mine_erw,anti_personnel_mine,E-001 M,10,-24.6,-31.2
        A2,2021-07,mine_erw,anti_vehicle_mine,,50,-24.0,-31.2
        A3,2019,demining,anti_personnel_mine,,10,-24.25,-31.0
        """;

    public const string Casualties = """
        id,accident_id,occurred_on,outcome,sex,age,age_group,status,occupation,lon,lat
        C1,A1,,killed,male,34,,civilian,farmer,,
        C2,A1,,injured,female,12,,civilian,student,,
        C3,A1,2021-05-10,injured,unknown,,adult,civilian,,,
        C4,,2021,killed,female,40,,military,soldier,-24.0,-31.3
        C5,A3,,injured,male,30,,deminer,deminer,,
        C6,,2020-12,unknown,male,,,unknown,,-24.0,-31.6
        C7,,2021-06-15,injured,female,25,,civilian,journalist,-24.6,-31.25
        """;

    public static async Task<TestDatabase> CreateAsync(Backend backend)
    {
        var t = await TestDatabase.CreateAsync(backend);
        foreach (var (dataset, text) in new[] { (DatasetCatalog.Places, Places), (DatasetCatalog.Finds, Finds), (DatasetCatalog.Accidents, Accidents), (DatasetCatalog.Casualties, Casualties) })
        {
            var file = Path.Combine(t.Directory, dataset.Name + ".csv");
            await File.WriteAllTextAsync(file, text);
            await t.ImportAsync(dataset, file);
        }
        return t;
    }

    public static Task<StatsReport> StatsAsync(this TestDatabase t, string dataset, string? from = null, string? to = null,
        string[]? where = null, string? inPlace = null, string[]? by = null, bool viewer = false) =>
        new StatsHandler(t.Target, TimeProvider.System).HandleAsync(new StatsRequest(dataset, from, to, where, inPlace, by, viewer));

    /// <summary>The groups as "value[,value]" → count.</summary>
    public static Dictionary<string, long?> Counts(this StatsReport r) =>
        r.Figures.Groups.ToDictionary(g => string.Join(",", g.Values), g => g.Count);
}
