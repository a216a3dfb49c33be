namespace Groundtruth.Application.Demo;

/// <summary>Where a hazardous area stands in the story (its current status, and how it got there).</summary>
internal enum HazardStage
{
    /// <summary>Recorded by survey; nothing done yet.</summary>
    Open,
    /// <summary>Technical survey done, clearance under way (or suspended).</summary>
    WorkedOn,
    /// <summary>Cancelled outright by non-technical survey: open → closed.</summary>
    Cancelled,
    /// <summary>Surveyed and cleared: open → closed.</summary>
    Closed,
    /// <summary>Closed (the earlier state), then handed over with a certificate.</summary>
    HandedOver,
    /// <summary>Handed over (the earlier state), then reopened after a find in released land (IMAS 08.30).</summary>
    Reopened,
}

internal enum HazardKind { Minefield, BattleArea, Mixed }

/// <summary>
/// Everything about hazardous area number <see cref="Index"/>, regenerated on demand from its own seed:
/// perimeter, sectors (cancelled, reduced, cleared), dates, the minefield inside it. Each CSV writer builds
/// the plans it needs and drops them, so no file holds more than one hazard at a time in memory.
/// </summary>
/// <remarks>
/// The perimeter is a star-shaped polygon of <see cref="Arcs"/> vertices around its centre, so any fan of
/// consecutive arcs from the centre (a sector) lies inside it: released land and processed areas are such
/// sectors and never leave their hazard. The mine cluster is a disc inside the first three cleared arcs.
/// </remarks>
internal sealed class HazardPlan
{
    public const int Arcs = 12;
    public const int SlotCount = 20;
    private const double ArcAngle = 2 * Math.PI / Arcs;

    /// <summary>
    /// A fixed mix of stages and kinds, repeated every 20 hazards so every scale holds every case; four of the
    /// twenty are silent minefields (<see cref="Silent"/>).
    /// </summary>
    private static readonly (HazardStage Stage, HazardKind Kind, bool E001, bool Silent)[] Slots =
    [
        (HazardStage.Open, HazardKind.Minefield, false, false),
        (HazardStage.Open, HazardKind.Minefield, false, false),
        (HazardStage.Open, HazardKind.BattleArea, false, false),
        (HazardStage.Open, HazardKind.Minefield, false, false),
        (HazardStage.Open, HazardKind.Mixed, false, false),
        (HazardStage.Open, HazardKind.Minefield, false, false),
        (HazardStage.WorkedOn, HazardKind.Minefield, true, false),
        (HazardStage.WorkedOn, HazardKind.BattleArea, false, false),
        (HazardStage.WorkedOn, HazardKind.Minefield, false, true),
        (HazardStage.WorkedOn, HazardKind.Mixed, false, false),
        (HazardStage.Cancelled, HazardKind.Minefield, false, false),
        (HazardStage.Cancelled, HazardKind.BattleArea, false, false),
        (HazardStage.Closed, HazardKind.Minefield, true, false),
        (HazardStage.Closed, HazardKind.BattleArea, false, false),
        (HazardStage.Closed, HazardKind.Minefield, false, true),
        (HazardStage.Closed, HazardKind.Minefield, false, true),
        (HazardStage.HandedOver, HazardKind.Minefield, false, true),
        (HazardStage.HandedOver, HazardKind.BattleArea, false, false),
        (HazardStage.HandedOver, HazardKind.Mixed, false, false),
        (HazardStage.Reopened, HazardKind.Minefield, false, true),
    ];

    private static readonly string[] OldApModels = ["K-7", "PR-3", "VS-9"];
    private static readonly string[] AvModels = ["AV-40", "TR-12"];

    private readonly DemoWorld _world;
    private readonly LocalFrame _frame;
    private readonly double[] _radii = new double[Arcs];
    private readonly double _rotation;

    public HazardPlan(DemoWorld world, int index)
    {
        _world = world;
        Index = index;
        Id = IdOf(index);
        (Stage, Kind, E001, Silent) = SlotOf(world, index);
        var rng = DemoSeed.For(world.Seed, DemoStream.Hazard, index);
        var t = world.Time;
        Recent = !Silent && (E001 || Stage is HazardStage.WorkedOn or HazardStage.Reopened || rng.Chance(0.6));

        LonLat centre;
        if (Silent)
        {
            // Spread along the whole old front line: the silent minefields fall in eight stretches in turn, so even
            // the smallest demo holds them in eight places kilometres apart, not wherever chance puts them.
            var ordinal = SilentOrdinal(world, index);
            ReachedEarly = ordinal % SilentStretches is 5 or 6 or 7;
            var stretch = ordinal * 3 % SilentStretches;
            centre = world.OnOldFrontLine((stretch + rng.Uniform(0.1, 0.9)) / SilentStretches, 0.006 * rng.Normal());
        }
        else if (E001)
        {
            var d = world.E001District.Box;
            var lat = rng.Uniform(d.S + 0.05, d.N - 0.05);
            centre = new LonLat(Math.Clamp(world.FrontLineLon(lat) + 0.015 * rng.Normal(), d.W + 0.012, d.E - 0.012), lat);
        }
        else if (rng.Chance(0.8))
        {
            centre = world.NearFrontLine(rng, 0.035);
        }
        else
        {
            centre = new LonLat(rng.Uniform(DemoWorld.West + 0.02, DemoWorld.East - 0.02), rng.Uniform(DemoWorld.South + 0.02, DemoWorld.North - 0.02));
        }
        Centre = new LonLat(Math.Round(centre.Lon, 6), Math.Round(centre.Lat, 6));
        _frame = new LocalFrame(Centre);
        var u = rng.NextDouble();
        Radius = 120 + 380 * u * u;
        _rotation = rng.Uniform(0, ArcAngle);
        Ring = new LonLat[Arcs];
        for (var k = 0; k < Arcs; k++)
        {
            _radii[k] = Radius * rng.Uniform(0.8, 1.2);
            Ring[k] = Round(_frame.Polar(_radii[k], AngleOf(k)));
        }
        CancelledEnd = rng.Next(1, 4);
        ReducedEnd = CancelledEnd + rng.Next(2, 4);
        ClearedEnd = Stage == HazardStage.WorkedOn ? rng.Next(ReducedEnd + 3, Arcs) : Arcs;

        // Dates: the area is recorded (R0), then surveyed, cleared, handed over and perhaps reopened, in order.
        var processed = Stage is HazardStage.WorkedOn or HazardStage.Closed or HazardStage.HandedOver or HazardStage.Reopened;
        // Silent minefields were out of reach until the end of the recent hostilities: recorded and worked since then,
        // two in eight in the first months after it, the others from the second year on.
        var from = Silent
            ? t.EndOfHostilities.AddDays(ReachedEarly ? 15 : 400)
            : Recent ? t.EndOfHostilities.AddDays(15) : t.ProgrammeStart;
        var to = Silent && ReachedEarly ? t.EndOfHostilities.AddDays(75)
            : processed ? (Recent || Silent ? t.Latest.AddDays(-420) : t.Today.AddDays(-5 * 365))
            : t.Latest.AddDays(-20);
        if (to < from) to = from;
        RecordedOn = rng.Day(from, to);
        NonTechnicalSurveyStart = RecordedOn.AddDays(-rng.Next(2, 21));
        var offsets = new[] { rng.Next(15, 151), rng.Next(3, 46), rng.Next(5, 91), rng.Next(20, 241), rng.Next(15, 121), rng.Next(60, 401) };
        var steps = Stage switch
        {
            HazardStage.WorkedOn => 3,
            HazardStage.Closed => 4,
            HazardStage.HandedOver => 5,
            HazardStage.Reopened => 6,
            _ => 0,
        };
        var dates = Schedule(RecordedOn, offsets.AsSpan(0, steps), t.Latest);
        if (steps >= 3)
        {
            TechnicalSurveyStart = dates[0];
            TechnicalSurveyEnd = dates[1];
            ClearanceStart = dates[2];
        }
        if (steps >= 4) ClearanceEnd = dates[3];
        if (steps >= 5) HandedOverOn = dates[4];
        if (steps >= 6) ReopenedOn = dates[5];
        if (Stage == HazardStage.Cancelled) CancelledOn = rng.Day(Earliest(RecordedOn.AddDays(30), t.Latest), Earliest(RecordedOn.AddDays(300), t.Latest));
        if (Stage == HazardStage.WorkedOn)
        {
            var span = t.Latest.DayNumber - ClearanceStart!.Value.DayNumber;
            PartialReleaseOn = ClearanceStart.Value.AddDays((int)(span * rng.Uniform(0.3, 0.9)));
            ClearanceSuspended = rng.Chance(0.15);
        }

        Operator = rng.Next(world.Operators.Count);
        var teams = world.Teams[Operator];
        NonTechnicalSurveyTeam = teams[rng.Next(teams.Count)].Id;
        SurveyTeam = teams[rng.Next(teams.Count)].Id;
        ClearanceTeam = teams[rng.Next(teams.Count)].Id;
        InitialClassification = Kind == HazardKind.BattleArea
            ? (rng.Chance(0.5) ? "suspected" : "confirmed")
            : rng.Weighted([0.55, 0.4, 0.05]) switch { 0 => "suspected", 1 => "confirmed", _ => "defined" };
        HasFinds = processed;
        CurrentClassification = HasFinds && InitialClassification == "suspected" ? "confirmed" : InitialClassification;
        Evidence = rng.Pick(Kind switch
        {
            HazardKind.Minefield => (string[])["mines seen by farmers (direct, observed, reliable)", "livestock killed by a mine (direct, verbal)", "former defensive positions (indirect, records)", "accident reported by the village council (direct, verbal)"],
            HazardKind.BattleArea => ["unexploded shells on the surface (direct, observed)", "shelling reported during the conflict (indirect, verbal)", "cluster strike seen by residents (direct, verbal)"],
            _ => ["tripwire seen at a ruined house (direct, observed)", "former checkpoint (indirect, records)"],
        });
        MarkingPlanned = Stage == HazardStage.Open && rng.Chance(0.4);
        SurveyPlanned = Stage == HazardStage.Open && rng.Chance(0.25);

        if (Kind != HazardKind.BattleArea)
        {
            var laid = Recent ? rng.Day(t.RecentConflictStart, t.EndOfHostilities.AddDays(-1)) : rng.Day(t.OldConflictStart, t.OldConflictEnd);
            var rho = 0.18 * Radius;
            var rows = rng.Next(2, 5);
            var rowSpacing = Math.Min(rng.Uniform(5, 8), 1.2 * rho / (rows - 1));
            var apModel = E001 ? "E-001 M" : rng.Pick(OldApModels);
            var av = Kind == HazardKind.Minefield && !E001 && rng.Chance(0.3) ? rng.Pick(AvModels) : null;
            var (prodFrom, prodTo) = E001
                ? (Math.Max(laid.Year - 2, t.RecentConflictStart.Year - 1), laid.Year)
                : (t.OldConflictStart.Year - 22, t.OldConflictStart.Year - 2);
            var alpha = AngleOf(ReducedEnd) + 1.5 * ArcAngle;
            Cluster = new MineCluster(0.42 * Radius * Math.Cos(alpha), 0.42 * Radius * Math.Sin(alpha), rho, rng.Uniform(0, Math.PI),
                rows, rowSpacing, rng.Uniform(2.5, 4.0), apModel, av, laid, prodFrom, prodTo);
        }
        Contamination = Kind switch
        {
            HazardKind.Minefield => Cluster!.AvModel is null ? "anti_personnel_mine" : "anti_personnel_mine;anti_vehicle_mine",
            HazardKind.BattleArea => rng.Chance(0.3) ? "uxo;cluster_munition_remnant;axo" : "uxo;cluster_munition_remnant",
            _ => "anti_personnel_mine;booby_trap;improvised_mine",
        };
    }

    public static string IdOf(int index) => $"HA-{index + 1:D6}";

    /// <summary>The old front line is cut into this many stretches; silent minefield k lies in stretch 3k mod 8.</summary>
    public const int SilentStretches = 10;

    /// <summary>How many silent minefields come before hazard <paramref name="index"/> (its number among them).</summary>
    public static int SilentOrdinal(DemoWorld world, int index)
    {
        var perCycle = 0;
        foreach (var slot in Slots) if (slot.Silent) perCycle++;
        var ordinal = index / SlotCount * perCycle;
        for (var k = index / SlotCount * SlotCount; k < index; k++) if (SlotOf(world, k).Silent) ordinal++;
        return ordinal;
    }

    public static (HazardStage Stage, HazardKind Kind, bool E001, bool Silent) SlotOf(DemoWorld world, int index) =>
        Slots[(int)(((long)index + world.SlotOffset) % SlotCount)];

    /// <summary>True when survey and clearance have processed part of the area (there are finds).</summary>
    public static bool IsProcessed(HazardStage stage) => stage is HazardStage.WorkedOn or HazardStage.Closed or HazardStage.HandedOver or HazardStage.Reopened;

    public int Index { get; }
    public string Id { get; }
    public HazardStage Stage { get; }
    public HazardKind Kind { get; }
    public bool E001 { get; }
    /// <summary>From the recent conflict (else from the one thirty years ago).</summary>
    public bool Recent { get; }
    /// <summary>
    /// A silent minefield: laid along the old conflict's front line thirty years ago, in land nobody used since,
    /// so no accident ever happened in or near it; a minefield record may describe it. It is found only when
    /// survey reaches it after the recent hostilities. The risk map's positive control rests on these
    /// (docs/risk.md): before they are worked, only the front line and the records point at them.
    /// </summary>
    public bool Silent { get; }
    /// <summary>A silent minefield survey reached in the first months after the hostilities (two in eight): its finds fall mostly in the first year after them.</summary>
    public bool ReachedEarly { get; }
    public LonLat Centre { get; }
    /// <summary>The nominal radius in metres; vertices lie at 0.8 to 1.2 times it.</summary>
    public double Radius { get; }
    /// <summary>The perimeter's vertices (open ring).</summary>
    public LonLat[] Ring { get; }
    /// <summary>Arcs [0, CancelledEnd) are cancelled by non-technical survey, [CancelledEnd, ReducedEnd) reduced by technical survey, [ReducedEnd, ClearedEnd) cleared.</summary>
    public int CancelledEnd { get; }
    public int ReducedEnd { get; }
    public int ClearedEnd { get; }
    public DateOnly RecordedOn { get; }
    public DateOnly NonTechnicalSurveyStart { get; }
    public DateOnly? CancelledOn { get; }
    public DateOnly? TechnicalSurveyStart { get; }
    public DateOnly? TechnicalSurveyEnd { get; }
    public DateOnly? ClearanceStart { get; }
    public DateOnly? ClearanceEnd { get; }
    public bool ClearanceSuspended { get; }
    /// <summary>For a hazard still worked on: the day the land cleared so far was released.</summary>
    public DateOnly? PartialReleaseOn { get; }
    public DateOnly? HandedOverOn { get; }
    public DateOnly? ReopenedOn { get; }
    public int Operator { get; }
    public string NonTechnicalSurveyTeam { get; }
    public string SurveyTeam { get; }
    public string ClearanceTeam { get; }
    public string InitialClassification { get; }
    public string CurrentClassification { get; }
    public string Contamination { get; }
    public string Evidence { get; }
    public bool HasFinds { get; }
    public bool MarkingPlanned { get; }
    public bool SurveyPlanned { get; }
    public MineCluster? Cluster { get; }

    /// <summary>The last day clearance worked here (yesterday for clearance still under way).</summary>
    public DateOnly ClearanceUntil => ClearanceEnd ?? PartialReleaseOn ?? _world.Time.Latest;

    public string ActivityId(int n) => $"ACT-H{Index + 1:D6}-{n}";
    public string ReleaseId(int n) => $"LR-H{Index + 1:D6}-{n}";

    public string Name
    {
        get
        {
            var village = _world.NearestVillage(Centre).Name;
            var what = Kind switch { HazardKind.Minefield => "minefield", HazardKind.BattleArea => "battle area", _ => "hazard" };
            return $"{village} {what} {Index + 1}";
        }
    }

    /// <summary>A fan of arcs [<paramref name="from"/>, <paramref name="to"/>) from the centre: inside the perimeter by construction.</summary>
    public LonLat[] Sector(int from, int to)
    {
        if (to - from >= Arcs) return Ring;
        var ring = new LonLat[to - from + 2];
        ring[0] = Centre;
        for (var k = from; k <= to; k++) ring[k - from + 1] = Ring[k % Arcs];
        return ring;
    }

    /// <summary>A random point inside arcs [<paramref name="from"/>, <paramref name="to"/>), kept just off the sector's edges.</summary>
    public LonLat PointInSector(Random rng, int from, int to)
    {
        var k = rng.Next(from, to);
        var a = Ring[k % Arcs];
        var b = Ring[(k + 1) % Arcs];
        var u = rng.NextDouble();
        var v = rng.NextDouble();
        if (u + v > 1) (u, v) = (1 - u, 1 - v);
        // Keep a margin from every side of the triangle, so rounding to 6 decimals cannot push the point out.
        u = 0.015 + 0.955 * u;
        v = 0.015 + 0.955 * v;
        return Round(new LonLat(Centre.Lon + u * (a.Lon - Centre.Lon) + v * (b.Lon - Centre.Lon), Centre.Lat + u * (a.Lat - Centre.Lat) + v * (b.Lat - Centre.Lat)));
    }

    /// <summary>A point <paramref name="east"/>, <paramref name="north"/> metres from the centre.</summary>
    public LonLat At(double east, double north) => Round(_frame.At(east, north));

    /// <summary>A random point within <paramref name="factor"/> times the radius of the centre (it may fall outside the perimeter).</summary>
    public LonLat Around(Random rng, double factor)
    {
        var d = Radius * factor * Math.Sqrt(rng.NextDouble());
        return DemoWorld.Clamp(Round(_frame.Polar(d, rng.Uniform(0, 2 * Math.PI))));
    }

    /// <summary>The middle of arcs [<paramref name="from"/>, <paramref name="to"/>) at <paramref name="share"/> of the radius, in metres from the centre.</summary>
    public (double East, double North) SectorPoint(int from, int to, double share)
    {
        var angle = AngleOf(from) + (to - from) * ArcAngle / 2;
        return (share * Radius * Math.Cos(angle), share * Radius * Math.Sin(angle));
    }

    /// <summary>The mines laid here, in row order; the same every time for the same seed.</summary>
    public IReadOnlyList<Mine> Mines()
    {
        var c = Cluster ?? throw new InvalidOperationException($"{Id} holds no minefield");
        var rng = DemoSeed.For(_world.Seed, DemoStream.Mines, Index);
        var mines = new List<Mine>(160);
        var (cos, sin) = (Math.Cos(c.Direction), Math.Sin(c.Direction));
        for (var row = 0; row < c.Rows; row++)
        {
            var offset = c.RowOffset(row);
            var half = c.HalfLength(row);
            var count = (int)(2 * half / c.MineSpacing) + 1;
            for (var m = 0; m < count; m++)
            {
                var along = -half + m * c.MineSpacing + rng.Uniform(-0.4, 0.4);
                var across = offset + rng.Uniform(-0.6, 0.6);
                var av = c.AvModel is not null && rng.Chance(0.12);
                mines.Add(new Mine(At(c.East + along * cos - across * sin, c.North + along * sin + across * cos), av, row));
            }
        }
        return mines;
    }

    /// <summary>The mine rows as laid (end points), for records that give rows.</summary>
    public LonLat[][] Rows(double shiftEast = 0, double shiftNorth = 0)
    {
        var c = Cluster ?? throw new InvalidOperationException($"{Id} holds no minefield");
        var (cos, sin) = (Math.Cos(c.Direction), Math.Sin(c.Direction));
        var rows = new LonLat[c.Rows][];
        for (var row = 0; row < c.Rows; row++)
        {
            var (o, h) = (c.RowOffset(row), c.HalfLength(row));
            rows[row] =
            [
                At(c.East - h * cos - o * sin + shiftEast, c.North - h * sin + o * cos + shiftNorth),
                At(c.East + h * cos - o * sin + shiftEast, c.North + h * sin + o * cos + shiftNorth),
            ];
        }
        return rows;
    }

    /// <summary>A rectangle <paramref name="halfLength"/> by <paramref name="halfWidth"/> metres turned by <paramref name="direction"/>, centred at (east, north) metres.</summary>
    public LonLat[] Rectangle(double east, double north, double halfLength, double halfWidth, double direction)
    {
        var (cos, sin) = (Math.Cos(direction), Math.Sin(direction));
        LonLat Corner(double a, double b) => At(east + a * cos - b * sin, north + a * sin + b * cos);
        return [Corner(-halfLength, -halfWidth), Corner(halfLength, -halfWidth), Corner(halfLength, halfWidth), Corner(-halfLength, halfWidth)];
    }

    private double AngleOf(int k) => _rotation + k * ArcAngle;

    private static DateOnly Earliest(DateOnly a, DateOnly b) => a < b ? a : b;

    public static LonLat Round(LonLat p) => new(Math.Round(p.Lon, 6), Math.Round(p.Lat, 6));

    /// <summary>Dates after <paramref name="start"/> by the cumulative <paramref name="offsets"/>, squeezed to end by <paramref name="latest"/>.</summary>
    private static DateOnly[] Schedule(DateOnly start, ReadOnlySpan<int> offsets, DateOnly latest)
    {
        var total = 0;
        foreach (var o in offsets) total += o;
        var room = latest.DayNumber - start.DayNumber;
        var factor = total > room && total > 0 ? (double)Math.Max(room, 0) / total : 1.0;
        var dates = new DateOnly[offsets.Length];
        var sum = 0;
        for (var i = 0; i < offsets.Length; i++)
        {
            sum += offsets[i];
            dates[i] = start.AddDays((int)(sum * factor));
        }
        return dates;
    }
}

/// <summary>A minefield: rows of mines inside a disc, in metres from its hazard's centre.</summary>
internal sealed record MineCluster(
    double East, double North, double Radius, double Direction, int Rows, double RowSpacing, double MineSpacing,
    string ApModel, string? AvModel, DateOnly LaidOn, int ProductionFrom, int ProductionTo)
{
    public double RowOffset(int row) => (row - (Rows - 1) / 2.0) * RowSpacing;

    public double HalfLength(int row)
    {
        var o = RowOffset(row);
        return 0.85 * Math.Sqrt(Radius * Radius - o * o);
    }

    /// <summary>The widest row offset, for a rectangle around all rows.</summary>
    public double HalfWidth => (Rows - 1) / 2.0 * RowSpacing;
}

internal readonly record struct Mine(LonLat Point, bool AntiVehicle, int Row);
