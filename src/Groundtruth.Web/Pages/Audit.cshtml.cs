using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Groundtruth.Application;
using Groundtruth.Application.Datasets;
using Groundtruth.Application.Resources;
using Groundtruth.Web.Resources;
using Groundtruth.Application.Registers;
using Groundtruth.Application.Security;
using Groundtruth.Application.Storage;
using Groundtruth.Application.Users;
using Groundtruth.Web.Apis;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Groundtruth.Web.Pages;

/// <summary>Who changed or read what, and when: the audit log, filterable (administrators).</summary>
[Authorize(Policy = Roles.Administrator)]
public sealed class AuditModel(GroundtruthDbContext db, Access access) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Actor { get; set; }
    [BindProperty(SupportsGet = true)] public string? Action { get; set; }
    [BindProperty(SupportsGet = true)] public string? Dataset { get; set; }
    [BindProperty(SupportsGet = true)] public DateOnly? From { get; set; }
    [BindProperty(SupportsGet = true)] public DateOnly? To { get; set; }
    public IReadOnlyList<AuditRow> Entries { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) =>
        Entries = await AuditLogQuery.ReadAsync(db, access, new AuditFilter(Actor, Action, Dataset, null, From, To, 0, 500), ct);

    /// <summary>An action (<c>read_personal_data</c>) in the reader's words; an action without words keeps its name, spaced.</summary>
    public static string ActionWords(string action) => Ui.Find("audit.action." + action) ?? action.Replace('_', ' ');

    /// <summary>A dataset's name in the reader's words (the catalogue's); anything else as stored.</summary>
    public static string DatasetWords(string? dataset) =>
        dataset is null ? "" : DatasetCatalog.Find(dataset) is { } spec ? Labels.Dataset(spec) : dataset;

    /// <summary>
    /// An entry's detail (a JSON object) as name and value pairs to read: each name in the reader's words where the
    /// resources have some (<c>audit.key.records</c>), numbers in the culture's format, true/false as yes/no, a list
    /// joined by commas, a nested object compacted; a detail that is no JSON object is shown as it is.
    /// </summary>
    public static IReadOnlyList<(string Name, string Value)> DetailWords(string? detail)
    {
        if (string.IsNullOrWhiteSpace(detail)) return [];
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(detail);
        }
        catch (JsonException)
        {
            return [("", detail)];
        }
        if (node is not JsonObject obj) return [("", detail)];
        var pairs = new List<(string, string)>();
        foreach (var (key, value) in obj)
        {
            if (value is null) continue;
            pairs.Add((Ui.Find("audit.key." + key) ?? key.Replace('_', ' '), Words(value)));
        }
        return pairs;
    }

    private static string Words(JsonNode value) => value switch
    {
        JsonValue v when v.TryGetValue<bool>(out var b) => Labels.YesNo(b),
        JsonValue v when v.TryGetValue<long>(out var n) => n.ToString("N0", CultureInfo.CurrentCulture),
        JsonValue v when v.TryGetValue<double>(out var d) => d.ToString("#,0.###", CultureInfo.CurrentCulture),
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonArray a => string.Join(", ", a.Where(x => x is not null).Select(x => Words(x!))),
        _ => value.ToJsonString(),
    };
}
