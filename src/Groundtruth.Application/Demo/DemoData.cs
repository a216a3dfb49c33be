using System.Globalization;
using Groundtruth.Application.Datasets;
using Groundtruth.Domain;

namespace Groundtruth.Application.Demo;

/// <summary>One file the demo wrote.</summary>
/// <param name="Name">The file's name without extension: the dataset's name, or <c>hazards-initial</c> for the hazards' earlier state.</param>
/// <param name="Dataset">The dataset the file imports into.</param>
/// <param name="Records">The data rows written (the header not counted).</param>
/// <param name="Elapsed">How long writing the file took.</param>
public sealed record DemoFile(string Name, DatasetSpec Dataset, string Path, long Records, TimeSpan Elapsed);

/// <summary>
/// Writes the synthetic, fictional mine action programme as CSV files in the catalogue's columns, ready
/// for the importer. Same seed, scale and date: byte-identical files.
/// </summary>
/// <remarks>
/// Files, in import order: places, organisations, lines, hazards-initial (every hazardous area in an
/// earlier state), minefield-records, activities, land-release, hazards (the current state: the second
/// import makes legal status changes and so gives the areas a history; it follows land release because an
/// open area closes straight away only on a recorded cancellation), finds, accidents, casualties.
/// Counts grow with the scale (per unit: 40 hazards, 30 minefield records, about 190 activities, 76
/// land releases, 2,000 finds, 400 accidents and 550 casualties); the gazetteer, lines and organisations
/// do not. Every file is streamed: memory stays flat at any scale.
/// </remarks>
public static class DemoData
{
    /// <summary>The name of the file holding the hazardous areas' earlier state.</summary>
    public const string InitialHazardsName = "hazards-initial";

    /// <summary>Writes one CSV per dataset (<c>&lt;dataset-name&gt;.csv</c>, plus <c>hazards-initial.csv</c>) and returns their paths in import order.</summary>
    /// <param name="includePersonalData">Add casualties' names, dates of birth and injuries (all fictional). Importing them needs a personal-data key.</param>
    public static IReadOnlyList<string> WriteCsv(string directory, int seed, int scale, DateOnly today, bool includePersonalData = false) =>
        [.. WriteFiles(directory, seed, scale, today, includePersonalData).Select(f => f.Path)];

    /// <summary>As <see cref="WriteCsv"/>, with the dataset and the number of records of each file.</summary>
    public static IReadOnlyList<DemoFile> WriteFiles(string directory, int seed, int scale, DateOnly today, bool includePersonalData = false)
    {
        var world = new DemoWorld(seed, scale, today);
        Directory.CreateDirectory(directory);
        var files = new List<DemoFile>();
        void Write(string name, DatasetSpec dataset, IEnumerable<string> header, Action<DemoWorld, CsvOut> rows)
        {
            var watch = System.Diagnostics.Stopwatch.StartNew();
            var path = Path.Combine(directory, name + ".csv");
            using (var csv = new CsvOut(path, header))
            {
                rows(world, csv);
                csv.Dispose();
                files.Add(new DemoFile(name, dataset, path, csv.Rows, watch.Elapsed));
            }
        }

        Write("places", DatasetCatalog.Places, ["id", "name", "kind", "parent_id", "population", "wkt"], Places);
        Write("organisations", DatasetCatalog.Organisations, ["id", "name", "kind", "parent_id"], Organisations);
        Write("lines", DatasetCatalog.Lines, ["id", "kind", "name", "wkt"], Lines);
        Write(InitialHazardsName, DatasetCatalog.Hazards, HazardHeader, (w, csv) => Hazards(w, csv, initial: true));
        Write("minefield-records", DatasetCatalog.MinefieldRecords,
            ["id", "source", "reference", "laid_on", "handed_over_on", "declared_devices", "device_models", "position_uncertainty_m", "handling", "original_datum", "georeferenced_by", "georeferencing_method", "wkt"],
            MinefieldRecords);
        Write("activities", DatasetCatalog.Activities,
            ["id", "type", "organisation", "hazard_id", "started_on", "completed_on", "status", "beneficiaries_women", "beneficiaries_men", "beneficiaries_girls", "beneficiaries_boys", "wkt"],
            Activities);
        Write("land-release", DatasetCatalog.LandRelease, ["id", "activity_id", "hazard_id", "method", "released_on", "depth_cm", "wkt"], LandRelease);
        Write("hazards", DatasetCatalog.Hazards, HazardHeader, (w, csv) => Hazards(w, csv, initial: false));
        Write("finds", DatasetCatalog.Finds,
            ["id", "found_on", "category", "model", "quantity", "production_year", "markings", "condition", "depth_cm", "fuze", "booby_trapped", "emplacement", "context", "disposal", "activity_id", "hazard_id", "source", "lon", "lat"],
            Finds);
        Write("accidents", DatasetCatalog.Accidents, ["id", "occurred_on", "kind", "device_category", "device_model", "location_accuracy_m", "source", "lon", "lat"], Accidents);
        string[] casualtyHeader = ["id", "accident_id", "occurred_on", "outcome", "sex", "age", "age_group", "status", "occupation", "activity", "device_handled", "source", "lon", "lat"];
        Write("casualties", DatasetCatalog.Casualties, includePersonalData ? [.. casualtyHeader, "name", "date_of_birth", "injuries"] : casualtyHeader,
            (w, csv) => Casualties(w, csv, includePersonalData));
        return files;
    }

    private static readonly string[] HazardHeader =
        ["id", "name", "classification", "status", "status_reason", "contamination", "evidence", "recorded_on", "source", "handover_certificate", "handed_over_to", "residual_risk_owner", "handed_over_on", "wkt"];

    private static void Places(DemoWorld w, CsvOut csv)
    {
        foreach (var p in (IEnumerable<DemoPlace>)[w.Country, .. w.Regions, .. w.Districts, .. w.Villages])
        {
            csv.Text(p.Id);
            csv.Text(p.Name);
            csv.Text(p.Kind);
            csv.Text(p.ParentId);
            csv.Int(p.Population);
            if (p.Point is { } point) csv.Point(point);
            else csv.Polygon(p.Rectangle);
            csv.EndRow();
        }
    }

    private static void Organisations(DemoWorld w, CsvOut csv)
    {
        foreach (var o in (IEnumerable<DemoOrganisation>)[w.NationalAuthority, .. w.Operators, .. w.Teams.SelectMany(t => t)])
        {
            csv.Text(o.Id);
            csv.Text(o.Name);
            csv.Text(o.Kind);
            csv.Text(o.ParentId);
            csv.EndRow();
        }
    }

    private static void Lines(DemoWorld w, CsvOut csv)
    {
        csv.Text("LN-FL1");
        csv.Text("front_line");
        csv.Text("Former front line");
        csv.LineStrings([[.. w.FrontLine]]);
        csv.EndRow();
        csv.Text("LN-FL2");
        csv.Text("front_line");
        csv.Text("Former front line of the old conflict");
        csv.LineStrings([[.. w.OldFrontLine]]);
        csv.EndRow();
        for (var i = 0; i < w.Roads.Count; i++)
        {
            csv.Text($"LN-RD{i + 1}");
            csv.Text("road");
            csv.Text(w.RoadNames[i]);
            csv.LineStrings([w.Roads[i]]);
            csv.EndRow();
        }
        csv.Text("LN-RV1");
        csv.Text("river");
        csv.Text(w.RiverName);
        csv.LineStrings([[.. w.River]]);
        csv.EndRow();
    }

    /// <summary>
    /// The hazardous areas, in their earlier state (<paramref name="initial"/>) or as they stand now. Every
    /// change between the two is a legal move (HazardStatusRules): open → worked_on, open → closed,
    /// closed → handed_over, and handed_over → worked_on with a reason (a find in released land).
    /// </summary>
    private static void Hazards(DemoWorld w, CsvOut csv, bool initial)
    {
        for (var i = 0; i < w.HazardCount; i++)
        {
            var h = new HazardPlan(w, i);
            var op = w.Operators[h.Operator].Name;
            var village = w.NearestVillage(h.Centre).Name;
            var certificate = h.HandedOverOn is { } ho ? $"HC-{ho.Year}-{i + 1:D6}" : null;
            var (status, reason, recorded, classification, handedOver) = (h.Stage, initial) switch
            {
                (HazardStage.HandedOver, true) => ("closed", "all land released by survey and clearance", h.ClearanceEnd!.Value, h.CurrentClassification, false),
                (HazardStage.Reopened, true) => ("handed_over", "handed over to the community", h.HandedOverOn!.Value, h.CurrentClassification, true),
                (_, true) => ("open", (string?)null, h.RecordedOn, h.InitialClassification, false),
                (HazardStage.Open, false) => ("open", null, h.RecordedOn, h.InitialClassification, false),
                (HazardStage.WorkedOn, false) => ("worked_on", "technical survey and clearance under way", h.TechnicalSurveyStart!.Value, h.CurrentClassification, false),
                (HazardStage.Cancelled, false) => ("closed", "cancelled by non-technical survey: no evidence of explosive ordnance", h.CancelledOn!.Value, h.InitialClassification, false),
                (HazardStage.Closed, false) => ("closed", "all land released by survey and clearance", h.ClearanceEnd!.Value, h.CurrentClassification, false),
                (HazardStage.HandedOver, false) => ("handed_over", "handed over to the community", h.HandedOverOn!.Value, h.CurrentClassification, true),
                _ => ("worked_on", "anti-personnel mine found in released land (IMAS 08.30)", h.ReopenedOn!.Value, h.CurrentClassification, true),
            };
            csv.Text(h.Id);
            csv.Text(h.Name);
            csv.Text(classification);
            csv.Text(status);
            csv.Text(reason);
            csv.Text(h.Contamination);
            csv.Text(h.Evidence);
            csv.Date(recorded);
            csv.Text($"non-technical survey, {op}");
            csv.Text(handedOver ? certificate : null);
            csv.Text(handedOver ? $"{village} village council" : null);
            csv.Text(handedOver ? w.NationalAuthority.Name : null);
            csv.Date(handedOver ? h.HandedOverOn : null);
            csv.Polygon(h.Ring);
            csv.EndRow();
        }
    }

    /// <summary>
    /// Minefield records from three sources, the host's own forces among them, of mixed accuracy: some on
    /// the mines found later, some 100-300 m off (a transcription error), some where no mine ever was.
    /// </summary>
    private static void MinefieldRecords(DemoWorld w, CsvOut csv)
    {
        var t = w.Time;
        for (var j = 0; j < w.RecordCount; j++)
        {
            var (h, source, accuracy, rng) = DemoEvents.Record(w, j);
            var party = source switch { 0 => DemoWorld.HostForces, 1 => w.PartyA, _ => w.PartyB };
            var shape = rng.Weighted([0.5, 0.35, 0.15]);
            var shift = rng.Uniform(100, 300);
            var bearing = rng.Uniform(0, 2 * Math.PI);
            var (dx, dy) = accuracy == 1 ? (shift * Math.Cos(bearing), shift * Math.Sin(bearing)) : (0.0, 0.0);
            var c = h.Cluster;
            DateOnly laid;
            int? declared;
            string models;
            if (accuracy < 2)
            {
                laid = c!.LaidOn;
                var mines = h.Mines();
                declared = rng.Chance(0.9) ? (int)Math.Round(mines.Count * rng.Uniform(0.85, 1.15)) : null;
                models = c.AvModel is null ? c.ApModel : c.ApModel + ";" + c.AvModel;
            }
            else
            {
                laid = h.Recent ? rng.Day(t.RecentConflictStart, t.EndOfHostilities.AddDays(-1)) : rng.Day(t.OldConflictStart, t.OldConflictEnd);
                declared = rng.Next(20, 121);
                models = rng.Pick((string[])["K-7", "PR-3", "K-7;AV-40", "VS-9"]);
            }
            var laidText = rng.Weighted([0.5, 0.4, 0.1]) switch
            {
                0 => PartialDate.FromDate(laid),
                1 => new PartialDate(laid.Year, laid.Month),
                _ => new PartialDate(laid.Year),
            };
            var handed = laid < t.OldConflictEnd.AddDays(1)
                ? rng.Day(Earliest(laid.AddDays(3 * 365), t.Latest), Earliest(laid.AddDays(8 * 365), t.Latest))
                : rng.Day(Earliest(t.EndOfHostilities.AddDays(20), t.Latest), Earliest(t.EndOfHostilities.AddDays(500), t.Latest));
            double? uncertainty = shape switch { 1 => 5 * Math.Round(rng.Uniform(10, 30) / 5), 2 => 5 * Math.Round(rng.Uniform(5, 20) / 5), _ => null };

            csv.Text($"MR-{j + 1:D6}");
            csv.Text(party);
            csv.Text(source switch
            {
                0 => string.Create(CultureInfo.InvariantCulture, $"HAF/MF/{laid.Year}/{j + 1:D4}"),
                1 => $"LF-{j + 1:D5}",
                _ => string.Create(CultureInfo.InvariantCulture, $"DB/{laid.Year}/{j + 1}"),
            });
            csv.Text(laidText.ToString());
            csv.Date(handed);
            csv.Int(declared);
            csv.Text(models);
            csv.Real(uncertainty, "F0");
            csv.Text(source == 0 ? "restricted: national authority and accredited operators" : "handed over under the ceasefire agreement; not for publication");
            csv.Text(source == 0 ? "WGS84" : $"{w.CountryName} 1961 local grid");
            csv.Text("national authority GIS unit");
            csv.Text(shape switch { 0 => "digitised from the record's sketch map", 1 => "mine rows from reference points and bearings", _ => "coordinates as recorded" });
            if (accuracy < 2)
            {
                switch (shape)
                {
                    case 0:
                        csv.Polygon(h.Rectangle(c!.East + dx, c.North + dy, c.Radius * 0.9 + 5, c.HalfWidth + 8, c.Direction));
                        break;
                    case 1:
                        csv.LineStrings(h.Rows(dx, dy));
                        break;
                    default:
                        var mines = h.Mines();
                        var step = Math.Max(1, mines.Count / 8);
                        var points = new List<LonLat>();
                        for (var m = 0; m < mines.Count && points.Count < 8; m += step)
                        {
                            var (e, n) = new LocalFrame(h.Centre).Offset(mines[m].Point);
                            points.Add(h.At(e + dx, n + dy));
                        }
                        csv.Points(points);
                        break;
                }
            }
            else
            {
                // Where the record says, nothing was laid: inside the arcs technical survey reduced.
                var (e, n) = h.SectorPoint(h.CancelledEnd, h.ReducedEnd, 0.5);
                var direction = rng.Uniform(0, Math.PI);
                var (half, width) = (0.1 * h.Radius, 0.06 * h.Radius);
                var (cos, sin) = (Math.Cos(direction), Math.Sin(direction));
                switch (shape)
                {
                    case 0:
                        csv.Polygon(h.Rectangle(e, n, half, width, direction));
                        break;
                    case 1:
                        csv.LineStrings([
                            [h.At(e - half * cos, n - half * sin), h.At(e + half * cos, n + half * sin)],
                            [h.At(e - half * cos - width * sin, n - half * sin + width * cos), h.At(e + half * cos - width * sin, n + half * sin + width * cos)],
                        ]);
                        break;
                    default:
                        csv.Points([.. Enumerable.Range(0, 5).Select(k => h.At(e + (k - 2) * half / 2 * cos, n + (k - 2) * half / 2 * sin))]);
                        break;
                }
            }
            csv.EndRow();
        }
    }

    private static void Activity(CsvOut csv, string id, string type, string? organisation, string? hazard, DateOnly? started, DateOnly? completed, string status, LonLat[]? polygon)
    {
        csv.Text(id);
        csv.Text(type);
        csv.Text(organisation);
        csv.Text(hazard);
        csv.Date(started);
        csv.Date(completed);
        csv.Text(status);
        csv.Empty();
        csv.Empty();
        csv.Empty();
        csv.Empty();
        if (polygon is null) csv.Empty();
        else csv.Polygon(polygon);
        csv.EndRow();
    }

    private static void Activities(DemoWorld w, CsvOut csv)
    {
        var t = w.Time;
        var op0 = w.Teams[0][0].Id;
        Activity(csv, SpotTaskId(0), "eod_spot_task", op0, null, t.BoobyTrapDay, t.BoobyTrapDay, "completed", null);
        Activity(csv, SpotTaskId(1), "eod_spot_task", op0, null, t.CacheDay, t.CacheDay, "completed", null);
        for (var i = 0; i < w.HazardCount; i++)
        {
            var h = new HazardPlan(w, i);
            var rng = DemoSeed.For(w.Seed, DemoStream.Special, i);
            if (h.Stage == HazardStage.Cancelled)
            {
                Activity(csv, h.ActivityId(1), "non_technical_survey", h.NonTechnicalSurveyTeam, h.Id, h.CancelledOn!.Value.AddDays(-rng.Next(1, 10)), h.CancelledOn, "completed", h.Ring);
                continue;
            }
            Activity(csv, h.ActivityId(1), "non_technical_survey", h.NonTechnicalSurveyTeam, h.Id, h.NonTechnicalSurveyStart, h.RecordedOn, "completed", h.Ring);
            if (h.Stage == HazardStage.Open)
            {
                if (h.MarkingPlanned)
                {
                    var day = rng.Day(h.RecordedOn, t.Latest);
                    Activity(csv, h.ActivityId(2), "marking", h.SurveyTeam, h.Id, day, day, "completed", h.Ring);
                }
                if (h.SurveyPlanned) Activity(csv, h.ActivityId(3), "technical_survey", h.SurveyTeam, h.Id, null, null, "planned", null);
                continue;
            }
            Activity(csv, h.ActivityId(2), "technical_survey", h.SurveyTeam, h.Id, h.TechnicalSurveyStart, h.TechnicalSurveyEnd, "completed", h.Sector(h.CancelledEnd, HazardPlan.Arcs));
            var clearance = h.Kind == HazardKind.BattleArea ? "battle_area_clearance" : "clearance";
            var status = h.ClearanceEnd is not null ? "completed" : h.ClearanceSuspended ? "suspended" : "ongoing";
            Activity(csv, h.ActivityId(3), clearance, h.ClearanceTeam, h.Id, h.ClearanceStart, h.ClearanceEnd, status, h.Sector(h.ReducedEnd, h.ClearedEnd));
            if (h.Stage == HazardStage.Reopened)
                Activity(csv, h.ActivityId(4), "eod_spot_task", h.ClearanceTeam, h.Id, h.ReopenedOn, h.ReopenedOn, "completed", null);
        }
        for (var k = 2; k < w.SpotTaskCount + 2; k++)
        {
            var s = SpotTask(w, k);
            Activity(csv, SpotTaskId(k), "eod_spot_task", s.Team, null, s.Day, s.Day, "completed", null);
        }
        for (var k = 0; k < w.RiskEducationCount; k++)
        {
            var rng = DemoSeed.For(w.Seed, DemoStream.RiskEducation, k);
            var op = w.Operators[rng.Next(w.Operators.Count)].Id;
            csv.Text($"ACT-RE-{k + 1:D6}");
            csv.Text("risk_education");
            csv.Text(op);
            csv.Empty();
            if (rng.Chance(0.1))
            {
                csv.Empty();
                csv.Empty();
                csv.Text("planned");
                csv.Empty();
                csv.Empty();
                csv.Empty();
                csv.Empty();
            }
            else
            {
                var day = rng.Day(t.ProgrammeStart, t.Latest);
                var total = rng.Next(20, 401);
                var women = (int)(total * rng.Uniform(0.18, 0.3));
                var men = (int)(total * rng.Uniform(0.12, 0.25));
                var girls = (int)((total - women - men) * rng.Uniform(0.4, 0.55));
                var end = day.AddDays(rng.Next(0, 3));
                csv.Date(day);
                csv.Date(end > t.Latest ? t.Latest : end);
                csv.Text("completed");
                csv.Int(women);
                csv.Int(men);
                csv.Int(girls);
                csv.Int(total - women - men - girls);
            }
            csv.Empty();
            csv.EndRow();
        }
        for (var k = 0; k < w.QualityVisitCount; k++)
        {
            var rng = DemoSeed.For(w.Seed, DemoStream.QualityVisit, k);
            var h = new HazardPlan(w, DemoEvents.ProcessedHazard(w, rng.Next(w.HazardCount)));
            var day = rng.Day(h.ClearanceStart!.Value, h.ClearanceUntil);
            Activity(csv, $"ACT-QA-{k + 1:D6}", "quality_visit", w.NationalAuthority.Id, h.Id, day, day, "completed", h.Sector(h.ReducedEnd, h.ClearedEnd));
        }
    }

    /// <summary>Land released: cancelled by non-technical survey, reduced by technical survey, cleared by clearance — each inside its hazard.</summary>
    private static void LandRelease(DemoWorld w, CsvOut csv)
    {
        void Row(string id, string activity, string hazard, string method, DateOnly on, double? depth, LonLat[] polygon)
        {
            csv.Text(id);
            csv.Text(activity);
            csv.Text(hazard);
            csv.Text(method);
            csv.Date(on);
            csv.Real(depth, "F0");
            csv.Polygon(polygon);
            csv.EndRow();
        }
        for (var i = 0; i < w.HazardCount; i++)
        {
            var h = new HazardPlan(w, i);
            if (h.Stage == HazardStage.Cancelled)
            {
                Row(h.ReleaseId(1), h.ActivityId(1), h.Id, "cancelled", h.CancelledOn!.Value, null, h.Ring);
                continue;
            }
            if (!HazardPlan.IsProcessed(h.Stage)) continue;
            var rng = DemoSeed.For(w.Seed, DemoStream.Special, i);
            var depth = h.Kind == HazardKind.BattleArea ? rng.Pick((double[])[20, 30, 50]) : rng.Pick((double[])[13, 15, 20]);
            Row(h.ReleaseId(1), h.ActivityId(1), h.Id, "cancelled", h.RecordedOn, null, h.Sector(0, h.CancelledEnd));
            Row(h.ReleaseId(2), h.ActivityId(2), h.Id, "reduced", h.TechnicalSurveyEnd!.Value, null, h.Sector(h.CancelledEnd, h.ReducedEnd));
            Row(h.ReleaseId(3), h.ActivityId(3), h.Id, "cleared", h.ClearanceUntil, depth, h.Sector(h.ReducedEnd, h.ClearedEnd));
        }
    }

    private static string SpotTaskId(int k) => $"ACT-EOD-{k + 1:D6}";

    private sealed record SpotTaskPlan(int Index, string Team, string Operator, DateOnly Day, LonLat Place, Random Rng);

    /// <summary>Spot task <paramref name="k"/> (from 2: the first two are the booby-trap day and the cache).</summary>
    private static SpotTaskPlan SpotTask(DemoWorld w, int k)
    {
        var t = w.Time;
        var rng = DemoSeed.For(w.Seed, DemoStream.SpotTask, k);
        var o = rng.Next(w.Operators.Count);
        var team = w.Teams[o][rng.Next(w.Teams[o].Count)].Id;
        var day = rng.Chance(0.35) ? rng.Day(t.EndOfHostilities, t.Latest) : rng.Day(t.ProgrammeStart, t.Latest);
        var place = rng.Weighted([0.5, 0.3, 0.2]) switch
        {
            0 => DemoWorld.Clamp(DemoEvents.Jitter(rng, rng.Pick(w.Villages).Point!.Value, 0.02)),
            1 => w.NearFrontLine(rng, 0.05),
            _ => DemoWorld.Clamp(DemoEvents.Jitter(rng, rng.Pick(rng.Pick(w.Roads)), 0.004)),
        };
        return new SpotTaskPlan(k, team, w.Operators[o].Name, day, place, rng);
    }

    private static DateOnly Earliest(DateOnly a, DateOnly b) => a < b ? a : b;

    private static void Finds(DemoWorld w, CsvOut csv)
    {
        var t = w.Time;
        var n = 0;
        void Find(string found, string category, string? model, int quantity, int? year, string? markings, string? condition, double? depth,
            string? fuze, bool? boobyTrapped, string emplacement, string? context, string? disposal, string? activity, string? hazard, string source, LonLat point)
        {
            csv.Text($"FND-{++n:D7}");
            csv.Text(found);
            csv.Text(category);
            csv.Text(model);
            csv.Int(quantity);
            csv.Int(year);
            csv.Text(markings);
            csv.Text(condition);
            csv.Real(depth, "F0");
            csv.Text(fuze);
            csv.Bool(boobyTrapped);
            csv.Text(emplacement);
            csv.Text(context);
            csv.Text(disposal);
            csv.Text(activity);
            csv.Text(hazard);
            csv.Text(source);
            csv.LonLat(point);
            csv.EndRow();
        }
        static string Day(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        string[] conditions = ["intact", "intact", "corroded", "damaged"];
        string[] disposals = ["destroyed in situ", "destroyed in situ", "removed and destroyed at demolition site"];

        // The day booby traps were cleared from house entrances and courtyards in three villages.
        var special = DemoSeed.For(w.Seed, DemoStream.Special, -1);
        var op0 = w.Operators[0].Name;
        foreach (var v in w.BoobyTrapVillages)
        {
            var frame = new LocalFrame(v.Point!.Value);
            for (var k = 0; k < 4; k++)
            {
                var p = HazardPlan.Round(frame.Polar(special.Uniform(20, 150), special.Uniform(0, 2 * Math.PI)));
                Find(Day(t.BoobyTrapDay), "booby_trap", k % 2 == 0 ? "tripwire grenade" : "pressure-release device", 1, null, null, "intact", 0,
                    k % 2 == 0 ? "tripwire" : "pressure release", true, "emplaced", k % 2 == 0 ? "house entrance" : "courtyard",
                    "removed and destroyed at demolition site", SpotTaskId(0), null, op0, p);
            }
        }
        // One cache: 400 stored anti-personnel mines, not 400 laid.
        var cacheYear = t.OldConflictStart.Year - 3;
        Find(Day(t.CacheDay), "anti_personnel_mine", "K-7", 400, cacheYear, string.Create(CultureInfo.InvariantCulture, $"K-7 lot 12 {cacheYear}"), "stored, intact", 0, "pressure",
            false, "cached", "cache in a farm building", "removed and destroyed at demolition site", SpotTaskId(1), null, op0,
            HazardPlan.Round(new LocalFrame(w.CacheVillage.Point!.Value).Polar(300, special.Uniform(0, 2 * Math.PI))));

        for (var i = 0; i < w.HazardCount; i++)
        {
            var slot = HazardPlan.SlotOf(w, i);
            if (!HazardPlan.IsProcessed(slot.Stage)) continue;
            var h = new HazardPlan(w, i);
            var rng = DemoSeed.For(w.Seed, DemoStream.HazardFinds, i);
            var source = w.Operators[h.Operator].Name;
            var (survey, clearance) = (h.ActivityId(2), h.ActivityId(3));
            var share = h.Stage == HazardStage.WorkedOn ? rng.Uniform(0.5, 0.95) : 1.0;
            string When(out string activity)
            {
                if (rng.Chance(0.08))
                {
                    activity = survey;
                    return Day(rng.Day(h.TechnicalSurveyStart!.Value, h.TechnicalSurveyEnd!.Value));
                }
                activity = clearance;
                return Day(rng.Day(h.ClearanceStart!.Value, h.ClearanceUntil));
            }
            if (h.Cluster is { } c)
            {
                var mines = h.Mines();
                var found = (int)Math.Ceiling(mines.Count * share);
                for (var m = 0; m < found; m++)
                {
                    var mine = mines[m];
                    var date = When(out var activity);
                    var model = mine.AntiVehicle ? c.AvModel! : c.ApModel;
                    int? year = (h.E001 ? rng.Chance(0.85) : rng.Chance(0.25)) ? rng.Next(c.ProductionFrom, c.ProductionTo + 1) : null;
                    Find(date, mine.AntiVehicle ? "anti_vehicle_mine" : "anti_personnel_mine", model, 1, year,
                        year is { } y ? string.Create(CultureInfo.InvariantCulture, $"{model} {y}") : null,
                        rng.Pick(conditions), mine.AntiVehicle ? rng.Next(10, 31) : rng.Next(0, 16),
                        model == "PR-3" ? "tripwire" : "pressure", mine.AntiVehicle && rng.Chance(0.05), "emplaced", null,
                        rng.Pick(disposals), activity, h.Id, source, mine.Point);
                }
            }
            if (h.Kind == HazardKind.Mixed)
            {
                var extra = (int)Math.Ceiling(rng.Next(8, 21) * share);
                for (var k = 0; k < extra; k++)
                {
                    var date = When(out var activity);
                    var trap = rng.Chance(0.6);
                    Find(date, trap ? "booby_trap" : "improvised_mine", trap ? rng.Pick((string[])["tripwire grenade", "pressure-release device"]) : "improvised pressure-plate mine",
                        1, null, null, rng.Pick(conditions), rng.Next(0, 11), trap ? "tripwire" : "pressure plate", trap, "emplaced",
                        rng.Pick((string[])["ruined house", "orchard", "well", "field path"]), "destroyed in situ", activity, h.Id, source,
                        h.PointInSector(rng, h.ReducedEnd, h.ClearedEnd));
                }
            }
            if (h.Kind == HazardKind.BattleArea)
            {
                var count = (int)Math.Ceiling(rng.Next(70, 141) * share);
                for (var k = 0; k < count; k++)
                {
                    var date = When(out var activity);
                    var kind = rng.Weighted([0.65, 0.3, 0.05]);
                    var (category, model, quantity) = kind switch
                    {
                        0 => ("uxo", rng.Pick((string[])["82 mm mortar bomb", "120 mm mortar bomb", "122 mm artillery projectile", "rocket-propelled grenade", "hand grenade"]), rng.Chance(0.85) ? 1 : rng.Next(2, 5)),
                        1 => ("cluster_munition_remnant", rng.Pick((string[])["submunition S-12", "submunition BL-4"]), rng.Chance(0.7) ? 1 : rng.Next(2, 13)),
                        _ => ("axo", "abandoned ammunition crate", rng.Next(5, 41)),
                    };
                    int? year = rng.Chance(0.1) ? rng.Next(t.OldConflictStart.Year - 25, t.OldConflictStart.Year) : null;
                    Find(date, category, model, quantity, year, year is { } y ? string.Create(CultureInfo.InvariantCulture, $"lot {y}") : null,
                        rng.Pick(conditions), rng.Next(0, 61), kind == 2 ? null : "impact", null, kind == 2 ? "unknown" : "emplaced", null,
                        rng.Pick(disposals), activity, h.Id, source, h.PointInSector(rng, h.ReducedEnd, h.ClearedEnd));
                }
            }
            if (h.Stage == HazardStage.Reopened)
            {
                Find(Day(h.ReopenedOn!.Value), "anti_personnel_mine", h.Cluster?.ApModel, 1, null, null, "intact", 5, "pressure", false, "emplaced",
                    "found by a farmer in released land", "destroyed in situ", h.ActivityId(4), h.Id, source, h.PointInSector(rng, h.ReducedEnd, h.ClearedEnd));
            }
        }

        for (var k = 2; k < w.SpotTaskCount + 2; k++)
        {
            var s = SpotTask(w, k);
            var rng = s.Rng;
            var count = rng.Next(1, 6);
            var frame = new LocalFrame(s.Place);
            for (var f = 0; f < count; f++)
            {
                var kind = rng.Weighted([0.55, 0.15, 0.08, 0.05, 0.1, 0.04, 0.03]);
                var (category, model, quantity) = kind switch
                {
                    0 => ("uxo", rng.Pick((string[])["82 mm mortar bomb", "122 mm artillery projectile", "hand grenade", "rocket-propelled grenade"]), rng.Chance(0.8) ? 1 : rng.Next(2, 6)),
                    1 => ("cluster_munition_remnant", "submunition S-12", rng.Chance(0.7) ? 1 : rng.Next(2, 9)),
                    2 => ("anti_personnel_mine", rng.Pick((string[])["K-7", "PR-3", "VS-9"]), 1),
                    3 => ("anti_vehicle_mine", rng.Pick((string[])["AV-40", "TR-12"]), 1),
                    4 => ("axo", "abandoned ammunition crate", rng.Next(2, 31)),
                    5 => ("stored_ammunition", "small-arms ammunition", rng.Next(50, 1001)),
                    _ => ("improvised_explosive_device", "command-wire device", 1),
                };
                // A few finds from old paper reports are dated to the month only.
                var found = rng.Chance(0.04) ? new PartialDate(s.Day.Year, s.Day.Month).ToString() : Day(s.Day);
                Find(found, category, model, quantity, null, null, rng.Pick(conditions), null, null, null, kind is 4 or 5 ? "cached" : kind == 0 ? "unknown" : "emplaced",
                    rng.Pick((string[])["roadside", "garden", "field", "river bank", "school yard"]), rng.Pick(disposals), SpotTaskId(k), null, s.Operator,
                    HazardPlan.Round(frame.Polar(rng.Uniform(0, 40), rng.Uniform(0, 2 * Math.PI))));
            }
        }
    }

    private static void Accidents(DemoWorld w, CsvOut csv)
    {
        for (var a = 0; a < w.AccidentCount; a++)
        {
            var accident = DemoEvents.Accident(w, a);
            csv.Text(accident.Id);
            csv.Date(accident.OccurredOn);
            csv.Text(accident.Demining ? "demining" : "mine_erw");
            csv.Text(accident.Category);
            csv.Text(accident.Model);
            csv.Real(accident.AccuracyMetres, "F0");
            csv.Text(accident.Source);
            csv.LonLat(accident.Point);
            csv.EndRow();
        }
    }

    /// <summary>The casualties of each accident, then casualties known only from reports (no accident record: a point and a date, often partial).</summary>
    private static void Casualties(DemoWorld w, CsvOut csv, bool personal)
    {
        var t = w.Time;
        var n = 0;
        void Row(string? accident, PartialDate occurred, LonLat? point, DemoCasualty c)
        {
            csv.Text($"CAS-{++n:D7}");
            csv.Text(accident);
            csv.Text(occurred.ToString());
            csv.Text(c.Outcome);
            csv.Text(c.Sex);
            csv.Int(c.Age);
            csv.Text(c.AgeGroup);
            csv.Text(c.Status);
            csv.Text(c.Occupation);
            csv.Text(c.Activity);
            csv.Bool(c.DeviceHandled);
            csv.Text(c.Source);
            csv.LonLat(point);
            if (personal)
            {
                csv.Text(c.Name);
                csv.Date(c.DateOfBirth);
                csv.Text(c.Injuries);
            }
            csv.EndRow();
        }
        for (var a = 0; a < w.AccidentCount; a++)
        {
            var accident = DemoEvents.Accident(w, a);
            var rng = DemoSeed.For(w.Seed, DemoStream.Casualty, a);
            var count = DemoEvents.CasualtyCount(rng, accident);
            // Every 150th accident killed or injured a journalist.
            var journalist = a % 150 == 37;
            if (journalist && count == 0) count = 1;
            var occurred = PartialDate.FromDate(accident.OccurredOn);
            for (var k = 0; k < count; k++)
                Row(accident.Id, occurred, null, DemoEvents.Casualty(rng, w, occurred, accident.OccurredOn, accident.Vehicle, accident.Demining, journalist && k == 0));
        }
        for (var k = 0; k < w.LoneCasualtyCount; k++)
        {
            var rng = DemoSeed.For(w.Seed, DemoStream.LoneCasualty, k);
            var day = rng.Day(t.WindowStart.AddDays(365), t.Latest);
            var precision = rng.Weighted([0.25, 0.3, 0.45]);
            var occurred = precision switch
            {
                0 => new PartialDate(day.Year),
                1 => new PartialDate(day.Year, day.Month),
                _ => PartialDate.FromDate(day),
            };
            var point = rng.Weighted([0.5, 0.3, 0.2]) switch
            {
                0 => w.NearFrontLine(rng, 0.03),
                1 => DemoWorld.Clamp(DemoEvents.Jitter(rng, rng.Pick(w.Villages).Point!.Value, 0.015)),
                _ => new HazardPlan(w, rng.Next(w.HazardCount)).Around(rng, 2.0),
            };
            Row(null, occurred, point, DemoEvents.Casualty(rng, w, occurred, precision == 2 ? day : null, false, false, false));
        }
    }
}
