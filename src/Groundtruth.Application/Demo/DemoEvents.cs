using Groundtruth.Domain;

namespace Groundtruth.Application.Demo;

/// <summary>One accident as the demo tells it; regenerated from its own seed by the accidents and casualties files alike.</summary>
internal sealed record DemoAccident(
    int Index, DateOnly OccurredOn, bool Demining, string? Category, string? Model, LonLat Point, double AccuracyMetres, string Source)
{
    public string Id => $"ACC-{Index + 1:D7}";
    /// <summary>A vehicle on an anti-vehicle mine: often nobody is hurt, sometimes several are.</summary>
    public bool Vehicle => Category == "anti_vehicle_mine";
}

/// <summary>One casualty's values, in the catalogue's terms.</summary>
internal sealed record DemoCasualty(
    string Outcome, string Sex, int? Age, string AgeGroup, string Status, string? Occupation, string? Activity,
    bool? DeviceHandled, string Source, string? Name, DateOnly? DateOfBirth, string? Injuries);

/// <summary>Accidents and the people they hurt, in proportions like those Landmine Monitor reports.</summary>
internal static class DemoEvents
{
    private static readonly string[] ApModels = ["K-7", "PR-3", "VS-9"];
    private static readonly string[] AvModels = ["AV-40", "TR-12"];
    private static readonly string[] UxoModels = ["82 mm mortar bomb", "120 mm mortar bomb", "122 mm artillery projectile", "rocket-propelled grenade", "hand grenade"];
    private static readonly string[] AccidentSources = ["police report", "hospital record", "casualty surveillance", "operator incident report", "community focal point"];
    private static readonly string[] CasualtySources = ["hospital", "police", "operator", "hospital;police", "community focal point", "hospital;police;operator"];
    private static readonly double[] Accuracies = [10, 50, 100, 500, 1000, 5000];
    private static readonly string[] AdultOccupations = ["farmer", "shepherd", "labourer", "driver", "scrap metal collector", "homemaker", "trader", "teacher", "journalist"];
    private static readonly string[] Injuries = ["lower limb amputation", "upper limb amputation", "shrapnel wounds", "burns", "loss of sight", "hearing loss", "fractures"];

    public static DemoAccident Accident(DemoWorld world, int index)
    {
        var rng = DemoSeed.For(world.Seed, DemoStream.Accident, index);
        var t = world.Time;
        var accuracy = Accuracies[rng.Weighted([0.3, 0.25, 0.2, 0.15, 0.07, 0.03])];
        var source = rng.Pick(AccidentSources);
        if (rng.Chance(0.04))
        {
            // A demining accident: a deminer at work in a minefield being cleared.
            var field = new HazardPlan(world, ProcessedMinefield(world, rng.Next(world.HazardCount)));
            var c = field.Cluster!;
            var d = c.Radius * Math.Sqrt(rng.NextDouble());
            var a = rng.Uniform(0, 2 * Math.PI);
            return new DemoAccident(index, rng.Day(field.ClearanceStart!.Value, field.ClearanceUntil), true, "anti_personnel_mine", c.ApModel,
                field.At(c.East + d * Math.Cos(a), c.North + d * Math.Sin(a)), 10, "operator incident report");
        }
        var date = rng.Weighted([0.3, 0.25, 0.45]) switch
        {
            0 => rng.Day(t.OldConflictStart, t.OldConflictEnd.AddDays(4 * 365)),
            1 => rng.Day(t.WindowStart, t.Latest),
            _ => rng.Day(t.RecentConflictStart, t.Latest),
        };
        string? category;
        string? model = null;
        LonLat point;
        // Where: in a minefield a record describes (inside the record only when the record is accurate, so the
        // share of accidents outside records reflects the records' accuracy), near a hazard, near the front
        // line, or near a village.
        var where = rng.Weighted([0.5, 0.2, 0.2, 0.1]);
        HazardPlan? near = null;
        if (where == 0)
        {
            var record = Record(world, rng.Next(world.RecordCount));
            near = record.Hazard;
            if (record.Accuracy < 2) accuracy = rng.Chance(0.7) ? 10 : 50;
        }
        else if (where == 1)
        {
            near = new HazardPlan(world, rng.Next(world.HazardCount));
        }
        if (near is { Silent: true })
        {
            // Nobody entered the silent minefields: the accident happened near a village instead.
            near = null;
            where = 3;
        }
        if (near is { } plan)
        {
            if (plan.Cluster is { } c && (where == 0 || rng.Chance(0.3)))
            {
                // The accident happened where a mine lay (a metre or two from it).
                var mines = plan.Mines();
                var (east, north) = new LocalFrame(plan.Centre).Offset(mines[rng.Next(mines.Count)].Point);
                point = plan.At(east + rng.Uniform(-2, 2), north + rng.Uniform(-2, 2));
                var vehicle = c.AvModel is not null && rng.Chance(0.25);
                category = vehicle ? "anti_vehicle_mine" : "anti_personnel_mine";
                model = rng.Chance(0.6) ? (vehicle ? c.AvModel : c.ApModel) : null;
                // An accident in a minefield happens after the mines were laid and before it was cleared.
                var last = plan.ClearanceStart ?? t.Latest;
                if (date <= c.LaidOn || date > last) date = rng.Day(c.LaidOn.AddDays(1), last);
            }
            else
            {
                point = plan.Around(rng, 1.6);
                category = plan.Kind switch
                {
                    HazardKind.Minefield => rng.Weighted([0.6, 0.15, 0.25]) switch { 0 => "anti_personnel_mine", 1 => "anti_vehicle_mine", _ => "unspecified_mine" },
                    HazardKind.BattleArea => rng.Chance(0.6) ? "uxo" : "cluster_munition_remnant",
                    _ => rng.Weighted([0.3, 0.3, 0.4]) switch { 0 => "booby_trap", 1 => "improvised_mine", _ => "anti_personnel_mine" },
                };
            }
        }
        else
        {
            point = where == 2
                ? world.NearFrontLine(rng, 0.03)
                : DemoWorld.Clamp(Jitter(rng, rng.Pick(world.Villages).Point!.Value, 0.012));
            category = rng.Weighted([0.35, 0.1, 0.25, 0.1, 0.07, 0.03, 0.07, 0.03]) switch
            {
                0 => "anti_personnel_mine",
                1 => "anti_vehicle_mine",
                2 => "uxo",
                3 => "cluster_munition_remnant",
                4 => "improvised_mine",
                5 => "improvised_explosive_device",
                6 => "unspecified_mine",
                _ => null,
            };
        }
        if (model is null && category is not null && rng.Chance(0.35))
        {
            model = category switch
            {
                "anti_personnel_mine" => rng.Pick(ApModels),
                "anti_vehicle_mine" => rng.Pick(AvModels),
                "uxo" => rng.Pick(UxoModels),
                _ => null,
            };
        }
        return new DemoAccident(index, date, false, category, model, point, accuracy, source);
    }

    /// <summary>
    /// Minefield record <paramref name="index"/>: the hazard it describes, its source (0 the host's forces,
    /// 1 and 2 the former parties) and its accuracy (0 on the mines, 1 offset by 100-300 m, 2 where no
    /// mine was laid), with the generator positioned for the record's remaining draws.
    /// </summary>
    public static (HazardPlan Hazard, int Source, int Accuracy, Random Rng) Record(DemoWorld world, int index)
    {
        var h = new HazardPlan(world, (int)((long)index * world.HazardCount / world.RecordCount));
        var rng = DemoSeed.For(world.Seed, DemoStream.Record, index);
        var source = rng.Weighted([0.4, 0.35, 0.25]);
        var accuracy = rng.Weighted(source switch { 0 => [0.6, 0.2, 0.2], 1 => [0.2, 0.35, 0.45], _ => [0.45, 0.3, 0.25] });
        return (h, source, h.Cluster is null ? 2 : accuracy, rng);
    }

    /// <summary>The number of people an accident hurt: mostly one, sometimes none (property damage only), a few several.</summary>
    public static int CasualtyCount(Random rng, DemoAccident accident) => accident.Vehicle
        ? rng.Weighted([0.4, 0.25, 0.15, 0.12, 0.08])
        : accident.Demining
            ? 1 + (rng.Chance(0.15) ? 1 : 0)
            : rng.Weighted([0.06, 0.75, 0.13, 0.04, 0.02]);

    /// <summary>A casualty of an accident (or of an unrecorded explosion) on <paramref name="occurred"/>.</summary>
    /// <param name="fullDate">The day, when it is known to the day: only then is personal data recorded.</param>
    public static DemoCasualty Casualty(Random rng, DemoWorld world, PartialDate occurred, DateOnly? fullDate, bool vehicle, bool demining, bool journalist)
    {
        var t = world.Time;
        var start = occurred.Start;
        var inConflict = (start >= t.OldConflictStart && start <= t.OldConflictEnd) || (start >= t.RecentConflictStart && start < t.EndOfHostilities);
        var status = journalist ? "civilian"
            : demining ? (rng.Chance(0.9) ? "deminer" : "civilian")
            : rng.Weighted([inConflict ? 0.36 : 0.07, 0.03, 1.0]) switch { 0 => "military", 1 => "unknown", _ => "civilian" };
        var sex = status switch
        {
            "military" => rng.Weighted([0.96, 0.01, 0.03]),
            "deminer" => rng.Weighted([0.85, 0.15, 0.0]),
            "unknown" => rng.Weighted([0.6, 0.1, 0.3]),
            _ => rng.Weighted([0.72, 0.23, 0.05]),
        } switch { 0 => "male", 1 => "female", _ => "unknown" };

        // Age: children are 35-45% of civilian casualties of known age; some ages are unknown, some only as a group.
        var child = status == "civilian" && !journalist && rng.Chance(0.42);
        var ageKnown = status switch { "military" => 0.9, "deminer" => 0.97, "unknown" => 0.3, _ => 0.8 };
        int? age = null;
        string group;
        if (rng.Chance(ageKnown))
        {
            age = status switch
            {
                "military" => rng.Next(18, 46),
                "deminer" => rng.Next(22, 56),
                _ => child ? rng.Next(3, 18) : Math.Min(18 + (int)Math.Abs(18 * rng.Normal()), 88),
            };
            if (journalist) age = rng.Next(24, 58);
            group = age < CasualtyAge.AdultAge ? "child" : "adult";
        }
        else
        {
            group = rng.Chance(0.6) ? (child ? "child" : "adult") : "unknown";
        }

        string? occupation = status switch
        {
            "military" => "soldier",
            "deminer" => "deminer",
            "unknown" => null,
            _ when journalist => "journalist",
            _ when child => rng.Chance(0.5) ? "student" : rng.Chance(0.3) ? "herder" : null,
            _ => rng.Chance(0.86) ? AdultOccupations[rng.Weighted([0.28, 0.1, 0.14, 0.1, 0.07, 0.08, 0.05, 0.02, 0.015])] : null,
        };
        var activity = vehicle ? "travelling by vehicle" : occupation switch
        {
            "soldier" => "military patrol",
            "deminer" => "manual clearance",
            "journalist" => "reporting",
            "farmer" => "farming",
            "shepherd" or "herder" => "herding animals",
            "driver" => "travelling by vehicle",
            "scrap metal collector" => "collecting scrap metal",
            "student" => rng.Chance(0.5) ? "playing" : "walking to school",
            _ => rng.Weighted([0.35, 0.3, 0.15, 0.2]) switch { 0 => "travelling on foot", 1 => "collecting firewood", 2 => "handling a device", _ => null },
        };
        bool? handled = rng.Chance(0.15) ? null : activity switch
        {
            "handling a device" => true,
            "playing" => rng.Chance(0.5),
            "collecting scrap metal" => rng.Chance(0.4),
            _ => false,
        };
        var outcome = (vehicle ? rng.Weighted([0.5, 0.45, 0.05]) : rng.Weighted([0.29, 0.66, 0.05])) switch { 0 => "killed", 1 => "injured", _ => "unknown" };
        var source = rng.Pick(CasualtySources);

        // Personal data: for some casualties known to the day; the date of birth agrees with the age.
        string? name = null, injuries = null;
        DateOnly? birth = null;
        var personal = rng.NextDouble();
        var personName = NameMaker.Person(rng);
        var injury = rng.Pick(Injuries);
        var daysBack = rng.Next(0, 365);
        if (fullDate is { } on && age is { } years && personal < 0.35)
        {
            name = personName;
            injuries = outcome == "killed" ? "fatal blast injuries" : injury;
            var dob = on.AddYears(-years).AddDays(-daysBack);
            while (CasualtyAge.AgeAt(PartialDate.FromDate(dob), PartialDate.FromDate(on)) > years) dob = dob.AddDays(1);
            while (CasualtyAge.AgeAt(PartialDate.FromDate(dob), PartialDate.FromDate(on)) < years) dob = dob.AddDays(-1);
            birth = dob;
        }
        return new DemoCasualty(outcome, sex, age, group, status, occupation, activity, handled, source, name, birth, injuries);
    }

    /// <summary>The first hazard from <paramref name="start"/> on that is a processed minefield (one exists in every 20).</summary>
    public static int ProcessedMinefield(DemoWorld world, int start)
    {
        for (var s = 0; s < world.HazardCount; s++)
        {
            var h = (start + s) % world.HazardCount;
            var slot = HazardPlan.SlotOf(world, h);
            if (HazardPlan.IsProcessed(slot.Stage) && slot.Kind != HazardKind.BattleArea) return h;
        }
        throw new InvalidOperationException("the demo holds no processed minefield");
    }

    /// <summary>The first processed hazard (of any kind) from <paramref name="start"/> on.</summary>
    public static int ProcessedHazard(DemoWorld world, int start)
    {
        for (var s = 0; s < world.HazardCount; s++)
        {
            var h = (start + s) % world.HazardCount;
            if (HazardPlan.IsProcessed(HazardPlan.SlotOf(world, h).Stage)) return h;
        }
        throw new InvalidOperationException("the demo holds no processed hazard");
    }

    public static LonLat Jitter(Random rng, LonLat p, double degrees) =>
        HazardPlan.Round(new LonLat(p.Lon + degrees * rng.Normal(), p.Lat + degrees * rng.Normal()));
}
