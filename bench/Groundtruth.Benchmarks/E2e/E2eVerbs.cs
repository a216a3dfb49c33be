namespace Groundtruth.Benchmarks.E2e;

/// <summary>Where a verb runs: on the cached demo, or on a fresh database of its own (it writes).</summary>
internal enum VerbTarget { Demo, FreshDatabase }

/// <summary>
/// One CLI verb in one of its README forms. <see cref="Args"/> may hold <c>{out}</c> (this run's output folder),
/// <c>{finds}</c> (the finds file to import) and <c>{tomorrow}</c> (a recorded-before instant after every write).
/// <see cref="Sql"/> names the PostGIS question that answers the same, if there is one.
/// </summary>
internal sealed record E2eVerb(string Form, IReadOnlyList<string> Args, string? Sql = null, VerbTarget Target = VerbTarget.Demo)
{
    public string[] Expand(string outDir, string findsFile, string tomorrow) =>
        [.. Args.Select(a => a.Replace("{out}", outDir, StringComparison.Ordinal)
                              .Replace("{finds}", findsFile, StringComparison.Ordinal)
                              .Replace("{tomorrow}", tomorrow, StringComparison.Ordinal))];
}

/// <summary>The verbs and forms the README documents, in the order a session would use them.</summary>
internal static class E2eVerbs
{
    /// <summary>The datasets whose exports are timed (the large ones; the gazetteer and organisations are small).</summary>
    public static readonly string[] ExportedDatasets = ["finds", "accidents", "casualties", "hazards", "activities", "land-release", "minefield-records"];

    public static IReadOnlyList<E2eVerb> All { get; } = Build();

    private static List<E2eVerb> Build()
    {
        var verbs = new List<E2eVerb>
        {
            V("init"),
            V("datasets"),
            V("datasets --markdown"),
            V("stats casualties --from 1996-11-27 --by outcome", "casualties_by_outcome"),
            V("stats casualties --from 2023-11-01 --by outcome,status", "casualties_by_outcome_status"),
            V("stats casualties --from 1996-11-27 --where occupation=journalist --by outcome", "casualties_journalists"),
            V("stats casualties --from 1996-11-27 --where sex=female --where age_group=adult --by outcome", "casualties_women"),
            V("stats casualties --from 1996-11-27 --where status=civilian --by age_group", "casualties_civilian_age"),
            new("stats finds --where \"model=E-001 M\" --where category=anti_personnel_mine --in Truvroudum --from 2023-11-01 --by production_year",
                ["stats", "finds", "--where", "model=E-001 M", "--where", "category=anti_personnel_mine", "--in", "Truvroudum", "--from", "2023-11-01", "--by", "production_year"],
                "finds_model_in_district"),
            V("stats finds --where category=booby_trap --from 2023-12-16 --to 2023-12-16 --by context,place", "finds_booby_traps"),
            V("stats accidents --from 2023-11-01 --by kind", "accidents_by_kind"),
            V("check", "duplicates"),
            V("check --format json", "duplicates"),
            V("hazards", "residual_hazards"),
            V("hazards --format json", "residual_hazards"),
            V("hazards --format csv", "residual_hazards"),
            V("hazards --format geojson", "residual_hazards"),
            V("hazards --as-of 2024-12-31 --recorded-before {tomorrow}"),
            V("land-release --from 2023 --to 2023 --by method", "land_release_by_method"),
            V("land-release --by year"),
            V("land-release --by organisation --productivity"),
            V("records accuracy --from 2023 --by source --format json", "record_accuracy"),
            V("risk map --out {out}/risk.tif"),
            V("risk evaluate --split-date 2025-01-01"),
            V("priorities"),
            V("report situation --out {out}/situation.html"),
            V("report situation --out {out}/situation.pdf"),
            V("report article7 --year 2024 --out {out}/article7-2024.html"),
        };
        foreach (var dataset in ExportedDatasets)
        {
            verbs.Add(V($"export {dataset} {{out}}/{dataset}.csv"));
            verbs.Add(V($"export {dataset} {{out}}/{dataset}.geojson"));
        }
        verbs.Add(new("import finds {finds} (fresh database)", ["import", "finds", "{finds}"], Target: VerbTarget.FreshDatabase));
        return verbs;
    }

    /// <summary>A form whose arguments are its words (none of them quoted).</summary>
    private static E2eVerb V(string form, string? sql = null) => new(form, form.Split(' ', StringSplitOptions.RemoveEmptyEntries), sql);

    /// <summary><c>stats, export finds</c> → the prefixes "stats" and "export finds".</summary>
    public static IReadOnlyList<string> ParseFilter(string text)
    {
        var prefixes = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (prefixes.Length == 0) throw new ArgumentException("--verbs needs at least one verb, e.g. --verbs stats,hazards");
        foreach (var p in prefixes)
        {
            if (!All.Any(v => Matches(v, p)))
                throw new ArgumentException($"--verbs: no verb starts with '{p}'; the verbs are: {string.Join(", ", All.Select(v => v.Args[0]).Distinct())}");
        }
        return prefixes;
    }

    /// <summary>The verbs that start with one of <paramref name="prefixes"/> (all of them when there are none).</summary>
    public static IReadOnlyList<E2eVerb> Select(IReadOnlyList<string> prefixes) =>
        prefixes.Count == 0 ? All : [.. All.Where(v => prefixes.Any(p => Matches(v, p)))];

    private static bool Matches(E2eVerb verb, string prefix) =>
        verb.Form.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)
        && (verb.Form.Length == prefix.Length || verb.Form[prefix.Length] == ' ' || prefix.EndsWith(' '));
}
