using System.Globalization;

namespace Groundtruth.Application.Demo;

/// <summary>
/// The fixed part of the fictional programme: the gazetteer, the lines, the organisations, the parties
/// that handed over minefield records and the timeline. It depends on the seed and the date only (never
/// on the scale) and is small; everything that grows with the scale is generated per entity from it.
/// </summary>
/// <remarks>
/// The country lies in the open South Atlantic (longitude -25.0 to -23.5, latitude -32.0 to -30.8), so no
/// coordinate can be mistaken for a real place. Every name is made of invented syllables.
/// </remarks>
internal sealed class DemoWorld
{
    public const double West = -25.0, East = -23.5, North = -30.8, South = -32.0;
    public const string HostForces = "Host Armed Forces";
    private const int VillagesPerDistrict = 5;

    public DemoWorld(int seed, int scale, DateOnly today)
    {
        if (scale < 1) throw new ArgumentOutOfRangeException(nameof(scale), scale, "the scale must be at least 1");
        Seed = seed;
        Scale = scale;
        Time = new DemoTimeline(today);
        var rng = DemoSeed.For(seed, DemoStream.Gazetteer, 0);
        var names = new NameMaker(rng);
        CountryName = names.Place(3);
        Country = new DemoPlace("PL-C01", CountryName, "country", null, (West, North, East, South), null);
        Regions = [.. Enumerable.Range(0, 3).Select(r => new DemoPlace(
            $"PL-R{r + 1:D2}", names.Place(2), "region", Country.Id, (West + r * 0.5, North, West + (r + 1) * 0.5, South), null))];
        var districts = new List<DemoPlace>();
        for (var r = 0; r < 3; r++)
        {
            for (var row = 0; row < 2; row++)
            {
                for (var col = 0; col < 2; col++)
                {
                    var w = West + r * 0.5 + col * 0.25;
                    var n = North - row * 0.6;
                    districts.Add(new DemoPlace($"PL-D{districts.Count + 1:D2}", names.Place(rng.Next(2, 4)), "district", Regions[r].Id, (w, n, w + 0.25, n - 0.6), null));
                }
            }
        }
        Districts = districts;
        var villages = new List<DemoPlace>();
        foreach (var d in Districts)
        {
            for (var k = 0; k < VillagesPerDistrict; k++)
            {
                LonLat p;
                var tries = 0;
                do
                {
                    p = new LonLat(Math.Round(rng.Uniform(d.Box.W + 0.015, d.Box.E - 0.015), 6), Math.Round(rng.Uniform(d.Box.S + 0.015, d.Box.N - 0.015), 6));
                }
                while (++tries < 50 && villages.Any(v => Math.Abs(v.Point!.Value.Lon - p.Lon) < 0.03 && Math.Abs(v.Point!.Value.Lat - p.Lat) < 0.03));
                var population = (long)Math.Clamp(Math.Exp(6.6 + 0.9 * rng.Normal()), 60, 25_000);
                villages.Add(new DemoPlace($"PL-V{villages.Count + 1:D3}", names.Place(rng.Next(2, 4)), "village", d.Id, (p.Lon, p.Lat, p.Lon, p.Lat), p) { Population = population });
            }
        }
        Villages = villages;
        foreach (var d in Districts) d.Population = villages.Where(v => v.ParentId == d.Id).Sum(v => v.Population!.Value) + rng.Next(800, 6000);
        foreach (var r in Regions) r.Population = Districts.Where(d => d.ParentId == r.Id).Sum(d => d.Population!.Value);
        Country.Population = Regions.Sum(r => r.Population!.Value);

        // The former front line runs north to south through the middle region, wandering around -24.28.
        var front = new LonLat[31];
        var drift = 0.0;
        for (var i = 0; i < front.Length; i++)
        {
            drift = Math.Clamp(0.85 * drift + 0.018 * rng.Normal(), -0.15, 0.15);
            front[i] = new LonLat(Math.Round(-24.28 + drift, 6), Math.Round(North - i * (North - South) / (front.Length - 1), 6));
        }
        FrontLine = front;
        Roads = [
            Road(rng, new LonLat(West, -31.05), new LonLat(East, -31.0)),
            Road(rng, new LonLat(West, -31.72), new LonLat(East, -31.65)),
            Road(rng, new LonLat(-24.72, North), new LonLat(-24.68, South)),
            Road(rng, new LonLat(-23.84, North), new LonLat(-23.88, South)),
            Road(rng, new LonLat(-24.92, -30.84), new LonLat(-23.58, -31.96)),
        ];
        RoadNames = [.. Roads.Select((r, i) => string.Create(CultureInfo.InvariantCulture,
            $"Road {i + 1} ({NearestVillage(r[0]).Name} - {NearestVillage(r[^1]).Name})"))];
        var river = new LonLat[40];
        var phase = rng.Uniform(0, Math.PI);
        for (var i = 0; i < river.Length; i++)
        {
            var x = West + i * (East - West) / (river.Length - 1);
            var y = -31.36 + 0.1 * Math.Sin(phase + i * 0.45) + 0.008 * rng.Normal();
            river[i] = new LonLat(Math.Round(x, 6), Math.Round(y, 6));
        }
        River = river;
        RiverName = names.Place(2) + " River";

        NationalAuthority = new DemoOrganisation("ORG-NMAA", $"{CountryName} National Mine Action Authority", "national_authority", null);
        var operatorNames = new[] { $"{names.Place(2)} Demining Trust", $"{names.Place(2)} Clearance Group", $"{names.Place(2)} Survey and Clearance" };
        var teamCounts = new[] { 3, 2, 3 };
        var greek = new[] { "Alpha", "Bravo", "Charlie" };
        Operators = [.. operatorNames.Select((n, o) => new DemoOrganisation($"ORG-OP{o + 1}", n, "operator", null))];
        Teams = [.. Operators.Select((op, o) => (IReadOnlyList<DemoOrganisation>)[.. Enumerable.Range(0, teamCounts[o]).Select(t =>
            new DemoOrganisation($"{op.Id}-T{t + 1}", $"{op.Name} Team {greek[t]}", "team", op.Id))])];
        PartyA = $"{names.Place(2)} Liberation Front";
        PartyB = $"{names.Place(3)} Defence Brigades";
        SlotOffset = rng.Next(HazardPlan.SlotCount);

        // The old conflict's front line ran west to east across the south, wandering around latitude -31.52,
        // between the river and the southern road. Drawn last, so nothing drawn before it changed when it was added.
        var old = new LonLat[41];
        var wander = 0.0;
        for (var i = 0; i < old.Length; i++)
        {
            wander = Math.Clamp(0.85 * wander + 0.012 * rng.Normal(), -0.06, 0.06);
            old[i] = new LonLat(Math.Round(West + i * (East - West) / (old.Length - 1), 6), Math.Round(-31.52 + wander, 6));
        }
        OldFrontLine = old;

        // The E-001 M minefields lie in the district the front line crosses at latitude -31.1.
        var at = FrontLineLon(-31.1);
        E001District = Districts.First(d => d.Box.N == North && at >= d.Box.W && at < d.Box.E);
        // Booby traps were cleared from the three villages nearest the front line, on one day.
        BoobyTrapVillages = [.. Villages.OrderBy(v => Math.Abs(v.Point!.Value.Lon - FrontLineLon(v.Point!.Value.Lat))).ThenBy(v => v.Id, StringComparer.Ordinal).Take(3)];
        CacheVillage = Villages.Where(v => !BoobyTrapVillages.Contains(v))
            .OrderBy(v => Math.Abs(v.Point!.Value.Lon - FrontLineLon(v.Point!.Value.Lat))).ThenBy(v => v.Id, StringComparer.Ordinal).First();
    }

    public int Seed { get; }
    public int Scale { get; }
    public DemoTimeline Time { get; }
    public string CountryName { get; }
    public DemoPlace Country { get; }
    public IReadOnlyList<DemoPlace> Regions { get; }
    public IReadOnlyList<DemoPlace> Districts { get; }
    public IReadOnlyList<DemoPlace> Villages { get; }
    public IReadOnlyList<LonLat> FrontLine { get; }
    /// <summary>The front line of the conflict thirty years ago: where the silent minefields lie (<see cref="HazardPlan.Silent"/>).</summary>
    public IReadOnlyList<LonLat> OldFrontLine { get; }
    public IReadOnlyList<LonLat[]> Roads { get; }
    public IReadOnlyList<string> RoadNames { get; }
    public IReadOnlyList<LonLat> River { get; }
    public string RiverName { get; }
    public DemoOrganisation NationalAuthority { get; }
    public IReadOnlyList<DemoOrganisation> Operators { get; }
    public IReadOnlyList<IReadOnlyList<DemoOrganisation>> Teams { get; }
    public string PartyA { get; }
    public string PartyB { get; }
    public int SlotOffset { get; }
    public DemoPlace E001District { get; }
    public IReadOnlyList<DemoPlace> BoobyTrapVillages { get; }
    public DemoPlace CacheVillage { get; }

    public int HazardCount => 40 * Scale;
    public int RecordCount => 30 * Scale;
    public int AccidentCount => 400 * Scale;
    public int LoneCasualtyCount => 60 * Scale;
    public int SpotTaskCount => 70 * Scale;
    public int RiskEducationCount => 15 * Scale;
    public int QualityVisitCount => 5 * Scale;

    /// <summary>The front line's longitude at <paramref name="lat"/>.</summary>
    public double FrontLineLon(double lat)
    {
        var t = Math.Clamp((North - lat) / (North - South), 0, 1) * (FrontLine.Count - 1);
        var i = Math.Min((int)t, FrontLine.Count - 2);
        var f = t - i;
        return FrontLine[i].Lon + f * (FrontLine[i + 1].Lon - FrontLine[i].Lon);
    }

    /// <summary>The old front line's latitude at <paramref name="lon"/>.</summary>
    public double OldFrontLineLat(double lon)
    {
        var t = Math.Clamp((lon - West) / (East - West), 0, 1) * (OldFrontLine.Count - 1);
        var i = Math.Min((int)t, OldFrontLine.Count - 2);
        var f = t - i;
        return OldFrontLine[i].Lat + f * (OldFrontLine[i + 1].Lat - OldFrontLine[i].Lat);
    }

    /// <summary>
    /// The point of the old front line at <paramref name="share"/> (0 to 1) of its length from the west, leaving out its
    /// ends and the stretch within 0.12° of the recent front line, moved <paramref name="north"/> degrees of latitude.
    /// </summary>
    public LonLat OnOldFrontLine(double share, double north)
    {
        const double gap = 0.12;
        var (from, to) = (West + 0.03, East - 0.03);
        var crossing = FrontLineLon(-31.52);
        var (gapFrom, gapTo) = (Math.Max(from, crossing - gap), Math.Min(to, crossing + gap));
        var lon = from + Math.Clamp(share, 0, 1) * (to - from - (gapTo - gapFrom));
        if (lon >= gapFrom) lon += gapTo - gapFrom;
        return Clamp(new LonLat(lon, OldFrontLineLat(lon) + north));
    }

    public DemoPlace NearestVillage(LonLat p)
    {
        var best = Villages[0];
        var bestD = double.MaxValue;
        foreach (var v in Villages)
        {
            var dx = (v.Point!.Value.Lon - p.Lon) * 0.85;
            var dy = v.Point!.Value.Lat - p.Lat;
            var d = dx * dx + dy * dy;
            if (d < bestD) { bestD = d; best = v; }
        }
        return best;
    }

    /// <summary>Keeps a point inside the country, <paramref name="margin"/> degrees from its edge.</summary>
    public static LonLat Clamp(LonLat p, double margin = 0.01) =>
        new(Math.Clamp(p.Lon, West + margin, East - margin), Math.Clamp(p.Lat, South + margin, North - margin));

    /// <summary>A random point near the front line, <paramref name="spread"/> degrees of longitude either side (normal).</summary>
    public LonLat NearFrontLine(Random rng, double spread)
    {
        var lat = rng.Uniform(South + 0.02, North - 0.02);
        return Clamp(new LonLat(FrontLineLon(lat) + spread * rng.Normal(), lat));
    }

    private static LonLat[] Road(Random rng, LonLat from, LonLat to)
    {
        const int n = 14;
        var points = new LonLat[n];
        var (dx, dy) = (to.Lon - from.Lon, to.Lat - from.Lat);
        var length = Math.Sqrt(dx * dx + dy * dy);
        var (px, py) = (-dy / length, dx / length);
        var wiggle = 0.0;
        for (var i = 0; i < n; i++)
        {
            var t = (double)i / (n - 1);
            wiggle = i == 0 || i == n - 1 ? 0 : Math.Clamp(0.6 * wiggle + 0.012 * rng.Normal(), -0.05, 0.05);
            points[i] = Clamp(new LonLat(Math.Round(from.Lon + t * dx + wiggle * px, 6), Math.Round(from.Lat + t * dy + wiggle * py, 6)), 0);
        }
        return points;
    }
}

/// <summary>The dates the story hangs on, all derived from today so that every date is in the past.</summary>
internal sealed class DemoTimeline(DateOnly today)
{
    public DateOnly Today { get; } = today;
    /// <summary>The last day anything happened: yesterday.</summary>
    public DateOnly Latest { get; } = today.AddDays(-1);
    /// <summary>The first day of the 30-year window the casualty and accident records cover.</summary>
    public DateOnly WindowStart { get; } = today.AddYears(-30).AddDays(1);
    public DateOnly OldConflictStart { get; } = today.AddDays(-29 * 365);
    public DateOnly OldConflictEnd { get; } = today.AddDays(-26 * 365);
    /// <summary>The mine action programme began after the old conflict.</summary>
    public DateOnly ProgrammeStart { get; } = today.AddDays(-24 * 365);
    public DateOnly RecentConflictStart { get; } = today.AddDays(-6 * 365);
    /// <summary>The end of the recent hostilities: statements count casualties "since" this date.</summary>
    public DateOnly EndOfHostilities { get; } = FirstOfMonth(today.AddDays(-3 * 365));
    /// <summary>The day booby traps were cleared from house entrances and courtyards.</summary>
    public DateOnly BoobyTrapDay => EndOfHostilities.AddDays(45);
    /// <summary>The day the cache of 400 anti-personnel mines was found.</summary>
    public DateOnly CacheDay => EndOfHostilities.AddDays(120);

    private static DateOnly FirstOfMonth(DateOnly d) => new(d.Year, d.Month, 1);
}

/// <summary>A gazetteer entry; <see cref="Point"/> is set for villages, <see cref="Box"/> is the rectangle of areas.</summary>
internal sealed record DemoPlace(string Id, string Name, string Kind, string? ParentId, (double W, double N, double E, double S) Box, LonLat? Point)
{
    public long? Population { get; set; }

    public LonLat[] Rectangle => [new(Box.W, Box.N), new(Box.E, Box.N), new(Box.E, Box.S), new(Box.W, Box.S)];
}

internal sealed record DemoOrganisation(string Id, string Name, string Kind, string? ParentId);

/// <summary>Makes names from invented syllables, never the same name twice.</summary>
internal sealed class NameMaker(Random rng)
{
    private static readonly string[] Onsets = ["b", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "br", "dr", "kr", "tr", "st", "sk", "th", "vr", "kh", "zh", "q"];
    private static readonly string[] Vowels = ["a", "e", "i", "o", "u", "ae", "ei", "ou", "y", "ia"];
    private static readonly string[] Codas = ["", "", "", "n", "r", "l", "s", "th", "sk", "m", "nd", "rk", "v", "z", "sh"];
    private readonly HashSet<string> _used = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>A new place name of <paramref name="syllables"/> syllables.</summary>
    public string Place(int syllables)
    {
        while (true)
        {
            var name = Word(rng, syllables);
            if (name.Length >= 4 && _used.Add(name)) return name;
        }
    }

    /// <summary>A person's name (first and family name); people may share names, as they do.</summary>
    public static string Person(Random rng) => Word(rng, rng.Next(2, 4)) + " " + Word(rng, rng.Next(2, 4));

    private static string Word(Random rng, int syllables)
    {
        Span<char> buffer = stackalloc char[32];
        var n = 0;
        for (var s = 0; s < syllables; s++)
        {
            // Only the last syllable may close with a consonant cluster, which keeps names pronounceable.
            var part = rng.Pick(Onsets) + rng.Pick(Vowels) + (s == syllables - 1 ? rng.Pick(Codas) : "");
            foreach (var c in part) buffer[n++] = c;
        }
        buffer[0] = char.ToUpperInvariant(buffer[0]);
        return new string(buffer[..n]);
    }
}
